#include "domain/clock.h"

#include <doctest/doctest.h>

#include "case_builder.h"

using namespace ogi;
using test::CaseBuilder;
using test::D;

TEST_CASE("reply period: 20 working days strictly after receipt") {
  CaseBuilder b("2024-03-01");
  auto v = b.clock_on("2024-03-05");
  REQUIRE(v.due_on);
  CHECK(format_date(*v.due_on) == "2024-03-29");
  CHECK(v.explanation == "收到申请 2024-03-01 起 20 个工作日 → 2024-03-29");
  CHECK(*v.days_left == 18);
  CHECK_FALSE(v.overdue);
  CHECK(b.clock_on("2024-04-01").overdue);
  CHECK(*b.clock_on("2024-03-29").days_left == 0);
}

TEST_CASE("correction: clock waits, then restarts on the corrected application") {
  CaseBuilder b("2024-03-01");
  b.ev("request_correction", "2024-03-05", {{"items", std::vector<std::string>{"请明确信息名称"}}});
  auto w = b.clock_on("2024-03-06");
  CHECK_FALSE(w.due_on);
  CHECK(w.due_note.find("补正") != std::string::npos);
  auto correction = [&](const ClockView& v) -> const SubDeadline* {
    for (auto& d : v.sub_deadlines)
      if (d.kind == "correction") return &d;
    return nullptr;
  };
  // The applicant's period runs from service (domain.md §6): none recorded, no end date.
  REQUIRE(correction(w));
  CHECK_FALSE(correction(w)->due_on);
  CHECK(correction(w)->awaiting_service);
  CHECK(correction(w)->running);
  CHECK_FALSE(correction(b.clock_on("2024-09-01"))->lapsed);
  b.ev("serve_notice", "2024-03-07", {{"method", std::string("post")}});  // signed for on 03-07
  auto served = b.clock_on("2024-03-08");
  REQUIRE(correction(served));
  CHECK(format_date(*correction(served)->due_on) == "2024-03-28");  // 15 working days after 03-07
  CHECK(format_date(*correction(served)->from) == "2024-03-07");
  CHECK_FALSE(correction(served)->awaiting_service);
  b.ev("correction_received", "2024-03-12");
  auto v = b.clock_on("2024-03-13");
  CHECK(format_date(*v.due_on) == "2024-04-10");  // 20 wd after 03-12 (清明 04-04..06)
  CHECK(v.explanation.rfind("收到补正材料 2024-03-12", 0) == 0);
}

TEST_CASE("consultations pause as the union of their intervals") {
  CaseBuilder b("2024-03-01");
  b.ev("consult", "2024-03-04",
       {{"party", std::string("third_party")}, {"name", std::string("甲公司")}});
  long long k1 = b.last_id();
  b.ev("consult", "2024-03-06", {{"party", std::string("agency")}, {"name", std::string("乙局")}});
  long long k2 = b.last_id();
  // Open pause: provisional.
  auto p = b.clock_on("2024-03-07");
  CHECK(p.provisional);
  b.ev("consultation_replied", "2024-03-08",
       {{"consultation", k1}, {"opinion", std::string("agree")}});
  b.ev("consultation_replied", "2024-03-11",
       {{"consultation", k2}, {"opinion", std::string("object")}});
  auto v = b.clock_on("2024-03-12");
  CHECK_FALSE(v.provisional);
  // Paused: (03-04, 03-11] = 03-05, 06, 07, 08, 11 = 5 working days, not 3 + 4.
  CHECK(v.paused_days == 5);
  CHECK(format_date(*v.due_on) ==
        "2024-04-08");  // 03-29 + 5 wd: 04-01,02,03, 04-07 (Sunday make-up), 04-08
  CHECK(v.explanation.find("征求意见暂停 5 个工作日") != std::string::npos);
}

TEST_CASE("an unanswered consultation stops pausing once its 15 days from service lapse") {
  CaseBuilder b("2024-03-01");
  b.ev("consult", "2024-03-04",
       {{"party", std::string("third_party")}, {"name", std::string("甲公司")}});
  long long k = b.last_id();
  // Not served: the 15 days have not started, the pause stays open.
  auto open = b.clock_on("2024-06-01");
  CHECK(open.provisional);
  CHECK(open.pause_open);
  b.ev("serve_notice", "2024-03-06", {{"consultation", k}, {"method", std::string("electronic")}});
  auto v = b.clock_on("2024-06-01");
  CHECK_FALSE(v.provisional);
  // Paused from sending: (03-04, 03-27], 03-27 being the 15th working day after service on 03-06.
  CHECK(v.paused_days == 17);
}

