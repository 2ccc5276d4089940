#include "letters/template_set.h"

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <mutex>
#include <set>
#include <sstream>

#include "app/auth.h"
#include "domain/letters.h"
#include "letters/docx.h"
#include "letters/markup.h"

namespace ogi::letters {

namespace mu = kainjow::mustache;

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

// Values go into markup as they are, except what would change its structure: a line break
// becomes U+2028 (a new paragraph of the same kind), '|' becomes full width (it separates table
// cells), and a markup prefix character at the start of a value is made full width.
std::string escape_value(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  bool start = true;
  for (char c : s) {
    if (c == '\r') continue;
    if (c == '\n') {
      out += "\xE2\x80\xA8";
      start = true;
      continue;
    }
    if (c == '|') {
      out += "\xEF\xBD\x9C";  // ｜
    } else if (start &&
               (c == '#' || c == '<' || c == '>' || c == '=' || c == '-' || c == '^' || c == '@')) {
      static const std::map<char, const char*> kFull = {{'#', "＃"}, {'<', "＜"}, {'>', "＞"},
                                                        {'=', "＝"}, {'-', "－"}, {'^', "＾"},
                                                        {'@', "＠"}};
      out += kFull.at(c);
    } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      // control characters have no place in a letter
    } else {
      out += c;
    }
    start = false;
  }
  return out;
}

mu::data to_data(const LetterFields& f, const std::map<std::string, std::string>& partials) {
  std::map<std::string, mu::data> groups;
  auto group = [&](const std::string& g) -> mu::data& {
    auto it = groups.find(g);
    if (it == groups.end()) it = groups.emplace(g, mu::data(mu::data::type::object)).first;
    return it->second;
  };
  mu::data root(mu::data::type::object);
  auto put = [&](const std::string& k, const mu::data& value) {
    size_t dot = k.find('.');
    if (dot == std::string::npos)
      root.set(k, value);
    else
      group(k.substr(0, dot)).set(k.substr(dot + 1), value);
  };
  for (auto& [k, v] : f.values) put(k, mu::data(v));
  for (auto& k : f.flags) put(k, mu::data(true));
  for (auto& [k, items] : f.lists) {
    mu::data list(mu::data::type::list);
    for (auto& item : items) {
      mu::data o(mu::data::type::object);
      for (auto& [ik, iv] : item) o.set(ik, iv);
      list.push_back(o);
    }
    size_t dot = k.find('.');
    if (dot == std::string::npos)
      root.set(k, list);
    else
      group(k.substr(0, dot)).set(k.substr(dot + 1), list);
  }
  for (auto& [g, d] : groups) root.set(g, d);
  for (auto& [name, body] : partials) root.set(name, mu::partial([text = body] { return text; }));
  return root;
}

}  // namespace

struct TemplateSet::Parsed {
  std::mutex mu;
  mu::mustache m;
  explicit Parsed(const std::string& text) : m(text) { m.set_custom_escape(escape_value); }
};

namespace {
// Writes each {{> _name}} out as the partial's text (partials hold no partials: the checker
// refuses that), so a letter template is parsed once instead of its partials on every render.
// Tags are read as Mustache reads them, each from "{{" to the first "}}": a partial tag inside
// a comment ({{! … {{> _x}} … }}) is part of the comment and stays as written.
std::string expand_partials(const std::string& body,
                            const std::map<std::string, std::string>& partials) {
  std::string out;
  size_t pos = 0;
  for (;;) {
    size_t open = body.find("{{", pos);
    if (open == std::string::npos) break;
    size_t close = body.find("}}", open + 2);
    if (close == std::string::npos) break;
    out += body.substr(pos, open - pos);
    if (body.compare(open, 3, "{{>") == 0) {
      auto it = partials.find(trim(body.substr(open + 3, close - open - 3)));
      if (it != partials.end()) out += it->second;
    } else {
      out += body.substr(open, close + 2 - open);
    }
    pos = close + 2;
  }
  return out + body.substr(pos);
}
}  // namespace

