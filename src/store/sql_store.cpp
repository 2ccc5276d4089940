#include "store/sql_store.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>

#include <filesystem>
#include <sstream>

#include "app/auth.h"
#include "domain/letters.h"
#include "log/log.h"
#include "store/fields_json.h"
#include "store/migrations.h"
#include "store/sql_detail.h"

using namespace ogi::detail;

namespace ogi {

namespace detail {
std::string utc_now() {
  return Poco::DateTimeFormatter::format(Poco::DateTime(), "%Y-%m-%dT%H:%M:%SZ");
}
}  // namespace detail

namespace {
// The transaction of a batch of writes. PostgreSQL: the advisory lock serialises writers across
// every server on the database (as BEGIN IMMEDIATE does for SQLite), so counters, audit chain
// and case versions see one writer at a time.
const char* begin_sql(Engine e) {
  return e == Engine::sqlite ? "BEGIN IMMEDIATE" : "BEGIN; SELECT pg_advisory_xact_lock(4627001)";
}
}  // namespace

SqlStore::~SqlStore() {
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
    if (db_ && db_->engine() == Engine::sqlite)
      db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");  // leave a small WAL behind
  } catch (...) {
  }
}

// Starts the write transaction. On SQLite, another process may hold the write lock: rather than
// wait inside the engine with the connection's mutex held (every read and session lookup on the
// connection would wait too), try without waiting and let the mutex go between tries, for up to
// 10 s (issue 18, finding 4). PostgreSQL's writers queue on an advisory lock and need no such loop.
void SqlStore::begin_write(std::unique_lock<std::recursive_mutex>& lock) {
  if (db_->engine() != Engine::sqlite) {
    db_->exec(begin_sql(db_->engine()));
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  db_->exec("PRAGMA busy_timeout=0");
  for (;;) {
    try {
      db_->exec(begin_sql(db_->engine()));
      db_->exec("PRAGMA busy_timeout=10000");
      return;
    } catch (const std::exception& e) {
      const std::string what = e.what();
      const bool busy =
          what.find("locked") != std::string::npos || what.find("busy") != std::string::npos;
      if (!busy || std::chrono::steady_clock::now() >= deadline) {
        db_->exec("PRAGMA busy_timeout=10000");
        throw;
      }
    }
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    lock.lock();
  }
}

void SqlStore::finish(WriteJob* j) {
  if (j->detached) {
    delete j;
    return;
  }
  j->done.set_value();
}

void SqlStore::write_detached(std::function<void()> body) {
  auto* job = new WriteJob;
  job->detached = true;
  job->body = [b = std::move(body)]() -> bool {
    b();
    return true;
  };
  job->on_error = [](Error e) { log::error("store.detached_write_failed", {{"what", e.message}}); };
  {
    std::lock_guard l(qmu_);
    queue_.push_back(job);
  }
  qcv_.notify_one();
}

// Group commit (perf-notes trap 3): write jobs queue up while a transaction commits; the next
// transaction runs all of them, each inside its own SAVEPOINT so one failure undoes only its own
// work. Every job is acknowledged only after the COMMIT that contains it is durable.
void SqlStore::commit_loop() {
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
    std::unique_lock lock(mu_);
    try {
      begin_write(lock);
    } catch (const std::exception& e) {
      try {
        db_->exec("ROLLBACK");
      } catch (...) {
      }
      // The engine's text goes to the (masked) log; the client gets a plain sentence.
      log::error("store.begin_failed", {{"what", e.what()}});
      for (auto* j : batch) {
        j->on_error(make_error(Code::unavailable, "数据库正忙，本次操作未保存，请稍后再试"));
        finish(j);
      }
      continue;
    }
    for (auto* j : batch) {
      try {
        db_->exec("SAVEPOINT job");
        bool ok = j->body();
        if (!ok) db_->exec("ROLLBACK TO job");
        db_->exec("RELEASE job");
      } catch (const std::exception& e) {
        try {
          db_->exec("ROLLBACK TO job");
          db_->exec("RELEASE job");
        } catch (...) {
        }
        j->on_error(write_error(e));
      }
    }
    try {
      db_->exec("COMMIT");
    } catch (const std::exception& e) {
      try {
        db_->exec("ROLLBACK");
      } catch (...) {
      }
      log::error("store.commit_failed", {{"what", e.what()}});
      for (auto* j : batch)
        j->on_error(make_error(Code::internal, "数据库提交失败，未保存任何内容"));
    }
    for (auto* j : batch) finish(j);
    bool idle;
    {
      std::lock_guard l(qmu_);
      idle = queue_.empty();
    }
    db_->after_commit(idle);
  }
}

