#pragma once
// Adding or replacing a year of the official calendar at run time (ogi calendar import, and the
// administration page). The year is checked on its own (format rules, the seven festivals) and
// together with the loaded years (duplicates, gaps) before anything is saved.

#include <string>
#include <vector>

#include "app/web_ports.h"
#include "calendar/calendar.h"

namespace ogi {

struct CalendarImport {
  std::string text;      // .cal or .ics content
  std::string source;    // file name, for messages
  std::string year;      // required when an .ics feed holds several years
  std::string notice;    // required for .ics (feeds do not carry the notice number)
};

struct CalendarImportResult {
  YearData year;
  bool replaced = false;
  Calendar calendar;  // the new calendar with the year in place
};

// Parses and validates; saves the year (and an audit entry) only when everything holds.
Result<CalendarImportResult> import_calendar_year(AdminStore& admin, const std::vector<YearData>& current,
                                                  const CalendarImport& in, const std::string& by,
                                                  const std::string& at);

}  // namespace ogi
