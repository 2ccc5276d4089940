#include <doctest/doctest.h>

#include <set>

#include "case_builder.h"
#include "domain/letters.h"
#include "domain/rules.h"

using namespace ogi;
using test::CaseBuilder;
using test::D;

TEST_CASE("the shipped lifecycle loads and names every contract event") {
  const Workflow& wf = test::workflow();
  for (const char* e :
       {"request_correction", "correction_received", "correction_lapsed", "consult",
        "consultation_replied", "extend", "fee_notice", "fee_paid", "fee_lapsed", "decide",
        "approve", "deliver", "withdraw", "archive", "remedy_filed", "remedy_decided"})
    CHECK_MESSAGE(wf.event(e) != nullptr, e);
  // A freshly registered case accepts these directly (contract.md).
  for (const char* e :
       {"request_correction", "consult", "extend", "fee_notice", "decide", "withdraw"})
    CHECK_MESSAGE(wf.find("registered", e) != nullptr, e);
  CHECK(wf.dot().rfind("digraph", 0) == 0);
}

TEST_CASE("a broken workflow file is refused with every problem and its line") {
  std::string text = test::slurp(std::string(OGI_SOURCE_DIR) + "/workflow/lifecycle.wf");
  text +=
      "transition registered + decide [no_such_guard] = decided\n";  // duplicate + unknown guard
  text += "transition processing + teleport = nowhere\n";
  text += "state limbo stage=review label=悬置\n";  // unreachable, dead end
  text += "event ghost label=幽灵 roles=wizard\n";
  text += "event odd label=怪 roles=handler fields=n:int(9..1)\n";  // an empty range, no label
  text += "field nothing label=无\n";                               // labels no field
  auto r = parse_workflow(text, "bad.wf");
  REQUIRE_FALSE(r.ok());
  const std::string& m = r.error().message;
  for (const char* needle :
       {"unknown guard 'no_such_guard'", "second transition", "unknown state 'nowhere'",
        "'teleport' has no definition", "limbo is unreachable", "unknown role 'wizard'",
        "ghost has no transition", "bad range '9..1' for n", "field n of event odd has no label",
        "field label nothing labels no field"})
    CHECK_MESSAGE(m.find(needle) != std::string::npos, needle);
  CHECK(m.find("bad.wf:") != std::string::npos);
}

TEST_CASE("an int field's range is data: the correction period is 1 to 60 working days") {
  const Workflow& wf = test::workflow();
  const auto* e = wf.event("request_correction");
  REQUIRE(e != nullptr);
  const FieldSpec* days = nullptr;
  for (auto& f : e->fields)
    if (f.name == "days") days = &f;
  REQUIRE(days != nullptr);
  CHECK(days->min == 1);
  CHECK(days->max == 60);
  for (long long n : {0LL, 61LL}) {
    CaseBuilder b("2026-03-02");
    auto r = b.try_event("request_correction", "2026-03-03",
                         {{"items", std::vector<std::string>{"x"}}, {"days", n}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "days: 应为1至60之间的整数");
  }
  for (long long n : {1LL, 60LL}) {
    CaseBuilder b("2026-03-02");
    CHECK(b.try_event("request_correction", "2026-03-03",
                      {{"items", std::vector<std::string>{"x"}}, {"days", n}})
              .ok());
  }
}

TEST_CASE("the Regulation's quoted articles are workflow data, each once, none missing") {
  const Workflow& wf = test::workflow();
  REQUIRE(wf.quotes().size() == regulation_quote_keys().size());
  CHECK(wf.quotes().at("art2").starts_with("本条例所称政府信息，是指"));
  CHECK(wf.quotes().at("art38").find("除依照本条例第三十七条的规定能够作区分处理的外") !=
        std::string::npos);
  std::string text = test::slurp(std::string(OGI_SOURCE_DIR) + "/workflow/lifecycle.wf");
  const size_t at = text.find("quote art38");
  REQUIRE(at != std::string::npos);
  std::string missing = text;
  missing.erase(at, text.find('\n', at) - at);
  auto r =
      parse_workflow(missing + "quote art99 text=无\nquote art2 text=重复\nquote art14\n", "q.wf");
  REQUIRE_FALSE(r.ok());
  for (const char* needle :
       {"no quote art38", "unknown quote 'art99'", "second quote art2", "quote art14 needs text="})
    CHECK_MESSAGE(r.error().message.find(needle) != std::string::npos, needle);
}

TEST_CASE("final states have no exits; exits from concluded states are refused") {
  auto r = parse_workflow(
      "stage s label=S\nstate a stage=s label=A initial\nstate z stage=s label=Z concluded final\n"
      "event go label=走 roles=handler\nevent back label=回 roles=handler\n"
      "transition a + go = z\ntransition z + back = a\n",
      "t.wf");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("final state z has an exit") != std::string::npos);
}

