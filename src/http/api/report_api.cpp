// JSON API: the annual report, statistics and period locks (contract.md "Report").
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "api/report_json.h"
#include "app/policy.h"
#include "http/api/api_kit.h"
#include "http/report_params.h"

namespace ogi::http {

namespace {

Response file(std::string bytes, const std::string& type, const std::string& name) {
  Response res;
  res.content_type = type;
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"report" +
                                                      name.substr(name.rfind('.')) +
                                                      "\"; filename*=UTF-8''" + url_encode(name));
  res.body = std::move(bytes);
  return res;
}

// The report in the asked format (json when none).
Response report_response(const ReportWriter& w, const AnnualReportView& v,
                         const std::string& format) {
  const std::string base =
      v.title + std::to_string(v.report.year) + "年度政府信息公开工作年度报告表";
  if (format.empty() || format == "json")
    return Response::json(report_json(v));  // carries check.holds
  if (!v.report.check_holds) {
    // a table that breaks the check relation is never handed out as if it were fine
    std::string why;
    for (auto& f : v.report.check_failures) why += (why.empty() ? "" : "；") + f;
    return Response::error(make_error(Code::internal, "勾稽关系不成立，报表不能导出：" + why));
  }
  if (format == "csv")
    return file("\xEF\xBB\xBF" + w.annual_csv(v), "text/csv; charset=utf-8", base + ".csv");
  if (format == "html") return letter_page(w.annual_html(v));
  if (format == "docx")
    return file(w.annual_docx(v),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                base + ".docx");
  if (format == "xlsx") {
    auto x = w.annual_xlsx(v);
    if (!x) return Response::error(x.error());
    return file(*x, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                base + ".xlsx");
  }
  return Response::error(
      make_error(Code::invalid, "format: 只支持 json、csv、html、xlsx、docx", "format"));
}

}  // namespace

void add_report_api(Router& r, Services& s) {
  r.add("GET", "/api/v1/reports/annual", Access::api, [&s](Request& req) {
    auto year = year_param(req, s.clock.today());
    if (!year) return Response::error(year.error());
    auto v = s.reports->annual(req.user(), *year, req.q("agency"));
    if (!v) return Response::error(v.error());
    return report_response(*s.report_writer, *v, req.q("format"));
  });
  r.add("GET", "/api/v1/reports/annual/cases", Access::api, [&s](Request& req) {
    auto year = year_param(req, s.clock.today());
    if (!year) return Response::error(year.error());
    auto ids = s.reports->cell_cases(req.user(), *year, req.q("agency"), req.q("row"),
                                     req.q("column", "total"));
    if (!ids) return Response::error(ids.error());
    std::string out = "{\"year\":" + std::to_string(*year) +
                      ",\"count\":" + std::to_string(ids->size()) + ",\"ids\":[";
    for (size_t i = 0; i < ids->size(); ++i) out += (i ? "," : "") + std::to_string((*ids)[i]);
    return Response::json(out + "]}");
  });
  r.add("GET", "/api/v1/reports/stats", Access::api, [&s](Request& req) {
    auto range = range_params(req, s.clock.today());
    if (!range) return Response::error(range.error());
    auto st = s.reports->stats(req.user(), range->first, range->second, req.q("agency"));
    if (!st) return Response::error(st.error());
    if (req.q("format") == "csv") {
      Response res;
      res.content_type = "text/csv; charset=utf-8";
      res.headers.emplace_back("Content-Disposition", "attachment; filename=\"stats.csv\"");
      res.body = s.report_writer->stats_csv(*st);
      return res;
    }
    return Response::json(stats_json(*st));
  });
  r.add("GET", "/api/v1/reports/locks", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "report.read"); !st)
      return Response::error(st.error());
    std::string out = "[";
    bool first = true;
    for (auto& l : s.reports->locks(req.user())) {
      Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("agency", l.agency);
      o.set("year", l.year);
      o.set("locked_by", l.locked_by);
      o.set("locked_at", l.locked_at);
      o.set("reason", l.reason);
      std::ostringstream x;
      o.stringify(x);
      out += (first ? "" : ",") + x.str();
      first = false;
    }
    return Response::json(out + "]");
  });
  r.add("POST", "/api/v1/reports/locks", Access::api, [&s](Request& req) {
    std::string agency, reason;
    int year = 0;
    bool lock = true;
    try {
      Poco::JSON::Parser p;
      auto o = p.parse(req.body).extract<Poco::JSON::Object::Ptr>();
      agency = o->optValue<std::string>("agency", req.user().agency);
      reason = o->optValue<std::string>("reason", "");
      if (!o->has("year") || !o->get("year").isInteger())
        return Response::error(make_error(Code::invalid, "year: 缺少年份", "year"));
      year = o->getValue<int>("year");
      if (o->has("locked")) {
        if (!o->get("locked").isBoolean())
          return Response::error(make_error(Code::invalid, "locked: 应为 true 或 false", "locked"));
        lock = o->getValue<bool>("locked");
      }
    } catch (...) {
      return Response::error(make_error(
          Code::malformed, "请求体应为 JSON 对象 {\"agency\",\"year\",\"locked\",\"reason\"}"));
    }
    if (Status st = s.reports->set_lock(req.user(), agency, year, lock, reason); !st)
      return Response::error(st.error());
    return Response::json("{\"agency\":\"" + agency + "\",\"year\":" + std::to_string(year) +
                          ",\"locked\":" + (lock ? "true" : "false") + "}");
  });
}

}  // namespace ogi::http
