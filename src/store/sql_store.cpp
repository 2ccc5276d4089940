#include "store/sql_store.h"

#include <Poco/Exception.h>

#include <filesystem>
#include <sstream>

#include "app/auth.h"
#include "domain/letters.h"
#include "log/log.h"
#include "store/fields_json.h"
#include "store/migrations.h"
#include "store/sql_detail.h"

using namespace ogi::detail;

namespace ogi {

// The ports go before the core (members before bases): stop the committer while they exist, so
// a queued write never outlives them.
SqlStore::~SqlStore() { core_.stop(); }

Result<std::unique_ptr<SqlStore>> SqlStore::open(const std::string& db, bool create) {
  std::unique_ptr<SqlStore> s(new SqlStore());
  const bool pg = is_postgresql_url(db);
  const std::string shown = shown_db(db);  // never a URL's password in a message
  try {
    if (!pg && !create) {
      std::error_code ec;
      if (!std::filesystem::exists(db, ec))
        return make_error(Code::not_found,
                          "no database at " + db + " (run `ogi init --db " + db + "` first)");
    }
    s->db_ = pg ? open_postgresql(db, false) : open_sqlite(db, false);
    s->q_.attach(s->db_.get());
    s->rdb_ = pg ? open_postgresql(db, true) : open_sqlite(db, true);
    s->rq_.attach(s->rdb_.get());
  } catch (const std::exception& e) {
    const auto* pe = dynamic_cast<const Poco::Exception*>(&e);
    return make_error(Code::internal,
                      "cannot open database " + shown + ": " + (pe ? pe->displayText() : e.what()));
  }
  s->core_.start();
  s->core_.key_file_ = audit_key_path(db, pg);
  int have = s->schema_version();
  int known = s->migration_set().empty() ? 0 : s->migration_set().back().version;
  if (have > known)
    return make_error(Code::conflict, "database " + shown + " has schema version " +
                                          std::to_string(have) +
                                          ", newer than this program knows (" +
                                          std::to_string(known) + "): use a newer ogi");
  if (!create && have < known)
    return make_error(Code::conflict, "database " + shown + " has schema version " +
                                          std::to_string(have) + "; run `ogi init --db " + shown +
                                          "` to migrate to " + std::to_string(known));
  if (have > 0)
    if (Status k = s->core_.load_audit_key(); !k) return k.error();
  return s;
}

const std::vector<Migration>& SqlStore::migration_set() const {
  return db_->engine() == Engine::sqlite ? migrations() : pg_migrations();
}

int SqlStore::schema_version() {
  std::lock_guard lock(mu_);
  auto t =
      q_(db_->engine() == Engine::sqlite
             ? "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
             : "SELECT count(*) FROM information_schema.tables WHERE table_schema=current_schema() "
               "AND "
               "table_name='schema_migrations'");
  if (!t.row() || !t.num(0)) return 0;
  t.run();
  auto v = q_("SELECT coalesce(max(version),0) FROM schema_migrations");
  return v.row() ? static_cast<int>(v.num(0)) : 0;
}

Result<int> SqlStore::migrate() {
  {
    std::lock_guard lock(mu_);
    db_->exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
        "NULL, "
        "applied_at TEXT NOT NULL)");
  }
  int have =
      schema_version();  // the write jobs below run on the committer thread: no lock held here
  for (const Migration& m : migration_set()) {
    if (m.version <= have) continue;
    auto r = write([&]() -> Result<int> {
      db_->exec(m.sql);  // the whole file: both engines run several statements in one call
      q_("INSERT INTO schema_migrations(version, name, applied_at) VALUES(?, ?, ?)")
          .num(1, m.version)
          .text(2, m.name)
          .text(3, utc_now())
          .run();
      return m.version;
    });
    if (!r)
      return make_error(Code::internal, "migration " + m.name + " failed: " + r.error().message);
    have = *r;
  }
  if (Status k = core_.load_audit_key(); !k) return k.error();
  return have;
}

Status SqlStore::audit(const std::string& at, const std::string& actor, const std::string& action,
                       const std::string& target, const std::string& detail) {
  return write_status([&] { append_audit(at, actor, action, target, detail); });
}

long long SqlStore::count(const std::string& table) {
  std::lock_guard lock(mu_);
  static const char* kTables[] = {"cases",    "case_events",     "applicants", "consultations",
                                  "remedies", "number_counters", "audit_log",  "users",
                                  "agencies", "calendar_years",  "letters"};
  for (auto* t : kTables)
    if (table == t) {
      auto q = q_.once("SELECT count(*) FROM " + table);  // table name from the fixed list above
      return q.row() ? q.num(0) : 0;
    }
  return -1;
}

}  // namespace ogi
