#include "app/registration.h"

#include <algorithm>
#include <optional>

#include "base/text.h"
#include "domain/codes.h"
#include "domain/identity.h"

namespace ogi {

namespace {
Error invalid(const std::string& field, const std::string& msg) {
  return make_error(Code::invalid, field + ": " + msg, field);
}
bool too_long(const std::string& s, size_t n) { return s.size() > n; }

// A name is printed in letters and lists: no control characters, no bidirectional overrides
// (which would show it reversed), not blanks only (issue 18, finding 9).
std::string name_problem(const std::string& s) {
  bool visible = false;
  for (auto& ch : utf8_chars(s)) {
    unsigned char c0 = static_cast<unsigned char>(ch[0]);
    if (ch.size() == 1 && (c0 < 0x20 || c0 == 0x7F)) return "含有控制字符";
    // U+200E/200F, U+202A-202E, U+2066-2069 (E2 80 8E/8F, E2 80 AA-AE, E2 81 A6-A9)
    if (ch.size() == 3 && c0 == 0xE2) {
      unsigned char c1 = static_cast<unsigned char>(ch[1]), c2 = static_cast<unsigned char>(ch[2]);
      if ((c1 == 0x80 && (c2 == 0x8E || c2 == 0x8F || (c2 >= 0xAA && c2 <= 0xAE))) ||
          (c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9))
        return "含有改变文字方向的不可见字符";
    }
    if (ch != " " && ch != "\t" && ch != "\xE3\x80\x80") visible = true;  // ASCII blanks and U+3000
  }
  return visible ? "" : "不能只有空格";
}
}  // namespace

std::vector<Error> registration_problems(RegistrationRequest& r, const Date& today) {
  std::vector<Error> out;
  // One check per field: the first problem of each field, every field checked.
  auto check = [&out](auto&& f) {
    if (std::optional<Error> e = f()) out.push_back(std::move(*e));
  };
  using E = std::optional<Error>;
  Applicant& a = r.applicant;
  check([&]() -> E {
    if (a.type.empty()) return invalid("applicant.type", "必须填写申请人类型");
    if (!is_code(applicant_types(), a.type))
      return invalid("applicant.type",
                     "未知申请人类型“" + a.type + "”，可选：" + list_codes(applicant_types()));
    return {};
  });
  check([&]() -> E {
    if (a.name.empty()) return invalid("applicant.name", "必须填写申请人姓名或名称");
    if (too_long(a.name, 300)) return invalid("applicant.name", "过长");
    if (auto p = name_problem(a.name); !p.empty()) return invalid("applicant.name", p);
    return {};
  });
  if (is_organisation(a.type)) {
    check([&]() -> E {
      if (!a.id_type.empty() || !a.id_number.empty())
        return invalid("applicant.id_number",
                       "法人或其他组织应填写统一社会信用代码（credit_code），而非身份证件");
      return {};
    });
    check([&]() -> E {
      if (a.credit_code.empty()) return {};
      auto c = check_credit_code(a.credit_code);
      if (!c)
        return invalid("applicant.credit_code",
                       c.error().message.substr(c.error().message.find(' ') + 1));
      a.credit_code = *c;
      return {};
    });
  } else {
    check([&]() -> E {
      if (!a.credit_code.empty())
        return invalid("applicant.credit_code", "自然人应填写身份证件，而非统一社会信用代码");
      return {};
    });
    check([&]() -> E {
      if (!a.id_number.empty() && a.id_type.empty()) a.id_type = "resident_id";
      if (!a.id_type.empty() && !is_code(id_types(), a.id_type))
        return invalid("applicant.id_type",
                       "未知证件类型“" + a.id_type + "”，可选：" + list_codes(id_types()));
      if (a.id_type == "resident_id" && !a.id_number.empty()) {
        auto c = check_resident_id(a.id_number, today);
        if (!c)
          return invalid("applicant.id_number",
                         c.error().message.substr(c.error().message.find(' ') + 1));
        a.id_number = *c;
      } else if (too_long(a.id_number, 40)) {
        return invalid("applicant.id_number", "过长");
      }
      return {};
    });
  }
  check([&]() -> E {
    if (a.phone.empty()) return {};
    for (char ch : a.phone)
      if (!((ch >= '0' && ch <= '9') || ch == '-' || ch == '+' || ch == ' '))
        return invalid("applicant.phone", "只能包含数字、空格、+ 和 -");
    if (a.phone.size() < 5 || a.phone.size() > 30)
      return invalid("applicant.phone", "长度不对（5 至 30 位）");
    return {};
  });
  check([&]() -> E {
    if (!a.email.empty() && (a.email.find('@') == std::string::npos || too_long(a.email, 200)))
      return invalid("applicant.email", "格式不对");
    return {};
  });
  check([&]() -> E {
    if (too_long(a.address, 500)) return invalid("applicant.address", "过长");
    return {};
  });
  check([&]() -> E {
    if (r.channel.empty()) return invalid("channel", "必须填写提交方式");
    if (!is_code(channels(), r.channel))
      return invalid("channel", "未知提交方式“" + r.channel + "”，可选：" + list_codes(channels()));
    return {};
  });
  check([&]() -> E {
    if (r.received_on.empty()) return invalid("received_on", "必须填写收到申请日期");
    auto d = parse_date(r.received_on, "received_on");
    if (!d) return invalid("received_on", "日期格式应为 YYYY-MM-DD：" + r.received_on);
    if (*d > today) return invalid("received_on", r.received_on + " 晚于今天，不能是将来的日期");
    return {};
  });
  check([&]() -> E {
    if (r.content.empty()) return invalid("content", "必须填写申请公开的政府信息内容描述");
    if (too_long(r.content, 20000)) return invalid("content", "过长（不超过20000字节）");
    return {};
  });
  check([&]() -> E {
    if (!r.form.empty() && !is_code(forms(), r.form))
      return invalid("form", "未知信息提供形式“" + r.form + "”，可选：" + list_codes(forms()));
    return {};
  });
  check([&]() -> E {
    if (!r.delivery.empty() && !is_code(delivery_wanted(), r.delivery))
      return invalid("delivery",
                     "未知获取方式“" + r.delivery + "”，可选：" + list_codes(delivery_wanted()));
    return {};
  });
  return out;
}

Result<RegistrationRequest> validate_registration(RegistrationRequest r, const Date& today) {
  auto problems = registration_problems(r, today);
  if (!problems.empty()) return problems.front();
  return r;
}

std::vector<std::string> missing_items(const Case& c) {
  std::vector<std::string> m;
  const Applicant& a = c.applicant;
  if (is_organisation(a.type) ? a.credit_code.empty() : a.id_number.empty())
    m.push_back(is_organisation(a.type) ? "统一社会信用代码" : "身份证件号码");
  if (a.phone.empty() && a.address.empty() && a.email.empty()) m.push_back("联系方式");
  if (c.form.empty()) m.push_back("政府信息的形式要求");
  if (c.delivery.empty()) m.push_back("获取信息的方式");
  return m;
}

std::vector<CaseRow> possible_duplicates(QueryStore& q, const User& u, const std::string& name,
                                         const std::string& identity, const std::string& content,
                                         const Date& today) {
  if (u.agencies_visible.empty()) return {};
  const Date since = today - boost::gregorian::days(kDuplicateWindowDays);
  std::vector<CaseRow> out;
  if (!name.empty() || !identity.empty())
    out = q.same_applicant(u.agencies_visible, name, identity, since, kDuplicateLimit);
  const auto terms = duplicate_terms(content);
  if (!terms.empty()) {
    for (auto& r : q.text_candidates(u.agencies_visible, terms, since, 200)) {
      const bool seen =
          std::any_of(out.begin(), out.end(), [&](const CaseRow& x) { return x.id == r.id; });
      if (!seen && similar_request(terms, r.content)) out.push_back(std::move(r));
    }
  }
  if (out.size() > static_cast<size_t>(kDuplicateLimit)) out.resize(kDuplicateLimit);
  return out;
}

}  // namespace ogi
