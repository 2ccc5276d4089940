// SqliteStore: sessions, lists and search, attachments, administration, audit, alerts.
#include <algorithm>
#include <cstring>

#include "base/text.h"
#include "domain/letters.h"
#include "store/sqlite_detail.h"

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

std::vector<User> SqliteStore::users() {
  std::lock_guard lock(mu_);
  Statement st(*db_);
  st << "SELECT u.id, u.username, u.display_name, a.code, u.roles, u.active FROM users u JOIN agencies a ON "
        "a.id=u.agency_id ORDER BY a.code, u.username",
      now;
  RecordSet rs(st);
  std::vector<User> out;
  for (size_t r = 0; r < rs.rowCount(); ++r) {
    User u{num(rs.value(0, r)), str(rs.value(1, r)), str(rs.value(2, r)), str(rs.value(3, r)),
           split_roles(str(rs.value(4, r))), "", {}};
    if (!num(rs.value(5, r))) u.display_name += "（已停用）";
    out.push_back(u);
  }
  return out;
}

Status SqliteStore::update_user(const std::string& username, const std::vector<std::string>& roles, bool active,
                                const std::string& hash) {
  auto r = write([&]() -> Result<int> {
    Statement st(*db_);
    st << "UPDATE users SET roles=?, active=? WHERE username=?", bind(join_roles(roles)), bind(active ? 1 : 0),
        bind(username);
    if (st.execute() == 0) return make_error(Code::not_found, "没有用户 " + username);
    if (!hash.empty()) *db_ << "UPDATE users SET password_hash=? WHERE username=?", bind(hash), bind(username), now;
    if (!active || !hash.empty())
      *db_ << "DELETE FROM sessions WHERE user_id=(SELECT id FROM users WHERE username=?)", bind(username), now;
    return 1;
  });
  if (!r) return r.error();
  return {};
}

Status SqliteStore::update_agency(const Agency& a, const std::string& body, const std::string& court) {
  auto r = write([&]() -> Result<int> {
    Statement st(*db_);
    st << "UPDATE agencies SET name=?, number_pattern=?, fee_pauses_clock=?, reconsideration_body=?, court=?, "
          "letter_prefix=?, letter_pattern=?, letterhead=?, contact=? WHERE code=?",
        bind(a.name), bind(a.number_pattern), bind(a.fee_pauses_clock ? 1 : 0), bind(body), bind(court),
        bind(a.letter_prefix), bind(a.letter_pattern.empty() ? std::string(kDefaultLetterPattern) : a.letter_pattern),
        bind(a.letterhead), bind(a.contact), bind(a.code);
    if (st.execute() == 0) return make_error(Code::not_found, "没有机关 " + a.code);
    return 1;
  });
  if (!r) return r.error();
  return {};
}

std::pair<std::string, std::string> SqliteStore::agency_remedy_bodies(const std::string& code) {
  std::lock_guard lock(mu_);
  std::string body, court;
  Statement st(*db_);
  st << "SELECT reconsideration_body, court FROM agencies WHERE code=?", bind(code), now;
  RecordSet rs(st);
  if (rs.rowCount()) {
    body = str(rs.value(0, 0));
    court = str(rs.value(1, 0));
  }
  return {body, court};
}

// ---- sessions ----

Status SqliteStore::create_session(const SessionRecord& s, const std::string& ip) {
  return write_status([&] {
    *db_ << "INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at, ip) VALUES(?,?,?,?,?,?)",
        bind(s.token_hash), bind(I(s.user_id)), bind(s.csrf), bind(I(s.created_at)), bind(I(s.expires_at)), bind(ip), now;
  });
}

Result<SessionRecord> SqliteStore::find_session(const std::string& token_hash) {
  std::lock_guard lock(mu_);
  auto q = q_("SELECT s.token_hash, s.user_id, u.username, s.csrf, s.created_at, s.expires_at FROM sessions s JOIN users u "
              "ON u.id=s.user_id WHERE s.token_hash=? AND u.active=1");
  q.text(1, token_hash);
  if (!q.row()) return make_error(Code::unauthenticated, "未登录或登录已失效");
  return SessionRecord{q.str(0), q.num(1), q.str(2), q.str(3), q.num(4), q.num(5)};
}

Status SqliteStore::extend_session(const std::string& token_hash, long long expires_at) {
  return write_status(
      [&] { *db_ << "UPDATE sessions SET expires_at=? WHERE token_hash=?", bind(I(expires_at)), bind(token_hash), now; });
}

