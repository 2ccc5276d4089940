// Static files, login, logout and 我的待办 (the dashboard).
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
#include "http/pages/page_kit.h"
#include "http/server.h"
#include "http/svg.h"

namespace ogi::http {

void add_session_pages(Router& r, Services& s) {
  [[maybe_unused]] const Views& views = *s.views;
  r.add("GET", "/static/{file}", Access::open, [&views](Request& req) {
    std::string f = req.params["file"];
    std::string body = views.static_file(f);
    if (body.empty()) return Response::html("not found", 404);
    Response res;
    res.content_type =
        f.ends_with(".css") ? "text/css; charset=utf-8" : "application/javascript; charset=utf-8";
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
    s.office.record(login->user.username, "login", "", "ip=" + req.ip);
    std::string next = f["next"];
    if (!local_path(next)) next = "/";  // no open redirects, no header injection
    auto res = Response::redirect(next);
    res.headers.emplace_back("Set-Cookie", "ogi_session=" + login->token +
                                               "; Path=/; HttpOnly; SameSite=Strict" +
                                               (s.secure_cookies ? "; Secure" : ""));
    return res;
  });
  r.add("POST", "/logout", Access::page, [&s](Request& req) {
    (void)s.auth.logout(req.token);
    audit(s, req, "logout", "");
    auto res = Response::redirect("/login");
    res.headers.emplace_back("Set-Cookie",
                             "ogi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
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
        {Urgency::overdue, "已逾期"},
        {Urgency::due3, "3个工作日内到期"},
        {Urgency::due7, "7个工作日内到期"},
        {Urgency::unknown, "暂停或待补正（到期日待定）"},
        {Urgency::later, "其他在办"}};
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
      if (key == Urgency::overdue)
        g.set("more_link", "/cases?overdue=1");
      else
        g.set("more_link", "/cases?state=");
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
    auto raised = s.office.alerts(req.user());
    for (auto& a : raised ? *raised : std::vector<AlertRow>{}) {
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
}

}  // namespace ogi::http
