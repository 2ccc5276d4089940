// The case page and what is done on it beside events (uploads, reissue, the receipt).
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
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

void add_case_pages(Router& r, Services& s) {
  [[maybe_unused]] const Views& views = *s.views;
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
    audit_read(s, req, "case.read", std::to_string(id));
    d.set("title", v->c.number);
    d.set("case", case_summary(*v, s.workflow, false));
    d.set("registered", flag(req.q("registered") == "1"));
    if (auto e = req.q("error"); !e.empty()) d.set("error", e);
    d.set("timeline", timeline_svg(*v, s.calendar, s.clock.today()));
    if (auto done = req.q("done"); !done.empty()) d.set("done", done);
    const auto people = s.office.people();  // people by name, never by login
    d.set("assign", assignment_block(s, req.user(), v->c, people));
    std::vector<std::pair<std::string, Data>> lines;  // by the time recorded
    for (auto& e : v->c.events) {
      Data x;
      auto* spec = s.workflow.event(e.event);
      x.set("label", spec ? spec->label : e.event);
      x.set("on", format_date(e.on));
      x.set("by", people.name(e.by));
      x.set("at", local_time(e.at));
      put(x, "detail", event_detail(s.workflow, v->c, e));
      lines.emplace_back(e.at, x);
    }
    // An assignment made with the registration comes after it (same time).
    for (auto& [at, label, by, detail] : assignment_history(s, req.user(), id, people)) {
      Data x;
      x.set("label", label);
      x.set("on", local_time(at).substr(0, 10));
      x.set("by", by);
      x.set("at", local_time(at));
      put(x, "detail", detail);
      lines.emplace_back(at, x);
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](auto& a, auto& b) { return a.first < b.first; });
    Data hist = list_of();
    for (auto& l : lines) hist.push_back(l.second);
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
    if (auto a = s.office.agency(v->c.agency)) ag = *a;
    Context ctx{s.workflow, s.calendar, s.clock, ClockSettings{ag.fee_pauses_clock}};
    d.set("actions", action_forms(ctx, *v, req.user(), s.clock.today()));
    Data atts = list_of();
    auto attached = s.office.attachments(req.user(), id);
    for (auto& a : attached ? *attached : std::vector<Attachment>{}) {
      Data x;
      x.set("id", std::to_string(a.id));
      x.set("name", a.name);
      x.set("size", std::to_string((a.size + 1023) / 1024) + " KiB");
      x.set("by", people.name(a.uploaded_by));
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
  r.add_upload(
      "POST", "/cases/{id}/upload", Access::page,
      [&s](Request& req) {
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
          std::ifstream in(req.body_file, std::ios::binary);
          Poco::Net::HTMLForm form;
          form.setFieldLimit(0);
          form.load(*req.raw, in, part);
        } catch (...) {
          return Response::redirect(back +
                                    "?error=%E4%B8%8A%E4%BC%A0%E5%A4%B1%E8%B4%A5");  // 上传失败
        }
        if (part.file.path.empty())
          return Response::redirect(back + "?error=" + url_encode("请选择要上传的文件"));
        auto stored = store_attachment_file(s, req, id, part.name, part.mime, part.file.path);
        if (!stored)
          return Response::redirect(back + "?error=" + url_encode(ui_message(stored.error())));
        return Response::redirect(back);
      },
      20 << 20);
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
    if (!l)
      return Response::redirect(back + "?error=" + url_encode(ui_message(l.error())) + "#letters");
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
    if (!v)
      return Response::html(
          "<!doctype html><meta charset=utf-8><p>" + html_escape(v.error().message) + "</p>",
          http_status(v.error().code));
    if (!allows(s.workflow, req.user(), "case.read"))
      return Response::html("<!doctype html><meta charset=utf-8><p>您的角色无权查看案件内容</p>",
                            403);
    // The receipt issued at registration, as frozen; the page below only for cases loaded
    // without letters (bulk import).
    for (auto& l : s.letters->list(id)) {
      if (l.kind != "receipt" || l.superseded_by) continue;
      auto html = s.letters->bytes(req.user(), l.id, "html");
      if (!html)
        return Response::html(
            "<!doctype html><meta charset=utf-8><p>" + html_escape(html.error().message) + "</p>",
            http_status(html.error().code));
      return letter_page(*html, "/cases/" + std::to_string(id));
    }
    Data d = case_summary(*v, s.workflow, true);
    if (auto a = s.office.agency(v->c.agency)) d.set("agency_name", a->name);
    Data missing = list_of();
    for (auto& m : missing_items(v->c)) missing.push_back(Data(m));
    d.set("has_missing", flag(!missing.is_empty_list()));
    d.set("missing", missing);
    d.set("today", format_date(s.clock.today()));
    return Response::html(views.render("receipt", d));
  });
}

}  // namespace ogi::http