Status SqliteStore::delete_session(const std::string& token_hash) {
  return write_status([&] { *db_ << "DELETE FROM sessions WHERE token_hash=?", bind(token_hash), now; });
}

Status SqliteStore::delete_user_sessions(long long user_id) {
  return write_status([&] { *db_ << "DELETE FROM sessions WHERE user_id=?", bind(I(user_id)), now; });
}

int SqliteStore::failures_since(const std::string& username, const std::string& ip, long long since) {
  std::lock_guard lock(mu_);
  int n = 0, m = 0;
  *db_ << "SELECT count(*) FROM login_failures WHERE username=? AND at>=?", bind(username), bind(I(since)), into(n), now;
  *db_ << "SELECT count(*) FROM login_failures WHERE ip=? AND at>=?", bind(ip), bind(I(since)), into(m), now;
  return std::max(n, m / 4);  // an address is allowed more tries than one account
}

Status SqliteStore::record_failure(const std::string& username, const std::string& ip, long long at) {
  return write_status([&] {
    *db_ << "INSERT INTO login_failures(username, ip, at) VALUES(?,?,?)", bind(username), bind(ip), bind(I(at)), now;
    *db_ << "DELETE FROM login_failures WHERE at < ?", bind(I(at - 86400)), now;
  });
}

Status SqliteStore::clear_failures(const std::string& username) {
  return write_status([&] { *db_ << "DELETE FROM login_failures WHERE username=?", bind(username), now; });
}

// ---- lists ----

namespace {
constexpr const char* kRowSelect =
    "SELECT c.id, c.number, a.code, c.applicant_type, p.name, p.id_number, p.credit_code, p.phone, c.channel, c.state, "
    "c.stage, c.outcome, c.content, c.received_on, c.due_on, c.concluded_on, c.due_provisional, c.on_time "
    "FROM cases c JOIN agencies a ON a.id=c.agency_id JOIN applicants p ON p.id=c.applicant_id ";

std::vector<CaseRow> rows_of(RecordSet& rs) {
  std::vector<CaseRow> out;
  for (size_t r = 0; r < rs.rowCount(); ++r) {
    CaseRow x;
    x.id = num(rs.value(0, r));
    x.number = str(rs.value(1, r));
    x.agency = str(rs.value(2, r));
    x.applicant_type = str(rs.value(3, r));
    x.applicant_name = str(rs.value(4, r));
    x.id_number = str(rs.value(5, r));
    x.credit_code = str(rs.value(6, r));
    x.phone = str(rs.value(7, r));
    x.channel = str(rs.value(8, r));
    x.state = str(rs.value(9, r));
    x.stage = str(rs.value(10, r));
    x.outcome = str(rs.value(11, r));
    x.content = str(rs.value(12, r));
    x.received_on = *odate(rs.value(13, r));
    x.due_on = odate(rs.value(14, r));
    x.concluded_on = odate(rs.value(15, r));
    x.provisional = num(rs.value(16, r)) != 0;
    if (!rs.value(17, r).isEmpty()) x.on_time = num(rs.value(17, r)) != 0;
    out.push_back(std::move(x));
  }
  return out;
}
}  // namespace

constexpr long long kCountCap = 1001;  // "1000+" beyond this

