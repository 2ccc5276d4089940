// JSON API: cases, their events and letters (contract.md).
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

void add_case_api(Router& r, Services& s) {
  // ---- cases ----
  r.add("POST", "/api/v1/cases", Access::api, [&s](Request& req) {
    auto body = parse_registration(req.body);
    if (!body) return Response::error(body.error());
    auto v = s.case_service.register_case(req.user(), *body,
                                          "ip=" + req.ip);  // audited in its transaction
    return case_response(s, v, 201);
  });
  r.add("GET", "/api/v1/cases", Access::api, [&s](Request& req) {
    auto f = filter_of(req, s.clock.today(), s.queues);
    if (!f) return Response::error(f.error());
    auto listed = s.office.list_cases(req.user(), *f);
    if (!listed) return Response::error(listed.error());
    auto& [rows, total] = *listed;
    Array items;
    for (auto& row : rows) items.add(row_json(row, s.workflow, s.calendar, f->today));
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("items", items);
    o.set("total", static_cast<Poco::Int64>(std::min<long long>(total, 1000)));
    o.set("total_more", total > 1000);  // counts stop at 1000: narrow the filters to see more
    o.set("page", f->page);
    o.set("per_page", f->per_page);
    return Response::json(stringify(o));
  });
  r.add("GET", "/api/v1/cases.csv", Access::api, [&s](Request& req) {
    auto f = filter_of(req, s.clock.today(), s.queues);
    if (!f) return Response::error(f.error());
    // Streamed a page at a time: every row, whatever the count, never all in memory.
    auto pages = s.office.each_case(req.user(), *f);
    if (!pages) return Response::error(pages.error());
    audit(s, req, "case.export", "", "csv");
    Response res;
    res.content_type = "text/csv; charset=utf-8";
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"cases.csv\"");
    res.body = s.report_writer->cases_csv_header();
    res.stream = [&s, send = std::move(*pages)](std::ostream& os) {
      return send([&](const std::vector<CaseRow>& rows) {
        os << s.report_writer->cases_csv_rows(rows, s.workflow);
        return static_cast<bool>(os);
      });
    };
    return res;
  });
  r.add("GET", "/api/v1/cases/{id}", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    auto v = s.case_service.show(req.user(), *id);
    if (v) audit_read(s, req, "case.read", std::to_string(*id));
    return case_response(s, v);
  });
  r.add("POST", "/api/v1/cases/{id}/events", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    auto ev = parse_event(req.body);
    if (!ev) return Response::error(ev.error());
    long long version = 0;
    if (auto m = req.raw->get("If-Match", ""); !m.empty()) {
      try {
        version = std::stoll(m[0] == '"' ? m.substr(1) : m);
      } catch (...) {
        return Response::error(make_error(Code::malformed, "If-Match 应为案件版本号"));
      }
    }
    auto v = s.case_service.record_event(req.user(), *id, *ev, version,
                                         "ip=" + req.ip);  // audited in its transaction
    return case_response(s, v);
  });
  r.add("GET", "/api/v1/cases/{id}/letters", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    auto v = s.case_service.show(req.user(), *id);
    if (!v) return Response::error(v.error());
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    Array a;
    for (auto& l : s.letters->list(*id)) a.add(letter_json(l));
    return Response::json(stringify(a));
  });
  r.add("GET", "/api/v1/cases/{id}/letters.docx", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    auto v = s.case_service.show(req.user(), *id);
    if (!v) return Response::error(v.error());
    auto docx = s.letters->print_all(req.user(), *id);
    if (!docx) return Response::error(docx.error());
    audit_read(s, req, "letter.read", std::to_string(*id), "全部文书");
    return download(*docx, "docx", "case-" + std::to_string(*id) + "-letters",
                    v->c.number + " 全部文书");
  });
  r.add("GET", "/api/v1/cases/{id}/reply-preview", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    auto p = s.letters->preview_reply(req.user(), *id);
    if (!p) return Response::error(p.error());
    audit_read(s, req, "letter.read", std::to_string(*id), "答复书预览");
    if (req.q("format") == "docx")
      return download(p->docx, "docx", "reply-preview", "答复书（预览）");
    return draft_page(p->html, "/cases/" + std::to_string(*id));
  });
  r.add("GET", "/api/v1/letters/{id}", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    const std::string format = req.q("format");
    if (format.empty()) {
      auto l = s.letters->get(req.user(), *id);
      if (!l) return Response::error(l.error());
      return Response::json(stringify(letter_json(*l)));
    }
    auto l = s.letters->get(req.user(), *id);
    if (!l) return Response::error(l.error());
    auto b = s.letters->bytes(req.user(), *id, format);
    if (!b) return Response::error(b.error());
    audit_read(s, req, "letter.read", std::to_string(l->case_id), l->number);
    if (format == "html")
      return letter_page(*b, "/cases/" + std::to_string(l->case_id) + "#letters");
    return download(*b, "docx", "letter-" + std::to_string(*id), l->title + " " + l->number);
  });
  r.add("POST", "/api/v1/letters/{id}/reissue", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    std::string reason;
    try {
      Poco::JSON::Parser p;
      auto o = p.parse(req.body).extract<Object::Ptr>();
      reason = o->optValue<std::string>("reason", "");
    } catch (...) {
      return Response::error(make_error(Code::malformed, "请求体应为 JSON 对象"));
    }
    auto l = s.letters->reissue(req.user(), *id, reason);
    if (!l) return Response::error(l.error());
    audit(s, req, "letter.reissue", std::to_string(*id), "→ " + std::to_string(l->id));
    return Response::json(stringify(letter_json(*l)), 201);
  });
}

}  // namespace ogi::http
