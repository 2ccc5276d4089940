#include "app/letters.h"

#include <algorithm>

#include "app/policy.h"
#include "app/users.h"
#include "domain/codes.h"
#include "domain/letters.h"
#include "domain/remedy_body.h"
#include "workflow/engine.h"

namespace ogi {

namespace {

std::string opt_date(const std::optional<Date>& d) { return d ? chinese_date(*d) : std::string(); }

std::string delivery_label(const std::string& method) {
  return std::string(label_of(delivery_methods(), method));  // the code table's one wording
}

const Consultation* consultation_of(const Case& c, const CaseEvent& ev) {
  for (auto& k : c.derived.consultations)
    if (ev.id && k.id == ev.id) return &k;
  const std::string* name = field_string(ev.fields, "name");
  for (auto it = c.derived.consultations.rbegin(); it != c.derived.consultations.rend(); ++it)
    if (it->sent_on == ev.on && (!name || it->name == *name)) return &*it;
  return nullptr;
}

// How it came in, to read "您___提交的申请": 当面 / 邮寄 / 通过网络平台 ... (workflow/codes.tbl)
std::string channel_phrase(const std::string& channel) {
  for (auto& c : channels())
    if (c.code == channel) return std::string(c.phrase);
  return "通过" + channel;
}

bool discloses(const std::string& outcome) {
  return outcome == "disclosed" || outcome == "partially_disclosed";
}

}  // namespace

BodyChoice agency_reconsideration_body(CaseStore& store, const Agency& a) {
  std::optional<AgencyFacts> parent;
  if (!a.parent.empty())
    if (auto p = store.agency(a.parent)) parent = AgencyFacts{p->kind, p->name};
  return reconsideration_body({a.kind, a.name}, parent, a.reconsideration_body);
}

std::string letter_number_pattern(const Agency& a, const std::string& kind, int year) {
  std::string pattern =
      a.letter_pattern.empty() ? std::string(kDefaultLetterPattern) : a.letter_pattern;
  const std::string prefix = a.letter_prefix.empty() ? a.name : a.letter_prefix;
  // fill everything but {seq}: the store allocates it inside the transaction
  const std::string keep = "\x01seq\x01";
  for (size_t p; (p = pattern.find("{seq}")) != std::string::npos;) pattern.replace(p, 5, keep);
  std::string filled = letter_number(pattern, prefix, kind, year, 0);
  for (size_t p; (p = filled.find(keep)) != std::string::npos;)
    filled.replace(p, keep.size(), "{seq}");
  return filled;
}

LetterFields LetterService::fields(const std::string& kind, const Case& c, const Agency& a,
                                   size_t event_index, const Date& date,
                                   const std::optional<Date>& due_on,
                                   const std::optional<Date>& due_before) const {
  LetterFields f;
  const CaseState& s = c.derived;
  const CaseEvent* ev = event_index < c.events.size() ? &c.events[event_index] : nullptr;
  f.put("agency.name", a.name);
  f.put("agency.letterhead", a.letterhead.empty() ? a.name : a.letterhead);
  f.put("agency.contact", a.contact);
  // Named only when set or derivable (行政复议法 2023, Arts 24–27); never a guess.
  f.put("agency.reconsideration_body", agency_reconsideration_body(cases_, a).body);
  f.put("agency.court", a.court.empty() ? "有管辖权的人民法院" : a.court);
  f.put("letter.date", chinese_date(date));
  f.put("letter.title", letter_title(kind, letter_template(kind, c, event_index)));
  f.put("case.number", c.number);
  f.put("case.received_on", chinese_date(c.received_on));
  f.put("case.channel", std::string(label_of(channels(), c.channel)));
  f.put("case.channel_phrase", channel_phrase(c.channel));
  f.put("case.content", c.content);
  f.put("case.form", std::string(label_of(forms(), c.form)));
  f.put("case.delivery", std::string(label_of(delivery_wanted(), c.delivery)));
  f.put("case.due_on", opt_date(due_on));
  // The date rests on a year whose holiday notice is not imported yet (calendar/provisional.h).
  f.flag("case.due_provisional", due_on && cal_.provisional(*due_on));
  f.put("applicant.name", c.applicant.name);
  f.put("applicant.type", std::string(label_of(applicant_types(), c.applicant.type)));
  f.put("applicant.address", c.applicant.address);
  f.flag("applicant.is_org", is_organisation(c.applicant.type));
  for (auto& [key, text] : wf_.quotes())
    f.put("law." + key, text);  // the Regulation's words (`quote` lines)
  // Which remedy notice applies is workflow data (`remedy` lines of workflow/lifecycle.wf).
  const std::string rule = wf_.remedy_rule(kind, s.outcome, date, a.remedy_policy);
  f.flag("remedy.reconsideration_first", rule == "reconsideration_first");
  f.flag("remedy.either", rule != "reconsideration_first");
  f.put("remedy.subject", kind == "reply"                ? "答复"
                          : kind == "third_party_notice" ? "决定"
                                                         : "告知书");
  f.put("remedy.document", kind == "reply" ? "答复" : "告知书");
  f.put("remedy.you", kind == "third_party_notice"        ? "您（单位）"
                      : is_organisation(c.applicant.type) ? "贵单位"
                                                          : "您");

  if (kind == "correction_notice") {
    int i = 0;
    for (auto& item : s.correction_items)
      f.lists["correction.items"].push_back({{"index", std::to_string(++i)}, {"text", item}});
    f.put("correction.days", std::to_string(s.correction_days));
    if (auto end = correction_deadline(cal_, s)) f.put("correction.deadline", chinese_date(*end));
  } else if (kind == "extension_notice") {
    if (ev)
      if (auto* r = field_string(ev->fields, "reason")) f.put("extension.reason", *r);
    f.put("extension.old_due", opt_date(due_before));
    f.put("extension.new_due", opt_date(due_on));
  } else if (kind == "consultation_letter" && ev) {
    if (const Consultation* k = consultation_of(c, *ev)) {
      f.put("consultation.name", k->name);
      f.put("consultation.party", std::string(label_of(parties(), k->party)));
      f.flag("consultation.is_third_party", k->party == "third_party");
      f.flag("consultation.is_agency", k->party == "agency");
      if (auto end = consultation_deadline(cal_, *k))
        f.put("consultation.deadline", chinese_date(*end));
    }
  } else if (kind == "fee_notice") {
    const std::string* method = ev ? field_string(ev->fields, "method") : nullptr;
    f.put("fee.method", method ? std::string(label_of(fee_methods(), *method)) : std::string());
    f.flag("fee.per_page", method && *method == "per_page");
    if (ev)
      if (auto pages = field_int(ev->fields, "pages")) f.put("fee.pages", std::to_string(*pages));
    f.put("fee.amount", std::to_string(s.fee_amount));
    if (auto end = fee_deadline(cal_, s)) f.put("fee.pay_by", chinese_date(*end));
  } else if (kind == "lapse_notice") {
    const bool fee = ev && ev->event == "fee_lapsed";
    f.put("lapse.notice_on", opt_date(fee ? s.fee_notice_on : s.correction_requested_on));
    const std::optional<Service>& sv = fee ? s.fee_served : s.correction_served;
    if (sv) f.put("lapse.served_on", chinese_date(sv->on));
    f.put("lapse.service_method",
          sv ? std::string(label_of(service_methods(), sv->method)) : std::string());
    if (auto end = fee ? fee_deadline(cal_, s) : correction_deadline(cal_, s))
      f.put("lapse.deadline", chinese_date(*end));
  } else if (kind == "reply" || kind == "third_party_notice") {
    if (const OutcomeInfo* o = find_outcome(s.outcome)) {
      f.put("reply.outcome", std::string(o->label));
      f.put("reply.basis", std::string(o->basis));
    }
    f.put("reply.reasons", s.reasons);
    f.put("reply.form", std::string(label_of(forms(), c.form)));
    f.put("reply.delivery", std::string(label_of(delivery_wanted(), c.delivery)));
    f.put("reply.decided_on", opt_date(s.decided_on));
    // Art 32 is cited only when a third party was actually consulted.
    f.flag("reply.consulted_third_party",
           std::any_of(s.consultations.begin(), s.consultations.end(),
                       [](const Consultation& k) { return k.party == "third_party"; }));
    // What the article of the outcome asks the reply to say (Art 36), as the handler wrote it.
    for (auto it = c.events.rbegin(); it != c.events.rend(); ++it) {
      if (it->event != "decide") continue;
      for (const char* k :
           {"location", "provision", "responsible_agency", "earlier_reply", "competent_authority"})
        if (auto* v = field_string(it->fields, k); v && !v->empty())
          f.put(std::string("reply.") + k, *v);
      if (auto* docs = field_list(it->fields, "documents"))
        for (auto& d : *docs) f.lists["reply.documents"].push_back({{"text", d}});
      break;
    }
  } else if (kind == "delivery_proof" && ev) {
    const std::string* method = field_string(ev->fields, "method");
    f.put("delivery.method", method ? delivery_label(*method) : std::string());
    if (auto* t = field_string(ev->fields, "tracking")) f.put("delivery.tracking", *t);
    f.put("delivery.on", chinese_date(ev->on));
    f.put("delivery.letter_title", std::string(label_of(letter_kinds(), "reply")));
  }
  if (kind == "third_party_notice") {
    // filled per objecting party by the caller (make_draft); the last objection by default
    for (auto& k : s.consultations)
      if (k.party == "third_party" && k.opinion == "object") {
        f.put("third_party.name", k.name);
        f.put("third_party.replied_on", opt_date(k.replied_on));
      }
    f.values.erase("reply.form");
    f.values.erase("reply.delivery");
    f.values.erase("reply.decided_on");
  }
  return f;
}

// Renders everything but the number now (outside the transaction); the draft's render step only
// puts the allocated number in and packages the DOCX.
void LetterService::prepare_render(LetterDraft& d, LetterFields f) const {
  f.put("letter.number", std::string(kNumberPlaceholder));
  if (!f.values.count("case.number")) f.put("case.number", std::string(kCaseNumberPlaceholder));
  auto prepared = r_.prepare(d.template_name, f, d.title, d.date);
  const LetterRenderer* r = &r_;
  if (!prepared) {
    Error e = prepared.error();
    d.render = [e](const std::string&, const std::string&) -> Result<RenderedLetter> { return e; };
    return;
  }
  d.render = [r, p = std::move(*prepared)](
                 const std::string& number,
                 const std::string& case_number) -> Result<RenderedLetter> {
    return r->finish(p, number, case_number);
  };
}

LetterDraft LetterService::make_draft(const std::string& kind, const std::string& template_name,
                                      const Case& c, const Agency& a, size_t event_index,
                                      const std::optional<Date>& due_on,
                                      const std::optional<Date>& due_before) const {
  const CaseEvent& ev = c.events.at(event_index);
  LetterDraft d;
  d.kind = kind;
  d.template_name = template_name;
  d.template_version = r_.version(template_name);
  d.title = letter_title(kind, template_name);
  d.date = ev.on;
  d.by = ev.by;
  d.at = ev.at;
  d.number_pattern = letter_number_pattern(a, kind, ev.on.year());
  LetterFields f = fields(kind, c, a, event_index, ev.on, due_on, due_before);
  d.addressee =
      kind == "consultation_letter"
          ? (f.values.count("consultation.name") ? f.values.at("consultation.name") : std::string())
          : c.applicant.name;
  if (kind == "delivery_proof")
    for (auto& l : s_.letters(c.id))
      if (l.kind == "reply" && !l.superseded_by) f.put("delivery.letter_number", l.number);
  prepare_render(d, f);
  return d;
}

Result<std::vector<LetterDraft>> LetterService::drafts_for(
    const Case& c, const Agency& a, const ClockView& after,
    const std::optional<Date>& due_before) const {
  std::vector<LetterDraft> out;
  if (c.events.empty()) return out;
  const size_t idx = c.events.size() - 1;
  const CaseEvent& ev = c.events[idx];
  const EventSpec* spec = wf_.event(ev.event);
  if (!spec || spec->letter.empty()) return out;
  const std::string tmpl = letter_template(spec->letter, c, idx);
  if (r_.version(tmpl) < 0) return make_error(Code::internal, "缺少文书模板 " + tmpl);
  out.push_back(make_draft(spec->letter, tmpl, c, a, idx, after.due_on, due_before));
  if (ev.event == "approve" && discloses(c.derived.outcome)) {
    // Art 32: each third party that objected is told in writing of the decision to disclose
    for (auto& k : c.derived.consultations) {
      if (k.party != "third_party" || k.opinion != "object") continue;
      LetterDraft d = make_draft("third_party_notice", "third_party_notice", c, a, idx,
                                 after.due_on, due_before);
      LetterFields f = fields("third_party_notice", c, a, idx, ev.on, after.due_on, due_before);
      f.put("third_party.name", k.name);
      f.put("third_party.replied_on", opt_date(k.replied_on));
      d.addressee = k.name;
      prepare_render(d, f);
      out.push_back(std::move(d));
    }
  }
  return out;
}

Result<Case> LetterService::readable_case(const User& actor, long long case_id) {
  if (Status st = may(wf_, actor, "letter.read"); !st) return st.error();
  auto c = cases_.load_case(case_id);
  if (!c) return c.error().code == Code::not_found ? not_visible() : c.error();
  if (Status st = may(wf_, actor, "letter.read", &c->agency); !st) return not_visible();
  return c;
}

Result<Agency> LetterService::agency_of(const Case& c) { return cases_.agency(c.agency); }

Result<LetterRecord> LetterService::get(const User& actor, long long letter_id) {
  if (Status st = may(wf_, actor, "letter.read"); !st) return st.error();
  auto l = s_.letter(letter_id);
  if (!l) return l.error().code == Code::not_found ? not_visible("文书") : l.error();
  if (auto c = readable_case(actor, l->case_id); !c)
    return c.error().code == Code::forbidden ? not_visible("文书") : c.error();
  return l;
}

Result<std::string> LetterService::bytes(const User& actor, long long letter_id,
                                         const std::string& format) {
  if (format != "docx" && format != "html")
    return make_error(Code::invalid, "format: 只支持 docx 或 html", "format");
  auto l = get(actor, letter_id);
  if (!l) return l.error();
  return s_.letter_bytes(letter_id, format);
}

Result<RenderedLetter> LetterService::preview_reply(const User& actor, long long case_id) {
  auto c = readable_case(actor, case_id);
  if (!c) return c.error();
  auto a = agency_of(*c);
  if (!a) return a.error();
  if (Status st = fold(Context{wf_, cal_, clock_, ClockSettings{a->fee_pauses_clock}}, *c); !st)
    return st.error();
  if (c->derived.outcome.empty() || c->derived.state != "decided")
    return make_error(Code::conflict, "只有已拟定答复、待签发的案件才能预览答复书");
  CaseEvent approve;
  approve.event = "approve";
  approve.on = clock_.today();
  approve.by = actor.username;
  c->events.push_back(approve);
  const size_t idx = c->events.size() - 1;
  auto clock = compute_clock(cal_, *c, clock_.today(), ClockSettings{a->fee_pauses_clock});
  const std::string tmpl = letter_template("reply", *c, idx);
  LetterFields f = fields("reply", *c, *a, idx, approve.on, clock.due_on, std::nullopt);
  f.put("letter.number", "（签发时编号）");
  return r_.render(tmpl, f, letter_title("reply", tmpl), approve.on);
}

Result<std::string> LetterService::print_all(const User& actor, long long case_id) {
  auto c = readable_case(actor, case_id);
  if (!c) return c.error();
  std::string joined;
  for (auto& l : s_.letters(case_id)) {
    if (l.superseded_by) continue;
    auto m = s_.letter_bytes(l.id, "markup");
    if (!m) return m.error();
    if (!joined.empty()) joined += "\n---\n";
    joined += *m;
  }
  if (joined.empty()) return make_error(Code::not_found, "该案件还没有已出具的文书");
  return r_.from_markup(joined, c->number + " 全部文书", clock_.today()).docx;
}

Result<LetterRecord> LetterService::reissue(const User& actor, long long letter_id,
                                            const std::string& reason) {
  auto old = get(actor, letter_id);
  if (!old) return old.error();
  if (Status st = may(wf_, actor, "letter.reissue"); !st)
    return st.error();  // get(): the case is visible
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    return make_error(Code::invalid, "reason: 请填写更正原因", "reason");
  if (old->superseded_by) return make_error(Code::conflict, "该文书已被更正，请更正最新版本");
  auto c = cases_.load_case(old->case_id);
  if (!c) return c.error();
  auto a = agency_of(*c);
  if (!a) return a.error();
  if (Status st = fold(Context{wf_, cal_, clock_, ClockSettings{a->fee_pauses_clock}}, *c); !st)
    return st.error();
  size_t idx = 0;
  for (size_t i = 0; i < c->events.size(); ++i)
    if (c->events[i].id == old->event_id) idx = i;
  // the corrected letter is dated today, by the person correcting it
  Case dated = *c;
  dated.events[idx].on = clock_.today();
  dated.events[idx].by = actor.username;
  dated.events[idx].at = clock_.now_timestamp();
  auto clock = compute_clock(cal_, *c, old->issued_on, ClockSettings{a->fee_pauses_clock});
  LetterDraft d =
      make_draft(old->kind, old->template_name, dated, *a, idx, clock.due_on, std::nullopt);
  if (old->kind == "third_party_notice") {
    // the same third party as the letter it replaces
    LetterFields f = fields("third_party_notice", dated, *a, idx, dated.events[idx].on,
                            clock.due_on, std::nullopt);
    for (auto& k : c->derived.consultations)
      if (k.party == "third_party" && k.name == old->addressee) {
        f.put("third_party.name", k.name);
        f.put("third_party.replied_on", opt_date(k.replied_on));
      }
    d.addressee = old->addressee;
    prepare_render(d, f);
  }
  d.supersedes = old->id;
  d.reason = reason;
  auto issued = s_.reissue(d);
  return issued;
}

}  // namespace ogi
