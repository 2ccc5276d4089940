// Fuzz target: the legacy case import (`ogi import cases`, docs/import.md) from the bytes of the
// file: the spreadsheet reader (reports::read_table: CSV with quoting, or XLSX), the header
// mapping, each row through the registration rules, the register event, the history its outcome
// implies (legacy_history, through the workflow engine), the clock and the projection the store
// would write: everything `ImportService::import_cases` does before its one write.
//
// An input without a header row gets the example's (编号,收到日期,申请人类型,申请人,证件类型,
// 证件号码,提交方式,申请内容,答复类型,办结日期,送达方式), so a corpus of bare rows reaches the
// rows.
//
// Property checked: a planned case folds again from its event log (as the store reloads it) to
// the same state, a row with an outcome ends concluded, and a plan with problems plans no write
// (the import is all or nothing).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "app/legacy_import.h"
#include "fuzz_fixture.h"
#include "reports/sheet.h"

using namespace ogi;

namespace {
const std::vector<std::string> kExampleHeader = {"编号",     "收到日期", "申请人类型", "申请人",
                                                 "证件类型", "证件号码", "提交方式",   "申请内容",
                                                 "答复类型", "办结日期", "送达方式"};
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const FixedClock today(fuzz::today());
  Agency agency;
  agency.code = "SAMPLE";
  agency.name = "示例机关";
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auto sheet = reports::read_table(bytes);
  if (!sheet) return 0;
  if (sheet->size() > 65) sheet->resize(65);
  const bool has_header =
      !sheet->empty() && std::any_of(sheet->front().begin(), sheet->front().end(),
                                     [](auto& c) { return c == "收到日期" || c == "received_on"; });
  if (!has_header) sheet->insert(sheet->begin(), kExampleHeader);
  const ImportPlan plan =
      plan_import(*sheet, agency, test::workflow(), test::calendar(), today, "import");
  if (!plan.problems.empty()) return 0;
  if (plan.cases.size() != plan.projections.size())
    fuzz::broken("a plan with a case and no projection");
  static const FixedClock far(Date(2099, 12, 31));  // the clock plan_import folds with
  const Context ctx{test::workflow(), test::calendar(), far, ClockSettings{}};
  for (const Case& c : plan.cases) {
    Case reloaded = c;
    reloaded.derived = CaseState{};
    if (Status st = fold(ctx, reloaded); !st)
      fuzz::broken("an imported case does not fold again: " + st.error().message);
    if (reloaded.derived.state != c.derived.state || reloaded.derived.outcome != c.derived.outcome)
      fuzz::broken("an imported case folds again to another state: " + reloaded.derived.state);
    if (!c.derived.outcome.empty() && !c.derived.concluded_on)
      fuzz::broken("a row with an outcome left the case open in " + c.derived.state);
  }
  return 0;
}
