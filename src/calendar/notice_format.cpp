// Writes a year as a holiday notice text in the published pattern (see notice.h).
#include <algorithm>
#include <map>
#include <sstream>

#include "calendar/notice.h"
#include "calendar/notice_text.h"

namespace ogi {

namespace {

using namespace notice_detail;
using boost::gregorian::days;

constexpr std::string_view kMakeUp = "调休上班";

struct Festival {
  std::string name;
  std::vector<Date> off, work;  // in date order
};

// "1月1日（周四）"; with the year when it is not the notice's (or `with_year`).
std::string day(const Date& d, int year, bool with_year = false) {
  return cn_date(d, with_year || d.year() != year) + "（周" + weekday_char(d) + "）";
}

// Consecutive days as "1月1日（周四）至3日（周六）": the end's month or year only when it changes
// ("9月30日（周日）至10月7日（周日）", "2016年12月31日（周六）至2017年1月2日（周一）").
std::string span(const Date& a, const Date& b, int year) {
  if (a == b) return day(a, year);
  bool years = a.year() != year || b.year() != year;
  std::string end =
      years || b.month() != a.month() ? cn_date(b, years) : std::to_string(int(b.day())) + "日";
  return day(a, year) + "至" + end + "（周" + weekday_char(b) + "）";
}

// The days off as runs of consecutive days, joined by 、.
std::string runs(const std::vector<Date>& off, int year) {
  std::string s;
  for (size_t i = 0; i < off.size();) {
    size_t j = i;
    while (j + 1 < off.size() && off[j + 1] - off[j] == days(1)) ++j;
    s += (s.empty() ? "" : "、") + span(off[i], off[j], year);
    i = j + 1;
  }
  return s;
}

// The festivals for the intro: 元旦、春节、…和国庆节 (a merged item counts each of its names).
std::string festival_list(const std::vector<Festival>& fs) {
  std::vector<std::string> names;
  for (auto& f : fs)
    for (size_t a = 0; a <= f.name.size();) {
      size_t b = std::min(f.name.find("、", a), f.name.size());
      std::string n = f.name.substr(a, b - a);
      if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      a = b + 3;
    }
  std::string s;
  for (size_t i = 0; i < names.size(); ++i)
    s += (i == 0 ? "" : i + 1 == names.size() ? "和" : "、") + names[i];
  return s;
}

}  // namespace

std::string format_notice(const YearData& y) {
  auto entries = y.entries;
  std::stable_sort(entries.begin(), entries.end(),
                   [](auto& a, auto& b) { return a.date < b.date; });
  std::vector<Festival> fs;
  std::map<std::string, size_t> index;
  for (auto& e : entries) {
    std::string name = e.name;
    if (e.workday && name.size() > kMakeUp.size() && name.ends_with(kMakeUp))
      name.resize(name.size() - kMakeUp.size());
    auto [it, fresh] = index.emplace(name, fs.size());
    if (fresh) fs.push_back({name, {}, {}});
    (e.workday ? fs[it->second].work : fs[it->second].off).push_back(e.date);
  }
  auto first_day = [](const Festival& f) { return f.off.empty() ? f.work[0] : f.off[0]; };
  std::stable_sort(fs.begin(), fs.end(),  // in the order of their first day off
                   [&](auto& a, auto& b) { return first_day(a) < first_day(b); });
  const std::string year = std::to_string(y.year);
  std::ostringstream o;
  o << "国务院办公厅关于" << year << "年部分节假日安排的通知\n";
  if (!y.notice.empty()) o << y.notice << "\n";
  o << "\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
    << "经国务院批准，现将" << year << "年" << festival_list(fs)
    << "放假调休日期的具体安排通知如下。\n";
  for (size_t i = 0; i < fs.size(); ++i) {
    const Festival& f = fs[i];
    o << cn_number(int(i) + 1) << "、" << f.name << "：";
    if (!f.off.empty())
      o << runs(f.off, y.year) << (f.work.empty() ? "放假" : "放假调休") << "，共" << f.off.size()
        << "天。";
    for (size_t j = 0; j < f.work.size(); ++j)
      o << (j ? "、" : "") << day(f.work[j], y.year) << (j + 1 == f.work.size() ? "上班。" : "");
    o << "\n";
  }
  o << "节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定"
       "及时报告并妥善处置，确保人民群众祥和平安度过节日假期。\n\n国务院办公厅\n";
  if (y.year > 1900 && y.year <= 2199) {  // signed before the arrangements begin
    Date signed_on = Date(y.year - 1, 12, 1);
    if (!entries.empty()) signed_on = std::min(signed_on, entries.front().date - days(7));
    o << cn_date(signed_on) << "\n";
  }
  return o.str();
}

}  // namespace ogi
