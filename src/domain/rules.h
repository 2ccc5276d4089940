#pragma once
// The case rules that workflow data refers to by name: guards (may this event happen now?) and
// actions (what it changes in the derived state). The workflow loader refuses unknown names;
// the engine calls these while folding the event log. Pure functions over values.

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "calendar/calendar.h"
#include "domain/case.h"
#include "domain/clock.h"

namespace ogi {

bool is_known_guard(std::string_view name);
// Every name in the guard and action tables (for the check that workflow data uses each one).
std::vector<std::string_view> guard_names();
std::vector<std::string_view> action_names();

// The notice a `serve_notice` event records the service of: named by its `notice` field (and
// `consultation` for a consultation letter), or else the one notice still waiting for its
// recipient. invalid when it cannot tell which, not_allowed when there is no such notice.
struct ServedTarget {
  std::string notice;  // served_notices()
  std::string title;   // Chinese, for messages
  Date issued_on;
  std::optional<Service> served;  // already recorded
  long long consultation = 0;
};
Result<ServedTarget> served_target(const Case& c, const CaseEvent& ev);
bool is_known_action(std::string_view name);  // name without its (param)

// Ok, or not_allowed with a sentence saying why (out_of_calendar when a needed date is unknown).
Status check_guard(std::string_view guard, const Calendar& cal, const Case& c, const CaseEvent& ev,
                   const ClockSettings& settings);

// Applies an action (e.g. "add_consultation", "conclude" with param "withdrawn") to c.derived.
// Fails only on a reference to a record the case does not have.
Status apply_action(std::string_view action, std::string_view param, Case& c, const CaseEvent& ev);

}  // namespace ogi
