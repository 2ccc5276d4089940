// The duplicate rule (domain/duplicates.h), table-driven.
#include "domain/duplicates.h"

#include <doctest/doctest.h>

using namespace ogi;

TEST_CASE("duplicate_terms leaves boilerplate and punctuation out") {
  struct Row {
    const char* text;
    std::vector<std::string> terms;
  };
  const Row rows[] = {
      {"申请公开政府信息", {}},  // nothing but boilerplate
      {"示例路拆迁补偿", {"示例路", "例路拆", "路拆迁", "拆迁补", "迁补偿"}},
      {"关于拆迁的补偿", {}},  // "拆迁" and "补偿": two characters each, windows never cross a gap
      {"甲乙丙，丁戊己", {"甲乙丙", "丁戊己"}},          // a comma ends a run
      {"甲乙丙甲乙丙", {"甲乙丙", "乙丙甲", "丙甲乙"}},  // each window once
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    CHECK(duplicate_terms(r.text) == r.terms);
  }
  std::string longtext;
  for (int i = 0; i < 100; ++i) longtext += "abcdefghij"[i % 10];
  CHECK(duplicate_terms(longtext).size() <= 64);
}

TEST_CASE("similar_request needs two shared terms, or all of fewer") {
  struct Row {
    std::vector<std::string> terms;
    const char* earlier;
    bool similar;
  };
  const Row rows[] = {
      {{"示例路", "路拆迁", "拆迁补"}, "示例路的拆迁补偿方案", true},  // two of three
      {{"示例路", "路拆迁", "拆迁补"}, "示例路的绿化方案", false},     // one of three
      {{"示例路"}, "示例路的绿化方案", true},                          // the only term
      {{"示例路"}, "另一条路", false},
      {{}, "任何内容", false},  // no terms: never similar
  };
  for (const auto& r : rows) {
    CAPTURE(r.earlier);
    CHECK(similar_request(r.terms, r.earlier) == r.similar);
  }
}
