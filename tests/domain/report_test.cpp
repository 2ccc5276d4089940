// Counting the annual report (domain.md §5), table-driven over case facts: the year boundaries,
// carry-over across years, correction, lapses and withdrawal, the 2019 format folding （六）,
// remedies filed in one year and decided in the next, and the check relation.
#include "domain/report.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "calendar/calendar.h"
#include "test_data.h"

using namespace ogi;
using test::D;

namespace {
CaseFacts fact(const char* received, const char* concluded = nullptr, const char* outcome = "",
               const char* type = "natural_person") {
  CaseFacts c;
  static long long next = 0;
  c.id = ++next;
  c.agency = "A1";
  c.applicant_type = type;
  c.channel = "post";
  c.received_on = D(received);
  if (concluded) c.concluded_on = D(concluded);
  c.outcome = outcome;
  return c;
}
long long total(const AnnualReport& r, const char* row) { return r.table3.at(row)[kColumns - 1]; }
}  // namespace

TEST_CASE("which rows a case counts in, year by year") {
  struct Row {
    const char* name;
    CaseFacts c;
    int year;
    std::vector<std::string> rows;
  };
  const std::vector<Row> rows = {
      {"received and concluded in the year",
       fact("2024-03-01", "2024-03-20", "disclosed"),
       2024,
       {"1", "3.1", "3.7"}},
      {"concluded on 31 December counts in that year",
       fact("2024-12-01", "2024-12-31", "not_held"),
       2024,
       {"1", "3.4.1", "3.7"}},
      {"concluded on 1 January is carried over",
       fact("2024-12-01", "2025-01-01", "not_held"),
       2024,
       {"1", "4"}},
      {"... and concluded in the next year",
       fact("2024-12-01", "2025-01-01", "not_held"),
       2025,
       {"2", "3.4.1", "3.7"}},
      {"received on 31 December, open", fact("2024-12-31"), 2024, {"1", "4"}},
      {"received on 1 January belongs to that year", fact("2025-01-01"), 2024, {}},
      {"carried over two years: first year",
       fact("2022-12-20", "2024-02-01", "duplicate"),
       2022,
       {"1", "4"}},
      {"carried over two years: middle year",
       fact("2022-12-20", "2024-02-01", "duplicate"),
       2023,
       {"2", "4"}},
      {"carried over two years: last year",
       fact("2022-12-20", "2024-02-01", "duplicate"),
       2024,
       {"2", "3.5.2", "3.7"}},
      {"concluded before the year: nothing",
       fact("2022-05-01", "2022-06-01", "disclosed"),
       2023,
       {}},
      {"withdrawal counts as 其他",
       fact("2024-03-01", "2024-03-05", "withdrawn"),
       2024,
       {"1", "3.6.3", "3.7"}},
      {"no correction",
       fact("2024-03-01", "2024-04-01", "no_correction"),
       2024,
       {"1", "3.6.1", "3.7"}},
      {"fee unpaid", fact("2024-03-01", "2024-05-01", "fee_unpaid"), 2024, {"1", "3.6.2", "3.7"}},
      {"2019 format folds （六）: no correction",
       fact("2020-03-01", "2020-04-01", "no_correction"),
       2020,
       {"1", "3.6", "3.7"}},
      {"2019 format folds （六）: withdrawal",
       fact("2019-03-01", "2019-04-01", "withdrawn"),
       2019,
       {"1", "3.6", "3.7"}},
      {"partially disclosed counts only in 3.2",
       fact("2024-03-01", "2024-03-21", "partially_disclosed"),
       2024,
       {"1", "3.2", "3.7"}},
      {"not responsible counts as not held",
       fact("2024-03-01", "2024-03-21", "not_responsible"),
       2024,
       {"1", "3.4.1", "3.7"}},
  };
  for (auto& r : rows) {
    CAPTURE(r.name);
    CHECK(rows_of(r.year, report_format(r.year), r.c) == r.rows);
  }
}

TEST_CASE("a correction restarts the clock but not the receipt year") {
  // received 2023-12-28, correction received 2024-01-05 (the clock starts again), reply 2024-01-30:
  // new in 2023, carried into 2024, concluded in 2024
  CaseFacts c = fact("2023-12-28", "2024-01-30", "disclosed");
  c.start_on = D("2024-01-05");
  auto r23 = annual_report(2023, {c}, {}), r24 = annual_report(2024, {c}, {});
  CHECK(total(r23, "1") == 1);
  CHECK(total(r23, "4") == 1);
  CHECK(total(r24, "1") == 0);
  CHECK(total(r24, "2") == 1);
  CHECK(total(r24, "3.1") == 1);
}

