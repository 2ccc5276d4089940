#pragma once
// Internals of the holiday notice reader and writer (notice.cpp, notice_item.cpp,
// notice_format.cpp): small text helpers and one numbered item as read from the text.

#include <algorithm>
#include <climits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/date.h"
#include "base/text.h"
#include "calendar/year_data.h"

namespace ogi::notice_detail {

inline constexpr std::string_view kWeekdays = "日一二三四五六";  // 3 bytes each, Sunday first
inline constexpr std::string_view kCnDigits = "一二三四五六七八九十";

// Index of the 3-byte character at s[p] in `set` (one of the tables above), -1 if not there.
inline int index_in(std::string_view set, std::string_view s, size_t p) {
  if (p + 3 > s.size()) return -1;
  for (size_t i = 0; i + 3 <= set.size(); i += 3)
    if (set.substr(i, 3) == s.substr(p, 3)) return int(i / 3);
  return -1;
}

inline std::string weekday_char(const Date& d) {
  return std::string(kWeekdays.substr(3 * d.day_of_week().as_number(), 3));
}

// "1月1日", with the year ("2016年12月31日") when `with_year`.
inline std::string cn_date(const Date& d, bool with_year = true) {
  auto ymd = d.year_month_day();
  return (with_year ? std::to_string(int(ymd.year)) + "年" : std::string()) +
         std::to_string(int(ymd.month)) + "月" + std::to_string(int(ymd.day)) + "日";
}

// 1..99 in Chinese numerals (item numbers: 一, 十, 十一, 二十三).
inline std::string cn_number(int n) {
  auto digit = [](int d) { return std::string(kCnDigits.substr(3 * (d - 1), 3)); };
  if (n < 10) return digit(n);
  return (n >= 20 ? digit(n / 10) : std::string()) + "十" + (n % 10 ? digit(n % 10) : "");
}

inline bool is_digit_at(std::string_view s, size_t p) {
  return p < s.size() && s[p] >= '0' && s[p] <= '9';
}

inline bool eat(std::string_view s, size_t& p, std::string_view w) {
  if (s.substr(p).substr(0, w.size()) != w) return false;
  p += w.size();
  return true;
}

// ASCII digits at p (at most 4).
inline std::optional<int> digits_at(std::string_view s, size_t& p) {
  int v = 0;
  size_t q = p;
  while (is_digit_at(s, q) && q - p < 4) v = v * 10 + (s[q++] - '0');
  if (q == p) return std::nullopt;
  p = q;
  return v;
}

// A count: ASCII digits, or Chinese numerals up to 99 (七, 十一).
inline std::optional<int> number_at(std::string_view s, size_t& p) {
  if (is_digit_at(s, p)) return digits_at(s, p);
  int v = 0;
  size_t q = p;
  if (int a = index_in(kCnDigits, s, q); a >= 0 && a < 9) v = a + 1, q += 3;
  if (eat(s, q, "十")) {
    v = (v ? v : 1) * 10;
    if (int b = index_in(kCnDigits, s, q); b >= 0 && b < 9) v += b + 1, q += 3;
  }
  if (q == p) return std::nullopt;
  p = q;
  return v;
}

// The weekday a marker part names (周四, 星期日, 礼拜天): 0 = Sunday; -1 if it names none.
inline int weekday_named(std::string_view part) {
  size_t p = 0;
  if (!eat(part, p, "星期") && !eat(part, p, "周") && !eat(part, p, "礼拜")) return -1;
  if (part.substr(p) == "天") return 0;
  return part.size() == p + 3 ? index_in(kWeekdays, part, p) : -1;
}

// At most 30 characters of s, for quoting in a message.
inline std::string clip(std::string_view s) {
  auto chars = utf8_chars(s);
  std::string out;
  for (size_t i = 0; i < chars.size() && i < 30; ++i) out += chars[i];
  return chars.size() > 30 ? out + "……" : out;
}

// One numbered item of the notice ("三、清明节：…。"), its lines joined.
struct Item {
  int line = 0;                              // where the item starts
  std::string text;                          // after its number ("清明节：…")
  std::vector<std::pair<size_t, int>> segs;  // (offset in text, line) of each continuation
  int line_at(size_t off) const {
    auto after = std::upper_bound(segs.begin(), segs.end(), std::pair(off, INT_MAX));
    return after == segs.begin() ? line : std::prev(after)->second;
  }
};

// Reads one item's days off and make-up working days into y.entries (notice_item.cpp); every
// problem is added to `problems` as "第N行：…". `year` is the notice's year.
void read_item(const Item& it, int year, YearData& y, std::vector<std::string>& problems);

}  // namespace ogi::notice_detail