TEST_CASE("fee period pauses by default, and not when the agency turns it off") {
  CaseBuilder b("2024-03-01");
  b.ev("fee_notice", "2024-03-04",
       {{"method", std::string("per_page")}, {"pages", 80LL}, {"amount", 500LL}});
  b.ev("fee_paid", "2024-03-08");
  CHECK(b.clock_on("2024-03-11").paused_days == 4);
  b.settings.fee_pauses_clock = false;
  auto v = b.clock_on("2024-03-11");
  CHECK(v.paused_days == 0);
  CHECK(format_date(*v.due_on) == "2024-03-29");
}

TEST_CASE("extension: +20 working days, once, only before the due date") {
  CaseBuilder b("2024-03-01");
  CHECK(b.try_event("extend", "2024-04-01", {{"reason", std::string("x")}}).error().code ==
        Code::not_allowed);
  b.ev("extend", "2024-03-29", {{"reason", std::string("需要协调")}});
  auto v = b.clock_on("2024-04-01");
  CHECK(v.period_days == 40);
  CHECK(format_date(*v.due_on) == "2024-04-28");  // Sunday make-up day for 劳动节
  CHECK(v.explanation.find("延期 20 个工作日") != std::string::npos);
  auto again = b.try_event("extend", "2024-04-02", {{"reason", std::string("x")}});
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message.find("只能一次") != std::string::npos);
}

TEST_CASE("on time is judged by the delivery date") {
  for (auto [deliver, on_time] : {std::pair{"2024-03-29", true}, std::pair{"2024-04-01", false}}) {
    CaseBuilder b("2024-03-01");
    b.ev("decide", "2024-03-20", {{"outcome", std::string("disclosed")}});
    b.ev("approve", "2024-03-21");
    b.ev("deliver", deliver, {{"method", std::string("post")}});
    auto v = b.clock_on("2024-06-01");
    REQUIRE(v.on_time.has_value());
    CHECK(*v.on_time == on_time);
    CHECK_FALSE(v.overdue);
  }
}

TEST_CASE("due date unknown outside the calendar, with the reason") {
  CaseBuilder b("2026-12-20");
  auto v = b.clock_on("2026-12-21");
  CHECK_FALSE(v.due_on);
  CHECK(v.due_note.find("2026") != std::string::npos);
}

TEST_CASE("standing: one rule for overdue, working days left and the urgency bucket") {
  struct Row {
    const char* due;  // "" = no due date
    const char* today;
    bool overdue;
    int left;  // -1 = none
    Urgency urgency;
  };
  const Row rows[] = {
      {"2024-03-29", "2024-03-26", false, 3, Urgency::due3},
      {"2024-03-29", "2024-03-20", false, 7, Urgency::due7},
      {"2024-03-29", "2024-03-19", false, 8, Urgency::later},
      {"2024-03-29", "2024-03-29", false, 0, Urgency::due3},     // due today: not late yet
      {"2024-03-29", "2024-03-30", true, -1, Urgency::overdue},  // the day after, a Saturday
      {"2024-04-08", "2024-04-03", false, 2, Urgency::due3},  // 清明 2024: 4–6 off, Sunday 7 worked
      {"", "2024-03-26", false, -1, Urgency::unknown},
  };
  for (auto& r : rows) {
    CAPTURE(r.due);
    CAPTURE(r.today);
    const std::optional<Date> due = *r.due ? std::optional<Date>(D(r.due)) : std::nullopt;
    const Standing st = standing(test::calendar(), due, D(r.today));
    CHECK(st.overdue == r.overdue);
    CHECK(st.days_left.value_or(-1) == r.left);
    CHECK(st.urgency == r.urgency);
  }
  CHECK(std::string(urgency_key(Urgency::due7)) == "due7");
  CHECK(std::string(urgency_key(Urgency::unknown)) == "unknown");
}
