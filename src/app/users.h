#pragma once
// Rules about people (domain.md §1): who may read case content, and what makes an account valid.
// Shared by the CLI, the JSON API and the UI so each checks the same things.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports.h"
#include "base/status.h"

namespace ogi {

bool has_role(const User& u, std::initializer_list<std::string_view> any_of);
// Case content is for those who handle or supervise cases; an administrator alone does not see it.
bool reads_cases(const User& u);

// Validates a new account (user name 1-64 characters, known roles, at least one, password of at
// least 8 characters), fills the display name and hashes the password. Errors name the field.
Result<User> prepare_new_user(User u, const std::string& password);
// Validates a change of roles and, when given, of the password (empty: unchanged).
Status check_user_change(const std::vector<std::string>& roles, const std::string& password);

// Whether `actor` may change `target` from `before` to `after` roles: an administrator may not
// deactivate or demote themself, nor grant themself a role that reads case content (personal
// data) — another administrator must (issue 18, finding 6).
Status check_role_change(const User& actor, const std::string& target, const std::vector<std::string>& before,
                         const std::vector<std::string>& after, bool active);
// "登记员、承办人 → 登记员、承办人、审计员" for the audit trail.
std::string role_change_text(const std::vector<std::string>& before, const std::vector<std::string>& after);

}  // namespace ogi
