// Consistent copies of a live database (SQLite online backup API) and their restoration.
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <sqlite3.h>

#include <filesystem>

#include "store/migrations.h"
#include "store/sql_detail.h"
#include "store/sql_store.h"

namespace ogi {

namespace {
namespace fs = std::filesystem;

// Copies every page of `from` into `to` in one step: one read transaction, so the copy is the
// database as of one moment; with WAL, writers go on meanwhile.
Status copy_pages(sqlite3* from, sqlite3* to) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) return make_error(Code::internal, std::string("backup: ") + sqlite3_errmsg(to));
  int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE)
    return make_error(Code::internal, std::string("backup: ") + sqlite3_errstr(rc));
  return {};
}

Result<std::string> integrity(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr);
  std::string out;
  while (sqlite3_step(st) == SQLITE_ROW)
    out += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return out;
}

int user_version(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  int v = -1;
  if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_migrations", -1, &st, nullptr) ==
          SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}
}  // namespace

Status SqlStore::backup_to(const std::string& out) {
  if (engine() != detail::Engine::sqlite)
    return make_error(
        Code::invalid,
        "backup: on PostgreSQL use pg_dump or the server's own backups (docs/operations.md)");
  const std::string tmp = out + ".part";
  std::error_code ec;
  fs::remove(tmp, ec);
  sqlite3* dest = nullptr;
  if (sqlite3_open(tmp.c_str(), &dest) != SQLITE_OK) {
    sqlite3_close(dest);
    return make_error(Code::internal, "backup: cannot create " + tmp);
  }
  Status s;
  {
    std::lock_guard lock(rmu_);  // the read connection: writers are not held up
    s = copy_pages(Poco::Data::SQLite::Utility::dbHandle(rdb_->session()), dest);
  }
  if (s) {
    auto check = integrity(dest);
    if (!check || *check != "ok")
      s = make_error(Code::internal, "backup: the copy fails integrity_check");
  }
  sqlite3_close(dest);
  if (!s) {
    fs::remove(tmp, ec);
    return s;
  }
  fs::rename(tmp, out, ec);  // appears whole or not at all
  if (ec) return make_error(Code::internal, "backup: cannot write " + out + ": " + ec.message());
  return {};
}

Status restore_database(const std::string& backup, const std::string& db) {
  if (detail::is_postgresql_url(db))
    return make_error(Code::invalid,
                      "restore: only into a SQLite file; on PostgreSQL use pg_restore");
  if (!fs::exists(backup)) return make_error(Code::not_found, "no backup at " + backup);
  sqlite3* src = nullptr;
  if (sqlite3_open_v2(backup.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(src);
    return make_error(Code::invalid, backup + " is not a database");
  }
  auto check = integrity(src);
  const int version = user_version(src);
  if (!check || *check != "ok") {
    sqlite3_close(src);
    return make_error(Code::invalid, backup + " fails integrity_check; nothing restored");
  }
  if (version < 1 || version > migrations().back().version) {
    sqlite3_close(src);
    return make_error(Code::invalid,
                      backup + " is not an OGI Desk database this program can open (schema " +
                          std::to_string(version) + "); nothing restored");
  }
  const std::string tmp = db + ".restoring";
  std::error_code ec;
  fs::remove(tmp, ec);
  sqlite3* dest = nullptr;
  sqlite3_open(tmp.c_str(), &dest);
  Status s = copy_pages(src, dest);
  sqlite3_close(src);
  sqlite3_close(dest);
  if (!s) {
    fs::remove(tmp, ec);
    return s;
  }
  // the old database's write-ahead log belongs to the old file
  fs::remove(db + "-wal", ec);
  fs::remove(db + "-shm", ec);
  fs::rename(tmp, db, ec);
  if (ec) return make_error(Code::internal, "restore: cannot replace " + db + ": " + ec.message());
  return {};
}

}  // namespace ogi
