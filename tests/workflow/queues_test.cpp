// 我的待办 as workflow data: the `queue` lines and the states' next=/todo= (issue 15 §2).
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "case_builder.h"
#include "domain/codes.h"

using namespace ogi;
using test::CaseBuilder;

namespace {
const QueueSpec* queue(const Workflow& wf, const std::string& key) {
  for (auto& q : wf.queues())
    if (q.key == key) return &q;
  return nullptr;
}
bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}
}  // namespace

TEST_CASE("every open state names who acts next; the queues cover every role that reads cases") {
  const Workflow& wf = test::workflow();
  for (auto& s : wf.states()) {
    if (s.initial || s.final) continue;
    CHECK_MESSAGE(!s.next.empty(), s.key);
    CHECK_MESSAGE(!s.todo.empty(), s.key);
    // The role named next may record at least one event that leaves or stays in the state.
    bool acts = false;
    for (auto& t : wf.transitions())
      if (t.from == s.key)
        if (auto* e = wf.event(t.event)) acts |= has(e->roles, s.next);
    CHECK_MESSAGE(acts, s.key << ": " << s.next << " has nothing to do there");
  }
  CHECK(wf.state("archived")->next.empty());
  const Permission* read = wf.permission("case.read");
  REQUIRE(read);
  for (auto& role : read->roles) {
    bool covered = false;
    for (auto& q : wf.queues()) covered |= has(q.roles, role);
    CHECK_MESSAGE(covered, role << " has no section in 我的待办");
  }
  const QueueSpec* mine = queue(wf, "mine");
  REQUIRE(mine);
  CHECK(mine->who == QueueSpec::Who::assignee);
  CHECK(has(wf.states_next_for(mine->next), "processing"));
  const QueueSpec* sign = queue(wf, "to_sign");
  REQUIRE(sign);
  CHECK(wf.states_next_for(sign->next) == std::vector<std::string>{"decided"});
  const QueueSpec* supervised = queue(wf, "supervised");
  REQUIRE(supervised);
  CHECK(supervised->visible_scope);
  CHECK(supervised->overdue);
  CHECK(wf.permission("case.assign"));
}

TEST_CASE("a broken queue or next line is refused with its line") {
  const std::string base = test::slurp(std::string(OGI_SOURCE_DIR) + "/workflow/lifecycle.wf");
  struct Bad {
    const char* line;
    const char* needle;
  };
  for (Bad b :
       {Bad{"queue q1 roles=wizard label=甲", "unknown role 'wizard' in queue q1"},
        Bad{"queue q2 roles=handler who=everyone label=乙", "who= must be assignee"},
        Bad{"queue q3 roles=handler colour=red label=丙", "unknown attribute 'colour'"},
        Bad{"queue q4 roles=handler", "queue q4 has no label"},
        Bad{"queue q5 label=丁", "queue q5 names no roles"},
        Bad{"queue q6 roles=handler urgent label=戊", "unknown flag 'urgent'"},
        Bad{"queue q7 roles=admin next=admin label=己", "no state has next=admin"},
        Bad{"queue mine roles=handler label=庚", "second queue mine"},
        Bad{"queue q8 roles=handler scope=all label=辛", "scope must be visible"},
        Bad{"state limbo2 stage=review label=悬 next=handler", "next= and todo= go together"},
        Bad{"state limbo3 stage=review label=悬 next=ghost todo=做", "unknown role 'ghost'"}}) {
    auto r = parse_workflow(base + b.line + "\n", "q.wf");
    REQUIRE_FALSE_MESSAGE(r.ok(), b.line);
    CHECK_MESSAGE(r.error().message.find(b.needle) != std::string::npos,
                  b.line << " → " << r.error().message);
    CHECK(r.error().message.find("q.wf:") != std::string::npos);
  }
}

TEST_CASE("the correction-notice window is shown only while the application is under review") {
  auto running = [](const Case& c, const ogi::Date& today) {
    ClockView v = compute_clock(test::calendar(), c, today, {});
    for (auto& s : v.sub_deadlines)
      if (s.kind == "correction_notice") return s.running;
    return false;
  };
  CaseBuilder b("2026-03-02");
  CHECK(running(b.c, test::D("2026-03-04")));
  b.ev("consult", "2026-03-03",
       {{"party", std::string("third_party")}, {"name", std::string("甲公司")}});
  CHECK_FALSE(running(b.c, test::D("2026-03-04")));  // processing has begun: no red line
  CaseBuilder f("2026-03-02");
  f.ev("fee_notice", "2026-03-03", {{"method", std::string("per_application")}, {"amount", 100LL}});
  CHECK_FALSE(running(f.c, test::D("2026-03-04")));
}
