#include "letters/docx.h"

#include <Poco/Checksum.h>
#include <Poco/DateTime.h>
#include <Poco/Zip/Compress.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ogi::letters {

namespace {

// Twips (1/1440 inch). 1 mm = 56.69 twips.
constexpr int kPageW = 11906, kPageH = 16838;  // A4
constexpr int kTop = 2098, kBottom = 1984, kLeft = 1588, kRight = 1474;
constexpr int kTypeWidth = kPageW - kLeft - kRight;  // 156 mm
constexpr int kLinePitch = 579;                      // 28.95 pt: 22 lines in 225 mm

constexpr const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>)";

constexpr const char* kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>)";

constexpr const char* kDocRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
</Relationships>)";

constexpr const char* kW =
    R"(xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main")";

std::string styles() {
  auto fonts = [](const char* east) {
    return std::string(
               R"(<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia=")") +
           east + R"(" w:cs="Times New Roman"/>)";
  };
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") +
         "\n<w:styles " + kW + ">" + "<w:docDefaults><w:rPrDefault><w:rPr>" + fonts("仿宋_GB2312") +
         R"(<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>)"
         R"(<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line=")" +
         std::to_string(kLinePitch) +
         R"(" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>)"
         R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>)"
         R"(<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body Text"/><w:basedOn w:val="Normal"/>)"
         R"(<w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr></w:style>)"
         R"(<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>)"
         R"(<w:pPr><w:spacing w:before="0" w:after="289" w:line="600" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr>)" +
         fonts("方正小标宋简体") +
         R"(<w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>)"
         R"(<w:style w:type="paragraph" w:styleId="Letterhead"><w:name w:val="Letterhead"/><w:basedOn w:val="Normal"/>)"
         R"(<w:pPr><w:pBdr><w:bottom w:val="thickThinSmallGap" w:sz="24" w:space="6" w:color="FF0000"/></w:pBdr>)"
         R"(<w:spacing w:before="0" w:after="289" w:line="720" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr>)" +
         fonts("方正小标宋简体") +
         R"(<w:color w:val="FF0000"/><w:sz w:val="52"/><w:szCs w:val="52"/></w:rPr></w:style>)"
         R"(<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/>)"
         R"(<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr>)" +
         fonts("楷体_GB2312") +
         R"(</w:rPr></w:style>)"
         R"(<w:style w:type="paragraph" w:styleId="Centre"><w:name w:val="Centred"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>)"
         R"(<w:style w:type="paragraph" w:styleId="Right"><w:name w:val="Signature"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:right="1280"/><w:jc w:val="right"/></w:pPr></w:style>)"
         R"(<w:style w:type="paragraph" w:styleId="Cell"><w:name w:val="Table Cell"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:line="440" w:lineRule="atLeast"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>)"
         R"(<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr>)" +
         fonts("宋体") +
         R"(<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>)"
         R"(<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>)"
         R"(<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>)"
         R"(<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>)"
         R"(<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>)"
         R"(</w:tblBorders><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>)"
         "</w:styles>";
}

std::string font_table() {
  auto font = [](const char* name, const char* alt, const char* family) {
    return std::string("<w:font w:name=\"") + name + "\">" +
           (alt[0] ? std::string("<w:altName w:val=\"") + alt + "\"/>" : "") +
           "<w:charset w:val=\"86\"/><w:family w:val=\"" + family +
           "\"/><w:pitch w:val=\"variable\"/></w:font>";
  };
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") + "\n<w:fonts " +
         kW + ">" + font("仿宋_GB2312", "仿宋", "modern") +
         font("方正小标宋简体", "华文中宋", "roman") + font("楷体_GB2312", "楷体", "modern") +
         font("宋体", "SimSun", "roman") +
         "<w:font w:name=\"Times New Roman\"><w:family w:val=\"roman\"/><w:pitch "
         "w:val=\"variable\"/></w:font></w:fonts>";
}

std::string settings() {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") +
         "\n<w:settings " + kW + ">" +
         R"(<w:defaultTabStop w:val="640"/><w:characterSpacingControl w:val="compressPunctuation"/>)"
         R"(<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>)"
         "</w:settings>";
}

