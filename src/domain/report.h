#pragma once
// The annual report's tables three and four (domain.md §5), as pure functions over case facts.
// The store supplies the facts of the cases that can count in a year in one pass; everything
// about counting lives here.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"

namespace ogi {

// What the report needs to know about one case.
struct CaseFacts {
  long long id = 0;
  std::string agency;          // agency code
  std::string applicant_type;  // a column of table 3
  std::string channel;
  Date received_on;
  std::optional<Date> concluded_on;  // the reply counts as given, or lapse/withdrawal
  std::string outcome;               // set once concluded
  std::optional<bool> on_time;       // concluded by a reply: delivered by the due date
  std::optional<Date> start_on;      // the clock's start (receipt, or correction received)
  std::string handler;               // who recorded the decision (statistics only)
};

struct RemedyFacts {
  long long id = 0, case_id = 0;
  std::string agency;
  std::string kind;  // reconsideration | litigation | litigation_after_reconsideration
  Date filed_on;
  std::optional<Date> decided_on;
  std::string result;  // upheld | corrected | other, once decided
};

// The official format of a report year: 国办公开办函〔2019〕60号 for 2019 and 2020 ("2019"),
// 国办公开办函〔2021〕30号 from 2021 ("2021").
std::string report_format(int year);

// Row keys of table 3 in the format's order, and their labels as the format prints them.
struct ReportRow {
  std::string key;
  std::string label;
  int level = 0;  // 0: 一、二、三、四; 1: （一）…（七）; 2: 1. 2. … (sub-rows)
};
const std::vector<ReportRow>& table3_rows(std::string_view format);
// The group label a sub-row belongs to (for merged cells), e.g. 3.3.x → "（三）不予公开".
std::string table3_group(std::string_view format, std::string_view key);

inline constexpr int kColumns = 7;  // six applicant types and 总计
using Row = std::array<long long, kColumns>;

struct RemedyCounts {
  long long upheld = 0, corrected = 0, other = 0, pending = 0, total = 0;
};

struct AnnualReport {
  int year = 0;
  std::string format;
  std::map<std::string, Row> table3;  // every row key of the format
  bool check_holds = true;
  std::vector<std::string> check_failures;  // "column 自然人: 1 + 2 = 5 ≠ 3.7 + 4 = 4"
  std::map<std::string, RemedyCounts>
      table4;  // reconsideration, litigation, litigation_after_reconsideration
};

// The row a concluded case counts in, for the format ("3.6" folds the three sub-rows in 2019).
std::string outcome_row(std::string_view outcome, std::string_view format);
// Column index 0..5 of an applicant type, or -1.
int applicant_column(std::string_view type);

AnnualReport annual_report(int year, const std::vector<CaseFacts>& cases,
                           const std::vector<RemedyFacts>& remedies);

// The six result groups of table 3 with their totals (三（一）…（六）): 予以公开, 部分公开,
// 不予公开, 无法提供, 不予处理, 其他处理 — for the narrative and the outcome chart.
std::vector<std::pair<std::string, long long>> outcome_groups(const AnnualReport& r);

// Which table-3 rows a case counts in for `year` (for drill-down: the cases behind a cell).
std::vector<std::string> rows_of(int year, std::string_view format, const CaseFacts& c);
// Which table-4 cell a remedy counts in for `year`: {kind, "upheld|corrected|other|pending"}, or
// nothing when it does not count in that year.
std::optional<std::pair<std::string, std::string>> remedy_cell(int year, const RemedyFacts& r);

// The meaning of a drill-down cell, for its page: a table-3 row key (the format's label) or a
// table-4 kind (行政复议, …), and a column (an applicant type, 总计, a table-4 result, 尚未审结).
// An unknown key is returned as given.
std::string report_row_label(std::string_view format, std::string_view key);
// The group of table three a row belongs to ("3.3.4" → "不予公开"); empty for rows 1, 2, 4.
std::string_view outcome_group(std::string_view row);
std::string report_column_label(std::string_view key);
// The 总计 column of the rows a per-agency breakdown shows.
struct ReportTotals {
  long long received = 0;     // row 1 (新收)
  long long carried_in = 0;   // row 2 (上年结转)
  long long concluded = 0;    // row 3.7 (办理结果总计)
  long long carried_out = 0;  // row 4 (结转下年度继续办理)
};
ReportTotals report_totals(const AnnualReport& r);

// The paragraph for section 一（二） (seed 002): received, by channel, the on-time rate, main
// outcomes, carry-over, reconsiderations and lawsuits.
struct NarrativeFacts {
  long long received = 0;
  std::map<std::string, long long> channels;  // channel code → count received in the year
  long long concluded = 0, on_time = 0;       // concluded in the year by a reply, of which on time
  std::optional<double> on_time_rate;         // on_time / concluded by reply (no value when none)
};
NarrativeFacts narrative_facts(int year, const std::vector<CaseFacts>& cases);
std::string narrative(const std::string& agency_name, const AnnualReport& r,
                      const NarrativeFacts& n);

}  // namespace ogi

namespace ogi {
class Calendar;

// Statistics for any date range [from, to] (the office's own questions; quarters come from the
// same function): intake by month and channel, outcomes, the on-time rate, working days to reply.
struct HandlerStats {
  long long concluded = 0, replies = 0, on_time = 0;
  double avg_days = 0;  // working days from the clock's start to the reply, replies only
};
struct PeriodStats {
  Date from, to;
  long long received = 0;
  std::map<std::string, long long> by_channel;  // received
  std::map<std::string, std::map<std::string, long long>>
      by_month_channel;  // "2024-03" → channel → received
  long long concluded = 0, replies = 0, on_time = 0;
  std::optional<double> on_time_rate;  // on_time / replies
  std::optional<double>
      avg_days;                 // working days to reply (replies whose dates the calendar covers)
  std::optional<int> p90_days;  // 90th percentile (nearest rank)
  std::map<std::string, long long> by_outcome;  // concluded in the range
  std::map<std::string, HandlerStats> by_handler;
};
PeriodStats period_stats(const Date& from, const Date& to, const std::vector<CaseFacts>& cases,
                         const Calendar& cal);

}  // namespace ogi
