// Benchmark for issue 5 (run by deploy/bench.sh on the generated million-case database): the
// annual report for one agency-year and the roll-up over every agency, through the same code
// as the API (the store's one-pass facts, the core's counting), next to a hand-written SQL
// GROUP BY computing the same table-3 counts on the same connection. Median of 7 runs each.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "app/reports.h"
#include "store/sql_store.h"
#include "test_data.h"

using namespace ogi;
using Clock_ = std::chrono::steady_clock;

template <class F>
static double median_ms(F&& f) {
  std::vector<double> t;
  for (int i = 0; i < 7; ++i) {
    auto a = Clock_::now();
    f();
    t.push_back(std::chrono::duration<double, std::milli>(Clock_::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[3];
}

// Table 3 by GROUP BY: rows 1, 2, 3.7 and 4 per applicant type, and the 3.x rows per outcome.
static long long group_by(sqlite3* db, const std::string& agencies, int year) {
  const std::string jan1 = std::to_string(year) + "-01-01", dec31 = std::to_string(year) + "-12-31";
  const std::string where = " FROM cases WHERE agency_id IN (" + agencies +
                            ") AND (concluded_on IS NULL OR concluded_on >= '" + jan1 +
                            "') AND received_on <= '" + dec31 + "'";
  const std::string q1 = "SELECT applicant_type, sum(received_on >= '" + jan1 +
                         "'), sum(received_on < '" + jan1 + "'), sum(concluded_on <= '" + dec31 +
                         "'), sum(concluded_on IS NULL OR concluded_on > '" + dec31 + "')" + where +
                         " GROUP BY applicant_type";
  const std::string q2 =
      "SELECT applicant_type, outcome, count(*) FROM cases WHERE agency_id IN (" + agencies +
      ") AND concluded_on BETWEEN '" + jan1 + "' AND '" + dec31 +
      "' GROUP BY applicant_type, outcome";
  long long sink = 0;
  for (auto* q : {&q1, &q2}) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, q->c_str(), -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW)
      sink += sqlite3_column_int64(st, sqlite3_column_count(st) - 1);
    sqlite3_finalize(st);
  }
  return sink;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: report_bench DB [YEAR]\n");
    return 2;
  }
  const int year = argc > 2 ? std::atoi(argv[2]) : 2024;
  auto opened = SqlStore::open(argv[1], false);
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  auto& store = *opened;
  FixedClock clock(Date(2026, 11, 28));
  ReportService svc(store->reports(), store->cases(), store->queries(), test::workflow(),
                    test::calendar(), clock);
  User office;
  office.username = "bench";
  office.roles = {"office"};
  for (auto& a : store->admin().agencies()) office.agencies_visible.push_back(a.code);
  office.agency = office.agencies_visible.front();
  sqlite3* db = nullptr;
  sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr);
  std::string all_ids, one_id;
  for (auto& a : store->admin().agencies()) {
    all_ids += (all_ids.empty() ? "" : ",") + std::to_string(a.id);
    if (a.code == office.agency) one_id = std::to_string(a.id);
  }
  long long check = 0;
  double one = median_ms(
      [&] { check += svc.annual(office, year, office.agency)->report.table3.at("1")[6]; });
  double one_base = median_ms([&] { check += group_by(db, one_id, year); });
  double all = median_ms([&] { check += svc.annual(office, year, "")->report.table3.at("1")[6]; });
  double all_base = median_ms([&] { check += group_by(db, all_ids, year); });
  auto v = svc.annual(office, year, "");
  std::printf(
      "report_one_agency_year %.1f ms (GROUP BY baseline %.1f ms, ratio %.2f) agency %s year %d\n",
      one, one_base, one / one_base, office.agency.c_str(), year);
  std::printf(
      "report_rollup_all_agencies %.1f ms (GROUP BY baseline %.1f ms, ratio %.2f) %zu agencies, "
      "row 1 total %lld, check %s\n",
      all, all_base, all / all_base, office.agencies_visible.size(), v->report.table3.at("1")[6],
      v->report.check_holds ? "holds" : "FAILS");
  sqlite3_close(db);
  return check == 0 ? 1 : 0;
}
