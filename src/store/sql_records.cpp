// SqlQueries (QueryStore), the records beside the cases: attachments, the audit trail's rows,
// alerts and the reminders' claims. (Lists and search: sql_queries.cpp.)
#include "store/sql_detail.h"

namespace ogi::detail {

Result<Attachment> SqlQueries::add_attachment(const Attachment& a) {
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

std::vector<Attachment> SqlQueries::attachments(long long case_id) {
  std::lock_guard lock(mu_);
  auto q =
      q_("SELECT id, case_id, size, sha256, name, mime, uploaded_by, uploaded_at FROM attachments "
         "WHERE case_id=? ORDER BY id");
  q.num(1, case_id);
  return attachments_of(q);
}

Result<Attachment> SqlQueries::attachment(long long id) {
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

std::vector<AuditRow> SqlQueries::audit_rows(int limit, long long before_id,
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

Status SqlQueries::record_audit(const std::string& at, const std::string& actor,
                                const std::string& action, const std::string& target,
                                const std::string& detail) {
  return write_status([&] { append_audit(at, actor, action, target, detail); });
}

bool SqlQueries::raise_alert(long long case_id, const std::string& kind, const std::string& due_on,
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

std::vector<AlertRow> SqlQueries::alerts(const std::vector<std::string>& agencies,
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

Status SqlQueries::mark_alert_notified(long long id) {
  return write_status([&] { q_("UPDATE alerts SET notified=1 WHERE id=?").num(1, id).run(); });
}

bool SqlQueries::claim_reminder(const std::string& kind, const std::string& key,
                                const std::string& at) {
  auto r = write([&]() -> Result<int> {
    auto q = q_("INSERT INTO reminders(kind, key, sent_at) VALUES(?,?,?) ON CONFLICT DO NOTHING");
    q.text(1, kind).text(2, key).text(3, at).run();
    return static_cast<int>(q.changes());
  });
  return r.ok() && *r > 0;
}

Status SqlQueries::release_reminder(const std::string& kind, const std::string& key) {
  return write_status(
      [&] { q_("DELETE FROM reminders WHERE kind=? AND key=?").text(1, kind).text(2, key).run(); });
}

}  // namespace ogi::detail