TEST_CASE("engine: role, state, fields, dates, guards") {
  CaseBuilder b("2024-03-01");
  Actor registrar{"r", {"registrar"}};
  auto role =
      b.try_event("decide", "2024-03-05", {{"outcome", std::string("disclosed")}}, &registrar);
  CHECK(role.error().code == Code::forbidden);
  CHECK(b.try_event("deliver", "2024-03-05", {{"method", std::string("post")}}).error().code ==
        Code::not_allowed);
  auto missing = b.try_event("decide", "2024-03-05");
  CHECK(missing.error().code == Code::invalid);
  CHECK(missing.error().field == "outcome");
  auto unknown = b.try_event("decide", "2024-03-05", {{"outcome", std::string("maybe")}});
  CHECK(unknown.error().field == "outcome");
  auto reserved = b.try_event("decide", "2024-03-05", {{"outcome", std::string("withdrawn")}});
  CHECK(reserved.error().field == "outcome");
  auto extra = b.try_event("decide", "2024-03-05",
                           {{"outcome", std::string("disclosed")}, {"outcom", std::string("x")}});
  CHECK(extra.error().field == "outcom");
  CHECK(
      b.try_event("decide", "2026-11-29", {{"outcome", std::string("disclosed")}}).error().field ==
      "on");  // future
  CHECK(
      b.try_event("decide", "2024-02-28", {{"outcome", std::string("disclosed")}}).error().field ==
      "on");  // before receipt
  CHECK(b.try_event("nonsense", "2024-03-05").error().code == Code::invalid);
  // still_unclear needs a correction first.
  CHECK(b.try_event("decide", "2024-03-05",
                    {{"outcome", std::string("still_unclear")}, {"reasons", std::string("经审查")}})
            .error()
            .code == Code::not_allowed);
  b.ev("consult", "2024-03-04",
       {{"party", std::string("third_party")}, {"name", std::string("甲")}});
  // Not served: the 15 days have not started and the decision waits.
  CHECK(b.try_event("decide", "2024-04-30", {{"outcome", std::string("disclosed")}})
            .error()
            .message.find("尚未登记送达") != std::string::npos);
  b.ev("serve_notice", "2024-03-04", {{"method", std::string("direct")}});
  // Open consultation blocks the decision until answered or lapsed.
  CHECK(b.try_event("decide", "2024-03-05", {{"outcome", std::string("disclosed")}}).error().code ==
        Code::not_allowed);
  CHECK(
      b.try_event("decide", "2024-03-01", {{"outcome", std::string("disclosed")}}).error().field ==
      "on");  // before previous
  CHECK(b.try_event("consultation_replied", "2024-03-05",
                    {{"consultation", 999LL}, {"opinion", std::string("agree")}})
            .error()
            .field == "consultation");
  b.ev("decide", "2024-03-26", {{"outcome", std::string("disclosed")}});  // 15 wd lapsed on 03-25
}

TEST_CASE(
    "the elements a reply's article requires: binding on the staff form, listed for the API") {
  CaseBuilder b("2024-03-01");
  const Fields bare{{"outcome", std::string("already_public")}, {"reasons", std::string("经审查")}};
  EventRequest form{"decide", D("2024-03-05"), bare, true};
  auto refused = apply_event(b.ctx(), b.c, form, b.all);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().field == "location");
  CHECK(refused.error().message.find("条例第三十六条第一项") != std::string::npos);
  // the contract's shorter form through the API: accepted, and the reply's gap is listed until
  // issued
  b.ev("decide", "2024-03-05", bare);
  auto missing = missing_elements(test::workflow(), b.c);
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].field == "location");
  b.ev("approve", "2024-03-06");
  CHECK(missing_elements(test::workflow(), b.c).empty());
  // with the element the form accepts it and nothing is missing
  CaseBuilder g("2024-03-01");
  Fields full = bare;
  full["location"] = std::string("http://www.example.gov.cn/xxgk/1.html");
  EventRequest ok{"decide", D("2024-03-05"), full, true};
  auto r = apply_event(g.ctx(), g.c, ok, g.all);
  REQUIRE(r.ok());
  CHECK(missing_elements(test::workflow(), *r).empty());
  // 36(5): the responsible agency only where it can be determined, so not required
  CaseBuilder n("2024-03-01");
  EventRequest nr{"decide",
                  D("2024-03-05"),
                  {{"outcome", std::string("not_responsible")}, {"reasons", std::string("职责")}},
                  true};
  CHECK(apply_event(n.ctx(), n.c, nr, n.all).ok());
}

