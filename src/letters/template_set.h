#pragma once
// The letter templates (templates/letters/*.mustache, overridden by versions saved in the
// database) and the renderer: Mustache (kainjow) → letter markup → DOCX / HTML.

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "app/letter_ports.h"

namespace ogi::letters {

// The fields a template prints ({{f}}) outside a section on that field, in a template that has no
// inverted section {{^f}} for it either: the letter needs a value for each.
struct FieldUse {
  std::string field;
  int line = 0;
};

class TemplateSet final : public LetterRenderer {
 public:
  // Reads every NAME.mustache in `dir`, checks each, and requires every template the project
  // needs (domain/letters.h). Problems are listed one per line, each with file and line.
  static Result<std::unique_ptr<TemplateSet>> load(const std::string& dir);

  Result<RenderedLetter> render(const std::string& name, const LetterFields& f,
                                const std::string& title, const Date& date) const override;
  Result<PreparedLetter> prepare(const std::string& name, const LetterFields& f,
                                 const std::string& title, const Date& date) const override;
  RenderedLetter finish(const PreparedLetter& p, const std::string& number,
                        const std::string& case_number) const override;
  Result<RenderedLetter> render_with(const std::string& name, const std::string& override_name,
                                     const std::string& override_body, const LetterFields& f,
                                     const std::string& title, const Date& date) const override;
  RenderedLetter from_markup(const std::string& markup, const std::string& title,
                             const Date& date) const override;
  int version(const std::string& name) const override;
  Status check(const std::string& name, const std::string& body) const override;
  Status install(const std::string& name, const std::string& body, int version) override;
  std::vector<TemplateVersion> current() const override;
  Result<std::string> shipped_body(const std::string& name) const override;

  // The markup alone (for tests and previews).
  Result<std::string> render_markup(const std::string& name, const LetterFields& f,
                                    const std::string& override_name = "",
                                    const std::string& override_body = "") const;

 private:
  // A letter template with its partials written in, parsed once; kainjow's render is not const,
  // so each parsed template has its own lock.
  struct Parsed;
  struct Entry {
    std::string body;
    int version = 0;
    std::shared_ptr<Parsed> parsed;  // letter templates only (not partials)
    std::vector<FieldUse> needs;     // fields it prints unguarded (partials written in)
  };
  Status check_unlocked(const std::string& name, const std::string& body) const;
  void parse_all_unlocked();
  Result<std::string> render_parsed(const std::shared_ptr<Parsed>& p, const LetterFields& f) const;
  mutable std::shared_mutex mu_;
  std::map<std::string, Entry> t_;
  std::map<std::string, std::string> shipped_;  // the files as loaded (version 0)
};

// Checks one template body against the field dictionary of its kind and the known partials.
// Returns an error "NAME.mustache 第N行：…" for the first problem.
Status check_template(const std::string& name, const std::string& body,
                      const std::vector<std::string>& partials);

// See FieldUse.
std::vector<FieldUse> unguarded_fields(const std::string& body);

// Problems `ogi templates check` reports beyond check_template: a possibly absent field
// (letter_optional_fields) printed without handling its absence. One "NAME.mustache 第N行：…" each.
std::vector<std::string> lint_template(const std::string& name, const std::string& body);

}  // namespace ogi::letters