TEST_CASE("formats by year and their rows") {
  CHECK(report_format(2019) == "2019");
  CHECK(report_format(2020) == "2019");
  CHECK(report_format(2021) == "2021");
  auto keys = [](std::string_view f) {
    std::vector<std::string> k;
    for (auto& r : table3_rows(f)) k.push_back(r.key);
    return k;
  };
  auto k19 = keys("2019"), k21 = keys("2021");
  CHECK(k21.size() == k19.size() + 2);
  CHECK(std::find(k19.begin(), k19.end(), "3.6") != k19.end());
  CHECK(std::find(k19.begin(), k19.end(), "3.6.1") == k19.end());
  for (auto* k : {"3.6.1", "3.6.2", "3.6.3"})
    CHECK(std::find(k21.begin(), k21.end(), k) != k21.end());
  CHECK(k21.front() == "1");
  CHECK(k21.back() == "4");
  CHECK(table3_rows("2021")[0].label == "一、本年新收政府信息公开申请数量");
}

TEST_CASE("columns: each applicant type in its own column, and the total") {
  std::vector<CaseFacts> cs = {fact("2024-01-10", nullptr, "", "natural_person"),
                               fact("2024-01-11", nullptr, "", "commercial_enterprise"),
                               fact("2024-01-12", nullptr, "", "legal_service_org"),
                               fact("2024-01-13", nullptr, "", "other_org")};
  auto r = annual_report(2024, cs, {});
  CHECK(r.table3.at("1") == Row{1, 1, 0, 0, 1, 1, 4});
  CHECK(r.table3.at("4") == Row{1, 1, 0, 0, 1, 1, 4});
  CHECK(r.check_holds);
}

TEST_CASE("table four: filed in one year, decided in the next") {
  auto rem = [](const char* kind, const char* filed, const char* decided, const char* result) {
    RemedyFacts m;
    m.kind = kind;
    m.filed_on = D(filed);
    if (decided) m.decided_on = D(decided);
    m.result = result;
    return m;
  };
  std::vector<RemedyFacts> ms = {
      rem("reconsideration", "2023-11-01", "2024-03-01", "upheld"),     // 2023 pending, 2024 upheld
      rem("reconsideration", "2022-03-01", "2022-06-01", "corrected"),  // counts in 2022 only
      rem("litigation", "2023-06-01", nullptr, ""),                     // pending in 2023 and 2024
      rem("litigation_after_reconsideration", "2024-02-01", "2024-12-31", "other"),
      rem("litigation", "2025-01-01", nullptr, ""),  // filed after: not in 2024
  };
  auto r23 = annual_report(2023, {}, ms), r24 = annual_report(2024, {}, ms),
       r22 = annual_report(2022, {}, ms);
  CHECK(r23.table4.at("reconsideration").pending == 1);
  CHECK(r23.table4.at("reconsideration").total == 1);
  CHECK(r24.table4.at("reconsideration").upheld == 1);
  CHECK(r24.table4.at("reconsideration").pending == 0);
  CHECK(r22.table4.at("reconsideration").corrected == 1);
  CHECK(r23.table4.at("litigation").pending == 1);
  CHECK(r24.table4.at("litigation").pending == 1);
  CHECK(r24.table4.at("litigation").total == 1);
  CHECK(r24.table4.at("litigation_after_reconsideration").other == 1);
  CHECK(r23.table4.at("litigation_after_reconsideration").total == 0);
}

