// The holiday notice as published (calendar/notice.h): the texts of 2015-2026 written from the
// shipped .cal data (tests/calendar/notices, made by make_notices.mjs) read back to exactly the
// .cal's days; format_notice round trips; the published variants; bad input naming its line.
#include "calendar/notice.h"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

using namespace ogi;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

using Day = std::tuple<std::string, bool, std::string>;  // date, workday, name
std::multiset<Day> days_of(const YearData& y) {
  std::multiset<Day> out;
  for (auto& e : y.entries) out.insert({format_date(e.date), e.workday, e.name});
  return out;
}

std::string message(const Result<YearData>& r) { return r.ok() ? "" : r.error().message; }

YearData cal_year(int year) {
  std::string name = std::to_string(year) + ".cal";
  auto r = parse_year_file(slurp(std::string(OGI_SOURCE_DIR) + "/workflow/calendar/" + name), name);
  REQUIRE_MESSAGE(r.ok(), message(r));
  return *r;
}

// A notice around `items` (which start on line 5): title (when `title` is a year), number,
// salutation, intro; after them the closing paragraph, signature and date.
std::string notice(const std::string& items, int title = 2026, bool number = true) {
  return (title ? "国务院办公厅关于" + std::to_string(title) + "年部分节假日安排的通知\n"
                : std::string("部分节假日安排的通知\n")) +
         (number ? "国办发明电〔2025〕7号\n" : "\n") +
         "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
         "经国务院批准，现将放假调休日期的具体安排通知如下。\n" +
         items +
         "\n节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。\n国务院办公厅\n"
         "2025年11月4日\n";
}

const std::string kNewYear2026 =
    "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。\n";

}  // namespace

TEST_CASE("the notices of 2015-2026 read back to exactly the .cal's days") {
  for (int year = 2015; year <= 2026; ++year) {
    CAPTURE(year);
    std::string path =
        std::string(OGI_SOURCE_DIR) + "/tests/calendar/notices/" + std::to_string(year) + ".txt";
    std::string text = slurp(path);
    REQUIRE_MESSAGE(!text.empty(), path);
    YearData cal = cal_year(year);
    auto r = parse_notice(text);  // the year from the title
    REQUIRE_MESSAGE(r.ok(), message(r));
    CHECK(r->year == year);
    CHECK(r->notice == cal.notice);
    CHECK(r->source == "粘贴的通知");
    CHECK(days_of(*r) == days_of(cal));
    for (auto& e : r->entries) CHECK(e.line > 4);  // an item's line, after the header
    auto again = parse_notice(text, year, "import");
    REQUIRE_MESSAGE(again.ok(), message(again));
    CHECK(days_of(*again) == days_of(cal));
  }
}

TEST_CASE("format_notice round trips every shipped year (2010-2026)") {
  for (int year = 2010; year <= 2026; ++year) {
    CAPTURE(year);
    YearData cal = cal_year(year);
    std::string text = format_notice(cal);
    CHECK(text.starts_with("国务院办公厅关于" + std::to_string(year) + "年部分节假日安排的通知\n"));
    CHECK(text.find("\n国务院办公厅\n") != std::string::npos);
    auto r = parse_notice(text);
    REQUIRE_MESSAGE(r.ok(), message(r) << "\n" << text);
    CHECK(r->year == year);
    CHECK(r->notice == cal.notice);
    CHECK(days_of(*r) == days_of(cal));
  }
}

