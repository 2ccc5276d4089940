#pragma once
// What the report use cases need from the store: the facts of the cases and remedies that can
// count in a period (one pass each), and the period locks.

#include <optional>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "domain/report.h"

namespace ogi {

struct PeriodLock {
  std::string agency;
  int year = 0;
  std::string locked_by, locked_at, reason;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;
  // Cases of `agencies` received on or before `to` and not concluded before `from`: every case
  // that can count in a table of the period [from, to]. `with_handler` also fills who decided.
  virtual std::vector<CaseFacts> case_facts(const std::vector<std::string>& agencies,
                                            const Date& from, const Date& to,
                                            bool with_handler = false) = 0;
  // Remedies of those agencies' cases filed on or before `to` and not decided before `from`.
  virtual std::vector<RemedyFacts> remedy_facts(const std::vector<std::string>& agencies,
                                                const Date& from, const Date& to) = 0;
  virtual std::vector<PeriodLock> period_locks(const std::vector<std::string>& agencies) = 0;
  // Locks (or, with lock=false, unlocks) a year of an agency; recorded in the audit trail with
  // the reason, in the same transaction. Locking a locked year (or unlocking an open one) is a
  // conflict.
  virtual Status set_period_lock(const std::string& agency, int year, bool lock,
                                 const std::string& by, const std::string& at,
                                 const std::string& reason) = 0;
};

}  // namespace ogi