std::string footer() {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") + "\n<w:ftr " +
         kW + ">" +
         R"(<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:t xml:space="preserve">— </w:t></w:r>)"
         R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>)"
         R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>)"
         R"(<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>)";
}

std::string core(std::string_view title, std::string_view date) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") +
         "\n<cp:coreProperties "
         "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
         "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>" +
         xml_escape(title) +
         "</dc:title><dc:language>zh-CN</dc:language>"
         "<dcterms:created xsi:type=\"dcterms:W3CDTF\">" +
         std::string(date) +
         "T00:00:00Z</dcterms:created>"
         "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">" +
         std::string(date) +
         "T00:00:00Z</dcterms:modified>"
         "</cp:coreProperties>";
}

std::string app() {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") +
         "\n<Properties "
         "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
         "<Application>OGI Desk</Application></Properties>";
}

std::string run(std::string_view text) {
  return "<w:r><w:t xml:space=\"preserve\">" + xml_escape(text) + "</w:t></w:r>";
}

std::string para(const char* style, std::string_view text) {
  std::string p = "<w:p>";
  if (style) p += std::string("<w:pPr><w:pStyle w:val=\"") + style + "\"/></w:pPr>";
  if (!text.empty()) p += run(text);
  return p + "</w:p>";
}

// The signature block (GB/T 9704-2012 7.3.5.1): the 成文日期 four characters (1,280 twips at 三号)
// from the right, the 署名 centred over the date, and the seal placeholder, a dashed red circle of
// 42 mm behind both, centred on the date with the two lines a little below its centre. Its offset
// is from the top of the 署名's paragraph, space before included (as LibreOffice and Word place
// it).
std::string signature(const Paragraph& p) {
  constexpr int kChar = 320, kDateRight = 4 * kChar, kSeal = 2381;  // twips
  const double name_w = text_width(p.cells[0]) * kChar, date_w = text_width(p.cells[1]) * kChar;
  const int name_right = std::max(0, static_cast<int>(kDateRight + (date_w - name_w) / 2));
  const double centre_from_left = kTypeWidth - kDateRight - date_w / 2;
  auto points = [](double twips) {  // tenths of a point, written without the locale
    const long tenths = std::lround(twips / 2);
    const long a = tenths < 0 ? -tenths : tenths;
    return std::string(tenths < 0 ? "-" : "") + std::to_string(a / 10) + "." +
           std::to_string(a % 10) + "pt";
  };
  const std::string seal =
      "<w:r><w:pict><v:oval style=\"position:absolute;margin-left:" +
      points(centre_from_left - kSeal / 2.0) +
      ";margin-top:" + points(2.5 * kLinePitch - kSeal / 2.0) + ";width:" + points(kSeal) +
      ";height:" + points(kSeal) +
      ";z-index:-251658240;mso-position-horizontal-relative:margin;mso-position-vertical-relative:"
      "text\" "
      "filled=\"f\" strokecolor=\"#FF0000\" strokeweight=\"1pt\"><v:stroke dashstyle=\"dash\"/>"
      "<v:textbox inset=\"0,8pt,0,0\"><w:txbxContent><w:p><w:pPr><w:spacing w:line=\"240\" "
      "w:lineRule=\"auto\"/>"
      "<w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:color w:val=\"FF0000\"/><w:sz "
      "w:val=\"24\"/></w:rPr>"
      "<w:t>（印章）</w:t></w:r></w:p></w:txbxContent></v:textbox></v:oval></w:pict></w:r>";
  // two empty lines above, so that the seal's top comes within a line of the text (7.3.5.1)
  return "<w:p><w:pPr><w:pStyle w:val=\"Right\"/><w:spacing w:before=\"" +
         std::to_string(2 * kLinePitch) + "\"/><w:ind w:right=\"" + std::to_string(name_right) +
         "\"/></w:pPr>" + seal + run(p.cells[0]) + "</w:p>" +
         "<w:p><w:pPr><w:pStyle w:val=\"Right\"/><w:spacing w:after=\"" +
         std::to_string(kLinePitch) + "\"/></w:pPr>" + run(p.cells[1]) + "</w:p>";
}