TEST_CASE("the variants of the published notices (table)") {
  struct Row {
    int year;
    const char* items;
    const char* cal;  // the expected days in the .cal format
  } rows[] = {
      {2010, "二、春节：2月13日至19日放假，共7天。2月20日（星期六）、21日（星期日）上班。",
       "holiday 2010-02-13..2010-02-19 春节\nworkday 2010-02-20 春节调休上班\n"
       "workday 2010-02-21 春节调休上班"},
      {2011, "一、元旦：1月1日至3日放假公休，共3天。", "holiday 2011-01-01..2011-01-03 元旦"},
      {2011, "一、元旦：2010年12月31日至2011年1月2日放假，共3天。",
       "holiday 2010-12-31..2011-01-02 元旦"},
      {2011, "一、元旦：12月31日至1月2日放假，共3天。", "holiday 2010-12-31..2011-01-02 元旦"},
      {2012, "一、元旦：2012年1月1日至3日放假调休，共3天。12月31日（星期六）上班。",
       "holiday 2012-01-01..2012-01-03 元旦\nworkday 2011-12-31 元旦调休上班"},
      {2012, "六、中秋节、国庆节：9月30日至10月7日放假调休，共8天。9月29日（星期六）上班。",
       "holiday 2012-09-30..2012-10-07 中秋节、国庆节\nworkday 2012-09-29 中秋节、国庆节调休上班"},
      {2026, "八、纪念日：12月28日（周一）放假，共1天。1月2日（周六）上班。",
       "holiday 2026-12-28 纪念日\nworkday 2027-01-02 纪念日调休上班"},
      {2014, "一、元旦：1月1日放假1天。", "holiday 2014-01-01 元旦"},
      {2014, "三、清明节：4月5日放假，4月7日（星期一）补休。",
       "holiday 2014-04-05..2014-04-07 清明节"},
      {2015, "三、清明节：4月5日放假，4月6日（星期一）补休。",
       "holiday 2015-04-05..2015-04-06 清明节"},
      {2015, "四、劳动节：5月1日放假，与周末连休。", "holiday 2015-05-01..2015-05-03 劳动节"},
      {2018, "一、元旦：1月1日放假，与周末连休。", "holiday 2017-12-30..2018-01-01 元旦"},
      {2017, "一、元旦：1月1日放假，1月2日（星期一）补休（与2016年12月31日周六连休）。",
       "holiday 2016-12-31..2017-01-02 元旦"},
      {2015, "七、中秋节：9月27日（星期天）放假。", "holiday 2015-09-27 中秋节"},
      {2016, "二、春节：2月7日至13日放假调休，共七天。2月6日（星期六）、2月14日（星期日）上班。",
       "holiday 2016-02-07..2016-02-13 春节\nworkday 2016-02-06 春节调休上班\n"
       "workday 2016-02-14 春节调休上班"},
      {2025,
       "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日"
       "（周日）、2月8日（周六）上班。",
       "holiday 2025-01-28..2025-02-04 春节\nworkday 2025-01-26 春节调休上班\n"
       "workday 2025-02-08 春节调休上班"},
      {2025, "一、元旦：1月1日（周三）放假1天，不调休。", "holiday 2025-01-01 元旦"},
      {2015, "六、抗战胜利70周年纪念日：9月3日至5日放假调休，共3天。9月6日（星期日）上班。",
       "holiday 2015-09-03..2015-09-05 抗战胜利70周年纪念日\n"
       "workday 2015-09-06 抗战胜利70周年纪念日调休上班"},
      {2026, "一、元旦: １月１日 (周四) 至３日（周六）放假调休,\n\n共3天。\n1月4日（星期天）上班。",
       "holiday 2026-01-01..2026-01-03 元旦\nworkday 2026-01-04 元旦调休上班"},
      {2026, "一、元旦：1月1日至3日放假，共3天。二、春节：2月15日至23日调休放假，共9天。",
       "holiday 2026-01-01..2026-01-03 元旦\nholiday 2026-02-15..2026-02-23 春节"},
      {2026, "九、纪念日：3月2日（周一）、3月4日（周三）放假，共2天。",
       "holiday 2026-03-02 纪念日\nholiday 2026-03-04 纪念日"},
  };
  for (auto& row : rows) {
    CAPTURE(row.items);
    auto want = parse_year_file(
        "year " + std::to_string(row.year) + "\nnotice 国办发明电〔2025〕7号\n" + row.cal + "\n",
        "want");
    REQUIRE_MESSAGE(want.ok(), message(want));
    auto r = parse_notice(notice(std::string(row.items) + "\n", row.year));
    REQUIRE_MESSAGE(r.ok(), message(r));
    CHECK(r->year == row.year);
    CHECK(r->notice == "国办发明电〔2025〕7号");
    CHECK(days_of(*r) == days_of(*want));
  }
}

TEST_CASE("the 2014 items, worded as published (放假1天, 补休, 与周末连休), give 2014.cal") {
  auto r = parse_notice(notice(
      "一、元旦：1月1日放假1天。\n"
      "二、春节：1月31日至2月6日放假调休，共7天。1月26日（星期日）、2月8日（星期六）上班。\n"
      "三、清明节：4月5日放假，4月7日（星期一）补休。\n"
      "四、劳动节：5月1日至3日放假调休，共3天。5月4日（星期日）上班。\n"
      "五、端午节：6月2日放假，与周末连休。\n六、中秋节：9月8日放假，与周末连休。\n"
      "七、国庆节：10月1日至7日放假调休，共7天。9月28日（星期日）、10月11日（星期六）上班。\n",
      2014));
  REQUIRE_MESSAGE(r.ok(), message(r));
  CHECK(days_of(*r) == days_of(cal_year(2014)));
}

TEST_CASE("the notice number, in whatever brackets the text uses") {
  for (const char* line : {"国办发明电〔2025〕7号", "国办发明电[2025]7号",
                           "（国办发明电(2025)7号）", "国办发明电 ［2025］ 7 号"}) {
    CAPTURE(line);
    std::string text = notice(kNewYear2026, 2026, false);
    text.replace(text.find("\n\n") + 1, 0, line);  // the empty second line
    auto r = parse_notice(text);
    REQUIRE_MESSAGE(r.ok(), message(r));
    CHECK(r->notice == "国办发明电〔2025〕7号");
  }
}

