// Counting convention (domain.md §3): the day of the triggering event is not counted; a period of
// N working days starting with an event on D ends on the N-th working day strictly after D.
// Paused time: a pause from S to R removes the working days d with S < d <= R; overlapping pauses
// count once (union). Everything runs on the calendar's ordinal index, so the cost is
// O(number of pauses), independent of the length of the period.
#include "domain/clock.h"

#include <algorithm>

namespace ogi {

namespace {

struct Interval {
  int a, b;  // inclusive range of working-day ordinals
};

std::string out_of_calendar_note(const Calendar& cal, const Date& d) {
  if (d.year() < cal.first_year())
    return std::to_string(d.year()) + " 年没有工作日日历（日历自 " +
           std::to_string(cal.first_year()) + " 年起），到期日无法计算";
  return "日期 " + format_date(d) + " 超出工作日日历的范围（至 " + std::to_string(cal.last_year()) +
         " 年），到期日无法计算";
}

// Merges and sorts intervals, then finds the target ordinal after shifting past every paused
// ordinal at or before it. Returns the shift (paused working days actually skipped).
int shift_past(std::vector<Interval> v, int base, int& target) {
  std::sort(v.begin(), v.end(), [](auto& x, auto& y) { return x.a < y.a; });
  std::vector<Interval> merged;
  for (auto iv : v) {
    iv.a = std::max(iv.a, base + 1);
    if (iv.b < iv.a) continue;
    if (!merged.empty() && iv.a <= merged.back().b + 1)
      merged.back().b = std::max(merged.back().b, iv.b);
    else
      merged.push_back(iv);
  }
  int shift = 0;
  for (auto& iv : merged) {
    if (iv.a > target) break;
    int n = iv.b - iv.a + 1;
    target += n;
    shift += n;
  }
  return shift;
}

int union_size(std::vector<Interval> v, int base) {
  int t = 1 << 30;
  return shift_past(std::move(v), base, t);
}

}  // namespace

Result<Date> correction_deadline(const Calendar& cal, const CaseState& s) {
  if (!s.correction_requested_on) return make_error(Code::internal, "no correction was requested");
  if (!s.correction_served)
    return make_error(Code::not_allowed,
                      "补正告知书尚未登记送达，补正期限自送达之日起计算，尚未起算");
  return cal.add_workdays(s.correction_served->on, s.correction_days);
}

Result<Date> fee_deadline(const Calendar& cal, const CaseState& s) {
  if (!s.fee_notice_on) return make_error(Code::internal, "no fee notice was sent");
  if (!s.fee_served)
    return make_error(Code::not_allowed,
                      "收费通知书尚未登记送达，缴费期限自送达之日起计算，尚未起算");
  return cal.add_workdays(s.fee_served->on, kFeeDays);
}

Result<Date> consultation_deadline(const Calendar& cal, const Consultation& k) {
  if (!k.served)
    return make_error(Code::not_allowed,
                      "征求意见书（函）尚未登记送达，征求意见期限自送达之日起计算，尚未起算");
  return cal.add_workdays(k.served->on, kConsultationDays);
}

std::optional<Date> consultation_end(const Calendar& cal, const Consultation& k,
                                     const Date& today) {
  if (k.replied_on) return k.replied_on;
  auto lapse = consultation_deadline(cal, k);
  if (lapse && *lapse < today) return *lapse;
  return std::nullopt;
}

ClockView compute_clock(const Calendar& cal, const Case& c, const Date& today,
                        const ClockSettings& settings) {
  const CaseState& s = c.derived;
  ClockView v;
  const bool open = !s.concluded_on.has_value();
  const Date asof = open ? today : *s.concluded_on;

  // A period from `from` (nullopt: from a service not recorded yet).
  auto sub = [&](std::string kind, std::string label, std::optional<Date> from, int days,
                 bool running, long long ref = 0) {
    SubDeadline d{std::move(kind), std::move(label), std::nullopt, running, false, ref};
    d.from = from;
    d.awaiting_service = !from;
    if (!from)
      d.label += "（自送达之日起" + std::to_string(days) + "个工作日，尚未登记送达）";
    else if (auto r = cal.add_workdays(*from, days)) {
      d.due_on = *r;
      d.provisional = cal.provisional(*r);
    }
    d.lapsed = running && d.due_on && today > *d.due_on;
    v.sub_deadlines.push_back(d);
  };
  auto served_on = [](const std::optional<Service>& sv) -> std::optional<Date> {
    return sv ? std::optional<Date>(sv->on) : std::nullopt;
  };

  // Art 30: a correction notice is due within 7 working days of receipt. The window matters
  // only while the application is still being reviewed: once a consultation or a fee notice
  // has started the processing (or a decision or a correction notice exists), it is not shown.
  bool awaiting_correction = s.correction_requested_on && !s.correction_received_on;
  sub("correction_notice", "补正告知期限（收到申请后7个工作日内一次性告知）", c.received_on,
      kCorrectionNoticeDays,
      open && !s.correction_requested_on && s.outcome.empty() && s.consultations.empty() &&
          !s.fee_notice_on);
  if (s.correction_requested_on)
    sub("correction", "申请人补正期限", served_on(s.correction_served), s.correction_days,
        open && awaiting_correction);

  // Pauses: consultations (Art 33 para 3) and, by agency setting, the fee period.
  struct Pause {
    Date from;
    Date to;
    bool fee;
  };
  std::vector<Pause> pauses;
  bool pause_open = false;
  for (auto& k : s.consultations) {
    bool running = open && !k.replied_on;
    sub("consultation",
        std::string("征求") + (k.party == "agency" ? "协作机关" : "第三方") + "意见期限（" +
            k.name + "）",
        served_on(k.served), kConsultationDays, running, k.id);
    auto end = consultation_end(cal, k, asof);
    if (!end) {
      pause_open = true;
      end = asof;
    }
    pauses.push_back({k.sent_on, *end, false});
  }
  if (s.fee_notice_on) {
    sub("fee", "缴纳信息处理费期限", served_on(s.fee_served), kFeeDays, open && !s.fee_paid_on);
    if (settings.fee_pauses_clock) {
      Date end = s.fee_paid_on ? *s.fee_paid_on : asof;
      if (!s.fee_paid_on) {
        if (auto lapse = fee_deadline(cal, s); lapse && *lapse < end)
          end = *lapse;
        else
          pause_open = open;
      }
      pauses.push_back({*s.fee_notice_on, end, true});
    }
  }

  if (awaiting_correction) {
    v.due_note = "等待申请人补正：答复期限自收到补正材料之日起重新计算（条例第三十条）";
    v.explanation = v.due_note;
    return v;
  }

  const Date start = s.correction_received_on ? *s.correction_received_on : c.received_on;
  v.start_on = start;
  v.period_days = kReplyDays + (s.extended_on ? kExtensionDays : 0);
  if (!cal.covers(start)) {
    v.due_note = out_of_calendar_note(cal, start);
    v.explanation = v.due_note;
    return v;
  }
  const int base = cal.ordinal(start);
  std::vector<Interval> all, consult, fee;
  for (auto& p : pauses) {
    if (!cal.covers(p.from) || !cal.covers(p.to)) {
      v.due_note = out_of_calendar_note(cal, cal.covers(p.from) ? p.to : p.from);
      v.explanation = v.due_note;
      return v;
    }
    Interval iv{cal.ordinal(p.from) + 1, cal.ordinal(p.to)};
    all.push_back(iv);
    (p.fee ? fee : consult).push_back(iv);
  }
  int target = base + v.period_days;
  v.paused_days = shift_past(all, base, target);
  auto due = cal.by_ordinal(target);
  if (!due) {
    v.due_note =
        "到期日超出工作日日历的范围（至 " + std::to_string(cal.last_year()) + " 年），无法计算";
    v.explanation = v.due_note;
    return v;
  }
  v.due_on = *due;
  v.pause_open = pause_open;
  v.calendar_provisional = cal.provisional(*due);
  v.provisional = v.pause_open || v.calendar_provisional;

  // The due date in words.
  std::string e = (s.correction_received_on ? "收到补正材料 " : "收到申请 ") + format_date(start) +
                  " 起 " + std::to_string(kReplyDays) + " 个工作日";
  int pc = union_size(consult, base), pf = union_size(fee, base);
  if (pc) e += "；征求意见暂停 " + std::to_string(pc) + " 个工作日";
  if (pf) e += "；缴费期间暂停 " + std::to_string(pf) + " 个工作日";
  if (pc && pf && pc + pf != v.paused_days)
    e += "（重叠部分只计一次，合计暂停 " + std::to_string(v.paused_days) + " 个工作日）";
  if (s.extended_on) e += "；延期 " + std::to_string(kExtensionDays) + " 个工作日";
  e += " → " + format_date(*due);
  std::vector<std::string> why;
  if (v.pause_open) why.push_back("征求意见或缴费期间尚未结束，到期日将随之顺延");
  if (v.calendar_provisional)
    why.push_back(std::to_string(due->year()) + "年节假日安排公布前按法定节假日推算");
  if (!why.empty()) {
    v.due_note = "暂定：" + why[0] + (why.size() > 1 ? "；" + why[1] : "");
    e += "（" + v.due_note + "）";
  }
  v.explanation = e;

  if (open) {
    const Standing st = standing(cal, due, today);
    v.days_left = st.days_left;
    v.overdue = st.overdue;
  } else if (s.concluded_by_reply) {
    // 国办公开办函〔2016〕235号: the reply counts as given on the day it is posted, signed for,
    // or sent electronically — the date recorded with the deliver event.
    v.on_time = *s.concluded_on <= *due;
  }
  return v;
}

Standing standing(const Calendar& cal, const std::optional<Date>& due_on, const Date& today) {
  Standing st;
  if (!due_on) return st;
  if (today > *due_on) {
    st.overdue = true;
    st.urgency = Urgency::overdue;
    return st;
  }
  st.urgency = Urgency::later;
  if (cal.covers(today) && cal.covers(*due_on)) {
    st.days_left = cal.ordinal(*due_on) - cal.ordinal(today);
    st.urgency = *st.days_left <= 3   ? Urgency::due3
                 : *st.days_left <= 7 ? Urgency::due7
                                      : Urgency::later;
  }
  return st;
}

const char* urgency_key(Urgency u) {
  switch (u) {
    case Urgency::overdue:
      return "overdue";
    case Urgency::due3:
      return "due3";
    case Urgency::due7:
      return "due7";
    case Urgency::later:
      return "later";
    case Urgency::unknown:
      break;
  }
  return "unknown";
}

}  // namespace ogi