std::vector<FieldUse> unguarded_fields(const std::string& body) {
  struct Open {
    std::string name;
    bool inverted;
  };
  std::vector<Open> stack;
  std::set<std::string> inverted_anywhere;
  std::vector<FieldUse> uses;
  for (int pass = 0; pass < 2; ++pass) {
    size_t pos = 0;
    int line = 1;
    size_t counted = 0;
    while (true) {
      size_t open = body.find("{{", pos);
      if (open == std::string::npos) break;
      const bool triple = body.compare(open, 3, "{{{") == 0;
      size_t close = body.find(triple ? "}}}" : "}}", open + (triple ? 3 : 2));
      if (close == std::string::npos) break;
      for (; counted < open; ++counted)
        if (body[counted] == '\n') ++line;
      std::string tag = trim(body.substr(open + (triple ? 3 : 2), close - open - (triple ? 3 : 2)));
      pos = close + (triple ? 3 : 2);
      if (tag.empty()) continue;
      char sigil = triple ? '&' : tag[0];
      if (std::string("#^/!>&=").find(sigil) != std::string::npos && !triple)
        tag = trim(tag.substr(1));
      else if (!triple)
        sigil = ' ';
      if (sigil == '!' || sigil == '>' || sigil == '=') continue;
      if (sigil == '#' || sigil == '^') {
        if (sigil == '^') inverted_anywhere.insert(tag);
        stack.push_back({tag, sigil == '^'});
      } else if (sigil == '/') {
        if (!stack.empty()) stack.pop_back();
      } else if (pass == 1) {
        bool guarded = inverted_anywhere.count(tag) > 0 || tag == ".";
        static const std::set<std::string> lists = letter_field_dictionary("").lists;
        for (auto& o : stack) guarded |= (o.name == tag && !o.inverted) || lists.count(o.name) > 0;
        if (!guarded) uses.push_back({tag, line});
      }
    }
    stack.clear();
  }
  return uses;
}

std::vector<std::string> lint_template(const std::string& name, const std::string& body) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (auto& u : unguarded_fields(body))
    if (letter_optional_fields().count(u.field) && seen.insert(u.field).second)
      out.push_back(name + ".mustache 第" + std::to_string(u.line) + "行：字段 " + u.field + "（" +
                    letter_field_label(u.field) + "）可能没有值，须写在 {{#" + u.field + "}}…{{/" +
                    u.field + "}} 中，或用 {{^" + u.field + "}}…{{/" + u.field +
                    "}} 写明没有值时的文字");
  return out;
}

namespace {
// A letter is issued only when every field its template prints has a value (fields printed
// inside a section on themselves, or with an inverted section for their absence, are handled).
Status require_fields(const std::string& name, const std::vector<FieldUse>& needs,
                      const LetterFields& f) {
  for (auto& u : needs) {
    if (f.values.count(u.field) || f.flags.count(u.field) || f.lists.count(u.field)) continue;
    return make_error(Code::invalid,
                      "文书未出具：模板“" + name + "”第" + std::to_string(u.line) + "行使用的“" +
                          letter_field_label(u.field) + "”（" + u.field +
                          "）没有值。请补全案件信息，或由系统管理员在模板中写明没有该值时的文字。",
                      u.field);
  }
  return {};
}
}  // namespace

Status check_template(const std::string& name, const std::string& body,
                      const std::vector<std::string>& partials) {
  const std::string kind = template_kind(name);
  const FieldDictionary dict = letter_field_dictionary(kind);
  auto fail = [&](size_t pos, const std::string& what) -> Status {
    int line = 1;
    for (size_t i = 0; i < pos && i < body.size(); ++i)
      if (body[i] == '\n') ++line;
    return make_error(Code::invalid, name + ".mustache 第" + std::to_string(line) + "行：" + what);
  };
  struct Open {
    std::string name;
    size_t pos;
    bool list;
  };
  std::vector<Open> stack;
  auto in_list = [&] {
    for (auto& o : stack)
      if (o.list) return true;
    return false;
  };
  size_t pos = 0;
  for (;;) {
    size_t open = body.find("{{", pos);
    if (open == std::string::npos) break;
    const bool triple = body.compare(open, 3, "{{{") == 0;
    size_t close = body.find(triple ? "}}}" : "}}", open + (triple ? 3 : 2));
    size_t nl = body.find('\n', open);
    if (close == std::string::npos ||
        (nl != std::string::npos && nl < close && body[open + 2] != '!'))
      return fail(open, "标签“{{”没有闭合（缺少“}}”）");
    std::string tag = body.substr(open + (triple ? 3 : 2), close - open - (triple ? 3 : 2));
    pos = close + (triple ? 3 : 2);
    char sigil = tag.empty() ? ' ' : tag[0];
    if (triple)
      sigil = '&';
    else if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' || sigil == '>' ||
             sigil == '&' || sigil == '=')
      tag.erase(tag.begin());
    else
      sigil = ' ';
    std::string field = trim(tag);
    if (sigil == '!') continue;
    if (sigil == '=') return fail(open, "不支持更改分隔符（{{= =}}）");
    if (sigil == '&')
      return fail(open, "字段须用 {{" + field + "}} 插入（不支持 {{{…}}} 和 {{&…}}）");
    if (field.empty()) return fail(open, "标签中缺少字段名");
    if (sigil == '>') {
      if (kind.empty()) return fail(open, "部分模板（" + name + "）不能再引用部分模板 " + field);
      if (std::find(partials.begin(), partials.end(), field) == partials.end())
        return fail(open, "未知的部分模板 {{> " + field + "}}");
      continue;
    }
    if (sigil == '/') {
      if (stack.empty()) return fail(open, "多余的结束标签 {{/" + field + "}}");
      if (stack.back().name != field)
        return fail(open,
                    "结束标签 {{/" + field + "}} 与开始标签 {{#" + stack.back().name + "}} 不匹配");
      stack.pop_back();
      continue;
    }
    const bool is_list = dict.lists.count(field) > 0;
    const bool known = dict.values.count(field) || is_list ||
                       (in_list() && (dict.item_fields.count(field) || field == "."));
    if (!known)
      return fail(open, "未知字段 " + field +
                            (kind.empty() ? "" : "（本类文书可用的字段见模板页“可用字段”）"));
    if (sigil == '#' || sigil == '^') {
      stack.push_back({field, open, is_list});
      continue;
    }
    if (is_list)
      return fail(open,
                  "列表字段 " + field + " 只能用作区块 {{#" + field + "}}…{{/" + field + "}}");
  }
  if (!stack.empty())
    return fail(stack.back().pos, "区块 {{#" + stack.back().name + "}} 没有结束标签");
  if (body.find("}}", 0) != std::string::npos) {
    // a stray "}}" outside any tag: count tags to detect it
    size_t opens = 0, closes = 0;
    for (size_t p = 0; (p = body.find("{{", p)) != std::string::npos; p += 2) ++opens;
    for (size_t p = 0; (p = body.find("}}", p)) != std::string::npos; p += 2) ++closes;
    if (closes > opens) return fail(body.rfind("}}"), "多余的“}}”");
  }
  mu::mustache m(body);
  if (!m.is_valid()) return make_error(Code::invalid, name + ".mustache：" + m.error_message());
  return {};
}

