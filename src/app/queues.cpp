#include "app/queues.h"

#include <algorithm>

#include "app/policy.h"
#include "domain/codes.h"

namespace ogi {

NextStep next_step(const Workflow& wf, const Case& c) {
  NextStep n;
  const StateSpec* st = wf.state(c.derived.state);
  if (!st || st->next.empty()) return n;
  n.role = st->next;
  n.role_label = std::string(label_of(roles(), st->next));
  n.todo = st->todo;
  const auto who = assignable_roles(wf);
  n.by_assignee = std::find(who.begin(), who.end(), st->next) != who.end();
  if (n.by_assignee) n.assignee = c.assignee;
  return n;
}

CaseFilter QueueService::filter(const QueueSpec& q, const User& u) const {
  CaseFilter f;
  f.agencies = q.visible_scope ? u.agencies_visible : std::vector<std::string>{u.agency};
  f.open_only = true;
  f.by_due = true;
  f.today = clock_.today();
  if (!q.next.empty()) {
    f.states = wf_.states_next_for(q.next);
    // Concluded states are not open: their step (archiving) is not a queue's.
    std::erase_if(f.states, [&](const std::string& s) {
      auto* st = wf_.state(s);
      return st && st->concluded;
    });
  }
  if (q.who == QueueSpec::Who::assignee) f.assignee = u.username;
  if (q.who == QueueSpec::Who::unassigned) f.assignee = std::string();
  f.overdue_only = q.overdue;
  return f;
}

Result<std::string> QueueService::narrow(CaseFilter& f, const User& u, const std::string& assignee,
                                         const std::string& queue) const {
  if (!assignee.empty())
    f.assignee = assignee == "me" ? u.username : assignee == "none" ? std::string() : assignee;
  if (queue.empty()) return std::string();
  for (const QueueSpec& q : wf_.queues())
    if (q.key == queue && actor_of(u).has_any(q.roles)) {
      CaseFilter whole = filter(q, u);
      whole.q = f.q;
      whole.page = f.page;
      whole.per_page = f.per_page;
      f = std::move(whole);
      return q.label;
    }
  return make_error(Code::invalid, "queue: 没有这一列表，或它不属于您的角色", "queue");
}

Result<std::vector<QueueSection>> QueueService::for_user(const User& u, int shown) {
  std::vector<QueueSection> out;
  if (!allows(wf_, u, "case.read")) return out;
  const Actor me = actor_of(u);
  for (const QueueSpec& q : wf_.queues()) {
    if (!me.has_any(q.roles)) continue;
    QueueSection s;
    s.spec = &q;
    s.filter = filter(q, u);
    CaseFilter page = s.filter;
    page.per_page = shown;
    auto [rows, total] = queries_.list_cases(page);
    s.count = total;
    for (auto& r : rows) {
      auto v = cases_.show(u, r.id);  // the full clock, with the running sub-deadlines
      if (!v) return v.error();
      const Urgency bucket = standing(cal_, v->clock.due_on, clock_.today()).urgency;
      s.items.push_back(DashboardItem{std::move(*v), bucket});
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ogi
