#pragma once
// Identity numbers of applicants (domain.md §2, Art 29).

#include <string>
#include <string_view>

#include "base/date.h"
#include "base/status.h"

namespace ogi {

// 居民身份证 number, GB 11643-1999: 17 digits (6 region, 8 birth date, 3 sequence) and an ISO
// 7064 MOD 11-2 check character (0-9 or X). The birth date must be a real date not after
// `today`. Lower-case x is accepted and normalised. Returns the normalised number.
Result<std::string> check_resident_id(std::string_view id, const Date& today);

// 统一社会信用代码, GB 32100-2015: 18 characters from 0-9 and A-Y without I, O, S, V, Z; the last
// is a MOD 31 check character. Lower case is normalised. Returns the normalised code.
Result<std::string> check_credit_code(std::string_view code);

// "110101********1234" style masks for lists and logs: keep the first `head` and last `tail`
// characters (UTF-8 aware), replace the rest with '*'.
std::string mask(std::string_view s, size_t head, size_t tail);
std::string mask_id(std::string_view id);        // 6 + 4
std::string mask_phone(std::string_view phone);  // 3 + 4

}  // namespace ogi
