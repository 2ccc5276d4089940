// iCalendar (RFC 5545) reader for holiday feeds: only what such feeds use. Each VEVENT is a
// day off or, when its SUMMARY says 班 (补班/上班), a make-up working day.
#include <map>

#include "calendar/year_data.h"

namespace ogi {

namespace {

// RFC 5545 3.1: a line starting with a space or tab continues the previous one.
std::vector<std::pair<int, std::string>> unfold(std::string_view text) {
  std::vector<std::pair<int, std::string>> out;
  int lineno = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line(text.substr(pos, nl == text.npos ? text.npos : nl - pos));
    pos = nl == text.npos ? text.size() : nl + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !out.empty())
      out.back().second += line.substr(1);
    else
      out.emplace_back(lineno, line);
  }
  return out;
}

Result<Date> ics_date(const std::string& v) {
  // 20240210 or 20240210T000000(Z)
  if (v.size() < 8) return make_error(Code::invalid, "日期格式不对：" + v);
  return parse_date(v.substr(0, 4) + "-" + v.substr(4, 2) + "-" + v.substr(6, 2));
}

}  // namespace

Result<std::vector<YearData>> parse_ics(std::string_view text, const std::string& source) {
  std::vector<std::string> problems;
  struct Ev {
    int line = 0;
    std::string start, end, summary;
  };
  std::vector<Ev> events;
  bool in_event = false, saw_calendar = false;
  Ev cur;
  for (auto& [lineno, line] : unfold(text)) {
    if (line.empty()) continue;
    auto colon = line.find(':');
    std::string name = line.substr(0, colon),
                value = colon == line.npos ? "" : line.substr(colon + 1);
    std::string prop = name.substr(0, name.find(';'));
    if (prop == "BEGIN" && value == "VCALENDAR") saw_calendar = true;
    if (prop == "BEGIN" && value == "VEVENT") {
      in_event = true;
      cur = Ev{lineno};
    } else if (prop == "END" && value == "VEVENT") {
      in_event = false;
      events.push_back(cur);
    } else if (in_event && prop == "DTSTART") {
      cur.start = value;
    } else if (in_event && prop == "DTEND") {
      cur.end = value;
    } else if (in_event && prop == "SUMMARY") {
      cur.summary = value;
    }
  }
  if (!saw_calendar)
    return make_error(Code::invalid, source + ": not an iCalendar file (no BEGIN:VCALENDAR)");
  std::map<int, YearData> years;
  for (auto& e : events) {
    auto at = source + ":" + std::to_string(e.line) + ": ";
    if (e.start.empty()) {
      problems.push_back(at + "VEVENT without DTSTART");
      continue;
    }
    auto a = ics_date(e.start);
    if (!a) {
      problems.push_back(at + "bad DTSTART " + e.start);
      continue;
    }
    Date last = *a;
    if (!e.end.empty()) {
      auto b = ics_date(e.end);
      if (!b || *b <= *a) {
        problems.push_back(at + "bad DTEND " + e.end);
        continue;
      }
      last = *b - boost::gregorian::days(1);  // DTEND is exclusive for all-day events
    }
    bool work = e.summary.find("班") != std::string::npos;
    std::string name = e.summary;
    for (Date d = *a; d <= last; d += boost::gregorian::days(1)) {
      auto& y = years[d.year()];
      y.year = d.year();
      y.source = source;
      y.entries.push_back({d, work, name, e.line});
    }
  }
  // A December make-up day belongs to next year's New Year arrangement when next year has a
  // day off in its first week and this year has no holiday within a week of that make-up day.
  for (auto& [yr, y] : years) {
    auto next = years.find(yr + 1);
    if (next == years.end()) continue;
    bool next_ny = false;
    for (auto& e : next->second.entries)
      if (!e.workday && e.date <= Date(yr + 1, 1, 7)) next_ny = true;
    if (!next_ny) continue;
    std::vector<CalendarEntry> keep;
    for (auto& e : y.entries) {
      if (e.workday && e.date >= Date(yr, 12, 25))
        next->second.entries.push_back(e);
      else
        keep.push_back(e);
    }
    y.entries = keep;
  }
  if (!problems.empty()) {
    std::string msg;
    for (auto& p : problems) msg += (msg.empty() ? "" : "\n") + p;
    return make_error(Code::invalid, msg);
  }
  if (years.empty()) return make_error(Code::invalid, source + ": no events found");
  std::vector<YearData> out;
  for (auto& [yr, y] : years) out.push_back(y);
  return out;
}

}  // namespace ogi