TEST_CASE("lapses only after the period; withdrawal ends the case") {
  CaseBuilder b("2024-03-01");
  b.ev("request_correction", "2024-03-04",
       {{"items", std::vector<std::string>{"身份证件"}}, {"days", 10LL}});
  // No service recorded: no lapse, however late (domain.md §6 "Served").
  auto unserved = b.try_event("correction_lapsed", "2024-06-18");
  CHECK(unserved.error().code == Code::not_allowed);
  CHECK(unserved.error().message.find("尚未登记送达") != std::string::npos);
  // Served by post, signed for on 03-06; recorded later and dated back (records_past).
  CHECK(
      b.try_event("serve_notice", "2024-03-03", {{"method", std::string("post")}}).error().field ==
      "on");
  CHECK(b.try_event("serve_notice", "2024-03-06", {{"method", std::string("pigeon")}})
            .error()
            .field == "method");
  b.ev("serve_notice", "2024-03-06", {{"method", std::string("post")}});
  CHECK(b.c.derived.correction_served->on == D("2024-03-06"));
  CHECK(b.try_event("serve_notice", "2024-03-07", {{"method", std::string("post")}}).error().code ==
        Code::not_allowed);
  // 10 working days after 03-06 end on 03-20: a lapse on 03-19 or 03-20 is refused.
  CHECK(b.try_event("correction_lapsed", "2024-03-19").error().code == Code::not_allowed);
  auto early = b.try_event("correction_lapsed", "2024-03-20");
  CHECK(early.error().message.find("2024-03-20") != std::string::npos);
  b.ev("correction_lapsed", "2024-03-21");
  CHECK(b.c.derived.outcome == "no_correction");
  CHECK(b.c.derived.state == "closed");
  CHECK(format_date(*b.c.derived.concluded_on) == "2024-03-21");
  b.ev("archive", "2024-03-21");
  CHECK(b.c.derived.state == "archived");
  b.ev("remedy_filed", "2024-04-01", {{"kind", std::string("reconsideration")}});
  long long rid = b.last_id();
  b.ev("remedy_decided", "2024-05-01", {{"remedy", rid}, {"result", std::string("upheld")}});
  CHECK(b.c.derived.remedies.at(0).result == "upheld");
  CHECK(b.try_event("remedy_decided", "2024-05-02",
                    {{"remedy", rid}, {"result", std::string("other")}})
            .error()
            .code == Code::not_allowed);

  CaseBuilder w("2024-03-01");
  w.ev("withdraw", "2024-03-02");
  CHECK(w.c.derived.outcome == "withdrawn");
  CHECK(w.try_event("decide", "2024-03-03", {{"outcome", std::string("disclosed")}}).error().code ==
        Code::not_allowed);
}

TEST_CASE("fee notice: the per-page amount is proposed; per-application needs the amount") {
  CaseBuilder b("2024-03-01");
  CHECK(b.try_event("fee_notice", "2024-03-04", {{"method", std::string("per_page")}})
            .error()
            .field == "pages");
  CHECK(b.try_event("fee_notice", "2024-03-04", {{"method", std::string("per_application")}})
            .error()
            .field == "amount");
  b.ev("fee_notice", "2024-03-04", {{"method", std::string("per_page")}, {"pages", 80LL}});
  CHECK(b.c.derived.fee_amount == 500);
  CHECK(b.c.derived.state == "awaiting_fee");
  // A second notice is refused; lapse only after 20 working days.
  // The 20 days to pay run from service; unserved, the fee cannot lapse.
  CHECK(b.try_event("fee_lapsed", "2024-08-01").error().message.find("收费通知书尚未登记送达") !=
        std::string::npos);
  b.ev("serve_notice", "2024-03-05", {{"method", std::string("electronic")}});
  CHECK(b.c.derived.fee_served->method == "electronic");
  CHECK(b.try_event("fee_lapsed", "2024-04-02").error().message.find("2024-04-02") !=
        std::string::npos);  // 20 wd after 03-05
  b.ev("fee_paid", "2024-03-05");
  CHECK(b.try_event("fee_notice", "2024-03-06",
                    {{"method", std::string("per_page")}, {"pages", 40LL}})
            .error()
            .code == Code::not_allowed);
}

