// The shared core of the store (sql_core.h): the committer and its write transactions.
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>

#include <chrono>

#include "log/log.h"
#include "store/sql_detail.h"

namespace ogi::detail {

std::string utc_now() {
  return Poco::DateTimeFormatter::format(Poco::DateTime(), "%Y-%m-%dT%H:%M:%SZ");
}

namespace {
// The transaction of a batch of writes. PostgreSQL: the advisory lock serialises writers across
// every server on the database (as BEGIN IMMEDIATE does for SQLite), so counters, audit chain
// and case versions see one writer at a time.
const char* begin_sql(Engine e) {
  return e == Engine::sqlite ? "BEGIN IMMEDIATE" : "BEGIN; SELECT pg_advisory_xact_lock(4627001)";
}
}  // namespace

void SqlCore::start() {
  committer_ = std::thread([this] { commit_loop(); });
}

void SqlCore::enqueue(WriteJob* j) {
  {
    std::lock_guard l(qmu_);
    queue_.push_back(j);
  }
  qcv_.notify_one();
}

void SqlCore::stop() {
  {
    std::lock_guard l(qmu_);
    stopping_ = true;
  }
  qcv_.notify_all();
  if (committer_.joinable()) committer_.join();  // after the queued writes
}

SqlCore::~SqlCore() {
  stop();
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
void SqlCore::begin_write(std::unique_lock<std::recursive_mutex>& lock) {
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

void SqlCore::finish(WriteJob* j) {
  if (j->detached) {
    delete j;
    return;
  }
  j->done.set_value();
}

void SqlCore::write_detached(std::function<void()> body) {
  auto* job = new WriteJob;
  job->detached = true;
  job->body = [b = std::move(body)]() -> bool {
    b();
    return true;
  };
  job->on_error = [](Error e) { log::error("store.detached_write_failed", {{"what", e.message}}); };
  enqueue(job);
}

// Group commit (perf-notes trap 3): write jobs queue up while a transaction commits; the next
// transaction runs all of them, each inside its own SAVEPOINT so one failure undoes only its own
// work. Every job is acknowledged only after the COMMIT that contains it is durable.
void SqlCore::commit_loop() {
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

Error SqlCore::write_error(const std::exception& e) {
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

Status SqlCore::check_period_lock(long long agency_id, int year) {
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

}  // namespace ogi::detail
