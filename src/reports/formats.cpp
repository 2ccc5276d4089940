#include "reports/formats.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "domain/codes.h"
#include "letters/docx.h"
#include "letters/markup.h"
#include "reports/grid.h"

namespace ogi::reports {

namespace {

using letters::xml_escape;

const char* kKinds[] = {"reconsideration", "litigation", "litigation_after_reconsideration"};

std::string csv_cell(const std::string& s) {
  bool quote = s.find_first_of(",\"\n") != std::string::npos;
  if (!quote) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

std::string heading(const AnnualReportView& v) {
  return v.title + " " + std::to_string(v.report.year) + "年度政府信息公开工作年度报告";
}

std::string grid_html(const Grid& g, const std::string& link, const char* cls) {
  std::string h = std::string("<table class=\"") + cls + "\">\n";
  size_t i = 0;
  for (int r = 0; r < g.rows; ++r) {
    h += "<tr>";
    for (; i < g.cells.size() && g.cells[i].row == r; ++i) {
      const Cell& c = g.cells[i];
      std::string attrs;
      if (c.rows > 1) attrs += " rowspan=\"" + std::to_string(c.rows) + "\"";
      if (c.cols > 1) attrs += " colspan=\"" + std::to_string(c.cols) + "\"";
      if (c.header) {
        h += "<th" + attrs + (c.row == 0 && c.col == 0 && c.rows > 1 ? " class=\"note\"" : "") +
             ">" + xml_escape(c.text) + "</th>";
      } else if (!link.empty() && !c.link.empty()) {
        const auto bar = c.link.find('|');
        const std::string row = c.link.substr(0, bar), column = c.link.substr(bar + 1);
        h += "<td" + attrs + " data-row=\"" + row + "\" data-column=\"" + column + "\">";
        if (c.text == "0")  // a 0 leads nowhere
          h += "0</td>";
        else
          h += "<a href=\"" + xml_escape(link) + "row=" + row + "&amp;column=" + column + "\">" +
               c.text + "</a></td>";
      } else {
        h += "<td" + attrs + ">" + xml_escape(c.text) + "</td>";
      }
    }
    h += "</tr>\n";
  }
  return h + "</table>\n";
}

}  // namespace

std::string table3_html(const AnnualReport& r, const std::string& link) {
  return grid_html(table3_grid(r), link, "t3");
}
std::string table4_html(const AnnualReport& r, const std::string& link) {
  return grid_html(table4_grid(r), link, "t4");
}

std::string to_csv(const AnnualReportView& v) {
  std::string out =
      "table,row,label,natural_person,commercial_enterprise,research_institution,social_welfare_"
      "org,"
      "legal_service_org,other_org,total\n";
  for (auto& row : table3_rows(v.report.format)) {
    out += "table3," + row.key + "," + csv_cell(row.label);
    for (long long x : v.report.table3.at(row.key)) out += "," + std::to_string(x);
    out += "\n";
  }
  // table 4 in the same columns: upheld, corrected, other, pending, total (then two empty)
  for (int k = 0; k < 3; ++k) {
    const RemedyCounts& rc = v.report.table4.at(kKinds[k]);
    out += std::string("table4,") + kKinds[k] + "," +
           csv_cell(report_row_label(v.report.format, kKinds[k])) + "," +
           std::to_string(rc.upheld) + "," + std::to_string(rc.corrected) + "," +
           std::to_string(rc.other) + "," + std::to_string(rc.pending) + "," +
           std::to_string(rc.total) + ",,\n";
  }
  out += std::string("check,holds,") + (v.report.check_holds ? "true" : "false") + ",,,,,,,\n";
  return out;
}

std::string to_html(const AnnualReportView& v) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" +
                  xml_escape(heading(v)) +
                  "</title>\n<style>\n@page { size: A4; margin: 20mm 15mm; }\n"
                  "body { font-family: \"仿宋_GB2312\", \"仿宋\", FangSong, \"Noto Serif CJK SC\", "
                  "serif; font-size: 11pt; }\n"
                  "h1 { font-size: 16pt; text-align: center; } h2 { font-size: 13pt; }\n"
                  "table { border-collapse: collapse; width: 100%; margin: 6pt 0 12pt; }\n"
                  "th, td { border: 1px solid #000; padding: 3pt 4pt; word-break: keep-all; } "
                  "th { font-weight: normal; "
                  "text-align: center; }\n"
                  "td { text-align: center; } th.note { font-size: 9pt; text-align: left; }\n"
                  ".t3 tr > th:last-of-type { text-align: left; } .check { font-weight: bold; }\n"
                  "</style></head><body>\n<h1>" +
                  xml_escape(heading(v)) + "</h1>\n";
  h += "<p class=\"format\">表格格式：" +
       std::string(v.report.format == "2019" ? "国办公开办函〔2019〕60号"
                                             : "国办公开办函〔2021〕30号") +
       "</p>\n";
  h += "<h2>三、收到和处理政府信息公开申请情况</h2>\n" + table3_html(v.report);
  if (v.report.check_holds)
    h +=
        "<p class=\"check\">勾稽关系：第一项加第二项之和等于第三项加第四项之和，各列均成立。</p>\n";
  else
    for (auto& f : v.report.check_failures)
      h += "<p class=\"check\">勾稽关系不成立：" + xml_escape(f) + "</p>\n";
  h += "<h2>四、政府信息公开行政复议、行政诉讼情况</h2>\n" + table4_html(v.report);
  h += "<h2>一（二）依申请公开情况（说明）</h2>\n<p>" + xml_escape(v.narrative) +
       "</p>\n</body></html>\n";
  return h;
}

Result<std::string> to_xlsx(const AnnualReportView& v) {
  char path[] = "/tmp/ogi-report-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return make_error(Code::internal, "cannot create a temporary file for the XLSX");
  close(fd);
  lxw_workbook* wb = workbook_new(path);
  if (!wb) return make_error(Code::internal, "cannot start the XLSX workbook");
  lxw_format* head = workbook_add_format(wb);
  format_set_border(head, LXW_BORDER_THIN);
  format_set_align(head, LXW_ALIGN_CENTER);
  format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
  format_set_text_wrap(head);
  format_set_font_name(head, "仿宋_GB2312");
  lxw_format* note = workbook_add_format(wb);
  format_set_border(note, LXW_BORDER_THIN);
  format_set_text_wrap(note);
  format_set_align(note, LXW_ALIGN_VERTICAL_CENTER);
  format_set_font_size(note, 9);
  lxw_format* num = workbook_add_format(wb);
  format_set_border(num, LXW_BORDER_THIN);
  format_set_align(num, LXW_ALIGN_CENTER);
  format_set_align(num, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  auto page = [](lxw_worksheet* ws) {  // each table on one A4 page width, landscape
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
  };
  auto write_grid = [&](lxw_worksheet* ws, const Grid& g, int top) {
    // a wrapped label needs its row tall enough: about 16 characters a line in the label column
    std::map<int, int> lines;
    for (auto& c : g.cells) {
      if (!c.header || c.rows != 1 || c.cols != 1) continue;
      const int chars = static_cast<int>(c.text.size() / 3);  // CJK: 3 bytes a character
      const int per_line = c.col == 2 ? 16 : 4;
      lines[c.row] = std::max(lines[c.row], (chars + per_line - 1) / per_line);
    }
    for (auto& [r, n] : lines)
      if (n > 1) worksheet_set_row(ws, static_cast<lxw_row_t>(top + r), 15.0 * n, nullptr);
    for (auto& c : g.cells) {
      const auto r = static_cast<lxw_row_t>(top + c.row);
      const auto col = static_cast<lxw_col_t>(c.col);
      lxw_format* f = c.number ? num : (c.row == 0 && c.col == 0 && c.rows > 1 ? note : head);
      if (c.rows > 1 || c.cols > 1) {
        worksheet_merge_range(ws, r, col, static_cast<lxw_row_t>(r + c.rows - 1),
                              static_cast<lxw_col_t>(col + c.cols - 1),
                              c.number ? "" : c.text.c_str(), f);
        if (c.number) worksheet_write_number(ws, r, col, static_cast<double>(c.value), f);
      } else if (c.number) {
        worksheet_write_number(ws, r, col, static_cast<double>(c.value), f);
      } else {
        worksheet_write_string(ws, r, col, c.text.c_str(), f);
      }
    }
  };
  lxw_worksheet* t3 = workbook_add_worksheet(wb, "表三 收到和处理申请情况");
  worksheet_write_string(t3, 0, 0, (heading(v) + " — 三、收到和处理政府信息公开申请情况").c_str(),
                         title);
  worksheet_set_column(t3, 0, 0, 8, nullptr);
  worksheet_set_column(t3, 1, 1, 12, nullptr);
  worksheet_set_column(t3, 2, 2, 34, nullptr);
  worksheet_set_column(t3, 3, 9, 9, nullptr);
  page(t3);
  const Grid g3 = table3_grid(v.report);
  write_grid(t3, g3, 2);
  const std::string check = v.report.check_holds
                                ? "勾稽关系成立：第一项加第二项之和等于第三项加第四项之和（各列）。"
                                : "勾稽关系不成立，请核对。";
  worksheet_write_string(t3, static_cast<lxw_row_t>(2 + g3.rows + 1), 0, check.c_str(), nullptr);
  lxw_worksheet* t4 = workbook_add_worksheet(wb, "表四 复议诉讼情况");
  worksheet_write_string(t4, 0, 0,
                         (heading(v) + " — 四、政府信息公开行政复议、行政诉讼情况").c_str(), title);
  worksheet_set_column(t4, 0, 14, 9, nullptr);
  page(t4);
  write_grid(t4, table4_grid(v.report), 2);
  lxw_worksheet* n = workbook_add_worksheet(wb, "说明");
  page(n);
  worksheet_set_column(n, 0, 0, 90, nullptr);
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  // the paragraph wraps at about 38 characters a line in a 90-wide column; CJK lines are tall
  const double narrative_lines = std::ceil(static_cast<double>(v.narrative.size() / 3) / 38.0) + 1;
  worksheet_set_row(n, 0, std::min(409.0, 24.0 * narrative_lines), wrap);
  worksheet_write_string(n, 0, 0, v.narrative.c_str(), wrap);
  lxw_error rc = workbook_close(wb);
  std::string bytes;
  if (rc == LXW_NO_ERROR) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    bytes = s.str();
  }
  std::filesystem::remove(path);
  if (rc != LXW_NO_ERROR)
    return make_error(Code::internal, std::string("XLSX: ") + lxw_strerror(rc));
  return bytes;
}

namespace {
// A WordprocessingML table from a grid: gridSpan for columns, vMerge for rows.
std::string grid_docx(const Grid& g, const std::vector<int>& widths, int font_half_points,
                      int header_rows) {
  std::vector<std::vector<const Cell*>> at(static_cast<size_t>(g.rows),
                                           std::vector<const Cell*>(static_cast<size_t>(g.cols)));
  std::vector<std::vector<bool>> covered(static_cast<size_t>(g.rows),
                                         std::vector<bool>(static_cast<size_t>(g.cols)));
  for (auto& c : g.cells) {
    at[static_cast<size_t>(c.row)][static_cast<size_t>(c.col)] = &c;
    for (int r = c.row; r < c.row + c.rows; ++r)
      for (int k = c.col; k < c.col + c.cols; ++k)
        covered[static_cast<size_t>(r)][static_cast<size_t>(k)] = true;
  }
  const std::string sz = std::to_string(font_half_points);
  std::string t =
      "<w:tbl><w:tblPr><w:tblStyle w:val=\"Grid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/><w:jc "
      "w:val=\"center\"/>"
      "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>";
  for (int w : widths) t += "<w:gridCol w:w=\"" + std::to_string(w) + "\"/>";
  t += "</w:tblGrid>";
  // the merge each position belongs to
  auto owner = [&](int r, int k) -> const Cell* {
    for (auto& c : g.cells)
      if (r >= c.row && r < c.row + c.rows && k >= c.col && k < c.col + c.cols) return &c;
    return nullptr;
  };
  for (int r = 0; r < g.rows; ++r) {
    // a row never breaks across pages; the header rows repeat on each page
    t += std::string("<w:tr><w:trPr><w:cantSplit/>") + (r < header_rows ? "<w:tblHeader/>" : "") +
         "</w:trPr>";
    for (int k = 0; k < g.cols;) {
      const Cell* c = owner(r, k);
      const int span = c ? c->cols : 1;
      int w = 0;
      for (int i = k; i < k + span && i < static_cast<int>(widths.size()); ++i)
        w += widths[static_cast<size_t>(i)];
      t += "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(w) + "\" w:type=\"dxa\"/>";
      if (span > 1) t += "<w:gridSpan w:val=\"" + std::to_string(span) + "\"/>";
      if (c && c->rows > 1) t += c->row == r ? "<w:vMerge w:val=\"restart\"/>" : "<w:vMerge/>";
      t += "<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:spacing w:line=\"240\" "
           "w:lineRule=\"auto\"/><w:jc w:val=\"" +
           std::string(c && c->header && !(c->row == 0 && c->col == 0 && c->rows > 1) && c->col != 2
                           ? "center"
                       : c && c->number ? "center"
                                        : "left") +
           "\"/></w:pPr>";
      if (c && c->row == r)
        t += "<w:r><w:rPr><w:sz w:val=\"" + sz + "\"/><w:szCs w:val=\"" + sz +
             "\"/></w:rPr><w:t xml:space=\"preserve\">" + xml_escape(c->text) + "</w:t></w:r>";
      t += "</w:p></w:tc>";
      k += span;
    }
    t += "</w:tr>";
  }
  (void)at;
  (void)covered;
  return t + "</w:tbl>";
}

std::string para(const std::string& style, const std::string& text) {
  return "<w:p><w:pPr><w:pStyle w:val=\"" + style +
         "\"/></w:pPr><w:r><w:t xml:space=\"preserve\">" + xml_escape(text) + "</w:t></w:r></w:p>";
}
}  // namespace

std::string to_docx(const AnnualReportView& v) {
  std::string body = para("Title", heading(v));
  body += para("Centre", "三、收到和处理政府信息公开申请情况");
  // 156 mm of type width: 1 + 1.6 + 4.1 cm for the labels, the rest for seven figures
  std::vector<int> w3 = {567, 907, 2324};
  for (int i = 0; i < kColumns; ++i) w3.push_back(864);
  body += grid_docx(table3_grid(v.report), w3, 20, 3);
  body += para("Body", v.report.check_holds
                           ? "勾稽关系：第一项加第二项之和等于第三项加第四项之和，各列均成立。"
                           : "勾稽关系不成立，请核对。");
  body += para("Centre", "四、政府信息公开行政复议、行政诉讼情况");
  body += grid_docx(table4_grid(v.report), std::vector<int>(15, 589), 18, 3);
  body += para("Centre", "依申请公开情况（说明）");
  body += para("Body", v.narrative);
  const std::string xml =
      std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") +
      "\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>" +
      body +
      "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/><w:pgSz w:w=\"11906\" "
      "w:h=\"16838\"/>"
      "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" "
      "w:footer=\"1587\" "
      "w:gutter=\"0\"/></w:sectPr></w:body></w:document>";
  char date[11];
  std::snprintf(date, sizeof date, "%04d-12-31", v.report.year);
  return letters::package_docx(xml, heading(v), date);
}

}  // namespace ogi::reports
