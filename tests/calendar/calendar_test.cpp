#include <doctest/doctest.h>

#include "test_data.h"

using namespace ogi;
using ogi::test::D;

TEST_CASE("shipped calendar covers 2010-2026 with a notice per year") {
  const Calendar& cal = test::calendar();
  CHECK(cal.first_year() == 2010);
  CHECK(cal.last_year() == 2026);
  for (int y = 2010; y <= 2026; ++y) {
    const YearData* yd = cal.year(y);
    REQUIRE(yd != nullptr);
    CHECK_MESSAGE(yd->notice.find("国办发明电") != std::string::npos, y);
  }
}

TEST_CASE("working days: weekends, holidays, make-up days (table)") {
  struct Row {
    const char* date;
    bool workday;
  } rows[] = {
      {"2024-02-04", true},  // Sunday, 春节调休上班
      {"2024-02-12", false}, {"2024-10-01", false}, {"2024-10-12", true},  // Saturday make-up
      {"2024-03-01", true},  {"2024-03-02", false},  // plain Friday / Saturday
      {"2023-01-02", false}, {"2020-01-31", false},  // 2020 COVID extension
      {"2015-09-03", false}, {"2015-09-06", true},   // 抗战胜利70周年
      {"2011-12-31", true},                          // in the 2012 notice
      {"2025-01-26", true},  {"2025-02-08", true},  {"2025-04-27", true},
  };
  for (auto& r : rows) {
    auto w = test::calendar().is_workday(D(r.date));
    REQUIRE(w.ok());
    CHECK_MESSAGE(*w == r.workday, r.date);
  }
}

TEST_CASE("add_workdays counts strictly after the start day") {
  const Calendar& cal = test::calendar();
  struct Row {
    const char* from;
    int n;
    const char* to;
  } rows[] = {
      {"2024-03-01", 20, "2024-03-29"}, {"2024-03-02", 1, "2024-03-04"},  // Saturday start
      {"2025-03-11", 40, "2025-05-09"}, {"2024-09-30", 1, "2024-10-08"},  // across 国庆
      {"2024-03-01", 0, "2024-03-01"},  {"2026-12-30", 1, "2026-12-31"},
  };
  for (auto& r : rows) {
    auto d = cal.add_workdays(D(r.from), r.n);
    REQUIRE(d.ok());
    CHECK_MESSAGE(format_date(*d) == r.to, r.from << " + " << r.n);
  }
}

TEST_CASE("outside the calendar is an error, never a guess") {
  const Calendar& cal = test::calendar();
  CHECK(cal.is_workday(D("2009-12-31")).error().code == Code::out_of_calendar);
  CHECK(cal.is_workday(D("2027-01-04")).error().code == Code::out_of_calendar);
  auto r = cal.add_workdays(D("2026-12-20"), 20);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Code::out_of_calendar);
}

TEST_CASE("ordinal index agrees with a day-by-day walk over all years") {
  const Calendar& cal = test::calendar();
  int count = 0;
  for (Date d = D("2010-01-01"); d <= D("2026-12-31"); d += boost::gregorian::days(1)) {
    if (*cal.is_workday(d)) {
      ++count;
      REQUIRE(cal.by_ordinal(count) == d);
    }
    REQUIRE(cal.ordinal(d) == count);
  }
  CHECK(count > 4000);
}

TEST_CASE("year file validation names file and line") {
  SUBCASE("a working day listed as holiday and workday") {
    auto r = parse_year_file(
        "year 2030\nnotice X\nholiday 2030-01-01 元旦\nworkday 2030-01-05 调休\nholiday 2030-01-05 "
        "元旦\n",
        "t.cal");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("t.cal:5") != std::string::npos);
    CHECK(r.error().message.find("both") != std::string::npos);
  }
  SUBCASE("a make-up day on a weekday") {
    auto r = parse_year_file(
        "year 2030\nnotice X\nholiday 2030-01-01 元旦\nworkday 2030-01-02 调休\n", "t.cal");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("t.cal:4") != std::string::npos);
  }
  SUBCASE("an unknown date and an unknown statement, both reported") {
    auto r = parse_year_file(
        "year 2030\nnotice X\nholiday 2030-02-30 春节\nfestival 2030-01-01\nholiday 2030-01-01 "
        "元旦\n",
        "t.cal");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("t.cal:3") != std::string::npos);
    CHECK(r.error().message.find("t.cal:4") != std::string::npos);
  }
  SUBCASE("a date outside the year's window") {
    auto r = parse_year_file(
        "year 2030\nnotice X\nholiday 2030-01-01 元旦\nholiday 2031-02-01 春节\n", "t.cal");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("t.cal:4") != std::string::npos);
  }
  SUBCASE("no notice, no holiday") {
    auto r = parse_year_file("year 2030\n", "t.cal");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("notice") != std::string::npos);
  }
}

TEST_CASE("building refuses duplicates across files and gaps") {
  auto a = *parse_year_file(
      "year 2030\nnotice X\nholiday 2030-01-01 元旦\nholiday 2030-12-31 元旦\n", "2030.cal");
  auto b =
      *parse_year_file("year 2031\nnotice Y\nholiday 2030-12-31..2031-01-01 元旦\n", "2031.cal");
  auto r = Calendar::build({a, b});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("2031.cal:3") != std::string::npos);
  auto c = *parse_year_file("year 2032\nnotice Z\nholiday 2032-01-01 元旦\n", "2032.cal");
  auto g = Calendar::build({a, c});
  REQUIRE_FALSE(g.ok());
  CHECK(g.error().message.find("missing") != std::string::npos);
}

TEST_CASE("ics feed: ranges, make-up days, December make-up attributed to next year") {
  const char* ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
      "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20301231\r\nSUMMARY:元旦 补班\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20300601\r\nSUMMARY:端午节 休\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20310101\r\nDTEND;VALUE=DATE:20310104\r\nSUMMARY:元旦 "
      "休\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  auto r = parse_ics(ics, "feed.ics");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  const YearData& y2031 = (*r)[1];
  CHECK(y2031.year == 2031);
  CHECK(y2031.entries.size() == 4);  // Jan 1-3 off + Dec 31 make-up
  int work = 0;
  for (auto& e : y2031.entries) work += e.workday;
  CHECK(work == 1);
  CHECK_FALSE(parse_ics("not a calendar", "x.ics").ok());
}
