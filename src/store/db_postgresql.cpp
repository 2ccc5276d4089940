// The PostgreSQL side of store/db.h: a Poco::Data "PostgreSQL" session, statements prepared once
// on its libpq connection (parameters sent as text, the server infers their types; blobs binary).
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/Session.h>
#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <vector>

#include "store/db.h"

namespace ogi::detail {

namespace {

constexpr Oid kByteaOid = 17;

struct Register {
  Register() { Poco::Data::PostgreSQL::Connector::registerConnector(); }
};

[[noreturn]] void fail(PGconn* c, PGresult* r) {
  std::string state =
      r && PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "";
  std::string what = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
  if (!what.empty() && what.back() == '\n') what.pop_back();
  if (r) PQclear(r);
  throw DbError(what, state);
}

bool ok(PGresult* r) {
  auto s = PQresultStatus(r);
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

// `?` → `$n` in order, `?N` → `$N`; string literals and quoted names are left alone.
std::string number_parameters(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char ch = sql[i];
    if (quote) {
      out += ch;
      if (ch == quote) quote = 0;
      continue;
    }
    if (ch == '\'' || ch == '"') {
      quote = ch;
      out += ch;
      continue;
    }
    if (ch != '?') {
      out += ch;
      continue;
    }
    size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') ++j;
    out += '$';
    out += j > i + 1 ? sql.substr(i + 1, j - i - 1) : std::to_string(++next);
    i = j - 1;
  }
  return out;
}

class PgStmt final : public Stmt {
 public:
  PgStmt(PGconn* c, std::string name, int nparams)
      : c_(c), name_(std::move(name)), vals_(nparams), null_(nparams, 1), binary_(nparams, 0) {}
  ~PgStmt() override {
    if (r_) PQclear(r_);
    if (PQstatus(c_) == CONNECTION_OK) {
      // A failed transaction refuses even DEALLOCATE; the name then lives until the connection
      // ends.
      if (PGresult* r = PQexec(c_, ("DEALLOCATE " + name_).c_str())) PQclear(r);
    }
  }
  void text(int i, std::string_view v) override { set(i, v, 0); }
  void blob(int i, std::string_view v) override { set(i, v, 1); }
  void num(int i, long long v) override { set(i, std::to_string(v), 0); }
  void null(int i) override {
    if (i >= 1 && i <= static_cast<int>(vals_.size())) null_[i - 1] = 1;
  }
  bool step() override {
    if (!r_) {
      std::vector<const char*> v(vals_.size());
      std::vector<int> len(vals_.size());
      for (size_t k = 0; k < vals_.size(); ++k) {
        v[k] = null_[k] ? nullptr : vals_[k].data();
        len[k] = static_cast<int>(vals_[k].size());
      }
      r_ = PQexecPrepared(c_, name_.c_str(), static_cast<int>(vals_.size()), v.data(), len.data(),
                          binary_.data(), 0);
      if (!r_ || !ok(r_)) {
        PGresult* r = r_;
        r_ = nullptr;
        fail(c_, r);
      }
      const char* n = PQcmdTuples(r_);
      changes_ = n && *n ? std::atoll(n) : 0;
      row_ = -1;
    }
    return ++row_ < PQntuples(r_);
  }
  std::string_view col(int c) const override {
    return std::string_view(PQgetvalue(r_, row_, c), static_cast<size_t>(PQgetlength(r_, row_, c)));
  }
  std::string bytes(int c) const override {
    if (PQftype(r_, c) != kByteaOid) return std::string(col(c));
    size_t n = 0;
    unsigned char* p =
        PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_, row_, c)), &n);
    std::string out(reinterpret_cast<const char*>(p), n);
    PQfreemem(p);
    return out;
  }
  long long num(int c) const override {
    const char* p = PQgetvalue(r_, row_, c);
    if (*p == 't') return 1;  // a boolean expression
    if (*p == 'f') return 0;
    return std::atoll(p);
  }
  bool is_null(int c) const override { return PQgetisnull(r_, row_, c) != 0; }
  long long changes() const override { return changes_; }
  int columns() const override { return r_ ? PQnfields(r_) : 0; }
  std::string column_name(int c) const override { return r_ ? PQfname(r_, c) : ""; }
  void reset() override {
    if (r_) PQclear(r_);
    r_ = nullptr;
    std::fill(null_.begin(), null_.end(), 1);
    std::fill(binary_.begin(), binary_.end(), 0);
  }

 private:
  void set(int i, std::string_view v, int binary) {
    if (i < 1 || i > static_cast<int>(vals_.size())) return;
    vals_[i - 1].assign(v.data(), v.size());
    null_[i - 1] = 0;
    binary_[i - 1] = binary;
  }
  PGconn* c_;
  std::string name_;
  std::vector<std::string> vals_;
  std::vector<char> null_;
  std::vector<int> binary_;
  PGresult* r_ = nullptr;
  int row_ = -1;
  long long changes_ = 0;
};

// Poco's connector takes libpq's keyword form (host=... dbname=...): the URL is turned into it
// by libpq itself.
std::string keywords(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string why = err ? err : "invalid connection URL";
    if (err) PQfreemem(err);
    if (!why.empty() && why.back() == '\n') why.pop_back();
    throw DbError(why, "");
  }
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string v;
    for (const char* p = o->val; *p; ++p) {
      if (*p == '\'' || *p == '\\') v += '\\';
      v += *p;
    }
    out += std::string(out.empty() ? "" : " ") + o->keyword + "='" + v + "'";
  }
  PQconninfoFree(opts);
  return out;
}

class PgConn final : public Conn {
 public:
  explicit PgConn(const std::string& url) : session_("PostgreSQL", keywords(url)) {
    auto* impl = static_cast<Poco::Data::PostgreSQL::SessionImpl*>(session_.impl());
    c_ = impl->handle();
  }
  Engine engine() const override { return Engine::postgresql; }
  std::unique_ptr<Stmt> prepare(const std::string& sql) override {
    static std::atomic<long long> serial{0};
    std::string name = "ogi_" + std::to_string(++serial);
    PGresult* r = PQprepare(c_, name.c_str(), number_parameters(sql).c_str(), 0, nullptr);
    if (!r || !ok(r)) fail(c_, r);
    PQclear(r);
    r = PQdescribePrepared(c_, name.c_str());
    if (!r || !ok(r)) fail(c_, r);
    int n = PQnparams(r);
    PQclear(r);
    return std::make_unique<PgStmt>(c_, std::move(name), n);
  }
  void exec(const std::string& sql) override {
    PGresult* r = PQexec(c_, sql.c_str());
    if (!r || !ok(r)) fail(c_, r);
    PQclear(r);
  }
  Poco::Data::Session& session() override { return session_; }

 private:
  Poco::Data::Session session_;
  PGconn* c_ = nullptr;
};

}  // namespace

std::unique_ptr<Conn> open_postgresql(const std::string& url, bool read_only) {
  static Register once;
  auto c = std::make_unique<PgConn>(url);
  c->exec("SET client_encoding = 'UTF8'");
  c->exec("SET client_min_messages = warning");
  if (read_only) c->exec("SET default_transaction_read_only = on");
  return c;
}

}  // namespace ogi::detail
