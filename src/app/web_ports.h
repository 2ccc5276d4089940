#pragma once
// Ports for the web application: sessions and login throttling, case lists and search,
// attachments, administration, the audit trail. Implemented by src/store.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/ports.h"
#include "base/date.h"
#include "base/status.h"
#include "domain/search.h"

namespace ogi {

struct SessionRecord {
  std::string token_hash;
  long long user_id = 0;
  std::string username;
  std::string csrf;
  long long created_at = 0, expires_at = 0;  // unix seconds
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual Status create_session(const SessionRecord& s, const std::string& ip) = 0;
  virtual Result<SessionRecord> find_session(const std::string& token_hash) = 0;
  virtual Status extend_session(const std::string& token_hash, long long expires_at) = 0;
  virtual Status delete_session(const std::string& token_hash) = 0;
  // Counts a login attempt before its password is checked, atomically: writes it as a failure and
  // returns the failures recorded since `since` before it, for the account and for the address.
  // A successful login then clears the account's failures. An address already at
  // `address_limit` is refused without writing anything (no row per refused request).
  virtual Result<std::pair<int, int>> record_attempt(const std::string& username,
                                                     const std::string& ip, long long at,
                                                     long long since, int address_limit) = 0;
  virtual Status clear_failures(const std::string& username) = 0;
  // Replaces a password hash made at a lower cost, only if it is still `old_hash` (a password
  // changed meanwhile wins). Sessions stay.
  virtual Status upgrade_password_hash(const std::string& username, const std::string& old_hash,
                                       const std::string& new_hash) = 0;
};

struct CaseFilter {
  std::vector<std::string> agencies;  // required: the agencies the user may see
  std::string state, stage, outcome, applicant_type, channel, q;
  std::vector<std::string> states;      // any of these (a queue's states)
  std::optional<std::string> assignee;  // this login's cases; "" = assigned to nobody
  bool by_due = false;                  // earliest due first (unknown last), not newest first
  CaseSearch search;                    // what `q` asks for (parse_search; OfficeService fills it)
  std::optional<Date> from, to;         // receipt date range
  bool overdue_only = false;
  bool open_only = false;
  std::optional<std::vector<long long>> ids;  // only these cases (drill-down from a report cell)
  Date today;
  int page = 1, per_page = 50;
};

struct CaseRow {
  long long id = 0;
  std::string number, agency, applicant_type, applicant_name, id_number, credit_code, phone;
  std::string channel, state, stage, outcome, content;
  std::string assignee;  // login, "" = nobody
  Date received_on;
  std::optional<Date> due_on, concluded_on;
  bool provisional = false;
  std::optional<bool> on_time;
};

struct Attachment {
  long long id = 0, case_id = 0, size = 0;
  std::string sha256, name, mime, uploaded_by, uploaded_at;
};

struct AuditRow {
  long long id = 0;
  std::string at, actor, action, target, detail;
};

struct AlertRow {
  long long id = 0, case_id = 0;
  std::string kind, due_on, raised_on, message, number;
  bool notified = false;
};

class QueryStore {
 public:
  virtual ~QueryStore() = default;
  // Returns one page and the total count, counted up to 1001 (a larger total reads as 1001).
  virtual std::pair<std::vector<CaseRow>, long long> list_cases(const CaseFilter& f) = 0;
  // Candidates for the duplicate rule (domain/duplicates.h), received on or after `since`, newest
  // first, at most `limit`: by the same applicant (identity number or credit code equal to
  // `identity`, or exactly `name`; either may be empty) ...
  virtual std::vector<CaseRow> same_applicant(const std::vector<std::string>& agencies,
                                              const std::string& name, const std::string& identity,
                                              const Date& since, int limit) = 0;
  // ... or whose request text contains any of `terms` (the text index; an unusable search finds
  // none).
  virtual std::vector<CaseRow> text_candidates(const std::vector<std::string>& agencies,
                                               const std::vector<std::string>& terms,
                                               const Date& since, int limit) = 0;
  // (id, stored due date) of every open case of these agencies, by due date (unknown last).
  virtual std::vector<std::pair<long long, std::optional<Date>>> open_due_dates(
      const std::vector<std::string>& agencies) = 0;
  virtual std::vector<std::pair<std::string, long long>> count_by_state(
      const std::vector<std::string>& agencies) = 0;
  virtual Result<Attachment> add_attachment(const Attachment& a) = 0;
  virtual std::vector<Attachment> attachments(long long case_id) = 0;
  virtual Result<Attachment> attachment(long long id) = 0;
  // The newest entries before `before_id` (0: from the newest). With `agencies` (an auditor's
  // visible agencies), only what their people did and what was done to their cases; nullptr: all.
  virtual std::vector<AuditRow> audit_rows(int limit, long long before_id,
                                           const std::vector<std::string>* agencies = nullptr) = 0;
  virtual Status record_audit(const std::string& at, const std::string& actor,
                              const std::string& action, const std::string& target,
                              const std::string& detail) = 0;
  // The same, queued: the caller does not wait for it (a read of personal data must not wait
  // for the writer, issue 18 findings 4 and 6); written with the next batch of writes.
  virtual void record_audit_later(const std::string& at, const std::string& actor,
                                  const std::string& action, const std::string& target,
                                  const std::string& detail) = 0;
  virtual bool raise_alert(long long case_id, const std::string& kind, const std::string& due_on,
                           const std::string& raised_on,
                           const std::string& message) = 0;  // false if known
  virtual std::vector<AlertRow> alerts(const std::vector<std::string>& agencies,
                                       bool unnotified_only) = 0;
  virtual Status mark_alert_notified(long long id) = 0;
  // A reminder not about one case, once per (kind, key): true when this call claimed it.
  virtual bool claim_reminder(const std::string& kind, const std::string& key,
                              const std::string& at) = 0;
  virtual Status release_reminder(const std::string& kind,
                                  const std::string& key) = 0;  // the send failed
};

// The attachments' bytes, by SHA-256 (content-addressed, never changed once stored).
class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Stores the bytes of a file (an upload spooled to disk) under their SHA-256; durable when it
  // returns: a crash never leaves a partial file under the name.
  virtual Status put_file(const std::string& sha256, const std::string& path) = 0;
  virtual Result<std::string> get(const std::string& sha256) = 0;
};

