#include "domain/report.h"

#include <algorithm>

#include "domain/codes.h"

namespace ogi {

std::string report_format(int year) { return year <= 2020 ? "2019" : "2021"; }

namespace {

std::vector<ReportRow> make_rows(bool fold_other) {
  std::vector<ReportRow> r = {
      {"1", "一、本年新收政府信息公开申请数量", 0},
      {"2", "二、上年结转政府信息公开申请数量", 0},
      {"3.1", "（一）予以公开", 1},
      {"3.2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1},
      {"3.3.1", "1.属于国家秘密", 2},
      {"3.3.2", "2.其他法律行政法规禁止公开", 2},
      {"3.3.3", "3.危及“三安全一稳定”", 2},
      {"3.3.4", "4.保护第三方合法权益", 2},
      {"3.3.5", "5.属于三类内部事务信息", 2},
      {"3.3.6", "6.属于四类过程性信息", 2},
      {"3.3.7", "7.属于行政执法案卷", 2},
      {"3.3.8", "8.属于行政查询事项", 2},
      {"3.4.1", "1.本机关不掌握相关政府信息", 2},
      {"3.4.2", "2.没有现成信息需要另行制作", 2},
      {"3.4.3", "3.补正后申请内容仍不明确", 2},
      {"3.5.1", "1.信访举报投诉类申请", 2},
      {"3.5.2", "2.重复申请", 2},
      {"3.5.3", "3.要求提供公开出版物", 2},
      {"3.5.4", "4.无正当理由大量反复申请", 2},
      {"3.5.5", "5.要求行政机关确认或重新出具已获取信息", 2},
  };
  if (fold_other) {
    r.push_back({"3.6", "（六）其他处理", 1});
  } else {
    r.push_back({"3.6.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2});
    r.push_back(
        {"3.6.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2});
    r.push_back({"3.6.3", "3.其他", 2});
  }
  r.push_back({"3.7", "（七）总计", 1});
  r.push_back({"4", "四、结转下年度继续办理", 0});
  return r;
}

Date jan1(int y) { return Date(static_cast<unsigned short>(y), 1, 1); }
Date dec31(int y) { return Date(static_cast<unsigned short>(y), 12, 31); }

}  // namespace

const std::vector<ReportRow>& table3_rows(std::string_view format) {
  static const std::vector<ReportRow> r2019 = make_rows(true), r2021 = make_rows(false);
  return format == "2019" ? r2019 : r2021;
}

std::string table3_group(std::string_view format, std::string_view key) {
  if (key.starts_with("3.3.")) return "（三）不予公开";
  if (key.starts_with("3.4.")) return "（四）无法提供";
  if (key.starts_with("3.5.")) return "（五）不予处理";
  if (key.starts_with("3.6.") && format != "2019") return "（六）其他处理";
  if (key.starts_with("3.")) return "三、本年度办理结果";
  return "";
}

std::string outcome_row(std::string_view outcome, std::string_view format) {
  const OutcomeInfo* o = find_outcome(outcome);
  std::string row = o ? std::string(o->row) : std::string("3.6.3");
  if (format == "2019" && row.starts_with("3.6")) return "3.6";
  return row;
}

int applicant_column(std::string_view type) {
  auto types = applicant_types();
  for (size_t i = 0; i < types.size(); ++i)
    if (types[i].code == type) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> rows_of(int year, std::string_view format, const CaseFacts& c) {
  std::vector<std::string> rows;
  const bool received_before = c.received_on < jan1(year);
  const bool received_by_end = c.received_on <= dec31(year);
  if (c.received_on.year() == year) rows.push_back("1");
  // row 2: received before Y and not concluded before 1 January of Y
  if (received_before && (!c.concluded_on || *c.concluded_on >= jan1(year))) rows.push_back("2");
  if (c.concluded_on && c.concluded_on->year() == year) {
    rows.push_back(outcome_row(c.outcome, format));
    rows.push_back("3.7");
  }
  // row 4: received in or before Y and not concluded by 31 December of Y
  if (received_by_end && (!c.concluded_on || *c.concluded_on > dec31(year))) rows.push_back("4");
  return rows;
}

std::optional<std::pair<std::string, std::string>> remedy_cell(int year, const RemedyFacts& r) {
  // counts in Y if filed in or before Y and not decided before 1 January of Y
  if (r.filed_on > dec31(year)) return std::nullopt;
  if (r.decided_on && *r.decided_on < jan1(year)) return std::nullopt;
  if (r.decided_on && r.decided_on->year() == year) {
    const std::string res = r.result == "upheld" || r.result == "corrected" ? r.result : "other";
    return std::pair{r.kind, res};
  }
  return std::pair{r.kind, std::string("pending")};
}

AnnualReport annual_report(int year, const std::vector<CaseFacts>& cases,
                           const std::vector<RemedyFacts>& remedies) {
  AnnualReport r;
  r.year = year;
  r.format = report_format(year);
  for (auto& row : table3_rows(r.format)) r.table3[row.key] = Row{};
  for (auto& c : cases) {
    const int col = applicant_column(c.applicant_type);
    if (col < 0) continue;  // not an applicant type of the table (never written by the app)
    for (auto& key : rows_of(year, r.format, c)) {
      auto& row = r.table3[key];
      ++row[static_cast<size_t>(col)];
      ++row[kColumns - 1];
    }
  }
  // the check relation: 一 + 二 = 三（七） + 四, in every column
  auto labels = applicant_types();
  for (size_t i = 0; i < kColumns; ++i) {
    const long long left = r.table3["1"][i] + r.table3["2"][i],
                    right = r.table3["3.7"][i] + r.table3["4"][i];
    if (left != right) {
      r.check_holds = false;
      const std::string col = i + 1 < kColumns ? std::string(labels[i].label) : std::string("总计");
      r.check_failures.push_back(col + "：一 + 二 = " + std::to_string(left) +
                                 "，三（七） + 四 = " + std::to_string(right));
    }
  }
  // the 3.x rows add up to 3.7
  Row sum{};
  for (auto& [key, row] : r.table3)
    if (key.starts_with("3.") && key != "3.7")
      for (size_t i = 0; i < kColumns; ++i) sum[i] += row[i];
  if (sum != r.table3["3.7"]) {
    r.check_holds = false;
    r.check_failures.push_back("三（一）至（六）之和与（七）总计不一致");
  }
  for (const char* k : {"reconsideration", "litigation", "litigation_after_reconsideration"})
    r.table4[k] = {};
  for (auto& m : remedies) {
    auto cell = remedy_cell(year, m);
    if (!cell) continue;
    auto it = r.table4.find(cell->first);
    if (it == r.table4.end()) continue;
    RemedyCounts& rc = it->second;
    if (cell->second == "upheld")
      ++rc.upheld;
    else if (cell->second == "corrected")
      ++rc.corrected;
    else if (cell->second == "other")
      ++rc.other;
    else
      ++rc.pending;
    ++rc.total;
  }
  return r;
}

namespace {
// The six groups of table three's row 3, by their key.
constexpr std::pair<std::string_view, std::string_view> kGroups[] = {
    {"3.1", "予以公开"}, {"3.2", "部分公开"}, {"3.3", "不予公开"},
    {"3.4", "无法提供"}, {"3.5", "不予处理"}, {"3.6", "其他处理"}};
}  // namespace

std::string_view outcome_group(std::string_view row) {
  for (auto& [key, label] : kGroups)
    if (row == key || row.starts_with(std::string(key) + ".")) return label;
  return {};
}

std::vector<std::pair<std::string, long long>> outcome_groups(const AnnualReport& r) {
  auto sum = [&](const std::string& group) {  // "3.3" covers 3.3.1 … 3.3.8; "3.6" also the 2019 row
    long long s = 0;
    for (auto& [k, row] : r.table3)
      if (k == group || k.starts_with(group + ".")) s += row[kColumns - 1];
    return s;
  };
  std::vector<std::pair<std::string, long long>> out;
  for (auto& [key, label] : kGroups) out.emplace_back(std::string(label), sum(std::string(key)));
  return out;
}

NarrativeFacts narrative_facts(int year, const std::vector<CaseFacts>& cases) {
  NarrativeFacts n;
  for (auto& c : cases) {
    if (c.received_on.year() == year) {
      ++n.received;
      ++n.channels[c.channel];
    }
    if (c.concluded_on && c.concluded_on->year() == year && c.on_time) {
      ++n.concluded;
      if (*c.on_time) ++n.on_time;
    }
  }
  if (n.concluded)
    n.on_time_rate = static_cast<double>(n.on_time) / static_cast<double>(n.concluded);
  return n;
}

namespace {
std::string channel_words(std::string_view code) {
  if (code == "in_person") return "当面申请";
  if (code == "post") return "信函申请";
  if (code == "ordinary_post") return "平常信函申请";
  if (code == "online") return "网络申请";
  if (code == "email") return "电子邮件申请";
  if (code == "fax") return "传真申请";
  return std::string(code);
}

std::string percent(double r) {
  const long long tenths = static_cast<long long>(r * 1000 + 0.5);
  std::string s = std::to_string(tenths / 10);
  if (tenths % 10) s += "." + std::to_string(tenths % 10);
  return s + "%";
}
}  // namespace

std::string narrative(const std::string& agency_name, const AnnualReport& r,
                      const NarrativeFacts& n) {
  const std::string y = std::to_string(r.year) + "年";
  auto total = [&](const std::string& key) {
    auto it = r.table3.find(key);
    return it == r.table3.end() ? 0LL : it->second[kColumns - 1];
  };
  std::string p =
      y + "，" + agency_name + "共收到政府信息公开申请" + std::to_string(n.received) + "件";
  if (total("2")) p += "，上年结转" + std::to_string(total("2")) + "件";
  p += "；办结" + std::to_string(total("3.7")) + "件";
  if (n.on_time_rate) p += "，办结及时率" + percent(*n.on_time_rate);
  p += "。";
  // applicants
  const Row& in = r.table3.at("1");
  if (n.received) {
    if (in[0] == n.received)
      p += "申请人均为自然人。";
    else if (in[0] == 0)
      p += "申请人均为法人或者其他组织。";
    else
      p += "其中自然人申请" + std::to_string(in[0]) + "件，法人或者其他组织申请" +
           std::to_string(n.received - in[0]) + "件。";
  }
  // channels, most first
  if (!n.channels.empty()) {
    std::vector<std::pair<std::string, long long>> ch(n.channels.begin(), n.channels.end());
    std::stable_sort(ch.begin(), ch.end(), [](auto& a, auto& b) { return a.second > b.second; });
    p += "从申请渠道看，";
    for (size_t i = 0; i < ch.size(); ++i)
      p += (i ? "、" : "") + channel_words(ch[i].first) + std::to_string(ch[i].second) + "件";
    p += "。";
  }
  // outcomes
  std::string outs;
  for (auto& [label, n] : outcome_groups(r))
    if (n)
      outs +=
          (outs.empty() ? "" : "；") + std::string("“") + label + "”" + std::to_string(n) + "件";
  if (!outs.empty()) p += "办理结果中，" + outs + "。";
  if (total("4")) p += "结转下年度继续办理" + std::to_string(total("4")) + "件。";
  // reconsideration and litigation
  const RemedyCounts& rc = r.table4.at("reconsideration");
  const long long lit =
      r.table4.at("litigation").total + r.table4.at("litigation_after_reconsideration").total;
  const long long lit_pending =
      r.table4.at("litigation").pending + r.table4.at("litigation_after_reconsideration").pending;
  if (!rc.total && !lit) {
    p += y + "，未发生因政府信息公开申请行政复议或者提起行政诉讼的情况。";
  } else {
    p += y + "，";
    p += rc.total
             ? "因政府信息公开被申请行政复议" + std::to_string(rc.total) + "件" +
                   (rc.pending ? "（尚未审结" + std::to_string(rc.pending) + "件）" : std::string())
             : std::string("未发生因政府信息公开被申请行政复议的情况");
    p += "，";
    p += lit ? "被提起行政诉讼" + std::to_string(lit) + "件" +
                   (lit_pending == lit ? std::string("，尚未审结")
                    : lit_pending      ? "（尚未审结" + std::to_string(lit_pending) + "件）"
                                       : std::string())
             : std::string("未发生因政府信息公开被提起行政诉讼的情况");
    p += "。";
  }
  return p;
}

}  // namespace ogi

#include <cmath>

#include "calendar/calendar.h"

namespace ogi {

PeriodStats period_stats(const Date& from, const Date& to, const std::vector<CaseFacts>& cases,
                         const Calendar& cal) {
  PeriodStats s;
  s.from = from;
  s.to = to;
  std::vector<int> days;
  std::map<std::string, long long> handler_days;
  for (auto& c : cases) {
    if (c.received_on >= from && c.received_on <= to) {
      ++s.received;
      ++s.by_channel[c.channel];
      char month[16];
      std::snprintf(month, sizeof month, "%04d-%02d", static_cast<int>(c.received_on.year()),
                    static_cast<int>(c.received_on.month()));
      ++s.by_month_channel[month][c.channel];
    }
    if (!c.concluded_on || *c.concluded_on < from || *c.concluded_on > to) continue;
    ++s.concluded;
    ++s.by_outcome[c.outcome];
    HandlerStats* h = c.handler.empty() ? nullptr : &s.by_handler[c.handler];
    if (h) ++h->concluded;
    if (!c.on_time) continue;  // not concluded by a reply (lapse, withdrawal)
    ++s.replies;
    if (*c.on_time) ++s.on_time;
    if (h) {
      ++h->replies;
      if (*c.on_time) ++h->on_time;
    }
    if (c.start_on && cal.covers(*c.start_on) && cal.covers(*c.concluded_on)) {
      const int d = static_cast<int>(cal.ordinal(*c.concluded_on) - cal.ordinal(*c.start_on));
      days.push_back(d);
      if (h) handler_days[c.handler] += d;
    }
  }
  if (s.replies) s.on_time_rate = static_cast<double>(s.on_time) / static_cast<double>(s.replies);
  if (!days.empty()) {
    long long sum = 0;
    for (int d : days) sum += d;
    s.avg_days = static_cast<double>(sum) / static_cast<double>(days.size());
    std::sort(days.begin(), days.end());
    const size_t rank = static_cast<size_t>(std::ceil(0.9 * static_cast<double>(days.size())));
    s.p90_days = days[rank == 0 ? 0 : rank - 1];
  }
  for (auto& [name, h] : s.by_handler)
    if (h.replies)
      h.avg_days = static_cast<double>(handler_days[name]) / static_cast<double>(h.replies);
  return s;
}

}  // namespace ogi

namespace ogi {

std::string report_row_label(std::string_view format, std::string_view key) {
  for (auto& x : table3_rows(format))
    if (x.key == key) return x.label;
  if (auto l = label_of(remedy_kinds(), key); !l.empty()) return std::string(l);
  return std::string(key);
}

std::string report_column_label(std::string_view key) {
  if (key == "total") return "总计";
  if (key == "pending") return "尚未审结";
  if (auto l = label_of(applicant_types(), key); !l.empty()) return std::string(l);
  if (auto l = label_of(remedy_results(), key); !l.empty()) return std::string(l);
  return std::string(key);
}

ReportTotals report_totals(const AnnualReport& r) {
  auto total = [&](const char* key) {
    auto it = r.table3.find(key);
    return it == r.table3.end() ? 0 : it->second[kColumns - 1];
  };
  return {total("1"), total("2"), total("3.7"), total("4")};
}

}  // namespace ogi