TEST_CASE("an item over several lines: each day names the line it is written on") {
  auto r = parse_notice(notice("一、元旦：1月1日（周四）至3日（周六）放假调休，\n共3天。\n\n"
                               "1月4日（周日）上班。\n二、清明节：4月4日至6日放假，共3天。\n"),
                        2026, "import");
  REQUIRE_MESSAGE(r.ok(), message(r));
  std::map<std::string, int> line;
  for (auto& e : r->entries) line[format_date(e.date)] = e.line;
  CHECK(line["2026-01-01"] == 5);
  CHECK(line["2026-01-03"] == 5);
  CHECK(line["2026-01-04"] == 8);
  CHECK(line["2026-04-05"] == 9);
  CHECK(r->source == "import");
}

TEST_CASE("bad notices: every problem names its line (table)") {
  const std::string ok5 = kNewYear2026;  // line 5, valid
  struct Row {
    std::string text;
    int year;           // the year asked for (0: from the title)
    std::string where;  // how the message starts: the line it names
    std::string what;   // a fragment of the message
  } rows[] = {
      {notice(ok5 + "二、春节：二月十五日至二十三日放假调休。\n"), 0, "第6行：", "无法识别“春节”"},
      {notice(ok5 + "二、春节2月15日至23日放假调休，共9天。\n"), 0, "第6行：", "无法识别的条目"},
      {notice(ok5 + "二、春节：2月15日（周一）至23日（周一）放假调休，共9天。\n"), 0, "第6行：",
       "“2月15日（周一）”与日期不符：2026年2月15日是星期日"},
      {notice(ok5 + "二、春节：2月15日至23日放假调休，共9天。\n2月14日（星期日）上班。\n"), 0,
       "第7行：", "2026年2月14日是星期六"},
      {notice(ok5 + "二、清明节：4月4日至6日放假，共4天。\n"), 0, "第6行：",
       "“共4天”与放假日期不符：2026年4月4日至2026年4月6日共3天"},
      {notice(ok5 + "二、清明节：4月4日至\n6日放假，\n共2天。\n"), 0, "第8行：", "“共2天”"},
      {notice(ok5 + "二、劳动节：5月1日至5日放假调休，共5天。5月8日（周五）上班。\n"), 0, "第6行：",
       "2026年5月8日是星期五，调休上班日应是周六或周日"},
      {notice(ok5 + "二、清明节：4月5日放假1天，不调休。4月11日（周六）上班。\n"), 0, "第6行：",
       "写明“不调休”"},
      {notice(ok5 + "二、清明节：4月8日放假，与周末连休。\n"), 0, "第6行：", "前后没有周末"},
      {notice(ok5 + "二、春节：2月30日放假。\n"), 0, "第6行：", "没有这一天：“2月30日”"},
      {notice(ok5 + "二、清明节：4月6日至4日放假，共3天。\n"), 0, "第6行：", "结束日早于开始日"},
      {notice(ok5 + "二、清明节：4月4日（周六至6日放假。\n"), 0, "第6行：", "没有对应的“）”"},
      {notice(ok5 + "二、清明节：4月5日补休。\n"), 0, "第6行：", "只有补休日期"},
      {notice(ok5 + "二、清明节：。\n"), 0, "第6行：", "没有找到放假或上班的日期"},
      {notice(ok5 + "二、元旦：1月2日放假，共1天。\n"), 0, "粘贴的通知:6: ", "is listed twice"},
      {notice("一、元旦：1月1日放假，共1天。\n", 2026), 2025, "第1行：",
       "标题中的年份（2026年）与指定的年份（2025年）不一致"},
      {notice(""), 0, "未找到放假安排条目", "请粘贴通知的全文"},
      {notice(ok5, 0), 0, "未能确定年份", "请指定年份"},
      {notice(ok5, 2026, false), 0, "未找到通知文号", "国办发明电〔2025〕7号"},
  };
  for (auto& row : rows) {
    CAPTURE(row.text);
    auto r = parse_notice(row.text, row.year);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Code::invalid);
    const std::string& msg = r.error().message;
    CHECK_MESSAGE(msg.starts_with(row.where), msg);
    CHECK_MESSAGE(msg.find(row.what) != std::string::npos, msg);
    CHECK_MESSAGE(msg.find('\n') == std::string::npos, msg);  // that one problem, nothing else
  }
}

TEST_CASE("bad notices: every problem is collected, one per line of the message") {
  auto r = parse_notice(notice(kNewYear2026 + "二、春节：2月15日（周一）至23日放假调休，共9天。\n"
                                              "三、清明节：4月4日至6日放假，共4天。\n"
                                              "四、劳动节：5月1日放假。5月6日（周三）上班。\n"),
                        2026);
  REQUIRE_FALSE(r.ok());
  std::istringstream lines(r.error().message);
  std::vector<std::string> got;
  for (std::string l; std::getline(lines, l);) got.push_back(l.substr(0, l.find("：")));
  CHECK(got == std::vector<std::string>{"第6行", "第7行", "第8行"});
}
