// LetterService: the sample case every template preview renders (a 2024 case on the normal path
// to the letter), the sample agency, and the detached stores that let a preview run without a
// database.
#include <algorithm>

#include "app/letters.h"
#include "app/policy.h"
#include "app/users.h"
#include "domain/codes.h"
#include "domain/letters.h"
#include "domain/remedy_body.h"
#include "workflow/engine.h"

namespace ogi {

namespace {
// The sample case's history, on the normal path, ending with the event that issues `name`.
// Dates are those of a 2024 case (before shifting); every event is valid in the workflow.
std::vector<std::pair<std::string, std::pair<Date, Fields>>> sample_path(
    const std::string& name, const std::string& outcome) {
  using F = Fields;
  std::vector<std::pair<std::string, std::pair<Date, Fields>>> p;
  auto ev = [&](const char* e, Date on, F f = {}) { p.push_back({e, {on, std::move(f)}}); };
  ev("register", Date(2024, 3, 1));
  if (name == "receipt") return p;
  if (name == "lapse_fee" || name == "fee_notice_only") {
    ev("fee_notice", Date(2024, 3, 6), {{"method", std::string("per_page")}, {"pages", 45LL}});
    if (name == "lapse_fee")
      ev("serve_notice", Date(2024, 3, 8), {{"method", std::string("post")}});
    ev("fee_lapsed", Date(2024, 4, 10));
    return p;
  }
  ev("request_correction", Date(2024, 3, 5),
     {{"items",
       std::vector<std::string>{"请明确所申请项目的名称或所在街道", "请补充身份证明复印件"}},
      {"days", 15LL}});
  if (name == "correction_notice") return p;
  if (name == "lapse_correction") {
    ev("serve_notice", Date(2024, 3, 7), {{"method", std::string("post")}});
    ev("correction_lapsed", Date(2024, 3, 29));
    return p;
  }
  ev("correction_received", Date(2024, 3, 12));
  ev("consult", Date(2024, 3, 13),
     {{"party", std::string("third_party")}, {"name", std::string("某某置业有限公司")}});
  if (name == "consultation_third_party") return p;
  ev("consult", Date(2024, 3, 13),
     {{"party", std::string("agency")}, {"name", std::string("示例市住房和城乡建设局")}});
  if (name == "consultation_agency") return p;
  ev("consultation_replied", Date(2024, 3, 20),
     {{"consultation", 4LL}, {"opinion", std::string("object")}});
  ev("consultation_replied", Date(2024, 3, 21),
     {{"consultation", 5LL}, {"opinion", std::string("agree")}});
  ev("extend", Date(2024, 4, 2),
     {{"reason",
       std::string("需调取归档的竣工验收材料并核查其中涉及第三方的内容，不能在法定期限内答复")}});
  if (name == "extension_notice") return p;
  ev("fee_notice", Date(2024, 4, 3), {{"method", std::string("per_page")}, {"pages", 45LL}});
  if (name == "fee_notice") return p;
  ev("fee_paid", Date(2024, 4, 8));
  ev("decide", Date(2024, 4, 15),
     {{"outcome", outcome}, {"reasons", std::string("（此处为承办人补充的具体理由。）")}});
  ev("approve", Date(2024, 4, 16));
  if (name != "delivery_proof") return p;
  ev("deliver", Date(2024, 4, 17),
     {{"method", std::string("post")}, {"tracking", std::string("1234567890123")}});
  return p;
}
}  // namespace

Case LetterService::sample_case(const std::string& name, const std::string& outcome,
                                int shift_days) {
  Case c;
  c.agency = "SAMPLE";
  c.applicant = Applicant{
      "natural_person", "张三", "resident_id", "", "", "", "浙江省杭州市西湖区文三路100号", ""};
  c.channel = "post";
  c.content = "2023年度本市老旧小区改造项目的资金安排及竣工验收文件";
  c.form = "paper";
  c.delivery = "post";
  long long id = 0;
  for (auto& [e, rest] : sample_path(name, outcome)) {
    CaseEvent x;
    x.id = ++id;
    x.event = e;
    x.on = rest.first + boost::gregorian::days(shift_days);
    x.fields = rest.second;
    x.by = "sample";
    x.at = format_date(x.on) + "T09:00:00Z";
    c.events.push_back(std::move(x));
  }
  c.received_on = c.events.front().on;
  c.number = "示例依申〔" + std::to_string(static_cast<int>(c.received_on.year())) + "〕第12号";
  return c;
}

Agency LetterService::sample_agency() {
  Agency a;
  a.code = "SAMPLE";
  a.name = "示例市人民政府办公室";
  a.number_pattern = "示例依申〔{year}〕第{seq}号";
  a.letter_prefix = "示府办";
  a.letter_pattern = std::string(kDefaultLetterPattern);
  a.letterhead = "示例市人民政府办公室";
  a.contact = "示例市政务中心3号楼，电话0571-00000000";
  a.reconsideration_body = "示例市人民政府";
  a.court = "示例市中级人民法院";
  return a;
}

Result<LetterFields> LetterService::sample_fields(const std::string& name, const Agency& a,
                                                  std::optional<Date> date) const {
  const std::string kind = template_kind(name);
  const std::string letter_kind = kind.empty() ? "reply" : kind;
  const std::string target = kind.empty() ? "reply_partially_disclosed" : name;
  const std::string outcome = target.starts_with("reply_") ? target.substr(6) : "disclosed";
  Case c = sample_case(target, outcome, 0);
  if (date) c = sample_case(target, outcome, static_cast<int>((*date - c.events.back().on).days()));
  // the derived state and the clock come from the real workflow, as for a live case
  FixedClock far(Date(2099, 12, 31));
  const Context ctx{wf_, cal_, far, ClockSettings{a.fee_pauses_clock}};
  if (Status st = fold(ctx, c); !st)
    return make_error(Code::invalid, "示例案件在该日期不成立：" + st.error().message);
  const size_t idx = c.events.size() - 1;
  const Date on = c.events[idx].on;
  std::optional<Date> due_before;
  if (letter_kind == "extension_notice") {
    Case before = c;
    before.events.pop_back();
    if (Status st = fold(ctx, before); st)
      due_before = compute_clock(cal_, before, on, ctx.settings).due_on;
  }
  auto clock = compute_clock(cal_, c, on, ctx.settings);
  LetterFields f = fields(letter_kind, c, a, idx, on, clock.due_on, due_before);
  if (letter_kind == "third_party_notice")
    for (auto& k : c.derived.consultations)
      if (k.party == "third_party" && k.opinion == "object") f.put("third_party.name", k.name);
  f.put("letter.number",
        letter_number(a.letter_pattern, a.letter_prefix, letter_kind, on.year(), 12));
  if (letter_kind == "delivery_proof")
    f.put("delivery.letter_number",
          letter_number(a.letter_pattern, a.letter_prefix, "reply", on.year(), 12));
  return f;
}

Result<RenderedLetter> LetterService::preview_template(const std::string& name,
                                                       const std::string& body,
                                                       const Agency& a) const {
  if (Status st = r_.check(name, body); !st) return st.error();
  // a partial is shown inside a reply that uses every partial (a refusal, for the remedy text)
  const std::string target = name.starts_with("_") ? "reply_partially_disclosed" : name;
  auto f = sample_fields(target, a);
  if (!f) return f.error();
  const std::string kind = template_kind(target);
  return r_.render_with(target, name, body, *f, letter_title(kind, target), Date(2024, 4, 16));
}

namespace {
Error detached() { return make_error(Code::not_found, "没有数据库：只能渲染示例案件"); }
}  // namespace
Result<LetterRecord> DetachedStores::letter(long long) { return detached(); }
Result<std::string> DetachedStores::letter_bytes(long long, const std::string&) {
  return detached();
}
Result<LetterRecord> DetachedStores::reissue(const LetterDraft&) { return detached(); }
Result<int> DetachedStores::save_template(const std::string&, const std::string&,
                                          const std::string&, const std::string&,
                                          const std::string&) {
  return detached();
}
Result<User> DetachedStores::user(const std::string&) { return detached(); }
Result<Case> DetachedStores::load_case(long long) { return detached(); }
Result<Case> DetachedStores::create_case(const Case&, const CaseProjection&,
                                         const std::vector<LetterDraft>&, const AuditNote*) {
  return detached();
}
Result<Case> DetachedStores::append_event(const Case&, const CaseProjection&, long long,
                                          const std::vector<LetterDraft>&, const AuditNote*) {
  return detached();
}

}  // namespace ogi
