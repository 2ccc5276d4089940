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
#include "calendar/year_data.h"

namespace ogi {

class Calendar {
 public:
  // Builds the index. Fails, listing every problem, when a year breaks its own rules, a date is
  // listed in two years, or the years are not contiguous.
  static Result<Calendar> build(std::vector<YearData> years);

  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }
  bool covers(const Date& d) const { return !d.is_special() && d >= first_ && d <= last_; }
  const std::vector<YearData>& years() const { return years_; }
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

  std::string coverage_text() const;  // "2010–2026"

 private:
  int index(const Date& d) const { return static_cast<int>((d - first_).days()); }
  int first_year_ = 0, last_year_ = 0;
  Date first_, last_;
  std::vector<YearData> years_;
  std::vector<unsigned char> workday_;  // per day index
  std::vector<int> prefix_;             // per day index: working days up to and including it
  std::vector<int> days_of_ordinal_;    // ordinal-1 -> day index
  std::map<Date, std::string> names_;
};

}  // namespace ogi