std::pair<std::vector<CaseRow>, long long> SqliteStore::list_cases(const CaseFilter& f) {
  std::lock_guard lock(rmu_);  // the read connection: a slow search never holds up a write
  if (f.agencies.empty()) return {};
  // Every condition is a fixed SQL fragment with bound parameters; values never enter the SQL text.
  // Agency filter on the cases' own column as integer ids (read from the table, never from the
  // request), so the per-agency indexes serve both the filter and the order.
  std::string ids;
  for (auto& code : f.agencies) {
    auto q = rq_("SELECT id FROM agencies WHERE code=?");
    q.text(1, code);
    if (q.row()) ids += (ids.empty() ? "" : ",") + std::to_string(q.num(0));
  }
  if (ids.empty()) return {};
  std::string where = ids.find(',') == std::string::npos ? "WHERE c.agency_id=" + ids : "WHERE c.agency_id IN (" + ids + ")";
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
  if (f.from) { where += " AND c.received_on>=?"; params.push_back(format_date(*f.from)); }
  if (f.to) { where += " AND c.received_on<=?"; params.push_back(format_date(*f.to)); }
  if (f.ids) {  // integers from the caller, written as numbers: no text enters the SQL
    if (f.ids->empty()) return {};
    std::string list;
    for (long long id : *f.ids) list += (list.empty() ? "" : ",") + std::to_string(id);
    where += " AND c.id IN (" + list + ")";
  }
  if (f.open_only || f.overdue_only) where += " AND c.concluded_on IS NULL";
  if (f.overdue_only) { where += " AND c.due_on IS NOT NULL AND c.due_on<?"; params.push_back(format_date(f.today)); }
  const bool fts = utf8_chars(f.q).size() >= 3;  // the trigram index answers from three characters
  if (!f.q.empty()) {
    if (fts) {
      where += " AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)";
      std::string quoted = "\"";
      for (char ch : f.q) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      params.push_back(quoted + "\"");
    } else {
      // One or two characters: a name prefix (indexed) or the exact case number.
      where += " AND c.id IN (SELECT x.id FROM cases x WHERE x.applicant_id IN (SELECT id FROM applicants WHERE name >= ? "
               "AND name < ?) UNION SELECT x.id FROM cases x WHERE x.number = ?)";
      params.insert(params.end(), {f.q, f.q + "\xF4\x8F\xBF\xBF", f.q});
    }
  }
  // The total is counted up to a cap: an exact count of a broad search over a million cases
  // would cost more than the page itself.
  Poco::Int64 total = 0;
  {
    Statement st(*rdb_);
    st << "SELECT count(*) FROM (SELECT 1 FROM cases c " + where + " LIMIT " + std::to_string(kCountCap) + ")";
    for (auto& p : params) st, use(p);
    st, into(total);
    st.execute();
  }
  int per = std::clamp(f.per_page, 1, 100000), page = std::max(1, f.page);
  Statement st(*rdb_);
  const char* order = f.by_due ? " ORDER BY c.due_on IS NULL, c.due_on, c.id" : " ORDER BY c.received_on DESC, c.id DESC";
  if (!f.by_due && fts) order = " ORDER BY c.id DESC";  // newest registrations first: no sort of all matches
  st << std::string(kRowSelect) + where + order + " LIMIT " + std::to_string(per) +
            " OFFSET " + std::to_string((page - 1) * per);
  for (auto& p : params) st, use(p);
  st.execute();
  RecordSet rs(st);
  return {rows_of(rs), total};
}


