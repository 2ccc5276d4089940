#include "domain/identity.h"

#include <cctype>
#include <vector>

#include "base/text.h"

namespace ogi {

Result<std::string> check_resident_id(std::string_view in, const Date& today) {
  std::string id(in);
  if (!id.empty() && id.back() == 'x') id.back() = 'X';
  auto bad = [&](const std::string& why) {
    return make_error(Code::invalid, "id_number: 居民身份证号码无效（" + why + "）", "id_number");
  };
  if (id.size() != 18) return bad("应为18位");
  for (size_t i = 0; i < 17; ++i)
    if (!std::isdigit(static_cast<unsigned char>(id[i]))) return bad("前17位应为数字");
  if (!std::isdigit(static_cast<unsigned char>(id[17])) && id[17] != 'X')
    return bad("校验位应为数字或X");
  auto birth = parse_date(id.substr(6, 4) + "-" + id.substr(10, 2) + "-" + id.substr(12, 2));
  if (!birth || *birth > today) return bad("出生日期不成立");
  static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char check[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[i] - '0') * w[i];
  if (check[sum % 11] != id[17]) return bad("校验位不符");
  return id;
}

Result<std::string> check_credit_code(std::string_view in) {
  static const std::string chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  auto bad = [&](const std::string& why) {
    return make_error(Code::invalid, "credit_code: 统一社会信用代码无效（" + why + "）",
                      "credit_code");
  };
  std::string code(in);
  for (auto& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (code.size() != 18) return bad("应为18位");
  int sum = 0;
  for (int i = 0; i < 18; ++i) {
    auto p = chars.find(code[i]);
    if (p == std::string::npos) return bad("含有不允许的字符");
    if (i < 17) sum += static_cast<int>(p) * w[i];
  }
  int c = (31 - sum % 31) % 31;
  if (chars[c] != code[17]) return bad("校验位不符");
  return code;
}

std::string mask(std::string_view s, size_t head, size_t tail) {
  auto cps = utf8_chars(s);
  if (cps.size() <= head + tail) return std::string(cps.size(), '*');
  std::string out;
  for (size_t i = 0; i < cps.size(); ++i)
    out += (i < head || i >= cps.size() - tail) ? std::string(cps[i]) : std::string("*");
  return out;
}

std::string mask_id(std::string_view id) { return mask(id, 6, 4); }
std::string mask_phone(std::string_view p) { return mask(p, 3, 4); }

}  // namespace ogi
