// Administration: users and agencies.
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

void add_admin_pages(Router& r, Services& s) {
  [[maybe_unused]] const Views& views = *s.views;
  // ---- administration ----
  // The users page; after a refused addition, with the error and what was typed (no password).
  auto users_page = [&s, &views](const Request& req, const std::string& error, const User& typed) {
    Data d = base(s.workflow, req, "用户与角色");
    auto listed = s.office.users(req.user());
    if (!listed) return Response::redirect("/");
    const auto choices = s.office.agency_choices();
    auto agency_name = [&choices](const std::string& code) {
      for (auto& a : choices)
        if (a.code == code) return a.name;
      return code;
    };
    Data users = list_of();
    for (auto& u : *listed) {
      Data x;
      x.set("username", u.username);
      x.set("display_name", u.display_name);
      x.set("agency", agency_name(u.agency));
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
    Data rs = list_of();
    for (auto& r : roles()) {
      Data o;
      o.set("code", std::string(r.code));
      o.set("label", std::string(r.label));
      o.set("checked",
            flag(std::find(typed.roles.begin(), typed.roles.end(), r.code) != typed.roles.end()));
      rs.push_back(o);
    }
    d.set("roles", rs);
    Data ag = list_of();
    for (auto& a : choices) {
      Data o;
      o.set("code", a.code);
      o.set("label", a.name);
      o.set("selected", flag(a.code == typed.agency));
      ag.push_back(o);
    }
    d.set("agencies", ag);
    d.set("f_username", typed.username);
    d.set("f_display_name", typed.display_name);
    put(d, "error", error);
    return Response::html(views.page("admin_users", d), error.empty() ? 200 : 422);
  };
  r.add("GET", "/admin/users", Access::page, [&s, users_page](Request& req) {
    if (!allows(s.workflow, req.user(), "user.admin")) return Response::redirect("/");
    return users_page(req, req.q("error"), User{});
  });
  r.add("POST", "/admin/users", Access::page, [&s, users_page](Request& req) {
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
    auto id = s.office.add_user(req.user(), u, password, "ip=" + req.ip);
    if (!id) return users_page(req, ui_message(id.error()), u);  // keeps what was typed
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
    auto done =
        s.office.update_user(req.user(), user, roles_wanted, active, password, "ip=" + req.ip);
    if (!done)
      return Response::redirect("/admin/users?error=" + url_encode(ui_message(done.error())));
    return Response::redirect("/admin/users");
  });
  r.add("GET", "/admin/agencies", Access::page, [&s, &views](Request& req) {
    if (!allows(s.workflow, req.user(), "agency.admin")) return Response::redirect("/");
    Data d = base(s.workflow, req, "机关设置");
    auto listed = s.office.agencies(req.user());
    if (!listed) return Response::redirect("/");
    Data list = list_of();
    for (auto& [a, body, court, choice, policy] : *listed) {
      Data x;
      x.set("code", a.code);
      x.set("name", a.name);
      x.set("pattern", a.number_pattern);
      if (!a.parent.empty()) {  // the parent by name, not by code
        std::string parent = a.parent;
        for (auto& other : *listed)
          if (other.agency.code == a.parent) parent = other.agency.name;
        x.set("parent", parent);
      }
      x.set("body", body);
      x.set("court", court);
      x.set("kinds", options(agency_kinds(), a.kind, "（未设置）"));
      Data policies = list_of();
      for (auto& [key, label] : s.workflow.remedy_policies()) {
        Data o;
        o.set("code", key);
        o.set("label", label);
        if (key == policy) o.set("selected", true);
        policies.push_back(o);
      }
      x.set("policies", policies);
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
    auto done = s.office.update_agency(req.user(), a, f["body"], f["court"], "ip=" + req.ip);
    if (!done)
      return Response::redirect("/admin/agencies?error=" + url_encode(ui_message(done.error())));
    return Response::redirect("/admin/agencies");
  });
}

}  // namespace ogi::http
