#include "app/calendar_admin.h"

#include "app/case_service.h"
#include "calendar/notice.h"
#include "domain/clock.h"
#include "workflow/engine.h"

namespace ogi {

namespace {

// Festivals every yearly notice arranges; a year without one of them is incomplete.
constexpr const char* kFestivals[] = {"元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆"};

bool looks_like_cal(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find('\n', i);
    std::string line = text.substr(i, end == std::string::npos ? std::string::npos : end - i);
    i = end == std::string::npos ? text.size() : end + 1;
    size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    return line.compare(b, 5, "year ") == 0;
  }
  return false;
}

Result<std::vector<YearData>> parse_any(const CalendarImport& in) {
  if (in.text.find("BEGIN:VCALENDAR") != std::string::npos) return parse_ics(in.text, in.source);
  if (looks_like_cal(in.text)) {
    auto r = parse_year_file(in.text, in.source);
    if (!r) return r.error();
    return std::vector<YearData>{*r};
  }
  int year = 0;
  if (!in.year.empty()) {
    auto d = parse_date(in.year + "-01-01");
    if (!d) return make_error(Code::invalid, "年份应为四位数字：" + in.year, "year");
    year = d->year();
  }
  auto r = parse_notice(in.text, year, in.source);
  if (!r) return r.error();
  return std::vector<YearData>{*r};
}

}  // namespace

Result<CalendarPreview> prepare_calendar_year(const Calendar& current, const CalendarImport& in) {
  if (in.text.find_first_not_of(" \t\r\n") == std::string::npos)
    return make_error(Code::invalid, "没有收到日历内容：请粘贴通知全文或选择 .cal / .ics 文件",
                      "text");
  auto parsed = parse_any(in);
  if (!parsed) return parsed.error();
  std::vector<YearData> years = *parsed;
  if (!in.year.empty()) {
    std::vector<YearData> pick;
    for (auto& y : years)
      if (std::to_string(y.year) == in.year) pick.push_back(y);
    if (pick.empty())
      return make_error(Code::invalid, in.source + " 中没有 " + in.year + " 年的日期", "year");
    years = pick;
  } else if (years.size() > 1) {
    std::string list;
    for (auto& y : years) list += (list.empty() ? "" : "、") + std::to_string(y.year);
    return make_error(Code::invalid, in.source + " 含有多个年份（" + list + "）：请指定年份",
                      "year");
  }
  CalendarPreview out;
  out.year = years.front();
  YearData& y = out.year;
  if (!in.notice.empty()) y.notice = in.notice;
  if (y.notice.find_first_not_of(" \t\r\n") == std::string::npos)  // blank: missing too
    return make_error(
        Code::invalid,
        std::to_string(y.year) + " 年的通知文号缺失：请填写文号（例如 国办发明电〔2025〕7号）",
        "notice");
  std::string missing;
  for (auto* f : kFestivals) {
    bool found = false;
    for (auto& e : y.entries) found |= (!e.workday && e.name.find(f) != std::string::npos);
    if (!found) missing += (missing.empty() ? "" : "、") + std::string(f);
  }
  if (!missing.empty())
    return make_error(Code::invalid,
                      std::to_string(y.year) + " 年的安排不完整：没有" + missing + "的放假日期");
  if (y.year > current.last_official_year() + 1)
    return make_error(Code::invalid,
                      "年份须依次导入：请先导入 " +
                          std::to_string(current.last_official_year() + 1) + " 年的安排，再导入 " +
                          std::to_string(y.year) + " 年",
                      "year");
  if (y.year < current.first_year())
    return make_error(
        Code::invalid,
        std::to_string(y.year) + " 年早于日历的起始年份 " + std::to_string(current.first_year()),
        "year");
  std::vector<YearData> merged;
  for (auto& c : current.years()) {
    if (c.year != y.year) {
      merged.push_back(c);
      continue;
    }
    if (c.provisional) {
      out.was_provisional = true;
    } else if (!in.replace) {
      return make_error(Code::invalid,
                        std::to_string(y.year) + " 年的日历已经导入（" + c.notice +
                            "）；如需更正，请选择“替换已导入的年份”后重新导入",
                        "replace");
    } else {
      out.replaced = true;
    }
    merged.push_back(y);
  }
  if (!out.replaced && !out.was_provisional) merged.push_back(y);
  auto cal = Calendar::build(merged, current.festivals());
  if (!cal) return make_error(Code::invalid, "日历不能按此导入：" + cal.error().message);
  out.calendar = std::move(*cal);
  return out;
}

Result<CalendarImportResult> import_calendar_year(AdminStore& admin, CaseStore& cases,
                                                  const Workflow& wf, const Calendar& current,
                                                  const Clock& clock, const CalendarImport& in,
                                                  const std::string& by) {
  auto prep = prepare_calendar_year(current, in);
  if (!prep) return prep.error();
  CalendarImportResult out;
  static_cast<CalendarPreview&>(out) = std::move(*prep);
  std::vector<std::pair<long long, CaseProjection>> projections;
  const Date today = clock.today();
  for (long long id : cases.open_case_ids()) {
    auto c = cases.load_case(id);
    if (!c) return c.error();
    auto agency = cases.agency(c->agency);
    if (!agency) return agency.error();
    ClockSettings settings{agency->fee_pauses_clock};
    if (Status s = fold(Context{wf, out.calendar, clock, settings}, *c); !s) return s.error();
    ClockView before = compute_clock(current, *c, today, settings);
    ClockView after = compute_clock(out.calendar, *c, today, settings);
    projections.emplace_back(id, project_case(wf, *c, after));
    ++out.recomputed;
    if (before.due_on != after.due_on) {
      DueChange d{id, c->number, before.due_on, after.due_on, 0};
      if (before.due_on && after.due_on)
        d.days = static_cast<int>((*after.due_on - *before.due_on).days());
      out.moved.push_back(d);
    }
  }
  const YearData& y = out.year;
  std::string detail = y.notice + "；在办案件 " + std::to_string(out.recomputed) +
                       " 件重新计算，到期日变动 " + std::to_string(out.moved.size()) + " 件";
  if (Status s = admin.save_calendar_year(y.year, y.notice, format_year_file(y), by,
                                          clock.now_timestamp(), detail, projections);
      !s)
    return s.error();
  return out;
}

std::string import_summary(const CalendarImportResult& r) {
  std::string verb = r.replaced ? "替换" : "导入";
  std::string s =
      "已" + verb + " " + std::to_string(r.year.year) + " 年日历（" + r.year.notice + "）";
  if (r.was_provisional) s += "，取代按法定节假日推算的暂定安排";
  s += "；" + std::to_string(r.recomputed) + " 件在办案件的到期日已重新计算";
  s += r.moved.empty() ? "，均无变动" : "，其中 " + std::to_string(r.moved.size()) + " 件变动";
  return s;
}

}  // namespace ogi
