// LetterService: the letter templates an administrator edits (saved versions, checked before
// they are stored, installed at start).
#include <algorithm>

#include "app/letters.h"
#include "app/policy.h"
#include "app/users.h"
#include "domain/codes.h"
#include "domain/letters.h"
#include "domain/remedy_body.h"
#include "workflow/engine.h"

namespace ogi {

Result<int> LetterService::save_template(const User& actor, const std::string& name,
                                         const std::string& body, const std::string& note) {
  if (Status st = may(wf_, actor, "template.edit"); !st) return st.error();
  if (Status st = r_.check(name, body); !st) return st.error();
  auto v = s_.save_template(name, body, actor.username, clock_.now_timestamp(), note);
  if (!v) return v.error();
  if (Status st = r_.install(name, body, *v); !st) return st.error();
  return v;
}

Result<std::string> LetterService::version_body(const std::string& name,
                                                const std::string& version) {
  int v = -1;
  try {
    size_t used = 0;
    v = std::stoi(version, &used);
    if (used != version.size()) v = -1;
  } catch (...) {
  }
  if (v < 0) return make_error(Code::invalid, "version: 版本号应为非负整数", "version");
  if (v == 0) return r_.shipped_body(name);
  for (auto& t : s_.template_versions(name))
    if (t.version == v) return t.body;
  return make_error(Code::not_found, "模板 " + name + " 没有第" + std::to_string(v) + "版");
}

Status LetterService::install_saved_templates() {
  std::string problems;
  for (auto& t : s_.latest_templates())
    if (Status st = r_.install(t.name, t.body, t.version); !st)
      problems += "数据库中保存的模板 " + t.name + "（第" + std::to_string(t.version) + "版）：" +
                  st.error().message + "\n";
  if (!problems.empty()) return make_error(Code::invalid, problems.substr(0, problems.size() - 1));
  return {};
}

}  // namespace ogi
