#include "calendar/calendar.h"

#include <algorithm>

namespace ogi {

Result<Calendar> Calendar::build(std::vector<YearData> years,
                                 std::vector<FestivalDates> festivals) {
  std::vector<std::string> problems;
  std::erase_if(years, [](const YearData& y) { return y.provisional; });
  if (years.empty()) return make_error(Code::invalid, "no calendar years loaded");
  std::sort(years.begin(), years.end(), [](auto& a, auto& b) { return a.year < b.year; });
  if (!festivals.empty()) years = with_provisional_years(std::move(years), festivals);
  std::map<Date, std::string> where;  // date -> "file:line" of its first listing
  for (size_t i = 0; i < years.size(); ++i) {
    const auto& y = years[i];
    for (auto& p : validate_year(y)) problems.push_back(p);
    if (i > 0 && years[i - 1].provisional && !y.provisional)
      problems.push_back(y.source + ": year " + std::to_string(y.year) +
                         " follows the provisional year " + std::to_string(years[i - 1].year) +
                         " (import the notices in order)");
    if (i > 0 && y.year == years[i - 1].year)
      problems.push_back(y.source + ": year " + std::to_string(y.year) + " is given twice");
    else if (i > 0 && y.year != years[i - 1].year + 1)
      problems.push_back(y.source + ": years " + std::to_string(years[i - 1].year + 1) + "–" +
                         std::to_string(y.year - 1) +
                         " are missing (the calendar must be contiguous)");
    for (auto& e : y.entries) {
      auto here = y.source + ":" + std::to_string(e.line);
      auto [it, fresh] = where.emplace(e.date, here);
      if (!fresh && it->second.rfind(y.source + ":", 0) != 0)
        problems.push_back(here + ": " + format_date(e.date) + " is already listed at " +
                           it->second);
    }
  }
  if (!problems.empty()) {
    std::string msg;
    for (auto& p : problems) msg += (msg.empty() ? "" : "\n") + p;
    return make_error(Code::invalid, msg);
  }
  Calendar c;
  c.first_year_ = years.front().year;
  c.last_year_ = years.back().year;
  c.last_official_year_ = c.first_year_ - 1;
  for (auto& y : years)
    if (!y.provisional) c.last_official_year_ = std::max(c.last_official_year_, y.year);
  c.first_ = Date(c.first_year_, 1, 1);
  c.last_ = Date(c.last_year_, 12, 31);
  int n = static_cast<int>((c.last_ - c.first_).days()) + 1;
  c.workday_.assign(n, 0);
  for (int i = 0; i < n; ++i) c.workday_[i] = is_weekday(c.first_ + boost::gregorian::days(i));
  for (auto& y : years)
    for (auto& e : y.entries) {
      c.names_[e.date] = e.name;
      if (c.covers(e.date)) c.workday_[c.index(e.date)] = e.workday ? 1 : 0;
    }
  c.prefix_.resize(n);
  int count = 0;
  for (int i = 0; i < n; ++i) {
    if (c.workday_[i]) {
      ++count;
      c.days_of_ordinal_.push_back(i);
    }
    c.prefix_[i] = count;
  }
  c.years_ = std::move(years);
  c.festivals_ = std::move(festivals);
  return c;
}

std::vector<YearData> Calendar::official_years() const {
  std::vector<YearData> out;
  for (auto& y : years_)
    if (!y.provisional) out.push_back(y);
  return out;
}

const YearData* Calendar::year(int y) const {
  for (auto& yd : years_)
    if (yd.year == y) return &yd;
  return nullptr;
}

Error Calendar::outside(const Date& d) const {
  if (!d.is_special() && d < first_)
    return {Code::out_of_calendar,
            format_date(d) + " is before " + std::to_string(first_year_) +
                ": there is no working-day calendar for " + std::to_string(d.year()),
            ""};
  return {Code::out_of_calendar,
          format_date(d) + " is outside the known calendar (" + range_text() + ")", ""};
}

std::string Calendar::range_text() const {
  std::string t = coverage_text();
  if (last_year_ > last_official_year_)
    t += " official, " + std::to_string(last_official_year_ + 1) + "–" +
         std::to_string(last_year_) + " provisional";
  return t;
}

Result<bool> Calendar::is_workday(const Date& d) const {
  if (!covers(d)) return outside(d);
  return workday_[index(d)] != 0;
}

std::optional<std::string> Calendar::day_name(const Date& d) const {
  auto it = names_.find(d);
  if (it == names_.end()) return std::nullopt;
  return it->second;
}

std::optional<Date> Calendar::by_ordinal(int k) const {
  if (k < 1 || k > static_cast<int>(days_of_ordinal_.size())) return std::nullopt;
  return first_ + boost::gregorian::days(days_of_ordinal_[k - 1]);
}

Result<Date> Calendar::add_workdays(const Date& d, int n) const {
  if (n < 0) return make_error(Code::invalid, "the number of working days must not be negative");
  if (!covers(d)) return outside(d);
  if (n == 0) return d;
  auto r = by_ordinal(ordinal(d) + n);
  if (!r)
    return make_error(Code::out_of_calendar,
                      "the " + std::to_string(n) + "th working day after " + format_date(d) +
                          " lies beyond the known calendar (" + range_text() + ")");
  return *r;
}

std::string Calendar::coverage_text() const {
  return std::to_string(first_year_) + "–" + std::to_string(last_official_year_);
}

std::optional<int> missing_notice_year(const Calendar& cal, const Date& today) {
  if (today.is_special()) return std::nullopt;
  if (today.year() > cal.last_official_year()) return today.year();
  if (today.month() >= 11 && today.year() + 1 > cal.last_official_year()) return today.year() + 1;
  return std::nullopt;
}

std::string Calendar::provisional_note(int year) const {
  return "暂定：" + std::to_string(year) + "年节假日安排公布前按法定节假日推算";
}

}  // namespace ogi
