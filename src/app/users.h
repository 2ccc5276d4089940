#pragma once
// Rules about people (domain.md §1): what makes an account valid and a role change allowed. Who
// may do what is the policy's (app/policy.h).
// Shared by the CLI, the JSON API and the UI so each checks the same things.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports.h"
#include "base/status.h"

namespace ogi {

// Validates a new account (user name 1-64 characters, known roles, at least one, password of at
// least 8 characters), fills the display name and hashes the password. Errors name the field.
Result<User> prepare_new_user(User u, const std::string& password);
// Validates a change of roles and, when given, of the password (empty: unchanged).
Status check_user_change(const std::vector<std::string>& roles, const std::string& password);

// Whether `actor` may change `target` from `before` to `after` roles: an administrator may not
// deactivate or demote themself, nor grant themself a role that reads case content (`reading`:
// the roles of the policy's case.read) — another administrator must (issue 18, finding 6); nor
// drop every role that manages users (`managing`: the policy's user.admin).
Status check_role_change(const User& actor, const std::string& target,
                         const std::vector<std::string>& before,
                         const std::vector<std::string>& after, bool active,
                         const std::vector<std::string>& reading,
                         const std::vector<std::string>& managing);
// "登记员、承办人 → 登记员、承办人、审计员" for the audit trail.
std::string role_change_text(const std::vector<std::string>& before,
                             const std::vector<std::string>& after);

}  // namespace ogi
