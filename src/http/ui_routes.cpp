// The staff web UI: server-rendered pages (templates/ui), forms with CSRF tokens, little
// JavaScript. Every page calls the same application services as the JSON API.
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>

#include <filesystem>
#include <fstream>
#include <ctime>
#include <sstream>

#include "api/case_json.h"
#include "app/agencies.h"
#include "app/calendar_admin.h"
#include "app/password.h"
#include "app/letters.h"
#include "app/policy.h"
#include "app/users.h"
#include "domain/letters.h"
#include "app/registration.h"
#include "domain/codes.h"
#include "domain/identity.h"
#include "http/server.h"
#include "http/svg.h"

namespace ogi::http {

namespace {

// Sets `key` only when `v` is not empty: with this Mustache library an empty string still opens a
// {{#key}} section, so absent values must stay unset.
void put(Data& d, const std::string& key, const std::string& v) {
  if (!v.empty()) d.set(key, v);
}

// A user-facing message: "applicant.id_number: 居民身份证号码无效…" -> "证件号码：居民身份证号码无效…".
std::string ui_message(const Error& e) {
  static const std::map<std::string, std::string> kLabels = {
      {"applicant.type", "申请人类型"}, {"applicant.name", "姓名或名称"}, {"applicant.id_type", "证件类型"},
      {"applicant.id_number", "证件号码"}, {"applicant.credit_code", "统一社会信用代码"}, {"applicant.phone", "联系电话"},
      {"applicant.email", "电子邮箱"}, {"applicant.address", "通信地址"}, {"channel", "提交方式"},
      {"received_on", "收到申请日期"}, {"content", "申请内容"}, {"form", "信息提供形式"}, {"delivery", "获取信息方式"},
      {"agency", "受理机关"}, {"on", "日期"}, {"outcome", "答复类型"}, {"items", "需补正事项"}, {"days", "补正期限"},
      {"party", "征求对象类型"}, {"name", "名称"}, {"consultation", "征求意见"}, {"opinion", "意见"}, {"reason", "理由"},
      {"method", "方式"}, {"pages", "页数"}, {"amount", "金额"}, {"kind", "类型"}, {"remedy", "复议诉讼"}, {"result", "结果"},
      {"notice", "送达的文书"}, {"location", "公开途径"}, {"provision", "提供方式"}, {"documents", "提供的文件"},
      {"responsible_agency", "负责公开的机关"}, {"earlier_reply", "此前答复"}, {"competent_authority", "登记机关"},
      {"reasons", "理由"}, {"event", "操作"}};
  std::string m = e.message;
  if (!e.field.empty() && m.rfind(e.field + ": ", 0) == 0) {
    auto it = kLabels.find(e.field);
    m = (it == kLabels.end() ? e.field : it->second) + "：" + m.substr(e.field.size() + 2);
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
Data options(std::span<const CodeLabel> table, const std::string& selected, const char* blank = "（请选择）") {
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
    o.set("label", std::string(c.label));
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
  auto* st = wf.state(c.derived.state);
  d.set("state", st ? st->label : c.derived.state);
  d.set("state_key", c.derived.state);
  d.set("stage", st ? wf.stage_label(st->stage) : "");
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
    x.set("due_on", s.due_on ? format_date(*s.due_on) : s.awaiting_service ? "待登记送达后起算" : "—");
    x.set("provisional", flag(s.provisional));
    x.set("lapsed", flag(s.lapsed));
    subs.push_back(x);
  }
  d.set("deadlines", subs);
  d.set("has_deadlines", flag(!subs.is_empty_list()));
  return d;
}

// Form values -> typed event fields, following the event's field specs in the workflow data.
Result<EventRequest> event_from_form(const Workflow& wf, const std::map<std::string, std::string>& form) {
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

std::string field_label(const std::string& name) {
  static const std::map<std::string, std::string> k = {
      {"items", "需补正事项（每行一项）"}, {"days", "补正期限（工作日，默认15）"}, {"party", "征求对象类型"},
      {"name", "征求对象名称"},           {"consultation", "征求意见"},        {"opinion", "意见"},
      {"reason", "理由"},                {"method", "方式"},                  {"pages", "页数"},
      {"amount", "金额（元，按量计收可留空由系统计算）"},                     {"outcome", "答复类型"},
      {"reasons", "理由与依据说明"},      {"tracking", "邮件单号"},            {"kind", "类型"},
      {"remedy", "复议诉讼"},            {"result", "结果"},
      {"notice", "送达的文书（只有一份待送达时可不选）"},
      {"location", "已主动公开的途径（网址或文号，已主动公开时填写）"},
      {"provision", "提供的方式、途径和时间（予以公开时填写）"},
      {"documents", "提供的文件（每行一件）"},
      {"responsible_agency", "负责公开的机关及联系方式（能够确定时填写）"},
      {"earlier_reply", "此前答复的文号和日期（重复申请时填写）"},
      {"competent_authority", "受理查询的登记机关（行政查询事项时填写）"}};
  auto it = k.find(name);
  return it == k.end() ? name : it->second;
}

// One form per event this user may record now.
Data action_forms(const Context& ctx, const CaseView& v, const User& u, const Date& today) {
  Data list = list_of();
  for (const EventSpec* e : allowed_events(ctx, v.c, actor_of(u))) {
    Data f;
    f.set("event", e->key);
    f.set("label", e->label);
    f.set("today", format_date(today));
    Data fields = list_of();
    for (auto& spec : e->fields) {
      Data x;
      x.set("name", spec.name);
      x.set("label", field_label(spec.name));
      x.set("required", flag(spec.required));
      // the outcomes for which the workflow's `require` lines make this field required
      std::string required_for;
      for (auto& q : ctx.workflow.requirements())
        if (q.event == e->key && std::find(q.fields.begin(), q.fields.end(), spec.name) != q.fields.end())
          for (auto& val : q.values) required_for += (required_for.empty() ? "" : ",") + val;
      put(x, "required_for", required_for);
      if (spec.type == "code") {
        x.set("select", flag(true));
        x.set("options", options(code_table(spec.table), ""));
      } else if (spec.type == "ref") {
        x.set("select", flag(true));
        Data opts = list_of();
        if (!spec.required) {  // optional reference: nothing chosen unless the user picks one
          Data o;
          o.set("code", "");
          o.set("label", "（不选）");
          opts.push_back(o);
        }
        if (spec.name == "consultation")
          for (auto& k : v.c.derived.consultations)
            if (!k.replied_on) {
              Data o;
              o.set("code", std::to_string(k.id));
              o.set("label", k.name + "（" + format_date(k.sent_on) + " 发出）");
              opts.push_back(o);
            }
        if (spec.name == "remedy")
          for (auto& r : v.c.derived.remedies)
            if (!r.decided_on) {
              Data o;
              o.set("code", std::to_string(r.id));
              o.set("label", std::string(label_of(remedy_kinds(), r.kind)) + "（" + format_date(r.filed_on) + "）");
              opts.push_back(o);
            }
        x.set("options", opts);
      } else if (spec.type == "list" || spec.name == "reasons" || spec.name == "reason") {
        x.set("textarea", flag(true));
      } else {
        x.set("input", flag(true));
        x.set("type", spec.type == "int" ? "number" : "text");
      }
      fields.push_back(x);
    }
    f.set("fields", fields);
    list.push_back(f);
  }
  return list;
}

std::map<std::string, std::string> form_of(const Request& req) { return parse_query(req.body); }

class UploadPart final : public Poco::Net::PartHandler {
 public:
  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
    if (!name.empty()) return;  // one file per upload
    std::string disp;
    Poco::Net::NameValueCollection params;
    if (header.has("Content-Disposition")) {
      Poco::Net::MessageHeader::splitParameters(header["Content-Disposition"], disp, params);
      name = params.get("filename", "");
    }
    mime = header.get("Content-Type", "application/octet-stream");
    Poco::StreamCopier::copyToString(stream, bytes);
  }
  std::string name, mime, bytes;
};

}  // namespace

Data page_base(const Services& s, const Request& req, const std::string& title) { return base(s.workflow, req, title); }
std::map<std::string, std::string> page_form(const Request& req) { return form_of(req); }
std::string page_message(const Error& e) { return ui_message(e); }

void add_ui_routes(Router& r, Services& s) {
  const Views& views = *s.views;

  r.add("GET", "/static/{file}", Access::open, [&views](Request& req) {
    std::string f = req.params["file"];
    std::string body = views.static_file(f);
    if (body.empty()) return Response::html("not found", 404);
    Response res;
    res.content_type = f.ends_with(".css") ? "text/css; charset=utf-8" : "application/javascript; charset=utf-8";
    res.headers.emplace_back("Cache-Control", "max-age=3600");
    res.body = body;
    return res;
  });

  // ---- login ----
  r.add("GET", "/login", Access::open, [&s, &views](Request& req) {
    if (req.auth) return Response::redirect("/");
    Data d = base(s.workflow, req, "登录");
    d.set("next", req.q("next", "/"));
    return Response::html(views.page("login", d));
  });
  r.add("POST", "/login", Access::open, [&s, &views](Request& req) {
    auto f = form_of(req);
    LoginAttempt attempt;
    auto login = s.auth.login(f["username"], f["password"], req.ip, &attempt);
    if (!login) {
      audit_login_failure(s, req, f["username"], attempt);
      Data d = base(s.workflow, req, "登录");
      d.set("error", login.error().message);
      put(d, "username", f["username"]);
      put(d, "next", f["next"]);
      return Response::html(views.page("login", d), http_status(login.error().code));
    }
    (void)s.queries.record_audit(s.clock.now_timestamp(), login->user.username, "login", "", "ip=" + req.ip);
    std::string next = f["next"];
    if (!local_path(next)) next = "/";  // no open redirects, no header injection
    auto res = Response::redirect(next);
    res.headers.emplace_back("Set-Cookie", "ogi_session=" + login->token + "; Path=/; HttpOnly; SameSite=Strict" +
                                               (s.secure_cookies ? "; Secure" : ""));
    return res;
  });
  r.add("POST", "/logout", Access::page, [&s](Request& req) {
    (void)s.auth.logout(req.token);
    audit(s, req, "logout", "");
    auto res = Response::redirect("/login");
    res.headers.emplace_back("Set-Cookie", "ogi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return res;
  });

  // ---- dashboard ----
  r.add("GET", "/", Access::page, [&s, &views](Request& req) {
    Data d = base(s.workflow, req, "我的待办");
    if (!allows(s.workflow, req.user(), "case.read")) {
      d.set("no_cases", flag(true));
      return Response::html(views.page("dashboard", d));
    }
    auto dash = s.dashboard.for_user(req.user());
    if (!dash) return Response::html(views.page("dashboard", d), 500);
    static const std::pair<Urgency, const char*> kBuckets[] = {
        {Urgency::overdue, "已逾期"}, {Urgency::due3, "3个工作日内到期"}, {Urgency::due7, "7个工作日内到期"},
        {Urgency::unknown, "暂停或待补正（到期日待定）"}, {Urgency::later, "其他在办"}};
    Data groups = list_of();
    for (auto& [key, label] : kBuckets) {
      Data g;
      g.set("key", std::string(urgency_key(key)));
      g.set("label", label);
      Data items = list_of();
      int n = 0;
      for (auto& it : dash->items)
        if (it.bucket == key) {
          items.push_back(case_summary(it.view, s.workflow, true));
          ++n;
        }
      const int total = dash->count(key);
      g.set("count", std::to_string(total));
      if (total > n) g.set("more", std::to_string(total - n));
      if (key == Urgency::overdue) g.set("more_link", "/cases?overdue=1");
      else g.set("more_link", "/cases?state=");
      g.set("items", items);
      g.set("empty", flag(n == 0));
      groups.push_back(g);
    }
    d.set("groups", groups);
    Data states = list_of();
    for (auto& st : s.workflow.states()) {
      long long n = 0;
      for (auto& [k, c] : dash->by_state)
        if (k == st.key) n = c;
      if (st.key == "new") continue;
      Data x;
      x.set("label", st.label);
      x.set("key", st.key);
      x.set("count", std::to_string(n));
      states.push_back(x);
    }
    d.set("states", states);
    Data alerts = list_of();
    for (auto& a : s.queries.alerts(req.user().agencies_visible, false)) {
      Data x;
      x.set("message", a.message);
      x.set("case_id", std::to_string(a.case_id));
      x.set("raised_on", a.raised_on);
      alerts.push_back(x);
    }
    d.set("alerts", alerts);
    d.set("has_alerts", flag(!alerts.is_empty_list()));
    return Response::html(views.page("dashboard", d));
  });

  // ---- registration ----
  auto register_form = [&s, &views](const Request& req, const std::map<std::string, std::string>& f,
                                    const std::string& error, const std::string& error_field, Data dups) {
    Data d = base(s.workflow, req, "登记申请");
    auto v = [&](const char* k) {
      auto it = f.find(k);
      return it == f.end() ? std::string() : it->second;
    };
    for (auto* k : {"name", "id_number", "credit_code", "phone", "address", "email", "content", "received_on"})
      d.set(std::string("f_") + k, v(k));
    if (v("received_on").empty()) d.set("f_received_on", format_date(s.clock.today()));
    d.set("today", format_date(s.clock.today()));
    d.set("types", options(applicant_types(), v("type").empty() ? "natural_person" : v("type"), ""));
    d.set("channels", options(channels(), v("channel")));
    d.set("id_types", options(id_types(), v("id_type").empty() ? "resident_id" : v("id_type"), ""));
    d.set("forms", options(forms(), v("form")));
    d.set("deliveries", options(delivery_wanted(), v("delivery")));
    Data agencies = list_of();
    for (auto& a : req.user().agencies_visible) {
      Data o;
      o.set("code", a);
      o.set("label", a);
      o.set("selected", flag(v("agency") == a));
      agencies.push_back(o);
    }
    d.set("agencies", agencies);
    d.set("many_agencies", flag(req.user().agencies_visible.size() > 1));
    put(d, "error", error);
    put(d, "error_field", error_field);
    d.set("duplicates", dups);
    d.set("has_duplicates", flag(!dups.is_empty_list()));
    return Response::html(views.page("register", d), error.empty() ? 200 : 422);
  };
  r.add("GET", "/cases/new", Access::page, [register_form](Request& req) {
    return register_form(req, {}, "", "", list_of());
  });
  r.add("POST", "/cases/new", Access::page, [&s, register_form](Request& req) {
    auto f = form_of(req);
    RegistrationRequest rr;
    rr.agency = f["agency"];
    rr.applicant = {f["type"], f["name"], f["type"] == "natural_person" && !f["id_number"].empty() ? f["id_type"] : "",
                    f["type"] == "natural_person" ? f["id_number"] : "", f["type"] == "natural_person" ? "" : f["credit_code"],
                    f["phone"], f["address"], f["email"]};
    rr.channel = f["channel"];
    rr.received_on = f["received_on"];
    rr.content = f["content"];
    rr.form = f["form"];
    rr.delivery = f["delivery"];
    auto valid = validate_registration(rr, s.clock.today());
    if (!valid) return register_form(req, f, ui_message(valid.error()), valid.error().field, list_of());
    // Possible duplicates are shown before saving; saving then needs an explicit confirmation.
    if (f["confirm"] != "1") {
      auto rows = possible_duplicates(s.queries, req.user(), rr.applicant.name,
                                      rr.applicant.id_number.empty() ? rr.applicant.credit_code : rr.applicant.id_number,
                                      rr.content, s.clock.today());
      if (!rows.empty()) {
        Data dups = list_of();
        for (auto& x : rows) {
          Data o;
          o.set("id", std::to_string(x.id));
          o.set("number", x.number);
          o.set("name", x.applicant_name);
          o.set("received_on", format_date(x.received_on));
          o.set("content", x.content.size() > 120 ? x.content.substr(0, x.content.rfind(' ', 120)) : x.content);
          dups.push_back(o);
        }
        return register_form(req, f, "", "", dups);
      }
    }
    auto v = s.case_service.register_case(req.user(), rr, "ip=" + req.ip);  // audited in its transaction
    if (!v) return register_form(req, f, ui_message(v.error()), v.error().field, list_of());
    return Response::redirect("/cases/" + std::to_string(v->c.id) + "?registered=1");
  });

  // ---- case page ----
  r.add("GET", "/cases/{id}", Access::page, [&s, &views](Request& req) {
    long long id = 0;
    try {
      id = std::stoll(req.params["id"]);
    } catch (...) {
    }
    auto v = s.case_service.show(req.user(), id);
    Data d = base(s.workflow, req, "案件");
    if (!v || !allows(s.workflow, req.user(), "case.read")) {
      d.set("error", v ? "您的角色无权查看案件内容" : v.error().message);
      return Response::html(views.page("case", d), v ? 403 : http_status(v.error().code));
    }
    d.set("title", v->c.number);
    d.set("case", case_summary(*v, s.workflow, false));
    d.set("registered", flag(req.q("registered") == "1"));
    if (auto e = req.q("error"); !e.empty()) d.set("error", e);
    d.set("timeline", timeline_svg(*v, s.calendar, s.clock.today()));
    Data hist = list_of();
    for (auto& e : v->c.events) {
      Data x;
      auto* spec = s.workflow.event(e.event);
      x.set("label", spec ? spec->label : e.event);
      x.set("on", format_date(e.on));
      x.set("by", e.by);
      x.set("at", local_time(e.at));
      std::string detail;
      if (auto* o = field_string(e.fields, "outcome"))
        if (auto* oc = find_outcome(*o)) detail = oc->label;
      if (auto* n = field_string(e.fields, "name")) detail = *n;
      if (e.event == "serve_notice")
        if (auto* m = field_string(e.fields, "method")) detail = std::string(label_of(service_methods(), *m));
      if (auto* items = field_list(e.fields, "items"))
        for (auto& i : *items) detail += (detail.empty() ? "" : "；") + i;
      put(x, "detail", detail);
      hist.push_back(x);
    }
    d.set("history", hist);
    Data ks = list_of();
    for (auto& k : v->c.derived.consultations) {
      Data x;
      x.set("party", std::string(label_of(parties(), k.party)));
      x.set("name", k.name);
      x.set("sent_on", format_date(k.sent_on));
      x.set("replied_on", k.replied_on ? format_date(*k.replied_on) : "未答复");
      x.set("opinion", std::string(label_of(opinions(), k.opinion)));
      x.set("served_on", k.served ? format_date(k.served->on) : "未登记");
      ks.push_back(x);
    }
    d.set("consultations", ks);
    d.set("has_consultations", flag(!ks.is_empty_list()));
    Agency ag;
    if (auto a = s.cases.agency(v->c.agency)) ag = *a;
    Context ctx{s.workflow, s.calendar, s.clock, ClockSettings{ag.fee_pauses_clock}};
    d.set("actions", action_forms(ctx, *v, req.user(), s.clock.today()));
    Data atts = list_of();
    for (auto& a : s.queries.attachments(id)) {
      Data x;
      x.set("id", std::to_string(a.id));
      x.set("name", a.name);
      x.set("size", std::to_string((a.size + 1023) / 1024) + " KiB");
      x.set("by", a.uploaded_by);
      atts.push_back(x);
    }
    d.set("attachments", atts);
    Data letters = list_of();
    const bool can_reissue = allows(s.workflow, req.user(), "letter.reissue");
    for (auto& l : s.letters->list(id)) {
      Data x;
      x.set("id", std::to_string(l.id));
      x.set("kind", l.kind);
      x.set("title", l.title);
      x.set("number", l.number);
      x.set("issued_on", format_date(l.issued_on));
      x.set("superseded", flag(l.superseded_by != 0));
      put(x, "reason", l.reason);
      x.set("can_reissue", flag(can_reissue));
      letters.push_back(x);
    }
    d.set("has_letters", flag(!letters.is_empty_list()));
    d.set("letters", letters);
    d.set("can_preview", flag(v->c.derived.state == "decided"));
    d.set("can_upload", flag(allows(s.workflow, req.user(), "case.attach")));
    return Response::html(views.page("case", d));
  });
  r.add("POST", "/cases/{id}/events", Access::page, [&s](Request& req) {
    std::string back = "/cases/" + req.params["id"];
    long long id = 0;
    try {
      id = std::stoll(req.params["id"]);
    } catch (...) {
      return Response::redirect("/");
    }
    auto ev = event_from_form(s.workflow, form_of(req));
    Result<CaseView> v =
        ev ? s.case_service.record_event(req.user(), id, *ev, 0, "ip=" + req.ip) : Result<CaseView>(ev.error());
    if (!v) {
      return Response::redirect(back + "?error=" + url_encode(ui_message(v.error())));
    }
    return Response::redirect(back);
  });
  r.add("POST", "/cases/{id}/upload", Access::page, [&s](Request& req) {
    std::string back = "/cases/" + req.params["id"];
    long long id = 0;
    try {
      id = std::stoll(req.params["id"]);
    } catch (...) {
      return Response::redirect("/");
    }
    auto v = s.case_service.show(req.user(), id);
    if (!v) return Response::redirect("/");
    UploadPart part;
    try {
      std::istringstream in(req.body);
      Poco::Net::HTMLForm form;
      form.setFieldLimit(0);
      form.load(*req.raw, in, part);
    } catch (...) {
      return Response::redirect(back + "?error=%E4%B8%8A%E4%BC%A0%E5%A4%B1%E8%B4%A5");  // 上传失败
    }
    auto stored = store_attachment(s, req, id, part.name, part.mime, part.bytes);
    if (!stored) return Response::redirect(back + "?error=" + url_encode(ui_message(stored.error())));
    return Response::redirect(back);
  }, 20 << 20);
  r.add("POST", "/letters/{id}/reissue", Access::page, [&s](Request& req) {
    long long id = 0;
    try {
      id = std::stoll(req.params["id"]);
    } catch (...) {
      return Response::redirect("/");
    }
    auto old = s.letters->get(req.user(), id);
    if (!old) return Response::redirect("/");
    const std::string back = "/cases/" + std::to_string(old->case_id);
    auto l = s.letters->reissue(req.user(), id, form_of(req)["reason"]);
    if (!l) return Response::redirect(back + "?error=" + url_encode(ui_message(l.error())) + "#letters");
    audit(s, req, "letter.reissue", std::to_string(id), "→ " + std::to_string(l->id));
    return Response::redirect(back + "#letters");
  });
  r.add("GET", "/cases/{id}/receipt", Access::page, [&s, &views](Request& req) {
    long long id = 0;
    try {
      id = std::stoll(req.params["id"]);
    } catch (...) {
    }
    auto v = s.case_service.show(req.user(), id);
    if (!v) return Response::html("<!doctype html><meta charset=utf-8><p>" + html_escape(v.error().message) + "</p>", http_status(v.error().code));
    if (!allows(s.workflow, req.user(), "case.read"))
      return Response::html("<!doctype html><meta charset=utf-8><p>您的角色无权查看案件内容</p>", 403);
    // The receipt issued at registration, as frozen; the page below only for cases loaded
    // without letters (bulk import).
    for (auto& l : s.letters->list(id)) {
      if (l.kind != "receipt" || l.superseded_by) continue;
      auto html = s.letters->bytes(req.user(), l.id, "html");
      if (!html) return Response::html("<!doctype html><meta charset=utf-8><p>" + html_escape(html.error().message) + "</p>",
                                       http_status(html.error().code));
      return letter_page(*html);
    }
    Data d = case_summary(*v, s.workflow, true);
    auto agencies = s.admin.agencies();
    for (auto& a : agencies)
      if (a.code == v->c.agency) d.set("agency_name", a.name);
    Data missing = list_of();
    for (auto& m : missing_items(v->c)) missing.push_back(Data(m));
    d.set("has_missing", flag(!missing.is_empty_list()));
    d.set("missing", missing);
    d.set("today", format_date(s.clock.today()));
    return Response::html(views.render("receipt", d));
  });

  // ---- search ----
  r.add("GET", "/cases", Access::page, [&s, &views](Request& req) {
    Data d = base(s.workflow, req, "案件查询");
    if (!allows(s.workflow, req.user(), "case.read")) return Response::redirect("/");
    CaseFilter f;
    f.agencies = req.user().agencies_visible;
    f.state = req.q("state");
    f.stage = req.q("stage");
    f.outcome = req.q("outcome");
    f.applicant_type = req.q("applicant_type");
    f.channel = req.q("channel");
    f.q = req.q("q").substr(0, 200);
    if (auto a = parse_date(req.q("from")); a) f.from = *a;
    if (auto b = parse_date(req.q("to")); b) f.to = *b;
    f.overdue_only = req.q("overdue") == "1";
    f.today = s.clock.today();
    try {
      f.page = std::max(1, std::stoi(req.q("page", "1")));
    } catch (...) {
    }
    f.per_page = 50;
    auto [rows, total] = s.queries.list_cases(f);
    Data items = list_of();
    for (auto& x : rows) {
      Data o;
      o.set("id", std::to_string(x.id));
      o.set("number", x.number);
      o.set("name", x.applicant_name);
      o.set("id_number", mask_id(x.id_number.empty() ? x.credit_code : x.id_number));
      o.set("type", std::string(label_of(applicant_types(), x.applicant_type)));
      o.set("channel", std::string(label_of(channels(), x.channel)));
      o.set("received_on", format_date(x.received_on));
      auto* st = s.workflow.state(x.state);
      o.set("state", st ? st->label : x.state);
      auto* oc = find_outcome(x.outcome);
      o.set("outcome", oc ? std::string(oc->label) : "");
      o.set("due_on", x.due_on ? format_date(*x.due_on) + (x.provisional ? "（暂定）" : "") : "—");
      o.set("overdue", flag(!x.concluded_on && standing(s.calendar, x.due_on, f.today).overdue));
      items.push_back(o);
    }
    d.set("items", items);
    d.set("total", total > 1000 ? std::string("1000 以上") : std::to_string(total));
    std::string qs;
    for (auto* k : {"q", "state", "stage", "outcome", "applicant_type", "channel", "from", "to", "overdue"})
      if (!req.q(k).empty()) qs += std::string("&") + k + "=" + url_encode(req.q(k));
    d.set("qs", qs);
    d.set("page", std::to_string(f.page));
    if (f.page > 1) d.set("prev", std::to_string(f.page - 1));
    if (static_cast<long long>(f.page) * f.per_page < total) d.set("next", std::to_string(f.page + 1));
    d.set("f_q", f.q);
    d.set("f_from", req.q("from"));
    d.set("f_to", req.q("to"));
    d.set("f_overdue", flag(f.overdue_only));
    Data states = list_of();
    {
      Data o;
      o.set("code", "");
      o.set("label", "（全部）");
      states.push_back(o);
    }
    for (auto& st : s.workflow.states()) {
      if (st.key == "new") continue;
      Data o;
      o.set("code", st.key);
      o.set("label", st.label);
      o.set("selected", flag(st.key == f.state));
      states.push_back(o);
    }
    d.set("states", states);
    Data stages = list_of();
    {
      Data o;
      o.set("code", "");
      o.set("label", "（全部）");
      stages.push_back(o);
    }
    for (auto& [key, label] : s.workflow.stages()) {
      Data o;
      o.set("code", key);
      o.set("label", label);
      o.set("selected", flag(key == f.stage));
      stages.push_back(o);
    }
    d.set("stages", stages);
    d.set("outcomes", [&] {
      Data l = list_of();
      Data blank;
      blank.set("code", "");
      blank.set("label", "（全部）");
      l.push_back(blank);
      for (auto& o : outcomes()) {
        Data x;
        x.set("code", std::string(o.code));
        x.set("label", std::string(o.label));
        x.set("selected", flag(o.code == f.outcome));
        l.push_back(x);
      }
      return l;
    }());
    d.set("types", options(applicant_types(), f.applicant_type, "（全部）"));
    d.set("channels", options(channels(), f.channel, "（全部）"));
    return Response::html(views.page("search", d));
  });

  // ---- administration ----
  r.add("GET", "/admin/users", Access::page, [&s, &views](Request& req) {
    if (!allows(s.workflow, req.user(), "user.admin")) return Response::redirect("/");
    Data d = base(s.workflow, req, "用户与角色");
    Data users = list_of();
    for (auto& u : s.admin.users()) {
      Data x;
      x.set("username", u.username);
      x.set("display_name", u.display_name);
      x.set("agency", u.agency);
      x.set("roles", roles_label(u));
      x.set("active", flag(u.active));
      Data rs = list_of();
      for (auto& r : roles()) {
        Data o;
        o.set("code", std::string(r.code));
        o.set("label", std::string(r.label));
        o.set("checked", flag(std::find(u.roles.begin(), u.roles.end(), r.code) != u.roles.end()));
        rs.push_back(o);
      }
      x.set("role_options", rs);
      users.push_back(x);
    }
    d.set("users", users);
    d.set("roles", options(roles(), "", ""));
    Data ag = list_of();
    for (auto& a : s.admin.agencies()) {
      Data o;
      o.set("code", a.code);
      o.set("label", a.name);
      ag.push_back(o);
    }
    d.set("agencies", ag);
    if (auto e = req.q("error"); !e.empty()) d.set("error", e);
    return Response::html(views.page("admin_users", d));
  });
  r.add("POST", "/admin/users", Access::page, [&s](Request& req) {
    if (!allows(s.workflow, req.user(), "user.admin")) return Response::redirect("/");
    // Roles come as repeated "role" fields.
    User u;
    std::string password;
    for (auto& [k, v] : parse_pairs(req.body)) {
      if (k == "username") u.username = v;
      if (k == "display_name") u.display_name = v;
      if (k == "agency") u.agency = v;
      if (k == "password") password = v;
      if (k == "role" && is_code(roles(), v)) u.roles.push_back(v);
    }
    auto fail = [](const Error& e) { return Response::redirect("/admin/users?error=" + url_encode(ui_message(e))); };
    auto ready = prepare_new_user(u, password);
    if (!ready) return fail(ready.error());
    u = *ready;
    auto id = s.admin.add_user(u, s.clock.now_timestamp());
    if (!id) return fail(id.error());
    audit(s, req, "user.add", u.username);
    return Response::redirect("/admin/users");
  });
  r.add("POST", "/admin/users/{username}", Access::page, [&s](Request& req) {
    if (!allows(s.workflow, req.user(), "user.admin")) return Response::redirect("/");
    std::vector<std::string> roles_wanted;
    std::string password;
    bool active = false;
    for (auto& [k, v] : parse_pairs(req.body)) {
      if (k == "role" && is_code(roles(), v)) roles_wanted.push_back(v);
      if (k == "active") active = v == "1";
      if (k == "password") password = v;
    }
    const std::string user = req.params["username"];
    if (Status ok = check_user_change(roles_wanted, password); !ok)
      return Response::redirect("/admin/users?error=" + url_encode(ui_message(ok.error())));
    std::vector<std::string> roles_before;
    bool was_active = true;
    for (auto& u : s.admin.users())
      if (u.username == user) {
        roles_before = u.roles;
        was_active = u.active;
      }
    if (Status ok = check_role_change(req.user(), user, roles_before, roles_wanted, active,
                                            roles_for(s.workflow, "case.read"), roles_for(s.workflow, "user.admin")); !ok)
      return Response::redirect("/admin/users?error=" + url_encode(ui_message(ok.error())));
    if (Status st = s.admin.update_user(user, roles_wanted, active, password.empty() ? "" : hash_password(password)); !st)
      return Response::redirect("/admin/users?error=" + url_encode(ui_message(st.error())));
    std::string detail = role_change_text(roles_before, roles_wanted);
    if (was_active != active) detail += active ? "；启用" : "；停用";
    if (!password.empty()) detail += "；重设密码";
    audit(s, req, "user.update", user, detail);
    return Response::redirect("/admin/users");
  });
  r.add("GET", "/admin/agencies", Access::page, [&s, &views](Request& req) {
    if (!allows(s.workflow, req.user(), "agency.admin")) return Response::redirect("/");
    Data d = base(s.workflow, req, "机关设置");
    Data list = list_of();
    for (auto& a : s.admin.agencies()) {
      auto [body, court] = s.admin.agency_remedy_bodies(a.code);
      Data x;
      x.set("code", a.code);
      x.set("name", a.name);
      x.set("pattern", a.number_pattern);
      put(x, "parent", a.parent);
      x.set("body", body);
      x.set("court", court);
      x.set("kinds", options(agency_kinds(), a.kind, "（未设置）"));
      Data policies = list_of();
      for (auto& [key, label] : s.workflow.remedy_policies()) {
        Data o;
        o.set("code", key);
        o.set("label", label);
        if (key == a.remedy_policy || (a.remedy_policy.empty() && key == s.workflow.remedy_policies().front().first))
          o.set("selected", true);
        policies.push_back(o);
      }
      x.set("policies", policies);
      const BodyChoice choice = agency_reconsideration_body(s.cases, a);
      put(x, "body_warning", choice.warning);
      x.set("effective_body", choice.body);
      x.set("derived_body", choice.source == "derived" ? choice.body : std::string());
      x.set("letter_prefix", a.letter_prefix);
      x.set("letter_pattern", a.letter_pattern);
      x.set("letterhead", a.letterhead);
      x.set("contact", a.contact);
      x.set("fee_pause", flag(a.fee_pauses_clock));
      list.push_back(x);
    }
    d.set("agencies", list);
    if (auto e = req.q("error"); !e.empty()) d.set("error", e);
    return Response::html(views.page("admin_agencies", d));
  });
  r.add("POST", "/admin/agencies", Access::page, [&s](Request& req) {
    if (!allows(s.workflow, req.user(), "agency.admin")) return Response::redirect("/");
    auto f = form_of(req);
    Agency a;
    a.code = f["code"];
    a.name = f["name"];
    a.number_pattern = f["pattern"];
    a.fee_pauses_clock = f["fee_pause"] == "1";
    a.letter_prefix = f["letter_prefix"];
    a.letter_pattern = f["letter_pattern"];
    a.letterhead = f["letterhead"];
    a.contact = f["contact"];
    a.kind = f["kind"];
    a.remedy_policy = f["remedy_policy"];
    if (Status ok = check_agency(a, s.workflow); !ok)  // the same check as `ogi agency add`
      return Response::redirect("/admin/agencies?error=" + url_encode(ui_message(ok.error())));
    const auto before = s.cases.agency(a.code);
    const std::string before_label = before ? remedy_policy_label(*before, s.workflow) : std::string();
    const std::string policy_label = remedy_policy_label(a, s.workflow);
    if (auto st = s.admin.update_agency(a, f["body"], f["court"]); !st)
      return Response::redirect("/admin/agencies?error=" + url_encode(ui_message(st.error())));
    // A change of the remedy reading changes what every later letter tells applicants: the audit
    // row says from what to what.
    audit(s, req, "agency.update", a.code,
          !before || before_label == policy_label ? std::string() : "救济告知规则：" + before_label + " → " + policy_label);
    return Response::redirect("/admin/agencies");
  });
  // ---- calendar: calendar_routes.cpp ----
  r.add("GET", "/admin/templates", Access::page, [&s, &views](Request& req) {
    if (!allows(s.workflow, req.user(), "template.read")) return Response::redirect("/");
    Data d = base(s.workflow, req, "文书模板");
    Data list = list_of();
    for (auto& t : s.letters->templates()) {
      Data x;
      x.set("name", t.name);
      const std::string kind = template_kind(t.name);
      x.set("kind", kind.empty() ? std::string("公用片段") : std::string(label_of(letter_kinds(), kind)));
      if (t.version) x.set("version", std::to_string(t.version));
      list.push_back(x);
    }
    d.set("templates", list);
    return Response::html(views.page("admin_templates", d));
  });
  auto template_page = [&s, &views](Request& req, const std::string& name, const std::string* body,
                                    const std::string& error, int saved) {
    Data d = base(s.workflow, req, "文书模板 " + name);
    d.set("can_edit", flag(allows(s.workflow, req.user(), "template.edit")));  // others read and preview
    const TemplateVersion* cur = nullptr;
    auto all = s.letters->templates();
    for (auto& t : all)
      if (t.name == name) cur = &t;
    if (!cur) {
      d.set("error", "没有名为 " + name + " 的文书模板");
      d.set("templates", list_of());
      return Response::html(views.page("admin_templates", d), 404);
    }
    d.set("name", name);
    const std::string kind = template_kind(name);
    d.set("kind", kind.empty() ? std::string("公用片段") : std::string(label_of(letter_kinds(), kind)));
    if (cur->version) d.set("version", std::to_string(cur->version));
    d.set("body", body ? *body : cur->body);
    put(d, "error", error);
    if (saved) d.set("saved", std::to_string(saved));
    Data fields = list_of();
    auto dict = letter_field_dictionary(kind);
    for (auto& f : dict.values) fields.push_back(Data(f));
    for (auto& f : dict.lists) fields.push_back(Data(f + "（列表：index, text）"));
    d.set("fields", fields);
    Data versions = list_of();
    for (auto& v : s.letters->versions(name)) {
      Data x;
      x.set("version", std::to_string(v.version));
      x.set("author", v.author);
      x.set("created_at", local_time(v.created_at));
      put(x, "note", v.note);
      versions.push_back(x);
    }
    d.set("versions", versions);
    return Response::html(views.page("admin_template", d), error.empty() ? 200 : 422);
  };
  r.add("GET", "/admin/templates/{name}", Access::page, [&s, template_page](Request& req) {
    if (!allows(s.workflow, req.user(), "template.read")) return Response::redirect("/");
    int saved = 0;
    try {
      saved = std::stoi(req.q("saved", "0"));
    } catch (...) {
    }
    if (auto v = req.q("version"); !v.empty()) {  // load an earlier version into the editor
      auto body = s.letters->version_body(req.params["name"], v);
      if (!body) return template_page(req, req.params["name"], nullptr, ui_message(body.error()), 0);
      return template_page(req, req.params["name"], &*body, "", 0);
    }
    return template_page(req, req.params["name"], nullptr, "", saved);
  });
  r.add("POST", "/admin/templates/{name}", Access::page, [&s, template_page](Request& req) {
    if (!allows(s.workflow, req.user(), "template.edit")) return Response::redirect("/");
    auto f = form_of(req);
    const std::string name = req.params["name"], body = f["body"];
    auto v = s.letters->save_template(req.user(), name, body, f["note"]);
    if (!v) return template_page(req, name, &body, ui_message(v.error()), 0);
    return Response::redirect("/admin/templates/" + name + "?saved=" + std::to_string(*v));
  });
  r.add("POST", "/admin/templates/{name}/preview", Access::page, [&s](Request& req) {
    if (!allows(s.workflow, req.user(), "template.read")) return Response::redirect("/");
    auto f = form_of(req);
    Agency a = LetterService::sample_agency();
    if (auto own = s.cases.agency(req.user().agency)) a = *own;
    auto p = s.letters->preview_template(req.params["name"], f["body"], a);
    if (!p)
      return Response::html("<!doctype html><meta charset=utf-8><title>预览失败</title><p role=alert>模板有错误：" +
                                html_escape(ui_message(p.error())) + "</p>",
                            422);
    return letter_page(p->html);
  });
  r.add("GET", "/admin/workflow", Access::page, [&s, &views](Request& req) {
    Data d = base(s.workflow, req, "办理流程");
    d.set("svg", lifecycle_svg(s.workflow));
    return Response::html(views.page("admin_workflow", d));
  });
  r.add("GET", "/audit", Access::page, [&s, &views](Request& req) {
    if (!allows(s.workflow, req.user(), "audit.read")) return Response::redirect("/");
    Data d = base(s.workflow, req, "审计记录");
    Data rows = list_of();
    const bool all = allows(s.workflow, req.user(), "audit.read_all");
    for (auto& a : s.queries.audit_rows(300, 0, all ? nullptr : &req.user().agencies_visible)) {
      Data x;
      x.set("at", a.at);
      x.set("actor", a.actor);
      x.set("action", a.action);
      x.set("target", a.target);
      x.set("detail", a.detail);
      rows.push_back(x);
    }
    d.set("rows", rows);
    return Response::html(views.page("audit", d));
  });
}

}  // namespace ogi::http
