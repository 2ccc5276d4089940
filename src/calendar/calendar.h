#pragma once
// The official working-day calendar: Monday-Friday minus official holidays plus make-up
// working days (调休上班), for a contiguous range of years with data. Immutable once built;
// every query is O(1) over a precomputed index (see calendar.cpp).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "calendar/provisional.h"
#include "calendar/year_data.h"

namespace ogi {

class Calendar {
 public:
  // Builds the index. Fails, listing every problem, when a year breaks its own rules, a date is
  // listed in two years, or the years are not contiguous. Provisional years in `years` are
  // dropped and made anew from `festivals` for every year of the table after the last official
  // year (calendar/provisional.h); without a table the calendar ends with the last notice.
  static Result<Calendar> build(std::vector<YearData> years,
                                std::vector<FestivalDates> festivals = {});

  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }
  // The last year with an imported notice; later years (up to last_year) are provisional.
  int last_official_year() const { return last_official_year_; }
  // Does an answer about `d` rest on a provisional year?
  bool provisional(const Date& d) const { return d.year() > last_official_year_; }
  bool covers(const Date& d) const { return !d.is_special() && d >= first_ && d <= last_; }
  const std::vector<YearData>& years() const { return years_; }  // provisional ones included
  std::vector<YearData> official_years() const;
  const std::vector<FestivalDates>& festivals() const { return festivals_; }
  const YearData* year(int y) const;

  // Is `d` a working day? Error out_of_calendar when the year is not covered.
  Result<bool> is_workday(const Date& d) const;
  // The holiday or make-up name of `d`, if it is listed.
  std::optional<std::string> day_name(const Date& d) const;

  // The n-th working day strictly after d (n >= 1); n == 0 gives d itself. Convention of
  // domain.md §3: the day of the triggering event is not counted.
  Result<Date> add_workdays(const Date& d, int n) const;

  // --- index access for the clock (callers must check covers() first) ---
  // Number of working days in [first covered day, d].
  int ordinal(const Date& d) const { return prefix_[index(d)]; }
  // The working day with the given ordinal (1-based); nullopt past the covered range.
  std::optional<Date> by_ordinal(int k) const;

  std::string coverage_text() const;  // "2010–2026" (official years)
  std::string provisional_note(int year) const;
  std::string range_text() const;  // "2010–2026 official, 2027–2060 provisional"  //
                                   // "暂定：2027年节假日安排公布前按法定节假日推算"

 private:
  Error outside(const Date& d) const;
  int index(const Date& d) const { return static_cast<int>((d - first_).days()); }
  int first_year_ = 0, last_year_ = 0, last_official_year_ = 0;
  Date first_, last_;
  std::vector<YearData> years_;
  std::vector<FestivalDates> festivals_;
  std::vector<unsigned char> workday_;  // per day index
  std::vector<int> prefix_;             // per day index: working days up to and including it
  std::vector<int> days_of_ordinal_;    // ordinal-1 -> day index
  std::map<Date, std::string> names_;
};

// The year whose State Council notice an office should be importing now: from 1 November the
// next year, when it is still provisional; any time, the current year when it is provisional.
// nullopt when nothing is missing.
std::optional<int> missing_notice_year(const Calendar& cal, const Date& today);

}  // namespace ogi
