// Fuzz target: the JSON bodies of POST /api/v1/cases and POST /api/v1/cases/{id}/events (and of
// `ogi case register|event`), as the server handles them: parse_registration / parse_event
// (src/api/case_json.cpp), then the use case (CaseService: validation, the workflow engine, the
// clock) on an in-memory store, then the response body (case_json or error_json).
//
// Every input is tried as both kinds of body. An event is recorded on four sample cases at
// different stages (registered, fee notice, extended, delivered), so most events can apply.
#include <cstdint>
#include <string>

#include "api/case_json.h"
#include "app/letters.h"
#include "fuzz_fixture.h"

using namespace ogi;

namespace {

struct Fixture {
  const Workflow& wf = test::workflow();
  const Calendar& cal = test::calendar();
  FixedClock clock{fuzz::today()};
  User user = fuzz::everyone();
  std::map<long long, Case> samples;

  Fixture() {
    long long id = 0;
    const Context ctx{wf, cal, clock, ClockSettings{}};
    for (const char* stage : {"receipt", "fee_notice", "extension_notice", "delivery_proof"}) {
      Case c = LetterService::sample_case(stage, "partially_disclosed", 0);
      c.id = ++id;
      c.version = static_cast<long long>(c.events.size());
      if (Status s = fold(ctx, c); !s)
        fuzz::broken("sample case " + std::string(stage) + ": " + s.error().message);
      samples[c.id] = c;
    }
  }
};

// The response body the API would send; it must be serialisable whatever the input held.
void respond(const Result<CaseView>& v, const Workflow& wf) {
  if (v) {
    (void)case_json(*v, wf);
    (void)case_json(*v, wf, CaseJsonOptions{true, true});
  } else {
    (void)error_json(v.error());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fx;
  const std::string body(reinterpret_cast<const char*>(data), size);

  fuzz::MemoryCases store(LetterService::sample_agency());
  store.cases = fx.samples;
  CaseService svc(store, fx.wf, fx.cal, fx.clock);

  auto reg = parse_registration(body);
  if (reg)
    respond(svc.register_case(fx.user, *reg, "fuzz"), fx.wf);
  else
    (void)error_json(reg.error());

  auto ev = parse_event(body);
  if (!ev) {
    (void)error_json(ev.error());
    return 0;
  }
  for (auto& [id, c] : fx.samples)
    respond(svc.record_event(fx.user, id, *ev, c.version, "fuzz"), fx.wf);
  return 0;
}
