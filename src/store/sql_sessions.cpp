// SqlSessions (SessionStore): sessions, login attempts, password rehash.

#include "store/sql_detail.h"

namespace ogi::detail {

// ---- sessions ----

Status SqlSessions::create_session(const SessionRecord& s, const std::string& ip) {
  return write_status([&] {
    q_("INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at, ip) "
       "VALUES(?,?,?,?,?,?)")
        .text(1, s.token_hash)
        .num(2, s.user_id)
        .text(3, s.csrf)
        .num(4, s.created_at)
        .num(5, s.expires_at)
        .text(6, ip)
        .run();
    // Expired sessions are purged as new ones start (they could never be used again).
    q_("DELETE FROM sessions WHERE expires_at < ?").num(1, s.created_at).run();
  });
}

Result<SessionRecord> SqlSessions::find_session(const std::string& token_hash) {
  // On the read connection: a request's session never waits for the writer (issue 18, finding 4).
  std::lock_guard lock(rmu_);
  auto q =
      rq_("SELECT s.token_hash, s.user_id, u.username, s.csrf, s.created_at, s.expires_at FROM "
          "sessions s JOIN users u "
          "ON u.id=s.user_id WHERE s.token_hash=? AND u.active=1");
  q.text(1, token_hash);
  if (!q.row()) return make_error(Code::unauthenticated, "未登录或登录已失效");
  return SessionRecord{q.str(0), q.num(1), q.str(2), q.str(3), q.num(4), q.num(5)};
}

Status SqlSessions::extend_session(const std::string& token_hash, long long expires_at) {
  // Not waited for: a request never stalls on its session's renewal.
  write_detached([this, token_hash, expires_at] {
    q_("UPDATE sessions SET expires_at=? WHERE token_hash=?")
        .num(1, expires_at)
        .text(2, token_hash)
        .run();
  });
  return {};
}

Status SqlSessions::delete_session(const std::string& token_hash) {
  return write_status(
      [&] { q_("DELETE FROM sessions WHERE token_hash=?").text(1, token_hash).run(); });
}

Result<std::pair<int, int>> SqlSessions::record_attempt(const std::string& username,
                                                        const std::string& ip, long long at,
                                                        long long since, int address_limit) {
  // In the write transaction: concurrent attempts are counted one after another, none unseen.
  return write([&]() -> Result<std::pair<int, int>> {
    long long n = 0, m = 0;
    {
      auto q = q_("SELECT count(*) FROM login_failures WHERE username=? AND at>=?");
      q.text(1, username).num(2, since);
      if (q.row()) n = q.num(0);
    }
    {
      auto q = q_("SELECT count(*) FROM login_failures WHERE ip=? AND at>=?");
      q.text(1, ip).num(2, since);
      if (q.row()) m = q.num(0);
    }
    if (m < address_limit) {
      q_("INSERT INTO login_failures(username, ip, at) VALUES(?,?,?)")
          .text(1, username)
          .text(2, ip)
          .num(3, at)
          .run();
      q_("DELETE FROM login_failures WHERE at < ?").num(1, at - 86400).run();
    }
    return std::pair<int, int>{static_cast<int>(n), static_cast<int>(m)};
  });
}

Status SqlSessions::clear_failures(const std::string& username) {
  return write_status(
      [&] { q_("DELETE FROM login_failures WHERE username=?").text(1, username).run(); });
}

Status SqlSessions::upgrade_password_hash(const std::string& username, const std::string& old_hash,
                                          const std::string& new_hash) {
  return write_status([&] {
    q_("UPDATE users SET password_hash=? WHERE username=? AND password_hash=?")
        .text(1, new_hash)
        .text(2, username)
        .text(3, old_hash)
        .run();
  });
}

}  // namespace ogi::detail
