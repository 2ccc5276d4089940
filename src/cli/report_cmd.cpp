// ogi report annual — the annual tables from the command line (contract.md).
#include <fstream>
#include <iostream>

#include "api/report_json.h"
#include "app/reports.h"
#include "cli/commands.h"
#include "cli/env.h"
#include "reports/formats.h"
#include "store/sql_store.h"

namespace ogi {

int cmd_report(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2);
  const char* help =
      "usage: ogi report annual --db PATH --year Y [--agency CODE] --format "
      "json|csv|html|xlsx|docx [--out FILE]";
  if (a.pos.empty() || a.pos[0] != "annual" || !a.has("db") || !a.has("year")) return usage(help);
  int year = 0;
  try {
    size_t used = 0;
    year = std::stoi(a.get("year"), &used);
    if (used != a.get("year").size()) year = 0;
  } catch (...) {
  }
  if (year <= 0) return fail(make_error(Code::invalid, "--year must be a year, e.g. 2024"));
  const std::string format = a.get("format", "json");
  if (format != "json" && format != "csv" && format != "html" && format != "xlsx" &&
      format != "docx")
    return usage(help);
  auto store = SqlStore::open(a.get("db"), false);
  if (!store) return fail(store.error());
  auto cal = load_calendar(store->get());
  if (!cal) return fail(cal.error());
  SystemClock clock;
  // The command line is the database's operator: it may report on any agency, and without
  // --agency on all of them (one agency: that agency).
  User op;
  op.username = "cli";
  op.roles = {"office"};
  for (auto& ag : (*store)->admin().agencies()) {
    op.agencies_visible.push_back(ag.code);
    if (op.agency.empty() && ag.parent.empty())
      op.agency = ag.code;  // a roll-up is named after the top agency
  }
  if (op.agencies_visible.empty())
    return fail(make_error(Code::not_found, "the database has no agencies"));
  if (op.agency.empty()) op.agency = op.agencies_visible.front();
  if (a.has("agency")) {
    auto ag = (*store)->cases().agency(a.get("agency"));
    if (!ag) return fail(ag.error());
  }
  auto wf = load_workflow();
  if (!wf) return fail(wf.error());
  ReportService svc((*store)->reports(), (*store)->cases(), (*store)->queries(), *wf, *cal, clock);
  auto v = svc.annual(op, year, a.get("agency"));
  if (!v) return fail(v.error());
  if (!v->report.check_holds && format != "json") {
    // never write out tables that break the check relation (json shows check.holds = false)
    std::string why;
    for (auto& f : v->report.check_failures) why += " " + f + ";";
    return fail(
        make_error(Code::internal, "the check relation does not hold, nothing written:" + why));
  }
  std::string out;
  if (format == "json")
    out = report_json(*v, true) + "\n";
  else if (format == "csv")
    out = reports::to_csv(*v);
  else if (format == "html")
    out = reports::to_html(*v);
  else if (format == "docx")
    out = reports::to_docx(*v);
  else {
    auto x = reports::to_xlsx(*v);
    if (!x) return fail(x.error());
    out = *x;
  }
  if (a.has("out")) {
    std::ofstream o(a.get("out"), std::ios::binary);
    o << out;
    if (!o) return fail(make_error(Code::internal, "cannot write " + a.get("out")));
  } else {
    std::cout << out;
  }
  // A failed check is an error, never silently printed as if fine.
  if (!v->report.check_holds) {
    std::cerr << "ogi: the check relation does not hold:";
    for (auto& f : v->report.check_failures) std::cerr << " " << f << ";";
    std::cerr << "\n";
    return 1;
  }
  return 0;
}

}  // namespace ogi
