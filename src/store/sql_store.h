#pragma once
// The store, on SQLite (the embedded default) or PostgreSQL (scale-out), both through Poco::Data
// sessions (store/db.h). One writing connection per store object, guarded by a mutex, and one
// for long reads. Writes go through one committer thread with group commit: concurrent writes
// share one transaction, each in its own savepoint (perf-notes trap 3); a write returns once it
// is durable. Write transactions are serialised across processes too (SQLite: BEGIN IMMEDIATE;
// PostgreSQL: a transaction-scoped advisory lock), so several `ogi serve` on one PostgreSQL
// database number cases, letters and audit entries exactly as one does.
// Optimistic concurrency: a case row carries a version, and an event is appended only if the
// version is unchanged since the case was read.

#include <chrono>
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

#include "app/legacy_import.h"
#include "app/ports.h"
#include "app/report_ports.h"
#include "app/web_ports.h"
#include "store/db.h"
#include "store/migrations.h"

namespace ogi {

struct AuditCheck {
  long long verified = 0, before_chain = 0, first_chained = 0;
  long long keyed = 0;      // entries sealed with the key (HMAC), of those verified
  long long broken_at = 0;  // the first entry that fails, or 0
  std::string why;
  long long head_id = 0;  // the newest entry and its seal: what to keep outside (an anchor)
  std::string head_hash;
};

// Where the audit key lives: $OGI_AUDIT_KEY_FILE, else (SQLite) DB.audit-key beside the
// database; "" for PostgreSQL without the variable (the chain is then unkeyed, and said so).
std::string audit_key_path(const std::string& db, bool postgresql);

class SqlStore final : public CaseStore,
                       public SessionStore,
                       public QueryStore,
                       public AdminStore,
                       public LetterStore,
                       public ReportStore,
                       public ImportStore {
 public:
  ~SqlStore() override;
  // Opens a SQLite file (created if `create`) or a postgresql:// URL (the database must exist).
  // Refuses a database whose schema is newer than this program; unless `create`, also refuses
  // one that is older (run `ogi init` to migrate).
  static Result<std::unique_ptr<SqlStore>> open(const std::string& db, bool create);
  detail::Engine engine() const { return db_->engine(); }

  int schema_version();
  const std::vector<Migration>& migration_set() const;  // this engine's
  // Applies the pending migrations, each in its own transaction. Returns the resulting version.
  Result<int> migrate();

  Result<long long> add_agency(const Agency& a, const std::string& at) override;
  Result<long long> add_user(const User& u, const std::string& at,
                             const AuditEntry* audit = nullptr) override;
  std::vector<Agency> agencies() override;

  // Imported calendar years: (year, .cal text).
  std::vector<std::pair<int, std::string>> calendar_years() override;
  Status save_calendar_year(
      int year, const std::string& notice, const std::string& source, const std::string& by,
      const std::string& at, const std::string& detail,
      const std::vector<std::pair<long long, CaseProjection>>& projections) override;
  Status audit(const std::string& at, const std::string& actor, const std::string& action,
               const std::string& target, const std::string& detail);
  long long count(const std::string& table);

  // CaseStore
  Result<Agency> agency(const std::string& code) override;
  Result<User> user(const std::string& username) override;
  Result<Case> load_case(long long id) override;
  Result<Case> create_case(const Case& c, const CaseProjection& p,
                           const std::vector<LetterDraft>& letters = {},
                           const AuditNote* audit = nullptr) override;
  Result<Case> append_event(const Case& c, const CaseProjection& p, long long expected_version,
                            const std::vector<LetterDraft>& letters = {},
                            const AuditNote* audit = nullptr) override;
  Status update_projection(long long case_id, const CaseProjection& p) override;
  std::vector<long long> open_case_ids() override;
  std::vector<long long> open_case_ids_without_due() override;

  // Administration.
  std::vector<User> users() override;
  Status update_user(const std::string& username, const std::vector<std::string>& roles,
                     bool active, const std::string& password_hash,  // empty: keep the password
                     const AuditEntry* audit = nullptr) override;
  Status update_agency(const Agency& a, const std::string& reconsideration_body,
                       const std::string& court, const AuditEntry* audit = nullptr) override;
  std::pair<std::string, std::string> agency_remedy_bodies(const std::string& code) override;

  // SessionStore
  Status create_session(const SessionRecord& s, const std::string& ip) override;
  Result<SessionRecord> find_session(const std::string& token_hash) override;
  Status extend_session(const std::string& token_hash, long long expires_at) override;
  Status delete_session(const std::string& token_hash) override;
  Result<std::pair<int, int>> record_attempt(const std::string& username, const std::string& ip,
                                             long long at, long long since,
                                             int address_limit) override;
  Status clear_failures(const std::string& username) override;
  Status upgrade_password_hash(const std::string& username, const std::string& old_hash,
                               const std::string& new_hash) override;

  // QueryStore
  std::pair<std::vector<CaseRow>, long long> list_cases(const CaseFilter& f) override;
  std::vector<CaseRow> same_applicant(const std::vector<std::string>& agencies,
                                      const std::string& name, const std::string& identity,
                                      const Date& since, int limit) override;
  std::vector<CaseRow> text_candidates(const std::vector<std::string>& agencies,
                                       const std::vector<std::string>& terms, const Date& since,
                                       int limit) override;
  std::vector<std::pair<long long, std::optional<Date>>> open_due_dates(
      const std::vector<std::string>& agencies) override;
  std::vector<std::pair<std::string, long long>> count_by_state(
      const std::vector<std::string>& agencies) override;
  Result<Attachment> add_attachment(const Attachment& a) override;
  std::vector<Attachment> attachments(long long case_id) override;
  Result<Attachment> attachment(long long id) override;
  std::vector<AuditRow> audit_rows(int limit, long long before_id,
                                   const std::vector<std::string>* agencies = nullptr) override;
  Status record_audit(const std::string& at, const std::string& actor, const std::string& action,
                      const std::string& target, const std::string& detail) override;
  void record_audit_later(const std::string& at, const std::string& actor,
                          const std::string& action, const std::string& target,
                          const std::string& detail) override;
  bool raise_alert(long long case_id, const std::string& kind, const std::string& due_on,
                   const std::string& raised_on, const std::string& message) override;
  std::vector<AlertRow> alerts(const std::vector<std::string>& agencies,
                               bool unnotified_only) override;
  Status mark_alert_notified(long long id) override;
  bool claim_reminder(const std::string& kind, const std::string& key,
                      const std::string& at) override;
  Status release_reminder(const std::string& kind, const std::string& key) override;

  // LetterStore (sql_letters.cpp)
  std::vector<LetterRecord> letters(long long case_id) override;
  Result<LetterRecord> letter(long long id) override;
  Result<std::string> letter_bytes(long long id, const std::string& format) override;
  Result<LetterRecord> reissue(const LetterDraft& draft) override;
  std::vector<TemplateVersion> template_versions(const std::string& name) override;
  std::vector<TemplateVersion> latest_templates() override;
  Result<int> save_template(const std::string& name, const std::string& body, const std::string& by,
                            const std::string& at, const std::string& note) override;

  // ReportStore (sql_reports.cpp)
  std::vector<CaseFacts> case_facts(const std::vector<std::string>& agencies, const Date& from,
                                    const Date& to, bool with_handler = false) override;
  std::vector<RemedyFacts> remedy_facts(const std::vector<std::string>& agencies, const Date& from,
                                        const Date& to) override;
  std::vector<PeriodLock> period_locks(const std::vector<std::string>& agencies) override;
  Status set_period_lock(const std::string& agency, int year, bool lock, const std::string& by,
                         const std::string& at, const std::string& reason) override;

  // Bulk load (demo generation, legacy import): inserts fully formed cases (events, applicants,
  // projections) in one transaction, numbers taken from each case, counters raised to match.
  // With allocate_numbers, each case gets the next sequence number of its agency-year (after what
  // is stored) and keeps its own number text, or one from the agency's pattern when it has none.
  Status bulk_insert(const std::vector<Case>& cases, const std::vector<CaseProjection>& projections,
                     bool allocate_numbers = false) override;

  // Copies every record of `from` (a SQLite database) into this store, which must be empty
  // (freshly migrated), in one transaction, ids kept; then compares the row counts of every
  // table. `progress` is told each table and its count. (ogi migrate-to; src/store/migrate_to.cpp)
  Result<std::vector<std::pair<std::string, long long>>> copy_from(
      SqlStore& from, const std::function<void(const std::string&, long long)>& progress);

  // Recomputes the audit trail's chain (src/store/sql_audit.cpp): each entry is sealed with
  // HMAC-SHA256 under a key kept outside the database (audit_key_path), over the entry and the
  // seal before it; entries from before the key are plain SHA-256 and may only come first.
  // Names the first broken entry. With `anchor` (an entry id and the seal recorded outside, e.g.
  // from `ogi audit head`), that entry must still carry that seal.
  Result<AuditCheck> verify_audit(std::optional<std::pair<long long, std::string>> anchor = {});
  bool audit_keyed() const { return !audit_key_.empty(); }
  const std::string& audit_key_file() const { return key_file_; }

  // A consistent copy of the whole database as of one moment (SQLite online backup API, on the
  // read connection: writers go on), checked with integrity_check, written to `out` atomically.
  Status backup_to(const std::string& out);

  // Test hook: called at named steps inside write transactions ("case_inserted",
  // "event_inserted", "projection_written"); throwing from it aborts the transaction.
  void set_fault_hook(std::function<void(std::string_view)> hook) { fault_ = std::move(hook); }

 private:
  SqlStore() = default;
  template <class F>
  auto write(F&& body) -> decltype(body());
  template <class F>
  Status write_status(F&& body);
  void step(std::string_view name) {
    if (fault_) fault_(name);
  }
  Result<Case> load_unlocked(long long id);
  void begin_write(std::unique_lock<std::recursive_mutex>& lock);
  std::vector<long long> open_ids(bool without_due);
  void write_projection(long long case_id, const Case& c, const CaseProjection& p,
                        long long new_event_id);
  void write_case_projection(long long case_id, const CaseProjection& p);
  long long insert_event(long long case_id, int seq, const CaseEvent& e);
  // Appends to the audit trail, chained to the entry before (inside a write job).
  void append_audit(const std::string& at, const std::string& actor, const std::string& action,
                    const std::string& target, const std::string& detail);
  // Conflict when `year` of the agency is locked (a published report's year; inside a write job).
  Status check_period_lock(long long agency_id, int year);
  // Numbers, renders and stores each draft (inside a write job). Error: nothing should be kept.
  Result<std::vector<long long>> issue_letters(long long agency_id, long long case_id,
                                               long long event_id,
                                               const std::vector<LetterDraft>& drafts,
                                               const std::string& case_number);

  struct WriteJob {
    std::function<bool()> body;           // runs the work; false: undo it (error result)
    std::function<void(Error)> on_error;  // replaces the result (exception, failed commit)
    std::promise<void> done;
    bool detached = false;  // nobody waits: the committer deletes it when done
  };
  // Queues a write nobody waits for (a session's renewed expiry): the request goes on even while
  // another process holds the database's write lock (issue 18, finding 4). Errors are logged.
  void write_detached(std::function<void()> body);
  void finish(WriteJob* j);
  void commit_loop();
  static Error write_error(const std::exception& e);

  std::unique_ptr<detail::Conn> db_;
  detail::StatementCache
      q_;  // hot-path statements on db_'s connection (finalised before it closes)
  // A second connection for long reads (lists, searches, audit): WAL lets it read while db_
  // writes, so a slow search never holds the write path.
  std::unique_ptr<detail::Conn> rdb_;
  detail::StatementCache rq_;
  std::mutex rmu_;
  std::recursive_mutex mu_;
  std::mutex qmu_;
  std::condition_variable qcv_;
  std::deque<WriteJob*> queue_;
  bool stopping_ = false;
  std::thread committer_;
  std::function<void(std::string_view)> fault_;
  // The audit key (sql_audit.cpp): loaded at open; created there when the trail has no keyed
  // entry yet; a trail with keyed entries and no key file is refused.
  Status load_audit_key();
  std::string key_file_, audit_key_;
};

// Replaces the database at `db` with the backup `backup` (checked first: integrity, and a schema
// this program knows). The server must not be running on `db`.
Status restore_database(const std::string& backup, const std::string& db);

}  // namespace ogi
