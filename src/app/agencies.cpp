#include "app/agencies.h"

#include "domain/codes.h"

namespace ogi {

Status check_agency(const Agency& a, const Workflow& wf) {
  if (a.name.empty()) return make_error(Code::invalid, "name: 不能为空", "name");
  if (a.number_pattern.find("{seq}") == std::string::npos)
    return make_error(Code::invalid, "pattern: 案件编号模式须含 {seq}（序号）", "pattern");
  if (!a.letter_pattern.empty() && a.letter_pattern.find("{seq}") == std::string::npos)
    return make_error(Code::invalid, "letter_pattern: 文号模式须含 {seq}（序号）",
                      "letter_pattern");
  if (!a.kind.empty() && !is_code(agency_kinds(), a.kind))
    return make_error(Code::invalid,
                      "kind: 未知的机关类别“" + a.kind + "”，可选：" + list_codes(agency_kinds()),
                      "kind");
  if (!a.remedy_policy.empty()) {
    bool known = false;
    std::string keys;
    for (auto& [key, label] : wf.remedy_policies())
      known |= key == a.remedy_policy, keys += (keys.empty() ? "" : ", ") + key;
    if (!known)
      return make_error(Code::invalid,
                        "remedy_policy: 未知的救济告知规则“" + a.remedy_policy + "”，可选：" + keys,
                        "remedy_policy");
  }
  return {};
}

std::string remedy_policy_label(const Agency& a, const Workflow& wf) {
  const auto& all = wf.remedy_policies();
  for (auto& [key, label] : all)
    if (key == a.remedy_policy) return label;
  return all.empty() ? std::string() : all.front().second;
}

}  // namespace ogi
