#pragma once
// The store, on SQLite (the embedded default) or PostgreSQL (scale-out), both through Poco::Data
// sessions (store/db.h). One class per port of app/ (store/sql_ports.h: cases, letters,
// sessions, queries, administration, reports, bulk import), all over one shared core
// (store/sql_core.h): one writing connection guarded by a mutex, one for long reads, and one
// committer thread with group commit: concurrent writes share one transaction, each in its own
// savepoint (perf-notes trap 3); a write returns once it is durable. Write transactions are
// serialised across processes too (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped
// advisory lock), so several `ogi serve` on one PostgreSQL database number cases, letters and
// audit entries exactly as one does.
// Optimistic concurrency: a case row carries a version, and an event is appended only if the
// version is unchanged since the case was read.
// SqlStore owns the core and the ports, hands out each port, and does what concerns the whole
// database: open and migrate, copy, back up, verify the audit trail.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "store/migrations.h"
#include "store/sql_ports.h"

namespace ogi {

struct AuditCheck {
  long long verified = 0, before_chain = 0, first_chained = 0;
  long long keyed = 0;      // entries sealed with the key (HMAC), of those verified
  long long broken_at = 0;  // the first entry that fails, or 0
  std::string why;
  long long head_id = 0;  // the newest entry and its seal: what to keep outside (an anchor)
  std::string head_hash;
};

// Where the audit key lives: $OGI_AUDIT_KEY_FILE, else (SQLite) DB.audit-key beside the
// database; "" for PostgreSQL without the variable (the chain is then unkeyed, and said so).
std::string audit_key_path(const std::string& db, bool postgresql);

namespace detail {
struct CoreHolder {  // constructed before SqlPort, which refers to it
  std::unique_ptr<SqlCore> held_ = std::make_unique<SqlCore>();
};
}  // namespace detail

class SqlStore final : detail::CoreHolder, detail::SqlPort {
 public:
  ~SqlStore();
  // Opens a SQLite file (created if `create`) or a postgresql:// URL (the database must exist).
  // Refuses a database whose schema is newer than this program; unless `create`, also refuses
  // one that is older (run `ogi init` to migrate).
  static Result<std::unique_ptr<SqlStore>> open(const std::string& db, bool create);
  detail::Engine engine() const { return db_->engine(); }

  // The ports (one object each, sharing this store's connections and committer).
  CaseStore& cases() { return cases_; }
  LetterStore& letters() { return letters_; }
  SessionStore& sessions() { return sessions_; }
  QueryStore& queries() { return queries_; }
  AdminStore& admin() { return admin_; }
  ReportStore& reports() { return reports_; }
  ImportStore& bulk() { return bulk_; }

  int schema_version();
  const std::vector<Migration>& migration_set() const;  // this engine's
  // Applies the pending migrations, each in its own transaction. Returns the resulting version.
  Result<int> migrate();

  // An audit entry of its own transaction (the command line's actions).
  Status audit(const std::string& at, const std::string& actor, const std::string& action,
               const std::string& target, const std::string& detail);
  long long count(const std::string& table);

  // Copies every record of `from` (a SQLite database) into this store, which must be empty
  // (freshly migrated), in one transaction, ids kept; then compares the row counts of every
  // table. `progress` is told each table and its count. (ogi migrate-to; src/store/migrate_to.cpp)
  Result<std::vector<std::pair<std::string, long long>>> copy_from(
      SqlStore& from, const std::function<void(const std::string&, long long)>& progress);

  // Recomputes the audit trail's chain (src/store/sql_audit.cpp): each entry is sealed with
  // HMAC-SHA256 under a key kept outside the database (audit_key_path), over the entry and the
  // seal before it; entries from before the key are plain SHA-256 and may only come first.
  // Names the first broken entry. With `anchor` (an entry id and the seal recorded outside, e.g.
  // from `ogi audit head`), that entry must still carry that seal.
  Result<AuditCheck> verify_audit(std::optional<std::pair<long long, std::string>> anchor = {});
  bool audit_keyed() const { return !core_.audit_key_.empty(); }
  const std::string& audit_key_file() const { return core_.key_file_; }

  // A consistent copy of the whole database as of one moment (SQLite online backup API, on the
  // read connection: writers go on), checked with integrity_check, written to `out` atomically.
  Status backup_to(const std::string& out);

  // Test hook: called at named steps inside write transactions ("case_inserted",
  // "event_inserted", "projection_written"); throwing from it aborts the transaction.
  void set_fault_hook(std::function<void(std::string_view)> hook) {
    core_.fault_ = std::move(hook);
  }

 private:
  SqlStore() : SqlPort(*held_) {}
  detail::SqlLetters letters_{core_};
  detail::SqlCases cases_{core_, letters_};
  detail::SqlSessions sessions_{core_};
  detail::SqlQueries queries_{core_};
  detail::SqlAdmin admin_{core_};
  detail::SqlReports reports_{core_};
  detail::SqlImport bulk_{core_, admin_};
};

// Replaces the database at `db` with the backup `backup` (checked first: integrity, and a schema
// this program knows). The server must not be running on `db`.
Status restore_database(const std::string& backup, const std::string& db);

}  // namespace ogi
