#pragma once
// The stable codes of domain.md (applicant types, channels, outcomes, roles, ...) with their
// Chinese labels and, for outcomes, the legal basis and the row of the annual report's table 3.
// The tables are data: workflow/codes.tbl, embedded at build time and parsed on first use;
// `check_code_tables()` is called at start so a broken file stops the program with its line.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ogi {

struct CodeLabel {
  std::string_view code;
  std::string_view label;      // the one wording, in forms, letters and lists alike
  std::string_view hint = {};  // a form adds it in brackets: "邮寄（交邮之日）"
  std::string_view phrase = {};  // channels: how a letter says it, "您通过网络平台提交的申请"
};

struct OutcomeInfo {
  std::string_view code;
  std::string_view label;
  std::string_view basis;  // the article the reply letter cites
  std::string_view row;    // table-3 row key (2021 format)
};

std::span<const CodeLabel> applicant_types();  // the six columns of table 3, in order
std::span<const CodeLabel> channels();
std::span<const CodeLabel> roles();
std::span<const CodeLabel> id_types();
std::span<const CodeLabel> forms();             // paper, electronic, ...
std::span<const CodeLabel> delivery_wanted();   // how the applicant wants to receive
std::span<const CodeLabel> delivery_methods();  // how the reply was delivered
std::span<const CodeLabel> agency_kinds();      // what an agency is (its reconsideration body)
std::span<const CodeLabel> service_methods();   // how a notice was served (its period starts then)
std::span<const CodeLabel> served_notices();    // the notices whose service starts a period
std::span<const CodeLabel> parties();           // consultation parties
std::span<const CodeLabel> opinions();
std::span<const CodeLabel> remedy_kinds();
std::span<const CodeLabel> remedy_results();
std::span<const OutcomeInfo> outcomes();

const OutcomeInfo* find_outcome(std::string_view code);
// Label of `code` in `table`, or empty when unknown.
std::string_view label_of(std::span<const CodeLabel> table, std::string_view code);
bool is_code(std::span<const CodeLabel> table, std::string_view code);
// "a, b, c" — for error messages listing the allowed codes.
std::string list_codes(std::span<const CodeLabel> table);

bool is_organisation(std::string_view applicant_type);

// The text of workflow/codes.tbl (generated at build time from the file).
std::string_view embedded_code_tables();
// Parses and validates a codes file: every table this program needs is present, codes are unique
// and snake_case, outcomes carry a table-3 row. Empty when fine, else "第 N 行：…" (its line).
std::string validate_code_tables(std::string_view text);
// The embedded tables' problem, or empty (called at start; the tables are then safe to use).
std::string check_code_tables();

}  // namespace ogi

namespace ogi {
// Tables addressable by name from workflow data (`code(TABLE)` field types).
std::span<const CodeLabel> fee_methods();
std::span<const CodeLabel> decidable_outcomes();  // outcomes a handler may record with `decide`
std::span<const CodeLabel> letter_kinds();        // documents of domain.md §6
std::span<const CodeLabel> audit_actions();       // what the audit trail records, for its page
std::span<const CodeLabel> letter_fields();       // a template's fields, as its editor reads them
std::span<const CodeLabel> message_fields();  // the fields error messages name, as pages say them
// The table called `name`, or an empty span when there is none.
std::span<const CodeLabel> code_table(std::string_view name);
}  // namespace ogi
