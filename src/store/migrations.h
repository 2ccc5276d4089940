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
// In ascending version order: db/NNN_*.sql (SQLite) and db/postgresql/NNN_*.sql (the same
// versions in PostgreSQL's dialect).
const std::vector<Migration>& migrations();
const std::vector<Migration>& pg_migrations();
}  // namespace ogi
