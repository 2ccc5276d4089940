// Provisional years (domain.md §3, issue 12): after the last imported notice the calendar rests
// on the statutory holidays of the 2024 revision with Art 6 补假 and no guessed 调休; answers on
// such days are computed and marked, never blank.
#include "calendar/provisional.h"

#include <doctest/doctest.h>

#include "domain/clock.h"
#include "test_data.h"

using namespace ogi;
using test::D;

namespace {

std::set<Date> days_off(const YearData& y) {
  std::set<Date> out;
  for (auto& e : y.entries)
    if (!e.workday) out.insert(e.date);
  return out;
}

const FestivalDates& festivals_of(int year) {
  for (auto& f : test::calendar_with_provisional().festivals())
    if (f.year == year) return f;
  throw std::runtime_error("no festival row for " + std::to_string(year));
}

}  // namespace

TEST_CASE("the festival table loads and covers the provisional years through at least 2035") {
  const Calendar& cal = test::calendar_with_provisional();
  CHECK(cal.last_official_year() == 2026);
  CHECK(cal.last_year() >= 2035);
  CHECK(cal.coverage_text() == "2010–2026");
  for (int y = 2027; y <= cal.last_year(); ++y) {
    REQUIRE(cal.year(y) != nullptr);
    CHECK(cal.year(y)->provisional);
  }
  CHECK_FALSE(cal.year(2026)->provisional);
}

TEST_CASE(
    "a provisional year: the statutory holidays, 补假 for those on a weekend, no 调休 (table)") {
  // Expected days off on Monday-Friday, worked out by hand from the rule for each year.
  struct Row {
    int year;
    std::vector<const char*> weekday_off;
  };
  const Row rows[] = {
      // 2027: 元旦 Fri; 除夕 Fri 2-05, 初一-初三 Sat-Mon -> 补假 Tue 2-09, Wed 2-10; 清明 Mon 4-05;
      // 劳动 Sat-Sun -> 补假 Mon 5-03, Tue 5-04; 端午 Wed 6-09; 中秋 Wed 9-15; 国庆 Fri-Sun -> Mon
      // 10-04, Tue 10-05.
      {2027,
       {"2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-04-05",
        "2027-05-03", "2027-05-04", "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-04",
        "2027-10-05"}},
      // 2028: 元旦 Sat -> Mon 1-03; 除夕 Tue 1-25, 初一-初三 Wed-Fri; 清明 Tue 4-04; 劳动 Mon-Tue;
      // 端午 Sun 5-28 -> Mon 5-29; 中秋 Tue 10-03 inside 国庆 (Sun-Tue) -> 国庆's Sunday gives
      // Wed 10-04, 中秋 sharing 10-03 gives Thu 10-05 (as the 2020 notice did for 10-01).
      {2028,
       {"2028-01-03", "2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", "2028-04-04",
        "2028-05-01", "2028-05-02", "2028-05-29", "2028-10-02", "2028-10-03", "2028-10-04",
        "2028-10-05"}},
  };
  for (auto& r : rows) {
    CAPTURE(r.year);
    YearData y = provisional_year(festivals_of(r.year));
    CHECK(y.provisional);
    CHECK(validate_year(y).empty());
    std::set<Date> got;
    for (auto d : days_off(y))
      if (is_weekday(d)) got.insert(d);
    std::set<Date> want;
    for (auto s : r.weekday_off) want.insert(D(s));
    CHECK(got == want);
    for (auto& e : y.entries) CHECK_FALSE(e.workday);
  }
}

TEST_CASE(
    "over a year the provisional count of working days equals the final arrangement's (2025, "
    "2026)") {
  // 调休 only moves days: the notices of the years under the 2024 revision have exactly the
  // working days the statutory rule gives, over the whole year.
  const Calendar& cal = test::calendar_with_provisional();
  for (int year : {2025, 2026}) {
    CAPTURE(year);
    YearData rule = provisional_year(festivals_of(year));
    rule.provisional = false;  // built on its own, as if it were the notice
    rule.notice = "rule";
    auto prov = Calendar::build({rule});
    REQUIRE(prov.ok());
    int official = 0, provisional = 0;
    for (Date d(year, 1, 1); d <= Date(year, 12, 31); d += boost::gregorian::days(1)) {
      official += *cal.is_workday(d);
      provisional += *prov->is_workday(d);
    }
    CHECK(provisional == official);
  }
}

