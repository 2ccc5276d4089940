#include "workflow/engine.h"

#include <algorithm>

#include "domain/codes.h"
#include "domain/rules.h"

namespace ogi {

bool Actor::has_any(const std::vector<std::string>& wanted) const {
  for (auto& r : roles)
    if (std::find(wanted.begin(), wanted.end(), r) != wanted.end()) return true;
  return false;
}

namespace {

Status check_fields(const EventSpec& spec, const Fields& fields) {
  for (auto& [name, value] : fields) {
    const std::string& key = name;  // clang 14 cannot capture a structured binding
    auto it = std::find_if(spec.fields.begin(), spec.fields.end(),
                           [&](auto& f) { return f.name == key; });
    if (it == spec.fields.end())
      return make_error(Code::invalid, name + ": 事件“" + spec.label + "”没有这一字段", name);
  }
  for (auto& f : spec.fields) {
    auto it = fields.find(f.name);
    bool present = it != fields.end() && !std::holds_alternative<std::monostate>(it->second);
    if (!present) {
      if (f.required) return make_error(Code::invalid, f.name + ": 必须填写", f.name);
      continue;
    }
    const FieldValue& v = it->second;
    auto bad = [&](const std::string& what) {
      return make_error(Code::invalid, f.name + ": " + what, f.name);
    };
    if (f.type == "text" || f.type == "code" || f.type == "date") {
      auto* s = std::get_if<std::string>(&v);
      if (!s) return bad("应为文字");
      if (f.required && s->empty()) return bad("必须填写");
      if (s->size() > 20000) return bad("内容过长");
      if (f.type == "code" && !is_code(code_table(f.table), *s))
        return bad("未知代码“" + *s + "”，可选：" + list_codes(code_table(f.table)));
      if (f.type == "date") {
        auto d = parse_date(*s, f.name);
        if (!d) return d.error();
      }
    } else if (f.type == "int" || f.type == "ref") {
      auto* n = std::get_if<long long>(&v);
      if (!n) return bad("应为整数");
      if (*n < 0 || (f.type == "ref" && *n == 0)) return bad("数值无效");
      if ((f.min && *n < *f.min) || (f.max && *n > *f.max))
        return bad("应为" + std::to_string(f.min.value_or(0)) + "至" +
                   std::to_string(f.max.value_or(*n)) + "之间的整数");
    } else if (f.type == "list") {
      auto* l = std::get_if<std::vector<std::string>>(&v);
      if (!l) return bad("应为文字列表");
      if (f.required && l->empty()) return bad("至少列出一项");
      for (auto& s : *l)
        if (s.empty()) return bad("列表中有空项");
    }
  }
  return {};
}

bool matches(const std::vector<std::string>& values, const std::string& v) {
  for (auto& x : values)
    if (!x.empty() && x.back() == '*' ? v.starts_with(x.substr(0, x.size() - 1)) : v == x)
      return true;
  return false;
}

// Only spaces, control characters or ideographic spaces (U+3000).
bool blank(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) <= ' ') {
      ++i;
      continue;
    }
    if (s.compare(i, 3, "\xE3\x80\x80") == 0) {
      i += 3;
      continue;
    }
    return false;
  }
  return true;
}

// The workflow's `require` lines: fields an event must carry for a given value of another field.
// The requirements of `spec` that `fields` leave unmet (form-level ones only when `complete`).
std::vector<MissingElement> unmet(const Workflow& wf, const EventSpec& spec, const Fields& fields,
                                  bool complete) {
  std::vector<MissingElement> out;
  for (auto& q : wf.requirements()) {
    if (q.event != spec.key || (q.form && !complete)) continue;
    const std::string* v = field_string(fields, q.field);
    if (!v || !matches(q.values, *v)) continue;
    std::string label = *v;
    for (auto& f : spec.fields)
      if (f.name == q.field && f.type == "code")
        label = std::string(label_of(code_table(f.table), *v));
    for (auto& name : q.fields) {
      auto it = fields.find(name);
      bool present = false;
      if (it != fields.end()) {
        if (auto* s = std::get_if<std::string>(&it->second))
          present = !blank(*s);
        else if (auto* l = std::get_if<std::vector<std::string>>(&it->second))
          present = !l->empty();
        else
          present = !std::holds_alternative<std::monostate>(it->second);
      }
      if (!present)
        out.push_back({name, "“" + label + "”须写明" + (q.why.empty() ? "此项" : q.why)});
    }
  }
  return out;
}

Status check_requirements(const Workflow& wf, const EventSpec& spec, const Fields& fields,
                          bool complete) {
  auto missing = unmet(wf, spec, fields, complete);
  if (missing.empty()) return {};
  return make_error(Code::invalid, missing.front().field + ": " + missing.front().message,
                    missing.front().field);
}

// Applies spec's actions and transition to c (no checks).
Status apply_unchecked(const Workflow& wf, Case& c, const CaseEvent& ev) {
  const EventSpec* spec = wf.event(ev.event);
  const Transition* t = spec ? wf.find(c.derived.state, ev.event) : nullptr;
  if (!t)
    return make_error(Code::internal,
                      "event " + ev.event + " cannot be replayed in state " + c.derived.state);
  for (auto& a : spec->actions)
    if (Status s = apply_action(a.name, a.param, c, ev); !s) return s;
  c.derived.state = t->to;
  return {};
}

