#pragma once
// The report use cases (domain.md §5, issue 5): the annual tables for an agency or, for a
// supervising office, the sum over its agencies with a per-agency breakdown; the narrative; the
// cases behind a cell; statistics for any period; period locks.

#include <optional>
#include <string>
#include <vector>

#include "app/ports.h"
#include "app/report_ports.h"
#include "app/web_ports.h"
#include "calendar/calendar.h"
#include "domain/report.h"
#include "workflow/definition.h"

namespace ogi {

struct AnnualReportView {
  AnnualReport report;
  std::vector<std::string> agencies;  // the agencies counted
  std::string title;  // the agency's name, or "X及所属机关（N个）" for a roll-up
  std::string narrative;
  NarrativeFacts facts;
  std::vector<std::pair<std::string, AnnualReport>>
      breakdown;                                // per agency (roll-up only), by code
  std::array<long long, 12> intake_by_month{};  // received in the year
  std::optional<PeriodLock> lock;               // for a single agency
};

class ReportService {
 public:
  ReportService(ReportStore& reports, CaseStore& cases, QueryStore& queries, const Workflow& wf,
                const Calendar& cal, const Clock& clock)
      : r_(reports), cases_(cases), q_(queries), wf_(wf), cal_(cal), clock_(clock) {}

  // `agency` empty: the user's own agency, or for a supervising office all agencies it sees.
  Result<AnnualReportView> annual(const User& actor, int year, const std::string& agency);
  // The cases counted in table-3 row `row`, column `column` (an applicant type or "total"), or in
  // table 4 (`row` = a remedy kind, `column` = upheld|corrected|other|pending|total): their ids.
  Result<std::vector<long long>> cell_cases(const User& actor, int year, const std::string& agency,
                                            const std::string& row, const std::string& column);
  Result<PeriodStats> stats(const User& actor, const Date& from, const Date& to,
                            const std::string& agency);
  // Office only; the reason is required.
  Status set_lock(const User& actor, const std::string& agency, int year, bool lock,
                  const std::string& reason);
  std::vector<PeriodLock> locks(const User& actor) {
    return r_.period_locks(actor.agencies_visible);
  }

 private:
  Result<std::vector<std::string>> scope(const User& actor, const std::string& agency);
  Result<int> check_year(int year);
  ReportStore& r_;
  CaseStore& cases_;
  QueryStore& q_;
  const Workflow& wf_;
  const Calendar& cal_;
  const Clock& clock_;
};

}  // namespace ogi
