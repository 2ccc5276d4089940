// Reads the yearly holiday notice as published (see notice.h): finds the title's year, the
// notice number and the numbered items; notice_item.cpp reads each item.
#include "calendar/notice.h"

#include "calendar/notice_text.h"

namespace ogi {

namespace {

using namespace notice_detail;
constexpr auto npos = std::string_view::npos;

// One line as it is read: full-width digits and ASCII punctuation in the forms the notices use,
// every blank dropped (none matters in the Chinese text).
std::string normalize(std::string_view line) {
  static const std::pair<std::string_view, std::string_view> kMap[] = {
      {":", "："},  {"(", "（"},  {")", "）"},  {",", "，"},  {";", "；"},
      {"[", "〔"},  {"]", "〕"},  {"［", "〔"}, {"］", "〕"}, {"﹝", "〔"},
      {"﹞", "〕"}, {"～", "至"}, {"~", "至"}};
  std::string out;
  for (auto& ch : utf8_chars(line)) {
    if (ch == " " || ch == "\t" || ch == "\r" || ch == "\u3000" || ch == "\u00a0" ||
        ch == "\ufeff" || ch == "\u200b")
      continue;
    if (ch.size() == 3 && ch.compare("０") >= 0 && ch.compare("９") <= 0) {
      out += char('0' + (static_cast<unsigned char>(ch[2]) - 0x90));
      continue;
    }
    std::string_view to = ch;
    for (auto& [from, repl] : kMap)
      if (ch == from) to = repl;
    out += to;
  }
  return out;
}

// Length of an item number ("三、", "十一、") at the start of a line; 0 if there is none.
size_t item_number(std::string_view s) {
  size_t p = 0;
  while (p < 9 && index_in(kCnDigits, s, p) >= 0) p += 3;
  return p > 0 && eat(s, p, "、") ? p : 0;
}

// The notice number in a line (国办发明电〔2025〕7号: ideographs, 〔year〕, number, 号), if any;
// written with 〔〕 whichever brackets the text uses.
std::string notice_number(std::string_view s) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  for (auto [open, close] : {std::pair("〔", "〕"), std::pair("（", "）")})
    for (size_t b = s.find(open); b != npos; b = s.find(open, b + 1)) {
      size_t p = b + 3, n;
      if (!digits_at(s, p) || p != b + 7 || !eat(s, p, close) || !(n = p, digits_at(s, p)) ||
          !eat(s, p, "号"))
        continue;
      size_t a = b;  // the issuer's prefix: the ideographs before the bracket
      while (a >= 3 && b - a < 30 && byte(a - 3) >= 0xE4 && byte(a - 3) <= 0xE9 &&
             (byte(a - 2) & 0xC0) == 0x80 && (byte(a - 1) & 0xC0) == 0x80)
        a -= 3;
      if (b - a >= 6)
        return std::string(s.substr(a, b - a)) + "〔" + std::string(s.substr(b + 3, 4)) + "〕" +
               std::string(s.substr(n, p - n));
    }
  return {};
}

// The year named by the title (关于2026年…) or the intro (现将2026年…); 0 if none.
int title_year(std::string_view s) {
  for (std::string_view key : {"关于", "现将"})
    for (size_t k = s.find(key); k != npos; k = s.find(key, k + 1)) {
      size_t p = k + key.size();
      auto y = digits_at(s, p);
      if (y && p == k + key.size() + 4 && eat(s, p, "年")) return *y;
    }
  return 0;
}

}  // namespace

Result<YearData> parse_notice(std::string_view text, int year, const std::string& source) {
  std::vector<Item> items;
  std::vector<std::string> problems;
  std::string notice;
  int titled = 0, titled_line = 0;
  bool open = false;  // the last item may go on in the next line
  auto take = [&](const std::string& l, int ln) {
    if (size_t n = item_number(l)) {
      items.push_back({ln, l.substr(n), {}});
      open = true;
    } else if (items.empty()) {  // title, notice number, salutation, intro
      if (!titled && (titled = title_year(l))) titled_line = ln;
      if (notice.empty()) notice = notice_number(l);
    } else if (open && !l.empty()) {  // the item's sentence is not done, or a 上班 sentence
      Item& it = items.back();
      bool more = it.text.ends_with("。")
                      ? is_digit_at(l, 0) && (l.find("放假") != npos || l.find("上班") != npos ||
                                              l.find("补休") != npos)
                      : !l.starts_with("节假日期间") && !l.starts_with("国务院");
      if ((open = more)) {
        it.segs.push_back({it.text.size(), ln});
        it.text += l;
      }
    }
  };
  for (size_t pos = 0, ln = 1; pos <= text.size(); ++ln) {
    size_t nl = std::min(text.find('\n', pos), text.size());
    std::string l = normalize(text.substr(pos, nl - pos));
    pos = nl + 1;
    size_t from = 0;  // items run together on one line ("…上班。三、清明节：…") are split
    for (size_t p = l.find("。"); p != npos; p = l.find("。", p + 3))
      if (item_number(std::string_view(l).substr(p + 3)))
        take(l.substr(from, p + 3 - from), int(ln)), from = p + 3;
    take(l.substr(from), int(ln));
  }
  if (items.empty())
    problems.push_back("未找到放假安排条目（如“一、元旦：1月1日放假，共1天。”）：请粘贴通知的全文");
  if (year == 0) {
    year = titled;
  } else if (titled && titled != year) {
    problems.push_back("第" + std::to_string(titled_line) + "行：标题中的年份（" +
                       std::to_string(titled) + "年）与指定的年份（" + std::to_string(year) +
                       "年）不一致");
  }
  if (year == 0)
    problems.push_back(
        "未能确定年份：未找到标题“国务院办公厅关于YYYY年部分节假日安排的通知”，"
        "请指定年份");
  else if (year < 1900 || year > 2199)
    problems.push_back("年份" + std::to_string(year) + "超出1900–2199");
  YearData y;
  y.year = year;
  y.notice = notice;
  y.source = source;
  if (problems.empty() || (!items.empty() && year >= 1900 && year <= 2199)) {
    for (auto& it : items) read_item(it, year, y, problems);
    YearData check = y;  // the missing number is reported here, in Chinese
    if (notice.empty()) {
      problems.push_back("未找到通知文号（如“国办发明电〔2025〕7号”）：请粘贴包括文号在内的全文");
      check.notice = "-";
    }
    for (auto& p : validate_year(check)) problems.push_back(p);
  }
  if (problems.empty()) return y;
  std::string msg;
  for (auto& p : problems) msg += (msg.empty() ? "" : "\n") + p;
  return make_error(Code::invalid, msg);
}

}  // namespace ogi
