// ogi import cases FILE — a register an office kept in a spreadsheet (CSV or XLSX; the column
// layout is in docs/import.md). This file reads the spreadsheet; every row is validated by the
// registration rules and given its history by app/legacy_import (through the workflow engine);
// only when every row is good is anything written, all in one transaction. Bad rows are
// reported together, each with its line.
#include <charconv>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/case_service.h"
#include "app/legacy_import.h"
#include "app/registration.h"
#include "cli/commands.h"
#include "cli/env.h"
#include "domain/codes.h"
#include "store/sql_store.h"
#include "workflow/engine.h"

namespace ogi {

namespace {

using Table = std::vector<std::vector<std::string>>;  // rows of cells; row 0 = header

Table parse_csv(const std::string& text) {
  Table t;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(cell), cell.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(cell), cell.clear();
      t.push_back(row), row.clear();
    } else {
      cell += c;
    }
  }
  if (!cell.empty() || !row.empty()) row.push_back(cell), t.push_back(row);
  return t;
}

std::string xml_text(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out += s[i];
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") out += '&';
    else if (ent == "lt") out += '<';
    else if (ent == "gt") out += '>';
    else if (ent == "quot") out += '"';
    else if (ent == "apos") out += '\'';
    else if (!ent.empty() && ent[0] == '#') {
      // A character reference; one that is not a number or not a character is dropped.
      const bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
      std::string_view digits = ent.substr(hex ? 2 : 1);
      unsigned long cp = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      if (ec != std::errc() || end != digits.data() + digits.size() || cp == 0 || cp > 0x10FFFF) {
      } else if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6)), out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12)), out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
            out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18)), out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), out += static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
    i = semi;
  }
  return out;
}

// Text of every <t>…</t> inside `s` (a shared string may be split into rich-text runs).
std::string runs(std::string_view s) {
  std::string out;
  for (size_t p = 0; (p = s.find("<t", p)) != std::string_view::npos;) {
    if (p + 2 < s.size() && s[p + 2] != '>' && s[p + 2] != ' ') {
      p += 2;
      continue;
    }
    size_t open = s.find('>', p);
    size_t close = s.find("</t>", open);
    if (open == std::string_view::npos || close == std::string_view::npos) break;
    if (s[open - 1] != '/') out += xml_text(s.substr(open + 1, close - open - 1));
    p = close + 4;
  }
  return out;
}

Result<Table> parse_xlsx(const std::string& bytes) {
  std::map<std::string, std::string> parts;
  try {
    std::istringstream in(bytes, std::ios::binary);
    Poco::Zip::ZipArchive arch(in);
    for (auto it = arch.headerBegin(); it != arch.headerEnd(); ++it) {
      if (it->first != "xl/sharedStrings.xml" && it->first != "xl/worksheets/sheet1.xml") continue;
      std::istringstream again(bytes, std::ios::binary);
      Poco::Zip::ZipInputStream zin(again, it->second);
      Poco::StreamCopier::copyToString(zin, parts[it->first]);
    }
  } catch (const std::exception& e) {
    return make_error(Code::invalid, std::string("not a readable XLSX file: ") + e.what());
  }
  if (!parts.count("xl/worksheets/sheet1.xml")) return make_error(Code::invalid, "the XLSX file has no first worksheet");
  std::vector<std::string> shared;
  const std::string& ss = parts["xl/sharedStrings.xml"];
  for (size_t p = 0; (p = ss.find("<si>", p)) != std::string::npos;) {
    size_t e = ss.find("</si>", p);
    shared.push_back(runs(std::string_view(ss).substr(p, e - p)));
    p = e;
  }
  Table t;
  const std::string& sh = parts["xl/worksheets/sheet1.xml"];
  for (size_t p = 0; (p = sh.find("<row", p)) != std::string::npos;) {
    size_t e = sh.find("</row>", p);
    if (e == std::string::npos) break;
    std::string_view row = std::string_view(sh).substr(p, e - p);
    std::vector<std::string> cells;
    for (size_t c = 0; (c = row.find("<c ", c)) != std::string_view::npos;) {
      size_t tag_end = row.find('>', c);
      std::string_view tag = row.substr(c, tag_end - c);
      // column letters → index
      // column letters → index (A..XFD: at most three letters; anything else: the cell is skipped)
      size_t r = tag.find("r=\"");
      size_t col = 0, letters = 0;
      for (size_t k = r == std::string_view::npos ? tag.size() : r + 3;
           k < tag.size() && std::isalpha(static_cast<unsigned char>(tag[k])); ++k, ++letters)
        col = col * 26 + static_cast<size_t>(std::toupper(static_cast<unsigned char>(tag[k])) - 'A' + 1);
      if (letters > 3) col = 0;
      std::string value;
      if (tag.back() != '/') {
        size_t close = row.find("</c>", tag_end);
        std::string_view inner = row.substr(tag_end + 1, close - tag_end - 1);
        size_t v = inner.find("<v>");
        std::string raw = v == std::string_view::npos ? "" : xml_text(inner.substr(v + 3, inner.find("</v>") - v - 3));
        if (tag.find("t=\"s\"") != std::string_view::npos && !raw.empty()) {
          size_t idx = 0;
          auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), idx);
          value = ec == std::errc() && end == raw.data() + raw.size() && idx < shared.size() ? shared[idx] : "";
        } else if (tag.find("t=\"inlineStr\"") != std::string_view::npos) {
          value = runs(inner);
        } else {
          value = raw;
        }
        c = close;
      } else {
        c = tag_end;
      }
      if (col == 0) continue;
      if (cells.size() < col) cells.resize(col);
      cells[col - 1] = value;
    }
    t.push_back(cells);
    p = e;
  }
  return t;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  return s;
}

