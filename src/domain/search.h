#pragma once
// What the text in a search box asks for (issue 15 §1): people quote a case by what is printed on
// their papers — the case number as printed or half remembered (示府办依申〔2026〕第14号,
// with [] 【】 () for 〔〕, without brackets, "第14号", "2026-14"), a letter's number (its case),
// an ID number or credit code, a phone number — or by a name or a word of the request, from two
// characters. `parse_search` decides which; the store looks it up through the matching index.

#include <optional>
#include <string>
#include <string_view>

#include "base/date.h"

namespace ogi {

struct CaseSearch {
  enum class Kind { none, number, identity, phone, text };
  Kind kind = Kind::none;
  std::string text;  // the query, trimmed (the text searched, and what the page shows back)
  // Kind::number: the year and sequence number (year absent for "第14号"), and, when the query
  // names the whole number, that number as printed (its year in 〔〕, ASCII digits): a case's or
  // a letter's.
  std::optional<int> year;
  std::optional<long long> seq;
  std::string printed;
  std::string identity;  // Kind::identity: the ID number or credit code, normalised
  std::string phone;     // Kind::phone: the digits
  int chars = 0;         // Kind::text: characters in `text`
};

CaseSearch parse_search(std::string_view q, const Date& today);

// What was searched, for the page ("申请编号 2026年第14号", "证件号码", "联系电话 138…").
std::string describe_search(const CaseSearch& s);

// The two-character index of a case (names and request words of two characters, which a trigram
// index cannot answer): every pair of adjacent characters of `name` and `content` followed by
// '|', each pair once. A query of two characters XY is then the three-character "XY|", which
// only a real pair matches: the text is units of three characters whose third is always '|', so
// X followed by Y occurs only as a unit's first two.
std::string search_pairs(std::string_view name, std::string_view content);
// The pair key of a two-character query ("养老" → "养老|").
std::string pair_key(std::string_view two_chars);

}  // namespace ogi
