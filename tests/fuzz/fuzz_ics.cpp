// Fuzz target: the calendar importers. The input is read as an iCalendar feed (parse_ics,
// src/calendar/ics.cpp) and as a .cal year file (parse_year_file, src/calendar/year_file.cpp),
// then checked as `ogi calendar import` and the administration page do (prepare_calendar_year,
// src/app/calendar_admin.cpp) over the shipped years 2010-2026. From "X-NOTICE:" on, the input
// is the notice number typed with the import (`--notice`, the administration form).
//
// Property checked: a year the import accepts is saved as .cal text (format_year_file) and read
// back from the database at the next start (parse_year_file in src/cli/env.cpp); that text must
// parse again to the same days, and the calendar built from it must be the one the import built.
#include <cstdint>
#include <set>
#include <string>
#include <tuple>

#include "app/calendar_admin.h"
#include "fuzz_fixture.h"

using namespace ogi;

namespace {

// A name or notice as the .cal format keeps it (year_data.h): words separated by one space,
// '#' as '＃'.
std::string as_kept(const std::string& text) {
  std::string out, word;
  for (char c : text + " ") {
    if (c == '#') {
      word += "＃";
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      word += c;
    } else if (!word.empty()) {
      out += (out.empty() ? "" : " ") + word;
      word.clear();
    }
  }
  return out;
}

std::set<std::tuple<Date, bool, std::string>> days(const YearData& y) {
  std::set<std::tuple<Date, bool, std::string>> out;
  for (auto& e : y.entries) {
    const std::string name = as_kept(e.name);
    out.insert({e.date, e.workday, name.empty() ? "-" : name});
  }
  return out;
}

void check_saved(const CalendarPreview& r, const std::string& saved) {
  auto back = parse_year_file(saved, "database");
  if (!back)
    fuzz::broken("an imported year does not read back from what was saved:\n" + saved + "\n" +
                 back.error().message);
  if (back->year != r.year.year || back->notice != as_kept(r.year.notice))
    fuzz::broken("the saved year or notice differs:\n" + saved);
  if (days(*back) != days(r.year))
    fuzz::broken("the saved days differ from the imported ones:\n" + saved);
  std::vector<YearData> years = r.calendar.official_years();
  for (auto& y : years)
    if (y.year == back->year) y = *back;
  auto cal = Calendar::build(years);
  if (!cal) fuzz::broken("the saved year does not build a calendar: " + cal.error().message);
  for (Date d(r.calendar.first_year(), 1, 1); d <= Date(r.calendar.last_year(), 12, 31);
       d += boost::gregorian::days(1))
    if (*cal->is_workday(d) != *r.calendar.is_workday(d))
      fuzz::broken("working day differs on " + format_date(d));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Calendar& shipped = test::calendar();
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string notice;
  if (size_t at = text.find("X-NOTICE:"); at != std::string::npos) {
    notice = text.substr(at + 9);
    text.resize(at);
  }

  auto feed = parse_ics(text, "fuzz.ics");
  auto file = parse_year_file(text, "fuzz.cal");
  if (file) {
    (void)validate_year(*file);
    (void)format_year_file(*file);
  }

  CalendarImport in{text, "fuzz", "", notice};
  if (text.find("BEGIN:VCALENDAR") != std::string::npos) {
    if (!feed) return 0;
    in.year = std::to_string(feed->front().year);
    if (in.notice.empty()) in.notice = "国办发明电〔" + in.year + "〕1号";
  }
  // What the import saves is the year as .cal text (import_calendar_year, store).
  auto r = prepare_calendar_year(shipped, in);
  if (r) check_saved(*r, format_year_file(r->year));
  return 0;
}
