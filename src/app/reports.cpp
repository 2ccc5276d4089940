#include "app/reports.h"

#include <algorithm>

#include "app/policy.h"
#include "domain/codes.h"

namespace ogi {

Result<int> ReportService::check_year(int year) {
  const int now = clock_.today().year();
  if (year < 2008 || year > now)  // the Regulation took effect on 2008-05-01
    return make_error(Code::invalid, "year: 年份应在 2008 至 " + std::to_string(now) + " 之间",
                      "year");
  return year;
}

Result<std::vector<std::string>> ReportService::scope(const User& actor,
                                                      const std::string& agency) {
  if (Status st = may(wf_, actor, "report.read"); !st) return st.error();
  if (agency.empty()) return actor.agencies_visible;
  auto& v = actor.agencies_visible;
  if (std::find(v.begin(), v.end(), agency) == v.end())
    return make_error(Code::forbidden, "无权查看机关 " + agency + " 的报表");
  return std::vector<std::string>{agency};
}

Result<AnnualReportView> ReportService::annual(const User& actor, int year,
                                               const std::string& agency) {
  if (auto y = check_year(year); !y) return y.error();
  auto agencies = scope(actor, agency);
  if (!agencies) return agencies.error();
  const Date from(static_cast<unsigned short>(year), 1, 1),
      to(static_cast<unsigned short>(year), 12, 31);
  auto facts = r_.case_facts(*agencies, from, to);
  auto remedies = r_.remedy_facts(*agencies, from, to);
  AnnualReportView v;
  v.agencies = *agencies;
  v.report = annual_report(year, facts, remedies);
  v.facts = narrative_facts(year, facts);
  for (auto& c : facts)
    if (c.received_on.year() == year)
      ++v.intake_by_month[static_cast<size_t>(c.received_on.month()) - 1];
  // named after the agency asked for, or for a roll-up after the user's own (supervising) agency
  const std::string named =
      agency.empty() && agencies->size() > 1 ? actor.agency : agencies->front();
  std::string name = named;
  if (auto a = cases_.agency(named)) name = a->name;
  if (agencies->size() > 1) {
    v.title = name + "及所属机关（" + std::to_string(agencies->size()) + "个）";
    for (auto& code : *agencies) {
      std::vector<CaseFacts> mine;
      std::vector<RemedyFacts> my_remedies;
      for (auto& c : facts)
        if (c.agency == code) mine.push_back(c);
      for (auto& m : remedies)
        if (m.agency == code) my_remedies.push_back(m);
      std::string label = code;
      if (auto a = cases_.agency(code)) label = a->name;
      v.breakdown.emplace_back(code + " " + label, annual_report(year, mine, my_remedies));
    }
  } else {
    v.title = name;
    for (auto& l : r_.period_locks(*agencies))
      if (l.year == year) v.lock = l;
  }
  v.narrative = narrative(agencies->size() > 1 ? v.title : name, v.report, v.facts);
  return v;
}

Result<std::vector<long long>> ReportService::cell_cases(const User& actor, int year,
                                                         const std::string& agency,
                                                         const std::string& row,
                                                         const std::string& column) {
  if (auto y = check_year(year); !y) return y.error();
  auto agencies = scope(actor, agency);
  if (!agencies) return agencies.error();
  const Date from(static_cast<unsigned short>(year), 1, 1),
      to(static_cast<unsigned short>(year), 12, 31);
  std::vector<long long> ids;
  if (row == "reconsideration" || row == "litigation" ||
      row == "litigation_after_reconsideration") {
    static const char* kCols[] = {"upheld", "corrected", "other", "pending", "total"};
    if (std::find(std::begin(kCols), std::end(kCols), column) == std::end(kCols))
      return make_error(Code::invalid, "column: 应为 upheld、corrected、other、pending 或 total",
                        "column");
    for (auto& m : r_.remedy_facts(*agencies, from, to)) {
      auto cell = remedy_cell(year, m);
      if (cell && cell->first == row && (column == "total" || cell->second == column))
        ids.push_back(m.case_id);
    }
  } else {
    const std::string format = report_format(year);
    bool known_row = false;
    for (auto& r : table3_rows(format)) known_row |= r.key == row;
    if (!known_row)
      return make_error(Code::invalid, "row: " + format + " 格式没有第 " + row + " 行", "row");
    if (column != "total" && applicant_column(column) < 0)
      return make_error(Code::invalid, "column: 应为申请人类型代码或 total", "column");
    for (auto& c : r_.case_facts(*agencies, from, to)) {
      if (column != "total" && c.applicant_type != column) continue;
      auto rows = rows_of(year, format, c);
      if (std::find(rows.begin(), rows.end(), row) != rows.end()) ids.push_back(c.id);
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

Result<PeriodStats> ReportService::stats(const User& actor, const Date& from, const Date& to,
                                         const std::string& agency) {
  if (to < from) return make_error(Code::invalid, "to: 早于起始日期", "to");
  if (to > clock_.today() + boost::gregorian::days(366))
    return make_error(Code::invalid, "to: 过远（不超过一年后）", "to");
  auto agencies = scope(actor, agency);
  if (!agencies) return agencies.error();
  return period_stats(from, to, r_.case_facts(*agencies, from, to, true), cal_);
}

Status ReportService::set_lock(const User& actor, const std::string& agency, int year, bool lock,
                               const std::string& reason) {
  if (Status st = may(wf_, actor, "report.lock", &agency); !st) return st.error();
  if (auto y = check_year(year); !y) return y.error();
  auto& v = actor.agencies_visible;
  if (std::find(v.begin(), v.end(), agency) == v.end())
    return make_error(Code::forbidden, "无权锁定机关 " + agency + " 的年度");
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    return make_error(Code::invalid,
                      lock ? "reason: 请填写锁定原因（如：年报已发布）" : "reason: 请填写解锁原因",
                      "reason");
  return r_.set_period_lock(agency, year, lock, actor.username, clock_.now_timestamp(), reason);
}

}  // namespace ogi
