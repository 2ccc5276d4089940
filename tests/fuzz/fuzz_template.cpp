// Fuzz target: the letter templates an administrator edits (PUT /api/v1/templates/{name} and its
// preview). The checker (check_template, src/letters/template_set.cpp) looks at the body; when it
// accepts, the body is previewed against the sample case (LetterService::preview_template:
// Mustache → markup → DOCX and HTML, src/letters/markup.cpp, docx.cpp), then installed as the
// current version and rendered as an issued letter would be, then the shipped body is put back.
// The body is also read directly as letter markup.
//
// Input: the template's name on the first line, then its body; when the first line is not a
// template's name, the whole input is the body of a template chosen by the first byte.
//
// Properties checked: a body the checker accepts renders, and the letter issued with it after
// saving has the markup its preview showed.
#include <cstdint>
#include <memory>
#include <string>

#include "app/letters.h"
#include "fuzz_fixture.h"
#include "letters/docx.h"
#include "letters/markup.h"
#include "letters/template_set.h"

using namespace ogi;

namespace {

// A reply using every partial: where a partial is seen in a preview (LetterService).
const std::string kPartialHost = "reply_partially_disclosed";

struct Fixture {
  std::unique_ptr<letters::TemplateSet> set;
  DetachedStores none;
  FixedClock clock{Date(2024, 4, 16)};
  std::unique_ptr<LetterService> svc;
  Agency agency = LetterService::sample_agency();
  std::vector<std::string> names;              // every template and partial
  std::map<std::string, std::string> shipped;  // name -> body as loaded
  std::map<std::string, LetterFields> sample;  // letter template -> its sample fields

  Fixture() {
    auto s = letters::TemplateSet::load(std::string(OGI_SOURCE_DIR) + "/templates/letters");
    if (!s) fuzz::broken("shipped templates: " + s.error().message);
    set = std::move(*s);
    svc = std::make_unique<LetterService>(*set, none, none, test::workflow(), test::calendar(),
                                          clock);
    for (auto& t : set->current()) {
      names.push_back(t.name);
      shipped[t.name] = t.body;
      if (t.name.starts_with("_")) continue;
      auto f = svc->sample_fields(t.name, agency);
      if (!f) fuzz::broken("sample fields of " + t.name + ": " + f.error().message);
      sample[t.name] = *f;
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fx;
  if (size == 0) return 0;
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::string name, body;
  const size_t nl = input.find('\n');
  if (nl != std::string::npos && fx.shipped.count(input.substr(0, nl))) {
    name = input.substr(0, nl);
    body = input.substr(nl + 1);
  } else {
    name = fx.names[data[0] % fx.names.size()];
    body = input;
  }

  // the body as letter markup
  auto doc = letters::parse_markup(body);
  (void)letters::to_text(doc);
  (void)letters::to_html(doc, name);
  (void)letters::document_xml(doc);

  if (Status st = fx.set->check(name, body); !st) return 0;
  auto preview = fx.svc->preview_template(name, body, fx.agency);
  if (!preview) {
    // A body that prints a possibly absent field unguarded (what `ogi templates check` warns about)
    // is refused with a sentence naming the field when that field has no value: the right answer.
    if (!letters::lint_template(name, body).empty() &&
        preview.error().message.find("没有值") != std::string::npos)
      return 0;
    fuzz::broken("a template the checker accepts does not render: " + preview.error().message);
  }

  // saved, then issued: the letter template itself, or the reply that shows a partial
  if (Status st = fx.set->install(name, body, 1); !st)
    fuzz::broken("install refused: " + st.error().message);
  const std::string target = name.starts_with("_") ? kPartialHost : name;
  auto issued = fx.set->render_markup(target, fx.sample.at(target));
  if (Status st = fx.set->install(name, fx.shipped.at(name), 0); !st)
    fuzz::broken("restore: " + st.error().message);
  if (!issued) fuzz::broken("a saved template does not render: " + issued.error().message);
  if (*issued != preview->markup) fuzz::broken("the issued letter differs from its preview");
  return 0;
}