TEST_CASE("the check relation holds on any consistent history and fails on an inconsistent one") {
  std::mt19937 rng(20240101);
  const char* outcomes[] = {
      "disclosed", "withheld_state_secret", "not_held", "duplicate", "withdrawn", "fee_unpaid"};
  const char* types[] = {"natural_person",     "commercial_enterprise", "research_institution",
                         "social_welfare_org", "legal_service_org",     "other_org"};
  std::vector<CaseFacts> cs;
  for (int i = 0; i < 2000; ++i) {
    CaseFacts c;
    c.id = i + 1;
    c.applicant_type = types[rng() % 6];
    c.received_on = D("2021-01-01") + boost::gregorian::days(static_cast<long>(rng() % 1460));
    if (rng() % 10) {
      c.concluded_on = c.received_on + boost::gregorian::days(static_cast<long>(rng() % 90));
      c.outcome = outcomes[rng() % 6];
    }
    cs.push_back(c);
  }
  for (int y = 2021; y <= 2025; ++y) {
    CAPTURE(y);
    auto r = annual_report(y, cs, {});
    CHECK(r.check_holds);
    // carry-over links consecutive years
    if (y > 2021) CHECK(annual_report(y - 1, cs, {}).table3.at("4") == r.table3.at("2"));
  }
  // a case "concluded" before it was received breaks the relation, and the report says so
  cs.push_back(fact("2024-06-01", "2023-12-31", "disclosed"));
  auto bad = annual_report(2023, cs, {});
  CHECK_FALSE(bad.check_holds);
  REQUIRE_FALSE(bad.check_failures.empty());
  CHECK(bad.check_failures.front().find("一 + 二") != std::string::npos);
}

TEST_CASE("the narrative states the year's facts") {
  std::vector<CaseFacts> cs = {fact("2020-10-13", "2020-11-05", "duplicate"),
                               fact("2020-10-20", "2020-11-10", "disclosed"),
                               fact("2020-11-02", "2020-11-20", "not_held")};
  cs[1].channel = "online";
  for (auto& c : cs) c.on_time = true;
  RemedyFacts lit;
  lit.kind = "litigation";
  lit.filed_on = D("2020-12-01");
  auto r = annual_report(2020, cs, {lit});
  auto n = narrative_facts(2020, cs);
  CHECK(n.received == 3);
  CHECK(n.channels.at("post") == 2);
  REQUIRE(n.on_time_rate);
  CHECK(*n.on_time_rate == doctest::Approx(1.0));
  std::string text = narrative("石狮市人民政府办公室", r, n);
  CAPTURE(text);
  CHECK(text.find("共收到政府信息公开申请3件") != std::string::npos);
  CHECK(text.find("办结及时率100%") != std::string::npos);
  CHECK(text.find("申请人均为自然人") != std::string::npos);
  CHECK(text.find("信函申请2件") != std::string::npos);
  CHECK(text.find("“予以公开”1件") != std::string::npos);
  CHECK(text.find("被提起行政诉讼1件，尚未审结") != std::string::npos);
}

TEST_CASE("period statistics: intake, on time, working days to reply, per handler") {
  const Calendar& cal = test::calendar();
  auto c1 = fact("2024-03-01", "2024-03-15", "disclosed");  // 10 working days after start
  c1.start_on = D("2024-03-01");
  c1.on_time = true;
  c1.handler = "li";
  auto c2 = fact("2024-03-04", "2024-04-30", "not_held");
  c2.start_on = D("2024-03-04");
  c2.on_time = false;
  c2.handler = "li";
  auto c3 = fact("2024-04-02", "2024-04-10", "withdrawn");  // no reply: not in the on-time share
  c3.handler = "wang";
  c3.channel = "online";
  auto s = period_stats(D("2024-03-01"), D("2024-04-30"), {c1, c2, c3}, cal);
  CHECK(s.received == 3);
  CHECK(s.by_channel.at("post") == 2);
  CHECK(s.by_month_channel.at("2024-04").at("online") == 1);
  CHECK(s.concluded == 3);
  CHECK(s.replies == 2);
  CHECK(s.on_time == 1);
  REQUIRE(s.on_time_rate);
  CHECK(*s.on_time_rate == doctest::Approx(0.5));
  const int d1 = cal.ordinal(D("2024-03-15")) - cal.ordinal(D("2024-03-01"));
  const int d2 = cal.ordinal(D("2024-04-30")) - cal.ordinal(D("2024-03-04"));
  CHECK(d1 == 10);
  REQUIRE(s.avg_days);
  CHECK(*s.avg_days == doctest::Approx((d1 + d2) / 2.0));
  CHECK(s.p90_days == std::max(d1, d2));
  CHECK(s.by_handler.at("li").replies == 2);
  CHECK(s.by_handler.at("wang").concluded == 1);
  CHECK(s.by_outcome.at("withdrawn") == 1);
}
