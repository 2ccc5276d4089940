#include "domain/search.h"

#include <regex>
#include <set>
#include <vector>

#include "base/text.h"
#include "domain/identity.h"

namespace ogi {

namespace {

bool is_space(const std::string& c) {
  return c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u3000";
}

bool is_bracket(const std::string& c) {
  static const std::set<std::string> k = {"[",  "]",  "【", "】", "(",  ")",  "（",
                                          "）", "［", "］", "〔", "〕", "〈", "〉",
                                          "《", "》", "{",  "}",  "｛", "｝"};
  return k.count(c) > 0;
}

// Full-width digits and dashes as ASCII: "２０２６－１４" is "2026-14".
std::string narrow(const std::string& c) {
  if (c.size() == 3 && static_cast<unsigned char>(c[0]) == 0xEF &&
      static_cast<unsigned char>(c[1]) == 0xBC) {
    const unsigned char b = static_cast<unsigned char>(c[2]);
    if (b >= 0x90 && b <= 0x99) return std::string(1, static_cast<char>('0' + (b - 0x90)));
    if (b == 0x8D) return "-";
    if (b == 0x8F) return "/";
  }
  if (c == "—" || c == "–") return "-";
  return c;
}

std::string trim(std::string_view q) {
  auto chars = utf8_chars(q);
  size_t b = 0, e = chars.size();
  while (b < e && is_space(chars[b])) ++b;
  while (e > b && is_space(chars[e - 1])) --e;
  std::string out;
  for (size_t i = b; i < e; ++i) out += chars[i];
  return out;
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

CaseSearch parse_search(std::string_view q, const Date& today) {
  CaseSearch s;
  s.text = trim(q);
  if (s.text.empty()) return s;
  // The compact form: no brackets or spaces, ASCII digits.
  std::string compact;
  for (auto& c : utf8_chars(s.text))
    if (!is_bracket(c) && !is_space(c)) compact += narrow(c);

  if (compact.size() == 18) {
    if (auto id = check_resident_id(compact, today)) {
      s.kind = CaseSearch::Kind::identity;
      s.identity = *id;
      return s;
    }
    if (auto code = check_credit_code(compact)) {
      s.kind = CaseSearch::Kind::identity;
      s.identity = *code;
      return s;
    }
  }

  static const std::regex year_seq(R"(^((?:19|20)[0-9]{2})(?:[-/.]|年)(第)?([0-9]{1,7})(号)?$)");
  static const std::regex seq_only(R"(^(第)?([0-9]{1,7})(号)?$)");
  static const std::regex whole(R"(^(.*[^0-9])((?:19|20)[0-9]{2})(第)?([0-9]{1,7})号$)");
  std::smatch m;
  if (std::regex_match(compact, m, year_seq)) {
    s.kind = CaseSearch::Kind::number;
    s.year = std::stoi(m[1]);
    s.seq = std::stoll(m[3]);
    return s;
  }
  if (std::regex_match(compact, m, seq_only) && (m[1].matched || m[3].matched)) {
    s.kind = CaseSearch::Kind::number;
    s.seq = std::stoll(m[2]);
    return s;
  }
  if (std::regex_match(compact, m, whole)) {
    s.kind = CaseSearch::Kind::number;
    s.year = std::stoi(m[2]);
    s.seq = std::stoll(m[4]);
    s.printed = m[1].str() + "〔" + m[2].str() + "〕" + m[3].str() + m[4].str() + "号";
    return s;
  }

  std::string digits;
  for (char c : compact)
    if (c != '-' && c != '+') digits += c;
  if (digits.size() == 13 && digits.rfind("86", 0) == 0 && compact[0] == '+') digits.erase(0, 2);
  if (all_digits(digits) && digits.size() >= 7 && digits.size() <= 12) {
    s.kind = CaseSearch::Kind::phone;
    s.phone = digits;
    return s;
  }

  s.kind = CaseSearch::Kind::text;
  s.chars = static_cast<int>(utf8_chars(s.text).size());
  return s;
}

std::string describe_search(const CaseSearch& s) {
  switch (s.kind) {
    case CaseSearch::Kind::number:
      if (!s.printed.empty()) return "编号“" + s.printed + "”";
      if (s.year)
        return "申请编号 " + std::to_string(*s.year) + "年第" + std::to_string(*s.seq) + "号";
      return "各年度第" + std::to_string(*s.seq) + "号申请";
    case CaseSearch::Kind::identity:
      return "证件号码或统一社会信用代码";
    case CaseSearch::Kind::phone:
      return "联系电话";
    case CaseSearch::Kind::text:
      return "申请人姓名或申请内容“" + s.text + "”";
    case CaseSearch::Kind::none:
      break;
  }
  return {};
}

std::string search_pairs(std::string_view name, std::string_view content) {
  std::set<std::string> seen;
  std::string out;
  for (std::string_view field : {name, content}) {
    auto chars = utf8_chars(field);
    for (size_t i = 0; i + 1 < chars.size(); ++i) {
      if (is_space(chars[i]) || is_space(chars[i + 1])) continue;
      std::string pair = chars[i] + chars[i + 1];
      if (seen.insert(pair).second) out += pair + "|";
    }
  }
  return out;
}

std::string pair_key(std::string_view two_chars) { return std::string(two_chars) + "|"; }

}  // namespace ogi
