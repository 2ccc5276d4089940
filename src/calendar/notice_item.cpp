// Reads one numbered item of the holiday notice (see notice.h). Its sentences are read clause by
// clause (split at ，；。 outside brackets): "DATES放假[调休|公休][N天]" (or 调休放假), "共N天",
// "DATES补休", "DATES上班", "与周末连休", "不调休". A bracket after a date is a marker: a weekday
// (checked against the date), 农历 (ignored), or 与…连休.
#include <map>
#include <optional>

#include "calendar/notice_text.h"

namespace ogi::notice_detail {

namespace {

using boost::gregorian::days;
constexpr long kMaxRangeDays = 16;  // as the .cal format
constexpr auto npos = std::string_view::npos;

// Reads one numbered item into days off, 补休 days and make-up working days.
class ItemReader {
 public:
  ItemReader(const Item& it, int year, std::vector<std::string>& problems)
      : it_(it), s_(it.text), year_(year), problems_(problems) {}
  void read(YearData& y);

 private:
  void problem_at(int line, const std::string& msg) {
    problems_.push_back("第" + std::to_string(line) + "行：" + msg);
  }
  void problem(size_t off, const std::string& msg) { problem_at(it_.line_at(off), msg); }
  bool unreadable(size_t from, size_t to) {
    problem(from, "无法识别“" + name_ + "”中的“" + clip(s_.substr(from, to - from)) + "”");
    return false;
  }
  std::optional<Date> date(size_t& p, const std::optional<Date>& start);
  bool markers(size_t& p, const Date& d);
  void marker(std::string_view text, size_t off, const Date* d);
  bool clause(size_t from, size_t to);
  void finish(YearData& y);

