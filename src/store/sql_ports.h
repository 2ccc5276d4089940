#pragma once
// The store's port classes (store-internal; the program reaches them through SqlStore's
// accessors): one class per port of app/, each a thin view over the shared SqlCore.
//   SqlCases    CaseStore    sql_cases.cpp     cases, events, projections, agency/user lookup
//   SqlLetters  LetterStore  sql_letters.cpp   issued letters, templates
//   SqlSessions SessionStore sql_sessions.cpp  sessions, login attempts, password rehash
//   SqlQueries  QueryStore   sql_queries.cpp   lists, search, due dates, counts;
//                            sql_records.cpp   attachments, audit rows, alerts, reminders
//   SqlAdmin    AdminStore   sql_admin.cpp     users, agencies, calendar years
//   SqlReports  ReportStore  sql_reports.cpp   report facts, period locks
//   SqlImport   ImportStore  sql_bulk.cpp      bulk insert (demo data, legacy import)

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/legacy_import.h"
#include "app/ports.h"
#include "app/report_ports.h"
#include "app/web_ports.h"
#include "store/sql_core.h"

namespace ogi::detail {

class SqlLetters final : public LetterStore, SqlPort {
 public:
  explicit SqlLetters(SqlCore& c) : SqlPort(c) {}
  std::vector<LetterRecord> letters(long long case_id) override;
  Result<LetterRecord> letter(long long id) override;
  Result<std::string> letter_bytes(long long id, const std::string& format) override;
  Result<LetterRecord> reissue(const LetterDraft& draft) override;
  std::vector<TemplateVersion> template_versions(const std::string& name) override;
  std::vector<TemplateVersion> latest_templates() override;
  Result<int> save_template(const std::string& name, const std::string& body, const std::string& by,
                            const std::string& at, const std::string& note) override;
  // Numbers, renders and stores each draft (inside a case's write job). Error: nothing should be
  // kept.
  Result<std::vector<long long>> issue_letters(long long agency_id, long long case_id,
                                               long long event_id,
                                               const std::vector<LetterDraft>& drafts,
                                               const std::string& case_number);
};

class SqlCases final : public CaseStore, SqlPort {
 public:
  SqlCases(SqlCore& c, SqlLetters& letters) : SqlPort(c), letters_(letters) {}
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
  Status assign(long long case_id, const std::string& assignee, const std::string& by,
                const std::string& at, const AuditNote& audit) override;
  std::vector<AssignmentRow> assignments(long long case_id) override;
  std::vector<long long> open_case_ids() override;
  std::vector<long long> open_case_ids_without_due() override;

 private:
  Result<Case> load_unlocked(long long id);
  std::vector<long long> open_ids(bool without_due);
  void write_projection(long long case_id, const Case& c, const CaseProjection& p,
                        long long new_event_id);
  void write_case_projection(long long case_id, const CaseProjection& p);
  long long insert_event(long long case_id, int seq, const CaseEvent& e);
  void insert_assignment(long long case_id, const std::string& assignee, const std::string& by,
                         const std::string& at);
  SqlLetters& letters_;
};

class SqlSessions final : public SessionStore, SqlPort {
 public:
  explicit SqlSessions(SqlCore& c) : SqlPort(c) {}
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
};

class SqlQueries final : public QueryStore, SqlPort {
 public:
  explicit SqlQueries(SqlCore& c) : SqlPort(c) {}
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
};

class SqlAdmin final : public AdminStore, SqlPort {
 public:
  explicit SqlAdmin(SqlCore& c) : SqlPort(c) {}
  std::vector<User> users() override;
  Result<long long> add_user(const User& u, const std::string& at,
                             const AuditEntry* audit = nullptr) override;
  Status update_user(const std::string& username, const std::vector<std::string>& roles,
                     bool active, const std::string& password_hash,  // empty: keep the password
                     const AuditEntry* audit = nullptr) override;
  std::vector<Agency> agencies() override;
  Result<long long> add_agency(const Agency& a, const std::string& at) override;
  Status update_agency(const Agency& a, const std::string& reconsideration_body,
                       const std::string& court, const AuditEntry* audit = nullptr) override;
  std::pair<std::string, std::string> agency_remedy_bodies(const std::string& code) override;
  std::vector<std::pair<int, std::string>> calendar_years() override;
  Status save_calendar_year(
      int year, const std::string& notice, const std::string& source, const std::string& by,
      const std::string& at, const std::string& detail,
      const std::vector<std::pair<long long, CaseProjection>>& projections) override;
};

class SqlReports final : public ReportStore, SqlPort {
 public:
  explicit SqlReports(SqlCore& c) : SqlPort(c) {}
  std::vector<CaseFacts> case_facts(const std::vector<std::string>& agencies, const Date& from,
                                    const Date& to, bool with_handler = false) override;
  std::vector<RemedyFacts> remedy_facts(const std::vector<std::string>& agencies, const Date& from,
                                        const Date& to) override;
  std::vector<PeriodLock> period_locks(const std::vector<std::string>& agencies) override;
  Status set_period_lock(const std::string& agency, int year, bool lock, const std::string& by,
                         const std::string& at, const std::string& reason) override;
};

class SqlImport final : public ImportStore, SqlPort {
 public:
  SqlImport(SqlCore& c, SqlAdmin& admin) : SqlPort(c), admin_(admin) {}
  Status bulk_insert(const std::vector<Case>& cases, const std::vector<CaseProjection>& projections,
                     bool allocate_numbers) override;

 private:
  SqlAdmin& admin_;  // the agencies' number patterns
};

}  // namespace ogi::detail
