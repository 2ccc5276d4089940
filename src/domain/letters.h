#pragma once
// Rules about letters (文书, domain.md §6) that do not depend on how a letter is rendered: which
// template a kind uses, the remedy notice in force on the letter's date, the 文号 pattern, the
// Chinese date, and the dictionary of fields a template may use (docs/letters.md).

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "domain/case.h"

namespace ogi {

// "2024年3月1日".
std::string chinese_date(const Date& d);

// One-character abbreviation of a letter kind in its 文号 (复 for replies, ...).
std::string_view letter_abbr(std::string_view kind);
// The 文号 from an agency's letter pattern: {prefix} {kind} {year} {seq}.
std::string letter_number(std::string pattern, std::string_view prefix, std::string_view kind,
                          int year, long long seq);
inline constexpr std::string_view kDefaultLetterPattern = "{prefix}依申{kind}〔{year}〕{seq}号";

// The template a letter of `kind` uses for the event at `event_index` of the case (consultation
// letters depend on the party, lapse notices on what lapsed, replies on the outcome).
std::string letter_template(std::string_view kind, const Case& c, size_t event_index);

// The template names the project ships, and the partials (names starting with '_').
std::vector<std::string> shipped_letter_templates();
// The letter kind a template belongs to ("" for partials, which may use every field).
std::string template_kind(std::string_view template_name);
// The template's one Chinese name, as its list shows it ("政府信息公开申请答复书：予以公开").
std::string template_title(std::string_view template_name);

// Field names (dotted) a template of `kind` may use; `lists` maps a list field to the names its
// items carry. An empty kind means "any kind" (partials).
struct FieldDictionary {
  std::set<std::string> values;       // {{name}} and sections on flags
  std::set<std::string> lists;        // {{#list}}…{{/list}}
  std::set<std::string> item_fields;  // names inside a list section
};
FieldDictionary letter_field_dictionary(std::string_view kind);

// Fields that may have no value when a letter is issued (a date the calendar cannot give, an
// optional contact, a tracking number not recorded): a template must use each inside a section
// on it ({{#f}}…{{/f}}) or say what to print without it ({{^f}}…{{/f}}). `ogi templates check`
// reports the templates that do not; issuing a letter whose template prints an absent field is
// refused.
const std::set<std::string>& letter_optional_fields();
// The articles of the Regulation that letters quote word for word: the text of each is workflow
// data (`quote KEY text=…` in workflow/lifecycle.wf), printed by {{law.KEY}}.
const std::vector<std::string>& regulation_quote_keys();
// The Chinese name of a field, for messages ("答复期限截止日").
std::string letter_field_label(std::string_view field);

// The title a letter prints: its kind's label, but a consultation letter's by its addressee
// (征求第三方意见书 for a third party, 征求意见函 for a co-producing agency).
std::string letter_title(const std::string& kind, const std::string& template_name);

}  // namespace ogi