// Administration (users, agencies, imported calendar years).
class AdminStore {
 public:
  virtual ~AdminStore() = default;
  virtual std::vector<User> users() = 0;
  // With `audit`, the entry is written in the same transaction as the change (or neither is).
  virtual Result<long long> add_user(const User& u, const std::string& at,
                                     const AuditEntry* audit = nullptr) = 0;
  virtual Status update_user(const std::string& username, const std::vector<std::string>& roles,
                             bool active, const std::string& password_hash,
                             const AuditEntry* audit = nullptr) = 0;
  virtual std::vector<Agency> agencies() = 0;
  virtual Result<long long> add_agency(const Agency& a, const std::string& at) = 0;
  virtual Status update_agency(const Agency& a, const std::string& reconsideration_body,
                               const std::string& court, const AuditEntry* audit = nullptr) = 0;
  virtual std::pair<std::string, std::string> agency_remedy_bodies(const std::string& code) = 0;
  virtual std::vector<std::pair<int, std::string>> calendar_years() = 0;
  // Saves the year, the recomputed clock fields of open cases and the audit entry (`detail`) in
  // one write transaction.
  virtual Status save_calendar_year(
      int year, const std::string& notice, const std::string& source, const std::string& by,
      const std::string& at, const std::string& detail,
      const std::vector<std::pair<long long, CaseProjection>>& projections) = 0;
};

}  // namespace ogi