Error SqlStore::write_error(const std::exception& e) {
  const auto* pe = dynamic_cast<const Poco::Exception*>(&e);
  std::string what = pe ? pe->displayText() : e.what();
  // SQLite names the columns, PostgreSQL the constraint (cases_agency_id_year_seq_key, ...).
  if (what.find("UNIQUE constraint failed: cases.") != std::string::npos ||
      what.find("UNIQUE constraint failed: case_events.") != std::string::npos ||
      what.find("unique constraint \"cases_") != std::string::npos ||
      what.find("unique constraint \"case_events_") != std::string::npos)
    return make_error(Code::conflict, "案件已被他人同时修改，请刷新后重试");
  // The engine's text may quote the row's values: it goes to the (masked) log, not to the client.
  log::error("store.write_failed", {{"what", what}});
  return make_error(Code::internal, "数据库写入失败，未保存任何内容（详情见服务器日志）");
}

Result<std::unique_ptr<SqlStore>> SqlStore::open(const std::string& db, bool create) {
  std::unique_ptr<SqlStore> s(new SqlStore());
  const bool pg = is_postgresql_url(db);
  const std::string shown = shown_db(db);  // never a URL's password in a message
  try {
    if (!pg && !create) {
      std::error_code ec;
      if (!std::filesystem::exists(db, ec))
        return make_error(Code::not_found,
                          "no database at " + db + " (run `ogi init --db " + db + "` first)");
    }
    s->db_ = pg ? open_postgresql(db, false) : open_sqlite(db, false);
    s->q_.attach(s->db_.get());
    s->rdb_ = pg ? open_postgresql(db, true) : open_sqlite(db, true);
    s->rq_.attach(s->rdb_.get());
  } catch (const std::exception& e) {
    const auto* pe = dynamic_cast<const Poco::Exception*>(&e);
    return make_error(Code::internal,
                      "cannot open database " + shown + ": " + (pe ? pe->displayText() : e.what()));
  }
  s->committer_ = std::thread([p = s.get()] { p->commit_loop(); });
  s->key_file_ = audit_key_path(db, pg);
  int have = s->schema_version();
  int known = s->migration_set().empty() ? 0 : s->migration_set().back().version;
  if (have > known)
    return make_error(Code::conflict, "database " + shown + " has schema version " +
                                          std::to_string(have) +
                                          ", newer than this program knows (" +
                                          std::to_string(known) + "): use a newer ogi");
  if (!create && have < known)
    return make_error(Code::conflict, "database " + shown + " has schema version " +
                                          std::to_string(have) + "; run `ogi init --db " + shown +
                                          "` to migrate to " + std::to_string(known));
  if (have > 0)
    if (Status k = s->load_audit_key(); !k) return k.error();
  return s;
}

const std::vector<Migration>& SqlStore::migration_set() const {
  return db_->engine() == Engine::sqlite ? migrations() : pg_migrations();
}

int SqlStore::schema_version() {
  std::lock_guard lock(mu_);
  auto t =
      q_(db_->engine() == Engine::sqlite
             ? "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
             : "SELECT count(*) FROM information_schema.tables WHERE table_schema=current_schema() "
               "AND "
               "table_name='schema_migrations'");
  if (!t.row() || !t.num(0)) return 0;
  t.run();
  auto v = q_("SELECT coalesce(max(version),0) FROM schema_migrations");
  return v.row() ? static_cast<int>(v.num(0)) : 0;
}

