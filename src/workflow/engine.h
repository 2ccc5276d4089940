#pragma once
// The engine: applies an event to a case under the workflow data, and folds an event log into
// the derived state. Pure: no I/O, "today" comes from the Clock it is handed.

#include <optional>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "calendar/calendar.h"
#include "domain/case.h"
#include "domain/clock.h"
#include "workflow/definition.h"

namespace ogi {

struct Actor {
  std::string username;
  std::vector<std::string> roles;
  bool has_any(const std::vector<std::string>& wanted) const;
};

struct EventRequest {
  std::string event;
  std::optional<Date> on;  // default: today
  Fields fields;
  bool complete = false;  // from the staff form: `require … level=form` lines bind too
};

// An element the case's reply should carry and its decision lacks (a `require … level=form` line
// not met by the latest decide), while the reply awaits approval: the field and the Chinese
// sentence saying what is missing.
struct MissingElement {
  std::string field, message;
};
std::vector<MissingElement> missing_elements(const Workflow& wf, const Case& c);

struct Context {
  const Workflow& workflow;
  const Calendar& calendar;
  const Clock& clock;
  ClockSettings settings;
};

// Checks role (forbidden), event and fields (invalid), date order (invalid: never in the
// future, never before the previous event or the receipt date), state and guards
// (not_allowed), then returns the case with the event appended (id 0 until stored) and its
// derived state recomputed. `c` is not modified.
Result<Case> apply_event(const Context& ctx, const Case& c, const EventRequest& req,
                         const Actor& actor);

// Recomputes c.derived from c.events (the registration event first). Fails only on a log that
// the workflow cannot replay (a corrupted store or an incompatible workflow file).
Status fold(const Context& ctx, Case& c);

// The events this actor may record today: role, state, and every guard that does not depend on
// the fields still to be entered (those are checked on submission).
std::vector<const EventSpec*> allowed_events(const Context& ctx, const Case& c, const Actor& actor);

}  // namespace ogi
