#pragma once
// Calendar dates of the legal record. A date is a civil day (no time zone): the day a thing
// happened at the agency. Text form is always YYYY-MM-DD.

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ogi {

using Date = boost::gregorian::date;

// Strict YYYY-MM-DD (zero-padded, a real day, years 1900-2199). `field` names the input in
// the error ("received_on is not a valid date (YYYY-MM-DD): 2024-02-30").
Result<Date> parse_date(std::string_view text, std::string_view field = "date");
std::string format_date(const Date& d);

// Monday..Friday.
inline bool is_weekday(const Date& d) {
  auto w = d.day_of_week().as_number();  // 0 = Sunday
  return w != 0 && w != 6;
}

// Source of "today". The core never asks the system clock: it is handed a Clock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Date today() const = 0;
  virtual std::string now_timestamp() const = 0;  // ISO 8601 UTC, for audit fields
  virtual long long now_seconds() const = 0;      // unix time, for session expiry
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Date d) : d_(d) {}
  Date today() const override { return d_; }
  std::string now_timestamp() const override { return format_date(d_) + "T00:00:00Z"; }
  long long now_seconds() const override {
    return (d_ - Date(1970, 1, 1)).days() * 86400LL + offset_;
  }
  void set(Date d) { d_ = d; }
  void advance_seconds(long long s) { offset_ += s; }

 private:
  Date d_;
  long long offset_ = 0;
};

}  // namespace ogi
