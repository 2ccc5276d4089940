#include "workflow/definition.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "domain/codes.h"
#include "domain/letters.h"
#include "domain/rules.h"

namespace ogi {

namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(sep, i);
    if (j == s.npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  std::istringstream in{std::string(line)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool is_key(std::string_view k) {
  if (k.empty()) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

constexpr std::string_view kFieldTypes[] = {"text", "int", "list", "date", "ref"};

}  // namespace

const StateSpec* Workflow::state(std::string_view key) const {
  for (auto& s : states_)
    if (s.key == key) return &s;
  return nullptr;
}
const EventSpec* Workflow::event(std::string_view key) const {
  for (auto& e : events_)
    if (e.key == key) return &e;
  return nullptr;
}
const Transition* Workflow::find(std::string_view from, std::string_view event) const {
  for (auto& t : transitions_)
    if (t.from == from && t.event == event) return &t;
  return nullptr;
}
std::string Workflow::stage_label(std::string_view stage) const {
  for (auto& [k, l] : stages_)
    if (k == stage) return l;
  return {};
}

const std::vector<std::string>& permission_actions() {
  static const std::vector<std::string> a = {
      "case.read",     "case.attach",     "letter.read",     "letter.reissue",
      "template.read", "template.edit",   "user.admin",      "agency.read",
      "agency.admin",  "calendar.import", "calendar.notice", "report.read",
      "report.lock",   "audit.read",      "audit.read_all",  "case.assign"};
  return a;
}

const Permission* Workflow::permission(std::string_view action) const {
  for (auto& p : permissions_)
    if (p.action == action) return &p;
  return nullptr;
}

std::string Workflow::remedy_rule(std::string_view kind, std::string_view outcome, const Date& date,
                                  std::string_view policy) const {
  bool known = false;
  for (auto& p : policies_) known |= p.first == policy;
  if (!known)
    policy = policies_.empty() ? std::string_view() : std::string_view(policies_.front().first);
  for (auto& r : remedies_) {
    if (r.letter != kind) continue;
    if (!r.policy.empty() && r.policy != policy) continue;
    if (!r.outcome.empty()) {
      const bool prefix = r.outcome.back() == '*';
      const std::string_view want =
          prefix ? std::string_view(r.outcome).substr(0, r.outcome.size() - 1) : r.outcome;
      if (prefix ? !outcome.starts_with(want) : outcome != want) continue;
    }
    if (r.from && date < *r.from) continue;
    return r.rule;
  }
  return "either";
}

Result<Workflow> parse_workflow(std::string_view text, const std::string& source) {
  Workflow w;
  std::vector<std::string> problems;
  std::map<std::string, std::pair<std::string, int>> field_labels;  // key → (label, line)
  auto problem = [&](int line, const std::string& msg) {
    problems.push_back(source + ":" + std::to_string(line) + ": " + msg);
  };
  int lineno = 0;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    ++lineno;
    if (auto h = line.find('#'); h != line.npos) line.erase(h);
    auto ws = words(line);
    if (ws.empty()) continue;
    const std::string kw = ws[0];
    std::map<std::string, std::string> attrs;
    std::set<std::string> flags;
    auto read_attrs = [&](size_t from) {
      for (size_t i = from; i < ws.size(); ++i) {
        auto eq = ws[i].find('=');
        if (eq == std::string::npos)
          flags.insert(ws[i]);
        else
          attrs[ws[i].substr(0, eq)] = ws[i].substr(eq + 1);
      }
    };
    if (kw == "stage") {
      read_attrs(2);
      if (ws.size() < 2 || !is_key(ws[1])) {
        problem(lineno, "stage needs a snake_case key");
        continue;
      }
      if (attrs["label"].empty()) problem(lineno, "stage " + ws[1] + " has no label");
      w.stages_.emplace_back(ws[1], attrs["label"]);
    } else if (kw == "state") {
      read_attrs(2);
      if (ws.size() < 2 || !is_key(ws[1])) {
        problem(lineno, "state needs a snake_case key");
        continue;
      }
      StateSpec s{ws[1],
                  attrs["stage"],
                  attrs["label"],
                  flags.count("initial") > 0,
                  flags.count("concluded") > 0,
                  flags.count("final") > 0,
                  lineno,
                  attrs["next"],
                  attrs["todo"]};
      if (!s.next.empty() && !is_code(roles(), s.next))
        problem(lineno, "unknown role '" + s.next + "' in next= of state " + s.key);
      if (s.next.empty() != s.todo.empty())
        problem(lineno, "state " + s.key + ": next= and todo= go together");
      for (auto& f : flags)
        if (f != "initial" && f != "concluded" && f != "final")
          problem(lineno, "unknown state flag '" + f + "'");
      if (s.label.empty()) problem(lineno, "state " + s.key + " has no label");
      if (w.state(s.key)) problem(lineno, "state " + s.key + " defined twice");
      w.states_.push_back(s);
    } else if (kw == "event") {
      read_attrs(2);
      if (ws.size() < 2 || !is_key(ws[1])) {
        problem(lineno, "event needs a snake_case key");
        continue;
      }
      EventSpec e;
      e.key = ws[1];
      e.line = lineno;
      e.label = attrs["label"];
      e.roles = split(attrs["roles"], ',');
      e.letter = attrs["letter"];
      for (auto& f : flags)
        if (f == "records_past")
          e.records_past = true;
        else if (f == "confirm")
          e.confirm = true;
        else
          problem(lineno, "unexpected word '" + f + "' in event " + e.key);
      for (auto& [k, v] : attrs)
        if (k != "label" && k != "roles" && k != "letter" && k != "fields" && k != "actions")
          problem(lineno, "unknown event attribute '" + k + "'");
      for (auto& spec : split(attrs["fields"], ',')) {
        FieldSpec fs;
        auto colon = spec.find(':');
        fs.name = spec.substr(0, colon);
        std::string type = colon == spec.npos ? "text" : spec.substr(colon + 1);
        if (!type.empty() && type.back() == '!') {
          fs.required = true;
          type.pop_back();
        }
        if (type.rfind("int(", 0) == 0 && type.back() == ')') {  // int(1..60)
          const std::string range = type.substr(4, type.size() - 5);
          const auto dots = range.find("..");
          try {
            if (dots == std::string::npos) throw std::invalid_argument(range);
            fs.min = std::stoll(range.substr(0, dots));
            fs.max = std::stoll(range.substr(dots + 2));
            if (*fs.min > *fs.max) throw std::invalid_argument(range);
          } catch (const std::exception&) {
            problem(lineno, "bad range '" + range + "' for " + fs.name + " (int(MIN..MAX))");
          }
          fs.type = "int";
        } else if (type.rfind("code(", 0) == 0 && type.back() == ')') {
          fs.type = "code";
          fs.table = type.substr(5, type.size() - 6);
          if (code_table(fs.table).empty())
            problem(lineno, "unknown code table '" + fs.table + "'");
        } else {
          fs.type = type;
          bool known = false;
          for (auto t : kFieldTypes) known |= (t == type);
          if (!known) problem(lineno, "unknown field type '" + type + "' for " + fs.name);
        }
        if (!is_key(fs.name) || fs.name == "on" || fs.name == "event")
          problem(lineno, "bad field name '" + fs.name + "'");
        e.fields.push_back(fs);
      }
      for (auto& spec : split(attrs["actions"], ',')) {
        ActionSpec a;
        auto paren = spec.find('(');
        a.name = spec.substr(0, paren);
        if (paren != spec.npos) a.param = spec.substr(paren + 1, spec.size() - paren - 2);
        if (!is_known_action(a.name)) problem(lineno, "unknown action '" + a.name + "'");
        if (a.name == "conclude" && !find_outcome(a.param))
          problem(lineno, "conclude needs an outcome code, got '" + a.param + "'");
        e.actions.push_back(a);
      }
      if (e.label.empty()) problem(lineno, "event " + e.key + " has no label");
      if (e.roles.empty()) problem(lineno, "event " + e.key + " names no roles");
      for (auto& r : e.roles)
        if (!is_code(roles(), r)) problem(lineno, "unknown role '" + r + "' in event " + e.key);
      if (!e.letter.empty() && !is_code(letter_kinds(), e.letter))
        problem(lineno, "unknown letter '" + e.letter + "' in event " + e.key);
      if (w.event(e.key)) problem(lineno, "event " + e.key + " defined twice");
      w.events_.push_back(e);
    } else if (kw == "transition") {
      // transition FROM[,FROM] + EVENT [GUARD,...] = TO
      std::string rest = line.substr(line.find("transition") + 10);
      auto plus = rest.find('+'), eq = rest.rfind('=');
      if (plus == rest.npos || eq == rest.npos || eq < plus) {
        problem(lineno, "expected 'transition FROM + EVENT [GUARDS] = TO'");
        continue;
      }
      auto froms = words(rest.substr(0, plus));
      std::string mid = rest.substr(plus + 1, eq - plus - 1);
      std::vector<std::string> guards;
      if (auto lb = mid.find('['); lb != mid.npos) {
        auto rb = mid.find(']', lb);
        if (rb == mid.npos) {
          problem(lineno, "unclosed '['");
          continue;
        }
        guards = split(mid.substr(lb + 1, rb - lb - 1), ',');
        mid = mid.substr(0, lb);
      }
      auto ev = words(mid), to = words(rest.substr(eq + 1));
      if (froms.size() != 1 || ev.size() != 1 || to.size() != 1) {
        problem(lineno, "expected 'transition FROM + EVENT [GUARDS] = TO'");
        continue;
      }
      for (auto& g : guards)
        if (!is_known_guard(g)) problem(lineno, "unknown guard '" + g + "'");
      for (auto& from : split(froms[0], ',')) {
        Transition t{from, ev[0], to[0] == "." ? from : to[0], guards, lineno};
        if (w.find(t.from, t.event))
          problem(lineno, "second transition for " + t.from + " + " + t.event);
        w.transitions_.push_back(t);
      }
    } else if (kw == "remedy") {
      read_attrs(2);
      RemedySpec r;
      r.line = lineno;
      std::string target = ws.size() > 1 ? ws[1] : "";
      auto colon = target.find(':');
      r.letter = target.substr(0, colon);
      if (colon != target.npos) r.outcome = target.substr(colon + 1);
      r.rule = attrs["rule"];
      r.basis = attrs["basis"];
      r.policy = attrs["policy"];
      if (!is_code(letter_kinds(), r.letter))
        problem(lineno, "unknown letter '" + r.letter + "' in remedy");
      if (r.rule != "reconsideration_first" && r.rule != "either")
        problem(lineno, "remedy rule must be reconsideration_first or either");
      if (!r.outcome.empty() && r.outcome.back() != '*' && !find_outcome(r.outcome))
        problem(lineno, "unknown outcome '" + r.outcome + "' in remedy");
      if (!attrs["from"].empty()) {
        if (auto d = parse_date(attrs["from"], "from"))
          r.from = *d;
        else
          problem(lineno, "bad date '" + attrs["from"] + "'");
      }
      if (r.basis.empty()) problem(lineno, "remedy line needs basis=");
      w.remedies_.push_back(r);
    } else if (kw == "permission") {
      read_attrs(2);
      Permission p;
      p.line = lineno;
      p.action = ws.size() > 1 ? ws[1] : "";
      p.label = attrs["label"];
      p.roles = split(attrs["roles"], ',');
      p.visible_scope = attrs["scope"] == "visible";
      const auto& known = permission_actions();
      if (std::find(known.begin(), known.end(), p.action) == known.end())
        problem(lineno, "unknown permission '" + p.action + "'");
      else if (w.permission(p.action))
        problem(lineno, "second permission " + p.action);
      if (p.label.empty()) problem(lineno, "permission " + p.action + " has no label");
      if (p.roles.empty()) problem(lineno, "permission " + p.action + " names no roles");
      for (auto& r : p.roles)
        if (!is_code(roles(), r))
          problem(lineno, "unknown role '" + r + "' in permission " + p.action);
      if (!attrs["scope"].empty() && attrs["scope"] != "visible")
        problem(lineno, "permission scope must be visible (or absent)");
      w.permissions_.push_back(p);
    } else if (kw == "queue") {
      read_attrs(2);
      auto q = parse_queue(ws, attrs, flags);
      if (!q)
        problem(lineno, q.error().message);
      else if (std::any_of(w.queues_.begin(), w.queues_.end(),
                           [&](auto& x) { return x.key == q->key; }))
        problem(lineno, "second queue " + q->key);
      else {
        q->line = lineno;
        w.queues_.push_back(*q);
      }
    } else if (kw == "remedy_policy") {
      read_attrs(2);
      if (ws.size() < 2 || !is_key(ws[1])) {
        problem(lineno, "remedy_policy needs a snake_case key");
        continue;
      }
      if (attrs["label"].empty()) problem(lineno, "remedy_policy " + ws[1] + " has no label");
      w.policies_.emplace_back(ws[1], attrs["label"]);
    } else if (kw == "field") {  // field [EVENT.]NAME label=TEXT: the form's label of a field
      read_attrs(2);
      const std::string key = ws.size() > 1 ? ws[1] : "";
      if (key.empty() || attrs["label"].empty())
        problem(lineno, "expected 'field [EVENT.]NAME label=TEXT'");
      else if (!field_labels.emplace(key, std::make_pair(attrs["label"], lineno)).second)
        problem(lineno, "second label for field " + key);
    } else if (kw == "quote") {
      read_attrs(2);
      const std::string key = ws.size() > 1 ? ws[1] : "";
      const auto& keys = regulation_quote_keys();
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        problem(lineno, "unknown quote '" + key + "'");
      else if (attrs["text"].empty())
        problem(lineno, "quote " + key + " needs text=");
      else if (!w.quotes_.emplace(key, attrs["text"]).second)
        problem(lineno, "second quote " + key);
    } else if (kw == "require") {
      read_attrs(2);
      Requirement q;
      q.line = lineno;
      q.event = ws.size() > 1 ? ws[1] : "";
      for (auto& [k, v] : attrs)
        if (k == "fields")
          q.fields = split(v, ',');
        else if (k == "why")
          q.why = v;
        else if (k == "level") {
          if (v != "event" && v != "form") problem(lineno, "require level must be event or form");
          q.form = v == "form";
        } else {
          q.field = k;
          q.values = split(v, ',');
        }
      if (q.field.empty() || q.values.empty() || q.fields.empty())
        problem(lineno, "expected 'require EVENT FIELD=VALUES fields=F1,F2'");
      w.requirements_.push_back(q);
    } else {
      problem(lineno, "unknown statement '" + kw + "'");
    }
  }

  // Whole-file checks.
  // Every field of every event has one label (its event's own, or the field name's); every
  // label line labels something.
  std::set<std::string> labels_used;
  for (auto& e : w.events_)
    for (auto& f : e.fields) {
      for (const std::string& key : {e.key + "." + f.name, f.name})
        if (auto it = field_labels.find(key); it != field_labels.end()) {
          f.label = it->second.first;
          labels_used.insert(key);
          break;
        }
      if (f.label.empty())
        problem(e.line, "field " + f.name + " of event " + e.key + " has no label (field " +
                            f.name + " label=…)");
    }
  for (auto& [key, v] : field_labels)
    if (!labels_used.count(key)) problem(v.second, "field label " + key + " labels no field");
  int initials = 0;
  for (auto& s : w.states_) {
    if (s.initial) {
      ++initials;
      w.initial_ = s.key;
    }
    if (w.stage_label(s.stage).empty())
      problem(s.line, "state " + s.key + " has unknown stage '" + s.stage + "'");
  }
  if (initials != 1)
    problems.push_back(source + ": exactly one state must be 'initial' (found " +
                       std::to_string(initials) + ")");
  for (auto& t : w.transitions_) {
    if (!w.state(t.from)) problem(t.line, "unknown state '" + t.from + "'");
    if (!w.state(t.to)) problem(t.line, "unknown state '" + t.to + "'");
    if (!w.event(t.event)) problem(t.line, "event '" + t.event + "' has no definition");
    if (auto* s = w.state(t.from); s && s->final && t.to != t.from)
      problem(t.line, "final state " + t.from + " has an exit to " + t.to);
    if (auto* a = w.state(t.from), *b = w.state(t.to); a && b && a->concluded && !b->concluded)
      problem(t.line, "concluded state " + t.from + " leads back to open state " + t.to);
  }
  for (auto& e : w.events_) {
    bool used = false;
    for (auto& t : w.transitions_) used |= t.event == e.key;
    if (!used) problem(e.line, "event " + e.key + " has no transition");
  }
  for (auto& q : w.requirements_) {
    const EventSpec* e = w.event(q.event);
    if (!e) {
      problem(q.line, "require: unknown event '" + q.event + "'");
      continue;
    }
    auto has = [&](const std::string& n) {
      for (auto& f : e->fields)
        if (f.name == n) return true;
      return false;
    };
    if (!has(q.field)) problem(q.line, "require: event " + q.event + " has no field " + q.field);
    for (auto& f : q.fields)
      if (!has(f)) problem(q.line, "require: event " + q.event + " has no field " + f);
  }
  for (auto& r : w.remedies_) {
    bool known = r.policy.empty();
    for (auto& p : w.policies_) known |= p.first == r.policy;
    if (!known) problem(r.line, "unknown remedy_policy '" + r.policy + "' (declare it before use)");
  }
  for (auto& a : permission_actions())
    if (!w.permission(a)) problem(0, "no permission line for " + a);
  for (auto& q : w.queues_)
    if (!q.next.empty() && w.states_next_for(q.next).empty())
      problem(q.line, "queue " + q.key + ": no state has next=" + q.next);
  for (auto& k : regulation_quote_keys())
    if (!w.quotes_.count(k))
      problem(0, "no quote " + k + " (the Regulation's text of the article)");
  // Reachability from the initial state.
  if (!w.initial_.empty()) {
    std::set<std::string> seen{w.initial_};
    for (bool grew = true; grew;) {
      grew = false;
      for (auto& t : w.transitions_)
        if (seen.count(t.from) && !seen.count(t.to)) {
          seen.insert(t.to);
          grew = true;
        }
    }
    for (auto& s : w.states_)
      if (!seen.count(s.key)) problem(s.line, "state " + s.key + " is unreachable");
  }
  // Every non-final state must have a way forward; every final state must be concluded.
  for (auto& s : w.states_) {
    bool exits = false;
    for (auto& t : w.transitions_) exits |= (t.from == s.key && t.to != s.key);
    if (!s.final && !exits)
      problem(s.line, "state " + s.key + " is a dead end but not marked final");
    if (s.final && !s.concluded) problem(s.line, "final state " + s.key + " must be concluded");
  }
  if (!problems.empty()) {
    std::string msg;
    for (auto& p : problems) msg += (msg.empty() ? "" : "\n") + p;
    return make_error(Code::invalid, msg);
  }
  return w;
}

}  // namespace ogi
