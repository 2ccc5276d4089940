#pragma once
// One year of the official holiday arrangements, as transcribed from the State Council General
// Office notice (国务院办公厅关于YYYY年部分节假日安排的通知). See docs/calendar-format.md.

#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"

namespace ogi {

struct CalendarEntry {
  Date date;
  bool workday = false;  // true: make-up working day (调休上班); false: official day off
  std::string name;      // 春节, 国庆节, ...
  int line = 0;          // line in the source, for error messages
};

struct YearData {
  int year = 0;
  std::string notice;  // e.g. 国办发明电〔2023〕7号
  std::vector<CalendarEntry> entries;
  std::string source;  // file name or "import", for error messages
  // Built by the statutory rule (calendar/provisional.h) because no notice is imported yet:
  // every answer resting on it is marked provisional. Never saved.
  bool provisional = false;
};

// Parses the project's .cal format. Every problem is reported with source:line; all problems
// are collected, not just the first. `source` names the file in messages.
Result<YearData> parse_year_file(std::string_view text, const std::string& source);

// Checks one year's own rules (dates in the year's window, no duplicates, make-up days on
// weekends, at least one holiday, notice present). Returns every problem, one per line.
std::vector<std::string> validate_year(const YearData& y);

// Writes a year back in the .cal format (for storing imported years). Names and the notice
// are written as a .cal line can hold them: blanks and line breaks as one space, '#' as '＃',
// no name as "-".
std::string format_year_file(const YearData& y);

// Parses an iCalendar feed (VEVENT with DTSTART;VALUE=DATE and optional DTEND, SUMMARY with
// 班/上班 for make-up working days, otherwise a day off). Returns one YearData per year found;
// a make-up day in the last week of December is attributed to the next year's arrangements when
// that year has a holiday in its first week (the New Year notice announces it).
Result<std::vector<YearData>> parse_ics(std::string_view text, const std::string& source);

}  // namespace ogi
