#include "app/users.h"

#include <algorithm>

#include "app/password.h"
#include "domain/codes.h"

namespace ogi {

Status check_user_change(const std::vector<std::string>& wanted, const std::string& password) {
  for (auto& r : wanted)
    if (!is_code(roles(), r))
      return make_error(Code::invalid, "roles: 未知角色“" + r + "”，可选：" + list_codes(roles()),
                        "roles");
  if (wanted.empty()) return make_error(Code::invalid, "roles: 至少选择一个角色", "roles");
  if (!password.empty() && password.size() < 8)
    return make_error(Code::invalid, "password: 至少8位", "password");
  return {};
}

Status check_role_change(const User& actor, const std::string& target,
                         const std::vector<std::string>& before,
                         const std::vector<std::string>& after, bool active,
                         const std::vector<std::string>& reading,
                         const std::vector<std::string>& managing) {
  if (actor.username != target) return {};
  auto has = [](const std::vector<std::string>& v, const std::string& r) {
    return std::find(v.begin(), v.end(), r) != v.end();
  };
  bool keeps = false;  // a role that still manages users
  for (auto& r : managing) keeps |= has(after, r);
  if (!active || !keeps) return make_error(Code::forbidden, "不能停用自己或去掉自己的管理员角色");
  for (auto& r : reading)
    if (has(after, r) && !has(before, r))
      return make_error(Code::forbidden, std::string("不能给自己增加可查看案件内容的角色（") +
                                             std::string(label_of(roles(), r)) +
                                             "），须由另一名系统管理员办理");
  return {};
}

std::string role_change_text(const std::vector<std::string>& before,
                             const std::vector<std::string>& after) {
  auto text = [](const std::vector<std::string>& v) {
    std::string s;
    for (auto& r : v) s += (s.empty() ? "" : "、") + std::string(label_of(roles(), r));
    return s.empty() ? std::string("（无）") : s;
  };
  return "角色：" + text(before) + " → " + text(after);
}

Result<User> prepare_new_user(User u, const std::string& password) {
  if (u.username.empty() || u.username.size() > 64)
    return make_error(Code::invalid, "username: 应为1至64个字符", "username");
  if (password.empty()) return make_error(Code::invalid, "password: 至少8位", "password");
  if (Status s = check_user_change(u.roles, password); !s) return s.error();
  if (u.display_name.empty()) u.display_name = u.username;
  u.password_hash = hash_password(password);
  return u;
}

}  // namespace ogi
