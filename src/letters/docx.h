#pragma once
// DOCX (Office Open XML, WordprocessingML) written by the project and packaged with Poco::Zip,
// laid out per GB/T 9704-2012: A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right
// (a 156 x 225 mm type area); title in 小标宋 二号; body in 仿宋 三号 with a 28.95 pt exact line
// pitch (22 lines a page); page numbers "— N —" in the footer. Fonts name the GB2312 faces with
// common fallbacks (altName) for machines that lack them.
//
// The output is deterministic for the same markup and date: zip entries carry `date`, so the
// same letter always has the same bytes and SHA-256.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "letters/markup.h"

namespace ogi::letters {

// `date` is YYYY-MM-DD (the letter's date: zip entry times and the document's dates).
std::string to_docx(const std::vector<Paragraph>& doc, std::string_view title,
                    std::string_view date);

// The two steps of to_docx: the main part (word/document.xml), and the package around it.
std::string document_xml(const std::vector<Paragraph>& doc);
std::string package_docx(const std::string& document_xml, std::string_view title,
                         std::string_view date);
// A package from package_docx with its main part replaced: the bytes package_docx would have
// written for `document_xml` (the part is stored and last, so only its header, data and the
// directory after it change). Nothing when `package` is not laid out that way.
std::optional<std::string> replace_main_part(const std::string& package,
                                             const std::string& document_xml);

}  // namespace ogi::letters
