// ogi import cases FILE — a register an office kept in a spreadsheet (CSV or XLSX; the column
// layout is in docs/import.md). The spreadsheet is read by src/reports/sheet.h; the rows are
// checked and written by the app's ImportService (app/legacy_import.h), all or nothing.
#include <iostream>

#include "app/legacy_import.h"
#include "cli/commands.h"
#include "cli/env.h"
#include "reports/sheet.h"
#include "store/sql_store.h"

namespace ogi {

int cmd_import(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2);
  const char* help =
      "usage: ogi import cases FILE.csv|FILE.xlsx --db PATH --agency CODE [--user NAME]";
  if (a.pos.size() < 2 || a.pos[0] != "cases" || !a.has("db") || !a.has("agency"))
    return usage(help);
  auto bytes = read_file(a.pos[1]);
  if (!bytes) return fail(bytes.error());
  auto table = reports::read_table(*bytes);
  if (!table) return fail(table.error());
  auto store = SqlStore::open(a.get("db"), false);
  if (!store) return fail(store.error());
  auto wf = load_workflow();
  if (!wf) return fail(wf.error());
  auto cal = load_calendar(store->get());
  if (!cal) return fail(cal.error());
  SystemClock clock;
  ImportService import((*store)->cases(), (*store)->bulk(), (*store)->queries(), *wf, *cal, clock);
  std::vector<std::string> problems;
  auto n =
      import.import_cases(a.get("agency"), *table, a.get("user", "import"), a.pos[1], problems);
  for (auto& p : problems) std::cerr << "ogi: " << p << "\n";
  if (!n)
    return problems.empty() ? fail(n.error())
                            : (std::cerr << "ogi: " << n.error().message << "\n", 2);
  std::cout << "imported " << *n << " cases into " << a.get("agency") << "\n";
  return 0;
}

}  // namespace ogi
