#include "reports/exports.h"

#include <algorithm>
#include <cstdio>

#include "domain/codes.h"
#include "letters/markup.h"
#include "reports/formats.h"

namespace ogi::reports {

namespace {
using letters::xml_escape;

// Quoted always; a leading = + - @ is neutralised (CSV injection into a spreadsheet).
std::string cell(const std::string& s) {
  std::string v = s;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
  std::string o = "\"";
  for (char c : v) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

std::string decimal(double v, const char* fmt) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}
}  // namespace

std::string stats_csv(const PeriodStats& s) {
  std::string out =
      "\xEF\xBB\xBF"
      "项目,分项,数值\n";
  out += "期间,," + format_date(s.from) + " 至 " + format_date(s.to) + "\n";
  out += "收到申请,," + std::to_string(s.received) + "\n";
  for (auto& [ch, n] : s.by_channel)
    out += "收到申请（渠道）," + std::string(label_of(channels(), ch)) + "," + std::to_string(n) +
           "\n";
  for (auto& [m, chans] : s.by_month_channel)
    for (auto& [ch, n] : chans)
      out += "按月收到," + m + " " + std::string(label_of(channels(), ch)) + "," +
             std::to_string(n) + "\n";
  out += "办结,," + std::to_string(s.concluded) + "\n";
  out += "答复办结,," + std::to_string(s.replies) + "\n";
  out += "按时答复,," + std::to_string(s.on_time) + "\n";
  if (s.on_time_rate) out += "办结及时率,," + decimal(*s.on_time_rate * 100, "%.1f%%") + "\n";
  if (s.avg_days) out += "平均答复用时（工作日）,," + decimal(*s.avg_days, "%.1f") + "\n";
  if (s.p90_days) out += "答复用时第90百分位（工作日）,," + std::to_string(*s.p90_days) + "\n";
  for (auto& [o, n] : s.by_outcome) {
    const OutcomeInfo* info = find_outcome(o);
    out += "办理结果," + std::string(info ? info->label : std::string_view(o)) + "," +
           std::to_string(n) + "\n";
  }
  for (auto& [h, x] : s.by_handler) {
    out += "承办人办结," + h + "," + std::to_string(x.concluded) + "\n";
    out += "承办人平均答复用时（工作日）," + h + "," + decimal(x.avg_days, "%.1f") + "\n";
  }
  return out;
}

std::string cases_csv(const std::vector<CaseRow>& rows, const Workflow& wf) {
  return cases_csv_header() + cases_csv_rows(rows, wf);
}

std::string cases_csv_header() {
  return "\xEF\xBB\xBF编号,机关,申请人类型,申请人,提交方式,收到日期,状态,办理结果,到期日,"
         "办结日期\r\n";
}

std::string cases_csv_rows(const std::vector<CaseRow>& rows, const Workflow& wf) {
  std::string out;
  for (auto& x : rows) {
    const auto* st = wf.state(x.state);
    const auto* oc = find_outcome(x.outcome);
    out += cell(x.number) + "," + cell(x.agency) + "," +
           cell(std::string(label_of(applicant_types(), x.applicant_type))) + "," +
           cell(x.applicant_name) + "," + cell(std::string(label_of(channels(), x.channel))) + "," +
           format_date(x.received_on) + "," + cell(st ? st->label : x.state) + "," +
           cell(oc ? std::string(oc->label) : "") + "," + (x.due_on ? format_date(*x.due_on) : "") +
           "," + (x.concluded_on ? format_date(*x.concluded_on) : "") + "\r\n";
  }
  return out;
}

std::string bars_svg(const std::vector<std::pair<std::string, long long>>& bars,
                     const std::string& title, int width) {
  long long max = 1;
  for (auto& [l, v] : bars) max = std::max(max, v);
  const int n = static_cast<int>(bars.size()), h = 220, top = 28, bottom = 46, left = 36;
  const double slot = static_cast<double>(width - left - 8) / std::max(1, n);
  const std::string t = xml_escape(title);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(h) +
                    "\" role=\"img\" aria-label=\"" + t + "\"><title>" + t + "</title>";
  svg += "<text x=\"" + std::to_string(left) + "\" y=\"16\" font-size=\"13\">" + t + "</text>";
  const int plot = h - top - bottom;
  for (int i = 0; i < n; ++i) {
    const auto& [label, v] = bars[static_cast<size_t>(i)];
    const int bh = static_cast<int>(static_cast<double>(plot) * static_cast<double>(v) /
                                    static_cast<double>(max));
    const int x = left + static_cast<int>(slot * i + slot * 0.15),
              w = std::max(2, static_cast<int>(slot * 0.7));
    const std::string l = xml_escape(label), cx = std::to_string(x + w / 2);
    svg += "<rect class=\"bar\" x=\"" + std::to_string(x) + "\" y=\"" +
           std::to_string(top + plot - bh) + "\" width=\"" + std::to_string(w) + "\" height=\"" +
           std::to_string(bh) + "\" fill=\"#3b6ea5\"><title>" + l + "：" + std::to_string(v) +
           "</title></rect>";
    svg += "<text x=\"" + cx + "\" y=\"" + std::to_string(top + plot - bh - 3) +
           "\" font-size=\"11\" text-anchor=\"middle\">" + std::to_string(v) + "</text>";
    svg += "<text x=\"" + cx + "\" y=\"" + std::to_string(h - bottom + 16) +
           "\" font-size=\"11\" text-anchor=\"middle\">" + l + "</text>";
  }
  svg += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(top + plot) +
         "\" x2=\"" + std::to_string(width - 8) + "\" y2=\"" + std::to_string(top + plot) +
         "\" stroke=\"#555\"/></svg>";
  return svg;
}

std::string Writer::annual_csv(const AnnualReportView& v) const { return to_csv(v); }
std::string Writer::annual_html(const AnnualReportView& v) const { return to_html(v); }
Result<std::string> Writer::annual_xlsx(const AnnualReportView& v) const { return to_xlsx(v); }
std::string Writer::annual_docx(const AnnualReportView& v) const { return to_docx(v); }
std::string Writer::table3_html(const AnnualReport& r, const std::string& link) const {
  return reports::table3_html(r, link);
}
std::string Writer::table4_html(const AnnualReport& r, const std::string& link) const {
  return reports::table4_html(r, link);
}

}  // namespace ogi::reports
