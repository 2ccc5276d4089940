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
#include "http/server.h"
#include "http/svg.h"

namespace ogi::http {

namespace {

// One row of the audit trail as its page shows it: Beijing time, people and agencies by name,
// what was done and the event recorded in Chinese; no login names or codes on screen.
Data audit_row(const AuditRow& a, const OfficeService::People& people,
               const std::map<std::string, std::string>& agencies, const Workflow& wf,
               bool link_cases) {
  auto agency = [&](const std::string& code) {
    auto it = agencies.find(code);
    return it == agencies.end() ? code : it->second;
  };
  Data x;
  x.set("at", local_time(a.at));
  x.set("actor", people.name(a.actor));
  const std::string_view action = label_of(audit_actions(), a.action);
  x.set("action", action.empty() ? std::string("其他操作") : std::string(action));
  std::string target = a.target;
  if (a.action.starts_with("case.") || a.action.starts_with("attachment.") ||
      a.action == "letter.read") {
    if (!a.target.empty() && link_cases) x.set("target_link", "/cases/" + a.target);
    target = a.target.empty() ? "" : "案件 " + a.target;
  } else if (a.action == "letter.reissue") {
    target = "文书 " + a.target;
  } else if (a.action.starts_with("user.")) {
    target = people.name(a.target);
  } else if (a.action.starts_with("agency.") || a.action == "import.cases") {
    target = agency(a.target);
  } else if (a.action.starts_with("period.")) {
    const auto sp = a.target.find(' ');
    target = sp == std::string::npos
                 ? a.target
                 : agency(a.target.substr(0, sp)) + " " + a.target.substr(sp + 1) + "年度";
  } else if (a.action.starts_with("calendar.")) {
    target = a.target + "年";
  } else if (a.action == "template.save") {
    const std::string kind = template_kind(a.target);
    target = kind.empty() ? std::string("公用片段") : std::string(label_of(letter_kinds(), kind));
  }
  x.set("target", target);
  // The detail: the event's label for a case event, the client address in words.
  std::string detail, word;
  std::istringstream in(a.detail);
  bool first = true;
  while (in >> word) {
    if (first && a.action == "case.event")
      if (const EventSpec* e = wf.event(word)) word = e->label;
    if (word.starts_with("ip=")) word = "来自 " + word.substr(3);
    detail += (detail.empty() ? "" : " ") + word;
    first = false;
  }
  x.set("detail", detail);
  return x;
}

}  // namespace

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
      x.set("title", template_title(t.name));
      if (t.version) x.set("version", std::to_string(t.version));
      list.push_back(x);
    }
    d.set("templates", list);
    return Response::html(views.page("admin_templates", d));
  });
  auto template_page = [&s, &views](Request& req, const std::string& name, const std::string* body,
                                    const std::string& error, int saved) {
    Data d = base(s.workflow, req, "文书模板：" + template_title(name));
    d.set("can_edit",
          flag(allows(s.workflow, req.user(), "template.edit")));  // others read and preview
    const TemplateVersion* cur = nullptr;
    auto all = s.letters->templates();
    for (auto& t : all)
      if (t.name == name) cur = &t;
    if (!cur) {
      d.set("error", "没有这个文书模板");
      d.set("templates", list_of());
      return Response::html(views.page("admin_templates", d), 404);
    }
    d.set("name", name);
    d.set("template_title", template_title(name));
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
    const auto people = s.office.people();
    for (auto& v : s.letters->versions(name)) {
      Data x;
      x.set("version", std::to_string(v.version));
      x.set("author", people.name(v.author));
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
    // The diagram laid out by Graphviz (deploy/diagram.sh), when it was made from this workflow;
    // else the simple built-in layout.
    const std::string shipped = views.static_file("lifecycle.svg");
    const std::string mark =
        "<!-- ogi-lifecycle-diagram sha256=" + sha256_hex(s.workflow.diagram_dot());
    if (!shipped.empty() && shipped.rfind(mark, 0) == 0) {
      d.set("svg", shipped.substr(shipped.find("<svg")));
      d.set("laid_out", flag(true));
    } else {
      d.set("svg", lifecycle_svg(s.workflow));
    }
    return Response::html(views.page("admin_workflow", d));
  });
  r.add("GET", "/audit", Access::page, [&s, &views](Request& req) {
    auto trail = s.office.trail(req.user(), 300, 0);
    if (!trail) return Response::redirect("/");
    Data d = base(s.workflow, req, "审计记录");
    const auto people = s.office.people();
    std::map<std::string, std::string> agencies;
    for (auto& ag : s.office.agency_choices()) agencies[ag.code] = ag.name;
    Data rows = list_of();
    // a case is a link only for who may open it (not the administrator)
    const bool link_cases = allows(s.workflow, req.user(), "case.read");
    for (auto& a : *trail) rows.push_back(audit_row(a, people, agencies, s.workflow, link_cases));
    d.set("rows", rows);
    return Response::html(views.page("audit", d));
  });
}

}  // namespace ogi::http