  const Item& it_;
  std::string_view s_;
  int year_;
  std::vector<std::string>& problems_;
  std::string name_;
  bool new_year_ = false;  // the 元旦 item: a December date is in the previous year
  size_t end_ = 0;         // end of the clause being read
  std::optional<Date> first_, prev_;
  std::map<Date, int> off_, rest_;          // day off / 补休 day -> line
  std::vector<std::pair<Date, int>> work_;  // make-up working day, line
  int count_ = -1, count_line_ = 0, join_line_ = 0, no_makeup_line_ = 0;
};

// [YYYY年][M月]D日 at p. Without a year, a range's end follows its start (into the next year when
// the month goes back); a December date in the 元旦 item is in the previous year; a January or
// February date in an item that starts in the autumn is in the next year. Without a month, the
// start's month or the item's previous date's.
std::optional<Date> ItemReader::date(size_t& p, const std::optional<Date>& start) {
  size_t q = p;
  int y = 0, m = 0;
  auto n = digits_at(s_, q);
  if (n && eat(s_, q, "年")) {
    y = *n;
    n = digits_at(s_, q);
    if (!n || !eat(s_, q, "月")) n.reset();
  }
  if (n && (y || eat(s_, q, "月"))) m = *n, n = digits_at(s_, q);
  if (!n || !eat(s_, q, "日")) {
    unreadable(p, end_);
    return std::nullopt;
  }
  std::string text(s_.substr(p, q - p));
  const std::optional<Date>& ref = start ? start : prev_;
  if (m == 0 && !ref) {
    problem(p, "日期“" + text + "”缺少月份");
    return std::nullopt;
  }
  if (m == 0) m = ref->month(), y = ref->year();
  if (y == 0) {
    if (start)
      y = start->year() + (m < start->month() ? 1 : 0);
    else if (new_year_ && m == 12)
      y = year_ - 1;
    else if (!new_year_ && m <= 2 && first_ && first_->month() >= 9)
      y = year_ + 1;
    else
      y = year_;
  }
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || *n < 1 ||
      *n > boost::gregorian::gregorian_calendar::end_of_month_day(y, m)) {
    problem(p, "没有这一天：“" + text + "”");
    return std::nullopt;
  }
  p = q;
  return Date(y, m, *n);
}

bool ItemReader::markers(size_t& p, const Date& d) {
  while (s_.substr(p, 3) == "（") {
    size_t close = s_.find("）", p);
    if (close == npos || close >= end_) {
      problem(p, "“（”没有对应的“）”");
      return false;
    }
    marker(s_.substr(p + 3, close - p - 3), p, &d);
    p = close + 3;
  }
  return true;
}

// A bracket's text: 与…连休 joins the days off to the weekend; a weekday (of `d`, the date it
// follows, if any) must be d's; anything else (农历除夕, 农历正月初七) is ignored.
void ItemReader::marker(std::string_view text, size_t off, const Date* d) {
  if (text.find("连休") != npos) {
    join_line_ = it_.line_at(off);
    return;
  }
  for (size_t a = 0; d && a <= text.size();) {
    size_t b = std::min(text.find("、", a), text.size());
    std::string_view part = text.substr(a, b - a);
    if (int w = weekday_named(part); w >= 0 && w != d->day_of_week().as_number())
      problem(off, "“" + cn_date(*d, false) + "（" + std::string(part) + "）”与日期不符：" +
                       cn_date(*d) + "是星期" + weekday_char(*d));
    a = b + 3;
  }
}

// One clause [from, to): dates (ranges joined by 、) and what they are, or a rider (共N天, 不调休,
// 与周末连休). False when it cannot be read (the problem is reported).
bool ItemReader::clause(size_t from, size_t to) {
  end_ = to;
  size_t p = from;
  std::vector<std::pair<Date, Date>> ranges;
  std::vector<int> lines;
  while (is_digit_at(s_, p)) {
    size_t at = p;
    auto a = date(p, std::nullopt);
    if (!a || !markers(p, *a)) return false;
    if (!first_) first_ = a;
    prev_ = a;
    Date b = *a;
    if (eat(s_, p, "至")) {
      auto e = date(p, a);
      if (!e || !markers(p, *e)) return false;
      prev_ = b = *e;
      std::string range = "“" + clip(s_.substr(at, p - at)) + "”";
      if (b < *a) return problem(at, "日期范围" + range + "的结束日早于开始日"), false;
      if ((b - *a).days() >= kMaxRangeDays)
        return problem(at, "日期范围" + range + "超过" + std::to_string(kMaxRangeDays) + "天"),
               false;
    }
    ranges.push_back({*a, b});
    lines.push_back(it_.line_at(at));
    if (!eat(s_, p, "、")) break;
    if (!is_digit_at(s_, p)) return unreadable(from, to);
  }
  std::string rest;  // the words after the dates, brackets taken out
  while (p < to) {
    if (s_.substr(p, 3) != "（") {
      rest += s_[p++];
      continue;
    }
    size_t close = s_.find("）", p);
    if (close == npos || close >= to) return problem(p, "“（”没有对应的“）”"), false;
    marker(s_.substr(p + 3, close - p - 3), p, nullptr);
    p = close + 3;
  }
  const int line = it_.line_at(from);
  std::string_view r = rest;
  size_t q = 0;
  auto count = [&] {
    if (!eat(r, q, "共计")) eat(r, q, "共");
    auto n = number_at(r, q);
    if (!n || r.substr(q) != "天") return false;
    count_ = *n, count_line_ = line;
    return true;
  };
  if (ranges.empty()) {
    if (r.empty()) return true;
    if (r == "不调休")
      no_makeup_line_ = line;
    else if (r.starts_with("与") && r.ends_with("连休"))
      join_line_ = line;
    else if (!count())
      return unreadable(from, to);
    return true;
  }
  bool is_off = eat(r, q, "放假") || eat(r, q, "调休放假");
  if (is_off && !eat(r, q, "调休")) eat(r, q, "公休");
  if (is_off && q < r.size() && !count()) return unreadable(from, to);
  if (!is_off && r != "补休" && r != "上班") return unreadable(from, to);
  for (size_t i = 0; i < ranges.size(); ++i)
    for (Date d = ranges[i].first; d <= ranges[i].second; d += days(1)) {
      if (is_off)
        off_.emplace(d, lines[i]);
      else if (r == "补休")
        rest_.emplace(d, lines[i]);
      else
        work_.push_back({d, lines[i]});
    }
  return true;
}

void ItemReader::read(YearData& y) {
  size_t colon = s_.find("：");
  if (colon == npos || colon == 0) {
    problem(0, "无法识别的条目“" + clip(s_) + "”（应为“名称：日期放假……”）");
    return;
  }
  name_ = std::string(s_.substr(0, colon));
  new_year_ = name_.find("元旦") != npos;
  bool ok = true;
  int depth = 0;
  for (size_t p = colon + 3, from = p; p <= s_.size(); ++p) {
    std::string_view c = s_.substr(p, 3);
    if (c == "（") ++depth;
    if (c == "）" && depth > 0) --depth;
    if (p == s_.size() || (depth == 0 && (c == "，" || c == "；" || c == "。"))) {
      ok = clause(from, p) && ok;
      from = p + 3;
      p += 2;
    }
  }
  if (ok) finish(y);
}

void ItemReader::finish(YearData& y) {
  if (off_.empty() && rest_.empty() && work_.empty())
    return problem(0, "“" + name_ + "”中没有找到放假或上班的日期");
  if (!rest_.empty() && off_.empty())
    return problem_at(rest_.begin()->second, "“" + name_ + "”只有补休日期，没有放假日期");
  if (!rest_.empty()) {  // the weekend between a day off and its 补休 day is off too
    off_.insert(rest_.begin(), rest_.end());
    for (auto it = off_.begin(); std::next(it) != off_.end(); ++it) {
      auto [a, b] = std::pair(it->first, std::next(it)->first);
      for (Date d = a + days(1); d < b; d += days(1))
        if (is_weekday(d))
          return problem_at(std::next(it)->second,
                            "补休日与放假日之间隔着工作日（" + cn_date(d) + "）");
      for (Date d = a + days(1); d < b; d += days(1)) off_.emplace(d, std::next(it)->second);
    }
  }
  if (join_line_ && off_.empty()) return problem_at(join_line_, "“与周末连休”前没有放假日期");
  if (join_line_) {
    Date lo = off_.begin()->first, hi = off_.rbegin()->first;
    size_t before = off_.size();
    for (Date d = lo - days(1); !is_weekday(d); d -= days(1)) off_.emplace(d, join_line_);
    for (Date d = hi + days(1); !is_weekday(d); d += days(1)) off_.emplace(d, join_line_);
    if (off_.size() == before)
      problem_at(join_line_, cn_date(lo) + "前后没有周末，无法“与周末连休”");
  }
  if (count_ >= 0 && size_t(count_) != off_.size()) {
    std::string span = "没有放假日期";
    if (!off_.empty()) {
      Date lo = off_.begin()->first, hi = off_.rbegin()->first;
      span = (lo == hi ? cn_date(lo) : cn_date(lo) + "至" + cn_date(hi)) + "共" +
             std::to_string(off_.size()) + "天";
    }
    problem_at(count_line_, "“共" + std::to_string(count_) + "天”与放假日期不符：" + span);
  }
  if (no_makeup_line_ && !work_.empty())
    problem_at(no_makeup_line_, "“" + name_ + "”写明“不调休”，却安排了调休上班日");
  for (auto& [d, line] : off_) y.entries.push_back({d, false, name_, line});
  for (auto& [d, line] : work_) {
    if (is_weekday(d))
      problem_at(line, cn_date(d) + "是星期" + weekday_char(d) + "，调休上班日应是周六或周日");
    else
      y.entries.push_back({d, true, name_ + "调休上班", line});
  }
}

}  // namespace

void read_item(const Item& it, int year, YearData& y, std::vector<std::string>& problems) {
  ItemReader(it, year, problems).read(y);
}

}  // namespace ogi::notice_detail
