#include "calendar/provisional.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace ogi {

namespace {

using boost::gregorian::days;

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string f; in >> f;) out.push_back(f);
  return out;
}

}  // namespace

Result<std::vector<FestivalDates>> parse_festival_table(std::string_view text,
                                                        const std::string& source) {
  std::vector<FestivalDates> out;
  std::vector<std::string> problems;
  std::istringstream in{std::string(text)};
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    auto f = split_fields(line);
    if (f.empty()) continue;
    auto where = source + ":" + std::to_string(lineno) + ": ";
    if (f.size() != 5) {
      problems.push_back(where + "expected YEAR SPRING QINGMING DUANWU ZHONGQIU");
      continue;
    }
    FestivalDates d;
    try {
      size_t used = 0;
      d.year = std::stoi(f[0], &used);
      if (used != f[0].size()) throw std::invalid_argument(f[0]);
    } catch (...) {
      problems.push_back(where + "not a year: " + f[0]);
      continue;
    }
    Date* slots[] = {&d.spring, &d.qingming, &d.duanwu, &d.zhongqiu};
    bool ok = true;
    for (int i = 0; i < 4; ++i) {
      auto r = parse_date(f[i + 1]);
      if (!r || r->year() != d.year) {
        problems.push_back(where + f[i + 1] + " is not a date of " + f[0]);
        ok = false;
      } else {
        *slots[i] = *r;
      }
    }
    if (!ok) continue;
    if (!out.empty() && d.year != out.back().year + 1)
      problems.push_back(where + "year " + f[0] + " does not follow " +
                         std::to_string(out.back().year));
    out.push_back(d);
  }
  if (out.empty() && problems.empty()) problems.push_back(source + ": no year listed");
  if (!problems.empty()) {
    std::string msg;
    for (auto& p : problems) msg += (msg.empty() ? "" : "\n") + p;
    return make_error(Code::invalid, msg);
  }
  return out;
}

YearData provisional_year(const FestivalDates& f) {
  const int y = f.year;
  struct Window {
    const char* name;
    Date from;
    int length;
  };
  const Window windows[] = {
      {"元旦", Date(y, 1, 1), 1}, {"春节", f.spring - days(1), 4},  // 除夕 and 正月初一 to 初三
      {"清明节", f.qingming, 1},  {"劳动节", Date(y, 5, 1), 2},    {"端午节", f.duanwu, 1},
      {"中秋节", f.zhongqiu, 1},  {"国庆节", Date(y, 10, 1), 3},
  };
  YearData out;
  out.year = y;
  out.provisional = true;
  out.source = "provisional:" + std::to_string(y);
  std::set<Date> off;
  for (auto& w : windows)
    for (int i = 0; i < w.length; ++i) off.insert(w.from + days(i));
  // Windows in date order (中秋 may fall inside or next to 国庆).
  std::vector<const Window*> order;
  for (auto& w : windows) order.push_back(&w);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->from < b->from; });
  std::set<Date> taken;  // days already given to an earlier window
  for (auto* w : order) {
    int owed = 0;
    Date last = w->from;
    for (int i = 0; i < w->length; ++i) {
      Date d = w->from + days(i);
      // A holiday on a Saturday or Sunday (Art 6), or on a day another festival already takes
      // (中秋 on 1-3 October, as arranged in 2020), gives a rest day on the next working day.
      const bool shared = !taken.insert(d).second;
      if (!is_weekday(d) || shared) ++owed;
      out.entries.push_back({d, false, w->name, 0});
      last = d;
    }
    // A day already off (another festival's window, an earlier 补假) is not a working day.
    for (Date d = last + days(1); owed > 0; d += days(1)) {
      if (!is_weekday(d) || off.count(d)) continue;
      off.insert(d);
      taken.insert(d);
      out.entries.push_back({d, false, std::string(w->name) + "补假", 0});
      --owed;
    }
  }
  std::stable_sort(out.entries.begin(), out.entries.end(),
                   [](auto& a, auto& b) { return a.date < b.date; });
  // Two windows may overlap (中秋 on 1-3 October): keep one entry per date, the first name.
  out.entries.erase(std::unique(out.entries.begin(), out.entries.end(),
                                [](auto& a, auto& b) { return a.date == b.date; }),
                    out.entries.end());
  return out;
}

std::vector<YearData> with_provisional_years(std::vector<YearData> official,
                                             const std::vector<FestivalDates>& table) {
  int last = 0;
  std::set<Date> listed;
  for (auto& y : official) {
    last = std::max(last, y.year);
    for (auto& e : y.entries) listed.insert(e.date);
  }
  for (auto& f : table) {
    if (f.year <= last) continue;
    YearData p = provisional_year(f);
    std::erase_if(p.entries, [&](const CalendarEntry& e) { return listed.count(e.date) > 0; });
    official.push_back(std::move(p));
  }
  return official;
}

}  // namespace ogi
