#include "app/calendar_admin.h"

namespace ogi {

namespace {
// Festivals every yearly notice arranges; a year without one of them is incomplete.
constexpr const char* kFestivals[] = {"元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆"};
}  // namespace

Result<CalendarImportResult> import_calendar_year(AdminStore& admin, const std::vector<YearData>& current,
                                                  const CalendarImport& in, const std::string& by,
                                                  const std::string& at) {
  std::vector<YearData> years;
  if (in.text.find("BEGIN:VCALENDAR") != std::string::npos) {
    auto r = parse_ics(in.text, in.source);
    if (!r) return r.error();
    years = *r;
  } else {
    auto r = parse_year_file(in.text, in.source);
    if (!r) return r.error();
    years.push_back(*r);
  }
  if (!in.year.empty()) {
    std::vector<YearData> pick;
    for (auto& y : years)
      if (std::to_string(y.year) == in.year) pick.push_back(y);
    if (pick.empty()) return make_error(Code::invalid, in.source + " has no days for year " + in.year, "year");
    years = pick;
  } else if (years.size() > 1) {
    std::string list;
    for (auto& y : years) list += (list.empty() ? "" : ", ") + std::to_string(y.year);
    return make_error(Code::invalid, in.source + " holds several years (" + list + "): choose one with --year", "year");
  }
  CalendarImportResult out;
  out.year = years.front();
  YearData& y = out.year;
  if (!in.notice.empty()) y.notice = in.notice;
  if (y.notice.find_first_not_of(" \t\r\n") == std::string::npos)  // blank: missing too
    return make_error(Code::invalid, "the notice number of year " + std::to_string(y.year) +
                                         " is missing: give it with --notice (e.g. 国办发明电〔2025〕7号)", "notice");
  std::string missing;
  for (auto* f : kFestivals) {
    bool found = false;
    for (auto& e : y.entries) found |= (!e.workday && e.name.find(f) != std::string::npos);
    if (!found) missing += (missing.empty() ? "" : "、") + std::string(f);
  }
  if (!missing.empty())
    return make_error(Code::invalid, "year " + std::to_string(y.year) + " is incomplete: no day off for " + missing);
  std::vector<YearData> merged;
  for (auto& c : current) {
    if (c.year == y.year) {
      merged.push_back(y);
      out.replaced = true;
    } else {
      merged.push_back(c);
    }
  }
  if (!out.replaced) merged.push_back(y);
  auto cal = Calendar::build(merged);
  if (!cal) return cal.error();
  out.calendar = std::move(*cal);
  if (Status s = admin.save_calendar_year(y.year, y.notice, format_year_file(y), by, at); !s) return s.error();
  return out;
}

}  // namespace ogi
