#include "domain/codes.h"

#include <deque>
#include <map>
#include <set>
#include <stdexcept>

namespace ogi {

namespace {

// The tables this program needs, in the order workflow/codes.tbl gives them.
constexpr std::string_view kRequired[] = {
    "applicant_types",  "channels",         "roles",           "id_types",       "forms",
    "delivery_wanted",  "delivery_methods", "service_methods", "served_notices", "agency_kinds",
    "parties",          "opinions",         "remedy_kinds",    "remedy_results", "fee_methods",
    "outcomes",         "letter_kinds",     "audit_actions",   "letter_fields",  "message_fields",
    "retention_periods"};

struct Row {
  std::string code, label, hint, basis, row, phrase;
  bool decidable = true;
};

struct Tables {
  std::deque<std::string> names;  // stable storage
  std::map<std::string, std::vector<Row>, std::less<>> rows;
  std::map<std::string, std::vector<CodeLabel>, std::less<>> views;
  std::vector<OutcomeInfo> outcomes;
  std::vector<CodeLabel> decidable;
  std::string problem;
};

bool code_chars(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
  return true;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> w;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) w.push_back(line.substr(i, j - i));
    i = j;
  }
  return w;
}

// Fills `t` from `text`; returns the first problem ("line N: why") or empty.
std::string parse(std::string_view text, Tables& t) {
  std::vector<Row>* cur = nullptr;
  std::set<std::string, std::less<>> codes;  // of the current table
  int lineno = 0;
  auto at = [&](const std::string& why) { return "第 " + std::to_string(lineno) + " 行：" + why; };
  for (size_t pos = 0; pos <= text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++lineno;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    auto w = words(line);
    if (w.empty()) continue;
    if (w[0] == "table") {
      if (w.size() != 2 || !code_chars(w[1])) return at("应为“table 表名”");
      if (t.rows.count(w[1])) return at("代码表 " + std::string(w[1]) + " 重复定义");
      cur = &t.rows[std::string(w[1])];
      codes.clear();
      continue;
    }
    if (!cur) return at("代码行之前缺少“table 表名”");
    if (w.size() < 2) return at("代码 " + std::string(w[0]) + " 缺少中文名称");
    if (!code_chars(w[0]))
      return at("代码 " + std::string(w[0]) + " 只能由小写字母、数字、_ 和 . 组成");
    if (!codes.insert(std::string(w[0])).second) return at("代码 " + std::string(w[0]) + " 重复");
    Row r{std::string(w[0]), std::string(w[1])};
    for (size_t i = 2; i < w.size(); ++i) {
      auto eq = w[i].find('=');
      if (eq == std::string_view::npos || eq == 0 || eq + 1 == w[i].size())
        return at("应为“键=值”：" + std::string(w[i]));
      std::string_view k = w[i].substr(0, eq), v = w[i].substr(eq + 1);
      if (k == "hint")
        r.hint = v;
      else if (k == "basis")
        r.basis = v;
      else if (k == "row")
        r.row = v;
      else if (k == "phrase")
        r.phrase = v;
      else if (k == "decidable" && v == "no")
        r.decidable = false;
      else
        return at("未知的属性 " + std::string(k));
    }
    cur->push_back(std::move(r));
  }
  for (auto name : kRequired) {
    auto it = t.rows.find(name);
    if (it == t.rows.end() || it->second.empty()) return "缺少代码表 " + std::string(name);
  }
  for (auto& r : t.rows["outcomes"])
    if (r.row.empty()) return "办理结果 " + r.code + " 缺少 row=（第三部分表格的行）";
  for (auto& r : t.rows["channels"])
    if (r.phrase.empty()) return "申请渠道 " + r.code + " 缺少 phrase=（文书中的说法）";
  return {};
}

Tables load(std::string_view text) {
  Tables t;
  t.problem = parse(text, t);
  if (!t.problem.empty()) return t;
  for (auto& [name, rows] : t.rows) {
    auto& v = t.views[name];
    for (auto& r : rows) v.push_back({r.code, r.label, r.hint, r.phrase});
  }
  for (auto& r : t.rows["outcomes"]) {
    t.outcomes.push_back({r.code, r.label, r.basis, r.row});
    if (r.decidable) t.decidable.push_back({r.code, r.label});
  }
  return t;
}

