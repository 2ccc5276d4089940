#pragma once
// Letter markup (docs/letters.md): what a letter template renders to, one paragraph per line.
// It is turned into plain text (golden tests), print-ready HTML and DOCX (docx.cpp).

#include <string>
#include <string_view>
#include <vector>

namespace ogi::letters {

struct Paragraph {
  enum class Kind {
    letterhead,
    title,
    subtitle,
    centre,
    left,
    right,
    body,
    row,
    signature,
    page_break,
    blank
  };
  Kind kind = Kind::body;
  std::string text;                // all kinds but row
  std::vector<std::string> cells;  // row; signature: {署名, 成文日期}
};

// Splits markup into paragraphs. A U+2028 (line separator, what a value's line breaks become)
// starts a new paragraph of the same kind.
std::vector<Paragraph> parse_markup(std::string_view markup);

// Plain text: one line per paragraph; body paragraphs indented by two full-width spaces, table
// cells joined by " | ", page breaks as a line of "---"; a signature block as two lines, the
// 署名 with the seal placeholder "（印章）" after it, then the 成文日期.
std::string to_text(const std::vector<Paragraph>& doc);

// A standalone A4 HTML page (GB/T 9704-2012 margins and fonts in print CSS).
std::string to_html(const std::vector<Paragraph>& doc, std::string_view title);

// Escapes &, <, >, " for XML and HTML text.
std::string xml_escape(std::string_view s);

// The width of a line in characters of the body font: a CJK character is one, an ASCII one half.
double text_width(std::string_view s);

}  // namespace ogi::letters
