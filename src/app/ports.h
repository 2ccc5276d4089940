#pragma once
// What the use cases need from the outside world (implemented by src/store). The app layer
// depends on these interfaces only; main wires the concrete store.

#include <optional>
#include <string>
#include <vector>

#include "app/letter_ports.h"
#include "base/status.h"
#include "domain/case.h"

namespace ogi {

struct Agency {
  long long id = 0;
  std::string code, name;
  std::string number_pattern;  // placeholders {year} {seq}
  bool fee_pauses_clock = true;
  std::string parent;  // code of the supervising agency, if any
  // Letter settings (docs/letters.md): 机关代字, 文号 pattern, 发文机关标志, contact line, and
  // where the remedy notice sends the applicant.
  std::string letter_prefix, letter_pattern, letterhead, contact;
  std::string reconsideration_body, court;
  std::string kind;  // agency_kinds(), "" when not set (domain/remedy_body.h)
  // The reading of the remedy rule its letters follow: a `remedy_policy` of the workflow, "" = the
  // workflow's default (the first declared). Changing it is audited.
  std::string remedy_policy;
};

struct User {
  long long id = 0;
  std::string username, display_name, agency;
  std::vector<std::string> roles;
  std::string password_hash;
  std::vector<std::string> agencies_visible;  // own agency plus those it supervises
  bool active = true;                         // a deactivated account cannot log in
};

// Query fields kept beside each case, derived from its events and the clock.
struct CaseProjection {
  std::string state, stage, outcome;
  std::optional<Date> start_on, due_on, concluded_on;
  bool provisional = false;
  std::optional<bool> on_time;
  // Set when the event being stored rewrote the content (a correction): the text search must
  // then find the registered and the corrected text both.
  std::string search_content;
};

// An audit entry written in the same transaction as the case write it records (the actor and
// time are the event's; the target is the case id).
// An administrator's change, written to the audit trail in the change's own transaction.
struct AuditEntry {
  std::string at, actor, action, target, detail;
};

struct AuditNote {
  std::string action;  // case.register | case.event
  std::string detail;  // e.g. the event code and "ip=…"
};

// One change of a case's 承办人 (CaseStore::assign).
struct AssignmentRow {
  std::string at;        // ISO 8601 UTC
  std::string assignee;  // login; "" = withdrawn
  std::string by;        // login of who assigned
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;
  virtual Result<Agency> agency(const std::string& code) = 0;
  virtual Result<User> user(const std::string& username) = 0;
  virtual Result<Case> load_case(long long id) = 0;
  // Inserts applicant, case and its first (register) event in one transaction, allocating the
  // case number from the agency's pattern for the receipt year, and issues `letters` (numbered,
  // rendered, stored) in the same transaction. Returns the stored case.
  virtual Result<Case> create_case(const Case& c, const CaseProjection& p,
                                   const std::vector<LetterDraft>& letters = {},
                                   const AuditNote* audit = nullptr) = 0;
  // Appends c.events.back(), rewrites the projection and issues `letters`, in one transaction,
  // if and only if the stored version is still `expected_version` (else conflict).
  virtual Result<Case> append_event(const Case& c, const CaseProjection& p,
                                    long long expected_version,
                                    const std::vector<LetterDraft>& letters = {},
                                    const AuditNote* audit = nullptr) = 0;
  virtual Status update_projection(long long case_id, const CaseProjection& p) = 0;
  // Sets the case's 承办人 (`assignee` a login, "" for nobody) and records the change and its
  // audit entry in one transaction. The case's version is not bumped: assignment is not an event.
  virtual Status assign(long long case_id, const std::string& assignee, const std::string& by,
                        const std::string& at, const AuditNote& audit) = 0;
  virtual std::vector<AssignmentRow> assignments(long long case_id) = 0;  // oldest first
  virtual std::vector<long long> open_case_ids() = 0;
  // Open cases stored without a due date (written before the calendar reached their dates).
  virtual std::vector<long long> open_case_ids_without_due() { return open_case_ids(); }
};

}  // namespace ogi