TEST_CASE("every guard and action function is named by the lifecycle, and every name has one") {
  const Workflow& wf = test::workflow();
  std::set<std::string> guards_used, actions_used;
  for (auto& t : wf.transitions()) guards_used.insert(t.guards.begin(), t.guards.end());
  for (auto& e : wf.events())
    for (auto& a : e.actions) actions_used.insert(a.name);
  for (auto g : guard_names())
    CHECK_MESSAGE(guards_used.count(std::string(g)), "guard never used: ", g);
  for (auto a : action_names())
    CHECK_MESSAGE(actions_used.count(std::string(a)), "action never used: ", a);
  for (auto& g : guards_used) CHECK_MESSAGE(is_known_guard(g), "no function for guard ", g);
  for (auto& a : actions_used) CHECK_MESSAGE(is_known_action(a), "no function for action ", a);
  CHECK_FALSE(guard_names().empty());
  CHECK_FALSE(action_names().empty());
}

TEST_CASE(
    "收到补正材料 may restate the content: the case reads the corrected text, the log keeps the "
    "registered one") {
  CaseBuilder b("2026-03-02");
  b.c.content = "申请公开某文件";
  b.ev("request_correction", "2026-03-03", {{"items", std::vector<std::string>{"所需信息的名称"}}});
  SUBCASE("without a new content nothing changes") {
    b.ev("correction_received", "2026-03-05", {{"supplied", std::string("补充了联系电话")}});
    CHECK(b.c.content == "申请公开某文件");
    CHECK(b.c.derived.registered_content.empty());
  }
  SUBCASE("with one, the content is the corrected text, folding again gives the same") {
    b.ev("correction_received", "2026-03-05",
         {{"supplied", std::string("补充了文件名称")},
          {"content", std::string("申请公开2025年度某项目的批复文件")}});
    CHECK(b.c.content == "申请公开2025年度某项目的批复文件");
    CHECK(b.c.derived.registered_content == "申请公开某文件");
    for (int i = 0; i < 2; ++i) {  // the store folds what it loads, the service folds again
      REQUIRE(fold(b.ctx(), b.c).ok());
      CHECK(b.c.content == "申请公开2025年度某项目的批复文件");
      CHECK(b.c.derived.registered_content == "申请公开某文件");
    }
    CHECK(b.c.derived.state == "processing");
  }
}

TEST_CASE("the numbered and irreversible acts ask for a confirmation (workflow data)") {
  const Workflow& wf = test::workflow();
  for (const char* e : {"request_correction", "extend", "approve", "deliver", "archive"})
    CHECK_MESSAGE(wf.event(e)->confirm, e);
  for (const char* e : {"register", "decide", "consult", "correction_received", "withdraw"})
    CHECK_FALSE_MESSAGE(wf.event(e)->confirm, e);
  std::string text = test::slurp(std::string(OGI_SOURCE_DIR) + "/workflow/lifecycle.wf");
  text += "event odd2 label=怪 roles=handler confrim\n";  // a misspelt flag is refused
  auto r = parse_workflow(text, "bad.wf");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("unexpected word 'confrim' in event odd2") != std::string::npos);
}

TEST_CASE("the diagram people read speaks Chinese: no guard codes, loops listed in their box") {
  const std::string d = test::workflow().diagram_dot();
  CHECK(d.find("consultations_settled") == std::string::npos);
  CHECK(d.find("↻ 延期答复") != std::string::npos);
  CHECK(d.find("← 申请人撤回（此前各阶段均可）") != std::string::npos);
  CHECK(d.find("-> closed [label=\"申请人撤回\"]") ==
        std::string::npos);  // noted once, not drawn 5×
  CHECK(test::workflow().dot().find("consultations_settled") != std::string::npos);
}
