#pragma once
// The port through which the web layer writes reports and exports out (implemented by
// src/reports, wired by the program): the annual report in each file format, its two tables for
// the page, the period statistics as CSV, a case list as CSV and a bar chart. Adapters never
// include each other; http reaches src/reports only through this.
#include <string>
#include <utility>
#include <vector>

#include "app/reports.h"
#include "app/web_ports.h"
#include "base/status.h"
#include "workflow/definition.h"

namespace ogi {

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  virtual std::string annual_csv(const AnnualReportView& v) const = 0;
  virtual std::string annual_html(const AnnualReportView& v) const = 0;  // a standalone page
  virtual Result<std::string> annual_xlsx(const AnnualReportView& v) const = 0;
  virtual std::string annual_docx(const AnnualReportView& v) const = 0;
  // The tables alone for the report page; each figure links to link + "row=…&column=…".
  virtual std::string table3_html(const AnnualReport& r, const std::string& link) const = 0;
  virtual std::string table4_html(const AnnualReport& r, const std::string& link) const = 0;
  virtual std::string stats_csv(const PeriodStats& s) const = 0;  // with a BOM
  virtual std::string cases_csv(const std::vector<CaseRow>& rows,
                                const Workflow& wf) const = 0;  // with a BOM
  // The same in parts, for an export streamed a page at a time: the header line (with the BOM),
  // then the lines of each page of rows.
  virtual std::string cases_csv_header() const = 0;
  virtual std::string cases_csv_rows(const std::vector<CaseRow>& rows,
                                     const Workflow& wf) const = 0;
  // A bar chart drawn by the server (no scripts): one bar per label.
  virtual std::string bar_chart(const std::vector<std::pair<std::string, long long>>& bars,
                                const std::string& title) const = 0;
};

}  // namespace ogi
