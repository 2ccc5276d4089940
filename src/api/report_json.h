#pragma once
// The annual report as contract.md's JSON (plus the narrative, the agencies counted, the check's
// failures and, for a roll-up, the per-agency breakdown), and period statistics as JSON.
#include <string>

#include "app/reports.h"

namespace ogi {

std::string report_json(const AnnualReportView& v, bool pretty = false);
std::string stats_json(const PeriodStats& s);

}  // namespace ogi
