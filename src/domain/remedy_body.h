#pragma once
// The body an applicant asks for reconsideration (行政复议机关), from what the agency is
// (行政复议法 as revised in 2023, Arts 24–27; domain.md §6): a department of a local government →
// that 本级人民政府; a 人民政府 → the next-higher 人民政府; a 派出机关 (街道办事处 …) → the
// government that set it up; a vertically-led agency → its 上一级主管部门; a State Council
// department → itself. Pure: the caller passes the agency and its supervising agency.

#include <optional>
#include <string>

namespace ogi {

struct AgencyFacts {
  std::string kind;  // agency_kinds(), or "" when not set
  std::string name;
};

struct BodyChoice {
  std::string body;     // "" when none can be named
  std::string source;   // "set" (by the admin), "derived" (kind and tree), or "" (unknown)
  std::string warning;  // Chinese, for the admin pages, when body is empty
};

// `set` is the admin's explicit choice; it wins over any derivation.
BodyChoice reconsideration_body(const AgencyFacts& agency, const std::optional<AgencyFacts>& parent,
                                const std::string& set);

}  // namespace ogi
