#pragma once
// The letter use cases (domain.md §6, docs/letters.md): which letters an event issues and with
// what fields, previews, corrections (reissue), "print all", and template administration.
// Issuing happens inside the event's transaction: CaseService asks for drafts and hands them to
// the store with the event.

#include <optional>
#include <string>
#include <vector>

#include "app/letter_ports.h"
#include "app/ports.h"
#include "domain/clock.h"
#include "domain/remedy_body.h"
#include "workflow/definition.h"

namespace ogi {

// The reconsideration body the agency's letters name: the admin's setting, else derived from
// its kind and its supervising agency, else none (with the warning the admin pages show).
BodyChoice agency_reconsideration_body(CaseStore& store, const Agency& a);

class LetterService {
 public:
  LetterService(LetterRenderer& renderer, LetterStore& store, CaseStore& cases, const Workflow& wf,
                const Calendar& cal, const Clock& clock)
      : r_(renderer), s_(store), cases_(cases), wf_(wf), cal_(cal), clock_(clock) {}

  // The letters the last event of `c` issues (c.derived already includes it). `before` is the
  // clock as it stood before that event (for the extension notice's former due date).
  Result<std::vector<LetterDraft>> drafts_for(const Case& c, const Agency& a,
                                              const ClockView& after,
                                              const std::optional<Date>& due_before) const;

  // The fields a letter of `kind` for the event at `event_index` would carry, on `date`.
  LetterFields fields(const std::string& kind, const Case& c, const Agency& a, size_t event_index,
                      const Date& date, const std::optional<Date>& due_on,
                      const std::optional<Date>& due_before) const;

  // Reading (the caller has already been allowed to read the case).
  std::vector<LetterRecord> list(long long case_id) { return s_.letters(case_id); }
  Result<LetterRecord> get(const User& actor, long long letter_id);
  Result<std::string> bytes(const User& actor, long long letter_id, const std::string& format);

  // The reply letter as it would be issued by `approve` today (number not yet allocated).
  Result<RenderedLetter> preview_reply(const User& actor, long long case_id);
  // All current (not replaced) letters of a case as one DOCX, in the order they were issued.
  Result<std::string> print_all(const User& actor, long long case_id);
  // A corrected version of letter `id`: rendered again from the case, the current template and
  // the agency's current settings, with a new number; linked to the one it replaces.
  Result<LetterRecord> reissue(const User& actor, long long letter_id, const std::string& reason);

  // Template administration (admin role).
  std::vector<TemplateVersion> templates() const { return r_.current(); }
  std::vector<TemplateVersion> versions(const std::string& name) {
    return s_.template_versions(name);
  }
  // The text of version `version` ("0": the file shipped in templates/letters/).
  Result<std::string> version_body(const std::string& name, const std::string& version);
  // Validates, stores a new version, and makes it current. Issued letters are not touched.
  Result<int> save_template(const User& actor, const std::string& name, const std::string& body,
                            const std::string& note);
  // Renders `body` (not saved) for `name`'s kind against a sample case, as HTML.
  Result<RenderedLetter> preview_template(const std::string& name, const std::string& body,
                                          const Agency& a) const;
  // Loads the versions saved in the database over the shipped files (at start-up).
  Status install_saved_templates();

  // A fixed, realistic sample case (previews, golden tests): the history of a 2024 application up
  // to the event that issues template `name`, every date moved by `shift_days`.
  static Case sample_case(const std::string& name, const std::string& outcome, int shift_days);
  static Agency sample_agency();
  // Fields for template `name` on the sample case, its state and clock folded by the workflow.
  // With `date`, the whole history moves so that the letter is dated `date`.
  Result<LetterFields> sample_fields(const std::string& name, const Agency& a,
                                     std::optional<Date> date = std::nullopt) const;

 private:
  Result<Case> readable_case(const User& actor, long long case_id);
  Result<Agency> agency_of(const Case& c);
  void prepare_render(LetterDraft& d, LetterFields f) const;
  LetterDraft make_draft(const std::string& kind, const std::string& template_name, const Case& c,
                         const Agency& a, size_t event_index, const std::optional<Date>& due_on,
                         const std::optional<Date>& due_before) const;

  LetterRenderer& r_;
  LetterStore& s_;
  CaseStore& cases_;
  const Workflow& wf_;
  const Calendar& cal_;
  const Clock& clock_;
};

// Stores that hold nothing: for rendering the sample case without a database (the CLI's
// `templates render`, benchmarks). Reads find nothing; writes fail.
class DetachedStores final : public LetterStore, public CaseStore {
 public:
  std::vector<LetterRecord> letters(long long) override { return {}; }
  Result<LetterRecord> letter(long long) override;
  Result<std::string> letter_bytes(long long, const std::string&) override;
  Result<LetterRecord> reissue(const LetterDraft&) override;
  std::vector<TemplateVersion> template_versions(const std::string&) override { return {}; }
  std::vector<TemplateVersion> latest_templates() override { return {}; }
  Result<int> save_template(const std::string&, const std::string&, const std::string&,
                            const std::string&, const std::string&) override;
  Result<Agency> agency(const std::string&) override { return LetterService::sample_agency(); }
  Result<User> user(const std::string&) override;
  Result<Case> load_case(long long) override;
  Result<Case> create_case(const Case&, const CaseProjection&, const std::vector<LetterDraft>&,
                           const AuditNote*) override;
  Result<Case> append_event(const Case&, const CaseProjection&, long long,
                            const std::vector<LetterDraft>&, const AuditNote*) override;
  Status update_projection(long long, const CaseProjection&) override { return {}; }
  Status assign(long long, const std::string&, const std::string&, const std::string&,
                const AuditNote&) override {
    return make_error(Code::internal, "no database");
  }
  std::vector<AssignmentRow> assignments(long long) override { return {}; }
  std::vector<long long> open_case_ids() override { return {}; }
};

// The 文号 pattern of an agency with {prefix}, {kind} and {year} filled in ({seq} left).
std::string letter_number_pattern(const Agency& a, const std::string& kind, int year);

}  // namespace ogi
