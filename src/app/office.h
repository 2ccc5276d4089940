#pragma once
// The office's everyday reads and its administration, each checked against the policy here:
// case lists and search, possible duplicates, alerts, attachments, the audit trail, users,
// agencies and the calendar import. The web layer parses, calls one of these and serialises;
// it never reaches a store itself.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/calendar_admin.h"
#include "app/case_service.h"
#include "app/letters.h"
#include "app/ports.h"
#include "app/web_ports.h"
#include "base/status.h"
#include "workflow/definition.h"

namespace ogi {

// One agency as the administrator sees it: its settings, the bodies set for it, the body a
// letter will name (set or derived) and the reading of the remedy rule in force.
struct AgencySettings {
  Agency agency;
  std::string body, court;  // as set ("" when not)
  BodyChoice choice;
  std::string remedy_policy;  // the key in force (the workflow's default when unset)
};

class OfficeService {
 public:
  OfficeService(CaseStore& cases, QueryStore& queries, AdminStore& admin, CaseService& case_service,
                const Workflow& wf, Calendar& calendar, const Clock& clock,
                BlobStore* blobs = nullptr)
      : cases_(cases),
        queries_(queries),
        admin_(admin),
        case_service_(case_service),
        wf_(wf),
        calendar_(calendar),
        clock_(clock),
        blobs_(blobs) {}

  // ---- the audit trail ----
  // Adds a line stamped now. `actor` may be "-" (nobody logged in).
  void record(const std::string& actor, const std::string& action, const std::string& target,
              const std::string& detail);
  // A read of a case's personal data (the case, its letters, an attachment): queued, so the
  // reader never waits for the writer.
  void record_read(const User& reader, const std::string& action, const std::string& target,
                   const std::string& detail);
  // audit.read; the whole trail with audit.read_all, otherwise what concerns the reader's agencies.
  Result<std::vector<AuditRow>> trail(const User& u, int limit, long long before_id);

  // ---- cases (case.read; always limited to the agencies the reader sees) ----
  Result<std::pair<std::vector<CaseRow>, long long>> list_cases(const User& u, CaseFilter f);
  // Every row the filter matches, for an export (the list's total is capped; this pages through).
  // Every case of the filter, a page (`per_page` rows) at a time, for an export that never holds
  // every row: the first page is read before this returns (so a refusal comes before anything is
  // sent); each page goes to `sink`, which returns false to stop. The returned function sends the
  // pages.
  Result<std::function<bool(const std::function<bool(const std::vector<CaseRow>&)>&)>> each_case(
      const User& u, CaseFilter f, int per_page = 500);
  Result<std::vector<CaseRow>> duplicates(const User& u, const std::string& name,
                                          const std::string& identity, const std::string& content);
  Result<std::vector<AlertRow>> alerts(const User& u);
  // The agency's record (for its name and letterhead); none for an unknown code.
  std::optional<Agency> agency(const std::string& code);
  // Every agency, for choosing one (names only matter here).
  std::vector<Agency> agency_choices();
  // Every account's display name by login, so pages name people, never logins.
  class People {
   public:
    explicit People(std::map<std::string, std::string> names) : names_(std::move(names)) {}
    // The display name; "（未登录）" for no one ("-"); a name no account has, as recorded (an
    // import's or a failed login's).
    std::string name(const std::string& login) const;

   private:
    std::map<std::string, std::string> names_;
  };
  People people();
  // Who a case of `agency` may be assigned to (login, display name), for choosing one; empty
  // when `u` cannot see the agency's cases.
  std::vector<std::pair<std::string, std::string>> assignable_people(const User& u,
                                                                     const std::string& agency);

  // ---- attachments: the case must be visible to the reader (app/attachments.cpp) ----
  Result<std::vector<Attachment>> attachments(const User& u, long long case_id);
  Result<Attachment> attachment(const User& u, long long id);
  // The attachment and its bytes.
  Result<std::pair<Attachment, std::string>> attachment_file(const User& u, long long id);
  // case.attach: checks the name (no path, no control character, an allowed type) and the
  // file (not empty), stores its bytes once per SHA-256 (durably), reading the file a block at a
  // time, and records the attachment.
  Result<Attachment> add_attachment_file(const User& u, long long case_id, std::string name,
                                         const std::string& mime, const std::string& path);
  static const char* allowed_attachment_types();

  // ---- administration ----
  Result<std::vector<User>> users(const User& actor);  // user.admin
  // Each change below writes its audit entry in its own transaction; `via` ends the entry's
  // detail (the client address, "ip=…").
  Result<long long> add_user(const User& actor, User u, const std::string& password,
                             const std::string& via = "");  // user.admin
  // user.admin; checks the change (roles, password, self-demotion); the audit detail says what
  // changed ("登记员 → 登记员、承办人；停用；重设密码").
  Status update_user(const User& actor, const std::string& username,
                     const std::vector<std::string>& roles, bool active,
                     const std::string& password, const std::string& via = "");
  Result<std::vector<AgencySettings>> agencies(const User& actor);  // agency.read
  // agency.admin; checks the settings as `ogi agency add` does; the audit detail names a change
  // of the remedy reading with both readings.
  Status update_agency(const User& actor, const Agency& a, const std::string& body,
                       const std::string& court, const std::string& via = "");
  // calendar.import; saves the year and recomputes every open case, then puts the new calendar
  // in place (the caller holds the calendar lock exclusively).
  Result<CalendarImportResult> import_calendar(const User& actor, const CalendarImport& in);

 private:
  CaseStore& cases_;
  QueryStore& queries_;
  AdminStore& admin_;
  CaseService& case_service_;
  const Workflow& wf_;
  Calendar& calendar_;
  const Clock& clock_;
  BlobStore* blobs_;
  Result<std::string> attachment_name(const User& u, long long case_id, std::string name,
                                      long long size);
  Result<Attachment> record_attachment(const User& u, long long case_id, std::string name,
                                       const std::string& mime, std::string sha256, long long size);
  AuditEntry entry(const User& actor, const std::string& action, const std::string& target,
                   const std::string& detail, const std::string& via) const;
};

}  // namespace ogi