const Tables& tables() {
  static const Tables t = load(embedded_code_tables());
  if (!t.problem.empty())  // check_code_tables() at start stops the program before this
    throw std::logic_error("workflow/codes.tbl: " + t.problem);
  return t;
}

std::span<const CodeLabel> table(std::string_view name) {
  auto& v = tables().views;
  auto it = v.find(name);
  return it == v.end() ? std::span<const CodeLabel>{} : std::span<const CodeLabel>(it->second);
}

}  // namespace

std::string validate_code_tables(std::string_view text) {
  Tables t;
  return parse(text, t);
}

std::string check_code_tables() {
  static const std::string problem = validate_code_tables(embedded_code_tables());
  return problem;
}

std::span<const CodeLabel> applicant_types() { return table("applicant_types"); }
std::span<const CodeLabel> channels() { return table("channels"); }
std::span<const CodeLabel> roles() { return table("roles"); }
std::span<const CodeLabel> id_types() { return table("id_types"); }
std::span<const CodeLabel> forms() { return table("forms"); }
std::span<const CodeLabel> delivery_wanted() { return table("delivery_wanted"); }
std::span<const CodeLabel> delivery_methods() { return table("delivery_methods"); }
std::span<const CodeLabel> parties() { return table("parties"); }
std::span<const CodeLabel> agency_kinds() { return table("agency_kinds"); }
std::span<const CodeLabel> service_methods() { return table("service_methods"); }
std::span<const CodeLabel> served_notices() { return table("served_notices"); }
std::span<const CodeLabel> opinions() { return table("opinions"); }
std::span<const CodeLabel> remedy_kinds() { return table("remedy_kinds"); }
std::span<const CodeLabel> remedy_results() { return table("remedy_results"); }
std::span<const CodeLabel> fee_methods() { return table("fee_methods"); }
std::span<const CodeLabel> letter_kinds() { return table("letter_kinds"); }
std::span<const CodeLabel> audit_actions() { return table("audit_actions"); }
std::span<const CodeLabel> letter_fields() { return table("letter_fields"); }
std::span<const CodeLabel> message_fields() { return table("message_fields"); }
std::span<const CodeLabel> decidable_outcomes() { return tables().decidable; }
std::span<const OutcomeInfo> outcomes() { return tables().outcomes; }

const OutcomeInfo* find_outcome(std::string_view code) {
  for (auto& o : outcomes())
    if (o.code == code) return &o;
  return nullptr;
}

std::string_view label_of(std::span<const CodeLabel> table, std::string_view code) {
  for (auto& c : table)
    if (c.code == code) return c.label;
  return {};
}

bool is_code(std::span<const CodeLabel> table, std::string_view code) {
  for (auto& c : table)
    if (c.code == code) return true;
  return false;
}

std::string list_codes(std::span<const CodeLabel> table) {
  std::string s;
  for (auto& c : table) s += (s.empty() ? "" : ", ") + std::string(c.code);
  return s;
}

bool is_organisation(std::string_view t) { return t != "natural_person"; }

// Tables addressable by name from workflow data (`code(TABLE)` field types). Only these: the
// audit actions and letter fields are not a form's choice.
std::span<const CodeLabel> code_table(std::string_view name) {
  static const std::set<std::string, std::less<>> kSelectable = {
      "applicant_types", "channels",         "roles",        "id_types",        "forms",
      "delivery_wanted", "delivery_methods", "parties",      "service_methods", "agency_kinds",
      "served_notices",  "opinions",         "remedy_kinds", "remedy_results",  "fee_methods",
      "letter_kinds",    "retention_periods"};
  if (name == "decidable_outcomes") return decidable_outcomes();
  return kSelectable.count(name) ? table(name) : std::span<const CodeLabel>{};
}

}  // namespace ogi
