#include "api/case_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <sstream>

#include "app/queues.h"
#include "domain/identity.h"

namespace ogi {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

Result<Object::Ptr> parse_object(const std::string& body) {
  try {
    Poco::JSON::Parser p;
    Var v = p.parse(body);
    if (v.type() != typeid(Object::Ptr)) return make_error(Code::malformed, "请求体应为 JSON 对象");
    return v.extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return make_error(Code::malformed, "请求体不是有效的 JSON：" + e.message());
  }
}

// A string member, or error when present with another type. Absent or null -> "".
Result<std::string> get_string(const Object::Ptr& o, const std::string& key,
                               const std::string& path) {
  if (!o->has(key) || o->isNull(key)) return std::string();
  Var v = o->get(key);
  if (!v.isString()) return make_error(Code::invalid, path + ": 应为字符串", path);
  return v.convert<std::string>();
}

Var nullable_date(const std::optional<Date>& d) { return d ? Var(format_date(*d)) : Var(); }

}  // namespace

Result<RegistrationRequest> parse_registration(const std::string& body) {
  auto o = parse_object(body);
  if (!o) return o.error();
  RegistrationRequest r;
  struct S {
    const char* key;
    std::string* out;
  };
  for (S s : {S{"agency", &r.agency}, S{"channel", &r.channel}, S{"received_on", &r.received_on},
              S{"content", &r.content}, S{"form", &r.form}, S{"delivery", &r.delivery},
              S{"assignee", &r.assignee}}) {
    auto v = get_string(*o, s.key, s.key);
    if (!v) return v.error();
    *s.out = *v;
  }
  if (!(*o)->has("applicant") || (*o)->isNull("applicant"))
    return make_error(Code::invalid, "applicant: 必须填写申请人信息", "applicant");
  Var av = (*o)->get("applicant");
  if (av.type() != typeid(Object::Ptr))
    return make_error(Code::invalid, "applicant: 应为对象", "applicant");
  auto a = av.extract<Object::Ptr>();
  Applicant& ap = r.applicant;
  for (S s : {S{"type", &ap.type}, S{"name", &ap.name}, S{"id_type", &ap.id_type},
              S{"id_number", &ap.id_number}, S{"credit_code", &ap.credit_code},
              S{"phone", &ap.phone}, S{"address", &ap.address}, S{"email", &ap.email}}) {
    auto v = get_string(a, s.key, std::string("applicant.") + s.key);
    if (!v) return v.error();
    *s.out = *v;
  }
  return r;
}

Result<EventRequest> parse_event(const std::string& body) {
  auto o = parse_object(body);
  if (!o) return o.error();
  EventRequest req;
  auto ev = get_string(*o, "event", "event");
  if (!ev) return ev.error();
  if (ev->empty()) return make_error(Code::invalid, "event: 必须指明事件", "event");
  req.event = *ev;
  auto on = get_string(*o, "on", "on");
  if (!on) return on.error();
  if (!on->empty()) {
    auto d = parse_date(*on, "on");
    if (!d) return d.error();
    req.on = *d;
  }
  for (auto& [k, v] : **o) {
    if (k == "event" || k == "on" || v.isEmpty()) continue;
    if (v.type() == typeid(bool)) {
      req.fields[k] = v.extract<bool>();
    } else if (v.isInteger()) {
      req.fields[k] = static_cast<long long>(v.convert<Poco::Int64>());
    } else if (v.isNumeric()) {
      double d = v.convert<double>();
      if (d != std::floor(d) || std::fabs(d) > 1e15)
        return make_error(Code::invalid, k + ": 应为整数", k);
      req.fields[k] = static_cast<long long>(d);
    } else if (v.isString()) {
      req.fields[k] = v.convert<std::string>();
    } else if (v.type() == typeid(Array::Ptr)) {
      std::vector<std::string> list;
      for (auto& x : *v.extract<Array::Ptr>()) {
        if (!x.isString()) return make_error(Code::invalid, k + ": 列表中应为字符串", k);
        list.push_back(x.convert<std::string>());
      }
      req.fields[k] = list;
    } else {
      return make_error(Code::invalid, k + ": 不支持的取值类型", k);
    }
  }
  return req;
}

