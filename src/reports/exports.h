#pragma once
// The exports besides the annual report: period statistics and case lists as CSV, bar charts as
// SVG, and the ReportWriter (app/report_writer.h) that hands all of them to the web layer.
#include <string>
#include <utility>
#include <vector>

#include "app/report_writer.h"

namespace ogi::reports {

std::string stats_csv(const PeriodStats& s);
std::string cases_csv(const std::vector<CaseRow>& rows, const Workflow& wf);
std::string cases_csv_header();
std::string cases_csv_rows(const std::vector<CaseRow>& rows, const Workflow& wf);
std::string bars_svg(const std::vector<std::pair<std::string, long long>>& bars,
                     const std::string& title, int width = 640);

class Writer final : public ReportWriter {
 public:
  std::string annual_csv(const AnnualReportView& v) const override;
  std::string annual_html(const AnnualReportView& v) const override;
  Result<std::string> annual_xlsx(const AnnualReportView& v) const override;
  std::string annual_docx(const AnnualReportView& v) const override;
  std::string table3_html(const AnnualReport& r, const std::string& link) const override;
  std::string table4_html(const AnnualReport& r, const std::string& link) const override;
  std::string stats_csv(const PeriodStats& s) const override { return reports::stats_csv(s); }
  std::string cases_csv(const std::vector<CaseRow>& rows, const Workflow& wf) const override {
    return reports::cases_csv(rows, wf);
  }
  std::string cases_csv_header() const override { return reports::cases_csv_header(); }
  std::string cases_csv_rows(const std::vector<CaseRow>& rows, const Workflow& wf) const override {
    return reports::cases_csv_rows(rows, wf);
  }
  std::string bar_chart(const std::vector<std::pair<std::string, long long>>& bars,
                        const std::string& title) const override {
    return bars_svg(bars, title);
  }
};

}  // namespace ogi::reports
