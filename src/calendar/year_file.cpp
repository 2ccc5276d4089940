#include <algorithm>
#include <map>
#include <sstream>

#include "calendar/year_data.h"

namespace ogi {

namespace {

// The years a date may have (parse_date): a year outside them can list no valid day.
constexpr int kFirstYear = 1900, kLastYear = 2199;

std::vector<std::string> split_ws(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.emplace_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

// A name or notice number as one .cal line holds it: '#' would start a comment, so it is
// written full width (＃); line breaks and runs of blanks become one space.
std::string cal_text(const std::string& text) {
  std::string s;
  for (char c : text) {
    if (c == '#')
      s += "\xEF\xBC\x83";  // ＃
    else if (c == '\r' || c == '\n')
      s += ' ';
    else
      s += c;
  }
  std::string out;
  for (auto& w : split_ws(s)) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string join_from(const std::vector<std::string>& parts, size_t from) {
  std::string s;
  for (size_t i = from; i < parts.size(); ++i) s += (i > from ? " " : "") + parts[i];
  return s;
}

}  // namespace

Result<YearData> parse_year_file(std::string_view text, const std::string& source) {
  YearData y;
  y.source = source;
  std::vector<std::string> problems;
  auto problem = [&](int line, const std::string& msg) {
    problems.push_back(source + ":" + std::to_string(line) + ": " + msg);
  };
  int lineno = 0;
  size_t pos = 0;
  int notices = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++lineno;
    if (auto h = raw.find('#'); h != raw.npos) raw = raw.substr(0, h);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    auto parts = split_ws(raw);
    if (parts.empty()) continue;
    const std::string& kw = parts[0];
    if (y.year == 0 && kw != "year") {
      problem(lineno, "the first statement must be 'year YYYY'");
      y.year = -1;
      continue;
    }
    if (kw == "year") {
      if (y.year > 0) {
        problem(lineno, "'year' given twice");
      } else if (parts.size() != 2 || parts[1].size() != 4 ||
                 !std::all_of(parts[1].begin(), parts[1].end(), ::isdigit)) {
        problem(lineno, "expected 'year YYYY'");
        y.year = -1;
      } else if (int year = std::stoi(parts[1]); year < kFirstYear || year > kLastYear) {
        problem(lineno, "year " + parts[1] + " is outside " + std::to_string(kFirstYear) + "–" +
                            std::to_string(kLastYear));
        y.year = -1;
      } else {
        y.year = year;
      }
    } else if (kw == "notice") {
      if (parts.size() < 2) problem(lineno, "'notice' needs the notice number");
      y.notice = join_from(parts, 1);
      ++notices;
    } else if (kw == "holiday" || kw == "workday") {
      if (parts.size() < 3) {
        problem(lineno, "expected '" + kw + " DATE NAME'");
        continue;
      }
      std::string spec = parts[1];
      std::string from = spec, to = spec;
      if (auto dots = spec.find(".."); dots != spec.npos) {
        if (kw == "workday") {
          problem(lineno, "a make-up working day is one date, not a range");
          continue;
        }
        from = spec.substr(0, dots);
        to = spec.substr(dots + 2);
      }
      auto a = parse_date(from), b = parse_date(to);
      if (!a || !b) {
        problem(lineno, "unknown date '" + spec + "'");
        continue;
      }
      if (*b < *a) {
        problem(lineno, "range ends before it starts: " + spec);
        continue;
      }
      if ((*b - *a).days() > 15) {
        problem(lineno, "a holiday range longer than 16 days is not plausible: " + spec);
        continue;
      }
      for (Date d = *a; d <= *b; d += boost::gregorian::days(1))
        y.entries.push_back({d, kw == "workday", join_from(parts, 2), lineno});
    } else {
      problem(lineno, "unknown statement '" + kw + "'");
    }
  }
  if (notices > 1) problems.push_back(source + ": 'notice' given more than once");
  if (y.year > 0) {
    for (auto& p : validate_year(y)) problems.push_back(p);
  } else if (y.year == 0) {
    problems.push_back(source + ": empty file (no 'year')");
  }
  if (!problems.empty()) {
    std::string msg;
    for (auto& p : problems) msg += (msg.empty() ? "" : "\n") + p;
    return make_error(Code::invalid, msg);
  }
  return y;
}

std::vector<std::string> validate_year(const YearData& y) {
  std::vector<std::string> problems;
  if (y.year < kFirstYear || y.year > kLastYear)  // no date of such a year is valid (parse_date)
    return {y.source + ": year " + std::to_string(y.year) + " is outside " +
            std::to_string(kFirstYear) + "–" + std::to_string(kLastYear)};
  auto at = [&](const CalendarEntry& e) {
    return y.source + (e.line ? ":" + std::to_string(e.line) : std::string()) + ": ";
  };
  if (y.notice.empty() && !y.provisional)
    problems.push_back(y.source + ": no 'notice' line (the notice number)");
  Date lo = Date(y.year, 1, 1) - boost::gregorian::days(7);
  Date hi = Date(y.year, 12, 31) + boost::gregorian::days(7);
  std::map<Date, const CalendarEntry*> seen;
  bool any_holiday = false;
  for (const auto& e : y.entries) {
    if (e.date < lo || e.date > hi)
      problems.push_back(at(e) + format_date(e.date) + " is outside the year " +
                         std::to_string(y.year));
    if (auto it = seen.find(e.date); it != seen.end()) {
      bool both = it->second->workday != e.workday;
      problems.push_back(
          at(e) + format_date(e.date) +
          (both ? " is listed both as a holiday and as a working day" : " is listed twice"));
    } else {
      seen[e.date] = &e;
    }
    if (e.workday && is_weekday(e.date))
      problems.push_back(at(e) + format_date(e.date) +
                         " is a Monday-Friday: a make-up working day must be a Saturday or Sunday");
    if (!e.workday) any_holiday = true;
  }
  if (!any_holiday)
    problems.push_back(y.source + ": year " + std::to_string(y.year) +
                       " lists no holiday: the arrangement is incomplete");
  return problems;
}

std::string format_year_file(const YearData& y) {
  std::ostringstream o;
  o << "year " << y.year << "\nnotice " << cal_text(y.notice) << "\n";
  auto entries = y.entries;
  std::sort(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.date < b.date; });
  for (auto& e : entries) {
    const std::string name = cal_text(e.name);
    o << (e.workday ? "workday " : "holiday ") << format_date(e.date) << " "
      << (name.empty() ? "-" : name) << "\n";
  }
  return o.str();
}

}  // namespace ogi
