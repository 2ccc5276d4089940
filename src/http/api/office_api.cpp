// JSON API: the dashboard, duplicates, alerts, the audit trail, administration and the lifecycle.
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

void add_office_api(Router& r, Services& s) {
  // ---- dashboard, duplicates, alerts ----
  r.add("GET", "/api/v1/dashboard", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    auto d = s.dashboard.for_user(req.user());
    if (!d) return Response::error(d.error());
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    Object counts(Poco::JSON_PRESERVE_KEY_ORDER);
    for (Urgency u :
         {Urgency::overdue, Urgency::due3, Urgency::due7, Urgency::later, Urgency::unknown})
      counts.set(urgency_key(u), d->count(u));
    o.set("counts", counts);
    Array items;
    for (auto& it : d->items) items.add(work_item_json(it.view, s.workflow, it.bucket, "bucket"));
    o.set("items", items);
    Object states(Poco::JSON_PRESERVE_KEY_ORDER);
    for (auto& [k, n] : d->by_state) states.set(k, static_cast<Poco::Int64>(n));
    o.set("by_state", states);
    return Response::json(stringify(o));
  });
  r.add("GET", "/api/v1/duplicates", Access::api, [&s](Request& req) {
    auto rows = s.office.duplicates(req.user(), req.q("name"), req.q("identity"), req.q("content"));
    if (!rows) return Response::error(rows.error());
    Array items;
    for (auto& row : *rows) items.add(row_json(row, s.workflow, s.calendar, s.clock.today()));
    return Response::json(stringify(items));
  });
  r.add("GET", "/api/v1/alerts", Access::api, [&s](Request& req) {
    auto alerts = s.office.alerts(req.user());
    if (!alerts) return Response::error(alerts.error());
    Array a;
    for (auto& x : *alerts) {
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("id", static_cast<Poco::Int64>(x.id));
      o.set("case_id", static_cast<Poco::Int64>(x.case_id));
      o.set("number", x.number);
      o.set("kind", x.kind);
      o.set("due_on", x.due_on);
      o.set("raised_on", x.raised_on);
      o.set("message", x.message);
      a.add(o);
    }
    return Response::json(stringify(a));
  });

  // ---- audit trail ----
  r.add("GET", "/api/v1/audit", Access::api, [&s](Request& req) {
    long long before = 0;
    try {
      before = std::stoll(req.q("before", "0"));
    } catch (...) {
    }
    auto rows = s.office.trail(req.user(), 200, before);
    if (!rows) return Response::error(rows.error());
    Array a;
    for (auto& x : *rows) {
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("id", static_cast<Poco::Int64>(x.id));
      o.set("at", x.at);
      o.set("actor", x.actor);
      o.set("action", x.action);
      o.set("target", x.target);
      o.set("detail", x.detail);
      a.add(o);
    }
    return Response::json(stringify(a));
  });

  // ---- administration ----
  r.add("GET", "/api/v1/admin/users", Access::api, [&s](Request& req) {
    auto users = s.office.users(req.user());
    if (!users) return Response::error(users.error());
    Array a;
    for (auto& u : *users) {
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("username", u.username);
      o.set("display_name", u.display_name);
      o.set("agency", u.agency);
      Array roles;
      for (auto& x : u.roles) roles.add(x);
      o.set("roles", roles);
      a.add(o);
    }
    return Response::json(stringify(a));
  });
  r.add("POST", "/api/v1/admin/users", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "user.admin"); !st)
      return Response::error(st.error());
    User u;
    std::string password;
    try {
      Poco::JSON::Parser p;
      auto o = p.parse(req.body).extract<Object::Ptr>();
      u.username = o->optValue<std::string>("username", "");
      u.display_name = o->optValue<std::string>("display_name", u.username);
      u.agency = o->optValue<std::string>("agency", "");
      password = o->optValue<std::string>("password", "");
      if (auto roles = o->getArray("roles"))
        for (auto& x : *roles) u.roles.push_back(x.convert<std::string>());
    } catch (...) {
      return Response::error(make_error(Code::malformed, "请求体应为 JSON 对象"));
    }
    auto id = s.office.add_user(req.user(), u, password, "ip=" + req.ip);
    if (!id) return Response::error(id.error());
    return Response::json("{\"id\":" + std::to_string(*id) + "}", 201);
  });
  r.add("GET", "/api/v1/admin/agencies", Access::api, [&s](Request& req) {
    auto list = s.office.agencies(req.user());
    if (!list) return Response::error(list.error());
    Array a;
    for (auto& [ag, body, court, choice, policy] : *list) {
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("code", ag.code);
      o.set("name", ag.name);
      o.set("number_pattern", ag.number_pattern);
      o.set("parent", ag.parent);
      o.set("fee_pauses_clock", ag.fee_pauses_clock);
      o.set("reconsideration_body", body);
      o.set("court", court);
      o.set("kind", ag.kind);
      o.set("remedy_policy", policy);
      o.set("effective_reconsideration_body",
            choice.body.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(choice.body));
      if (!choice.warning.empty()) o.set("warning", choice.warning);
      a.add(o);
    }
    return Response::json(stringify(a));
  });

  // ---- calendar and lifecycle ----
  // calendar: calendar_routes.cpp
  r.add("GET", "/api/v1/workflow.dot", Access::api, [&s](Request&) {
    Response res;
    res.content_type = "text/vnd.graphviz; charset=utf-8";
    res.body = s.workflow.dot();
    return res;
  });
  r.add("GET", "/api/v1/workflow.svg", Access::api, [&s](Request&) {
    Response res;
    res.content_type = "image/svg+xml; charset=utf-8";
    res.body = lifecycle_svg(s.workflow);
    return res;
  });
}

}  // namespace ogi::http
