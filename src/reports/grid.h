#pragma once
// The official tables as a grid of cells with merges (国办公开办函〔2019〕60号 / 〔2021〕30号),
// built once from a report and written out as HTML, XLSX and DOCX, so the three look the same.

#include <string>
#include <vector>

#include "domain/report.h"

namespace ogi::reports {

struct Cell {
  int row = 0, col = 0, rows = 1, cols = 1;
  std::string text;
  bool header = false;  // a label (bold, centred) rather than a figure
  bool number = false;
  long long value = 0;
  std::string link;  // drill-down: "row|column" of the report cell (figures only)
};

struct Grid {
  int rows = 0, cols = 0;
  std::vector<Cell> cells;  // top-left cells of each merge, in reading order
};

// Table 3: three label columns, then the six applicant types and 总计. The top-left cell carries
// the check note of the format.
Grid table3_grid(const AnnualReport& r);
// Table 4: 行政复议 (5) | 行政诉讼: 未经复议直接起诉 (5), 复议后起诉 (5).
Grid table4_grid(const AnnualReport& r);

// The check note printed in the top-left cell.
std::string check_note();

}  // namespace ogi::reports
