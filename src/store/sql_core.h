#pragma once
// What every port of the store shares (store-internal): one writing connection, guarded by a
// mutex, and one for long reads (WAL lets it read while the other writes); the committer thread
// with group commit, through which every write goes; the audit trail's append and key; the test
// fault hook. `SqlPort` is the base of each port class (sql_ports.h): it names the shared
// members as the port code uses them, so each port is a thin view over one core.

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "base/status.h"
#include "store/db.h"

namespace ogi::detail {

class SqlCore {
 public:
  SqlCore() = default;
  SqlCore(const SqlCore&) = delete;
  SqlCore& operator=(const SqlCore&) = delete;
  ~SqlCore();  // drains the queue, stops the committer, checkpoints a SQLite WAL

  void start();  // the committer thread (after the connections are open)
  void stop();   // runs what is queued, then stops the committer (idempotent)

  // Runs `body` on the committer thread inside a write transaction (its own savepoint of a batch
  // that commits together) and returns its result once the commit is durable. An error result
  // undoes the body's work; an exception becomes an error.
  template <class F>
  auto write(F&& body) -> decltype(body());
  template <class F>
  Status write_status(F&& body);
  // Queues a write nobody waits for (a session's renewed expiry, a read's audit entry): the
  // request goes on even while another process holds the database's write lock. Errors are
  // logged.
  void write_detached(std::function<void()> body);

  void step(std::string_view name) {
    if (fault_) fault_(name);
  }
  // Appends to the audit trail, chained to (and sealed with the key over) the entry before;
  // inside a write job. (sql_audit.cpp)
  void append_audit(const std::string& at, const std::string& actor, const std::string& action,
                    const std::string& target, const std::string& detail);
  // Loads the audit key (creates one when the trail has no keyed entry yet). (sql_audit.cpp)
  Status load_audit_key();
  // Conflict when `year` of the agency is locked (a published report's year; inside a write job).
  Status check_period_lock(long long agency_id, int year);

  std::unique_ptr<Conn> db_;
  StatementCache q_;  // hot-path statements on db_'s connection (finalised before it closes)
  std::unique_ptr<Conn> rdb_;
  StatementCache rq_;
  std::mutex rmu_;
  std::recursive_mutex mu_;
  std::function<void(std::string_view)> fault_;
  std::string key_file_, audit_key_;

 private:
  struct WriteJob {
    std::function<bool()> body;           // runs the work; false: undo it (error result)
    std::function<void(Error)> on_error;  // replaces the result (exception, failed commit)
    std::promise<void> done;
    bool detached = false;  // nobody waits: the committer deletes it when done
  };
  void enqueue(WriteJob* j);
  void begin_write(std::unique_lock<std::recursive_mutex>& lock);
  void finish(WriteJob* j);
  void commit_loop();
  static Error write_error(const std::exception& e);

  std::mutex qmu_;
  std::condition_variable qcv_;
  std::deque<WriteJob*> queue_;
  bool stopping_ = false;
  std::thread committer_;
};

template <class F>
auto SqlCore::write(F&& body) -> decltype(body()) {
  using R = decltype(body());
  std::optional<R> result;
  WriteJob job;
  job.body = [&]() -> bool {
    result.emplace(body());
    return result->ok();
  };
  job.on_error = [&](Error e) { result.emplace(std::move(e)); };
  auto done = job.done.get_future();
  enqueue(&job);
  done.wait();
  return std::move(*result);
}

template <class F>
Status SqlCore::write_status(F&& body) {
  auto r = write([&]() -> Result<int> {
    body();
    return 1;
  });
  if (!r) return r.error();
  return {};
}

// The base of each port class: the core's members under the names the port code uses.
class SqlPort {
 protected:
  explicit SqlPort(SqlCore& c)
      : core_(c), db_(c.db_), q_(c.q_), rdb_(c.rdb_), rq_(c.rq_), rmu_(c.rmu_), mu_(c.mu_) {}

  template <class F>
  auto write(F&& body) -> decltype(body()) {
    return core_.write(std::forward<F>(body));
  }
  template <class F>
  Status write_status(F&& body) {
    return core_.write_status(std::forward<F>(body));
  }
  void write_detached(std::function<void()> body) { core_.write_detached(std::move(body)); }
  void step(std::string_view name) { core_.step(name); }
  void append_audit(const std::string& at, const std::string& actor, const std::string& action,
                    const std::string& target, const std::string& detail) {
    core_.append_audit(at, actor, action, target, detail);
  }
  Status check_period_lock(long long agency_id, int year) {
    return core_.check_period_lock(agency_id, year);
  }

  SqlCore& core_;
  std::unique_ptr<Conn>& db_;
  StatementCache& q_;
  std::unique_ptr<Conn>& rdb_;
  StatementCache& rq_;
  std::mutex& rmu_;
  std::recursive_mutex& mu_;
};

}  // namespace ogi::detail
