// The SQLite side of store/db.h: a Poco::Data "SQLite" session, statements on its sqlite3 handle.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <sqlite3.h>

#include "store/db.h"

namespace ogi::detail {

namespace {

struct Register {
  Register() {
    // perf-notes trap 2: SQLite's memory statistics mutex serialises concurrent statements.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    Poco::Data::SQLite::Connector::registerConnector();
  }
};

[[noreturn]] void fail(sqlite3* db, int rc) {
  throw DbError(sqlite3_errmsg(db),
                std::to_string(sqlite3_extended_errcode(db) ? sqlite3_extended_errcode(db) : rc));
}

class SqliteStmt final : public Stmt {
 public:
  SqliteStmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~SqliteStmt() override { sqlite3_finalize(s_); }
  void text(int i, std::string_view v) override {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void blob(int i, std::string_view v) override {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void num(int i, long long v) override { sqlite3_bind_int64(s_, i, v); }
  void null(int i) override { sqlite3_bind_null(s_, i); }
  bool step() override {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
      changes_ = sqlite3_changes(db_);
      return false;
    }
    fail(db_, rc);
  }
  std::string_view col(int c) const override {
    auto* p = sqlite3_column_text(s_, c);
    return p ? std::string_view(reinterpret_cast<const char*>(p),
                                static_cast<size_t>(sqlite3_column_bytes(s_, c)))
             : std::string_view();
  }
  std::string bytes(int c) const override {
    auto* p = sqlite3_column_blob(s_, c);
    return p ? std::string(static_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(s_, c)))
             : std::string();
  }
  long long num(int c) const override { return sqlite3_column_int64(s_, c); }
  bool is_null(int c) const override { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  long long changes() const override { return changes_; }
  int columns() const override { return sqlite3_column_count(s_); }
  std::string column_name(int c) const override { return sqlite3_column_name(s_, c); }
  void reset() override {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
  long long changes_ = 0;
};

class SqliteConn final : public Conn {
 public:
  explicit SqliteConn(const std::string& path)
      : session_("SQLite", path), db_(Poco::Data::SQLite::Utility::dbHandle(session_)) {}
  Engine engine() const override { return Engine::sqlite; }
  std::unique_ptr<Stmt> prepare(const std::string& sql) override {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc);
    return std::make_unique<SqliteStmt>(db_, s);
  }
  void exec(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string what = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw DbError(what, std::to_string(sqlite3_extended_errcode(db_)));
    }
  }
  Poco::Data::Session& session() override { return session_; }

  // Checkpoints are the committer's, when it is idle: the hook replaces SQLite's automatic
  // checkpoint inside COMMIT, whose pause was the p99 of registrations.
  void take_checkpoints() {
    sqlite3_wal_hook(
        db_,
        [](void* self, sqlite3*, const char*, int pages) {
          static_cast<SqliteConn*>(self)->wal_pages_ = pages;
          return SQLITE_OK;
        },
        this);
  }
  // Checkpoint while no write waits (it then completes, and the next commit restarts the log);
  // under sustained load, once the log is large, checkpoint anyway.
  void after_commit(bool idle) override {
    if ((idle && wal_pages_ > 500) || wal_pages_ > 65536) {
      int log = 0, done = 0;
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
      if (log == done) wal_pages_ = 0;
    }
  }

 private:
  Poco::Data::Session session_;
  sqlite3* db_;
  int wal_pages_ = 0;  // pages in the write-ahead log after the last commit (committer thread only)
};

}  // namespace

std::unique_ptr<Conn> open_sqlite(const std::string& path, bool read_only) {
  static Register once;
  auto c = std::make_unique<SqliteConn>(path);
  c->exec("PRAGMA busy_timeout=10000");
  if (read_only) {
    c->exec("PRAGMA query_only=1");
  } else {
    c->exec("PRAGMA journal_mode=WAL");
    c->exec("PRAGMA synchronous=FULL");  // an acknowledged event is a legal record
    c->exec("PRAGMA foreign_keys=ON");
    c->take_checkpoints();
  }
  return c;
}

}  // namespace ogi::detail
