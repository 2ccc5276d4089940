// The log line format and the masking of personal numbers (src/log/log.cpp).
#include "log/log.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace ogi;

TEST_CASE("log lines are one JSON object with escaped values") {
  auto line = log::format_line("2026-11-28T08:00:00.000Z", log::Level::warn, "http",
                               {{"route", "/api/v1/cases/{id}"}, {"note", "a \"quoted\"\nline\\"}});
  CHECK(line ==
        "{\"ts\":\"2026-11-28T08:00:00.000Z\",\"level\":\"warn\",\"event\":\"http\",\"route\":\"/"
        "api/v1/cases/{id}\","
        "\"note\":\"a \\\"quoted\\\"\\nline\\\\\"}");
  CHECK(log::format_line("t", log::Level::error, "x", {{"c", std::string(1, '\x01')}})
            .find("\\u0001") != std::string::npos);
}

TEST_CASE("ID numbers, credit codes and mobile numbers are masked wherever they appear") {
  struct Row {
    std::string in, out;
  };
  const std::vector<Row> rows = {
      {"id=11010519491231002X end", "id=****************** end"},
      {"old 110105491231002 id", "old *************** id"},
      {"code 91350100M000100Y43", "code ******************"},
      {"call 13912345678.", "call ***********."},
      {"申请人电话13912345678，", "申请人电话***********，"},
      // Not personal: shorter or longer runs, other leading digits, hashes, dates, case numbers.
      {"case 1234567890", "case 1234567890"},
      {"n=23912345678", "n=23912345678"},
      {"139123456789", "139123456789"},
      {"2026-11-28T08:00:00.000Z", "2026-11-28T08:00:00.000Z"},
      {"sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
       "sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
      {"测试依申〔2024〕第12号", "测试依申〔2024〕第12号"},
  };
  for (auto& r : rows) CHECK_MESSAGE(log::redact(r.in) == r.out, r.in);
}

TEST_CASE("every line goes through the masking, whatever field carries the number") {
  std::vector<std::string> got;
  log::set_sink([&](const std::string& line) { got.push_back(line); });
  log::error("store.failed", {{"message", "duplicate 11010519491231002X / 13912345678"}});
  log::set_sink([](const std::string&) {});
  REQUIRE(got.size() == 1);
  CHECK(got[0].find("11010519491231002X") == std::string::npos);
  CHECK(got[0].find("13912345678") == std::string::npos);
  CHECK(got[0].find("\"event\":\"store.failed\"") != std::string::npos);
}
