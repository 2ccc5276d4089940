#include "domain/rules.h"

#include <algorithm>

#include "domain/fee.h"

namespace ogi {

namespace {

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
    if (s.state == "awaiting_correction")
      notice = "correction_notice";
    else if (s.state == "awaiting_fee" && !s.fee_served)
      notice = "fee_notice";
    else {
      int open = 0;
      for (auto& k : s.consultations)
        if (!k.replied_on && !k.served) {
          ++open;
          ref = k.id;
        }
      if (open != 1)
        return make_error(Code::invalid, "notice: 请选择登记送达的是哪一份告知书或征求意见书（函）",
                          "notice");
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
    if (!s.fee_notice_on || s.fee_paid_on)
      return make_error(Code::not_allowed, "本案没有等待缴费的收费通知书");
    t.title = "收费通知书";
    t.issued_on = *s.fee_notice_on;
    t.served = s.fee_served;
  } else {
    const Consultation* k = nullptr;
    for (auto& x : s.consultations)
      if (ref && x.id == *ref) k = &x;
    if (!k)
      return make_error(
          Code::invalid,
          "consultation: 本案没有编号为 " + std::to_string(ref.value_or(0)) + " 的征求意见",
          "consultation");
    if (k->replied_on)
      return make_error(Code::not_allowed,
                        "征求" + k->name + "意见已于 " + format_date(*k->replied_on) + " 登记答复");
    t.title = "致" + k->name + "的征求意见书（函）";
    t.issued_on = k->sent_on;
    t.served = k->served;
    t.consultation = k->id;
  }
  return t;
}

namespace {

// The guards and actions workflow data may name, each a function keyed by its name. The loader
// refuses a name missing here (is_known_guard / is_known_action); the engine calls through them.
namespace guards {

Status correction_period_over([[maybe_unused]] const Calendar& cal, [[maybe_unused]] const Case& c,
                              [[maybe_unused]] const CaseEvent& ev,
                              [[maybe_unused]] const ClockSettings& settings) {
  [[maybe_unused]] const CaseState& s = c.derived;
  auto end = correction_deadline(cal, s);
  if (!end) return not_allowed(end.error().message + "，不能认定逾期未补正（条例第三十条）");
  if (ev.on <= *end)
    return not_allowed("补正期限至 " + format_date(*end) + " 届满，届满前不能认定逾期未补正");
  return {};
}

Status fee_period_over([[maybe_unused]] const Calendar& cal, [[maybe_unused]] const Case& c,
                       [[maybe_unused]] const CaseEvent& ev,
                       [[maybe_unused]] const ClockSettings& settings) {
  [[maybe_unused]] const CaseState& s = c.derived;
  auto end = fee_deadline(cal, s);
  if (!end) return not_allowed(end.error().message + "，不能认定逾期未缴费");
  if (ev.on <= *end)
    return not_allowed("缴费期限至 " + format_date(*end) + " 届满，届满前不能认定逾期未缴费");
  return {};
}

Status notice_unserved([[maybe_unused]] const Calendar& cal, [[maybe_unused]] const Case& c,
                       [[maybe_unused]] const CaseEvent& ev,
                       [[maybe_unused]] const ClockSettings& settings) {
  [[maybe_unused]] const CaseState& s = c.derived;
  auto t = served_target(c, ev);
  if (!t) return t.error();
  if (t->served) return not_allowed(t->title + "已于 " + format_date(t->served->on) + " 登记送达");
  if (ev.on < t->issued_on)
    return make_error(Code::invalid,
                      "on: 送达日期不能早于" + t->title + "发出日期 " + format_date(t->issued_on),
                      "on");
  return {};
}

Status fee_not_noticed([[maybe_unused]] const Calendar& cal, [[maybe_unused]] const Case& c,
                       [[maybe_unused]] const CaseEvent& ev,
                       [[maybe_unused]] const ClockSettings& settings) {
  [[maybe_unused]] const CaseState& s = c.derived;
  if (s.fee_notice_on) return not_allowed("本案已发出过收费通知，不能重复收费");
  return {};
}

Status consultation_open([[maybe_unused]] const Calendar& cal, [[maybe_unused]] const Case& c,
                         [[maybe_unused]] const CaseEvent& ev,
                         [[maybe_unused]] const ClockSettings& settings) {
  [[maybe_unused]] const CaseState& s = c.derived;
  auto id = field_int(ev.fields, "consultation");
  for (auto& k : s.consultations)
    if (id && k.id == *id) {
      if (k.replied_on)
        return not_allowed("该征求意见已于 " + format_date(*k.replied_on) + " 登记答复");
      if (ev.on < k.sent_on) return not_allowed("答复日期不能早于征求意见发出日期");
      return {};
    }
  return make_error(
      Code::invalid,
      "consultation: 本案没有编号为 " + std::to_string(id.value_or(0)) + " 的征求意见",
      "consultation");
}

Status consultations_settled([[maybe_unused]] const Calendar& cal, [[maybe_unused]] const Case& c,
                             [[maybe_unused]] const CaseEvent& ev,
                             [[maybe_unused]] const ClockSettings& settings) {
  [[maybe_unused]] const CaseState& s = c.derived;
  for (auto& k : s.consultations)
    if (!consultation_end(cal, k, ev.on)) {
      if (!k.served)
        return not_allowed("征求" + k.name +
                           "意见尚未答复，且征求意见书（函）尚未登记送达、15个工作日期限尚未起算，"
                           "不能作出答复决定");
      return not_allowed("征求" + k.name + "意见尚未答复且未满15个工作日（至 " +
                         date_text(consultation_deadline(cal, k)) + "），不能作出答复决定");
    }
  return {};
}

Status extension_allowed([[maybe_unused]] const Calendar& cal, [[maybe_unused]] const Case& c,
                         [[maybe_unused]] const CaseEvent& ev,
                         [[maybe_unused]] const ClockSettings& settings) {
  [[maybe_unused]] const CaseState& s = c.derived;
  if (s.extended_on)
    return not_allowed("本案已于 " + format_date(*s.extended_on) +
                       " 延期，延期只能一次（条例第三十三条）");
  ClockView v = compute_clock(cal, c, ev.on, settings);
  if (!v.due_on)
    return make_error(Code::out_of_calendar, "到期日未知，无法判断能否延期：" + v.due_note);
  if (ev.on > *v.due_on)
    return not_allowed("答复期限已于 " + format_date(*v.due_on) +
                       " 届满，届满后不能延期（条例第三十三条）");
  return {};
}

Status fee_amount_known([[maybe_unused]] const Calendar& cal, [[maybe_unused]] const Case& c,
                        [[maybe_unused]] const CaseEvent& ev,
                        [[maybe_unused]] const ClockSettings& settings) {
  [[maybe_unused]] const CaseState& s = c.derived;
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

Status outcome_allowed([[maybe_unused]] const Calendar& cal, [[maybe_unused]] const Case& c,
                       [[maybe_unused]] const CaseEvent& ev,
                       [[maybe_unused]] const ClockSettings& settings) {
  [[maybe_unused]] const CaseState& s = c.derived;
  const std::string* o = field_string(ev.fields, "outcome");
  if (o && *o == "still_unclear" && !s.correction_received_on)
    return not_allowed("“补正后申请内容仍不明确”只能在申请人补正之后作出（条例第三十条）");
  return {};
}

Status remedy_open([[maybe_unused]] const Calendar& cal, [[maybe_unused]] const Case& c,
                   [[maybe_unused]] const CaseEvent& ev,
                   [[maybe_unused]] const ClockSettings& settings) {
  [[maybe_unused]] const CaseState& s = c.derived;
  auto id = field_int(ev.fields, "remedy");
  for (auto& r : s.remedies)
    if (id && r.id == *id) {
      if (r.decided_on)
        return not_allowed("该复议或诉讼已于 " + format_date(*r.decided_on) + " 登记结果");
      return {};
    }
  return make_error(Code::invalid,
                    "remedy: 本案没有编号为 " + std::to_string(id.value_or(0)) + " 的复议或诉讼",
                    "remedy");
}

}  // namespace guards

namespace actions {

Status request_correction([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  s.correction_requested_on = ev.on;
  s.correction_days = static_cast<int>(field_int(f, "days").value_or(kDefaultCorrectionDays));
  if (auto* items = field_list(f, "items")) s.correction_items = *items;
  return {};
}

Status serve_notice([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  auto t = served_target(c, ev);
  if (!t) return t.error();
  Service sv{ev.on, *field_string(f, "method")};
  if (t->notice == "correction_notice")
    s.correction_served = sv;
  else if (t->notice == "fee_notice")
    s.fee_served = sv;
  else
    find_consultation(c, t->consultation)->served = sv;
  return {};
}

Status correction_received([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  s.correction_received_on = ev.on;
  // 补正 may restate what is asked (Art 30): the case's content becomes the corrected text; the
  // registered text stays in the event log (the store's row) and in registered_content.
  if (auto* content = field_string(f, "content"); content && !content->empty()) {
    if (s.registered_content.empty()) s.registered_content = c.content;
    c.content = *content;
  }
  return {};
}

Status add_consultation([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  Consultation k;
  k.id = ev.id;
  k.party = *field_string(f, "party");
  k.name = *field_string(f, "name");
  k.sent_on = ev.on;
  s.consultations.push_back(k);
  return {};
}

Status reply_consultation([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  auto* k = find_consultation(c, field_int(f, "consultation").value_or(0));
  if (!k) return make_error(Code::invalid, "consultation: 本案没有该征求意见", "consultation");
  k->replied_on = ev.on;
  k->opinion = *field_string(f, "opinion");
  return {};
}

Status extend([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  s.extended_on = ev.on;
  return {};
}

Status fee_notice([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  s.fee_notice_on = ev.on;
  auto pages = field_int(f, "pages");
  s.fee_amount =
      field_int(f, "amount").value_or(pages ? fee_per_page(static_cast<int>(*pages)) : 0);
  return {};
}

Status fee_paid([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  s.fee_paid_on = ev.on;
  return {};
}

Status decide([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  s.outcome = *field_string(f, "outcome");
  auto* r = field_string(f, "reasons");
  s.reasons = r ? *r : "";
  s.decided_on = ev.on;
  return {};
}

Status return_decision([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  s.outcome.clear();
  s.reasons.clear();
  s.decided_on.reset();
  return {};
}

Status approve([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  s.approved_on = ev.on;
  return {};
}

Status deliver([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  s.concluded_on = ev.on;
  s.concluded_by_reply = true;
  s.delivery_method = *field_string(f, "method");
  return {};
}

Status conclude([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  s.outcome = std::string(param);
  s.concluded_on = ev.on;
  s.concluded_by_reply = false;
  return {};
}

Status add_remedy([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  Remedy r;
  r.id = ev.id;
  r.kind = *field_string(f, "kind");
  r.filed_on = ev.on;
  s.remedies.push_back(r);
  return {};
}

Status decide_remedy([[maybe_unused]] std::string_view param, Case& c, const CaseEvent& ev) {
  [[maybe_unused]] CaseState& s = c.derived;
  [[maybe_unused]] const Fields& f = ev.fields;
  auto* r = find_remedy(c, field_int(f, "remedy").value_or(0));
  if (!r) return make_error(Code::invalid, "remedy: 本案没有该复议或诉讼", "remedy");
  r->decided_on = ev.on;
  r->result = *field_string(f, "result");
  return {};
}

}  // namespace actions

using GuardFn = Status (*)(const Calendar&, const Case&, const CaseEvent&, const ClockSettings&);
using ActionFn = Status (*)(std::string_view, Case&, const CaseEvent&);

constexpr std::pair<std::string_view, GuardFn> kGuardTable[] = {
    {"correction_period_over", &guards::correction_period_over},
    {"fee_period_over", &guards::fee_period_over},
    {"notice_unserved", &guards::notice_unserved},
    {"fee_not_noticed", &guards::fee_not_noticed},
    {"consultation_open", &guards::consultation_open},
    {"consultations_settled", &guards::consultations_settled},
    {"extension_allowed", &guards::extension_allowed},
    {"fee_amount_known", &guards::fee_amount_known},
    {"outcome_allowed", &guards::outcome_allowed},
    {"remedy_open", &guards::remedy_open},
};
constexpr std::pair<std::string_view, ActionFn> kActionTable[] = {
    {"request_correction", &actions::request_correction},
    {"serve_notice", &actions::serve_notice},
    {"correction_received", &actions::correction_received},
    {"add_consultation", &actions::add_consultation},
    {"reply_consultation", &actions::reply_consultation},
    {"extend", &actions::extend},
    {"fee_notice", &actions::fee_notice},
    {"fee_paid", &actions::fee_paid},
    {"decide", &actions::decide},
    {"return_decision", &actions::return_decision},
    {"approve", &actions::approve},
    {"deliver", &actions::deliver},
    {"conclude", &actions::conclude},
    {"add_remedy", &actions::add_remedy},
    {"decide_remedy", &actions::decide_remedy},
};

template <class Fn, size_t N>
Fn lookup(const std::pair<std::string_view, Fn> (&table)[N], std::string_view name) {
  for (auto& [key, fn] : table)
    if (key == name) return fn;
  return nullptr;
}

}  // namespace

bool is_known_guard(std::string_view n) { return lookup(kGuardTable, n) != nullptr; }
std::vector<std::string_view> guard_names() {
  std::vector<std::string_view> out;
  for (auto& [name, fn] : kGuardTable) out.push_back(name);
  return out;
}
std::vector<std::string_view> action_names() {
  std::vector<std::string_view> out;
  for (auto& [name, fn] : kActionTable) out.push_back(name);
  return out;
}
bool is_known_action(std::string_view n) { return lookup(kActionTable, n) != nullptr; }

Status check_guard(std::string_view g, const Calendar& cal, const Case& c, const CaseEvent& ev,
                   const ClockSettings& settings) {
  if (GuardFn fn = lookup(kGuardTable, g)) return fn(cal, c, ev, settings);
  return make_error(Code::internal, "unknown guard " + std::string(g));
}

Status apply_action(std::string_view a, std::string_view param, Case& c, const CaseEvent& ev) {
  if (ActionFn fn = lookup(kActionTable, a)) return fn(param, c, ev);
  return make_error(Code::internal, "unknown action " + std::string(a));
}

}  // namespace ogi
