#pragma once
// Schema migrations, embedded from db/NNN_name.sql at build time (db/embed.cmake).
#include <string>
#include <vector>

namespace ogi {
struct Migration {
  int version;
  std::string name;
  std::string sql;
};
// In ascending version order.
const std::vector<Migration>& migrations();
}  // namespace ogi
