#pragma once
// When an earlier application may be the same request (a 重复申请, Art 36(6)): the rule the
// registration desk and GET /api/v1/duplicates apply. The store only finds candidate rows.
#include <string>
#include <vector>

namespace ogi {

// Earlier applications received within this many days are compared.
inline constexpr int kDuplicateWindowDays = 365;
// At most this many suggestions are shown.
inline constexpr int kDuplicateLimit = 20;

// The distinctive 3-character windows of a request text: boilerplate every request shares
// (申请公开, 政府信息, ...) and punctuation are left out first; at most 64, in order of appearance.
std::vector<std::string> duplicate_terms(std::string text);

// An earlier request is similar when it shares at least two of the terms (all of them when the
// text has fewer).
bool similar_request(const std::vector<std::string>& terms, const std::string& earlier_content);

}  // namespace ogi