Result<int> SqlStore::migrate() {
  {
    std::lock_guard lock(mu_);
    db_->exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
        "NULL, "
        "applied_at TEXT NOT NULL)");
  }
  int have =
      schema_version();  // the write jobs below run on the committer thread: no lock held here
  for (const Migration& m : migration_set()) {
    if (m.version <= have) continue;
    auto r = write([&]() -> Result<int> {
      db_->exec(m.sql);  // the whole file: both engines run several statements in one call
      q_("INSERT INTO schema_migrations(version, name, applied_at) VALUES(?, ?, ?)")
          .num(1, m.version)
          .text(2, m.name)
          .text(3, utc_now())
          .run();
      return m.version;
    });
    if (!r)
      return make_error(Code::internal, "migration " + m.name + " failed: " + r.error().message);
    have = *r;
  }
  if (Status k = load_audit_key(); !k) return k.error();
  return have;
}

Result<long long> SqlStore::add_agency(const Agency& a, const std::string& at) {
  return write([&]() -> Result<long long> {
    {
      auto q = q_("SELECT count(*) FROM agencies WHERE code=?");
      q.text(1, a.code);
      if (q.row() && q.num(0))
        return make_error(Code::conflict, "agency " + a.code + " already exists");
    }
    long long parent = 0;
    if (!a.parent.empty()) {
      auto q = q_("SELECT coalesce(max(id),0) FROM agencies WHERE code=?");
      q.text(1, a.parent);
      if (q.row()) parent = q.num(0);
      if (!parent) return make_error(Code::not_found, "no supervising agency " + a.parent);
    }
    const std::string letter_pattern =
        a.letter_pattern.empty() ? std::string(kDefaultLetterPattern) : a.letter_pattern;
    auto q =
        q_("INSERT INTO agencies(code, name, parent_id, number_pattern, fee_pauses_clock, "
           "created_at, letter_prefix, "
           "letter_pattern, letterhead, contact, reconsideration_body, court, kind, remedy_policy) "
           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
           "RETURNING id");
    q.text(1, a.code)
        .text(2, a.name)
        .text(4, a.number_pattern)
        .num(5, a.fee_pauses_clock ? 1 : 0)
        .text(6, at)
        .text(7, a.letter_prefix)
        .text(8, letter_pattern)
        .text(9, a.letterhead)
        .text(10, a.contact)
        .text(11, a.reconsideration_body)
        .text(12, a.court)
        .text(13, a.kind)
        .text(14, a.remedy_policy);
    if (parent)
      q.num(3, parent);
    else
      q.null(3);
    long long id = q.row() ? q.num(0) : 0;
    q.run();
    return id;
  });
}

Result<long long> SqlStore::add_user(const User& u, const std::string& at,
                                     const AuditEntry* audit) {
  return write([&]() -> Result<long long> {
    long long aid = 0;
    {
      auto q = q_("SELECT coalesce(max(id),0) FROM agencies WHERE code=?");
      q.text(1, u.agency);
      if (q.row()) aid = q.num(0);
    }
    if (!aid) return make_error(Code::not_found, "no agency " + u.agency);
    {
      auto q = q_("SELECT count(*) FROM users WHERE username=?");
      q.text(1, u.username);
      if (q.row() && q.num(0))
        return make_error(Code::conflict, "user " + u.username + " already exists");
    }
    auto q =
        q_("INSERT INTO users(agency_id, username, display_name, roles, password_hash, created_at) "
           "VALUES(?,?,?,?,?,?) RETURNING id");
    q.num(1, aid)
        .text(2, u.username)
        .text(3, u.display_name)
        .text(4, join_roles(u.roles))
        .text(5, u.password_hash)
        .text(6, at);
    long long id = q.row() ? q.num(0) : 0;
    q.run();
    if (audit) append_audit(audit->at, audit->actor, audit->action, audit->target, audit->detail);
    return id;
  });
}

