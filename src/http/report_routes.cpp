// The annual report, statistics and period locks: JSON API (contract.md "Report") and pages.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdio>

#include "api/report_json.h"
#include "app/policy.h"
#include "app/users.h"
#include "domain/codes.h"
#include "domain/identity.h"
#include "http/server.h"
#include "reports/formats.h"

namespace ogi::http {

namespace {

Result<int> year_param(const Request& req, const Date& today) {
  const std::string y = req.q("year", std::to_string(static_cast<int>(today.year()) - 1));
  try {
    size_t used = 0;
    int v = std::stoi(y, &used);
    if (used == y.size()) return v;
  } catch (...) {
  }
  return make_error(Code::invalid, "year: 年份应为四位数字", "year");
}

Response file(std::string bytes, const std::string& type, const std::string& name) {
  Response res;
  res.content_type = type;
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"report" + name.substr(name.rfind('.')) +
                                                      "\"; filename*=UTF-8''" + url_encode(name));
  res.body = std::move(bytes);
  return res;
}

// The report in the asked format (json when none).
Response report_response(const AnnualReportView& v, const std::string& format) {
  const std::string base = v.title + std::to_string(v.report.year) + "年度政府信息公开工作年度报告表";
  if (format.empty() || format == "json") return Response::json(report_json(v));  // carries check.holds
  if (!v.report.check_holds) {
    // a table that breaks the check relation is never handed out as if it were fine
    std::string why;
    for (auto& f : v.report.check_failures) why += (why.empty() ? "" : "；") + f;
    return Response::error(make_error(Code::internal, "勾稽关系不成立，报表不能导出：" + why));
  }
  if (format == "csv") return file("\xEF\xBB\xBF" + reports::to_csv(v), "text/csv; charset=utf-8", base + ".csv");
  if (format == "html") return letter_page(reports::to_html(v));
  if (format == "docx")
    return file(reports::to_docx(v), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                base + ".docx");
  if (format == "xlsx") {
    auto x = reports::to_xlsx(v);
    if (!x) return Response::error(x.error());
    return file(*x, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", base + ".xlsx");
  }
  return Response::error(make_error(Code::invalid, "format: 只支持 json、csv、html、xlsx、docx", "format"));
}

Result<std::pair<Date, Date>> range_params(const Request& req, const Date& today) {
  // ?quarter=2024Q2 or ?from=&to= (default: this year so far)
  if (auto qtr = req.q("quarter"); !qtr.empty()) {
    int y = 0, q = 0;
    if (std::sscanf(qtr.c_str(), "%4dQ%1d", &y, &q) != 2 || q < 1 || q > 4 || y < 2008 || y > 2100)
      return make_error(Code::invalid, "quarter: 季度应写作 2024Q2", "quarter");
    const Date from(static_cast<unsigned short>(y), static_cast<unsigned short>(3 * q - 2), 1);
    const Date to = (from + boost::gregorian::months(3)) - boost::gregorian::days(1);
    return std::pair{from, to};
  }
  Date from(today.year(), 1, 1), to = today;
  if (auto f = req.q("from"); !f.empty()) {
    auto d = parse_date(f, "from");
    if (!d) return d.error();
    from = *d;
  }
  if (auto t = req.q("to"); !t.empty()) {
    auto d = parse_date(t, "to");
    if (!d) return d.error();
    to = *d;
  }
  return std::pair{from, to};
}

std::string stats_csv(const PeriodStats& s) {
  std::string out = "\xEF\xBB\xBF" "项目,分项,数值\n";
  out += "期间,," + format_date(s.from) + " 至 " + format_date(s.to) + "\n";
  out += "收到申请,," + std::to_string(s.received) + "\n";
  for (auto& [ch, n] : s.by_channel) out += "收到申请（渠道）," + std::string(label_of(channels(), ch)) + "," + std::to_string(n) + "\n";
  for (auto& [m, chans] : s.by_month_channel)
    for (auto& [ch, n] : chans) out += "按月收到," + m + " " + std::string(label_of(channels(), ch)) + "," + std::to_string(n) + "\n";
  out += "办结,," + std::to_string(s.concluded) + "\n";
  out += "答复办结,," + std::to_string(s.replies) + "\n";
  out += "按时答复,," + std::to_string(s.on_time) + "\n";
  char buf[64];
  if (s.on_time_rate) std::snprintf(buf, sizeof buf, "%.1f%%", *s.on_time_rate * 100), out += "办结及时率,," + std::string(buf) + "\n";
  if (s.avg_days) std::snprintf(buf, sizeof buf, "%.1f", *s.avg_days), out += "平均答复用时（工作日）,," + std::string(buf) + "\n";
  if (s.p90_days) out += "答复用时第90百分位（工作日）,," + std::to_string(*s.p90_days) + "\n";
  for (auto& [o, n] : s.by_outcome) {
    const OutcomeInfo* info = find_outcome(o);
    out += "办理结果," + std::string(info ? info->label : std::string_view(o)) + "," + std::to_string(n) + "\n";
  }
  for (auto& [h, x] : s.by_handler) {
    out += "承办人办结," + h + "," + std::to_string(x.concluded) + "\n";
    std::snprintf(buf, sizeof buf, "%.1f", x.avg_days);
    out += "承办人平均答复用时（工作日）," + h + "," + buf + "\n";
  }
  return out;
}

// A bar chart drawn by the server (no scripts): one bar per label.
std::string bars_svg(const std::vector<std::pair<std::string, long long>>& bars, const std::string& title, int width = 640) {
  long long max = 1;
  for (auto& [l, v] : bars) max = std::max(max, v);
  const int n = static_cast<int>(bars.size()), h = 220, top = 28, bottom = 46, left = 36;
  const double slot = static_cast<double>(width - left - 8) / std::max(1, n);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + std::to_string(width) + " " +
                    std::to_string(h) + "\" role=\"img\" aria-label=\"" + html_escape(title) + "\"><title>" +
                    html_escape(title) + "</title>";
  svg += "<text x=\"" + std::to_string(left) + "\" y=\"16\" font-size=\"13\">" + html_escape(title) + "</text>";
  const int plot = h - top - bottom;
  for (int i = 0; i < n; ++i) {
    const auto& [label, v] = bars[static_cast<size_t>(i)];
    const int bh = static_cast<int>(static_cast<double>(plot) * static_cast<double>(v) / static_cast<double>(max));
    const int x = left + static_cast<int>(slot * i + slot * 0.15), w = std::max(2, static_cast<int>(slot * 0.7));
    svg += "<rect class=\"bar\" x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(top + plot - bh) + "\" width=\"" +
           std::to_string(w) + "\" height=\"" + std::to_string(bh) + "\" fill=\"#3b6ea5\"><title>" + html_escape(label) +
           "：" + std::to_string(v) + "</title></rect>";
    svg += "<text x=\"" + std::to_string(x + w / 2) + "\" y=\"" + std::to_string(top + plot - bh - 3) +
           "\" font-size=\"11\" text-anchor=\"middle\">" + std::to_string(v) + "</text>";
    svg += "<text x=\"" + std::to_string(x + w / 2) + "\" y=\"" + std::to_string(h - bottom + 16) +
           "\" font-size=\"11\" text-anchor=\"middle\">" + html_escape(label) + "</text>";
  }
  svg += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(top + plot) + "\" x2=\"" + std::to_string(width - 8) +
         "\" y2=\"" + std::to_string(top + plot) + "\" stroke=\"#555\"/></svg>";
  return svg;
}

}  // namespace

void add_report_routes(Router& r, Services& s) {
  // ---- JSON API ----
  r.add("GET", "/api/v1/reports/annual", Access::api, [&s](Request& req) {
    auto year = year_param(req, s.clock.today());
    if (!year) return Response::error(year.error());
    auto v = s.reports->annual(req.user(), *year, req.q("agency"));
    if (!v) return Response::error(v.error());
    return report_response(*v, req.q("format"));
  });
  r.add("GET", "/api/v1/reports/annual/cases", Access::api, [&s](Request& req) {
    auto year = year_param(req, s.clock.today());
    if (!year) return Response::error(year.error());
    auto ids = s.reports->cell_cases(req.user(), *year, req.q("agency"), req.q("row"), req.q("column", "total"));
    if (!ids) return Response::error(ids.error());
    std::string out = "{\"year\":" + std::to_string(*year) + ",\"count\":" + std::to_string(ids->size()) + ",\"ids\":[";
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
      res.body = stats_csv(*st);
      return res;
    }
    return Response::json(stats_json(*st));
  });
  r.add("GET", "/api/v1/reports/locks", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "report.read"); !st) return Response::error(st.error());
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
      if (!o->has("year") || !o->get("year").isInteger()) return Response::error(make_error(Code::invalid, "year: 缺少年份", "year"));
      year = o->getValue<int>("year");
      if (o->has("locked")) {
        if (!o->get("locked").isBoolean()) return Response::error(make_error(Code::invalid, "locked: 应为 true 或 false", "locked"));
        lock = o->getValue<bool>("locked");
      }
    } catch (...) {
      return Response::error(make_error(Code::malformed, "请求体应为 JSON 对象 {\"agency\",\"year\",\"locked\",\"reason\"}"));
    }
    if (Status st = s.reports->set_lock(req.user(), agency, year, lock, reason); !st) return Response::error(st.error());
    return Response::json("{\"agency\":\"" + agency + "\",\"year\":" + std::to_string(year) + ",\"locked\":" +
                          (lock ? "true" : "false") + "}");
  });

  // ---- pages ----
  const Views& views = *s.views;
  r.add("GET", "/reports", Access::page, [&s, &views](Request& req) {
    Data d = page_base(s, req, "年度报告");
    auto year = year_param(req, s.clock.today());
    const std::string agency = req.q("agency");
    Result<AnnualReportView> v = year ? s.reports->annual(req.user(), *year, agency) : Result<AnnualReportView>(year.error());
    // pickers
    Data years = list_of();
    const int shown = year ? *year : static_cast<int>(s.clock.today().year()) - 1;
    for (int y = static_cast<int>(s.clock.today().year()); y >= 2019; --y) {
      Data x;
      x.set("year", std::to_string(y));
      x.set("selected", flag(y == shown));
      years.push_back(x);
    }
    d.set("years", years);
    Data agencies = list_of();
    {
      Data all;
      all.set("code", "");
      all.set("label", req.user().agencies_visible.size() > 1 ? "全部（本机关及所属机关合计）" : "本机关");
      all.set("selected", flag(agency.empty()));
      agencies.push_back(all);
    }
    if (req.user().agencies_visible.size() > 1)
      for (auto& code : req.user().agencies_visible) {
        Data x;
        x.set("code", code);
        std::string label = code;
        if (auto a = s.office.agency(code)) label = a->name;
        x.set("label", label);
        x.set("selected", flag(agency == code));
        agencies.push_back(x);
      }
    d.set("agencies", agencies);
    if (!v) {
      d.set("error", page_message(v.error()));
      return Response::html(views.page("report", d), http_status(v.error().code));
    }
    d.set("year", std::to_string(v->report.year));
    d.set("agency_q", url_encode(agency));
    d.set("title_text", v->title);
    d.set("format_name", v->report.format == "2019" ? "国办公开办函〔2019〕60号" : "国办公开办函〔2021〕30号");
    const std::string link = "/reports/cases?year=" + std::to_string(v->report.year) + "&agency=" + url_encode(agency) + "&";
    d.set("table3", reports::table3_html(v->report, link));
    d.set("table4", reports::table4_html(v->report, link));
    d.set("check_holds", flag(v->report.check_holds));
    Data failures = list_of();
    for (auto& f : v->report.check_failures) failures.push_back(Data(f));
    d.set("check_failures", failures);
    d.set("narrative", v->narrative);
    d.set("outcome_chart", bars_svg(outcome_groups(v->report), std::to_string(v->report.year) + "年办理结果（件）"));
    std::vector<std::pair<std::string, long long>> months;
    for (int m = 0; m < 12; ++m) months.emplace_back(std::to_string(m + 1) + "月", v->intake_by_month[static_cast<size_t>(m)]);
    d.set("intake_chart", bars_svg(months, std::to_string(v->report.year) + "年每月收到申请（件）"));
    Data breakdown = list_of();
    for (auto& [name, rep] : v->breakdown) {
      Data x;
      x.set("name", name);
      x.set("received", std::to_string(rep.table3.at("1")[kColumns - 1]));
      x.set("carried_in", std::to_string(rep.table3.at("2")[kColumns - 1]));
      x.set("concluded", std::to_string(rep.table3.at("3.7")[kColumns - 1]));
      x.set("carried_out", std::to_string(rep.table3.at("4")[kColumns - 1]));
      x.set("code", name.substr(0, name.find(' ')));
      breakdown.push_back(x);
    }
    d.set("breakdown", breakdown);
    d.set("has_breakdown", flag(!breakdown.is_empty_list()));
    const bool single = v->agencies.size() == 1;
    d.set("lock_agency", v->agencies.front());
    d.set("can_lock", flag(single && allows(s.workflow, req.user(), "report.lock")));
    if (v->lock) {
      d.set("locked", flag(true));
      d.set("locked_by", v->lock->locked_by);
      d.set("locked_at", v->lock->locked_at.substr(0, 10));
      d.set("lock_reason", v->lock->reason);
    }
    if (auto e = req.q("error"); !e.empty()) d.set("error", e);
    return Response::html(views.page("report", d));
  });
  r.add("GET", "/reports/cases", Access::page, [&s, &views](Request& req) {
    Data d = page_base(s, req, "报表明细");
    auto year = year_param(req, s.clock.today());
    Result<std::vector<long long>> ids =
        year ? s.reports->cell_cases(req.user(), *year, req.q("agency"), req.q("row"), req.q("column", "total"))
             : Result<std::vector<long long>>(year.error());
    if (!ids) {
      d.set("error", page_message(ids.error()));
      return Response::html(views.page("report_cases", d), http_status(ids.error().code));
    }
    d.set("year", std::to_string(*year));
    d.set("agency_q", url_encode(req.q("agency")));
    d.set("row", req.q("row"));
    std::string row_label = req.q("row");
    for (auto& x : table3_rows(report_format(*year)))
      if (x.key == row_label) row_label = x.label;
    if (row_label == "reconsideration") row_label = "行政复议";
    if (row_label == "litigation") row_label = "行政诉讼（未经复议直接起诉）";
    if (row_label == "litigation_after_reconsideration") row_label = "行政诉讼（复议后起诉）";
    d.set("row_label", row_label);
    const std::string column = req.q("column", "total");
    std::string col_label = std::string(label_of(applicant_types(), column));
    if (col_label.empty()) col_label = column == "total" ? "总计" : std::string(label_of(remedy_results(), column));
    if (col_label.empty()) col_label = column == "pending" ? "尚未审结" : column;
    d.set("column_label", col_label);
    d.set("count", std::to_string(ids->size()));
    CaseFilter f;
    f.agencies = req.user().agencies_visible;
    f.ids = *ids;
    f.today = s.clock.today();
    f.per_page = 500;
    auto listed = s.office.list_cases(req.user(), f);
    if (!listed) return Response::error(listed.error());
    auto& [rows, total] = *listed;
    Data items = list_of();
    for (auto& c : rows) {
      Data x;
      x.set("id", std::to_string(c.id));
      x.set("number", c.number);
      x.set("applicant", c.applicant_name);
      x.set("type", std::string(label_of(applicant_types(), c.applicant_type)));
      x.set("received_on", format_date(c.received_on));
      x.set("concluded_on", c.concluded_on ? format_date(*c.concluded_on) : std::string("未办结"));
      const OutcomeInfo* o = find_outcome(c.outcome);
      x.set("outcome", o ? std::string(o->label) : std::string());
      items.push_back(x);
    }
    d.set("items", items);
    d.set("more", flag(ids->size() > rows.size()));
    return Response::html(views.page("report_cases", d));
  });
  r.add("POST", "/reports/lock", Access::page, [&s](Request& req) {
    auto f = page_form(req);
    int year = 0;
    try {
      year = std::stoi(f["year"]);
    } catch (...) {
    }
    const std::string back = "/reports?year=" + std::to_string(year) + "&agency=" + url_encode(f["agency"]);
    Status st = s.reports->set_lock(req.user(), f["agency"], year, f["locked"] == "1", f["reason"]);
    if (!st) return Response::redirect(back + "&error=" + url_encode(page_message(st.error())));
    return Response::redirect(back);
  });
  r.add("GET", "/reports/stats", Access::page, [&s, &views](Request& req) {
    Data d = page_base(s, req, "统计");
    auto range = range_params(req, s.clock.today());
    Result<PeriodStats> st = range ? s.reports->stats(req.user(), range->first, range->second, req.q("agency"))
                                   : Result<PeriodStats>(range.error());
    const int y = static_cast<int>(s.clock.today().year());
    Data quarters = list_of();
    for (int yy = y; yy >= y - 1; --yy)
      for (int q = 4; q >= 1; --q) {
        if (yy == y && Date(static_cast<unsigned short>(yy), static_cast<unsigned short>(3 * q - 2), 1) > s.clock.today()) continue;
        Data x;
        x.set("q", std::to_string(yy) + "Q" + std::to_string(q));
        x.set("label", std::to_string(yy) + "年第" + std::to_string(q) + "季度");
        quarters.push_back(x);
      }
    d.set("quarters", quarters);
    if (!st) {
      d.set("error", page_message(st.error()));
      return Response::html(views.page("report_stats", d), http_status(st.error().code));
    }
    d.set("from", format_date(st->from));
    d.set("to", format_date(st->to));
    d.set("agency_q", url_encode(req.q("agency")));
    d.set("received", std::to_string(st->received));
    d.set("concluded", std::to_string(st->concluded));
    d.set("replies", std::to_string(st->replies));
    d.set("on_time", std::to_string(st->on_time));
    char buf[32];
    if (st->on_time_rate) std::snprintf(buf, sizeof buf, "%.1f%%", *st->on_time_rate * 100), d.set("on_time_rate", std::string(buf));
    if (st->avg_days) std::snprintf(buf, sizeof buf, "%.1f", *st->avg_days), d.set("avg_days", std::string(buf));
    if (st->p90_days) d.set("p90_days", std::to_string(*st->p90_days));
    Data chans = list_of();
    for (auto& [ch, n] : st->by_channel) {
      Data x;
      x.set("label", std::string(label_of(channels(), ch)));
      x.set("n", std::to_string(n));
      chans.push_back(x);
    }
    d.set("channels", chans);
    Data months = list_of();
    std::vector<std::pair<std::string, long long>> month_bars;
    for (auto& [m, per] : st->by_month_channel) {
      long long total = 0;
      std::string parts;
      for (auto& [ch, n] : per) {
        total += n;
        parts += (parts.empty() ? "" : "，") + std::string(label_of(channels(), ch)) + " " + std::to_string(n);
      }
      Data x;
      x.set("month", m);
      x.set("n", std::to_string(total));
      x.set("parts", parts);
      months.push_back(x);
      month_bars.emplace_back(m.substr(2), total);
    }
    d.set("months", months);
    if (!month_bars.empty()) d.set("month_chart", bars_svg(month_bars, "每月收到申请（件）"));
    Data outs = list_of();
    for (auto& [o, n] : st->by_outcome) {
      Data x;
      const OutcomeInfo* info = find_outcome(o);
      x.set("label", info ? std::string(info->label) : o);
      x.set("n", std::to_string(n));
      outs.push_back(x);
    }
    d.set("outcomes", outs);
    Data hs = list_of();
    for (auto& [h, x] : st->by_handler) {
      Data row;
      row.set("name", h);
      row.set("concluded", std::to_string(x.concluded));
      row.set("replies", std::to_string(x.replies));
      row.set("on_time", std::to_string(x.on_time));
      std::snprintf(buf, sizeof buf, "%.1f", x.avg_days);
      row.set("avg", std::string(buf));
      hs.push_back(row);
    }
    d.set("handlers", hs);
    return Response::html(views.page("report_stats", d));
  });
}

}  // namespace ogi::http
