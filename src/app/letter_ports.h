#pragma once
// What the letter use cases need from outside: a renderer (templates → markup → DOCX/HTML, in
// src/letters) and a store for issued letters and template versions (src/store).

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/status.h"

namespace ogi {

// The values a template sees (docs/letters.md): dotted names; empty values are left out (so a
// section on them is skipped); flags are the names that are true; lists hold items of values.
struct LetterFields {
  std::map<std::string, std::string> values;
  std::set<std::string> flags;
  std::map<std::string, std::vector<std::map<std::string, std::string>>> lists;
  void put(const std::string& k, std::string v) {
    if (!v.empty()) values[k] = std::move(v);
  }
  void flag(const std::string& k, bool on) {
    if (on)
      flags.insert(k);
    else
      flags.erase(k);
  }
};

struct RenderedLetter {
  std::string markup;  // the template's output: the frozen source of the letter
  std::string docx, html;
  std::string sha256;  // of the DOCX bytes
};

// A letter rendered up to its number: the number is a placeholder (kNumberPlaceholder) in the
// markup, the DOCX main part and the HTML, so the slow part of rendering happens before the
// transaction that allocates the number, and finishing it inside is a substitution and a zip.
inline constexpr std::string_view kNumberPlaceholder =
    "\xEE\x80\x80\xE6\x96\x87\xE5\x8F\xB7\xEE\x80\x81";
// The case number, for the receipt, which is issued in the transaction that allocates it.
inline constexpr std::string_view kCaseNumberPlaceholder =
    "\xEE\x80\x80\xE6\xA1\x88\xE5\x8F\xB7\xEE\x80\x81";
struct PreparedLetter {
  std::string markup, document_xml, html, title;
  Date date;
  std::string docx;  // the package built around document_xml (placeholders and all)
};

struct TemplateVersion {
  std::string name;
  int version = 0;  // 0: the file shipped in templates/letters/
  std::string body, author, created_at, note;
};

class LetterRenderer {
 public:
  virtual ~LetterRenderer() = default;
  // Renders template `name` (its current version) with `f`. Errors: unknown template, a
  // template that fails to render.
  virtual Result<RenderedLetter> render(const std::string& name, const LetterFields& f,
                                        const std::string& title, const Date& date) const = 0;
  // render() in two steps: everything but the number (f carries kNumberPlaceholder as
  // letter.number), then the number put in and the DOCX packaged.
  virtual Result<PreparedLetter> prepare(const std::string& name, const LetterFields& f,
                                         const std::string& title, const Date& date) const = 0;
  virtual RenderedLetter finish(const PreparedLetter& p, const std::string& number,
                                const std::string& case_number) const = 0;
  // Renders template `name` as if template `override_name` had the body `override_body` (for
  // previews of an edit before it is saved).
  virtual Result<RenderedLetter> render_with(const std::string& name,
                                             const std::string& override_name,
                                             const std::string& override_body,
                                             const LetterFields& f, const std::string& title,
                                             const Date& date) const = 0;
  // DOCX and HTML of frozen markup (several letters joined by page breaks for "print all").
  virtual RenderedLetter from_markup(const std::string& markup, const std::string& title,
                                     const Date& date) const = 0;
  virtual int version(const std::string& name) const = 0;
  // Checks a template body (syntax, fields of its kind, partials), naming the line of a problem.
  virtual Status check(const std::string& name, const std::string& body) const = 0;
  // Makes `body` the current version of `name` (after check).
  virtual Status install(const std::string& name, const std::string& body, int version) = 0;
  virtual std::vector<TemplateVersion> current() const = 0;
  // The text of the file shipped with the program (version 0).
  virtual Result<std::string> shipped_body(const std::string& name) const = 0;
};

struct LetterRecord {
  long long id = 0, case_id = 0, event_id = 0;
  std::string kind, template_name, number, title, sha256, reason;
  std::string addressee;  // to whom: the applicant, the third party or the agency consulted
  int template_version = 0;
  Date issued_on;
  long long supersedes = 0, superseded_by = 0;
  std::string issued_by, issued_at;
};

// A letter to issue in the transaction of an event (or of a reissue).
struct LetterDraft {
  std::string kind, template_name, title, reason, addressee;
  int template_version = 0;
  Date date;
  long long supersedes = 0;
  std::string by, at;
  // The 文号 pattern with everything but {seq} filled in; the store allocates {seq} from the
  // counter (agency, "letter:" + kind, year of `date`) inside the transaction.
  std::string number_pattern;
  // Renders the letter once its number (and, at registration, the case number) is known:
  // inside the transaction, so it only fills them in and packages the DOCX.
  std::function<Result<RenderedLetter>(const std::string& number, const std::string& case_number)>
      render;
};

class LetterStore {
 public:
  virtual ~LetterStore() = default;
  virtual std::vector<LetterRecord> letters(long long case_id) = 0;
  virtual Result<LetterRecord> letter(long long id) = 0;
  // format: docx | html | markup
  virtual Result<std::string> letter_bytes(long long id, const std::string& format) = 0;
  // Issues a new version of letter `draft.supersedes` (same case and event).
  virtual Result<LetterRecord> reissue(const LetterDraft& draft) = 0;
  virtual std::vector<TemplateVersion> template_versions(
      const std::string& name) = 0;                             // newest first
  virtual std::vector<TemplateVersion> latest_templates() = 0;  // the newest stored version of each
  virtual Result<int> save_template(const std::string& name, const std::string& body,
                                    const std::string& by, const std::string& at,
                                    const std::string& note) = 0;
};

}  // namespace ogi
