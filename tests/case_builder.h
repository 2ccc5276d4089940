#pragma once
// Drives a case through the engine in memory (no store): register, then events.
#include <doctest/doctest.h>

#include "test_data.h"
#include "workflow/engine.h"

namespace ogi::test {

struct CaseBuilder {
  FixedClock clock{D("2026-11-28")};
  ClockSettings settings{};
  Case c;
  long long next_id = 1;
  Actor all{"tester", {"registrar", "handler", "approver", "office"}};

  Context ctx() const { return Context{workflow(), calendar(), clock, settings}; }

  explicit CaseBuilder(const char* received, const char* type = "natural_person") {
    c.id = 1;
    c.agency = "A1";
    c.applicant.type = type;
    c.applicant.name = "测试";
    c.channel = "in_person";
    c.received_on = D(received);
    CaseEvent reg{next_id++, "register", c.received_on, {}, "tester", ""};
    c.events.push_back(reg);
    bool folded = fold(ctx(), c).ok();  // outside REQUIRE: benchmarks build with doctest disabled
    REQUIRE(folded);
    (void)folded;
  }
  // Applies an event; returns the error (code ok on success).
  Result<Case> try_event(const char* event, const char* on, Fields f = {},
                         const Actor* who = nullptr) {
    EventRequest req{event, D(on), std::move(f)};
    return apply_event(ctx(), c, req, who ? *who : all);
  }
  CaseBuilder& ev(const char* event, const char* on, Fields f = {}) {
    auto r = try_event(event, on, std::move(f));
    REQUIRE_MESSAGE(r.ok(), event << " on " << on << ": " << (r.ok() ? "" : r.error().message));
    c = *r;
    c.events.back().id = next_id++;
    bool folded = fold(ctx(), c).ok();  // ids assigned as the store would
    REQUIRE(folded);
    (void)folded;
    return *this;
  }
  long long last_id() const { return c.events.back().id; }
  ClockView clock_on(const char* today) const {
    return compute_clock(calendar(), c, D(today), settings);
  }
};

}  // namespace ogi::test
