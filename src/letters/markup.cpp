#include "letters/markup.h"

namespace ogi::letters {

namespace {
constexpr std::string_view kLineSep = "\xE2\x80\xA8";  // U+2028

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  for (;;) {
    size_t p = s.find(sep);
    out.push_back(std::string(s.substr(0, p)));
    if (p == std::string_view::npos) break;
    s.remove_prefix(p + sep.size());
  }
  return out;
}

void add_line(std::vector<Paragraph>& doc, std::string_view line) {
  std::string l = trim(line);
  Paragraph p;
  auto rest = [&](size_t n) { return trim(std::string_view(l).substr(n)); };
  if (l.empty()) {
    p.kind = Paragraph::Kind::blank;
  } else if (l == "---") {
    p.kind = Paragraph::Kind::page_break;
  } else if (l.starts_with("^ ")) {
    p.kind = Paragraph::Kind::letterhead, p.text = rest(2);
  } else if (l.starts_with("@ ")) {
    // the signature block: "@ 署名 | 成文日期"
    p.kind = Paragraph::Kind::signature;
    for (auto& c : split(std::string_view(l).substr(2), "|")) p.cells.push_back(trim(c));
    p.cells.resize(2);
  } else if (l.starts_with("## ")) {
    p.kind = Paragraph::Kind::subtitle, p.text = rest(3);
  } else if (l.starts_with("# ")) {
    p.kind = Paragraph::Kind::title, p.text = rest(2);
  } else if (l.starts_with("= ")) {
    p.kind = Paragraph::Kind::centre, p.text = rest(2);
  } else if (l.starts_with("< ")) {
    p.kind = Paragraph::Kind::left, p.text = rest(2);
  } else if (l.starts_with("> ")) {
    p.kind = Paragraph::Kind::right, p.text = rest(2);
  } else if (l.starts_with("|")) {
    p.kind = Paragraph::Kind::row;
    std::string_view body = std::string_view(l).substr(1);
    if (body.ends_with("|")) body.remove_suffix(1);
    for (auto& c : split(body, "|")) p.cells.push_back(trim(c));
  } else {
    p.kind = Paragraph::Kind::body, p.text = l;
  }
  // a line break inside a value: the same kind of paragraph again (empty pieces dropped)
  const bool cells = p.kind == Paragraph::Kind::row || p.kind == Paragraph::Kind::signature;
  if (!cells && p.text.find(kLineSep) != std::string::npos) {
    for (auto& piece : split(p.text, kLineSep)) {
      std::string t = trim(piece);
      if (t.empty()) continue;
      Paragraph q = p;
      q.text = t;
      doc.push_back(std::move(q));
    }
    return;
  }
  if (cells)
    for (auto& c : p.cells)
      for (size_t i; (i = c.find(kLineSep)) != std::string::npos;)
        c.replace(i, kLineSep.size(), "；");
  doc.push_back(std::move(p));
}
}  // namespace

std::vector<Paragraph> parse_markup(std::string_view markup) {
  std::vector<Paragraph> doc;
  for (auto& line : split(markup, "\n")) add_line(doc, line);
  // leading and trailing empty lines carry no meaning
  while (!doc.empty() && doc.back().kind == Paragraph::Kind::blank) doc.pop_back();
  size_t first = 0;
  while (first < doc.size() && doc[first].kind == Paragraph::Kind::blank) ++first;
  doc.erase(doc.begin(), doc.begin() + static_cast<long>(first));
  return doc;
}

std::string to_text(const std::vector<Paragraph>& doc) {
  std::string out;
  for (auto& p : doc) {
    switch (p.kind) {
      case Paragraph::Kind::blank:
        break;
      case Paragraph::Kind::page_break:
        out += "---";
        break;
      case Paragraph::Kind::body:
        out += "\xE3\x80\x80\xE3\x80\x80" + p.text;
        break;
      case Paragraph::Kind::row:
        for (size_t i = 0; i < p.cells.size(); ++i) out += (i ? " | " : "") + p.cells[i];
        break;
      case Paragraph::Kind::signature:
        out += "\n" + p.cells[0] + "（印章）\n" + p.cells[1];
        break;
      default:
        out += p.text;
    }
    out += "\n";
  }
  return out;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // control characters other than tab are not allowed in XML 1.0
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;
        out += c;
    }
  }
  return out;
}

double text_width(std::string_view s) {
  double w = 0;
  for (unsigned char c : s) {
    if (c < 0x80)
      w += 0.5;
    else if ((c & 0xC0) != 0x80)
      w += 1;  // the lead byte of a multi-byte character
  }
  return w;
}