TEST_CASE(
    "answers on provisional days are computed and marked; before 2010 and past the table are "
    "errors") {
  const Calendar& cal = test::calendar_with_provisional();
  auto due = cal.add_workdays(D("2026-12-07"), 20);
  REQUIRE(due.ok());
  CHECK(*due == D("2027-01-05"));
  CHECK(cal.provisional(*due));
  CHECK_FALSE(cal.provisional(D("2026-12-31")));
  CHECK(*cal.is_workday(D("2027-02-09")) == false);
  CHECK(*cal.is_workday(D("2027-02-06")) == false);  // no 调休 guessed: a Saturday stays off
  auto before = cal.add_workdays(D("2009-12-31"), 1);
  REQUIRE_FALSE(before.ok());
  CHECK(before.error().message.find("2009") != std::string::npos);
  Date last(cal.last_year(), 12, 31);
  CHECK_FALSE(cal.add_workdays(last, 5).ok());
}

TEST_CASE("the clock: a due date in a provisional year is computed, marked and explained") {
  const Calendar& cal = test::calendar_with_provisional();
  Case c;
  c.received_on = D("2026-12-07");
  c.derived.state = "registered";
  ClockView v = compute_clock(cal, c, D("2026-12-08"));
  REQUIRE(v.due_on);
  CHECK(*v.due_on == D("2027-01-05"));
  CHECK(v.provisional);
  CHECK(v.calendar_provisional);
  CHECK_FALSE(v.pause_open);
  CHECK(v.due_note == "暂定：2027年节假日安排公布前按法定节假日推算");
  CHECK(v.explanation.find(v.due_note) != std::string::npos);
  REQUIRE(v.days_left);
  CHECK(*v.days_left == 19);
  bool any = false;
  for (auto& s : v.sub_deadlines)
    if (s.kind == "correction_notice") {
      any = true;
      CHECK(s.due_on == D("2026-12-16"));
      CHECK_FALSE(s.provisional);
    }
  CHECK(any);
  // Overdue on a provisional day is computed too.
  ClockView late = compute_clock(cal, c, D("2027-01-06"));
  CHECK(late.overdue);
  // The same case on the official calendar alone: no date, and the note says why.
  ClockView none = compute_clock(test::calendar(), c, D("2026-12-08"));
  CHECK_FALSE(none.due_on);
  CHECK_FALSE(none.due_note.empty());
}

TEST_CASE("importing a year in place of the provisional one; out of order is refused") {
  const Calendar& cal = test::calendar_with_provisional();
  YearData y2027 = provisional_year(festivals_of(2027));
  y2027.provisional = false;
  y2027.notice = "国办发明电〔2026〕1号";
  y2027.source = "test";
  std::vector<YearData> years = cal.official_years();
  years.push_back(y2027);
  auto next = Calendar::build(years, cal.festivals());
  REQUIRE(next.ok());
  CHECK(next->last_official_year() == 2027);
  CHECK_FALSE(next->provisional(D("2027-06-01")));
  CHECK(next->provisional(D("2028-01-03")));
  // 2029 while 2027 and 2028 have no notice: the years must come in order.
  YearData y2029 = provisional_year(festivals_of(2029));
  y2029.provisional = false;
  y2029.notice = "x";
  y2029.source = "test";
  years = cal.official_years();
  years.push_back(y2029);
  CHECK_FALSE(Calendar::build(years, cal.festivals()).ok());
}

TEST_CASE(
    "the missing notice: from 1 November the next year, any time the current provisional year") {
  const Calendar& cal = test::calendar_with_provisional();
  CHECK_FALSE(missing_notice_year(cal, D("2026-10-31")));
  CHECK(missing_notice_year(cal, D("2026-11-01")) == 2027);
  CHECK(missing_notice_year(cal, D("2027-03-15")) == 2027);
  CHECK(missing_notice_year(cal, D("2025-11-20")) == std::nullopt);  // 2026 is imported
}

TEST_CASE("festival table: bad lines are named") {
  auto bad = parse_festival_table(
      "2027\t2027-02-06\t2027-04-05\t2027-06-09\n2029\t2029-02-13\t2029-04-04\t2029-06-16\t2029-09-"
      "22\n",
      "t.tsv");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("t.tsv:1") != std::string::npos);
  auto gap = parse_festival_table(
      "2027\t2027-02-06\t2027-04-05\t2027-06-09\t2027-09-15\n2029\t2029-02-13\t2029-04-04\t2029-06-"
      "16\t2029-09-22\n",
      "t.tsv");
  REQUIRE_FALSE(gap.ok());
  CHECK(gap.error().message.find("t.tsv:2") != std::string::npos);
}
