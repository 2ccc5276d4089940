// What a search box's text asks for (domain/search.h), table-driven; and the two-character
// index: a pair key is found exactly when the two characters are adjacent in the name or request.
#include "domain/search.h"

#include <doctest/doctest.h>

#include <random>

#include "base/text.h"

using namespace ogi;
using K = CaseSearch::Kind;

namespace {
const Date kToday = Date(2026, 12, 7);
}

TEST_CASE("case and letter numbers in the forms people type") {
  struct Row {
    const char* q;
    std::optional<int> year;
    std::optional<long long> seq;
    const char* printed;
  };
  const Row rows[] = {
      {"示府办依申〔2026〕第14号", 2026, 14, "示府办依申〔2026〕第14号"},
      {"示府办依申[2026]第14号", 2026, 14, "示府办依申〔2026〕第14号"},
      {"示府办依申【2026】第14号", 2026, 14, "示府办依申〔2026〕第14号"},
      {"示府办依申(2026)第14号", 2026, 14, "示府办依申〔2026〕第14号"},
      {"示府办依申（2026）第14号", 2026, 14, "示府办依申〔2026〕第14号"},
      {"示府办依申2026第14号", 2026, 14, "示府办依申〔2026〕第14号"},
      {"  示府办依申 〔2026〕 第14号　", 2026, 14, "示府办依申〔2026〕第14号"},
      {"示府办依申复〔2026〕4号", 2026, 4, "示府办依申复〔2026〕4号"},
      {"示府办依申复〔２０２６〕４号", 2026, 4, "示府办依申复〔2026〕4号"},
      {"2026-14", 2026, 14, ""},
      {"2026年第14号", 2026, 14, ""},
      {"2026/14", 2026, 14, ""},
      {"２０２６－１４", 2026, 14, ""},
      {"第14号", std::nullopt, 14, ""},
      {"第14", std::nullopt, 14, ""},
      {"14号", std::nullopt, 14, ""},
  };
  for (auto& r : rows) {
    CAPTURE(r.q);
    CaseSearch s = parse_search(r.q, kToday);
    CHECK(s.kind == K::number);
    CHECK(s.year == r.year);
    CHECK(s.seq == r.seq);
    CHECK(s.printed == r.printed);
  }
}

TEST_CASE("identities, phones and text") {
  // 11010519491231002X is GB 11643's example; 91350100M000100Y43 a valid credit code.
  CHECK(parse_search("11010519491231002X", kToday).kind == K::identity);
  CHECK(parse_search("11010519491231002x", kToday).identity == "11010519491231002X");
  CHECK(parse_search("91350100M000100Y43", kToday).kind == K::identity);
  // A wrong check character is not an identity: it is searched as text (and finds nothing).
  CHECK(parse_search("110105194912310021", kToday).kind == K::text);  // 18 digits: no phone
  CHECK(parse_search("91350100M000100Y44", kToday).kind == K::text);

  struct Row {
    const char* q;
    const char* digits;
  };
  for (auto r : {Row{"13800001111", "13800001111"}, Row{"138-0000-1111", "13800001111"},
                 Row{"+86 138 0000 1111", "13800001111"}, Row{"0592-5550123", "05925550123"},
                 Row{"5550123", "5550123"}}) {
    CAPTURE(r.q);
    CaseSearch s = parse_search(r.q, kToday);
    CHECK(s.kind == K::phone);
    CHECK(s.phone == r.digits);
  }
  CHECK(parse_search("2026", kToday).kind == K::text);  // a year alone: a word of the request
  CHECK(parse_search("", kToday).kind == K::none);
  CHECK(parse_search("  　", kToday).kind == K::none);
  CaseSearch t = parse_search(" 养老 ", kToday);
  CHECK(t.kind == K::text);
  CHECK(t.text == "养老");
  CHECK(t.chars == 2);
  CHECK(parse_search("拓宽道路", kToday).chars == 4);
}

TEST_CASE("what was searched, said back in Chinese") {
  CHECK(describe_search(parse_search("2026-14", kToday)) == "申请编号 2026年第14号");
  CHECK(describe_search(parse_search("第14号", kToday)) == "各年度第14号申请");
  CHECK(describe_search(parse_search("示府办依申[2026]第14号", kToday)) ==
        "编号“示府办依申〔2026〕第14号”");
  CHECK(describe_search(parse_search("13800001111", kToday)) == "联系电话");
  CHECK(describe_search(parse_search("养老", kToday)) == "申请人姓名或申请内容“养老”");
}

TEST_CASE("a pair key occurs in the pairs exactly when its characters are adjacent") {
  const std::vector<std::string> alphabet = {"养", "老", "拓", "宽", "|",
                                             "a",  "1",  " ",  "王", "五"};
  std::mt19937 rng(20261207);
  for (int round = 0; round < 300; ++round) {
    std::string name, content;
    for (int i = 0; i < 3; ++i) name += alphabet[rng() % alphabet.size()];
    for (int i = 0; i < 12; ++i) content += alphabet[rng() % alphabet.size()];
    const std::string pairs = search_pairs(name, content);
    for (auto& x : alphabet)
      for (auto& y : alphabet) {
        if (x == "|" || y == "|" || x == " " || y == " ") continue;  // never a query's characters
        const std::string q = x + y;
        const bool adjacent =
            name.find(q) != std::string::npos || content.find(q) != std::string::npos;
        CAPTURE(name);
        CAPTURE(content);
        CAPTURE(q);
        CHECK((pairs.find(pair_key(q)) != std::string::npos) == adjacent);
      }
  }
  CHECK(search_pairs("王五", "") == "王五|");
  CHECK(search_pairs("王", "养老 养老") == "养老|");  // each pair once, none across a space
}
