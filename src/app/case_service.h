#pragma once
// The use cases on cases: register, record an event, show. Each checks the actor's agency,
// validates through the workflow engine, and persists through the CaseStore port in one
// transaction. Callers (CLI, HTTP) only parse and serialise.

#include <string>

#include "app/ports.h"
#include "app/registration.h"
#include "domain/clock.h"
#include "workflow/engine.h"

namespace ogi {

struct CaseView {
  Case c;
  ClockView clock;
};

class CaseService {
 public:
  CaseService(CaseStore& store, const Workflow& wf, const Calendar& cal, const Clock& clock)
      : store_(store), wf_(wf), cal_(cal), clock_(clock) {}

  // Letters issued by events (docs/letters.md). Without it, events issue no letters (only for
  // tools that load data without documents).
  void set_letters(const class LetterService* letters) { letters_ = letters; }

  // `via` (e.g. "ip=…"): when given, the audit entry is written in the same transaction.
  Result<CaseView> register_case(const User& actor, RegistrationRequest req,
                                 const std::string& via = "");
  // expected_version: 0 = don't check; otherwise conflict unless it is the current version.
  Result<CaseView> record_event(const User& actor, long long case_id, const EventRequest& req,
                                long long expected_version = 0, const std::string& via = "");
  Result<CaseView> show(const User& actor, long long case_id);
  // What recording `req` would do, without recording it (the UI's confirmation of a numbered
  // act): every check record_event makes, and the letters it would issue, rendered as drafts.
  struct Check {
    struct Draft {
      std::string title, html;
    };
    std::vector<Draft> letters;
    long long version = 0;  // the case version checked: the confirmation records against it
  };
  Result<Check> check_event(const User& actor, long long case_id, const EventRequest& req);
  // case.assign: makes `assignee` (a login; "" = nobody) the case's 承办人, audited. The
  // assignee must be an active account of the case's agency holding a role that works a queue
  // of assigned cases (assignable_roles). The case must not be archived.
  Status assign(const User& actor, long long case_id, const std::string& assignee,
                const std::string& via = "");
  std::vector<AssignmentRow> assignments(const User& actor, long long case_id);
  // Whether `actor` may change the 承办人 of `c` (folded): case.assign for its agency, and the case
  // not archived. assign() asks the same.
  Status may_assign(const User& actor, const Case& c) const;
  // Recomputes the stored projection of every open case (after a calendar change), or only of
  // those stored without a due date (at start-up: cases registered before their year had a
  // calendar get theirs).
  Result<int> refresh_open_cases(bool only_without_due = false);

  CaseView view(const Case& c, const Agency& a) const;

 private:
  struct Prepared {
    Case next;  // the case with the event applied
    ClockView clock;
    std::vector<LetterDraft> drafts;
    long long version = 0;  // the stored version it was applied to
  };
  Result<Prepared> prepare(const User& actor, long long case_id, const EventRequest& req,
                           long long expected_version);
  Status check_assignee(const std::string& agency, const std::string& login);
  Result<Agency> visible_agency(const User& actor, const std::string& code);
  bool visible(const User& actor, const std::string& code) const;
  Context context(const Agency& a) const;
  Result<CaseView> settled(Case stored, CaseState derived, const ClockView& clock,
                           const Context& ctx);

  CaseStore& store_;
  const Workflow& wf_;
  const Calendar& cal_;
  const Clock& clock_;
  const LetterService* letters_ = nullptr;
};

Actor actor_of(const User& u);

// The roles a case may be assigned to: those of the workflow's queues of assigned cases.
std::vector<std::string> assignable_roles(const Workflow& wf);
bool assignable(const Workflow& wf, const User& u);

// The query fields stored beside a case (state, stage, outcome, clock), from its derived state.
CaseProjection project_case(const Workflow& wf, const Case& c, const ClockView& v);

}  // namespace ogi
