#pragma once
// Letter markup (docs/letters.md): what a letter template renders to, one paragraph per line.
// It is turned into plain text (golden tests), print-ready HTML and DOCX (docx.cpp).

#include <string>
#include <string_view>
#include <vector>

namespace ogi::letters {

struct Paragraph {
  enum class Kind { title, subtitle, centre, left, right, body, row, page_break, blank };
  Kind kind = Kind::body;
  std::string text;                // all kinds but row
  std::vector<std::string> cells;  // row
};

// Splits markup into paragraphs. A U+2028 (line separator, what a value's line breaks become)
// starts a new paragraph of the same kind.
std::vector<Paragraph> parse_markup(std::string_view markup);

// Plain text: one line per paragraph; body paragraphs indented by two full-width spaces, table
// cells joined by " | ", page breaks as a line of "---".
std::string to_text(const std::vector<Paragraph>& doc);

// A standalone A4 HTML page (GB/T 9704-2012 margins and fonts in print CSS).
std::string to_html(const std::vector<Paragraph>& doc, std::string_view title);

// Escapes &, <, >, " for XML and HTML text.
std::string xml_escape(std::string_view s);

}  // namespace ogi::letters