std::string table(const std::vector<const Paragraph*>& rows) {
  size_t cols = 1;
  for (auto* r : rows) cols = std::max(cols, r->cells.size());
  const int first = cols > 1 ? kTypeWidth * 3 / 10 : kTypeWidth;
  const int other = cols > 1 ? (kTypeWidth - first) / static_cast<int>(cols - 1) : 0;
  auto width = [&](size_t i) { return i == 0 ? first : other; };
  std::string t = "<w:tbl><w:tblPr><w:tblStyle w:val=\"Grid\"/><w:tblW w:w=\"" +
                  std::to_string(kTypeWidth) +
                  "\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>";
  for (size_t i = 0; i < cols; ++i) t += "<w:gridCol w:w=\"" + std::to_string(width(i)) + "\"/>";
  t += "</w:tblGrid>";
  for (auto* r : rows) {
    t += "<w:tr><w:trPr><w:trHeight w:val=\"567\"/></w:trPr>";
    for (size_t i = 0; i < r->cells.size(); ++i) {
      const size_t span = (i + 1 == r->cells.size()) ? cols - i : 1;  // the last cell fills the row
      int w = 0;
      for (size_t k = i; k < i + span; ++k) w += width(k);
      t += "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(w) + "\" w:type=\"dxa\"/>";
      if (span > 1) t += "<w:gridSpan w:val=\"" + std::to_string(span) + "\"/>";
      t += "<w:vAlign w:val=\"center\"/></w:tcPr>" + para("Cell", r->cells[i]) + "</w:tc>";
    }
    t += "</w:tr>";
  }
  return t + "</w:tbl>";
}

std::string document(const std::vector<Paragraph>& doc) {
  std::string body;
  std::vector<const Paragraph*> rows;
  auto flush = [&] {
    if (rows.empty()) return;
    body += table(rows);
    rows.clear();
  };
  for (auto& p : doc) {
    if (p.kind == Paragraph::Kind::row) {
      rows.push_back(&p);
      continue;
    }
    flush();
    switch (p.kind) {
      case Paragraph::Kind::letterhead:
        body += para("Letterhead", p.text);
        break;
      case Paragraph::Kind::signature:
        body += signature(p);
        break;
      case Paragraph::Kind::title:
        body += para("Title", p.text);
        break;
      case Paragraph::Kind::subtitle:
        body += para("Subtitle", p.text);
        break;
      case Paragraph::Kind::centre:
        body += para("Centre", p.text);
        break;
      case Paragraph::Kind::left:
        body += para(nullptr, p.text);
        break;
      case Paragraph::Kind::right:
        body += para("Right", p.text);
        break;
      case Paragraph::Kind::body:
        body += para("Body", p.text);
        break;
      case Paragraph::Kind::blank:
        body += para(nullptr, "");
        break;
      case Paragraph::Kind::page_break:
        body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";
        break;
      case Paragraph::Kind::row:
        break;
    }
  }
  flush();
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") +
         "\n<w:document " + kW +
         " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
         " xmlns:v=\"urn:schemas-microsoft-com:vml\"><w:body>" +
         body + "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/><w:pgSz w:w=\"" +
         std::to_string(kPageW) + "\" w:h=\"" + std::to_string(kPageH) + "\"/><w:pgMar w:top=\"" +
         std::to_string(kTop) + "\" w:right=\"" + std::to_string(kRight) + "\" w:bottom=\"" +
         std::to_string(kBottom) + "\" w:left=\"" + std::to_string(kLeft) +
         "\" w:header=\"851\" w:footer=\"1587\" w:gutter=\"0\"/><w:docGrid w:type=\"lines\" "
         "w:linePitch=\"" +
         std::to_string(kLinePitch) + "\"/></w:sectPr></w:body></w:document>";
}

}  // namespace

std::string document_xml(const std::vector<Paragraph>& doc) { return document(doc); }

