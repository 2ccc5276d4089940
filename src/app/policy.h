#pragma once
// The one answer to "may this user do that?" (docs/permissions.md). The rules are data: the
// `permission` lines of workflow/lifecycle.wf for every action other than recording a case event,
// and each event's own roles= ("event.KEY"). Nothing else in the program tests a role.
#include <string>
#include <string_view>
#include <vector>

#include "app/ports.h"
#include "base/status.h"
#include "workflow/definition.h"

namespace ogi {

// Whether `u` holds a role the action names (no agency in question).
bool allows(const Workflow& wf, const User& u, std::string_view action);

// The same, with a Chinese refusal (forbidden) naming the action; with `agency`, a scope=visible
// action must also reach that agency (the user's own or one it supervises).
Status may(const Workflow& wf, const User& u, std::string_view action,
           const std::string* agency = nullptr);

// The one answer for a case, letter or attachment the user may not see *and* for one that does
// not exist (forbidden, the same sentence), so an id outside the user's agencies reveals nothing
// (issue 18, finding 9). `what`: 案件, 文书 or 附件.
Error not_visible(const std::string& what = "案件");

// The roles that may do `action` (for the permission matrix and the rule that an administrator
// may not grant themself a role that reads case content).
std::vector<std::string> roles_for(const Workflow& wf, std::string_view action);

// docs/permissions.md: the matrix of every action × role, generated from the data.
std::string permission_matrix_markdown(const Workflow& wf);

}  // namespace ogi
