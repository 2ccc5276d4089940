#pragma once
// Adding or replacing a year of the official calendar at run time (ogi calendar import, the
// administration page, the API). The year comes as a .cal file, an iCalendar feed or the text of
// the State Council's notice as published; it is checked on its own (format rules, the seven
// festivals) and together with the loaded years (duplicates, gaps) before anything is saved.
// Saving the year and recomputing every open case's due date happen in one transaction.

#include <optional>
#include <string>
#include <vector>

#include "app/ports.h"
#include "app/web_ports.h"
#include "base/date.h"
#include "calendar/calendar.h"
#include "workflow/definition.h"

namespace ogi {

struct CalendarImport {
  std::string text;      // .cal, .ics or the notice's text
  std::string source;    // file name, for messages
  std::string year;      // required when an .ics feed holds several years
  std::string notice;    // required for .ics (feeds do not carry the notice number)
  bool replace = false;  // allow replacing a year that already has an imported notice
};

struct CalendarPreview {
  YearData year;
  bool replaced = false;         // an official year is replaced (a correction)
  bool was_provisional = false;  // the year was provisional until now
  Calendar calendar;             // the new calendar with the year in place
};

// Parses and checks the year against `current`; saves nothing (the page shows the parsed days
// for confirmation). Every problem is a Chinese sentence.
Result<CalendarPreview> prepare_calendar_year(const Calendar& current, const CalendarImport& in);

// An open case whose due date the import moved.
struct DueChange {
  long long case_id = 0;
  std::string number;
  std::optional<Date> before, after;
  int days = 0;  // calendar days, after - before (0 when one side is unknown)
};

struct CalendarImportResult : CalendarPreview {
  int recomputed = 0;  // open cases whose clock was computed anew
  std::vector<DueChange> moved;
};

// prepare_calendar_year, then every open case's projection under the new calendar, then the
// year, the projections and the audit entry in one write transaction.
Result<CalendarImportResult> import_calendar_year(AdminStore& admin, CaseStore& cases,
                                                  const Workflow& wf, const Calendar& current,
                                                  const Clock& clock, const CalendarImport& in,
                                                  const std::string& by);

// A sentence for the administrator: "已导入 2027 年日历（…）；12 件在办案件的到期日已重新计算，其中
// 3 件变动"
std::string import_summary(const CalendarImportResult& r);

}  // namespace ogi
