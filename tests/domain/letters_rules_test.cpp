// Letter rules of the core (domain/letters.h): the remedy notice by outcome and letter date
// (行政复议法 2023 Art 23 from 2024-01-01), 文号 patterns, template choice, Chinese dates.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "domain/codes.h"
#include "domain/letters.h"
#include "test_data.h"

using namespace ogi;
using test::D;

TEST_CASE("remedy notice: reconsideration first only for refusals dated 2024-01-01 or later") {
  struct Row {
    const char* outcome;
    const char* date;
    RemedyRule want;
  };
  const Row rows[] = {
      {"withheld_process_info", "2023-12-31", RemedyRule::either},
      {"withheld_process_info", "2024-01-01", RemedyRule::reconsideration_first},
      {"withheld_state_secret", "2024-06-30", RemedyRule::reconsideration_first},
      {"withheld_third_party", "2023-01-01", RemedyRule::either},
      {"partially_disclosed", "2023-12-29", RemedyRule::either},
      {"partially_disclosed", "2024-01-02", RemedyRule::reconsideration_first},
      {"disclosed", "2024-05-01", RemedyRule::either},
      {"not_held", "2025-01-01", RemedyRule::either},
      {"needs_creation", "2024-01-01", RemedyRule::either},
      {"no_correction", "2024-03-01", RemedyRule::either},
  };
  for (auto& r : rows) {
    CAPTURE(r.outcome);
    CAPTURE(r.date);
    CHECK(remedy_rule(r.outcome, D(r.date)) == r.want);
  }
  // every withheld_* outcome of domain.md §4 follows the rule
  int withheld = 0;
  for (auto& o : outcomes()) {
    if (!std::string_view(o.code).starts_with("withheld_")) continue;
    ++withheld;
    CHECK(remedy_rule(o.code, D("2024-01-01")) == RemedyRule::reconsideration_first);
    CHECK(remedy_rule(o.code, D("2023-12-31")) == RemedyRule::either);
  }
  CHECK(withheld == 8);
}

TEST_CASE("letter numbers follow the agency pattern per kind") {
  CHECK(letter_number(std::string(kDefaultLetterPattern), "狮府办", "reply", 2024, 12) == "狮府办依申复〔2024〕12号");
  CHECK(letter_number(std::string(kDefaultLetterPattern), "狮府办", "receipt", 2023, 1) == "狮府办依申收〔2023〕1号");
  CHECK(letter_number("{prefix}{kind}字〔{year}〕第{seq}号", "某局", "correction_notice", 2025, 7) == "某局补字〔2025〕第7号");
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
    CHECK(std::find(shipped.begin(), shipped.end(), "reply_" + std::string(o.code)) != shipped.end());
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
