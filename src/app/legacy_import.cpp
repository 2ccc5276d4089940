#include "app/legacy_import.h"

#include <vector>

#include "domain/codes.h"

namespace ogi {

Result<Case> legacy_history(const Context& ctx, Case c, const std::string& outcome, const Date& concluded,
                            const std::string& method, const Actor& actor) {
  if (outcome.empty()) return c;
  if (!find_outcome(outcome)) return make_error(Code::invalid, "outcome: 未知的答复类型“" + outcome + "”", "outcome");
  const Fields noted_items{{"items", std::vector<std::string>{"（历史台账导入）"}}};
  std::vector<EventRequest> steps;
  if (outcome == "withdrawn") {
    steps = {{"withdraw", concluded, {}}};
  } else if (outcome == "no_correction") {  // the notice on receipt; the lapse once the period is over
    // The ledger records that the period ran out; it was served on the day the notice went out.
    steps = {{"request_correction", c.received_on, noted_items},
             {"serve_notice", c.received_on, {{"method", std::string("direct")}}},
             {"correction_lapsed", concluded, {}}};
  } else if (outcome == "fee_unpaid") {
    steps = {{"fee_notice", c.received_on, {{"method", std::string("per_application")}, {"amount", 100LL}}},
             {"serve_notice", c.received_on, {{"method", std::string("direct")}}},
             {"fee_lapsed", concluded, {}}};
  } else {  // a reply: decided, signed and delivered on the conclusion date
    if (outcome == "still_unclear")
      steps = {{"request_correction", c.received_on, noted_items}, {"correction_received", c.received_on, {}}};
    // A ledger row has no reasons column: the reply's reasons stay in the paper file.
    steps.push_back({"decide", concluded, {{"outcome", outcome}, {"reasons", std::string("（历史台账导入，理由见原答复书）")}}});
    steps.push_back({"approve", concluded, {}});
    steps.push_back({"deliver", concluded, {{"method", method}}});
  }
  for (auto& ev : steps) {
    auto next = apply_event(ctx, c, ev, actor);
    if (!next) return next.error();
    c = std::move(*next);
  }
  return c;
}

}  // namespace ogi
