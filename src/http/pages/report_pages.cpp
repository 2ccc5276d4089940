// The report pages: the annual report with its drill-down, period locks and statistics.
#include <cstdio>

#include "app/policy.h"
#include "domain/codes.h"
#include "http/pages/page_kit.h"
#include "http/report_params.h"

namespace ogi::http {

void add_report_pages(Router& r, Services& s) {
  const Views& views = *s.views;
  r.add("GET", "/reports", Access::page, [&s, &views](Request& req) {
    Data d = page_base(s, req, "年度报告");
    auto year = year_param(req, s.clock.today());
    const std::string agency = req.q("agency");
    Result<AnnualReportView> v = year ? s.reports->annual(req.user(), *year, agency)
                                      : Result<AnnualReportView>(year.error());
    // Without a year: the latest with data (last year, the one reported by 31 January; this
    // year while last year has nothing).
    if (v && req.q("year").empty()) {
      const ReportTotals t = report_totals(v->report);
      if (t.received == 0 && t.carried_in == 0 && t.concluded == 0) {
        auto now = s.reports->annual(req.user(), *year + 1, agency);
        if (now && report_totals(now->report).received > 0) year = *year + 1, v = std::move(now);
      }
    }
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
      all.set("label",
              req.user().agencies_visible.size() > 1 ? "全部（本机关及所属机关合计）" : "本机关");
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
    d.set("format_name",
          v->report.format == "2019" ? "国办公开办函〔2019〕60号" : "国办公开办函〔2021〕30号");
    const std::string link = "/reports/cases?year=" + std::to_string(v->report.year) +
                             "&agency=" + url_encode(agency) + "&";
    d.set("table3", s.report_writer->table3_html(v->report, link));
    d.set("table4", s.report_writer->table4_html(v->report, link));
    d.set("check_holds", flag(v->report.check_holds));
    Data failures = list_of();
    for (auto& f : v->report.check_failures) failures.push_back(Data(f));
    d.set("check_failures", failures);
    d.set("narrative", v->narrative);
    d.set("outcome_chart",
          s.report_writer->bar_chart(outcome_groups(v->report),
                                     std::to_string(v->report.year) + "年办理结果（件）"));
    std::vector<std::pair<std::string, long long>> months;
    for (int m = 0; m < 12; ++m)
      months.emplace_back(std::to_string(m + 1) + "月", v->intake_by_month[static_cast<size_t>(m)]);
    d.set("intake_chart", s.report_writer->bar_chart(
                              months, std::to_string(v->report.year) + "年每月收到申请（件）"));
    Data breakdown = list_of();
    for (auto& [name, rep] : v->breakdown) {
      Data x;
      // "SZF 示例市人民政府办公室": the name on screen, the code in the link
      x.set("name", name.find(' ') == std::string::npos ? name : name.substr(name.find(' ') + 1));
      const ReportTotals t = report_totals(rep);
      x.set("received", std::to_string(t.received));
      x.set("carried_in", std::to_string(t.carried_in));
      x.set("concluded", std::to_string(t.concluded));
      x.set("carried_out", std::to_string(t.carried_out));
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
      d.set("locked_by", s.office.people().name(v->lock->locked_by));
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
        year ? s.reports->cell_cases(req.user(), *year, req.q("agency"), req.q("row"),
                                     req.q("column", "total"))
             : Result<std::vector<long long>>(year.error());
    if (!ids) {
      d.set("error", page_message(ids.error()));
      return Response::html(views.page("report_cases", d), http_status(ids.error().code));
    }
    d.set("year", std::to_string(*year));
    d.set("agency_q", url_encode(req.q("agency")));
    d.set("row", req.q("row"));
    d.set("row_label", report_row_label(report_format(*year), req.q("row")));
    d.set("column_label", report_column_label(req.q("column", "total")));
    d.set("count", std::to_string(ids->size()));
    CaseFilter f;  // the service limits it to the reader's agencies
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
    const std::string back =
        "/reports?year=" + std::to_string(year) + "&agency=" + url_encode(f["agency"]);
    Status st = s.reports->set_lock(req.user(), f["agency"], year, f["locked"] == "1", f["reason"]);
    if (!st) return Response::redirect(back + "&error=" + url_encode(page_message(st.error())));
    return Response::redirect(back);
  });
  r.add("GET", "/reports/stats", Access::page, [&s, &views](Request& req) {
    Data d = page_base(s, req, "统计");
    auto range = range_params(req, s.clock.today());
    Result<PeriodStats> st =
        range ? s.reports->stats(req.user(), range->first, range->second, req.q("agency"))
              : Result<PeriodStats>(range.error());
    const int y = static_cast<int>(s.clock.today().year());
    Data quarters = list_of();
    for (int yy = y; yy >= y - 1; --yy)
      for (int q = 4; q >= 1; --q) {
        if (yy == y && Date(static_cast<unsigned short>(yy), static_cast<unsigned short>(3 * q - 2),
                            1) > s.clock.today())
          continue;
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
    if (st->on_time_rate)
      std::snprintf(buf, sizeof buf, "%.1f%%", *st->on_time_rate * 100),
          d.set("on_time_rate", std::string(buf));
    if (st->avg_days)
      std::snprintf(buf, sizeof buf, "%.1f", *st->avg_days), d.set("avg_days", std::string(buf));
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
        parts += (parts.empty() ? "" : "，") + std::string(label_of(channels(), ch)) + " " +
                 std::to_string(n);
      }
      Data x;
      x.set("month", m);
      x.set("n", std::to_string(total));
      x.set("parts", parts);
      months.push_back(x);
      month_bars.emplace_back(m.substr(2), total);
    }
    d.set("months", months);
    if (!month_bars.empty())
      d.set("month_chart", s.report_writer->bar_chart(month_bars, "每月收到申请（件）"));
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
    const auto people = s.office.people();  // by name, never by login
    for (auto& [h, x] : st->by_handler) {
      Data row;
      row.set("name", people.name(h));
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
