#include "http/report_params.h"

#include <cstdio>
#include <string>

namespace ogi::http {

Result<int> year_param(const Request& req, const Date& today) {
  const std::string y = req.q("year", std::to_string(static_cast<int>(today.year()) - 1));
  try {
    size_t used = 0;
    int v = std::stoi(y, &used);
    if (used == y.size()) return v;
  } catch (...) {
  }
  return make_error(Code::invalid, "year: 年份应为四位数字", "year");
}

Result<std::pair<Date, Date>> range_params(const Request& req, const Date& today) {
  // ?quarter=2024Q2 or ?from=&to= (default: this year so far)
  if (auto qtr = req.q("quarter"); !qtr.empty()) {
    int y = 0, q = 0;
    if (std::sscanf(qtr.c_str(), "%4dQ%1d", &y, &q) != 2 || q < 1 || q > 4 || y < 2008 || y > 2100)
      return make_error(Code::invalid, "quarter: 季度应写作 2024Q2", "quarter");
    const Date from(static_cast<unsigned short>(y), static_cast<unsigned short>(3 * q - 2), 1);
    const Date to = (from + boost::gregorian::months(3)) - boost::gregorian::days(1);
    return std::pair{from, to};
  }
  Date from(today.year(), 1, 1), to = today;
  if (auto f = req.q("from"); !f.empty()) {
    auto d = parse_date(f, "from");
    if (!d) return d.error();
    from = *d;
  }
  if (auto t = req.q("to"); !t.empty()) {
    auto d = parse_date(t, "to");
    if (!d) return d.error();
    to = *d;
  }
  return std::pair{from, to};
}

}  // namespace ogi::http
