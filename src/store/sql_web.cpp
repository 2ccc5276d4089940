// SqlStore: sessions, lists and search, attachments, administration, audit, alerts.
#include <algorithm>
#include <cstring>
#include <set>

#include "base/text.h"
#include "domain/letters.h"
#include "store/sql_detail.h"

namespace ogi {

using namespace detail;

namespace {
std::string in_list(size_t n) {
  std::string s = "(";
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s + ")";
}
}  // namespace

// ---- administration ----

std::vector<User> SqlStore::users() {
  std::lock_guard lock(mu_);
  auto q =
      q_("SELECT u.id, u.username, u.display_name, a.code, u.roles, u.active FROM users u JOIN "
         "agencies a ON "
         "a.id=u.agency_id ORDER BY a.code, u.username");
  std::vector<User> out;
  while (q.row()) {
    User u{q.num(0), q.str(1), q.str(2), q.str(3), split_roles(q.str(4)), "", {}, q.num(5) != 0};
    out.push_back(u);
  }
  return out;
}

Status SqlStore::update_user(const std::string& username, const std::vector<std::string>& roles,
                             bool active, const std::string& hash, const AuditEntry* audit) {
  auto r = write([&]() -> Result<int> {
    {
      auto q = q_("UPDATE users SET roles=?, active=? WHERE username=?");
      q.text(1, join_roles(roles)).num(2, active ? 1 : 0).text(3, username).run();
      if (q.changes() == 0) return make_error(Code::not_found, "没有用户 " + username);
    }
    if (!hash.empty())
      q_("UPDATE users SET password_hash=? WHERE username=?").text(1, hash).text(2, username).run();
    if (!active || !hash.empty())
      q_("DELETE FROM sessions WHERE user_id=(SELECT id FROM users WHERE username=?)")
          .text(1, username)
          .run();
    if (audit) append_audit(audit->at, audit->actor, audit->action, audit->target, audit->detail);
    return 1;
  });
  if (!r) return r.error();
  return {};
}

Status SqlStore::update_agency(const Agency& a, const std::string& body, const std::string& court,
                               const AuditEntry* audit) {
  auto r = write([&]() -> Result<int> {
    auto q =
        q_("UPDATE agencies SET name=?, number_pattern=?, fee_pauses_clock=?, "
           "reconsideration_body=?, court=?, "
           "letter_prefix=?, letter_pattern=?, letterhead=?, contact=?, kind=?, remedy_policy=? "
           "WHERE code=?");
    q.text(1, a.name)
        .text(2, a.number_pattern)
        .num(3, a.fee_pauses_clock ? 1 : 0)
        .text(4, body)
        .text(5, court)
        .text(6, a.letter_prefix)
        .text(7, a.letter_pattern.empty() ? std::string(kDefaultLetterPattern) : a.letter_pattern)
        .text(8, a.letterhead)
        .text(9, a.contact)
        .text(10, a.kind)
        .text(11, a.remedy_policy)
        .text(12, a.code)
        .run();
    if (q.changes() == 0) return make_error(Code::not_found, "没有机关 " + a.code);
    if (audit) append_audit(audit->at, audit->actor, audit->action, audit->target, audit->detail);
    return 1;
  });
  if (!r) return r.error();
  return {};
}

std::pair<std::string, std::string> SqlStore::agency_remedy_bodies(const std::string& code) {
  std::lock_guard lock(mu_);
  std::string body, court;
  auto q = q_("SELECT reconsideration_body, court FROM agencies WHERE code=?");
  q.text(1, code);
  if (q.row()) {
    body = q.str(0);
    court = q.str(1);
  }
  return {body, court};
}

// ---- sessions ----

Status SqlStore::create_session(const SessionRecord& s, const std::string& ip) {
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

Result<SessionRecord> SqlStore::find_session(const std::string& token_hash) {
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

Status SqlStore::extend_session(const std::string& token_hash, long long expires_at) {
  // Not waited for: a request never stalls on its session's renewal.
  write_detached([this, token_hash, expires_at] {
    q_("UPDATE sessions SET expires_at=? WHERE token_hash=?")
        .num(1, expires_at)
        .text(2, token_hash)
        .run();
  });
  return {};
}

Status SqlStore::delete_session(const std::string& token_hash) {
  return write_status(
      [&] { q_("DELETE FROM sessions WHERE token_hash=?").text(1, token_hash).run(); });
}

Result<std::pair<int, int>> SqlStore::record_attempt(const std::string& username,
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

Status SqlStore::clear_failures(const std::string& username) {
  return write_status(
      [&] { q_("DELETE FROM login_failures WHERE username=?").text(1, username).run(); });
}

Status SqlStore::upgrade_password_hash(const std::string& username, const std::string& old_hash,
                                       const std::string& new_hash) {
  return write_status([&] {
    q_("UPDATE users SET password_hash=? WHERE username=? AND password_hash=?")
        .text(1, new_hash)
        .text(2, username)
        .text(3, old_hash)
        .run();
  });
}

// ---- lists ----

namespace {
constexpr const char* kRowSelect =
    "SELECT c.id, c.number, a.code, c.applicant_type, p.name, p.id_number, p.credit_code, p.phone, "
    "c.channel, c.state, "
    "c.stage, c.outcome, c.content, c.received_on, c.due_on, c.concluded_on, c.due_provisional, "
    "c.on_time "
    "FROM cases c JOIN agencies a ON a.id=c.agency_id JOIN applicants p ON p.id=c.applicant_id ";

std::vector<CaseRow> rows_of(Query& q) {
  std::vector<CaseRow> out;
  while (q.row()) {
    CaseRow x;
    x.id = q.num(0);
    x.number = q.str(1);
    x.agency = q.str(2);
    x.applicant_type = q.str(3);
    x.applicant_name = q.str(4);
    x.id_number = q.str(5);
    x.credit_code = q.str(6);
    x.phone = q.str(7);
    x.channel = q.str(8);
    x.state = q.str(9);
    x.stage = q.str(10);
    x.outcome = q.str(11);
    x.content = q.str(12);
    if (auto d = q.date(13)) x.received_on = *d;
    x.due_on = q.date(14);
    x.concluded_on = q.date(15);
    x.provisional = q.num(16) != 0;
    x.on_time = q.flag(17);
    out.push_back(std::move(x));
  }
  return out;
}

// Full-text condition on case ids. SQLite: the FTS5 trigram table; PostgreSQL: substring match
// on the same two columns (a pg_trgm GIN index answers it). Each term is one bound parameter.
std::string search_condition(Engine e, const std::vector<std::string>& terms,
                             std::vector<std::string>& params) {
  if (e == Engine::sqlite) {
    std::string q;
    for (auto& t : terms) {
      std::string quoted = "\"";
      for (char ch : t) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      q += (q.empty() ? "" : " OR ") + quoted + "\"";
    }
    params.push_back(q);
    return "c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)";
  }
  std::string cond;
  for (auto& t : terms) {
    std::string like = "%";
    for (char ch : t) {
      if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
      like += ch;
    }
    like += "%";
    cond += std::string(cond.empty() ? "" : " OR ") + "s.content ILIKE ? OR s.name ILIKE ?";
    params.push_back(like);
    params.push_back(like);
  }
  return "c.id IN (SELECT s.rowid FROM case_search s WHERE " + cond + ")";
}
}  // namespace

constexpr long long kCountCap = 1001;  // "1000+" beyond this

std::pair<std::vector<CaseRow>, long long> SqlStore::list_cases(const CaseFilter& f) {
  std::lock_guard lock(rmu_);  // the read connection: a slow search never holds up a write
  if (f.agencies.empty()) return {};
  // Every condition is a fixed SQL fragment with bound parameters; values never enter the SQL text.
  // Agency filter on the cases' own column as integer ids (read from the table, never from the
  // request), so the per-agency indexes serve both the filter and the order.
  const std::string ids = agency_ids(rq_, f.agencies);
  if (ids.empty()) return {};
  std::string where = ids.find(',') == std::string::npos ? "WHERE c.agency_id=" + ids
                                                         : "WHERE c.agency_id IN (" + ids + ")";
  std::vector<std::string> params;
  auto eq = [&](const char* col, const std::string& v) {
    if (v.empty()) return;
    where += std::string(" AND ") + col + "=?";
    params.push_back(v);
  };
  eq("c.state", f.state);
  eq("c.stage", f.stage);
  eq("c.outcome", f.outcome);
  eq("c.applicant_type", f.applicant_type);
  eq("c.channel", f.channel);
  if (f.from) {
    where += " AND c.received_on>=?";
    params.push_back(format_date(*f.from));
  }
  if (f.to) {
    where += " AND c.received_on<=?";
    params.push_back(format_date(*f.to));
  }
  if (f.ids) {  // integers from the caller, written as numbers: no text enters the SQL
    if (f.ids->empty()) return {};
    std::string list;
    for (long long id : *f.ids) list += (list.empty() ? "" : ",") + std::to_string(id);
    where += " AND c.id IN (" + list + ")";
  }
  if (f.open_only || f.overdue_only) where += " AND c.concluded_on IS NULL";
  if (f.overdue_only) {
    where += " AND c.due_on IS NOT NULL AND c.due_on<?";
    params.push_back(format_date(f.today));
  }
  const bool fts = utf8_chars(f.q).size() >= 3;  // the trigram index answers from three characters
  if (!f.q.empty()) {
    if (fts) {
      where += " AND " + search_condition(rq_.engine(), {f.q}, params);
    } else {
      // One or two characters: a name prefix (indexed) or the exact case number.
      where +=
          " AND c.id IN (SELECT x.id FROM cases x WHERE x.applicant_id IN (SELECT id FROM "
          "applicants WHERE name >= ? "
          "AND name < ?) UNION SELECT x.id FROM cases x WHERE x.number = ?)";
      params.insert(params.end(), {f.q, f.q + "\xF4\x8F\xBF\xBF", f.q});
    }
  }
  // The total is counted up to a cap: an exact count of a broad search over a million cases
  // would cost more than the page itself.
  long long total = 0;
  {
    auto q = rq_.once("SELECT count(*) FROM (SELECT 1 FROM cases c " + where + " LIMIT " +
                      std::to_string(kCountCap) + ") t");
    for (size_t i = 0; i < params.size(); ++i) q.text(static_cast<int>(i + 1), params[i]);
    if (q.row()) total = q.num(0);
  }
  int per = std::clamp(f.per_page, 1, 100000), page = std::max(1, f.page);
  const char* order = " ORDER BY c.received_on DESC, c.id DESC";
  if (fts) order = " ORDER BY c.id DESC";  // newest registrations first: no sort of all matches
  auto q = rq_.once(
      std::string(kRowSelect) + where + order + " LIMIT " + std::to_string(per) + " OFFSET " +
      std::to_string(static_cast<long long>(page - 1) * per));  // 64 bits: no overflow
  for (size_t i = 0; i < params.size(); ++i) q.text(static_cast<int>(i + 1), params[i]);
  return {rows_of(q), total};
}

namespace {
// Rows of the given agencies received on or after `since` that meet `cond`, newest first.
std::vector<CaseRow> candidate_rows(detail::StatementCache& rq,
                                    const std::vector<std::string>& agencies,
                                    const std::string& cond, const std::vector<std::string>& params,
                                    const Date& since, int limit) {
  std::vector<std::string> all(agencies.begin(), agencies.end());
  all.insert(all.end(), params.begin(), params.end());
  all.push_back(format_date(since));
  try {
    auto q = rq.once(
        std::string(kRowSelect) + "WHERE c.agency_id IN (SELECT id FROM agencies WHERE code IN " +
        in_list(agencies.size()) + ") AND (" + cond +
        ") AND c.received_on>=? ORDER BY c.received_on DESC LIMIT " + std::to_string(limit));
    for (size_t i = 0; i < all.size(); ++i) q.text(static_cast<int>(i + 1), all[i]);
    return rows_of(q);
  } catch (const DbError&) {
    return {};  // a search the tokenizer cannot parse: no suggestion
  }
}
}  // namespace

std::vector<CaseRow> SqlStore::same_applicant(const std::vector<std::string>& agencies,
                                              const std::string& name, const std::string& identity,
                                              const Date& since, int limit) {
  std::lock_guard lock(rmu_);  // the read connection: a slow search never holds up a write
  if (agencies.empty() || (name.empty() && identity.empty())) return {};
  std::string cond;
  std::vector<std::string> params;
  if (!identity.empty()) {
    cond = "p.id_number=? OR p.credit_code=?";
    params = {identity, identity};
  }
  if (!name.empty()) {
    cond += std::string(cond.empty() ? "" : " OR ") + "p.name=?";
    params.push_back(name);
  }
  return candidate_rows(rq_, agencies, cond, params, since, limit);
}

std::vector<CaseRow> SqlStore::text_candidates(const std::vector<std::string>& agencies,
                                               const std::vector<std::string>& terms,
                                               const Date& since, int limit) {
  std::lock_guard lock(rmu_);
  if (agencies.empty()) return {};
  std::vector<std::string> usable, params;
  for (auto& t : terms)
    if (t.find('"') == std::string::npos) usable.push_back(t);
  if (usable.empty()) return {};
  const std::string cond = search_condition(rq_.engine(), usable, params);
  return candidate_rows(rq_, agencies, cond, params, since, limit);
}

std::vector<std::pair<long long, std::optional<Date>>> SqlStore::open_due_dates(
    const std::vector<std::string>& agencies) {
  std::lock_guard lock(mu_);
  std::vector<std::pair<long long, std::optional<Date>>> out;
  for (auto& code : agencies) {
    auto q =
        q_("SELECT c.id, c.due_on FROM cases c WHERE c.agency_id=(SELECT id FROM agencies WHERE "
           "code=?) "
           "AND c.concluded_on IS NULL");
    q.text(1, code);
    while (q.row()) out.emplace_back(q.num(0), q.date(1));
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) {
    if (a.second.has_value() != b.second.has_value()) return a.second.has_value();
    if (a.second && *a.second != *b.second) return *a.second < *b.second;
    return a.first < b.first;
  });
  return out;
}

std::vector<std::pair<std::string, long long>> SqlStore::count_by_state(
    const std::vector<std::string>& agencies) {
  std::lock_guard lock(mu_);
  if (agencies.empty()) return {};
  auto q = q_.once(
      "SELECT c.state, count(*) FROM cases c WHERE c.agency_id IN (SELECT id FROM agencies WHERE "
      "code IN " +
      in_list(agencies.size()) + ") GROUP BY c.state");
  for (size_t i = 0; i < agencies.size(); ++i) q.text(static_cast<int>(i + 1), agencies[i]);
  std::vector<std::pair<std::string, long long>> out;
  while (q.row()) out.emplace_back(q.str(0), q.num(1));
  return out;
}

// ---- attachments ----

Result<Attachment> SqlStore::add_attachment(const Attachment& a) {
  auto id = write([&]() -> Result<long long> {
    auto q =
        q_("INSERT INTO attachments(case_id, sha256, name, mime, size, uploaded_by, uploaded_at) "
           "VALUES(?,?,?,?,?,?,?) RETURNING id");
    q.num(1, a.case_id)
        .text(2, a.sha256)
        .text(3, a.name)
        .text(4, a.mime)
        .num(5, a.size)
        .text(6, a.uploaded_by)
        .text(7, a.uploaded_at);
    long long id = q.row() ? q.num(0) : 0;
    q.run();
    return id;
  });
  if (!id) return id.error();
  Attachment out = a;
  out.id = *id;
  return out;
}

namespace {
std::vector<Attachment> attachments_of(Query& q) {
  std::vector<Attachment> out;
  while (q.row())
    out.push_back(
        Attachment{q.num(0), q.num(1), q.num(2), q.str(3), q.str(4), q.str(5), q.str(6), q.str(7)});
  return out;
}
}  // namespace

std::vector<Attachment> SqlStore::attachments(long long case_id) {
  std::lock_guard lock(mu_);
  auto q =
      q_("SELECT id, case_id, size, sha256, name, mime, uploaded_by, uploaded_at FROM attachments "
         "WHERE case_id=? ORDER BY id");
  q.num(1, case_id);
  return attachments_of(q);
}

Result<Attachment> SqlStore::attachment(long long id) {
  std::lock_guard lock(mu_);
  auto q =
      q_("SELECT id, case_id, size, sha256, name, mime, uploaded_by, uploaded_at FROM attachments "
         "WHERE id=?");
  q.num(1, id);
  auto v = attachments_of(q);
  if (v.empty()) return make_error(Code::not_found, "没有该附件");
  return v.front();
}

// ---- audit and alerts ----

std::vector<AuditRow> SqlStore::audit_rows(int limit, long long before_id,
                                           const std::vector<std::string>* agencies) {
  std::lock_guard lock(rmu_);  // the read connection: a slow search never holds up a write
  limit = std::clamp(limit, 1, 1000);
  std::vector<AuditRow> out;
  // Whose entries an auditor may read: those of the people of their agencies, and those about
  // their agencies' cases (registrations, events, attachments: the target is the case id).
  std::set<std::string> people;
  if (agencies) {
    for (auto& code : *agencies) {
      auto q =
          rq_("SELECT u.username FROM users u JOIN agencies a ON a.id=u.agency_id WHERE a.code=?");
      q.text(1, code);
      while (q.row()) people.insert(q.str(0));
    }
  }
  auto case_visible = [&](const std::string& target) {
    if (target.empty() || target.size() > 18 ||
        target.find_first_not_of("0123456789") != std::string::npos)
      return false;
    auto q = rq_("SELECT a.code FROM cases c JOIN agencies a ON a.id=c.agency_id WHERE c.id=?");
    q.num(1, std::stoll(target));
    return q.row() && std::find(agencies->begin(), agencies->end(), q.str(0)) != agencies->end();
  };
  long long before = before_id > 0 ? before_id : (1LL << 62);
  for (;;) {  // in pages, newest first, until `limit` rows pass the filter
    auto q =
        rq_("SELECT id, at, actor, action, target, detail FROM audit_log WHERE id < ? ORDER BY id "
            "DESC LIMIT ?");
    q.num(1, before).num(2, 500);
    int seen = 0;
    std::vector<AuditRow> page;
    while (q.row()) {
      ++seen;
      page.push_back(AuditRow{q.num(0), q.str(1), q.str(2), q.str(3), q.str(4), q.str(5)});
    }
    for (auto& r : page) {
      before = r.id;
      const bool about_case =
          r.action.rfind("case.", 0) == 0 || r.action.rfind("attachment.", 0) == 0;
      if (!agencies || people.count(r.actor) || (about_case && case_visible(r.target)))
        out.push_back(std::move(r));
      if (static_cast<int>(out.size()) == limit) return out;
    }
    if (seen < 500) return out;
  }
}

Status SqlStore::record_audit(const std::string& at, const std::string& actor,
                              const std::string& action, const std::string& target,
                              const std::string& detail) {
  return audit(at, actor, action, target, detail);
}

bool SqlStore::raise_alert(long long case_id, const std::string& kind, const std::string& due_on,
                           const std::string& raised_on, const std::string& message) {
  auto r = write([&]() -> Result<int> {
    auto q =
        q_("INSERT INTO alerts(case_id, kind, due_on, raised_on, message) VALUES(?,?,?,?,?) ON "
           "CONFLICT DO NOTHING");
    q.num(1, case_id).text(2, kind).text(3, due_on).text(4, raised_on).text(5, message).run();
    return static_cast<int>(q.changes());
  });
  return r.ok() && *r > 0;
}

std::vector<AlertRow> SqlStore::alerts(const std::vector<std::string>& agencies,
                                       bool unnotified_only) {
  std::lock_guard lock(mu_);
  if (agencies.empty()) return {};
  // SQLite's CROSS JOIN keeps alerts (few) as the outer loop rather than every case of the agency.
  auto q = q_.once(
      std::string(
          "SELECT l.id, l.case_id, l.kind, l.due_on, l.raised_on, l.message, c.number, l.notified "
          "FROM alerts l ") +
      (q_.engine() == Engine::sqlite ? "CROSS JOIN" : "JOIN") +
      " cases c ON c.id=l.case_id WHERE c.agency_id IN (SELECT id FROM agencies WHERE code IN " +
      in_list(agencies.size()) + ")" + (unnotified_only ? " AND l.notified=0" : "") +
      " ORDER BY l.id DESC LIMIT 200");
  for (size_t i = 0; i < agencies.size(); ++i) q.text(static_cast<int>(i + 1), agencies[i]);
  std::vector<AlertRow> out;
  while (q.row())
    out.push_back(AlertRow{q.num(0), q.num(1), q.str(2), q.str(3), q.str(4), q.str(5), q.str(6),
                           q.num(7) != 0});
  return out;
}

Status SqlStore::mark_alert_notified(long long id) {
  return write_status([&] { q_("UPDATE alerts SET notified=1 WHERE id=?").num(1, id).run(); });
}

bool SqlStore::claim_reminder(const std::string& kind, const std::string& key,
                              const std::string& at) {
  auto r = write([&]() -> Result<int> {
    auto q = q_("INSERT INTO reminders(kind, key, sent_at) VALUES(?,?,?) ON CONFLICT DO NOTHING");
    q.text(1, kind).text(2, key).text(3, at).run();
    return static_cast<int>(q.changes());
  });
  return r.ok() && *r > 0;
}

Status SqlStore::release_reminder(const std::string& kind, const std::string& key) {
  return write_status(
      [&] { q_("DELETE FROM reminders WHERE kind=? AND key=?").text(1, kind).text(2, key).run(); });
}

}  // namespace ogi
