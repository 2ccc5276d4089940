// Fuzz target: the legacy case import (`ogi import cases`, docs/import.md) below the spreadsheet
// reader: each row through the registration rules (validate_registration), the register event
// (fold), the history its outcome implies (legacy_history, src/app/legacy_import.cpp, through the
// workflow engine), the clock and the projection the store would write.
//
// The CSV/XLSX reader and the column mapping live in the CLI (src/cli/import_cmd.cpp) and are
// not reachable from a library; this target reads the input with a plain splitter of its own:
// one row per line, cells separated by commas, no quoting, in the column order of the example
// in docs/import.md (编号,收到日期,申请人类型,申请人,证件类型,证件号码,提交方式,申请内容,
// 答复类型,办结日期,送达方式). Labels are mapped to codes as the CLI maps them.
//
// Property checked: an imported case folds again from its event log (as the store reloads it)
// to the same state, and a row with an outcome ends concluded with that outcome.
#include <cstdint>
#include <string>
#include <vector>

#include "app/legacy_import.h"
#include "app/registration.h"
#include "domain/codes.h"
#include "fuzz_fixture.h"

using namespace ogi;

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells(1);
  for (char c : line) {
    if (c == ',') cells.emplace_back();
    else if (c != '\r') cells.back() += c;
  }
  return cells;
}

template <class Table>
std::string code_of(const Table& table, const std::string& v) {
  for (auto& c : table)
    if (c.code == v || c.label == v) return std::string(c.code);
  return v;
}

enum Col { number, received_on, type, name, id_type, id_number, channel, content, outcome, concluded_on, method };

void import_row(const std::vector<std::string>& row, const Context& ctx, const Date& today) {
  auto get = [&](Col c) { return static_cast<size_t>(c) < row.size() ? row[c] : std::string(); };
  RegistrationRequest req;
  req.agency = "SAMPLE";
  req.applicant.type = code_of(applicant_types(), get(type));
  req.applicant.name = get(name);
  req.applicant.id_type = code_of(id_types(), get(id_type));
  req.applicant.id_number = get(id_number);
  req.channel = code_of(channels(), get(channel));
  req.content = get(content);
  req.received_on = get(received_on);
  auto valid = validate_registration(req, today);
  if (!valid) return;
  Case c;
  c.agency = "SAMPLE";
  c.number = get(number);
  c.applicant = valid->applicant;
  c.channel = valid->channel;
  c.received_on = *parse_date(valid->received_on);
  c.content = valid->content;
  c.events.push_back({0, "register", c.received_on, {}, "import", "2026-06-30T00:00:00Z"});
  if (Status st = fold(ctx, c); !st) return;
  const std::string oc = code_of(outcomes(), get(outcome));
  if (!oc.empty()) {
    auto done = parse_date(get(concluded_on), "concluded_on");
    if (!done || *done < c.received_on || *done > today) return;
    const std::string how = get(method).empty() ? "post" : code_of(delivery_methods(), get(method));
    const Actor actor{"import", {"registrar", "handler", "approver", "office"}};
    auto history = legacy_history(ctx, c, oc, *done, how, actor);
    if (!history) return;
    c = std::move(*history);
    if (c.derived.outcome != oc || !c.derived.concluded_on)
      fuzz::broken("row concluded as '" + oc + "' left the case in " + c.derived.state + " with outcome '" +
                   c.derived.outcome + "'");
  }
  const ClockView clock = compute_clock(ctx.calendar, c, today, ctx.settings);
  (void)project_case(ctx.workflow, c, clock);
  Case reloaded = c;
  reloaded.derived = CaseState{};
  if (Status st = fold(ctx, reloaded); !st) fuzz::broken("an imported case does not fold again: " + st.error().message);
  if (reloaded.derived.state != c.derived.state || reloaded.derived.outcome != c.derived.outcome)
    fuzz::broken("an imported case folds again to another state: " + reloaded.derived.state);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const FixedClock far(Date(2099, 12, 31));  // the import's clock (cmd_import)
  static const Context ctx{test::workflow(), test::calendar(), far, ClockSettings{}};
  const std::string text(reinterpret_cast<const char*>(data), size);
  size_t pos = 0;
  for (int rows = 0; pos < text.size() && rows < 64; ++rows) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    import_row(split(text.substr(pos, nl - pos)), ctx, fuzz::today());
    pos = nl + 1;
  }
  return 0;
}
