#include "domain/identity.h"

#include <doctest/doctest.h>

#include "test_data.h"

using namespace ogi;

TEST_CASE("resident ID numbers (GB 11643)") {
  Date today = test::D("2026-11-28");
  struct Row {
    const char* id;
    bool ok;
  } rows[] = {
      {"11010519491231002X", true},  {"11010519491231002x", true},   // lower-case x normalised
      {"110105194912310021", false},                                 // wrong check digit
      {"11010519491331002X", false},                                 // month 13
      {"1101051949123100", false},   {"11010520991231002X", false},  // short; born in the future
      {"A1010519491231002X", false},
  };
  for (auto& r : rows) CHECK_MESSAGE(check_resident_id(r.id, today).ok() == r.ok, r.id);
  CHECK(*check_resident_id("11010519491231002x", today) == "11010519491231002X");
  CHECK(check_resident_id("110105194912310021", today).error().field == "id_number");
}

TEST_CASE("unified social credit codes (GB 32100)") {
  CHECK(check_credit_code("91350100M000100Y43").ok());
  CHECK(check_credit_code("91350100m000100y43").ok());
  CHECK_FALSE(check_credit_code("91350100M000100Y44").ok());  // check character
  CHECK_FALSE(check_credit_code("91350100M000100Y4").ok());   // length
  CHECK_FALSE(check_credit_code("91350100I000100Y43").ok());  // I is not in the alphabet
}

TEST_CASE("masking keeps head and tail, UTF-8 safe") {
  CHECK(mask_id("11010519491231002X") == "110105********002X");
  CHECK(mask_phone("13800138000") == "138****8000");
  CHECK(mask("张三丰先生", 1, 1) == "张***生");
  CHECK(mask("12", 3, 4) == "**");
}