// A date as a spreadsheet gives it: YYYY-MM-DD, YYYY/M/D, or an Excel serial number.
Result<Date> cell_date(const std::string& v, const std::string& field) {
  if (!v.empty() && v.find_first_not_of("0123456789.") == std::string::npos && v.find('-') == std::string::npos &&
      v.size() <= 8) {
    long serial = 0;  // the whole days of an Excel serial ("45352" or "45352.5")
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), serial);
    if (ec == std::errc() && end != v.data() && serial > 20000 && serial < 80000)
      return Date(1899, 12, 30) + boost::gregorian::days(serial);
  }
  int y = 0, m = 0, d = 0;
  if (std::sscanf(v.c_str(), "%d/%d/%d", &y, &m, &d) == 3 || std::sscanf(v.c_str(), "%d.%d.%d", &y, &m, &d) == 3) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return parse_date(buf, field);
  }
  return parse_date(v, field);
}

// A code given as its code or its Chinese label.
std::string code_of(std::span<const CodeLabel> table, const std::string& v) {
  for (auto& c : table)
    if (c.code == v || c.label == v) return std::string(c.code);
  return v;
}
std::string outcome_of(const std::string& v) {
  for (auto& o : outcomes())
    if (o.code == v || o.label == v) return std::string(o.code);
  return v;
}

// Column names accepted in the header (Chinese, or the code).
const std::map<std::string, std::string> kImportColumns = {
    {"编号", "number"},          {"number", "number"},
    {"收到日期", "received_on"}, {"received_on", "received_on"},
    {"申请人类型", "type"},      {"applicant_type", "type"},
    {"申请人", "name"},          {"申请人姓名或名称", "name"},
    {"name", "name"},            {"证件类型", "id_type"},
    {"id_type", "id_type"},      {"证件号码", "id_number"},
    {"id_number", "id_number"},  {"统一社会信用代码", "credit_code"},
    {"credit_code", "credit_code"}, {"联系电话", "phone"},
    {"phone", "phone"},          {"通信地址", "address"},
    {"address", "address"},      {"提交方式", "channel"},
    {"channel", "channel"},      {"申请内容", "content"},
    {"content", "content"},      {"答复类型", "outcome"},
    {"outcome", "outcome"},      {"办结日期", "concluded_on"},
    {"concluded_on", "concluded_on"}, {"送达方式", "delivery_method"},
    {"delivery_method", "delivery_method"},
};

}  // namespace

