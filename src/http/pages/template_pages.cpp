// Letter templates, the lifecycle page and the audit trail.
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

void add_template_pages(Router& r, Services& s) {
  [[maybe_unused]] const Views& views = *s.views;
  // ---- calendar: calendar_routes.cpp ----
  r.add("GET", "/admin/templates", Access::page, [&s, &views](Request& req) {
    if (!allows(s.workflow, req.user(), "template.read")) return Response::redirect("/");
    Data d = base(s.workflow, req, "文书模板");
    Data list = list_of();
    for (auto& t : s.letters->templates()) {
      Data x;
      x.set("name", t.name);
      const std::string kind = template_kind(t.name);
      x.set("kind",
            kind.empty() ? std::string("公用片段") : std::string(label_of(letter_kinds(), kind)));
      if (t.version) x.set("version", std::to_string(t.version));
      list.push_back(x);
    }
    d.set("templates", list);
    return Response::html(views.page("admin_templates", d));
  });
  auto template_page = [&s, &views](Request& req, const std::string& name, const std::string* body,
                                    const std::string& error, int saved) {
    Data d = base(s.workflow, req, "文书模板 " + name);
    d.set("can_edit",
          flag(allows(s.workflow, req.user(), "template.edit")));  // others read and preview
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
    d.set("kind",
          kind.empty() ? std::string("公用片段") : std::string(label_of(letter_kinds(), kind)));
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
      if (!body)
        return template_page(req, req.params["name"], nullptr, ui_message(body.error()), 0);
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
    if (auto own = s.office.agency(req.user().agency)) a = *own;
    auto p = s.letters->preview_template(req.params["name"], f["body"], a);
    if (!p)
      return Response::html(
          "<!doctype html><meta charset=utf-8><title>预览失败</title><p role=alert>模板有错误：" +
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
    auto trail = s.office.trail(req.user(), 300, 0);
    if (!trail) return Response::redirect("/");
    Data d = base(s.workflow, req, "审计记录");
    Data rows = list_of();
    for (auto& a : *trail) {
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
