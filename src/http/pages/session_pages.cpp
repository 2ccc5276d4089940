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
#include "app/auth.h"
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
#include "http/request_checks.h"
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
  // Login CSRF (issue 18, finding 9): the form carries a token that must match a cookie set with
  // the form, so another site cannot log a browser in to an account of its choosing.
  auto login_page = [&s, &views](Request& req, const std::string& next, const std::string& user,
                                 const std::string& error, int status) {
    Data d = base(s.workflow, req, "登录");
    const std::string token = random_token();
    d.set("login_csrf", token);
    put(d, "next", next);
    put(d, "username", user);
    if (!error.empty()) d.set("error", error);
    auto res = Response::html(views.page("login", d), status);
    res.headers.emplace_back("Set-Cookie", "ogi_login=" + token +
                                               "; Path=/login; HttpOnly; SameSite=Strict" +
                                               (s.secure_cookies ? "; Secure" : ""));
    return res;
  };
  r.add("GET", "/login", Access::open, [login_page](Request& req) {
    if (req.auth) return Response::redirect("/");
    return login_page(req, req.q("next", "/"), "", "", 200);
  });
  r.add("POST", "/login", Access::open, [&s, login_page](Request& req) {
    auto f = form_of(req);
    const std::string cookie = cookie_of(req, "ogi_login");
    if (cookie.size() != 64 || f["_csrf"] != cookie)
      return login_page(req, f["next"], f["username"], "登录页面已过期，请重新输入密码后登录。",
                        403);
    LoginAttempt attempt;
    auto login = s.auth.login(f["username"], f["password"], req.ip, &attempt);
    if (!login) {
      audit_login_failure(s, req, f["username"], attempt);
      return login_page(req, f["next"], f["username"], login.error().message,
                        http_status(login.error().code));
    }
    s.office.record(login->user.username, "login", "", "ip=" + req.ip);
    std::string next = f["next"];
    if (!local_path(next)) next = "/";  // no open redirects, no header injection
    auto res = Response::redirect(next);
    res.headers.emplace_back("Set-Cookie", "ogi_session=" + login->token +
                                               "; Path=/; HttpOnly; SameSite=Strict" +
                                               (s.secure_cookies ? "; Secure" : ""));
    res.headers.emplace_back("Set-Cookie",
                             "ogi_login=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0");
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
    const auto by_state = s.dashboard.state_counts(req.user());
    auto queues = s.queues->for_user(req.user());
    if (!queues) return Response::html(views.page("dashboard", d), 500);
    const auto people = s.office.people();
    d.set("no_queues", flag(queues->empty()));
    Data groups = list_of();
    for (auto& q : *queues) {
      Data g;
      g.set("key", q.spec->key);
      g.set("label", q.spec->label);
      Data items = list_of();
      for (auto& it : q.items) {
        Data x = case_summary(it.view, s.workflow, true);
        // Red only for what is late or due within 3 working days.
        x.set("urgent", flag(it.bucket == Urgency::overdue || it.bucket == Urgency::due3));
        put(x, "assignee", it.view.c.assignee.empty() ? "" : people.name(it.view.c.assignee));
        items.push_back(x);
      }
      g.set("count", q.count > 1000 ? std::string("1000+") : std::to_string(q.count));
      const long long more = q.count - static_cast<long long>(q.items.size());
      if (more > 0) {
        g.set("more", q.count > 1000 ? std::string("1000 余") : std::to_string(more));
        g.set("more_link", "/cases?queue=" + q.spec->key);
      }
      g.set("items", items);
      g.set("empty", flag(q.items.empty()));
      groups.push_back(g);
    }
    d.set("groups", groups);
    Data states = list_of();
    for (auto& st : s.workflow.states()) {
      long long n = 0;
      for (auto& [k, c] : by_state)
        if (k == st.key) n = c;
      if (st.key == "new") continue;
      Data x;
      x.set("label", st.label);
      x.set("key", st.key);
      x.set("stage_key", st.stage);
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
