#include "reports/grid.h"

#include "domain/codes.h"

namespace ogi::reports {

std::string check_note() {
  return "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
}

namespace {
void label(Grid& g, int r, int c, int rows, int cols, std::string text) {
  g.cells.push_back(Cell{r, c, rows, cols, std::move(text), true, false, 0, ""});
}
void figure(Grid& g, int r, int c, long long v, std::string link) {
  g.cells.push_back(Cell{r, c, 1, 1, std::to_string(v), false, true, v, std::move(link)});
}
const char* kColumnCodes[] = {"natural_person",
                              "commercial_enterprise",
                              "research_institution",
                              "social_welfare_org",
                              "legal_service_org",
                              "other_org",
                              "total"};
}  // namespace

Grid table3_grid(const AnnualReport& r) {
  Grid g;
  g.cols = 3 + kColumns;
  // header: three rows
  label(g, 0, 0, 3, 3, check_note());
  label(g, 0, 3, 1, kColumns, "申请人情况");
  label(g, 1, 3, 2, 1, "自然人");
  label(g, 1, 4, 1, 5, "法人或其他组织");
  label(g, 1, 9, 2, 1, "总计");
  const char* orgs[] = {"商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"};
  for (int i = 0; i < 5; ++i) label(g, 2, 4 + i, 1, 1, orgs[i]);
  const auto& rows = table3_rows(r.format);
  int row = 3;
  // the 三、 block spans every 3.x row in the first label column
  int three_rows = 0;
  for (auto& x : rows)
    if (x.key.starts_with("3.")) ++three_rows;
  bool three_started = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    const ReportRow& x = rows[i];
    if (!x.key.starts_with("3.")) {
      label(g, row, 0, 1, 3, x.label);
    } else {
      if (!three_started) {
        label(g, row, 0, three_rows, 1, "三、本年度办理结果");
        three_started = true;
      }
      if (x.level == 1) {
        label(g, row, 1, 1, 2, x.label);
      } else {
        // a sub-row: its group label spans the group's rows in the second column
        const std::string group = table3_group(r.format, x.key);
        const std::string prefix = x.key.substr(0, x.key.rfind('.') + 1);
        if (x.key.ends_with(".1")) {
          int n = 0;
          for (auto& y : rows)
            if (y.key.starts_with(prefix)) ++n;
          label(g, row, 1, n, 1, group);
        }
        label(g, row, 2, 1, 1, x.label);
      }
    }
    const Row& values = r.table3.at(x.key);
    for (int c = 0; c < kColumns; ++c)
      figure(g, row, 3 + c, values[static_cast<size_t>(c)], x.key + "|" + kColumnCodes[c]);
    ++row;
  }
  g.rows = row;
  return g;
}

Grid table4_grid(const AnnualReport& r) {
  Grid g;
  g.cols = 15;
  label(g, 0, 0, 1, 5, "行政复议");
  label(g, 0, 5, 1, 10, "行政诉讼");
  const char* results[] = {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"};
  for (int i = 0; i < 5; ++i) label(g, 1, i, 2, 1, results[i]);
  label(g, 1, 5, 1, 5, "未经复议直接起诉");
  label(g, 1, 10, 1, 5, "复议后起诉");
  for (int i = 0; i < 10; ++i) label(g, 2, 5 + i, 1, 1, results[i % 5]);
  const char* kinds[] = {"reconsideration", "litigation", "litigation_after_reconsideration"};
  const char* cols[] = {"upheld", "corrected", "other", "pending", "total"};
  for (int k = 0; k < 3; ++k) {
    const RemedyCounts& rc = r.table4.at(kinds[k]);
    const long long v[] = {rc.upheld, rc.corrected, rc.other, rc.pending, rc.total};
    for (int i = 0; i < 5; ++i)
      figure(g, 3, k * 5 + i, v[i], std::string(kinds[k]) + "|" + cols[i]);
  }
  g.rows = 4;
  return g;
}

}  // namespace ogi::reports