std::vector<Agency> SqlStore::agencies() {
  std::lock_guard lock(mu_);
  auto q =
      q_("SELECT a.id, a.code, a.name, a.number_pattern, a.fee_pauses_clock, coalesce(p.code,''), "
         "a.letter_prefix, "
         "a.letter_pattern, a.letterhead, a.contact, a.reconsideration_body, a.court, a.kind, "
         "a.remedy_policy "
         "FROM agencies a LEFT JOIN agencies p ON p.id=a.parent_id ORDER BY a.code");
  std::vector<Agency> out;
  while (q.row())
    out.push_back(Agency{q.num(0), q.str(1), q.str(2), q.str(3), q.num(4) != 0, q.str(5), q.str(6),
                         q.str(7), q.str(8), q.str(9), q.str(10), q.str(11), q.str(12), q.str(13)});
  return out;
}

Result<Agency> SqlStore::agency(const std::string& code) {
  std::lock_guard lock(mu_);
  auto q =
      q_("SELECT a.id, a.code, a.name, a.number_pattern, a.fee_pauses_clock, coalesce(p.code,''), "
         "a.letter_prefix, "
         "a.letter_pattern, a.letterhead, a.contact, a.reconsideration_body, a.court, a.kind, "
         "a.remedy_policy "
         "FROM agencies a LEFT JOIN agencies p ON p.id=a.parent_id WHERE a.code=?");
  q.text(1, code);
  if (!q.row()) return make_error(Code::not_found, "没有代码为 " + code + " 的机关");
  return Agency{q.num(0), q.str(1), q.str(2), q.str(3),  q.num(4) != 0, q.str(5),  q.str(6),
                q.str(7), q.str(8), q.str(9), q.str(10), q.str(11),     q.str(12), q.str(13)};
}

Result<User> SqlStore::user(const std::string& username) {
  // On the read connection: authenticating a request never waits for the writer.
  std::lock_guard lock(rmu_);
  User u;
  long long agency_id = 0;
  {
    auto q =
        rq_("SELECT u.id, u.username, u.display_name, a.code, u.roles, u.password_hash, a.id FROM "
            "users u "
            "JOIN agencies a ON a.id=u.agency_id WHERE u.username=? AND u.active=1");
    q.text(1, username);
    if (!q.row()) return make_error(Code::not_found, "没有用户 " + username);
    u = User{q.num(0), q.str(1), q.str(2), q.str(3), split_roles(q.str(4)), q.str(5), {}};
    agency_id = q.num(6);
  }
  // Own agency and every agency below it (supervising offices).
  auto sub =
      rq_("WITH RECURSIVE below(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT a.id FROM agencies a "
          "JOIN below b ON a.parent_id=b.id) "
          "SELECT code FROM agencies WHERE id IN (SELECT id FROM below) ORDER BY code");
  sub.num(1, agency_id);
  while (sub.row()) u.agencies_visible.push_back(sub.str(0));
  return u;
}

Result<Case> SqlStore::load_case(long long id) {
  std::lock_guard lock(mu_);
  return load_unlocked(id);
}

