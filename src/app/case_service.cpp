#include "app/case_service.h"

#include <algorithm>

#include "app/letters.h"
#include "app/policy.h"

namespace ogi {

Actor actor_of(const User& u) { return Actor{u.username, u.roles}; }

std::vector<std::string> assignable_roles(const Workflow& wf) {
  std::vector<std::string> out;
  for (auto& q : wf.queues())
    if (q.who == QueueSpec::Who::assignee)
      for (auto& r : q.roles)
        if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
  return out;
}

bool assignable(const Workflow& wf, const User& u) {
  return u.active && actor_of(u).has_any(assignable_roles(wf));
}

Status CaseService::check_assignee(const std::string& agency, const std::string& login) {
  if (login.empty()) return {};
  auto u = store_.user(login);
  if (!u || u->agency != agency || !assignable(wf_, *u))
    return make_error(Code::invalid, "assignee: 承办人须为本机关在职的承办人员", "assignee");
  return {};
}

Context CaseService::context(const Agency& a) const {
  return Context{wf_, cal_, clock_, ClockSettings{a.fee_pauses_clock}};
}

bool CaseService::visible(const User& actor, const std::string& code) const {
  auto& v = actor.agencies_visible;
  return std::find(v.begin(), v.end(), code) != v.end();
}

Result<Agency> CaseService::visible_agency(const User& actor, const std::string& code) {
  auto& v = actor.agencies_visible;
  if (std::find(v.begin(), v.end(), code) == v.end())
    return make_error(Code::forbidden, "无权办理其他机关（" + code + "）的案件");
  return store_.agency(code);
}

CaseProjection project_case(const Workflow& wf, const Case& c, const ClockView& v) {
  CaseProjection p;
  p.state = c.derived.state;
  if (auto* s = wf.state(p.state)) p.stage = s->stage;
  p.outcome = c.derived.outcome;
  p.start_on = v.start_on;
  p.due_on = v.due_on;
  p.provisional = v.provisional;
  p.concluded_on = c.derived.concluded_on;
  p.on_time = v.on_time;
  if (!c.events.empty() && !c.derived.registered_content.empty())
    if (auto* t = field_string(c.events.back().fields, "content"); t && !t->empty())
      p.search_content = c.derived.registered_content + "\n" + c.content;
  return p;
}

CaseView CaseService::view(const Case& c, const Agency& a) const {
  return CaseView{c, compute_clock(cal_, c, clock_.today(), ClockSettings{a.fee_pauses_clock})};
}

// The stored case has the event ids the store assigned. The derived state and clock computed
// before storing stay valid unless a consultation or remedy waits for its id (the id of the
// event that created it): only then is the log folded again.
Result<CaseView> CaseService::settled(Case stored, CaseState derived, const ClockView& clock,
                                      const Context& ctx) {
  auto unnamed = [](const CaseState& d) {
    for (auto& k : d.consultations)
      if (!k.id) return true;
    for (auto& r : d.remedies)
      if (!r.id) return true;
    return false;
  };
  if (!unnamed(derived)) {
    stored.derived = std::move(derived);
    return CaseView{std::move(stored), clock};
  }
  if (Status s = fold(ctx, stored); !s) return s.error();
  ClockView fresh = compute_clock(cal_, stored, clock_.today(), ctx.settings);
  return CaseView{std::move(stored), std::move(fresh)};
}

Result<CaseView> CaseService::register_case(const User& actor, RegistrationRequest req,
                                            const std::string& via) {
  if (req.agency.empty()) {
    if (actor.agencies_visible.size() != 1)
      return make_error(Code::invalid, "agency: 您可办理多个机关的案件，请指定机关", "agency");
    req.agency = actor.agencies_visible.front();
  }
  auto agency = visible_agency(actor, req.agency);
  if (!agency) return agency.error();
  const EventSpec* reg = wf_.event("register");
  if (!reg || !actor_of(actor).has_any(reg->roles))
    return make_error(Code::forbidden, "您没有登记申请的权限");
  auto valid = validate_registration(std::move(req), clock_.today());
  if (!valid) return valid.error();
  if (Status s = check_assignee(valid->agency, valid->assignee); !s) return s.error();
  Case c;
  c.agency = valid->agency;
  c.applicant = valid->applicant;
  c.channel = valid->channel;
  c.received_on = *parse_date(valid->received_on);
  c.content = valid->content;
  c.form = valid->form;
  c.delivery = valid->delivery;
  c.assignee = valid->assignee;
  CaseEvent ev;
  ev.event = "register";
  ev.on = c.received_on;
  ev.by = actor.username;
  ev.at = clock_.now_timestamp();
  c.events.push_back(ev);
  Context ctx = context(*agency);
  if (Status s = fold(ctx, c); !s) return s.error();
  auto v = view(c, *agency);
  std::vector<LetterDraft> drafts;
  if (letters_) {
    auto d = letters_->drafts_for(c, *agency, v.clock, std::nullopt);
    if (!d) return d.error();
    drafts = std::move(*d);
  }
  const AuditNote note{"case.register", via};
  auto stored =
      store_.create_case(c, project_case(wf_, c, v.clock), drafts, via.empty() ? nullptr : &note);
  if (!stored) return stored.error();
  return settled(std::move(*stored), std::move(c.derived), v.clock, ctx);
}

Result<CaseService::Prepared> CaseService::prepare(const User& actor, long long case_id,
                                                   const EventRequest& req,
                                                   long long expected_version) {
  auto c = store_.load_case(case_id);
  if (!c) return c.error().code == Code::not_found ? not_visible() : c.error();
  if (!visible(actor, c->agency)) return not_visible();
  auto agency = store_.agency(c->agency);
  if (!agency) return agency.error();
  if (expected_version && expected_version != c->version)
    return make_error(Code::conflict,
                      "案件已被他人修改（版本 " + std::to_string(c->version) + "），请刷新后重试");
  Context ctx = context(*agency);
  if (Status s = fold(ctx, *c); !s) return s.error();
  auto next = apply_event(ctx, *c, req, actor_of(actor));
  if (!next) return next.error();
  auto v = view(*next, *agency);
  std::vector<LetterDraft> drafts;
  if (letters_) {
    std::optional<Date> due_before;
    if (req.event == "extend") due_before = view(*c, *agency).clock.due_on;
    auto d = letters_->drafts_for(*next, *agency, v.clock, due_before);
    if (!d) return d.error();
    drafts = std::move(*d);
  }
  return Prepared{std::move(*next), std::move(v.clock), std::move(drafts), c->version};
}

Result<CaseService::Check> CaseService::check_event(const User& actor, long long case_id,
                                                    const EventRequest& req) {
  auto p = prepare(actor, case_id, req, 0);
  if (!p) return p.error();
  Check out;
  out.version = p->version;
  for (auto& d : p->drafts) {
    // Rendered with a placeholder where the number will be: a 样稿, never stored.
    auto r = d.render("（确认后编号）", p->next.number);
    out.letters.push_back({d.title, r ? r->html : std::string()});
  }
  return out;
}

Result<CaseView> CaseService::record_event(const User& actor, long long case_id,
                                           const EventRequest& req, long long expected_version,
                                           const std::string& via) {
  auto p = prepare(actor, case_id, req, expected_version);
  if (!p) return p.error();
  auto agency = store_.agency(p->next.agency);
  if (!agency) return agency.error();
  const AuditNote note{"case.event", req.event + " " + via};
  auto stored = store_.append_event(p->next, project_case(wf_, p->next, p->clock), p->version,
                                    p->drafts, via.empty() ? nullptr : &note);
  if (!stored) return stored.error();
  return settled(std::move(*stored), std::move(p->next.derived), p->clock, context(*agency));
}

Result<CaseView> CaseService::show(const User& actor, long long case_id) {
  auto c = store_.load_case(case_id);
  if (!c) return c.error().code == Code::not_found ? not_visible() : c.error();
  if (!visible(actor, c->agency)) return not_visible();
  auto agency = store_.agency(c->agency);
  if (!agency) return agency.error();
  if (Status s = fold(context(*agency), *c); !s) return s.error();
  return view(*c, *agency);
}

Status CaseService::assign(const User& actor, long long case_id, const std::string& assignee,
                           const std::string& via) {
  auto c = store_.load_case(case_id);
  if (!c) return c.error().code == Code::not_found ? not_visible() : c.error();
  if (!visible(actor, c->agency)) return not_visible();
  auto agency = store_.agency(c->agency);
  if (!agency) return agency.error();
  if (Status s = fold(context(*agency), *c); !s) return s;
  if (Status s = may_assign(actor, *c); !s) return s;
  if (Status s = check_assignee(c->agency, assignee); !s) return s;
  if (assignee == c->assignee) return {};  // nothing changes, nothing is recorded
  const std::string detail = (c->assignee.empty() ? "（无）" : c->assignee) + " → " +
                             (assignee.empty() ? "（无）" : assignee) +
                             (via.empty() ? "" : " " + via);
  return store_.assign(case_id, assignee, actor.username, clock_.now_timestamp(),
                       AuditNote{"case.assign", detail});
}

Status CaseService::may_assign(const User& actor, const Case& c) const {
  if (Status s = may(wf_, actor, "case.assign", &c.agency); !s) return s;
  if (auto* st = wf_.state(c.derived.state); st && st->final)
    return make_error(Code::not_allowed, "案件已归档，不能更换承办人");
  return {};
}

std::vector<AssignmentRow> CaseService::assignments(const User& actor, long long case_id) {
  auto c = store_.load_case(case_id);
  if (!c || !visible(actor, c->agency)) return {};
  return store_.assignments(case_id);
}

Result<int> CaseService::refresh_open_cases(bool only_without_due) {
  int n = 0;
  for (long long id :
       only_without_due ? store_.open_case_ids_without_due() : store_.open_case_ids()) {
    auto c = store_.load_case(id);
    if (!c) return c.error();
    auto agency = store_.agency(c->agency);
    if (!agency) return agency.error();
    if (Status s = fold(context(*agency), *c); !s) return s.error();
    auto v = view(*c, *agency);
    if (Status s = store_.update_projection(id, project_case(wf_, *c, v.clock)); !s)
      return s.error();
    ++n;
  }
  return n;
}

}  // namespace ogi
