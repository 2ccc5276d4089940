#include "store/sqlite_store.h"
#include "app/auth.h"
#include "domain/letters.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>
#include <sqlite3.h>

#include <sstream>

#include "store/fields_json.h"
#include "store/migrations.h"
#include "store/sqlite_detail.h"

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;
using namespace ogi::detail;

namespace ogi {

namespace {

struct Disable {
  // perf-notes trap 2: SQLite's memory statistics mutex serialises Poco::Data's re-prepares.
  Disable() {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    Poco::Data::SQLite::Connector::registerConnector();
  }
};

}  // namespace

SqliteStore::~SqliteStore() {
  {
    std::lock_guard l(qmu_);
    stopping_ = true;
  }
  qcv_.notify_all();
  if (committer_.joinable()) committer_.join();
  q_.clear();
  rq_.clear();
  rdb_.reset();
  try {
    *db_ << "PRAGMA wal_checkpoint(TRUNCATE)", now;  // leave a small WAL behind
  } catch (...) {
  }
}


// Group commit (perf-notes trap 3): write jobs queue up while a transaction commits; the next
// transaction runs all of them, each inside its own SAVEPOINT so one failure undoes only its own
// work. Every job is acknowledged only after the COMMIT that contains it is durable.
void SqliteStore::commit_loop() {
  for (;;) {
    std::vector<WriteJob*> batch;
    {
      std::unique_lock l(qmu_);
      qcv_.wait(l, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      while (!queue_.empty() && batch.size() < 256) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    std::lock_guard lock(mu_);
    try {
      *db_ << "BEGIN IMMEDIATE", now;
    } catch (const Poco::Exception& e) {
      for (auto* j : batch) {
        j->on_error(make_error(Code::internal, "database is busy or unavailable: " + e.displayText()));
        j->done.set_value();
      }
      continue;
    }
    for (auto* j : batch) {
      try {
        *db_ << "SAVEPOINT job", now;
        bool ok = j->body();
        if (!ok) *db_ << "ROLLBACK TO job", now;
        *db_ << "RELEASE job", now;
      } catch (const std::exception& e) {
        try {
          *db_ << "ROLLBACK TO job", now;
          *db_ << "RELEASE job", now;
        } catch (...) {
        }
        j->on_error(write_error(e));
      }
    }
    try {
      *db_ << "COMMIT", now;
    } catch (const std::exception& e) {
      try {
        *db_ << "ROLLBACK", now;
      } catch (...) {
      }
      for (auto* j : batch) j->on_error(make_error(Code::internal, "database commit failed, nothing was saved"));
    }
    for (auto* j : batch) j->done.set_value();
    // Checkpoint while no write waits (it then completes, and the next commit restarts the
    // log); under sustained load, once the log is large, checkpoint anyway.
    bool idle;
    {
      std::lock_guard l(qmu_);
      idle = queue_.empty();
    }
    if ((idle && wal_pages_ > 500) || wal_pages_ > 65536) {
      int log = 0, done = 0;
      sqlite3_wal_checkpoint_v2(Poco::Data::SQLite::Utility::dbHandle(*db_), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
      if (log == done) wal_pages_ = 0;
    }
  }
}

Error SqliteStore::write_error(const std::exception& e) {
  const auto* pe = dynamic_cast<const Poco::Exception*>(&e);
  std::string what = pe ? pe->displayText() : e.what();
  if (what.find("UNIQUE constraint failed: cases.") != std::string::npos ||
      what.find("UNIQUE constraint failed: case_events.") != std::string::npos)
    return make_error(Code::conflict, "案件已被他人同时修改，请刷新后重试");
  return make_error(Code::internal, "database write failed, nothing was saved: " + what);
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, bool create) {
  static Disable once;
  std::unique_ptr<SqliteStore> s(new SqliteStore());
  try {
    if (!create) {
      sqlite3* probe = nullptr;
      int rc = sqlite3_open_v2(path.c_str(), &probe, SQLITE_OPEN_READONLY, nullptr);
      sqlite3_close(probe);
      if (rc != SQLITE_OK) return make_error(Code::not_found, "no database at " + path + " (run `ogi init --db " + path + "` first)");
    }
    s->db_ = std::make_unique<Poco::Data::Session>("SQLite", path);
    *s->db_ << "PRAGMA busy_timeout=10000", now;
    *s->db_ << "PRAGMA journal_mode=WAL", now;
    *s->db_ << "PRAGMA synchronous=FULL", now;  // an acknowledged event is a legal record
    *s->db_ << "PRAGMA foreign_keys=ON", now;
    s->q_.attach(Poco::Data::SQLite::Utility::dbHandle(*s->db_));
    s->rdb_ = std::make_unique<Poco::Data::Session>("SQLite", path);
    *s->rdb_ << "PRAGMA busy_timeout=10000", now;
    *s->rdb_ << "PRAGMA query_only=1", now;
    s->rq_.attach(Poco::Data::SQLite::Utility::dbHandle(*s->rdb_));
  } catch (const Poco::Exception& e) {
    return make_error(Code::internal, "cannot open database " + path + ": " + e.displayText());
  }
  // Checkpoints are the committer's, when it is idle (see commit_loop): the hook replaces
  // SQLite's automatic checkpoint inside COMMIT, whose pause was the p99 of registrations.
  sqlite3_wal_hook(
      Poco::Data::SQLite::Utility::dbHandle(*s->db_),
      [](void* self, sqlite3*, const char*, int pages) {
        static_cast<SqliteStore*>(self)->wal_pages_ = pages;
        return SQLITE_OK;
      },
      s.get());
  s->committer_ = std::thread([p = s.get()] { p->commit_loop(); });
  int have = s->schema_version();
  int known = migrations().empty() ? 0 : migrations().back().version;
  if (have > known)
    return make_error(Code::conflict, "database " + path + " has schema version " + std::to_string(have) +
                                          ", newer than this program knows (" + std::to_string(known) +
                                          "): use a newer ogi");
  if (!create && have < known)
    return make_error(Code::conflict, "database " + path + " has schema version " + std::to_string(have) +
                                          "; run `ogi init --db " + path + "` to migrate to " + std::to_string(known));
  return s;
}

int SqliteStore::schema_version() {
  std::lock_guard lock(mu_);
  int n = 0;
  *db_ << "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'", into(n), now;
  if (!n) return 0;
  int v = 0;
  *db_ << "SELECT coalesce(max(version),0) FROM schema_migrations", into(v), now;
  return v;
}

Result<int> SqliteStore::migrate() {
  {
    std::lock_guard lock(mu_);
    *db_ << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
          "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))",
        now;
  }
  int have = schema_version();  // the write jobs below run on the committer thread: no lock held here
  for (const Migration& m : migrations()) {
    if (m.version <= have) continue;
    auto r = write([&]() -> Result<int> {
      // Poco::Data runs one statement per call: split the file on ';' at line ends, keeping
      // trigger bodies (BEGIN ... END;) whole.
      std::string stmt;
      std::istringstream in(m.sql);
      bool in_trigger = false;
      for (std::string line; std::getline(in, line);) {
        auto t = line.substr(0, line.find("--"));
        if (t.find_first_not_of(" \t\r") == std::string::npos) continue;
        stmt += line + "\n";
        if (t.find("CREATE TRIGGER") != std::string::npos) in_trigger = true;
        auto last = t.find_last_not_of(" \t\r");
        bool ends = last != std::string::npos && t[last] == ';';
        if (ends && (!in_trigger || t.find("END;") != std::string::npos)) {
          *db_ << stmt, now;
          stmt.clear();
          in_trigger = false;
        }
      }
      if (stmt.find_first_not_of(" \t\r\n") != std::string::npos) *db_ << stmt, now;
      *db_ << "INSERT INTO schema_migrations(version, name) VALUES(?, ?)", bind(m.version), bind(m.name), now;
      return m.version;
    });
    if (!r) return make_error(Code::internal, "migration " + m.name + " failed: " + r.error().message);
    have = *r;
  }
  return have;
}

Result<long long> SqliteStore::add_agency(const Agency& a, const std::string& at) {
  return write([&]() -> Result<long long> {
    int exists = 0;
    *db_ << "SELECT count(*) FROM agencies WHERE code=?", bind(a.code), into(exists), now;
    if (exists) return make_error(Code::conflict, "agency " + a.code + " already exists");
    Poco::Nullable<Poco::Int64> parent;
    if (!a.parent.empty()) {
      Poco::Int64 pid = 0;
      *db_ << "SELECT coalesce(max(id),0) FROM agencies WHERE code=?", bind(a.parent), into(pid), now;
      if (!pid) return make_error(Code::not_found, "no supervising agency " + a.parent);
      parent = pid;
    }
    const std::string letter_pattern = a.letter_pattern.empty() ? std::string(kDefaultLetterPattern) : a.letter_pattern;
    *db_ << "INSERT INTO agencies(code, name, parent_id, number_pattern, fee_pauses_clock, created_at, letter_prefix, "
            "letter_pattern, letterhead, contact, reconsideration_body, court) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
        bind(a.code), bind(a.name), bind(parent), bind(a.number_pattern), bind(a.fee_pauses_clock ? 1 : 0), bind(at),
        bind(a.letter_prefix), bind(letter_pattern), bind(a.letterhead), bind(a.contact), bind(a.reconsideration_body),
        bind(a.court), now;
    Poco::Int64 id = 0;
    id = sqlite3_last_insert_rowid(Poco::Data::SQLite::Utility::dbHandle(*db_));
    return static_cast<long long>(id);
  });
}

Result<long long> SqliteStore::add_user(const User& u, const std::string& at) {
  return write([&]() -> Result<long long> {
    Poco::Int64 aid = 0;
    *db_ << "SELECT coalesce(max(id),0) FROM agencies WHERE code=?", bind(u.agency), into(aid), now;
    if (!aid) return make_error(Code::not_found, "no agency " + u.agency);
    int exists = 0;
    *db_ << "SELECT count(*) FROM users WHERE username=?", bind(u.username), into(exists), now;
    if (exists) return make_error(Code::conflict, "user " + u.username + " already exists");
    *db_ << "INSERT INTO users(agency_id, username, display_name, roles, password_hash, created_at) VALUES(?,?,?,?,?,?)",
        bind(aid), bind(u.username), bind(u.display_name), bind(join_roles(u.roles)), bind(u.password_hash), bind(at), now;
    Poco::Int64 id = 0;
    id = sqlite3_last_insert_rowid(Poco::Data::SQLite::Utility::dbHandle(*db_));
    return static_cast<long long>(id);
  });
}

std::vector<Agency> SqliteStore::agencies() {
  std::lock_guard lock(mu_);
  Statement st(*db_);
  st << "SELECT a.id, a.code, a.name, a.number_pattern, a.fee_pauses_clock, coalesce(p.code,''), a.letter_prefix, "
        "a.letter_pattern, a.letterhead, a.contact, a.reconsideration_body, a.court "
        "FROM agencies a LEFT JOIN agencies p ON p.id=a.parent_id ORDER BY a.code",
      now;
  RecordSet rs(st);
  std::vector<Agency> out;
  for (size_t r = 0; r < rs.rowCount(); ++r)
    out.push_back(Agency{num(rs.value(0, r)), str(rs.value(1, r)), str(rs.value(2, r)), str(rs.value(3, r)),
                         num(rs.value(4, r)) != 0, str(rs.value(5, r)), str(rs.value(6, r)), str(rs.value(7, r)),
                         str(rs.value(8, r)), str(rs.value(9, r)), str(rs.value(10, r)), str(rs.value(11, r))});
  return out;
}

Result<Agency> SqliteStore::agency(const std::string& code) {
  std::lock_guard lock(mu_);
  auto q = q_("SELECT a.id, a.code, a.name, a.number_pattern, a.fee_pauses_clock, coalesce(p.code,''), a.letter_prefix, "
              "a.letter_pattern, a.letterhead, a.contact, a.reconsideration_body, a.court "
              "FROM agencies a LEFT JOIN agencies p ON p.id=a.parent_id WHERE a.code=?");
  q.text(1, code);
  if (!q.row()) return make_error(Code::not_found, "没有代码为 " + code + " 的机关");
  return Agency{q.num(0), q.str(1), q.str(2), q.str(3), q.num(4) != 0, q.str(5),
                q.str(6), q.str(7), q.str(8), q.str(9), q.str(10), q.str(11)};
}

Result<User> SqliteStore::user(const std::string& username) {
  std::lock_guard lock(mu_);
  User u;
  long long agency_id = 0;
  {
    auto q = q_("SELECT u.id, u.username, u.display_name, a.code, u.roles, u.password_hash, a.id FROM users u "
                "JOIN agencies a ON a.id=u.agency_id WHERE u.username=? AND u.active=1");
    q.text(1, username);
    if (!q.row()) return make_error(Code::not_found, "没有用户 " + username);
    u = User{q.num(0), q.str(1), q.str(2), q.str(3), split_roles(q.str(4)), q.str(5), {}};
    agency_id = q.num(6);
  }
  // Own agency and every agency below it (supervising offices).
  auto sub = q_("WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT a.id FROM agencies a JOIN below b ON a.parent_id=b.id) "
                "SELECT code FROM agencies WHERE id IN (SELECT id FROM below) ORDER BY code");
  sub.num(1, agency_id);
  while (sub.row()) u.agencies_visible.push_back(sub.str(0));
  return u;
}

Result<Case> SqliteStore::load_case(long long id) {
  std::lock_guard lock(mu_);
  return load_unlocked(id);
}

Result<Case> SqliteStore::load_unlocked(long long id) {
  Case c;
  {
    auto q = q_("SELECT c.id, a.code, c.number, c.channel, c.received_on, c.content, c.form, c.delivery, c.version, "
                "p.type, p.name, p.id_type, p.id_number, p.credit_code, p.phone, p.address, p.email "
                "FROM cases c JOIN agencies a ON a.id=c.agency_id JOIN applicants p ON p.id=c.applicant_id WHERE c.id=?");
    q.num(1, id);
    if (!q.row()) return make_error(Code::not_found, "没有编号为 " + std::to_string(id) + " 的案件");
    c.id = q.num(0);
    c.agency = q.str(1);
    c.number = q.str(2);
    c.channel = q.str(3);
    c.received_on = *q.date(4);
    c.content = q.str(5);
    c.form = q.str(6);
    c.delivery = q.str(7);
    c.version = q.num(8);
    c.applicant = Applicant{q.str(9), q.str(10), q.str(11), q.str(12), q.str(13), q.str(14), q.str(15), q.str(16)};
  }
  auto ev = q_("SELECT id, event, on_date, fields, username, at FROM case_events WHERE case_id=? ORDER BY seq");
  ev.num(1, id);
  while (ev.row()) {
    CaseEvent e;
    e.id = ev.num(0);
    e.event = ev.str(1);
    e.on = *ev.date(2);
    auto f = fields_from_json(ev.str(3));
    if (!f) return f.error();
    e.fields = *f;
    e.by = ev.str(4);
    e.at = ev.str(5);
    c.events.push_back(std::move(e));
  }
  return c;
}

void SqliteStore::write_case_projection(long long case_id, const CaseProjection& p) {
  auto q = q_("UPDATE cases SET state=?, stage=?, outcome=?, start_on=?, due_on=?, due_provisional=?, concluded_on=?, "
              "on_time=?, updated_at=strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id=?");
  q.text(1, p.state).text(2, p.stage).text(3, p.outcome).date(4, p.start_on).date(5, p.due_on).num(6, p.provisional)
      .date(7, p.concluded_on).num(9, case_id);
  if (p.on_time) q.num(8, *p.on_time ? 1 : 0);
  else q.null(8);
  q.run();
}

void SqliteStore::write_projection(long long case_id, const Case& c, const CaseProjection& p, long long new_event_id) {
  write_case_projection(case_id, p);
  q_("DELETE FROM consultations WHERE case_id=?").num(1, case_id).run();
  for (auto& k : c.derived.consultations)
    q_("INSERT INTO consultations(id, case_id, party, name, sent_on, replied_on, opinion) VALUES(?,?,?,?,?,?,?)")
        .num(1, k.id ? k.id : new_event_id).num(2, case_id).text(3, k.party).text(4, k.name)
        .text(5, format_date(k.sent_on)).date(6, k.replied_on).text(7, k.opinion).run();
  q_("DELETE FROM remedies WHERE case_id=?").num(1, case_id).run();
  for (auto& r : c.derived.remedies)
    q_("INSERT INTO remedies(id, case_id, kind, filed_on, decided_on, result) VALUES(?,?,?,?,?,?)")
        .num(1, r.id ? r.id : new_event_id).num(2, case_id).text(3, r.kind).text(4, format_date(r.filed_on))
        .date(5, r.decided_on).text(6, r.result).run();
  step("projection_written");
}

Result<Case> SqliteStore::create_case(const Case& c, const CaseProjection& p, const std::vector<LetterDraft>& letters,
                                      const AuditNote* audit) {
  return write([&]() -> Result<Case> {
    auto ag = agency(c.agency);
    if (!ag) return ag.error();
    const int year = c.received_on.year();
    if (Status locked = check_period_lock(ag->id, year); !locked) return locked.error();
    long long seq = 0;
    {
      auto q = q_("INSERT INTO number_counters(agency_id, kind, year, last) VALUES(?, 'case', ?, 1) "
                  "ON CONFLICT(agency_id, kind, year) DO UPDATE SET last = last + 1 RETURNING last");
      q.num(1, ag->id).num(2, year);
      if (q.row()) seq = q.num(0);
      q.run();
    }
    const Applicant& a = c.applicant;
    q_("INSERT INTO applicants(agency_id, type, name, id_type, id_number, credit_code, phone, address, email) "
       "VALUES(?,?,?,?,?,?,?,?,?)")
        .num(1, ag->id).text(2, a.type).text(3, a.name).text(4, a.id_type).text(5, a.id_number).text(6, a.credit_code)
        .text(7, a.phone).text(8, a.address).text(9, a.email).run();
    long long applicant_id = sqlite3_last_insert_rowid(q_.db());
    std::string number = render_number(ag->number_pattern, year, seq);
    const std::string at = c.events.front().at;
    {  // the projection goes in with the row: no second write of the same row and its indexes
      auto q = q_("INSERT INTO cases(agency_id, year, seq, number, applicant_id, applicant_type, channel, received_on, "
                  "content, form, delivery, state, stage, created_at, updated_at, outcome, start_on, due_on, "
                  "due_provisional, concluded_on, on_time) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      q.num(1, ag->id).num(2, year).num(3, seq).text(4, number).num(5, applicant_id).text(6, a.type).text(7, c.channel)
          .text(8, format_date(c.received_on)).text(9, c.content).text(10, c.form).text(11, c.delivery).text(12, p.state)
          .text(13, p.stage).text(14, at).text(15, at).text(16, p.outcome).date(17, p.start_on).date(18, p.due_on)
          .num(19, p.provisional).date(20, p.concluded_on);
      if (p.on_time) q.num(21, *p.on_time ? 1 : 0);
      else q.null(21);
      q.run();
    }
    long long case_id = sqlite3_last_insert_rowid(q_.db());
    q_("INSERT INTO case_search(rowid, name, content) VALUES(?,?,?)").num(1, case_id).text(2, a.name).text(3, c.content).run();
    step("case_inserted");
    Case out = c;
    out.id = case_id;
    out.number = number;
    out.version = 1;
    int seqno = 0;
    for (auto& e : out.events) e.id = insert_event(case_id, ++seqno, e);
    step("event_inserted");
    if (!c.derived.consultations.empty() || !c.derived.remedies.empty())
      write_projection(case_id, c, p, 0);
    else  // a new case has no consultations or remedies: its projection is already in the row
      step("projection_written");
    if (!letters.empty()) {
      auto issued = issue_letters(ag->id, case_id, out.events.back().id, letters, number);
      if (!issued) return issued.error();
    }
    if (audit) append_audit(at, c.events.front().by, audit->action, std::to_string(case_id), audit->detail);
    return out;
  });
}

Status SqliteStore::check_period_lock(long long agency_id, int year) {
  auto q = q_("SELECT locked_at FROM period_locks WHERE agency_id=? AND year=?");
  q.num(1, agency_id).num(2, year);
  if (q.row()) {
    std::string at = q.str(0);
    q.run();
    return make_error(Code::conflict, std::to_string(year) + "年度已锁定（年报已发布，锁定于 " + at.substr(0, 10) +
                                          "），不能再登记或更改该年度的事项；如确需更正，请公开办先解锁该年度");
  }
  return {};
}

long long SqliteStore::insert_event(long long case_id, int seq, const CaseEvent& e) {
  q_("INSERT INTO case_events(case_id, seq, event, on_date, fields, user_id, username, at) "
     "VALUES(?,?,?,?,?,(SELECT id FROM users WHERE username=?),?,?)")
      .num(1, case_id).num(2, seq).text(3, e.event).text(4, format_date(e.on)).text(5, fields_to_json(e.fields))
      .text(6, e.by).text(7, e.by).text(8, e.at).run();
  return sqlite3_last_insert_rowid(q_.db());
}

Result<Case> SqliteStore::append_event(const Case& c, const CaseProjection& p, long long expected_version,
                                       const std::vector<LetterDraft>& letters, const AuditNote* audit) {
  return write([&]() -> Result<Case> {
    auto up = q_("UPDATE cases SET version=version+1 WHERE id=? AND version=?");
    up.num(1, c.id).num(2, expected_version).run();
    if (up.changes() == 0) return make_error(Code::conflict, "案件已被他人修改，请刷新后重试");
    {
      auto q = q_("SELECT agency_id FROM cases WHERE id=?");
      q.num(1, c.id);
      const long long agency_id = q.row() ? q.num(0) : 0;
      q.run();
      if (Status locked = check_period_lock(agency_id, c.events.back().on.year()); !locked) return locked.error();
    }
    long long event_id = insert_event(c.id, static_cast<int>(c.events.size()), c.events.back());
    step("event_inserted");
    write_projection(c.id, c, p, event_id);
    if (!letters.empty()) {
      auto q = q_("SELECT agency_id FROM cases WHERE id=?");
      q.num(1, c.id);
      long long agency_id = q.row() ? q.num(0) : 0;
      q.run();
      auto issued = issue_letters(agency_id, c.id, event_id, letters, c.number);
      if (!issued) return issued.error();
    }
    if (audit) append_audit(c.events.back().at, c.events.back().by, audit->action, std::to_string(c.id), audit->detail);
    Case out = c;
    out.events.back().id = event_id;
    out.version = expected_version + 1;
    return out;
  });
}

Status SqliteStore::update_projection(long long case_id, const CaseProjection& p) {
  {
    // Most refreshes change nothing: compare first, and queue a write only for a change.
    std::lock_guard lock(mu_);
    auto q = q_("SELECT due_on, due_provisional, on_time, start_on FROM cases WHERE id=?");
    q.num(1, case_id);
    if (!q.row()) return make_error(Code::not_found, "没有编号为 " + std::to_string(case_id) + " 的案件");
    std::optional<bool> on_time;
    if (!q.is_null(2)) on_time = q.num(2) != 0;
    if (q.date(0) == p.due_on && (q.num(1) != 0) == p.provisional && on_time == p.on_time && q.date(3) == p.start_on)
      return {};
  }
  return write_status([&] {
    auto q = q_("UPDATE cases SET due_on=?, due_provisional=?, on_time=?, start_on=? WHERE id=?");
    q.date(1, p.due_on).num(2, p.provisional).date(4, p.start_on).num(5, case_id);
    if (p.on_time) q.num(3, *p.on_time ? 1 : 0);
    else q.null(3);
    q.run();
  });
}

std::vector<long long> SqliteStore::open_case_ids() {
  std::lock_guard lock(mu_);
  std::vector<Poco::Int64> ids;
  *db_ << "SELECT id FROM cases WHERE concluded_on IS NULL ORDER BY id", into(ids), now;
  return {ids.begin(), ids.end()};
}

std::vector<std::pair<int, std::string>> SqliteStore::calendar_years() {
  std::lock_guard lock(mu_);
  Statement st(*db_);
  st << "SELECT year, source FROM calendar_years ORDER BY year", now;
  RecordSet rs(st);
  std::vector<std::pair<int, std::string>> out;
  for (size_t r = 0; r < rs.rowCount(); ++r) out.emplace_back(static_cast<int>(num(rs.value(0, r))), str(rs.value(1, r)));
  return out;
}

Status SqliteStore::save_calendar_year(int year, const std::string& notice, const std::string& source,
                                       const std::string& by, const std::string& at) {
  auto r = write([&]() -> Result<int> {
    int had = 0;
    *db_ << "SELECT count(*) FROM calendar_years WHERE year=?", bind(year), into(had), now;
    *db_ << "INSERT OR REPLACE INTO calendar_years(year, notice, source, imported_at, imported_by) VALUES(?,?,?,?,?)",
        bind(year), bind(notice), bind(source), bind(at), bind(by), now;
    append_audit(at, by, had ? "calendar.replace" : "calendar.add", std::to_string(year), notice);
    return 1;
  });
  if (!r) return r.error();
  return {};
}

Status SqliteStore::audit(const std::string& at, const std::string& actor, const std::string& action,
                          const std::string& target, const std::string& detail) {
  return write_status([&] { append_audit(at, actor, action, target, detail); });
}

static std::string audit_hash(const std::string& prev, const std::string& at, const std::string& actor,
                       const std::string& action, const std::string& target, const std::string& detail) {
  const char sep = '\x1f';  // unit separator: no field can shift into another
  return sha256_hex(prev + sep + at + sep + actor + sep + action + sep + target + sep + detail);
}

void SqliteStore::append_audit(const std::string& at, const std::string& actor, const std::string& action,
                               const std::string& target, const std::string& detail) {
  std::string prev;
  {
    auto q = q_("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
    if (q.row()) prev = q.str(0);
    q.run();
  }
  q_("INSERT INTO audit_log(at, actor, action, target, detail, prev_hash, hash) VALUES(?,?,?,?,?,?,?)")
      .text(1, at).text(2, actor).text(3, action).text(4, target).text(5, detail).text(6, prev)
      .text(7, audit_hash(prev, at, actor, action, target, detail)).run();
}

Result<AuditCheck> SqliteStore::verify_audit() {
  std::lock_guard lock(rmu_);
  AuditCheck c;
  auto q = rq_("SELECT id, at, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY id");
  std::string last;
  bool chained = false;
  while (q.row()) {
    const long long id = q.num(0);
    const std::string prev = q.str(6), hash = q.str(7);
    if (!chained && hash.empty()) {
      ++c.before_chain;  // written before version 6
      continue;
    }
    if (!chained) {
      chained = true;
      c.first_chained = id;
    } else if (prev != last) {
      c.broken_at = id;
      c.why = "其前一条记录缺失或被改动（链接的哈希不符）";
      return c;
    }
    if (hash != audit_hash(prev, q.str(1), q.str(2), q.str(3), q.str(4), q.str(5))) {
      c.broken_at = id;
      c.why = "该条记录的内容被改动（哈希不符）";
      return c;
    }
    last = hash;
    ++c.verified;
  }
  return c;
}

long long SqliteStore::count(const std::string& table) {
  std::lock_guard lock(mu_);
  static const char* kTables[] = {"cases", "case_events", "applicants", "consultations", "remedies",
                                  "number_counters", "audit_log", "users", "agencies", "calendar_years"};
  for (auto* t : kTables)
    if (table == t) {
      Poco::Int64 n = 0;
      *db_ << ("SELECT count(*) FROM " + table), into(n), now;  // table name from the fixed list above
      return n;
    }
  return -1;
}

}  // namespace ogi