namespace {
// The distinctive 3-character windows of a request text: boilerplate every request shares
// (申请公开, 政府信息, ...) and punctuation are left out first.
std::vector<std::string> trigrams(std::string text) {
  for (const char* boiler : {"申请公开", "请求公开", "政府信息", "相关", "有关", "关于", "的", "及", "和"}) {
    for (size_t p; (p = text.find(boiler)) != std::string::npos;) text.replace(p, std::strlen(boiler), " ");
  }
  std::vector<std::string> out;
  std::vector<std::string> run;
  auto flush = [&] {
    for (size_t i = 0; i + 3 <= run.size(); ++i) {
      std::string t = run[i] + run[i + 1] + run[i + 2];
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
    run.clear();
  };
  for (auto& cp : utf8_chars(text)) {
    bool sep = cp.size() == 1 ? !std::isalnum(static_cast<unsigned char>(cp[0])) : (cp == "，" || cp == "。" || cp == "、" || cp == "；" || cp == "：" || cp == "（" || cp == "）" || cp == "“" || cp == "”");
    if (sep) flush();
    else run.push_back(cp);
  }
  flush();
  if (out.size() > 64) out.resize(64);
  return out;
}
}  // namespace

std::vector<CaseRow> SqliteStore::possible_duplicates(const std::vector<std::string>& agencies, const std::string& name,
                                                      const std::string& identity, const std::string& content,
                                                      const Date& since) {
  std::lock_guard lock(rmu_);  // the read connection: a slow search never holds up a write
  if (agencies.empty()) return {};
  std::vector<CaseRow> out;
  auto run = [&](const std::string& cond, std::vector<std::string> params, const std::string& order, int limit) {
    std::vector<std::string> all(agencies.begin(), agencies.end());
    all.insert(all.end(), params.begin(), params.end());
    all.push_back(format_date(since));
    Statement st(*rdb_);
    st << std::string(kRowSelect) + "WHERE c.agency_id IN (SELECT id FROM agencies WHERE code IN " + in_list(agencies.size()) + ") AND (" + cond +
              ") AND c.received_on>=? " + order + " LIMIT " + std::to_string(limit);
    for (auto& p : all) st, use(p);
    try {
      st.execute();
    } catch (const Poco::Exception&) {
      return std::vector<CaseRow>{};  // a search the tokenizer cannot parse: no suggestion
    }
    RecordSet rs(st);
    return rows_of(rs);
  };
  // The same applicant: identity number, credit code or exact name.
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
  if (!cond.empty()) out = run(cond, params, "ORDER BY c.received_on DESC", 20);
  // Similar request text: candidates from the trigram index, kept when they share at least two
  // distinctive trigrams (or all of them, for a short text).
  auto grams = trigrams(content);
  if (!grams.empty()) {
    std::string q;
    for (auto& g : grams)
      if (g.find('"') == std::string::npos) q += (q.empty() ? "\"" : " OR \"") + g + "\"";
    auto candidates = run("c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)", {q}, "ORDER BY c.received_on DESC", 200);
    size_t need = std::min<size_t>(2, grams.size());
    for (auto& r : candidates) {
      size_t shared = 0;
      for (auto& g : grams) shared += r.content.find(g) != std::string::npos;
      bool seen = std::any_of(out.begin(), out.end(), [&](const CaseRow& x) { return x.id == r.id; });
      if (shared >= need && !seen) out.push_back(r);
    }
  }
  if (out.size() > 20) out.resize(20);
  return out;
}

std::vector<long long> SqliteStore::open_case_ids_of(const std::vector<std::string>& agencies) {
  std::lock_guard lock(mu_);
  if (agencies.empty()) return {};
  Statement st(*db_);
  std::vector<std::string> params(agencies.begin(), agencies.end());
  st << "SELECT c.id FROM cases c WHERE c.concluded_on IS NULL AND c.agency_id IN (SELECT id FROM agencies WHERE code IN " +
            in_list(agencies.size()) + ") ORDER BY c.due_on IS NULL, c.due_on, c.id";
  for (auto& p : params) st, use(p);
  std::vector<Poco::Int64> ids;
  st, into(ids);
  st.execute();
  return {ids.begin(), ids.end()};
}

std::vector<std::pair<long long, std::optional<Date>>> SqliteStore::open_due_dates(const std::vector<std::string>& agencies) {
  std::lock_guard lock(mu_);
  std::vector<std::pair<long long, std::optional<Date>>> out;
  for (auto& code : agencies) {
    auto q = q_("SELECT c.id, c.due_on FROM cases c WHERE c.agency_id=(SELECT id FROM agencies WHERE code=?) "
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

std::vector<std::pair<std::string, long long>> SqliteStore::count_by_state(const std::vector<std::string>& agencies) {
  std::lock_guard lock(mu_);
  if (agencies.empty()) return {};
  Statement st(*db_);
  std::vector<std::string> params(agencies.begin(), agencies.end());
  st << "SELECT c.state, count(*) FROM cases c WHERE c.agency_id IN (SELECT id FROM agencies WHERE code IN " +
            in_list(agencies.size()) + ") GROUP BY c.state";
  for (auto& p : params) st, use(p);
  st.execute();
  RecordSet rs(st);
  std::vector<std::pair<std::string, long long>> out;
  for (size_t r = 0; r < rs.rowCount(); ++r) out.emplace_back(str(rs.value(0, r)), num(rs.value(1, r)));
  return out;
}

// ---- attachments ----

Result<Attachment> SqliteStore::add_attachment(const Attachment& a) {
  auto id = write([&]() -> Result<long long> {
    *db_ << "INSERT INTO attachments(case_id, sha256, name, mime, size, uploaded_by, uploaded_at) VALUES(?,?,?,?,?,?,?)",
        bind(I(a.case_id)), bind(a.sha256), bind(a.name), bind(a.mime), bind(I(a.size)), bind(a.uploaded_by),
        bind(a.uploaded_at), now;
    Poco::Int64 id = 0;
    *db_ << "SELECT last_insert_rowid()", into(id), now;
    return static_cast<long long>(id);
  });
  if (!id) return id.error();
  Attachment out = a;
  out.id = *id;
  return out;
}

namespace {
std::vector<Attachment> attachments_of(RecordSet& rs) {
  std::vector<Attachment> out;
  for (size_t r = 0; r < rs.rowCount(); ++r)
    out.push_back(Attachment{num(rs.value(0, r)), num(rs.value(1, r)), num(rs.value(2, r)), str(rs.value(3, r)),
                             str(rs.value(4, r)), str(rs.value(5, r)), str(rs.value(6, r)), str(rs.value(7, r))});
  return out;
}
constexpr const char* kAttachmentSelect =
    "SELECT id, case_id, size, sha256, name, mime, uploaded_by, uploaded_at FROM attachments ";
}  // namespace

std::vector<Attachment> SqliteStore::attachments(long long case_id) {
  std::lock_guard lock(mu_);
  Statement st(*db_);
  st << std::string(kAttachmentSelect) + "WHERE case_id=? ORDER BY id", bind(I(case_id)), now;
  RecordSet rs(st);
  return attachments_of(rs);
}

Result<Attachment> SqliteStore::attachment(long long id) {
  std::lock_guard lock(mu_);
  Statement st(*db_);
  st << std::string(kAttachmentSelect) + "WHERE id=?", bind(I(id)), now;
  RecordSet rs(st);
  auto v = attachments_of(rs);
  if (v.empty()) return make_error(Code::not_found, "没有该附件");
  return v.front();
}

// ---- audit and alerts ----

std::vector<AuditRow> SqliteStore::audit_rows(int limit, long long before_id) {
  std::lock_guard lock(rmu_);  // the read connection: a slow search never holds up a write
  Statement st(*rdb_);
  st << "SELECT id, at, actor, action, target, detail FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?",
      bind(I(before_id > 0 ? before_id : (1LL << 62))), bind(std::clamp(limit, 1, 1000)), now;
  RecordSet rs(st);
  std::vector<AuditRow> out;
  for (size_t r = 0; r < rs.rowCount(); ++r)
    out.push_back(AuditRow{num(rs.value(0, r)), str(rs.value(1, r)), str(rs.value(2, r)), str(rs.value(3, r)),
                           str(rs.value(4, r)), str(rs.value(5, r))});
  return out;
}

Status SqliteStore::record_audit(const std::string& at, const std::string& actor, const std::string& action,
                                 const std::string& target, const std::string& detail) {
  return audit(at, actor, action, target, detail);
}

bool SqliteStore::raise_alert(long long case_id, const std::string& kind, const std::string& due_on,
                              const std::string& raised_on, const std::string& message) {
  auto r = write([&]() -> Result<int> {
    Statement st(*db_);
    st << "INSERT OR IGNORE INTO alerts(case_id, kind, due_on, raised_on, message) VALUES(?,?,?,?,?)", bind(I(case_id)),
        bind(kind), bind(due_on), bind(raised_on), bind(message);
    return static_cast<int>(st.execute());
  });
  return r.ok() && *r > 0;
}

std::vector<AlertRow> SqliteStore::alerts(const std::vector<std::string>& agencies, bool unnotified_only) {
  std::lock_guard lock(mu_);
  if (agencies.empty()) return {};
  Statement st(*db_);
  std::vector<std::string> params(agencies.begin(), agencies.end());
  // CROSS JOIN keeps alerts (few) as the outer loop rather than every case of the agency.
  st << "SELECT l.id, l.case_id, l.kind, l.due_on, l.raised_on, l.message, c.number, l.notified FROM alerts l CROSS JOIN "
        "cases c ON c.id=l.case_id WHERE c.agency_id IN (SELECT id FROM agencies WHERE code IN " +
            in_list(agencies.size()) + ")" + (unnotified_only ? " AND l.notified=0" : "") + " ORDER BY l.id DESC LIMIT 200";
  for (auto& p : params) st, use(p);
  st.execute();
  RecordSet rs(st);
  std::vector<AlertRow> out;
  for (size_t r = 0; r < rs.rowCount(); ++r)
    out.push_back(AlertRow{num(rs.value(0, r)), num(rs.value(1, r)), str(rs.value(2, r)), str(rs.value(3, r)),
                           str(rs.value(4, r)), str(rs.value(5, r)), str(rs.value(6, r)), num(rs.value(7, r)) != 0});
  return out;
}

Status SqliteStore::mark_alert_notified(long long id) {
  return write_status([&] { *db_ << "UPDATE alerts SET notified=1 WHERE id=?", bind(I(id)), now; });
}

}  // namespace ogi