Result<Case> SqlStore::load_unlocked(long long id) {
  Case c;
  {
    auto q =
        q_("SELECT c.id, a.code, c.number, c.channel, c.received_on, c.content, c.form, "
           "c.delivery, c.version, "
           "p.type, p.name, p.id_type, p.id_number, p.credit_code, p.phone, p.address, p.email "
           "FROM cases c JOIN agencies a ON a.id=c.agency_id JOIN applicants p ON "
           "p.id=c.applicant_id WHERE c.id=?");
    q.num(1, id);
    if (!q.row())
      return make_error(Code::not_found, "没有编号为 " + std::to_string(id) + " 的案件");
    c.id = q.num(0);
    c.agency = q.str(1);
    c.number = q.str(2);
    c.channel = q.str(3);
    c.received_on = *q.date(4);
    c.content = q.str(5);
    c.form = q.str(6);
    c.delivery = q.str(7);
    c.version = q.num(8);
    c.applicant = Applicant{q.str(9),  q.str(10), q.str(11), q.str(12),
                            q.str(13), q.str(14), q.str(15), q.str(16)};
  }
  auto ev =
      q_("SELECT id, event, on_date, fields, username, at FROM case_events WHERE case_id=? ORDER "
         "BY seq");
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

void SqlStore::write_case_projection(long long case_id, const CaseProjection& p) {
  auto q =
      q_("UPDATE cases SET state=?, stage=?, outcome=?, start_on=?, due_on=?, due_provisional=?, "
         "concluded_on=?, "
         "on_time=?, updated_at=? WHERE id=?");
  q.text(1, p.state)
      .text(2, p.stage)
      .text(3, p.outcome)
      .date(4, p.start_on)
      .date(5, p.due_on)
      .num(6, p.provisional)
      .date(7, p.concluded_on)
      .opt(8, p.on_time)
      .text(9, utc_now())
      .num(10, case_id);
  q.run();
}

void SqlStore::write_projection(long long case_id, const Case& c, const CaseProjection& p,
                                long long new_event_id) {
  write_case_projection(case_id, p);
  q_("DELETE FROM consultations WHERE case_id=?").num(1, case_id).run();
  for (auto& k : c.derived.consultations)
    q_("INSERT INTO consultations(id, case_id, party, name, sent_on, replied_on, opinion) "
       "VALUES(?,?,?,?,?,?,?)")
        .num(1, k.id ? k.id : new_event_id)
        .num(2, case_id)
        .text(3, k.party)
        .text(4, k.name)
        .text(5, format_date(k.sent_on))
        .date(6, k.replied_on)
        .text(7, k.opinion)
        .run();
  q_("DELETE FROM remedies WHERE case_id=?").num(1, case_id).run();
  for (auto& r : c.derived.remedies)
    q_("INSERT INTO remedies(id, case_id, kind, filed_on, decided_on, result) VALUES(?,?,?,?,?,?)")
        .num(1, r.id ? r.id : new_event_id)
        .num(2, case_id)
        .text(3, r.kind)
        .text(4, format_date(r.filed_on))
        .date(5, r.decided_on)
        .text(6, r.result)
        .run();
  step("projection_written");
}

Result<Case> SqlStore::create_case(const Case& c, const CaseProjection& p,
                                   const std::vector<LetterDraft>& letters,
                                   const AuditNote* audit) {
  return write([&]() -> Result<Case> {
    auto ag = agency(c.agency);
    if (!ag) return ag.error();
    const int year = c.received_on.year();
    if (Status locked = check_period_lock(ag->id, year); !locked) return locked.error();
    long long seq = 0;
    {
      auto q =
          q_("INSERT INTO number_counters(agency_id, kind, year, last) VALUES(?, 'case', ?, 1) "
             "ON CONFLICT(agency_id, kind, year) DO UPDATE SET last = number_counters.last + 1 "
             "RETURNING last");
      q.num(1, ag->id).num(2, year);
      if (q.row()) seq = q.num(0);
      q.run();
    }
    const Applicant& a = c.applicant;
    long long applicant_id = 0;
    {
      auto q =
          q_("INSERT INTO applicants(agency_id, type, name, id_type, id_number, credit_code, "
             "phone, address, email) "
             "VALUES(?,?,?,?,?,?,?,?,?) RETURNING id");
      q.num(1, ag->id)
          .text(2, a.type)
          .text(3, a.name)
          .text(4, a.id_type)
          .text(5, a.id_number)
          .text(6, a.credit_code)
          .text(7, a.phone)
          .text(8, a.address)
          .text(9, a.email);
      if (q.row()) applicant_id = q.num(0);
      q.run();
    }
    std::string number = render_number(ag->number_pattern, year, seq);
    const std::string at = c.events.front().at;
    long long case_id = 0;
    {  // the projection goes in with the row: no second write of the same row and its indexes
      auto q =
          q_("INSERT INTO cases(agency_id, year, seq, number, applicant_id, applicant_type, "
             "channel, received_on, "
             "content, form, delivery, state, stage, created_at, updated_at, outcome, start_on, "
             "due_on, "
             "due_provisional, concluded_on, on_time) "
             "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
      q.num(1, ag->id)
          .num(2, year)
          .num(3, seq)
          .text(4, number)
          .num(5, applicant_id)
          .text(6, a.type)
          .text(7, c.channel)
          .text(8, format_date(c.received_on))
          .text(9, c.content)
          .text(10, c.form)
          .text(11, c.delivery)
          .text(12, p.state)
          .text(13, p.stage)
          .text(14, at)
          .text(15, at)
          .text(16, p.outcome)
          .date(17, p.start_on)
          .date(18, p.due_on)
          .num(19, p.provisional)
          .date(20, p.concluded_on)
          .opt(21, p.on_time);
      if (q.row()) case_id = q.num(0);
      q.run();
    }
    q_("INSERT INTO case_search(rowid, name, content) VALUES(?,?,?)")
        .num(1, case_id)
        .text(2, a.name)
        .text(3, c.content)
        .run();
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
    if (audit)
      append_audit(at, c.events.front().by, audit->action, std::to_string(case_id), audit->detail);
    return out;
  });
}

Status SqlStore::check_period_lock(long long agency_id, int year) {
  auto q = q_("SELECT locked_at FROM period_locks WHERE agency_id=? AND year=?");
  q.num(1, agency_id).num(2, year);
  if (q.row()) {
    std::string at = q.str(0);
    q.run();
    return make_error(Code::conflict,
                      std::to_string(year) + "年度已锁定（年报已发布，锁定于 " + at.substr(0, 10) +
                          "），不能再登记或更改该年度的事项；如确需更正，请公开办先解锁该年度");
  }
  return {};
}

long long SqlStore::insert_event(long long case_id, int seq, const CaseEvent& e) {
  auto q =
      q_("INSERT INTO case_events(case_id, seq, event, on_date, fields, user_id, username, at) "
         "VALUES(?,?,?,?,?,(SELECT id FROM users WHERE username=?),?,?) RETURNING id");
  q.num(1, case_id)
      .num(2, seq)
      .text(3, e.event)
      .text(4, format_date(e.on))
      .text(5, fields_to_json(e.fields))
      .text(6, e.by)
      .text(7, e.by)
      .text(8, e.at);
  long long id = q.row() ? q.num(0) : 0;
  q.run();
  return id;
}

Result<Case> SqlStore::append_event(const Case& c, const CaseProjection& p,
                                    long long expected_version,
                                    const std::vector<LetterDraft>& letters,
                                    const AuditNote* audit) {
  return write([&]() -> Result<Case> {
    auto up = q_("UPDATE cases SET version=version+1 WHERE id=? AND version=?");
    up.num(1, c.id).num(2, expected_version).run();
    if (up.changes() == 0) return make_error(Code::conflict, "案件已被他人修改，请刷新后重试");
    {
      auto q = q_("SELECT agency_id FROM cases WHERE id=?");
      q.num(1, c.id);
      const long long agency_id = q.row() ? q.num(0) : 0;
      q.run();
      if (Status locked = check_period_lock(agency_id, c.events.back().on.year()); !locked)
        return locked.error();
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
    if (audit)
      append_audit(c.events.back().at, c.events.back().by, audit->action, std::to_string(c.id),
                   audit->detail);
    Case out = c;
    out.events.back().id = event_id;
    out.version = expected_version + 1;
    return out;
  });
}

Status SqlStore::update_projection(long long case_id, const CaseProjection& p) {
  {
    // Most refreshes change nothing: compare first, and queue a write only for a change.
    std::lock_guard lock(mu_);
    auto q = q_("SELECT due_on, due_provisional, on_time, start_on FROM cases WHERE id=?");
    q.num(1, case_id);
    if (!q.row())
      return make_error(Code::not_found, "没有编号为 " + std::to_string(case_id) + " 的案件");
    std::optional<bool> on_time;
    if (!q.is_null(2)) on_time = q.num(2) != 0;
    if (q.date(0) == p.due_on && (q.num(1) != 0) == p.provisional && on_time == p.on_time &&
        q.date(3) == p.start_on)
      return {};
  }
  return write_status([&] {
    auto q = q_("UPDATE cases SET due_on=?, due_provisional=?, on_time=?, start_on=? WHERE id=?");
    q.date(1, p.due_on).num(2, p.provisional).date(4, p.start_on).num(5, case_id);
    if (p.on_time)
      q.num(3, *p.on_time ? 1 : 0);
    else
      q.null(3);
    q.run();
  });
}

std::vector<long long> SqlStore::open_case_ids() { return open_ids(false); }

std::vector<long long> SqlStore::open_case_ids_without_due() { return open_ids(true); }

std::vector<long long> SqlStore::open_ids(bool without_due) {
  std::lock_guard lock(mu_);
  std::vector<long long> ids;
  auto q = q_(without_due
                  ? "SELECT id FROM cases WHERE concluded_on IS NULL AND due_on IS NULL ORDER BY id"
                  : "SELECT id FROM cases WHERE concluded_on IS NULL ORDER BY id");
  while (q.row()) ids.push_back(q.num(0));
  return ids;
}

std::vector<std::pair<int, std::string>> SqlStore::calendar_years() {
  std::lock_guard lock(mu_);
  auto q = q_("SELECT year, source FROM calendar_years ORDER BY year");
  std::vector<std::pair<int, std::string>> out;
  while (q.row()) out.emplace_back(static_cast<int>(q.num(0)), q.str(1));
  return out;
}

Status SqlStore::save_calendar_year(
    int year, const std::string& notice, const std::string& source, const std::string& by,
    const std::string& at, const std::string& detail,
    const std::vector<std::pair<long long, CaseProjection>>& projections) {
  auto r = write([&]() -> Result<int> {
    long long had = 0;
    {
      auto q = q_("SELECT count(*) FROM calendar_years WHERE year=?");
      q.num(1, year);
      if (q.row()) had = q.num(0);
    }
    q_("INSERT INTO calendar_years(year, notice, source, imported_at, imported_by) "
       "VALUES(?,?,?,?,?) "
       "ON CONFLICT(year) DO UPDATE SET notice=excluded.notice, source=excluded.source, "
       "imported_at=excluded.imported_at, "
       "imported_by=excluded.imported_by")
        .num(1, year)
        .text(2, notice)
        .text(3, source)
        .text(4, at)
        .text(5, by)
        .run();
    for (auto& [case_id, p] : projections) {
      auto u = q_("UPDATE cases SET due_on=?, due_provisional=?, on_time=?, start_on=? WHERE id=?");
      u.date(1, p.due_on).num(2, p.provisional).date(4, p.start_on).num(5, case_id);
      if (p.on_time)
        u.num(3, *p.on_time ? 1 : 0);
      else
        u.null(3);
      u.run();
    }
    append_audit(at, by, had ? "calendar.replace" : "calendar.add", std::to_string(year),
                 detail.empty() ? notice : detail);
    return 1;
  });
  if (!r) return r.error();
  return {};
}

Status SqlStore::audit(const std::string& at, const std::string& actor, const std::string& action,
                       const std::string& target, const std::string& detail) {
  return write_status([&] { append_audit(at, actor, action, target, detail); });
}

long long SqlStore::count(const std::string& table) {
  std::lock_guard lock(mu_);
  static const char* kTables[] = {"cases",    "case_events",     "applicants", "consultations",
                                  "remedies", "number_counters", "audit_log",  "users",
                                  "agencies", "calendar_years",  "letters"};
  for (auto* t : kTables)
    if (table == t) {
      auto q = q_.once("SELECT count(*) FROM " + table);  // table name from the fixed list above
      return q.row() ? q.num(0) : 0;
    }
  return -1;
}

}  // namespace ogi
