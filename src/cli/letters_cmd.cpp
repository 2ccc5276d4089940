// ogi templates check|render|list — the letter templates without a database (docs/letters.md).
#include <fstream>
#include <iostream>

#include "app/letters.h"
#include "cli/commands.h"
#include "cli/env.h"
#include "domain/letters.h"
#include "letters/markup.h"
#include "letters/template_set.h"

namespace ogi {

int cmd_templates(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2);
  const char* help =
      "usage: ogi templates check [DIR] | ogi templates list [DIR] | "
      "ogi templates render NAME [--dir DIR] [--date YYYY-MM-DD] [--format text|markup|html|docx] "
      "[--out FILE]";
  if (a.pos.empty()) return usage(help);
  const std::string sub = a.pos[0];
  std::string dir = a.get("dir", sub != "render" && a.pos.size() > 1 ? a.pos[1] : "");
  auto set = load_letter_templates(dir);
  if (!set) return fail(set.error());
  if (sub == "check") {
    // Beyond what loading checked (syntax, fields, partials): possibly absent fields printed
    // without handling their absence.
    std::vector<std::string> problems;
    for (auto& t : (*set)->current())
      for (auto& p : letters::lint_template(t.name, t.body)) problems.push_back(p);
    for (auto& p : problems) std::cerr << "ogi: " << p << "\n";
    if (!problems.empty()) return 2;
    std::cout << "ok: " << (*set)->current().size() << " templates\n";
    return 0;
  }
  if (sub == "list") {
    for (auto& t : (*set)->current())
      std::cout << t.name << "\t" << (t.name.starts_with("_") ? "partial" : template_kind(t.name))
                << "\n";
    return 0;
  }
  if (sub != "render" || a.pos.size() < 2) return usage(help);
  const std::string name = a.pos[1];
  auto wf = load_workflow();
  if (!wf) return fail(wf.error());
  auto cal = load_calendar();
  if (!cal) return fail(cal.error());
  std::optional<Date> date;
  if (a.has("date")) {
    auto d = parse_date(a.get("date"), "--date");
    if (!d) return fail(d.error());
    date = *d;
  }
  if ((*set)->version(name) < 0 || name.starts_with("_"))
    return fail(
        make_error(Code::not_found, "没有名为 " + name + " 的文书模板（部分模板不能单独出具）"));
  DetachedStores none;
  FixedClock clock(Date(2024, 4, 16));
  LetterService svc(**set, none, none, *wf, *cal, clock);
  const Agency agency = LetterService::sample_agency();
  auto sample = svc.sample_fields(name, agency, date);
  if (!sample) return fail(sample.error());
  LetterFields f = *sample;
  auto markup = (*set)->render_markup(name, f);
  if (!markup) return fail(markup.error());
  const std::string format = a.get("format", "text");
  std::string out;
  const std::string title = f.values.count("letter.title") ? f.values.at("letter.title") : name;
  const Date on = date.value_or(Date(2024, 4, 16));
  if (format == "markup")
    out = *markup;
  else if (format == "text")
    out = letters::to_text(letters::parse_markup(*markup));
  else if (format == "html" || format == "docx") {
    auto r = (*set)->from_markup(*markup, title, on);
    out = format == "html" ? r.html : r.docx;
  } else {
    return usage(help);
  }
  if (a.has("out")) {
    std::ofstream o(a.get("out"), std::ios::binary);
    o << out;
    if (!o) return fail(make_error(Code::internal, "cannot write " + a.get("out")));
  } else {
    std::cout << out;
  }
  return 0;
}

}  // namespace ogi