std::string package_docx(const std::string& document_xml, std::string_view title,
                         std::string_view date) {
  int y = 2000, m = 1, d = 1;
  if (date.size() == 10) {
    y = std::stoi(std::string(date.substr(0, 4)));
    m = std::stoi(std::string(date.substr(5, 2)));
    d = std::stoi(std::string(date.substr(8, 2)));
  }
  const Poco::DateTime when(y, m, d, 9, 0, 0);
  // Every part is stored, not deflated: a letter's parts are small (the document about 2 KB of
  // XML), so deflating saves about 2 KB a letter but costs twice the time of the whole package,
  // and letters are packaged inside the event's transaction (docs/performance.md).
  static const std::string kStyles = styles(), kSettings = settings(), kFonts = font_table(),
                           kFooter = footer();
  std::ostringstream out(std::ios::binary);
  Poco::Zip::Compress zip(out, true);
  auto add = [&](const std::string& path, const std::string& data) {
    std::istringstream in(data, std::ios::binary);
    zip.addFile(in, when, Poco::Path(path, Poco::Path::PATH_UNIX), Poco::Zip::ZipCommon::CM_STORE,
                Poco::Zip::ZipCommon::CL_NORMAL);
  };
  add("[Content_Types].xml", kContentTypes);
  add("_rels/.rels", kRootRels);
  add("word/_rels/document.xml.rels", kDocRels);
  add("word/styles.xml", kStyles);
  add("word/settings.xml", kSettings);
  add("word/fontTable.xml", kFonts);
  add("word/footer1.xml", kFooter);
  add("docProps/core.xml", core(title, date));
  add("docProps/app.xml", app());
  add("word/document.xml", document_xml);  // last: replace_main_part() relies on it
  zip.close();
  return out.str();
}

namespace {
uint32_t u32(const std::string& b, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
uint16_t u16(const std::string& b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) |
                               static_cast<unsigned char>(b[at + 1]) << 8);
}
void put32(std::string& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    b[at + static_cast<size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
}  // namespace

std::optional<std::string> replace_main_part(const std::string& package,
                                             const std::string& document_xml) {
  // End of central directory: the last 22 bytes (Poco writes no comment).
  if (package.size() < 22 || u32(package, package.size() - 22) != 0x06054b50) return std::nullopt;
  const size_t eocd = package.size() - 22;
  const size_t cd_size = u32(package, eocd + 12), cd_offset = u32(package, eocd + 16);
  if (cd_offset + cd_size != eocd) return std::nullopt;
  // The central entry of word/document.xml (Poco lists entries by name): stored (method 0), no
  // data descriptor, and its data the last thing before the directory.
  size_t entry = cd_offset, last = std::string::npos;
  while (entry < eocd) {
    if (u32(package, entry) != 0x02014b50) return std::nullopt;
    if (package.compare(entry + 46, u16(package, entry + 28), "word/document.xml") == 0)
      last = entry;
    entry += 46 + u16(package, entry + 28) + u16(package, entry + 30) + u16(package, entry + 32);
  }
  if (last == std::string::npos || u16(package, last + 10) != 0 || (u16(package, last + 8) & 0x08))
    return std::nullopt;
  const size_t local = u32(package, last + 42);
  if (u32(package, local) != 0x04034b50) return std::nullopt;
  const size_t data = local + 30 + u16(package, local + 26) + u16(package, local + 28);
  if (data + u32(package, local + 18) != cd_offset)
    return std::nullopt;  // the data runs up to the directory
  Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
  crc.update(document_xml.data(), static_cast<unsigned>(document_xml.size()));
  const auto size = static_cast<uint32_t>(document_xml.size());
  std::string out = package.substr(0, data) + document_xml + package.substr(cd_offset);
  put32(out, local + 14, crc.checksum());
  put32(out, local + 18, size);
  put32(out, local + 22, size);
  const size_t shift =
      document_xml.size() - (cd_offset - data);  // wraps around when smaller; cancels out below
  const size_t new_last = last + shift;
  put32(out, new_last + 16, crc.checksum());
  put32(out, new_last + 20, size);
  put32(out, new_last + 24, size);
  put32(out, out.size() - 22 + 16, static_cast<uint32_t>(data + document_xml.size()));
  return out;
}

std::string to_docx(const std::vector<Paragraph>& doc, std::string_view title,
                    std::string_view date) {
  return package_docx(document(doc), title, date);
}

}  // namespace ogi::letters
