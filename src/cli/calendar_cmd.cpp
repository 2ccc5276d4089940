#include <iostream>
#include <set>
#include <sstream>

#include "app/calendar_admin.h"
#include "app/case_service.h"
#include "cli/commands.h"
#include "cli/env.h"
#include "store/sql_store.h"

namespace ogi {

namespace {

Result<std::string> answer(const Calendar& cal, const std::string& kind, const std::vector<std::string>& w) {
  if (kind == "workday") {
    if (w.size() != 1) return make_error(Code::malformed, "expected: DATE");
    auto d = parse_date(w[0]);
    if (!d) return d.error();
    auto r = cal.is_workday(*d);
    if (!r) return r.error();
    return std::string(*r ? "yes" : "no");
  }
  if (w.size() != 2) return make_error(Code::malformed, "expected: DATE N");
  auto d = parse_date(w[0]);
  if (!d) return d.error();
  int n = 0;
  try {
    size_t used = 0;
    n = std::stoi(w[1], &used);
    if (used != w[1].size() || n < 0 || n > 10000) throw std::invalid_argument("n");
  } catch (...) {
    return make_error(Code::invalid, "N must be a whole number of working days from 0 to 10000: " + w[1]);
  }
  auto r = cal.add_workdays(*d, n);
  if (!r) return r.error();
  return format_date(*r);
}

int import(const Args& a) {
  if (a.pos.size() != 2) return usage("usage: ogi calendar import FILE --db PATH [--year Y] [--notice TEXT] [--user NAME]");
  if (!a.has("db")) return usage("calendar import needs --db PATH (imported years are kept in the database)");
  const std::string file = a.pos[1];
  auto text = read_file(file);
  if (!text) return fail(text.error());
  auto store = SqlStore::open(a.get("db"), false);
  if (!store) return fail(store.error());
  auto current = load_year_files(store->get());
  if (!current) return fail(current.error());
  SystemClock clock;
  auto r = import_calendar_year(**store, *current, {*text, file, a.get("year"), a.get("notice")}, a.get("user", "admin"),
                                clock.now_timestamp());
  if (!r) return fail(r.error());
  auto wf = load_workflow();
  if (!wf) return fail(wf.error());
  CaseService svc(**store, *wf, r->calendar, clock);
  auto n = svc.refresh_open_cases();
  if (!n) return fail(n.error());
  int holidays = 0, workdays = 0;
  for (auto& e : r->year.entries) (e.workday ? workdays : holidays)++;
  std::cout << (r->replaced ? "replaced" : "added") << " year " << r->year.year << " (" << r->year.notice << "): "
            << holidays << " days off, " << workdays << " make-up working days; due dates of " << *n
            << " open cases recomputed\n";
  return 0;
}

}  // namespace

int cmd_calendar(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2);
  if (a.pos.empty()) return usage("usage: ogi calendar workday|due|import|show ...");
  const std::string sub = a.pos[0];
  if (sub == "import") return import(a);
  std::unique_ptr<SqlStore> store;
  if (a.has("db")) {
    auto s = SqlStore::open(a.get("db"), false);
    if (!s) return fail(s.error());
    store = std::move(*s);
  }
  auto cal = load_calendar(store.get());
  if (!cal) return fail(cal.error());
  if (sub == "show") {
    for (auto& y : cal->years())
      std::cout << y.year << "  " << y.notice << "  (" << y.source << ")\n";
    return 0;
  }
  if (sub != "workday" && sub != "due") return usage("unknown calendar command '" + sub + "'");
  std::vector<std::string> w(a.pos.begin() + 1, a.pos.end());
  if (w.size() == 1 && w[0] == "-") {
    // Batch: one query per line on stdin, one answer per line; stops at the first bad line.
    std::string line, out;
    int lineno = 0;
    while (std::getline(std::cin, line)) {
      ++lineno;
      std::istringstream ls(line);
      std::vector<std::string> q;
      for (std::string x; ls >> x;) q.push_back(x);
      if (q.empty()) continue;
      auto r = answer(*cal, sub, q);
      if (!r) {
        std::cout << out;
        Error e = r.error();
        e.message = "line " + std::to_string(lineno) + ": " + e.message;
        return fail(e);
      }
      out += *r + "\n";
      if (out.size() > (1 << 16)) {
        std::cout << out;
        out.clear();
      }
    }
    std::cout << out;
    return 0;
  }
  auto r = answer(*cal, sub, w);
  if (!r) return r.error().code == Code::malformed ? usage("usage: ogi calendar " + sub + (sub == "due" ? " DATE N" : " DATE")) : fail(r.error());
  std::cout << *r << "\n";
  return 0;
}

}  // namespace ogi
