// Administration: users and agencies.
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

#include "http/pages/page_kit.h"

namespace ogi::http {

void add_admin_pages(Router& r, Services& s) {
  [[maybe_unused]] const Views& views = *s.views;
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
}

}  // namespace ogi::http
