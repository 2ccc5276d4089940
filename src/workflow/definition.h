#pragma once
// The lifecycle as data (workflow/lifecycle.wf): stages, states, events and transitions.
// parse_workflow() reads and validates a file; a Workflow that exists is known to be sound
// (every state reachable, final states without exits, every guard/action/letter/role known).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ogi {

struct FieldSpec {
  std::string name;
  std::string type;   // text | int | list | date | ref | code
  std::string table;  // for code(TABLE)
  bool required = false;
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
  int line = 0;
};

struct StateSpec {
  std::string key, stage, label;
  bool initial = false, concluded = false, final = false;
  int line = 0;
};

struct Transition {
  std::string from, event, to;  // to == from for a stay (`= .`)
  std::vector<std::string> guards;
  int line = 0;
};

class Workflow {
 public:
  const std::vector<std::pair<std::string, std::string>>& stages() const { return stages_; }
  const std::vector<StateSpec>& states() const { return states_; }
  const std::vector<EventSpec>& events() const { return events_; }
  const std::vector<Transition>& transitions() const { return transitions_; }

  const StateSpec* state(std::string_view key) const;
  const EventSpec* event(std::string_view key) const;
  const Transition* find(std::string_view from, std::string_view event) const;
  const std::string& initial_state() const { return initial_; }
  std::string stage_label(std::string_view stage) const;
  // Events with a transition out of `state` (for "what can I do now").
  std::vector<const EventSpec*> events_from(std::string_view state) const;

  // Graphviz rendering of the state diagram.
  std::string dot() const;

 private:
  friend Result<Workflow> parse_workflow(std::string_view, const std::string&);
  std::vector<std::pair<std::string, std::string>> stages_;
  std::vector<StateSpec> states_;
  std::vector<EventSpec> events_;
  std::vector<Transition> transitions_;
  std::string initial_;
};

// Parses and validates; on failure the error lists every problem as "source:line: ...".
Result<Workflow> parse_workflow(std::string_view text, const std::string& source);

}  // namespace ogi
