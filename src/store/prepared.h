#pragma once
// Statements prepared once per connection and reused (perf-notes trap 2: Poco::Data 1.11
// re-prepares on every execute). For the hot paths only: the per-request reads (session, user,
// agency, case) and the event/registration writes. Callers hold the store's mutex.
#include <sqlite3.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "base/date.h"

namespace ogi::detail {

class Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~Query() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Query& text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Query& num(int i, long long v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Query& blob(int i, const std::string& v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Query& null(int i) {
    sqlite3_bind_null(s_, i);
    return *this;
  }
  Query& date(int i, const std::optional<Date>& d) { return d ? text(i, format_date(*d)) : null(i); }
  // Next row: true while there is one; throws on an error (mapped by the write wrapper).
  bool row() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(sqlite3_errmsg(db_));
  }
  void run() {
    while (row()) {
    }
  }
  std::string str(int c) const {
    auto* p = sqlite3_column_text(s_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, c))) : std::string();
  }
  std::string bytes(int c) const {
    auto* p = sqlite3_column_blob(s_, c);
    return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, c))) : std::string();
  }
  long long num(int c) const { return sqlite3_column_int64(s_, c); }
  bool is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::optional<Date> date(int c) const {
    if (is_null(c)) return std::nullopt;
    auto d = parse_date(str(c));
    if (!d) return std::nullopt;
    return *d;
  }
  // A date column written by this program (always YYYY-MM-DD): read without the strict parser,
  // for scans over many rows.
  std::optional<Date> day(int c) const {
    auto* p = sqlite3_column_text(s_, c);
    if (!p || sqlite3_column_bytes(s_, c) != 10) return date(c);
    auto n = [&](int i, int len) {
      int v = 0;
      for (int k = i; k < i + len; ++k) v = v * 10 + (p[k] - '0');
      return v;
    };
    try {
      return Date(static_cast<unsigned short>(n(0, 4)), static_cast<unsigned short>(n(5, 2)), static_cast<unsigned short>(n(8, 2)));
    } catch (...) {
      return std::nullopt;
    }
  }
  int changes() const { return sqlite3_changes(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
};

class StatementCache {
 public:
  ~StatementCache() { clear(); }
  void attach(sqlite3* db) { db_ = db; }
  // `sql` must be a string literal: the cache is keyed by its address.
  Query operator()(const char* sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
        throw std::runtime_error(std::string("prepare failed: ") + sqlite3_errmsg(db_));
      it = cache_.emplace(sql, s).first;
    }
    return Query(db_, it->second);
  }
  void clear() {
    for (auto& [k, s] : cache_) sqlite3_finalize(s);
    cache_.clear();
  }
  sqlite3* db() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::map<const char*, sqlite3_stmt*> cache_;
};

}  // namespace ogi::detail
