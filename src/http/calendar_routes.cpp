// The working-day calendar: its page and API, and the import of a year (a pasted State Council
// notice, a .cal file or an .ics feed) with a preview before saving. The dispatcher holds the
// calendar lock exclusively for the POST routes: the calendar object is replaced in place.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "app/calendar_admin.h"
#include "app/policy.h"
#include "app/users.h"
#include "http/server.h"

namespace ogi::http {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string json_text(const Object& o) {
  std::ostringstream s;
  o.stringify(s);
  return s.str();
}

int year_param(const std::string& text, int fallback) {
  try {
    size_t used = 0;
    int y = std::stoi(text, &used);
    return used == text.size() ? y : fallback;
  } catch (...) {
    return fallback;
  }
}

Array days_json(const YearData& y) {
  Array days;
  for (auto& e : y.entries) {
    Object d(Poco::JSON_PRESERVE_KEY_ORDER);
    d.set("date", format_date(e.date));
    d.set("workday", e.workday);
    d.set("name", e.name);
    days.add(d);
  }
  return days;
}

std::string weekday_label(const Date& d) {
  static const char* kNames[] = {"周日", "周一", "周二", "周三", "周四", "周五", "周六"};
  return kNames[d.day_of_week().as_number()];
}

// The days of a year as the preview table shows them.
Data day_rows(const YearData& y) {
  Data rows = list_of();
  for (auto& e : y.entries) {
    Data r;
    r.set("date", format_date(e.date) + "（" + weekday_label(e.date) + "）");
    r.set("kind", e.workday ? "调休上班" : "放假");
    r.set("name", e.name);
    rows.push_back(r);
  }
  return rows;
}

Data month_grid(const Calendar& cal, int year) {
  Data months = list_of();
  for (int m = 1; m <= 12; ++m) {
    Data mm;
    mm.set("month", std::to_string(m) + "月");
    Data weeks = list_of();
    Date first(year, m, 1);
    int lead = (first.day_of_week().as_number() + 6) % 7;  // Monday first
    Data week = list_of();
    for (int i = 0; i < lead; ++i) week.push_back(Data());
    auto flush = [&] {
      Data w;
      w.set("days", week);
      weeks.push_back(w);
      week = list_of();
    };
    for (Date day = first; day.month() == m; day += boost::gregorian::days(1)) {
      Data cell;
      cell.set("day", std::to_string(day.day()));
      bool work = *cal.is_workday(day);
      auto name = cal.day_name(day);
      // A festival day on a weekend is shown as a holiday too (the weekend colour is for ordinary
      // ones).
      cell.set("cls", work ? (is_weekday(day) ? "work" : "makeup")
                           : (is_weekday(day) || name ? "holiday" : "weekend"));
      cell.set("title", name ? *name : "");
      week.push_back(cell);
      if (week.list_value().size() == 7) flush();
    }
    if (!week.list_value().empty()) flush();
    mm.set("weeks", weeks);
    months.push_back(mm);
  }
  return months;
}

// The calendar page for `year`, with what the POST left (preview, result, error, typed values).
Response calendar_page(Services& s, const Request& req, int year, Data extra, int status = 200) {
  Data d = page_base(s, req, "节假日日历");
  year = std::clamp(year, s.calendar.first_year(), s.calendar.last_year());
  d.set("year", std::to_string(year));
  const YearData* y = s.calendar.year(year);
  if (y && y->provisional) {
    d.set("provisional", flag(true));
    d.set(
        "provisional_note",
        s.calendar.provisional_note(year) +
            "：周六、周日休息，另按《全国年节及纪念日放假办法》放假（元旦、春节除夕至初三、清明、"
            "劳动节两天、端午、中秋、国庆三天；节日逢周末在其后的工作日补假），不推测调休上班日。");
  } else if (y) {
    d.set("notice", y->notice);
  }
  Data years = list_of();
  for (auto& yy : s.calendar.years()) {
    Data o;
    o.set("code", std::to_string(yy.year));
    o.set("label", std::to_string(yy.year) + (yy.provisional ? "（暂定）" : ""));
    o.set("selected", flag(yy.year == year));
    years.push_back(o);
  }
  d.set("years", years);
  d.set("months", month_grid(s.calendar, year));
  if (auto missing = missing_notice_year(s.calendar, s.clock.today()))
    d.set("next_year", std::to_string(*missing));
  for (const char* k :
       {"error", "ok", "preview", "moved", "has_moved", "form_text", "form_year", "form_notice",
        "form_replace", "preview_year", "preview_notice", "preview_days", "preview_note"})
    if (extra.get(k)) d.set(k, *extra.get(k));
  return Response::html(s.views->page("admin_calendar", d), status);
}

}  // namespace

