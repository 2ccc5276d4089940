// The code tables are data (workflow/codes.tbl): the embedded file is valid and agrees with
// domain.md; a broken file is refused with its line.
#include "domain/codes.h"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

using namespace ogi;

namespace {
std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("the embedded code tables are the file in workflow/ and are valid") {
  CHECK(check_code_tables() == "");
  CHECK(std::string(embedded_code_tables()) == read(OGI_SOURCE_DIR "/workflow/codes.tbl"));
}

TEST_CASE("outcomes and their table-3 rows agree with domain.md §4") {
  const std::string md = read(OGI_SHARED_DIR "/spec/domain.md");
  REQUIRE(!md.empty());
  // | `code` [/ `code`] | meaning | basis | ROW ... |
  std::regex row_re(R"(\n\| ((?:`[a-z_]+`(?: / )?)+) \|[^|\n]*\|[^|\n]*\| ([0-9.]+) )");
  std::map<std::string, std::string> expected;
  for (auto it = std::sregex_iterator(md.begin(), md.end(), row_re); it != std::sregex_iterator();
       ++it) {
    std::string codes = (*it)[1], row = (*it)[2];
    std::regex code_re("`([a-z_]+)`");
    for (auto c = std::sregex_iterator(codes.begin(), codes.end(), code_re);
         c != std::sregex_iterator(); ++c)
      expected[(*c)[1]] = row;
  }
  REQUIRE(expected.size() == 24);
  CHECK(outcomes().size() == expected.size());
  for (auto& o : outcomes()) {
    CAPTURE(o.code);
    REQUIRE(expected.count(std::string(o.code)));
    CHECK(expected[std::string(o.code)] == o.row);
    CHECK(!o.label.empty());
  }
  // The lifecycle records the lapses and the withdrawal; a handler cannot `decide` them.
  for (auto code : {"no_correction", "fee_unpaid", "withdrawn"})
    CHECK(!is_code(decidable_outcomes(), code));
  CHECK(decidable_outcomes().size() == outcomes().size() - 3);
}

TEST_CASE("applicant types are table three's columns in domain.md's order") {
  const std::string md = read(OGI_SHARED_DIR "/spec/domain.md");
  auto at = md.find("Applicant types");
  REQUIRE(at != std::string::npos);
  const std::string para = md.substr(at, md.find("- Required", at) - at);
  std::regex code_re("`([a-z_]+)`\\s+([^ ,.;\\n]+)");
  std::vector<std::pair<std::string, std::string>> want;
  for (auto c = std::sregex_iterator(para.begin(), para.end(), code_re);
       c != std::sregex_iterator(); ++c)
    want.emplace_back((*c)[1], (*c)[2]);
  REQUIRE(want.size() == 6);
  REQUIRE(applicant_types().size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    CHECK(applicant_types()[i].code == want[i].first);
    CHECK(applicant_types()[i].label == want[i].second);
  }
}

TEST_CASE("every channel has the phrase its letters use; labels are one wording") {
  for (auto& c : channels()) CHECK(!c.phrase.empty());
  CHECK(label_of(delivery_methods(), "post") == "邮寄");
  CHECK(label_of(letter_fields(), "case.due_on") == "答复期限截止日");
  CHECK(code_table("channels").size() == channels().size());
  CHECK(code_table("audit_actions").empty());  // not a form's choice
  CHECK(code_table("no_such_table").empty());
}

TEST_CASE("a broken codes file is refused with its line") {
  const std::string good(embedded_code_tables());
  struct Case {
    std::string text, contains;
  };
  const Case cases[] = {
      {good + "\ntable roles\nx 某\n", "代码表 roles 重复定义"},
      {good + "\ntable extra\nCapital 某\n", "只能由小写字母"},
      {good + "\ntable extra\nx 某\nx 某某\n", "代码 x 重复"},
      {good + "\ntable extra\nx\n", "缺少中文名称"},
      {good + "\ntable extra\nx 某 colour=red\n", "未知的属性 colour"},
      {good + "\ntable extra\nx 某 hint\n", "应为“键=值”"},
      {"x 某\n", "缺少“table 表名”"},
      {"table roles\nregistrar 登记员\n", "缺少代码表 applicant_types"},
  };
  for (auto& c : cases) {
    CAPTURE(c.text.substr(c.text.size() > 40 ? c.text.size() - 40 : 0));
    const std::string p = validate_code_tables(c.text);
    CHECK(p.find(c.contains) != std::string::npos);
  }
  // The line is named: the duplicate row is the file's last line.
  const std::string dup = good + "\ntable extra\nx 某\nx 某某\n";
  int lines = 0;
  for (char ch : dup) lines += ch == '\n';
  CHECK(validate_code_tables(dup).find("第 " + std::to_string(lines) + " 行") == 0);
  // An outcome without its table-3 row.
  std::string no_row = good;
  const std::string row = " row=3.5.4";
  no_row.erase(no_row.find(row), row.size());
  CHECK(validate_code_tables(no_row).find("excessive 缺少 row=") != std::string::npos);
}