Result<std::unique_ptr<TemplateSet>> TemplateSet::load(const std::string& dir) {
  std::unique_ptr<TemplateSet> set(new TemplateSet());
  std::error_code ec;
  std::string problems;
  for (auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".mustache") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    set->t_[e.path().stem().string()] = Entry{ss.str(), 0, nullptr};
    set->shipped_[e.path().stem().string()] = ss.str();
  }
  if (ec)
    return make_error(Code::internal,
                      "cannot read letter templates in " + dir + ": " + ec.message());
  for (auto& need : shipped_letter_templates())
    if (!set->t_.count(need)) problems += dir + "/" + need + ".mustache 缺失\n";
  for (auto& [name, e] : set->t_)
    if (Status s = set->check_unlocked(name, e.body); !s)
      problems += dir + "/" + s.error().message + "\n";
  if (!problems.empty()) {
    problems.pop_back();
    return make_error(Code::invalid, problems);
  }
  set->parse_all_unlocked();
  return set;
}

Status TemplateSet::check_unlocked(const std::string& name, const std::string& body) const {
  std::vector<std::string> partials;
  for (auto& [n, e] : t_)
    if (n.starts_with("_")) partials.push_back(n);
  if (name.starts_with("_") && std::find(partials.begin(), partials.end(), name) == partials.end())
    partials.push_back(name);
  return check_template(name, body, partials);
}

Status TemplateSet::check(const std::string& name, const std::string& body) const {
  std::shared_lock lock(mu_);
  bool valid_name = !name.empty();
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) valid_name = false;
  if (!valid_name) return make_error(Code::invalid, "模板名只能包含字母、数字和下划线：" + name);
  if (!t_.count(name)) return make_error(Code::not_found, "没有名为 " + name + " 的文书模板");
  return check_unlocked(name, body);
}

Status TemplateSet::install(const std::string& name, const std::string& body, int version) {
  std::unique_lock lock(mu_);
  if (Status s = check_unlocked(name, body); !s) return s;
  t_[name] = Entry{body, version, nullptr};
  parse_all_unlocked();
  return {};
}

void TemplateSet::parse_all_unlocked() {
  std::map<std::string, std::string> partials;
  for (auto& [n, e] : t_)
    if (n.starts_with("_")) partials[n] = e.body;
  for (auto& [n, e] : t_)
    if (!n.starts_with("_")) {
      const std::string expanded = expand_partials(e.body, partials);
      e.parsed = std::make_shared<Parsed>(expanded);
      e.needs = unguarded_fields(expanded);
    }
}

Result<std::string> TemplateSet::render_parsed(const std::shared_ptr<Parsed>& p,
                                               const LetterFields& f) const {
  mu::data data = to_data(f, {});
  std::lock_guard lock(p->mu);
  if (!p->m.is_valid()) return make_error(Code::invalid, p->m.error_message());
  std::string out = p->m.render(data);
  if (!p->m.is_valid()) return make_error(Code::invalid, p->m.error_message());
  return out;
}