void add_calendar_routes(Router& r, Services& s) {
  r.add("GET", "/admin/calendar", Access::page, [&s](Request& req) {
    if (!allows(s.workflow, req.user(), "calendar.import")) return Response::redirect("/");
    int fallback = s.clock.today().year();
    if (auto missing = missing_notice_year(s.calendar, s.clock.today())) fallback = *missing;
    Data extra;
    if (auto ok = req.q("ok"); !ok.empty()) extra.set("ok", ok);
    return calendar_page(s, req, year_param(req.q("year"), fallback), extra);
  });
  r.add(
      "POST", "/admin/calendar", Access::page,
      [&s](Request& req) {
        if (!allows(s.workflow, req.user(), "calendar.import")) return Response::redirect("/");
        auto f = page_form(req);
        CalendarImport in{f["text"], "粘贴的内容", f["year"], f["notice"], f["replace"] == "1"};
        Data extra;
        extra.set("form_text", f["text"]);
        extra.set("form_year", f["year"]);
        extra.set("form_notice", f["notice"]);
        if (in.replace) extra.set("form_replace", flag(true));
        const int shown = year_param(f["year"], s.clock.today().year());
        if (f["action"] == "preview") {
          auto p = prepare_calendar_year(s.calendar, in);
          if (!p) {
            extra.set("error", page_message(p.error()));
            return calendar_page(s, req, shown, extra, 422);
          }
          extra.set("preview", flag(true));
          extra.set("preview_year", std::to_string(p->year.year));
          extra.set("preview_notice", p->year.notice);
          extra.set("preview_days", day_rows(p->year));
          if (p->was_provisional)
            extra.set("preview_note", std::string("将取代按法定节假日推算的暂定安排。"));
          if (p->replaced) extra.set("preview_note", std::string("将替换已导入的安排（更正）。"));
          return calendar_page(s, req, p->year.year, extra);
        }
        auto r = s.office.import_calendar(req.user(), in);  // puts the new calendar in place
        if (!r) {
          extra.set("error", page_message(r.error()));
          return calendar_page(s, req, shown, extra, 422);
        }
        Data result;
        result.set("ok", import_summary(*r));
        Data moved = list_of();
        for (auto& m : r->moved) {
          Data row;
          row.set("id", std::to_string(m.case_id));
          row.set("number", m.number);
          row.set("before", m.before ? format_date(*m.before) : "—");
          row.set("after", m.after ? format_date(*m.after) : "—");
          row.set("days", m.days == 0 ? std::string("—")
                                      : (m.days > 0 ? "推后 " : "提前 ") +
                                            std::to_string(std::abs(m.days)) + " 天");
          moved.push_back(row);
        }
        if (!r->moved.empty()) {
          result.set("moved", moved);
          result.set("has_moved", flag(true));
        }
        return calendar_page(s, req, r->year.year, result);
      },
      2 << 20);

  r.add("GET", "/api/v1/calendar", Access::api, [&s](Request&) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("first_year", s.calendar.first_year());
    o.set("official_through", s.calendar.last_official_year());
    o.set("provisional_through", s.calendar.last_year());
    auto missing = missing_notice_year(s.calendar, s.clock.today());
    if (missing)
      o.set("notice_missing_for", *missing);
    else
      o.set("notice_missing_for", Poco::Dynamic::Var());
    return Response::json(json_text(o));
  });
  r.add("GET", "/api/v1/calendar/{year}", Access::api, [&s](Request& req) {
    int year = year_param(req.params.at("year"), 0);
    const YearData* y = s.calendar.year(year);
    if (!y)
      return Response::error(
          make_error(Code::not_found, "日历中没有 " + req.params.at("year") + " 年"));
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("year", year);
    o.set("provisional", y->provisional);
    o.set("notice", y->notice);
    o.set("days", days_json(*y));
    return Response::json(json_text(o));
  });
  r.add(
      "POST", "/api/v1/calendar", Access::api,
      [&s](Request& req) {
        if (auto st = may(s.workflow, req.user(), "calendar.import"); !st)
          return Response::error(st.error());
        CalendarImport in{req.body, "上传的内容", req.q("year"), req.q("notice"),
                          req.q("replace") == "1"};
        Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        if (req.q("preview") == "1") {
          auto p = prepare_calendar_year(s.calendar, in);
          if (!p) return Response::error(p.error());
          o.set("year", p->year.year);
          o.set("notice", p->year.notice);
          o.set("replaced", p->replaced);
          o.set("was_provisional", p->was_provisional);
          o.set("saved", false);
          o.set("days", days_json(p->year));
          return Response::json(json_text(o));
        }
        auto r = s.office.import_calendar(req.user(), in);
        if (!r) return Response::error(r.error());
        o.set("year", r->year.year);
        o.set("notice", r->year.notice);
        o.set("replaced", r->replaced);
        o.set("was_provisional", r->was_provisional);
        o.set("saved", true);
        o.set("open_cases_recomputed", r->recomputed);
        Array moved;
        for (auto& m : r->moved) {
          Object x(Poco::JSON_PRESERVE_KEY_ORDER);
          x.set("case_id", m.case_id);
          x.set("number", m.number);
          x.set("before",
                m.before ? Poco::Dynamic::Var(format_date(*m.before)) : Poco::Dynamic::Var());
          x.set("after",
                m.after ? Poco::Dynamic::Var(format_date(*m.after)) : Poco::Dynamic::Var());
          x.set("days", m.days);
          moved.add(x);
        }
        o.set("moved", moved);
        o.set("days", days_json(r->year));
        return Response::json(json_text(o));
      },
      2 << 20);
}

}  // namespace ogi::http
