#include "domain/rules.h"

#include <algorithm>

#include "domain/fee.h"

namespace ogi {

namespace {

constexpr std::string_view kGuards[] = {
    "correction_period_over", "fee_period_over", "fee_not_noticed", "consultation_open",
    "consultations_settled",  "extension_allowed", "outcome_allowed", "remedy_open",
    "fee_amount_known", "notice_unserved",
};
constexpr std::string_view kActions[] = {
    "request_correction", "correction_received", "add_consultation", "reply_consultation",
    "extend",             "fee_notice",          "fee_paid",         "decide",
    "return_decision",    "approve",             "deliver",          "conclude",
    "add_remedy",         "decide_remedy",       "serve_notice",
};

Status not_allowed(std::string msg) { return make_error(Code::not_allowed, std::move(msg)); }

Consultation* find_consultation(Case& c, long long id) {
  for (auto& k : c.derived.consultations)
    if (k.id == id) return &k;
  return nullptr;
}
Remedy* find_remedy(Case& c, long long id) {
  for (auto& r : c.derived.remedies)
    if (r.id == id) return &r;
  return nullptr;
}

std::string date_text(const Result<Date>& d) { return d ? format_date(*d) : "?"; }

}  // namespace

Result<ServedTarget> served_target(const Case& c, const CaseEvent& ev) {
  const CaseState& s = c.derived;
  const std::string* named = field_string(ev.fields, "notice");
  auto ref = field_int(ev.fields, "consultation");
  std::string notice = named ? *named : ref ? "consultation_letter" : "";
  if (notice.empty()) {  // the one notice awaiting its recipient
    if (s.state == "awaiting_correction") notice = "correction_notice";
    else if (s.state == "awaiting_fee" && !s.fee_served) notice = "fee_notice";
    else {
      int open = 0;
      for (auto& k : s.consultations)
        if (!k.replied_on && !k.served) { ++open; ref = k.id; }
      if (open != 1)
        return make_error(Code::invalid, "notice: 请选择登记送达的是哪一份告知书或征求意见书（函）", "notice");
      notice = "consultation_letter";
    }
  }
  ServedTarget t;
  t.notice = notice;
  if (notice == "correction_notice") {
    if (!s.correction_requested_on || s.correction_received_on)
      return make_error(Code::not_allowed, "本案没有等待申请人补正的补正告知书");
    t.title = "补正告知书";
    t.issued_on = *s.correction_requested_on;
    t.served = s.correction_served;
  } else if (notice == "fee_notice") {
    if (!s.fee_notice_on || s.fee_paid_on) return make_error(Code::not_allowed, "本案没有等待缴费的收费通知书");
    t.title = "收费通知书";
    t.issued_on = *s.fee_notice_on;
    t.served = s.fee_served;
  } else {
    const Consultation* k = nullptr;
    for (auto& x : s.consultations)
      if (ref && x.id == *ref) k = &x;
    if (!k)
      return make_error(Code::invalid, "consultation: 本案没有编号为 " + std::to_string(ref.value_or(0)) + " 的征求意见",
                        "consultation");
    if (k->replied_on) return make_error(Code::not_allowed, "征求" + k->name + "意见已于 " + format_date(*k->replied_on) + " 登记答复");
    t.title = "致" + k->name + "的征求意见书（函）";
    t.issued_on = k->sent_on;
    t.served = k->served;
    t.consultation = k->id;
  }
  return t;
}

bool is_known_guard(std::string_view n) { return std::find(std::begin(kGuards), std::end(kGuards), n) != std::end(kGuards); }
bool is_known_action(std::string_view n) { return std::find(std::begin(kActions), std::end(kActions), n) != std::end(kActions); }

Status check_guard(std::string_view g, const Calendar& cal, const Case& c, const CaseEvent& ev,
                   const ClockSettings& settings) {
  const CaseState& s = c.derived;
  if (g == "correction_period_over") {
    auto end = correction_deadline(cal, s);
    if (!end) return not_allowed(end.error().message + "，不能认定逾期未补正（条例第三十条）");
    if (ev.on <= *end)
      return not_allowed("补正期限至 " + format_date(*end) + " 届满，届满前不能认定逾期未补正");
    return {};
  }
  if (g == "fee_period_over") {
    auto end = fee_deadline(cal, s);
    if (!end) return not_allowed(end.error().message + "，不能认定逾期未缴费");
    if (ev.on <= *end)
      return not_allowed("缴费期限至 " + format_date(*end) + " 届满，届满前不能认定逾期未缴费");
    return {};
  }
  if (g == "notice_unserved") {
    auto t = served_target(c, ev);
    if (!t) return t.error();
    if (t->served) return not_allowed(t->title + "已于 " + format_date(t->served->on) + " 登记送达");
    if (ev.on < t->issued_on)
      return make_error(Code::invalid, "on: 送达日期不能早于" + t->title + "发出日期 " + format_date(t->issued_on), "on");
    return {};
  }
  if (g == "fee_not_noticed") {
    if (s.fee_notice_on) return not_allowed("本案已发出过收费通知，不能重复收费");
    return {};
  }
  if (g == "consultation_open") {
    auto id = field_int(ev.fields, "consultation");
    for (auto& k : s.consultations)
      if (id && k.id == *id) {
        if (k.replied_on) return not_allowed("该征求意见已于 " + format_date(*k.replied_on) + " 登记答复");
        if (ev.on < k.sent_on) return not_allowed("答复日期不能早于征求意见发出日期");
        return {};
      }
    return make_error(Code::invalid, "consultation: 本案没有编号为 " + std::to_string(id.value_or(0)) + " 的征求意见", "consultation");
  }
  if (g == "consultations_settled") {
    for (auto& k : s.consultations)
      if (!consultation_end(cal, k, ev.on)) {
        if (!k.served)
          return not_allowed("征求" + k.name + "意见尚未答复，且征求意见书（函）尚未登记送达、15个工作日期限尚未起算，不能作出答复决定");
        return not_allowed("征求" + k.name + "意见尚未答复且未满15个工作日（至 " +
                           date_text(consultation_deadline(cal, k)) + "），不能作出答复决定");
      }
    return {};
  }
  if (g == "extension_allowed") {
    if (s.extended_on) return not_allowed("本案已于 " + format_date(*s.extended_on) + " 延期，延期只能一次（条例第三十三条）");
    ClockView v = compute_clock(cal, c, ev.on, settings);
    if (!v.due_on) return make_error(Code::out_of_calendar, "到期日未知，无法判断能否延期：" + v.due_note);
    if (ev.on > *v.due_on)
      return not_allowed("答复期限已于 " + format_date(*v.due_on) + " 届满，届满后不能延期（条例第三十三条）");
    return {};
  }
  if (g == "fee_amount_known") {
    // The system proposes the per-page amount; per-application amounts depend on the
    // applicant's other applications that month, so the approver states them.
    const std::string* m = field_string(ev.fields, "method");
    bool pages = field_int(ev.fields, "pages").has_value();
    if (m && *m == "per_page" && !pages)
      return make_error(Code::invalid, "pages: 按量计收须填写页数", "pages");
    if (!field_int(ev.fields, "amount") && !(m && *m == "per_page"))
      return make_error(Code::invalid, "amount: 按件计收须填写收费金额", "amount");
    return {};
  }
  if (g == "outcome_allowed") {
    const std::string* o = field_string(ev.fields, "outcome");
    if (o && *o == "still_unclear" && !s.correction_received_on)
      return not_allowed("“补正后申请内容仍不明确”只能在申请人补正之后作出（条例第三十条）");
    return {};
  }
  if (g == "remedy_open") {
    auto id = field_int(ev.fields, "remedy");
    for (auto& r : s.remedies)
      if (id && r.id == *id) {
        if (r.decided_on) return not_allowed("该复议或诉讼已于 " + format_date(*r.decided_on) + " 登记结果");
        return {};
      }
    return make_error(Code::invalid, "remedy: 本案没有编号为 " + std::to_string(id.value_or(0)) + " 的复议或诉讼", "remedy");
  }
  return make_error(Code::internal, "unknown guard " + std::string(g));
}

Status apply_action(std::string_view a, std::string_view param, Case& c, const CaseEvent& ev) {
  CaseState& s = c.derived;
  const Fields& f = ev.fields;
  if (a == "request_correction") {
    s.correction_requested_on = ev.on;
    s.correction_days = static_cast<int>(field_int(f, "days").value_or(kDefaultCorrectionDays));
    if (auto* items = field_list(f, "items")) s.correction_items = *items;
  } else if (a == "serve_notice") {
    auto t = served_target(c, ev);
    if (!t) return t.error();
    Service sv{ev.on, *field_string(f, "method")};
    if (t->notice == "correction_notice")
      s.correction_served = sv;
    else if (t->notice == "fee_notice")
      s.fee_served = sv;
    else
      find_consultation(c, t->consultation)->served = sv;
  } else if (a == "correction_received") {
    s.correction_received_on = ev.on;
  } else if (a == "add_consultation") {
    Consultation k;
    k.id = ev.id;
    k.party = *field_string(f, "party");
    k.name = *field_string(f, "name");
    k.sent_on = ev.on;
    s.consultations.push_back(k);
  } else if (a == "reply_consultation") {
    auto* k = find_consultation(c, field_int(f, "consultation").value_or(0));
    if (!k) return make_error(Code::invalid, "consultation: 本案没有该征求意见", "consultation");
    k->replied_on = ev.on;
    k->opinion = *field_string(f, "opinion");
  } else if (a == "extend") {
    s.extended_on = ev.on;
  } else if (a == "fee_notice") {
    s.fee_notice_on = ev.on;
    auto pages = field_int(f, "pages");
    s.fee_amount = field_int(f, "amount").value_or(pages ? fee_per_page(static_cast<int>(*pages)) : 0);
  } else if (a == "fee_paid") {
    s.fee_paid_on = ev.on;
  } else if (a == "decide") {
    s.outcome = *field_string(f, "outcome");
    auto* r = field_string(f, "reasons");
    s.reasons = r ? *r : "";
    s.decided_on = ev.on;
  } else if (a == "return_decision") {
    s.outcome.clear();
    s.reasons.clear();
    s.decided_on.reset();
  } else if (a == "approve") {
    s.approved_on = ev.on;
  } else if (a == "deliver") {
    s.concluded_on = ev.on;
    s.concluded_by_reply = true;
    s.delivery_method = *field_string(f, "method");
  } else if (a == "conclude") {
    s.outcome = std::string(param);
    s.concluded_on = ev.on;
    s.concluded_by_reply = false;
  } else if (a == "add_remedy") {
    Remedy r;
    r.id = ev.id;
    r.kind = *field_string(f, "kind");
    r.filed_on = ev.on;
    s.remedies.push_back(r);
  } else if (a == "decide_remedy") {
    auto* r = find_remedy(c, field_int(f, "remedy").value_or(0));
    if (!r) return make_error(Code::invalid, "remedy: 本案没有该复议或诉讼", "remedy");
    r->decided_on = ev.on;
    r->result = *field_string(f, "result");
  } else {
    return make_error(Code::internal, "unknown action " + std::string(a));
  }
  return {};
}

}  // namespace ogi
