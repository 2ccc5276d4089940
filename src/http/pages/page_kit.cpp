// The staff pages' shared pieces (page_kit.h).
#include "http/pages/page_kit.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/case_json.h"
#include "app/agencies.h"
#include "app/calendar_admin.h"
#include "app/letters.h"
#include "app/password.h"
#include "app/policy.h"
#include "app/registration.h"
#include "app/users.h"
#include "domain/codes.h"
#include "domain/identity.h"
#include "domain/letters.h"
#include "domain/report.h"
#include "http/server.h"
#include "http/svg.h"

namespace ogi::http {

// Sets `key` only when `v` is not empty: with this Mustache library an empty string still opens a
// {{#key}} section, so absent values must stay unset.
void put(Data& d, const std::string& key, const std::string& v) {
  if (!v.empty()) d.set(key, v);
}

// A user-facing message: "applicant.id_number: 居民身份证号码无效…" ->
// "证件号码：居民身份证号码无效…".
std::string ui_message(const Error& e) {
  std::string m = e.message;
  if (!e.field.empty() && m.rfind(e.field + ": ", 0) == 0) {
    const std::string_view label = label_of(message_fields(), e.field);  // workflow/codes.tbl
    m = (label.empty() ? e.field : std::string(label)) + "：" + m.substr(e.field.size() + 2);
  }
  return m;
}

std::string roles_label(const User& u) {
  std::string s;
  for (auto& r : u.roles) s += (s.empty() ? "" : "、") + std::string(label_of(roles(), r));
  return s;
}

// The data every page has: user, CSRF token, navigation.
Data base(const Workflow& wf, const Request& req, const std::string& title) {
  Data d;
  d.set("title", title);
  if (req.auth) {
    const User& u = req.user();
    d.set("logged_in", flag(true));
    d.set("user_name", u.display_name);
    d.set("user_roles", roles_label(u));
    d.set("agency", u.agency);
    d.set("csrf", req.auth->session.csrf);
    // the navigation offers what the policy allows (workflow/lifecycle.wf `permission` lines)
    d.set("can_register", flag(allows(wf, u, "event.register")));
    d.set("reads_cases", flag(allows(wf, u, "case.read")));
    d.set("can_users", flag(allows(wf, u, "user.admin")));
    d.set("can_agencies", flag(allows(wf, u, "agency.admin")));
    d.set("can_calendar", flag(allows(wf, u, "calendar.import")));
    d.set("can_templates", flag(allows(wf, u, "template.read")));
    d.set("sees_audit", flag(allows(wf, u, "audit.read")));
    d.set("reads_reports", flag(allows(wf, u, "report.read")));
    if (!req.banner.empty()) d.set("banner", req.banner);
  }
  return d;
}

// A select's options; `blank` labels the empty first choice ("" for none).
Data options(std::span<const CodeLabel> table, const std::string& selected, const char* blank) {
  Data l = list_of();
  if (*blank) {
    Data o;
    o.set("code", "");
    o.set("label", blank);
    o.set("selected", flag(selected.empty()));
    l.push_back(o);
  }
  for (auto& c : table) {
    Data o;
    o.set("code", std::string(c.code));
    o.set("label", c.hint.empty() ? std::string(c.label)
                                  : std::string(c.label) + "（" + std::string(c.hint) + "）");
    o.set("selected", flag(selected == c.code));
    l.push_back(o);
  }
  return l;
}

// "2026-11-28T09:48:29Z" (UTC) -> "2026-11-28 17:48" (China Standard Time) for display.
std::string local_time(const std::string& utc) {
  std::tm tm{};
  if (utc.size() < 19 || !strptime(utc.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return utc;
  std::time_t t = timegm(&tm) + 8 * 3600;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

std::string days_text(const ClockView& k) {
  if (!k.due_on) return "";
  if (k.overdue) return "已逾期";
  if (k.days_left) return "剩余 " + std::to_string(*k.days_left) + " 个工作日";
  return "";
}

Data case_summary(const CaseView& v, const Workflow& wf, bool mask) {
  Data d;
  const Case& c = v.c;
  d.set("id", std::to_string(c.id));
  d.set("number", c.number);
  d.set("applicant_name", c.applicant.name);
  d.set("applicant_type", std::string(label_of(applicant_types(), c.applicant.type)));
  d.set("channel", std::string(label_of(channels(), c.channel)));
  d.set("received_on", format_date(c.received_on));
  d.set("content", c.content);
  put(d, "registered_content", c.derived.registered_content);  // when a correction restated it
  auto* st = wf.state(c.derived.state);
  d.set("state", st ? st->label : c.derived.state);
  d.set("state_key", c.derived.state);
  d.set("stage", st ? wf.stage_label(st->stage) : "");
  d.set("stage_key", st ? st->stage : "");  // the badge's colour
  d.set("due_on", v.clock.due_on ? format_date(*v.clock.due_on) : "—");
  put(d, "due_note", v.clock.due_note);
  d.set("provisional", flag(v.clock.provisional));
  // "2027-01-04（暂定：2027年节假日安排公布前按法定节假日推算）"
  if (v.clock.due_on && v.clock.provisional) put(d, "due_mark", v.clock.due_note);
  if (v.clock.due_on) d.set("due_known", flag(true));
  put(d, "days", days_text(v.clock));
  d.set("overdue", flag(v.clock.overdue));
  d.set("explanation", v.clock.explanation);
  auto* oc = find_outcome(c.derived.outcome);
  put(d, "outcome", oc ? std::string(oc->label) : "");
  put(d, "outcome_basis", oc ? std::string(oc->basis) : "");
  Data missing = list_of();
  for (auto& m : missing_elements(wf, c)) {
    Data x;
    x.set("message", m.message);
    missing.push_back(x);
  }
  d.set("reply_missing", missing);
  d.set("has_reply_missing", flag(!missing.is_empty_list()));
  put(d, "concluded_on", c.derived.concluded_on ? format_date(*c.derived.concluded_on) : "");
  if (v.clock.on_time) d.set("on_time", *v.clock.on_time ? "按时" : "超期");
  const Applicant& a = c.applicant;
  put(d, "id_number", a.id_number.empty() ? "" : (mask ? mask_id(a.id_number) : a.id_number));
  put(d, "credit_code", a.credit_code);
  put(d, "phone", a.phone.empty() ? "" : (mask ? mask_phone(a.phone) : a.phone));
  put(d, "address", a.address);
  put(d, "email", a.email);
  put(d, "form", std::string(label_of(forms(), c.form)));
  put(d, "delivery", std::string(label_of(delivery_wanted(), c.delivery)));
  Data subs = list_of();
  for (auto& s : v.clock.sub_deadlines) {
    if (!s.running) continue;
    Data x;
    x.set("label", s.label);
    x.set("due_on", s.due_on             ? format_date(*s.due_on)
                    : s.awaiting_service ? "待登记送达后起算"
                                         : "—");
    x.set("provisional", flag(s.provisional));
    x.set("lapsed", flag(s.lapsed));
    subs.push_back(x);
  }
  d.set("deadlines", subs);
  d.set("has_deadlines", flag(!subs.is_empty_list()));
  return d;
}

// Form values -> typed event fields, following the event's field specs in the workflow data.
Result<EventRequest> event_from_form(const Workflow& wf,
                                     const std::map<std::string, std::string>& form) {
  EventRequest req;
  auto get = [&](const std::string& k) {
    auto it = form.find(k);
    return it == form.end() ? std::string() : it->second;
  };
  req.event = get("event");
  const EventSpec* spec = wf.event(req.event);
  if (!spec) return make_error(Code::invalid, "未知事件", "event");
  if (auto on = get("on"); !on.empty()) {
    auto d = parse_date(on, "on");
    if (!d) return make_error(Code::invalid, "日期格式应为 YYYY-MM-DD", "on");
    req.on = *d;
  }
  for (auto& f : spec->fields) {
    std::string v = get(f.name);
    if (v.empty()) continue;
    if (f.type == "int" || f.type == "ref") {
      try {
        size_t used = 0;
        long long n = std::stoll(v, &used);
        if (used != v.size()) throw std::invalid_argument(v);
        req.fields[f.name] = n;
      } catch (...) {
        return make_error(Code::invalid, f.name + ": 应为整数", f.name);
      }
    } else if (f.type == "list") {
      std::vector<std::string> items;
      std::istringstream in(v);
      for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) items.push_back(line);
      }
      req.fields[f.name] = items;
    } else {
      req.fields[f.name] = v;
    }
  }
  req.complete = true;  // the staff form: every element the letter needs (`require … level=form`)
  return req;
}

// One form per event this user may record now.
std::map<std::string, std::string> form_of(const Request& req) { return parse_query(req.body); }

Data page_base(const Services& s, const Request& req, const std::string& title) {
  return base(s.workflow, req, title);
}
std::map<std::string, std::string> page_form(const Request& req) { return form_of(req); }
std::string page_message(const Error& e) { return ui_message(e); }

}  // namespace ogi::http