std::string to_html(const std::vector<Paragraph>& doc, std::string_view title) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" +
      xml_escape(title) +
      "</title>\n<style>\n"
      "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }\n"
      "body { margin: 0; font-family: \"仿宋_GB2312\", \"仿宋\", FangSong, STFangsong, \"Noto "
      "Serif CJK SC\", serif;"
      " font-size: 16pt; line-height: 28.95pt; color: #000; }\n"
      "@media screen { body { background: #eee; } .page { background: #fff; width: 156mm; "
      "min-height: 225mm;"
      " margin: 8mm auto; padding: 37mm 26mm 35mm 28mm; box-shadow: 0 0 4px #999; } }\n"
      "p { margin: 0; text-align: justify; }\n"
      ".title { font-family: \"方正小标宋简体\", \"华文中宋\", \"宋体\", SimSun, \"Noto Serif CJK "
      "SC\", serif;"
      " font-size: 22pt; line-height: 1.5; text-align: center; margin: 0 0 14pt; }\n"
      ".subtitle { font-family: \"楷体_GB2312\", \"楷体\", KaiTi, \"Noto Serif CJK SC\", serif; "
      "text-align: center; }\n"
      ".centre { text-align: center; } .left { text-indent: 0; } .right { text-align: right; "
      "padding-right: 4em; }\n"
      ".body { text-indent: 2em; } .blank { height: 28.95pt; }\n"
      ".letterhead { font-family: \"方正小标宋简体\", \"华文中宋\", \"宋体\", SimSun, \"Noto Serif "
      "CJK SC\", serif;"
      " font-size: 26pt; line-height: 1.4; color: #e00; text-align: center; margin: 0 0 14pt; "
      "padding-bottom: 1.5pt;"
      " border-bottom: .75pt solid #e00; }\n"
      ".letterhead::after { content: \"\"; display: block; margin-top: 6pt; border-bottom: 2.5pt "
      "solid #e00; }\n"
      /* GB/T 9704-2012 7.3.5.1: the date four characters from the right, the 署名 centred over it,
         the seal pressing on both with them a little below its centre */
      ".signature { position: relative; width: max-content; margin: 57.9pt 4em 28.95pt auto; "
      "padding-top: 28.95pt; }\n"
      ".signature .name { position: absolute; top: 0; left: 50%; transform: translateX(-50%); "
      "white-space: nowrap; }\n"
      ".signature .date { white-space: nowrap; }\n"
      ".signature .seal { position: absolute; left: 50%; top: 26pt; width: 42mm; height: 42mm; "
      "margin: -21mm 0 0 -21mm;"
      " border: 1.5pt dashed #e00; border-radius: 50%; color: #e00; font-size: 12pt; line-height: "
      "1; text-align: center;"
      " box-sizing: border-box; padding-top: 5mm; opacity: .75; }\n"
      "table { width: 100%; border-collapse: collapse; margin: 6pt 0; } td { border: 1px solid "
      "#000;"
      " padding: 4pt 6pt; vertical-align: top; } td:first-child { width: 30%; }\n"
      ".break { break-after: page; page-break-after: always; }\n"
      /* the 落款 (signature, seal, date) never lands alone on a page: it stays with the last
         paragraph before it */
      ".closing { break-inside: avoid; page-break-inside: avoid; }\n"
      "</style></head>\n<body><div class=\"page\">\n";
  bool in_table = false;
  size_t last_text = std::string::npos;  // where the last paragraph with text starts
  for (auto& p : doc) {
    if (p.kind != Paragraph::Kind::row && in_table) h += "</table>\n", in_table = false;
    if (p.kind == Paragraph::Kind::body || p.kind == Paragraph::Kind::left ||
        p.kind == Paragraph::Kind::right || p.kind == Paragraph::Kind::centre)
      last_text = h.size();
    switch (p.kind) {
      case Paragraph::Kind::letterhead:
        h += "<p class=\"letterhead\">" + xml_escape(p.text) + "</p>\n";
        break;
      case Paragraph::Kind::signature:
        if (last_text != std::string::npos) h.insert(last_text, "<div class=\"closing\">");
        h += "<div class=\"signature\"><p class=\"name\">" + xml_escape(p.cells[0]) +
             "</p><p class=\"date\">" + xml_escape(p.cells[1]) +
             "</p><span class=\"seal\" aria-hidden=\"true\">（印章）</span></div>\n";
        if (last_text != std::string::npos) h += "</div>\n";
        last_text = std::string::npos;
        break;
      case Paragraph::Kind::title:
        h += "<h1 class=\"title\">" + xml_escape(p.text) + "</h1>\n";
        break;
      case Paragraph::Kind::subtitle:
        h += "<p class=\"subtitle\">" + xml_escape(p.text) + "</p>\n";
        break;
      case Paragraph::Kind::centre:
        h += "<p class=\"centre\">" + xml_escape(p.text) + "</p>\n";
        break;
      case Paragraph::Kind::left:
        h += "<p class=\"left\">" + xml_escape(p.text) + "</p>\n";
        break;
      case Paragraph::Kind::right:
        h += "<p class=\"right\">" + xml_escape(p.text) + "</p>\n";
        break;
      case Paragraph::Kind::body:
        h += "<p class=\"body\">" + xml_escape(p.text) + "</p>\n";
        break;
      case Paragraph::Kind::blank:
        h += "<p class=\"blank\"></p>\n";
        break;
      case Paragraph::Kind::page_break:
        h += "</div>\n<div class=\"break\"></div>\n<div class=\"page\">\n";
        break;
      case Paragraph::Kind::row: {
        if (!in_table) h += "<table>\n", in_table = true;
        h += "<tr>";
        for (size_t i = 0; i < p.cells.size(); ++i) {
          // the last cell spans what a shorter row lacks (rows of two cells are the usual case)
          h += "<td>" + xml_escape(p.cells[i]) + "</td>";
        }
        h += "</tr>\n";
        break;
      }
    }
  }
  if (in_table) h += "</table>\n";
  h += "</div></body></html>\n";
  return h;
}

}  // namespace ogi::letters
