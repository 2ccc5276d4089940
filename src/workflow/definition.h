#pragma once
// The lifecycle as data (workflow/lifecycle.wf): stages, states, events and transitions.
// parse_workflow() reads and validates a file; a Workflow that exists is known to be sound
// (every state reachable, final states without exits, every guard/action/letter/role known).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"

namespace ogi {

struct FieldSpec {
  std::string name;
  std::string type;   // text | int | list | date | ref | code
  std::string table;  // for code(TABLE)
  bool required = false;
  std::optional<long long> min, max;  // int(1..60): the range an int field must lie in
  std::string label;  // Chinese, for the staff form (`field [EVENT.]NAME label=…`)
};

struct ActionSpec {
  std::string name;
  std::string param;  // conclude(withdrawn) -> "withdrawn"
};

struct EventSpec {
  std::string key, label;
  std::vector<std::string> roles;
  std::vector<FieldSpec> fields;
  std::vector<ActionSpec> actions;
  std::string letter;  // letter kind issued, or empty
  // The event records an earlier fact (the day a notice was served): its date may precede the
  // previous event's, though never the fact it completes (checked by its guard).
  bool records_past = false;
  // A numbered or irreversible act (签发, 送达, 归档, 告知补正, 延期): the staff UI shows what it
  // will issue and asks to confirm before recording it.
  bool confirm = false;
  int line = 0;
};

struct StateSpec {
  std::string key, stage, label;
  bool initial = false, concluded = false, final = false;
  int line = 0;
  // 下一步: the role that acts next in this state and what it does (`next=ROLE todo=TEXT`);
  // empty for a state where nobody needs to act.
  std::string next, todo;
};

// One section of 我的待办 (`queue KEY roles=R1,R2 label=TEXT [who=assignee|unassigned]
// [next=ROLE] [overdue] [scope=visible]`): the open cases a user holding one of the roles must
// look at. who=assignee: assigned to the user; who=unassigned: assigned to nobody; next=ROLE: in a
// state whose next step is that role's; overdue: past the reply due date. Own agency only, unless
// scope=visible (the agencies the user supervises too). Most urgent (earliest due) first.
struct QueueSpec {
  enum class Who { anyone, assignee, unassigned };
  std::string key, label;
  std::vector<std::string> roles;
  Who who = Who::anyone;
  std::string next;
  bool overdue = false, visible_scope = false;
  int line = 0;
};

struct Transition {
  std::string from, event, to;  // to == from for a stay (`= .`)
  std::vector<std::string> guards;
  int line = 0;
};

// Which remedy notice a letter carries (domain.md §6): `remedy LETTER[:OUTCOME] [policy=P] rule=R
// [from=DATE] basis=TEXT`. OUTCOME may end in '*' (a prefix) or be absent (any outcome); a line
// with a policy applies only to agencies following that reading (`remedy_policy` lines; the first
// declared is the default); the first line that matches wins; no match means `either`.
struct RemedySpec {
  std::string letter, outcome;  // outcome "" = any
  std::string policy;           // "" = every policy
  std::string rule;             // reconsideration_first | either
  std::optional<Date> from;     // in force for letters dated on or after
  std::string basis;            // the article, for docs and the workflow page
  int line = 0;
};

// Fields an event must carry when another field has a value: `require EVENT FIELD=V1[,V2*]
// fields=F1,F2 [level=form] why=TEXT` (e.g. the reasons of a refusal). Checked with the event's
// own fields, before anything is drafted. Level `event` (the default) binds every caller; level
// `form` binds the staff form, while the API accepts the contract's shorter form and the case
// then lists the elements its reply lacks (missing_elements).
struct Requirement {
  std::string event, field;
  std::vector<std::string> values;  // '*' suffix = prefix
  std::vector<std::string> fields;
  std::string why;    // Chinese, appended to the message
  bool form = false;  // level=form
  int line = 0;
};

// Who may do an action other than recording a case event (an event's roles= is its permission):
// `permission ACTION roles=R1,R2 [scope=visible] label=TEXT` (docs/permissions.md). scope=visible:
// the action reaches only cases of the user's own agency and of the agencies it supervises.
struct Permission {
  std::string action, label;
  std::vector<std::string> roles;
  bool visible_scope = false;
  int line = 0;
};

// The actions the program asks about (app/policy.h): each must have exactly one permission line.
const std::vector<std::string>& permission_actions();

class Workflow {
 public:
  const std::vector<Permission>& permissions() const { return permissions_; }
  const std::vector<QueueSpec>& queues() const { return queues_; }
  // The states whose next step is `role`'s (`next=` of the state lines).
  std::vector<std::string> states_next_for(std::string_view role) const;
  const Permission* permission(std::string_view action) const;
  // The Regulation's text of each article letters quote (domain regulation_quote_keys), by key.
  const std::map<std::string, std::string>& quotes() const { return quotes_; }
  const std::vector<RemedySpec>& remedies() const { return remedies_; }
  const std::vector<Requirement>& requirements() const { return requirements_; }
  // The readings of the remedy rule an agency may follow: key and Chinese label, the default first.
  const std::vector<std::pair<std::string, std::string>>& remedy_policies() const {
    return policies_;
  }
  // The remedy rule for a letter of `kind` about `outcome`, dated `date`, under `policy` ("" = the
  // default; an unknown policy reads as the default).
  std::string remedy_rule(std::string_view kind, std::string_view outcome, const Date& date,
                          std::string_view policy = "") const;
  const std::vector<std::pair<std::string, std::string>>& stages() const { return stages_; }
  const std::vector<StateSpec>& states() const { return states_; }
  const std::vector<EventSpec>& events() const { return events_; }
  const std::vector<Transition>& transitions() const { return transitions_; }

  const StateSpec* state(std::string_view key) const;
  const EventSpec* event(std::string_view key) const;
  const Transition* find(std::string_view from, std::string_view event) const;
  const std::string& initial_state() const { return initial_; }
  std::string stage_label(std::string_view stage) const;

  // Graphviz rendering of the state diagram.
  // Graphviz DOT (diagram.cpp): dot() the technical graph (every transition, guards by code);
  // diagram_dot() the one people read (labels in Chinese only, an event that stays in its state
  // listed in the box, an event open from many states noted once at its target).
  std::string dot() const;
  std::string diagram_dot() const;

 private:
  friend Result<Workflow> parse_workflow(std::string_view, const std::string&);
  std::vector<std::pair<std::string, std::string>> stages_;
  std::vector<StateSpec> states_;
  std::vector<EventSpec> events_;
  std::vector<Transition> transitions_;
  std::vector<RemedySpec> remedies_;
  std::vector<Requirement> requirements_;
  std::map<std::string, std::string> quotes_;
  std::vector<Permission> permissions_;
  std::vector<QueueSpec> queues_;
  std::vector<std::pair<std::string, std::string>> policies_;
  std::string initial_;
};

// A `queue` line's spec, or the problem with it (workflow/queues.cpp).
Result<QueueSpec> parse_queue(const std::vector<std::string>& words,
                              const std::map<std::string, std::string>& attrs,
                              const std::set<std::string>& flags);

// Parses and validates; on failure the error lists every problem as "source:line: ...".
Result<Workflow> parse_workflow(std::string_view text, const std::string& source);

}  // namespace ogi
