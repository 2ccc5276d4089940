#pragma once
// The two database engines behind one small interface, for the store only.
//
// Both are opened as Poco::Data sessions (connectors "SQLite" and "PostgreSQL"); statements go to
// each engine's C API on the session's own connection, prepared once and reused (perf-notes
// trap 2: Poco::Data 1.11 re-prepares on every execute). SQL is written once, with `?` (or `?N`)
// parameters; the PostgreSQL side numbers them `$n`. Where the dialects differ the store asks
// `Conn::engine()` (full-text search, index hints, the transaction that serialises writers).
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "base/date.h"

namespace Poco::Data {
class Session;
}

namespace ogi::detail {

enum class Engine { sqlite, postgresql };

// A database error; `state` is the SQLSTATE on PostgreSQL (23505: unique violation), or the
// SQLite extended result code as text.
struct DbError : std::runtime_error {
  DbError(const std::string& what, std::string state_)
      : std::runtime_error(what), state(std::move(state_)) {}
  std::string state;
};

class Stmt {
 public:
  virtual ~Stmt() = default;
  // Parameters are 1-based, columns 0-based.
  virtual void text(int i, std::string_view v) = 0;
  virtual void blob(int i, std::string_view v) = 0;
  virtual void num(int i, long long v) = 0;
  virtual void null(int i) = 0;
  virtual bool step() = 0;  // next row; false when done; throws DbError
  virtual std::string_view col(int c) const = 0;
  virtual std::string bytes(int c) const = 0;
  virtual long long num(int c) const = 0;
  virtual bool is_null(int c) const = 0;
  virtual long long changes() const = 0;  // rows written by the last run
  virtual int columns() const = 0;
  virtual std::string column_name(int c) const = 0;
  virtual void reset() = 0;  // unbound, before the first row
};

class Conn {
 public:
  virtual ~Conn() = default;
  virtual Engine engine() const = 0;
  virtual std::unique_ptr<Stmt> prepare(const std::string& sql) = 0;
  // One or more statements without parameters (migrations, transaction control).
  virtual void exec(const std::string& sql) = 0;
  virtual Poco::Data::Session& session() = 0;
  // After each commit of the writing connection; `idle` when no write waits.
  virtual void after_commit(bool idle) { (void)idle; }
};

// Opens a connection: a file path (SQLite) or a postgresql:// URL. `read_only` for the second,
// reading connection.
std::unique_ptr<Conn> open_sqlite(const std::string& path, bool read_only);
std::unique_ptr<Conn> open_postgresql(const std::string& url, bool read_only);
inline bool is_postgresql_url(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}
// The database as it may be shown or logged: a URL's password becomes ***.
inline std::string shown_db(std::string db) {
  if (!is_postgresql_url(db)) return db;
  const auto start = db.find("//") + 2, at = db.find('@', start), colon = db.find(':', start);
  if (at != std::string::npos && colon != std::string::npos && colon < at)
    db.replace(colon + 1, at - colon - 1, "***");
  return db;
}

// A statement in use: binds, steps, reads; resets the statement when it goes out of scope.
class Query {
 public:
  explicit Query(Stmt* s) : s_(s) {}
  explicit Query(std::unique_ptr<Stmt> owned) : own_(std::move(owned)), s_(own_.get()) {}
  Query(Query&& o) noexcept : own_(std::move(o.own_)), s_(o.s_) { o.s_ = nullptr; }
  Query& operator=(Query&&) = delete;
  ~Query() {
    if (s_) s_->reset();
  }
  Query& text(int i, const std::string& v) {
    s_->text(i, v);
    return *this;
  }
  Query& num(int i, long long v) {
    s_->num(i, v);
    return *this;
  }
  Query& blob(int i, const std::string& v) {
    s_->blob(i, v);
    return *this;
  }
  Query& null(int i) {
    s_->null(i);
    return *this;
  }
  Query& date(int i, const std::optional<Date>& d) {
    return d ? text(i, format_date(*d)) : null(i);
  }
  Query& opt(int i, const std::optional<bool>& b) { return b ? num(i, *b ? 1 : 0) : null(i); }
  bool row() { return s_->step(); }
  void run() {
    while (row()) {
    }
  }
  std::string str(int c) const { return std::string(s_->col(c)); }
  std::string bytes(int c) const { return s_->bytes(c); }
  long long num(int c) const { return s_->num(c); }
  bool is_null(int c) const { return s_->is_null(c); }
  std::optional<bool> flag(int c) const {
    if (is_null(c)) return std::nullopt;
    return num(c) != 0;
  }
  std::optional<Date> date(int c) const {
    if (is_null(c)) return std::nullopt;
    auto d = parse_date(std::string(s_->col(c)));
    if (!d) return std::nullopt;
    return *d;
  }
  // A date column written by this program (always YYYY-MM-DD): read without the strict parser,
  // for scans over many rows.
  std::optional<Date> day(int c) const {
    if (is_null(c)) return std::nullopt;
    auto p = s_->col(c);
    if (p.size() != 10) return date(c);
    auto n = [&](int i, int len) {
      int v = 0;
      for (int k = i; k < i + len; ++k) v = v * 10 + (p[k] - '0');
      return v;
    };
    try {
      return Date(static_cast<unsigned short>(n(0, 4)), static_cast<unsigned short>(n(5, 2)),
                  static_cast<unsigned short>(n(8, 2)));
    } catch (...) {
      return std::nullopt;
    }
  }
  long long changes() const { return s_->changes(); }
  int columns() const { return s_->columns(); }
  std::string column_name(int c) const { return s_->column_name(c); }
  // Runs to the end, returns the first column of the first row (an id from RETURNING), and
  // makes the statement ready to be bound again.
  long long exec_id() {
    long long id = row() ? num(0) : 0;
    run();
    s_->reset();
    return id;
  }
  void exec() {
    run();
    s_->reset();
  }

 private:
  std::unique_ptr<Stmt> own_;
  Stmt* s_;
};

// Statements prepared once per connection, for the hot paths. Callers hold the store's mutex
// for the connection.
class StatementCache {
 public:
  ~StatementCache() { clear(); }
  void attach(Conn* c) { conn_ = c; }
  // `sql` must outlive the cache (a string literal, or a static string): keyed by its address.
  Query operator()(const char* sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) it = cache_.emplace(sql, conn_->prepare(sql)).first;
    return Query(it->second.get());
  }
  // A statement built at run time (lists with optional filters): prepared for this use only.
  Query once(const std::string& sql) { return Query(conn_->prepare(sql)); }
  void clear() { cache_.clear(); }
  Conn& conn() const { return *conn_; }
  Engine engine() const { return conn_->engine(); }

 private:
  Conn* conn_ = nullptr;
  std::map<const char*, std::unique_ptr<Stmt>> cache_;
};

}  // namespace ogi::detail
