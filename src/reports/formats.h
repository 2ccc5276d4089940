#pragma once
// The annual report written out: CSV for machines; HTML, XLSX (libxlsxwriter) and DOCX (the
// letters' OOXML package) laid out like the official tables, ready to paste into a report.

#include <string>

#include "app/reports.h"
#include "base/status.h"

namespace ogi::reports {

std::string to_csv(const AnnualReportView& v);
// A standalone page: title, the check, table 3, table 4, the narrative (print CSS, no scripts).
std::string to_html(const AnnualReportView& v);
Result<std::string> to_xlsx(const AnnualReportView& v);
std::string to_docx(const AnnualReportView& v);

// The two tables as HTML <table> elements only (for the UI page). `link` makes every figure a
// link: the drill-down URL is link + "row=…&column=…".
std::string table3_html(const AnnualReport& r, const std::string& link = "");
std::string table4_html(const AnnualReport& r, const std::string& link = "");

}  // namespace ogi::reports
