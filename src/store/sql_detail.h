#pragma once
// Shared by the store's translation units only: small conversions. Not part of any public
// interface.

#include <sstream>

#include "store/sql_ports.h"

namespace ogi::detail {

inline std::vector<std::string> split_roles(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string r; std::getline(in, r, ',');)
    if (!r.empty()) out.push_back(r);
  return out;
}
inline std::string join_roles(const std::vector<std::string>& v) {
  std::string s;
  for (auto& r : v) s += (s.empty() ? "" : ",") + r;
  return s;
}

inline std::string render_number(std::string pattern, int year, long long seq) {
  auto rep = [&](const std::string& key, const std::string& val) {
    for (size_t p; (p = pattern.find(key)) != std::string::npos;)
      pattern.replace(p, key.size(), val);
  };
  rep("{year}", std::to_string(year));
  rep("{seq}", std::to_string(seq));
  return pattern;
}

// The ids of these agency codes as a comma-separated list of integers, read from the table
// (never from the request), for an `IN (...)` the per-agency indexes can serve.
inline std::string agency_ids(StatementCache& q_, const std::vector<std::string>& agencies) {
  std::string ids;
  for (auto& code : agencies) {
    auto q = q_("SELECT id FROM agencies WHERE code=?");
    q.text(1, code);
    if (q.row()) ids += (ids.empty() ? "" : ",") + std::to_string(q.num(0));
  }
  return ids;
}

// "(?,?,?)" for n parameters.
inline std::string in_list(size_t n) {
  std::string s = "(";
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s + ")";
}

// The current time as stored in created_at / updated_at / applied_at columns (UTC).
std::string utc_now();

}  // namespace ogi::detail
