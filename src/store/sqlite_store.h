#pragma once
// The SQLite store (Poco::Data). One connection per store object, guarded by a mutex: writes are
// serialised in the process (perf-notes trap 3); each write is one BEGIN IMMEDIATE transaction.
// Optimistic concurrency: a case row carries a version, and an event is appended only if the
// version is unchanged since the case was read; across processes the same check holds because
// the version test and the write happen inside one IMMEDIATE transaction.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "app/ports.h"

namespace Poco::Data {
class Session;
}

namespace ogi {

class SqliteStore final : public CaseStore {
 public:
  ~SqliteStore() override;
  // Opens (creating the file if `create`). Refuses a database whose schema is newer than this
  // program; unless `create`, also refuses one that is older (run `ogi init` to migrate).
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, bool create);

  int schema_version();
  // Applies the pending migrations, each in its own transaction. Returns the resulting version.
  Result<int> migrate();

  Result<long long> add_agency(const Agency& a, const std::string& at);
  Result<long long> add_user(const User& u, const std::string& at);
  std::vector<Agency> agencies();

  // Imported calendar years: (year, .cal text).
  std::vector<std::pair<int, std::string>> calendar_years();
  Status save_calendar_year(int year, const std::string& notice, const std::string& source,
                            const std::string& by, const std::string& at);
  Status audit(const std::string& at, const std::string& actor, const std::string& action,
               const std::string& target, const std::string& detail);
  long long count(const std::string& table);

  // CaseStore
  Result<Agency> agency(const std::string& code) override;
  Result<User> user(const std::string& username) override;
  Result<Case> load_case(long long id) override;
  Result<Case> create_case(const Case& c, const CaseProjection& p) override;
  Result<Case> append_event(const Case& c, const CaseProjection& p, long long expected_version) override;
  Status update_projection(long long case_id, const CaseProjection& p) override;
  std::vector<long long> open_case_ids() override;

  // Test hook: called at named steps inside write transactions ("case_inserted",
  // "event_inserted", "projection_written"); throwing from it aborts the transaction.
  void set_fault_hook(std::function<void(std::string_view)> hook) { fault_ = std::move(hook); }

 private:
  SqliteStore() = default;
  template <class F>
  auto write(F&& body) -> decltype(body());
  void step(std::string_view name) {
    if (fault_) fault_(name);
  }
  Result<Case> load_unlocked(long long id);
  void write_projection(long long case_id, const Case& c, const CaseProjection& p, long long new_event_id);

  std::unique_ptr<Poco::Data::Session> db_;
  std::recursive_mutex mu_;
  std::function<void(std::string_view)> fault_;
};

}  // namespace ogi