// The event that leaves the initial state opens a case: it is recorded by registration (with the
// case itself), never as an event on a case.
bool opens_case(const Workflow& wf, const std::string& event) {
  for (auto& t : wf.transitions()) {
    const auto* from = wf.state(t.from);
    if (t.event == event && from && from->initial) return true;
  }
  return false;
}

}  // namespace

Result<Case> apply_event(const Context& ctx, const Case& c, const EventRequest& req,
                         const Actor& actor) {
  const Workflow& wf = ctx.workflow;
  const EventSpec* spec = wf.event(req.event);
  if (!spec || opens_case(wf, req.event))
    return make_error(Code::invalid, "event: 未知事件“" + req.event + "”", "event");
  if (!actor.has_any(spec->roles)) {
    std::string who;
    for (auto& r : spec->roles)
      who += (who.empty() ? "" : "、") + std::string(label_of(roles(), r));
    return make_error(Code::forbidden, "“" + spec->label + "”只能由" + who + "办理");
  }
  const Transition* t = wf.find(c.derived.state, req.event);
  if (!t) {
    auto* st = wf.state(c.derived.state);
    return make_error(Code::not_allowed, "案件当前状态为“" + (st ? st->label : c.derived.state) +
                                             "”，不能办理“" + spec->label + "”");
  }
  if (Status s = check_fields(*spec, req.fields); !s) return s.error();
  if (Status s = check_requirements(wf, *spec, req.fields, req.complete); !s) return s.error();

  const Date today = ctx.clock.today();
  CaseEvent ev;
  ev.event = req.event;
  ev.on = req.on.value_or(today);
  ev.fields = req.fields;
  ev.by = actor.username;
  ev.at = ctx.clock.now_timestamp();
  if (ev.on > today)
    return make_error(Code::invalid, "on: " + format_date(ev.on) + " 晚于今天，不能登记将来的事件",
                      "on");
  if (ev.on < c.received_on)
    return make_error(
        Code::invalid,
        "on: " + format_date(ev.on) + " 早于收到申请日期 " + format_date(c.received_on), "on");
  // The latest date so far (an event recording an earlier fact may sit before its predecessor).
  std::optional<Date> latest;
  for (auto& e : c.events)
    if (!latest || e.on > *latest) latest = e.on;
  if (!spec->records_past && latest && ev.on < *latest)
    return make_error(Code::invalid,
                      "on: " + format_date(ev.on) + " 早于上一事件日期 " + format_date(*latest),
                      "on");

  for (auto& g : t->guards)
    if (Status s = check_guard(g, ctx.calendar, c, ev, ctx.settings); !s) return s.error();

  Case next = c;
  if (Status s = apply_unchecked(wf, next, ev); !s) return s.error();
  next.events.push_back(std::move(ev));
  return next;
}

Status fold(const Context& ctx, Case& c) {
  // A correction may have rewritten the content: replay from the registered text.
  if (!c.derived.registered_content.empty()) c.content = c.derived.registered_content;
  c.derived = CaseState{};
  c.derived.state = ctx.workflow.initial_state();
  for (auto& ev : c.events)
    if (Status s = apply_unchecked(ctx.workflow, c, ev); !s) return s;
  return {};
}

std::vector<const EventSpec*> allowed_events(const Context& ctx, const Case& c,
                                             const Actor& actor) {
  std::vector<const EventSpec*> out;
  CaseEvent probe;
  probe.on = ctx.clock.today();
  for (const Transition& t : ctx.workflow.transitions()) {
    if (t.from != c.derived.state) continue;
    const EventSpec* e = ctx.workflow.event(t.event);
    if (!e || !actor.has_any(e->roles)) continue;
    probe.event = e->key;
    bool ok = true;
    for (auto& g : t.guards) {
      if (g == "consultation_open") {
        ok = std::any_of(c.derived.consultations.begin(), c.derived.consultations.end(),
                         [](auto& k) { return !k.replied_on; });
      } else if (g == "remedy_open") {
        ok = std::any_of(c.derived.remedies.begin(), c.derived.remedies.end(),
                         [](auto& r) { return !r.decided_on; });
      } else if (g == "outcome_allowed" || g == "fee_amount_known") {
        continue;  // depends on the fields to be entered
      } else {
        ok = check_guard(g, ctx.calendar, c, probe, ctx.settings).ok();
      }
      if (!ok) break;
    }
    if (ok) out.push_back(e);
  }
  return out;
}

std::vector<MissingElement> missing_elements(const Workflow& wf, const Case& c) {
  const EventSpec* spec = wf.event("decide");
  if (!spec || c.derived.state != "decided") return {};  // before the reply is issued
  for (auto it = c.events.rbegin(); it != c.events.rend(); ++it)
    if (it->event == "decide") return unmet(wf, *spec, it->fields, true);
  return {};
}

}  // namespace ogi
