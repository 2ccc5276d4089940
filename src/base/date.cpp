#include "base/date.h"

#include <cstdio>

namespace ogi {

namespace {
bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
}  // namespace

Result<Date> parse_date(std::string_view t, std::string_view field) {
  auto bad = [&] {
    return make_error(Code::invalid,
                      std::string(field) + " is not a valid date (YYYY-MM-DD): " + std::string(t),
                      std::string(field));
  };
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return bad();
  auto ys = t.substr(0, 4), ms = t.substr(5, 2), ds = t.substr(8, 2);
  if (!digits(ys) || !digits(ms) || !digits(ds)) return bad();
  int y = num(ys), m = num(ms), d = num(ds);
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return bad();
  if (d > boost::gregorian::gregorian_calendar::end_of_month_day(y, m)) return bad();
  return Date(y, m, d);
}

std::string format_date(const Date& d) {
  char buf[40];  // room for any int the compiler imagines
  auto ymd = d.year_month_day();
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", int(ymd.year), int(ymd.month), int(ymd.day));
  return buf;
}

}  // namespace ogi