Result<std::string> TemplateSet::shipped_body(const std::string& name) const {
  std::shared_lock lock(mu_);
  auto it = shipped_.find(name);
  if (it == shipped_.end()) return make_error(Code::not_found, "没有名为 " + name + " 的文书模板");
  return it->second;
}

int TemplateSet::version(const std::string& name) const {
  std::shared_lock lock(mu_);
  auto it = t_.find(name);
  return it == t_.end() ? -1 : it->second.version;
}

std::vector<TemplateVersion> TemplateSet::current() const {
  std::shared_lock lock(mu_);
  std::vector<TemplateVersion> v;
  for (auto& [n, e] : t_) v.push_back(TemplateVersion{n, e.version, e.body, "", "", ""});
  return v;
}

Result<std::string> TemplateSet::render_markup(const std::string& name, const LetterFields& f,
                                               const std::string& override_name,
                                               const std::string& override_body) const {
  std::string body;
  std::map<std::string, std::string> partials;
  {
    std::shared_lock lock(mu_);
    auto it = t_.find(name);
    if (it == t_.end()) return make_error(Code::not_found, "没有名为 " + name + " 的文书模板");
    body = it->second.body;
    for (auto& [n, e] : t_)
      if (n.starts_with("_")) partials[n] = e.body;
  }
  if (override_name.empty()) {
    std::shared_ptr<Parsed> parsed;
    std::vector<FieldUse> needs;
    {
      std::shared_lock lock(mu_);
      parsed = t_.at(name).parsed;
      needs = t_.at(name).needs;
    }
    if (parsed) {
      if (Status s = require_fields(name, needs, f); !s) return s.error();
      return render_parsed(parsed, f);
    }
  }
  if (override_name == name)
    body = override_body;
  else if (override_name.starts_with("_"))
    partials[override_name] = override_body;
  if (Status s = require_fields(name, unguarded_fields(expand_partials(body, partials)), f); !s)
    return s.error();
  mu::mustache m(body);
  m.set_custom_escape(escape_value);
  if (!m.is_valid()) return make_error(Code::invalid, name + ".mustache：" + m.error_message());
  std::string out = m.render(to_data(f, partials));
  if (!m.is_valid()) return make_error(Code::invalid, name + ".mustache：" + m.error_message());
  return out;
}

Result<RenderedLetter> TemplateSet::render_with(const std::string& name,
                                                const std::string& override_name,
                                                const std::string& override_body,
                                                const LetterFields& f, const std::string& title,
                                                const Date& date) const {
  auto markup = render_markup(name, f, override_name, override_body);
  if (!markup) return markup.error();
  return from_markup(*markup, title, date);
}

RenderedLetter TemplateSet::from_markup(const std::string& markup, const std::string& title,
                                        const Date& date) const {
  RenderedLetter r;
  r.markup = markup;
  auto doc = parse_markup(markup);
  r.docx = to_docx(doc, title, format_date(date));
  r.html = to_html(doc, title);
  r.sha256 = sha256_hex(r.docx);
  return r;
}

Result<RenderedLetter> TemplateSet::render(const std::string& name, const LetterFields& f,
                                           const std::string& title, const Date& date) const {
  auto markup = render_markup(name, f);
  if (!markup) return markup.error();
  return from_markup(*markup, title, date);
}

Result<PreparedLetter> TemplateSet::prepare(const std::string& name, const LetterFields& f,
                                            const std::string& title, const Date& date) const {
  auto markup = render_markup(name, f);
  if (!markup) return markup.error();
  auto doc = parse_markup(*markup);
  PreparedLetter p{std::move(*markup), document_xml(doc), to_html(doc, title), title, date, ""};
  p.docx = package_docx(p.document_xml, title, format_date(date));  // outside the transaction
  return p;
}

RenderedLetter TemplateSet::finish(const PreparedLetter& p, const std::string& number,
                                   const std::string& case_number) const {
  auto put = [&](std::string s, bool escape) {
    for (auto [key, value] : {std::pair{kNumberPlaceholder, &number},
                              std::pair{kCaseNumberPlaceholder, &case_number}}) {
      const std::string v = escape ? xml_escape(*value) : *value;
      for (size_t i = 0; (i = s.find(key, i)) != std::string::npos; i += v.size())
        s.replace(i, key.size(), v);
    }
    return s;
  };
  RenderedLetter r;
  r.markup = put(p.markup, false);
  r.html = put(p.html, true);
  // Inside the transaction only the main part changes: swap it into the package built before.
  const std::string main = put(p.document_xml, true);
  auto swapped = p.docx.empty() ? std::nullopt : replace_main_part(p.docx, main);
  r.docx = swapped ? std::move(*swapped) : package_docx(main, p.title, format_date(p.date));
  r.sha256 = sha256_hex(r.docx);
  return r;
}

}  // namespace ogi::letters
