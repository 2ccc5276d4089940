// Moving a database between engines (ogi migrate-to): every table copied row by row with its
// ids, in one transaction on the target, then the row counts of both compared.
#include "store/sql_detail.h"
#include "store/sql_store.h"

namespace ogi {

using detail::Engine;

namespace {
// In an order that satisfies the foreign keys. `schema_migrations` is the target's own.
struct Table {
  const char* name;
  const char* select;  // the source's rows, in id order
  bool identity;       // an id column whose sequence must continue after the copied ids
};
const Table kTables[] = {
    {"agencies", "SELECT * FROM agencies ORDER BY id", true},
    {"users", "SELECT * FROM users ORDER BY id", true},
    {"applicants", "SELECT * FROM applicants ORDER BY id", true},
    {"number_counters", "SELECT * FROM number_counters", false},
    {"cases", "SELECT * FROM cases ORDER BY id", true},
    {"case_events", "SELECT * FROM case_events ORDER BY id", true},
    {"case_assignments", "SELECT * FROM case_assignments ORDER BY id", true},
    {"consultations", "SELECT * FROM consultations ORDER BY id", false},
    {"remedies", "SELECT * FROM remedies ORDER BY id", false},
    {"calendar_years", "SELECT * FROM calendar_years ORDER BY year", false},
    {"audit_log", "SELECT * FROM audit_log ORDER BY id", true},
    {"sessions", "SELECT * FROM sessions", false},
    {"login_failures", "SELECT * FROM login_failures ORDER BY id", true},
    {"attachments", "SELECT * FROM attachments ORDER BY id", true},
    {"case_search", "SELECT rowid, name, content FROM case_search ORDER BY rowid", false},
    {"case_pairs", "SELECT rowid, pairs FROM case_pairs ORDER BY rowid", false},
    {"alerts", "SELECT * FROM alerts ORDER BY id", true},
    {"letters", "SELECT * FROM letters ORDER BY id", true},
    {"letter_templates", "SELECT * FROM letter_templates ORDER BY id", true},
    {"period_locks", "SELECT * FROM period_locks", false},
    {"reminders", "SELECT * FROM reminders", false},
};
}  // namespace

Result<std::vector<std::pair<std::string, long long>>> SqlStore::copy_from(
    SqlStore& from, const std::function<void(const std::string&, long long)>& progress) {
  if (&from == this)
    return make_error(Code::invalid, "migrate-to: source and target are the same database");
  if (schema_version() != from.schema_version())
    return make_error(Code::conflict, "migrate-to: the source has schema version " +
                                          std::to_string(from.schema_version()) + ", the target " +
                                          std::to_string(schema_version()) +
                                          " (run `ogi init` on both with this program first)");
  for (const char* t : {"agencies", "cases", "audit_log"})
    if (count(t) != 0)
      return make_error(Code::conflict,
                        std::string("migrate-to: the target is not empty (table ") + t + ")");
  std::lock_guard source(from.rmu_);
  auto copied = write([&]() -> Result<std::vector<std::pair<std::string, long long>>> {
    std::vector<std::pair<std::string, long long>> counts;
    for (const Table& t : kTables) {
      auto src = from.rq_.once(t.select);
      std::unique_ptr<detail::Query> ins;
      long long n = 0;
      while (src.row()) {
        if (!ins) {
          std::string cols, marks;
          for (int c = 0; c < src.columns(); ++c) {
            cols += (c ? "," : "") + src.column_name(c);
            marks += c ? ",?" : "?";
          }
          ins = std::make_unique<detail::Query>(q_.once(std::string("INSERT INTO ") + t.name + "(" +
                                                        cols + ") VALUES(" + marks + ")"));
        }
        for (int c = 0; c < src.columns(); ++c) {
          if (src.is_null(c))
            ins->null(c + 1);
          else if (src.column_name(c) == "docx")
            ins->blob(c + 1, src.bytes(c));
          else
            ins->text(c + 1, src.str(c));
        }
        ins->exec();
        ++n;
      }
      if (t.identity && engine() == Engine::postgresql)
        q_.once(std::string("SELECT setval(pg_get_serial_sequence('") + t.name +
                "', 'id'), coalesce((SELECT max(id) FROM " + t.name + "), 0) + 1, false)")
            .run();
      counts.emplace_back(t.name, n);
      if (progress) progress(t.name, n);
    }
    step("copied");
    return counts;
  });
  if (!copied) return copied.error();
  // Verified by counts on both sides, read back after the commit.
  std::lock_guard reading(rmu_);
  for (auto& [table, n] : *copied) {
    auto a = rq_.once(std::string("SELECT count(*) FROM ") + table);
    const long long there = a.row() ? a.num(0) : -1;
    if (there != n)
      return make_error(Code::internal, "migrate-to: table " + table + " has " +
                                            std::to_string(there) + " rows in the target, " +
                                            std::to_string(n) + " in the source");
  }
  return copied;
}

}  // namespace ogi