std::string case_json(const CaseView& v, const Workflow& wf, const CaseJsonOptions& opt) {
  const Case& c = v.c;
  const CaseState& s = c.derived;
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("id", static_cast<Poco::Int64>(c.id));
  o.set("number", c.number);
  o.set("agency", c.agency);
  o.set("state", s.state);
  if (auto* st = wf.state(s.state)) {
    o.set("state_label", st->label);
    o.set("stage", st->stage);
    o.set("stage_label", wf.stage_label(st->stage));
  }
  o.set("version", static_cast<Poco::Int64>(c.version));
  Object a(Poco::JSON_PRESERVE_KEY_ORDER);
  const Applicant& ap = c.applicant;
  a.set("type", ap.type);
  a.set("name", ap.name);
  if (!ap.id_type.empty()) a.set("id_type", ap.id_type);
  if (!ap.id_number.empty())
    a.set("id_number", opt.mask_personal ? mask_id(ap.id_number) : ap.id_number);
  if (!ap.credit_code.empty()) a.set("credit_code", ap.credit_code);
  if (!ap.phone.empty()) a.set("phone", opt.mask_personal ? mask_phone(ap.phone) : ap.phone);
  if (!ap.address.empty()) a.set("address", ap.address);
  if (!ap.email.empty()) a.set("email", ap.email);
  o.set("applicant", a);
  o.set("channel", c.channel);
  o.set("received_on", format_date(c.received_on));
  o.set("content", c.content);
  o.set("form", c.form.empty() ? Var() : Var(c.form));
  o.set("delivery", c.delivery.empty() ? Var() : Var(c.delivery));
  const ClockView& k = v.clock;
  o.set("due_on", nullable_date(k.due_on));
  if (!k.due_on || k.provisional) o.set("due_note", k.due_note);
  o.set("due_provisional", k.provisional);
  o.set("due_explanation", k.explanation);
  o.set("start_on", nullable_date(k.start_on));
  o.set("days_left", k.days_left ? Var(*k.days_left) : Var());
  o.set("overdue", k.overdue);
  o.set("extended", s.extended_on.has_value());
  if (s.correction_requested_on) {
    Object cor(Poco::JSON_PRESERVE_KEY_ORDER);
    cor.set("requested_on", format_date(*s.correction_requested_on));
    cor.set("days", s.correction_days);
    cor.set("served_on", s.correction_served ? Var(format_date(s.correction_served->on)) : Var());
    cor.set("received_on", nullable_date(s.correction_received_on));
    o.set("correction", cor);
  }
  if (s.fee_notice_on) {
    Object fee(Poco::JSON_PRESERVE_KEY_ORDER);
    fee.set("notice_on", format_date(*s.fee_notice_on));
    fee.set("amount", static_cast<Poco::Int64>(s.fee_amount));
    fee.set("served_on", s.fee_served ? Var(format_date(s.fee_served->on)) : Var());
    fee.set("paid_on", nullable_date(s.fee_paid_on));
    o.set("fee", fee);
  }
  o.set("assignee", c.assignee.empty() ? Var() : Var(c.assignee));
  if (const NextStep n = next_step(wf, c); !n.role.empty()) {
    Object x(Poco::JSON_PRESERVE_KEY_ORDER);
    x.set("role", n.role);
    x.set("role_label", n.role_label);
    x.set("todo", n.todo);
    if (n.by_assignee) x.set("assignee", n.assignee.empty() ? Var() : Var(n.assignee));
    o.set("next_step", x);
  } else {
    o.set("next_step", Var());
  }
  o.set("outcome", s.outcome.empty() ? Var() : Var(s.outcome));
  Array missing;  // what the reply lacks (`require … level=form`), for a decision taken through the
                  // API
  for (auto& m : missing_elements(wf, v.c)) {
    Object x(Poco::JSON_PRESERVE_KEY_ORDER);
    x.set("field", m.field);
    x.set("message", m.message);
    missing.add(x);
  }
  o.set("reply_missing", missing);
  o.set("concluded_on", nullable_date(s.concluded_on));
  o.set("on_time", k.on_time ? Var(*k.on_time) : Var());
  Array subs;
  for (auto& d : k.sub_deadlines) {
    Object x(Poco::JSON_PRESERVE_KEY_ORDER);
    x.set("kind", d.kind);
    x.set("label", d.label);
    x.set("due_on", nullable_date(d.due_on));
    x.set("provisional", d.provisional);
    x.set("running", d.running);
    x.set("lapsed", d.lapsed);
    x.set("awaiting_service", d.awaiting_service);
    x.set("from", nullable_date(d.from));
    subs.add(x);
  }
  o.set("deadlines", subs);
  Array ks;
  for (auto& q : s.consultations) {
    Object x(Poco::JSON_PRESERVE_KEY_ORDER);
    x.set("id", static_cast<Poco::Int64>(q.id));
    x.set("party", q.party);
    x.set("name", q.name);
    x.set("sent_on", format_date(q.sent_on));
    x.set("replied_on", nullable_date(q.replied_on));
    x.set("opinion", q.opinion.empty() ? Var() : Var(q.opinion));
    x.set("served_on", q.served ? Var(format_date(q.served->on)) : Var());
    ks.add(x);
  }
  o.set("consultations", ks);
  Array rs;
  for (auto& r : s.remedies) {
    Object x(Poco::JSON_PRESERVE_KEY_ORDER);
    x.set("id", static_cast<Poco::Int64>(r.id));
    x.set("kind", r.kind);
    x.set("filed_on", format_date(r.filed_on));
    x.set("decided_on", nullable_date(r.decided_on));
    x.set("result", r.result.empty() ? Var() : Var(r.result));
    rs.add(x);
  }
  o.set("remedies", rs);
  Array h;
  for (auto& e : c.events) {
    Object x(Poco::JSON_PRESERVE_KEY_ORDER);
    x.set("event", e.event);
    if (auto* spec = wf.event(e.event)) x.set("label", spec->label);
    x.set("on", format_date(e.on));
    x.set("by", e.by);
    x.set("at", e.at);
    h.add(x);
  }
  o.set("history", h);
  std::ostringstream out;
  o.stringify(out, opt.pretty ? 2 : 0);
  return out.str();
}

std::string error_json(const Error& e) {
  Object inner(Poco::JSON_PRESERVE_KEY_ORDER);
  inner.set("code", std::string(code_name(e.code)));
  inner.set("message", e.message);
  if (!e.field.empty()) inner.set("field", e.field);
  Object o;
  o.set("error", inner);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

}  // namespace ogi
