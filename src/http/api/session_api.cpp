// JSON API: /healthz, the session (login, logout), who am I.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/case_json.h"
#include "app/calendar_admin.h"
#include "app/letters.h"
#include "app/policy.h"
#include "app/registration.h"
#include "app/users.h"
#include "domain/codes.h"
#include "domain/identity.h"
#include "http/api/api_kit.h"
#include "http/server.h"
#include "http/svg.h"

namespace ogi::http {

void add_session_api(Router& r, Services& s) {
  r.add("GET", "/healthz", Access::open,
        [](Request&) { return Response::json("{\"status\":\"ok\"}"); });

  // ---- session ----
  r.add("POST", "/api/v1/session", Access::open, [&s](Request& req) {
    std::string username, password;
    try {
      Poco::JSON::Parser p;
      auto o = p.parse(req.body).extract<Object::Ptr>();
      username = o->optValue<std::string>("username", "");
      password = o->optValue<std::string>("password", "");
    } catch (...) {
      return Response::error(
          make_error(Code::malformed, "请求体应为 JSON 对象 {\"username\",\"password\"}"));
    }
    LoginAttempt attempt;
    auto login = s.auth.login(username, password, req.ip, &attempt);
    if (!login) {
      audit_login_failure(s, req, username, attempt);
      return Response::error(login.error());
    }
    s.office.record(login->user.username, "login", "", "ip=" + req.ip);
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("token", login->token);
    o.set("csrf", login->csrf);
    o.set("expires_at", static_cast<Poco::Int64>(login->expires_at));
    Object u(Poco::JSON_PRESERVE_KEY_ORDER);
    u.set("username", login->user.username);
    u.set("display_name", login->user.display_name);
    u.set("agency", login->user.agency);
    Array roles;
    for (auto& x : login->user.roles) roles.add(x);
    u.set("roles", roles);
    o.set("user", u);
    return Response::json(stringify(o));
  });
  r.add("DELETE", "/api/v1/session", Access::api, [&s](Request& req) {
    (void)s.auth.logout(req.token);
    audit(s, req, "logout", "");
    return Response::json("{}");
  });
  r.add("GET", "/api/v1/me", Access::api, [](Request& req) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    const User& u = req.user();
    o.set("username", u.username);
    o.set("display_name", u.display_name);
    o.set("agency", u.agency);
    Array roles, ag;
    for (auto& x : u.roles) roles.add(x);
    for (auto& x : u.agencies_visible) ag.add(x);
    o.set("roles", roles);
    o.set("agencies", ag);
    return Response::json(stringify(o));
  });
}

}  // namespace ogi::http
