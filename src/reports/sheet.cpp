#include "reports/sheet.h"

#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <charconv>
#include <map>
#include <sstream>
#include <string_view>

namespace ogi::reports {

namespace {

// Caps on what a register may expand to (issue 18, finding 9): a small XLSX can inflate to
// gigabytes, and a cell reference to column XFD would make every row 16,384 cells wide.
constexpr std::streamsize kMaxPartBytes = 64 << 20;  // one decompressed part
constexpr size_t kMaxColumns = 64;

// Copies at most kMaxPartBytes of `in`; false when there is more.
bool copy_bounded(std::istream& in, std::string& out) {
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    const std::streamsize n = in.gcount();
    if (n <= 0) break;
    if (static_cast<std::streamsize>(out.size()) + n > kMaxPartBytes) return false;
    out.append(buf, static_cast<size_t>(n));
  }
  return true;
}

Sheet parse_csv(const std::string& text) {
  Sheet t;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        cell += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        cell += c;
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
    if (ent == "amp")
      out += '&';
    else if (ent == "lt")
      out += '<';
    else if (ent == "gt")
      out += '>';
    else if (ent == "quot")
      out += '"';
    else if (ent == "apos")
      out += '\'';
    else if (!ent.empty() && ent[0] == '#') {
      // A character reference; one that is not a number or not a character is dropped.
      const bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
      std::string_view digits = ent.substr(hex ? 2 : 1);
      unsigned long cp = 0;
      auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      if (ec != std::errc() || end != digits.data() + digits.size() || cp == 0 || cp > 0x10FFFF) {
      } else if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6)), out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12)),
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
            out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18)),
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
            out += static_cast<char>(0x80 | (cp & 0x3F));
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

Result<Sheet> parse_xlsx(const std::string& bytes) {
  std::map<std::string, std::string> parts;
  try {
    std::istringstream in(bytes, std::ios::binary);
    Poco::Zip::ZipArchive arch(in);
    for (auto it = arch.headerBegin(); it != arch.headerEnd(); ++it) {
      if (it->first != "xl/sharedStrings.xml" && it->first != "xl/worksheets/sheet1.xml") continue;
      if (it->second.getUncompressedSize() > static_cast<Poco::UInt64>(kMaxPartBytes))
        return make_error(Code::invalid, "XLSX 文件解压后过大（每个部分最多 64 MB）");
      std::istringstream again(bytes, std::ios::binary);
      Poco::Zip::ZipInputStream zin(again, it->second);
      // the declared size may lie: the copy itself stops at the cap
      if (!copy_bounded(zin, parts[it->first]))
        return make_error(Code::invalid, "XLSX 文件解压后过大（每个部分最多 64 MB）");
    }
  } catch (const std::exception& e) {
    return make_error(Code::invalid, std::string("not a readable XLSX file: ") + e.what());
  }
  if (!parts.count("xl/worksheets/sheet1.xml"))
    return make_error(Code::invalid, "XLSX 文件没有工作表");
  std::vector<std::string> shared;
  const std::string& ss = parts["xl/sharedStrings.xml"];
  for (size_t p = 0; (p = ss.find("<si>", p)) != std::string::npos;) {
    size_t e = ss.find("</si>", p);
    shared.push_back(runs(std::string_view(ss).substr(p, e - p)));
    p = e;
  }
  Sheet t;
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
        col = col * 26 +
              static_cast<size_t>(std::toupper(static_cast<unsigned char>(tag[k])) - 'A' + 1);
      if (letters > 3) col = 0;
      std::string value;
      if (tag.back() != '/') {
        size_t close = row.find("</c>", tag_end);
        std::string_view inner = row.substr(tag_end + 1, close - tag_end - 1);
        size_t v = inner.find("<v>");
        std::string raw = v == std::string_view::npos
                              ? ""
                              : xml_text(inner.substr(v + 3, inner.find("</v>") - v - 3));
        if (tag.find("t=\"s\"") != std::string_view::npos && !raw.empty()) {
          size_t idx = 0;
          auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), idx);
          value = ec == std::errc() && end == raw.data() + raw.size() && idx < shared.size()
                      ? shared[idx]
                      : "";
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
      if (col > kMaxColumns)
        return make_error(Code::invalid, "登记表超过 " + std::to_string(kMaxColumns) + " 列");
      if (cells.size() < col) cells.resize(col);
      cells[col - 1] = value;
    }
    t.push_back(cells);
    p = e;
  }
  return t;
}

}  // namespace

Result<Sheet> read_table(const std::string& bytes) {
  if (bytes.starts_with("PK")) return parse_xlsx(bytes);
  Sheet t = parse_csv(bytes);
  for (auto& row : t)
    if (row.size() > kMaxColumns)
      return make_error(Code::invalid, "登记表超过 " + std::to_string(kMaxColumns) + " 列");
  return t;
}

}  // namespace ogi::reports
