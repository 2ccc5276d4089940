// Letter rules of the core (domain/letters.h): the remedy notice by outcome and letter date
// (行政复议法 2023 Art 23 from 2024-01-01), 文号 patterns, template choice, Chinese dates.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "domain/codes.h"
#include "domain/letters.h"
#include "test_data.h"
#include "workflow/definition.h"

using namespace ogi;
using test::D;

TEST_CASE("remedy notice: which text applies is workflow data, per letter kind, outcome and date") {
  const Workflow& wf = test::workflow();
  struct Row {
    const char* kind;
    const char* outcome;
    const char* date;
    const char* want;
  };
  const Row rows[] = {
      {"reply", "withheld_process_info", "2023-12-31", "either"},
      {"reply", "withheld_process_info", "2024-01-01", "reconsideration_first"},
      {"reply", "withheld_state_secret", "2024-06-30", "reconsideration_first"},
      {"reply", "withheld_third_party", "2023-01-01", "either"},
      {"reply", "partially_disclosed", "2023-12-29", "either"},
      {"reply", "partially_disclosed", "2024-01-02", "reconsideration_first"},
      {"reply", "disclosed", "2024-05-01", "either"},
      {"reply", "already_public", "2025-05-01", "either"},
      // the safe reading: every reply that does not provide the information, and both lapses
      {"reply", "not_held", "2025-01-01", "reconsideration_first"},
      {"reply", "needs_creation", "2024-01-01", "reconsideration_first"},
      {"reply", "not_responsible", "2024-02-01", "reconsideration_first"},
      {"reply", "duplicate", "2023-12-31", "either"},
      {"lapse_notice", "no_correction", "2024-03-01", "reconsideration_first"},
      {"lapse_notice", "fee_unpaid", "2024-03-01", "reconsideration_first"},
      {"lapse_notice", "fee_unpaid", "2023-03-01", "either"},
      {"third_party_notice", "disclosed", "2024-03-01", "either"},
      {"receipt", "", "2024-03-01", "either"},
  };
  for (auto& r : rows) {
    CAPTURE(r.kind);
    CAPTURE(r.outcome);
    CAPTURE(r.date);
    CHECK(wf.remedy_rule(r.kind, r.outcome, D(r.date)) == r.want);
  }
  // every decidable outcome but the two that provide the information goes to reconsideration first
  int first = 0;
  for (auto& o : decidable_outcomes()) {
    const std::string code(o.code);
    const bool provides = code == "disclosed" || code == "already_public";
    CAPTURE(code);
    CHECK(wf.remedy_rule("reply", code, D("2024-01-01")) ==
          (provides ? "either" : "reconsideration_first"));
    CHECK(wf.remedy_rule("reply", code, D("2023-12-31")) == "either");
    first += !provides;
  }
  CHECK(first == static_cast<int>(decidable_outcomes().size()) - 2);
}

TEST_CASE(
    "an agency following the literal reading: only refusals to disclose go to reconsideration "
    "first") {
  const Workflow& wf = test::workflow();
  REQUIRE(wf.remedy_policies().size() == 2);
  CHECK(wf.remedy_policies().front().first == "safe");  // the default
  for (auto& o : decidable_outcomes()) {
    const std::string code(o.code);
    const bool refuses = code.starts_with("withheld_") || code == "partially_disclosed";
    CAPTURE(code);
    CHECK(wf.remedy_rule("reply", code, D("2024-01-01"), "literal") ==
          (refuses ? "reconsideration_first" : "either"));
    CHECK(wf.remedy_rule("reply", code, D("2023-12-31"), "literal") == "either");
    // "" and an unknown reading are the default
    CHECK(wf.remedy_rule("reply", code, D("2024-01-01"), "") ==
          wf.remedy_rule("reply", code, D("2024-01-01"), "safe"));
    CHECK(wf.remedy_rule("reply", code, D("2024-01-01"), "nonsense") ==
          wf.remedy_rule("reply", code, D("2024-01-01")));
  }
  CHECK(wf.remedy_rule("lapse_notice", "no_correction", D("2024-03-01"), "literal") == "either");
  CHECK(wf.remedy_rule("lapse_notice", "no_correction", D("2024-03-01"), "safe") ==
        "reconsideration_first");
  auto bad =
      parse_workflow(test::slurp(std::string(OGI_SOURCE_DIR) + "/workflow/lifecycle.wf") +
                         "remedy reply policy=lenient rule=either basis=x\nremedy_policy nolabel\n",
                     "p.wf");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("unknown remedy_policy 'lenient'") != std::string::npos);
  CHECK(bad.error().message.find("remedy_policy nolabel has no label") != std::string::npos);
}

TEST_CASE("letter numbers follow the agency pattern per kind") {
  CHECK(letter_number(std::string(kDefaultLetterPattern), "狮府办", "reply", 2024, 12) ==
        "狮府办依申复〔2024〕12号");
  CHECK(letter_number(std::string(kDefaultLetterPattern), "狮府办", "receipt", 2023, 1) ==
        "狮府办依申收〔2023〕1号");
  CHECK(letter_number("{prefix}{kind}字〔{year}〕第{seq}号", "某局", "correction_notice", 2025,
                      7) == "某局补字〔2025〕第7号");
  // every kind has its own one-character abbreviation, and they differ
  std::set<std::string> seen;
  for (auto& k : letter_kinds()) {
    CAPTURE(k.code);
    auto a = std::string(letter_abbr(k.code));
    CHECK(!a.empty());
    CHECK(seen.insert(a).second);
  }
}

TEST_CASE("template choice by kind, party, lapse and outcome") {
  Case c;
  CaseEvent consult;
  consult.event = "consult";
  consult.fields["party"] = std::string("agency");
  c.events.push_back(consult);
  CHECK(letter_template("consultation_letter", c, 0) == "consultation_agency");
  c.events[0].fields["party"] = std::string("third_party");
  CHECK(letter_template("consultation_letter", c, 0) == "consultation_third_party");
  c.events[0].event = "fee_lapsed";
  CHECK(letter_template("lapse_notice", c, 0) == "lapse_fee");
  c.events[0].event = "correction_lapsed";
  CHECK(letter_template("lapse_notice", c, 0) == "lapse_correction");
  c.derived.outcome = "not_held";
  CHECK(letter_template("reply", c, 0) == "reply_not_held");
  CHECK(letter_template("receipt", c, 0) == "receipt");
  // every decidable outcome has its reply template among the shipped ones
  auto shipped = shipped_letter_templates();
  for (auto& o : decidable_outcomes()) {
    CAPTURE(o.code);
    CHECK(std::find(shipped.begin(), shipped.end(), "reply_" + std::string(o.code)) !=
          shipped.end());
  }
  CHECK(template_kind("reply_disclosed") == "reply");
  CHECK(template_kind("_remedy").empty());
}

TEST_CASE("Chinese dates and the field dictionary") {
  CHECK(chinese_date(D("2024-03-01")) == "2024年3月1日");
  CHECK(chinese_date(D("2023-12-31")) == "2023年12月31日");
  auto reply = letter_field_dictionary("reply");
  CHECK(reply.values.count("reply.basis"));
  CHECK(reply.values.count("remedy.reconsideration_first"));
  CHECK_FALSE(reply.values.count("correction.days"));
  auto corr = letter_field_dictionary("correction_notice");
  CHECK(corr.lists.count("correction.items"));
  CHECK(corr.item_fields.count("text"));
  auto any = letter_field_dictionary("");
  CHECK(any.values.count("delivery.letter_number"));
}
