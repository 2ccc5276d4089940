// The `queue` lines of the workflow (我的待办's sections) and the states' next steps.
#include <algorithm>

#include "domain/codes.h"
#include "workflow/definition.h"

namespace ogi {

Result<QueueSpec> parse_queue(const std::vector<std::string>& words,
                              const std::map<std::string, std::string>& attrs,
                              const std::set<std::string>& flags) {
  auto bad = [](const std::string& m) { return make_error(Code::invalid, m); };
  QueueSpec q;
  q.key = words.size() > 1 ? words[1] : "";
  if (q.key.empty()) return bad("queue needs a key");
  for (auto& [k, v] : attrs) {
    if (k == "label") {
      q.label = v;
    } else if (k == "roles") {
      for (size_t i = 0, j; i <= v.size(); i = j + 1) {
        j = std::min(v.find(',', i), v.size());
        q.roles.push_back(v.substr(i, j - i));
      }
    } else if (k == "who") {
      if (v == "assignee")
        q.who = QueueSpec::Who::assignee;
      else if (v == "unassigned")
        q.who = QueueSpec::Who::unassigned;
      else
        return bad("queue " + q.key + ": who= must be assignee or unassigned");
    } else if (k == "next") {
      q.next = v;
    } else if (k == "scope") {
      if (v != "visible") return bad("queue " + q.key + ": scope must be visible (or absent)");
      q.visible_scope = true;
    } else {
      return bad("queue " + q.key + ": unknown attribute '" + k + "'");
    }
  }
  for (auto& f : flags) {
    if (f == "overdue")
      q.overdue = true;
    else
      return bad("queue " + q.key + ": unknown flag '" + f + "'");
  }
  if (q.label.empty()) return bad("queue " + q.key + " has no label");
  if (q.roles.empty()) return bad("queue " + q.key + " names no roles");
  for (auto& r : q.roles)
    if (!is_code(roles(), r)) return bad("unknown role '" + r + "' in queue " + q.key);
  if (!q.next.empty() && !is_code(roles(), q.next))
    return bad("unknown role '" + q.next + "' in next= of queue " + q.key);
  return q;
}

std::vector<std::string> Workflow::states_next_for(std::string_view role) const {
  std::vector<std::string> out;
  for (auto& s : states_)
    if (s.next == role) out.push_back(s.key);
  return out;
}

}  // namespace ogi