int cmd_import(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2);
  const char* help = "usage: ogi import cases FILE.csv|FILE.xlsx --db PATH --agency CODE [--user NAME]";
  if (a.pos.size() < 2 || a.pos[0] != "cases" || !a.has("db") || !a.has("agency")) return usage(help);
  auto bytes = read_file(a.pos[1]);
  if (!bytes) return fail(bytes.error());
  Result<Table> table = bytes->starts_with("PK") ? parse_xlsx(*bytes) : Result<Table>(parse_csv(*bytes));
  if (!table) return fail(table.error());
  if (table->empty()) return fail(make_error(Code::invalid, "the file is empty"));
  auto store = SqlStore::open(a.get("db"), false);
  if (!store) return fail(store.error());
  auto agency = (*store)->agency(a.get("agency"));
  if (!agency) return fail(agency.error());
  auto wf = load_workflow();
  if (!wf) return fail(wf.error());
  auto cal = load_calendar(store->get());
  if (!cal) return fail(cal.error());
  SystemClock clock;
  const std::string by = a.get("user", "import");
  // header → column positions
  std::map<std::string, size_t> pos;
  std::vector<std::string> problems;
  const auto& header = table->front();
  for (size_t i = 0; i < header.size(); ++i) {
    std::string h = trim(header[i]);
    if (i == 0 && h.starts_with("\xEF\xBB\xBF")) h = h.substr(3);
    if (h.empty()) continue;
    auto it = kImportColumns.find(h);
    if (it == kImportColumns.end()) problems.push_back("第1行：未知的列“" + h + "”（可用的列见 docs/import.md）");
    else pos[it->second] = i;
  }
  for (const char* need : {"received_on", "type", "name", "channel", "content"})
    if (!pos.count(need)) problems.push_back(std::string("第1行：缺少必需的列 ") + need);
  if (!problems.empty()) {
    for (auto& p : problems) std::cerr << "ogi: " << p << "\n";
    return 2;
  }
  Actor actor{by, {"registrar", "handler", "approver", "office"}};
  FixedClock far(Date(2099, 12, 31));
  const Context ctx{*wf, *cal, far, ClockSettings{agency->fee_pauses_clock}};
  std::vector<Case> cases;
  std::vector<CaseProjection> projections;
  for (size_t r = 1; r < table->size(); ++r) {
    const auto& row = (*table)[r];
    auto get = [&](const char* k) -> std::string {
      auto it = pos.find(k);
      return it == pos.end() || it->second >= row.size() ? std::string() : trim(row[it->second]);
    };
    bool blank = true;
    for (auto& c : row) blank &= trim(c).empty();
    if (blank) continue;
    const std::string line = "第" + std::to_string(r + 1) + "行：";
    auto bad = [&](const std::string& m) { problems.push_back(line + m); };
    RegistrationRequest req;
    req.agency = agency->code;
    req.applicant.type = code_of(applicant_types(), get("type"));
    req.applicant.name = get("name");
    req.applicant.id_type = code_of(id_types(), get("id_type"));
    req.applicant.id_number = get("id_number");
    req.applicant.credit_code = get("credit_code");
    req.applicant.phone = get("phone");
    req.applicant.address = get("address");
    req.channel = code_of(channels(), get("channel"));
    req.content = get("content");
    auto received = cell_date(get("received_on"), "received_on");
    if (!received) {
      bad(received.error().message);
      continue;
    }
    req.received_on = format_date(*received);
    auto valid = validate_registration(req, clock.today());
    if (!valid) {
      bad(valid.error().message);
      continue;
    }
    Case c;
    c.agency = agency->code;
    c.number = get("number");
    c.applicant = valid->applicant;
    c.channel = valid->channel;
    c.received_on = *received;
    c.content = valid->content;
    c.events.push_back({0, "register", c.received_on, {}, by, clock.now_timestamp()});
    if (Status st = fold(ctx, c); !st) {
      bad(st.error().message);
      continue;
    }
    const std::string outcome = outcome_of(get("outcome"));
    const std::string concluded_text = get("concluded_on");
    if (outcome.empty() != concluded_text.empty()) {
      bad(outcome.empty() ? "有办结日期而没有答复类型" : "有答复类型而没有办结日期");
      continue;
    }
    if (!outcome.empty()) {
      auto done = cell_date(concluded_text, "concluded_on");
      if (!done) {
        bad(done.error().message);
        continue;
      }
      if (*done < c.received_on || *done > clock.today()) {
        bad("concluded_on: 办结日期应在收到日期与今天之间：" + format_date(*done));
        continue;
      }
      const std::string method = get("delivery_method").empty() ? "post" : code_of(delivery_methods(), get("delivery_method"));
      auto history = legacy_history(ctx, std::move(c), outcome, *done, method, actor);
      if (!history) {
        bad(history.error().message);
        continue;
      }
      c = std::move(*history);
    }
    projections.push_back(project_case(*wf, c, compute_clock(*cal, c, clock.today(), ctx.settings)));
    cases.push_back(std::move(c));
  }
  if (!problems.empty()) {
    for (auto& p : problems) std::cerr << "ogi: " << p << "\n";
    std::cerr << "ogi: " << problems.size() << " 行有错误，未导入任何案件\n";
    return 2;
  }
  if (cases.empty()) return fail(make_error(Code::invalid, "the file has no cases"));
  if (Status st = (*store)->bulk_insert(cases, projections, true); !st) return fail(st.error());
  (void)(*store)->audit(clock.now_timestamp(), by, "import.cases", agency->code,
                        std::to_string(cases.size()) + " cases from " + a.pos[1]);
  std::cout << "imported " << cases.size() << " cases into " << agency->code << "\n";
  return 0;
}

}  // namespace ogi
