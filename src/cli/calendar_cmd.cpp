#include <algorithm>
#include <iostream>
#include <set>
#include <sstream>

#include "app/calendar_admin.h"
#include "cli/commands.h"
#include "cli/env.h"
#include "store/sql_store.h"

namespace ogi {

namespace {

Result<std::string> answer(const Calendar& cal, const std::string& kind,
                           const std::vector<std::string>& w) {
  if (kind == "workday") {
    if (w.size() != 1) return make_error(Code::malformed, "expected: DATE");
    auto d = parse_date(w[0]);
    if (!d) return d.error();
    auto r = cal.is_workday(*d);
    if (!r) return r.error();
    return std::string(*r ? "yes" : "no") + (cal.provisional(*d) ? " provisional" : "");
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
    return make_error(Code::invalid,
                      "N must be a whole number of working days from 0 to 10000: " + w[1]);
  }
  auto r = cal.add_workdays(*d, n);
  if (!r) return r.error();
  return format_date(*r) + (cal.provisional(*r) ? " provisional" : "");
}

void print_days(const YearData& y) {
  for (auto& e : y.entries)
    std::cout << format_date(e.date) << " " << (e.workday ? "workday" : "holiday") << " " << e.name
              << "\n";
}

int import(const Args& a) {
  if (a.pos.size() != 2)
    return usage(
        "usage: ogi calendar import FILE|- --db PATH [--year Y] [--notice TEXT] [--replace] "
        "[--dry-run] [--user NAME]");
  if (!a.has("db"))
    return usage("calendar import needs --db PATH (imported years are kept in the database)");
  const std::string file = a.pos[1];
  std::string text;
  if (file == "-") {
    std::ostringstream in;
    in << std::cin.rdbuf();
    text = in.str();
  } else {
    auto t = read_file(file);
    if (!t) return fail(t.error());
    text = *t;
  }
  auto store = SqlStore::open(a.get("db"), false);
  if (!store) return fail(store.error());
  auto current = load_calendar(store->get());
  if (!current) return fail(current.error());
  auto wf = load_workflow();
  if (!wf) return fail(wf.error());
  SystemClock clock;
  CalendarImport in{text, file == "-" ? "标准输入" : file, a.get("year"), a.get("notice"),
                    a.flag("replace")};
  if (a.flag("dry-run")) {
    auto p = prepare_calendar_year(*current, in);
    if (!p) return fail(p.error());
    std::cout << "year " << p->year.year << " (" << p->year.notice << "), not saved:\n";
    print_days(p->year);
    return 0;
  }
  auto r = import_calendar_year((*store)->admin(), (*store)->cases(), *wf, *current, clock, in,
                                a.get("user", "admin"));
  if (!r) return fail(r.error());
  int holidays = 0, workdays = 0;
  for (auto& e : r->year.entries) (e.workday ? workdays : holidays)++;
  std::cout << (r->replaced ? "replaced" : "added") << " year " << r->year.year << " ("
            << r->year.notice << "): " << holidays << " days off, " << workdays
            << " make-up working days; due dates of " << r->recomputed << " open cases recomputed, "
            << r->moved.size() << " moved\n";
  for (auto& m : r->moved)
    std::cout << "  " << m.number << ": " << (m.before ? format_date(*m.before) : "-") << " -> "
              << (m.after ? format_date(*m.after) : "-") << " (" << (m.days >= 0 ? "+" : "")
              << m.days << " days)\n";
  return 0;
}

}  // namespace

int cmd_calendar(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"replace", "dry-run"});
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
      std::cout << y.year << "  " << (y.provisional ? std::string("provisional") : y.notice)
                << "  (" << y.source << ")\n";
    return 0;
  }
  if (sub != "workday" && sub != "due") return usage("unknown calendar command '" + sub + "'");
  std::vector<std::string> w(a.pos.begin() + 1, a.pos.end());
  if (w.size() == 1 && w[0] == "-") {
    // Batch: one query per line on stdin, one answer per line, in order. A line that cannot be
    // answered gets "error: <sentence>" in its place and the batch goes on; the exit code at the
    // end is the worst line's (2 bad input, 3 outside the calendar).
    std::string line, out, first_error;
    int worst = 0, lineno = 0, failed = 0;
    while (std::getline(std::cin, line)) {
      ++lineno;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::istringstream ls(line);
      std::vector<std::string> q;
      for (std::string x; ls >> x;) q.push_back(x);
      if (q.empty()) continue;
      auto r = answer(*cal, sub, q);
      if (r) {
        out += *r + "\n";
      } else {
        std::string msg = r.error().message;
        for (auto& ch : msg)
          if (ch == '\n') ch = ' ';
        out += "error: " + msg + "\n";
        if (!failed++) first_error = "line " + std::to_string(lineno) + ": " + msg;
        worst = std::max(worst, exit_code(r.error().code));
      }
      if (out.size() > (1 << 16)) {
        std::cout << out;
        out.clear();
      }
    }
    std::cout << out << std::flush;
    if (failed)
      std::cerr << "ogi: " << failed << (failed == 1 ? " line" : " lines")
                << " could not be answered (first, " << first_error << ")\n";
    return worst;
  }
  auto r = answer(*cal, sub, w);
  if (!r)
    return r.error().code == Code::malformed
               ? usage("usage: ogi calendar " + sub + (sub == "due" ? " DATE N" : " DATE"))
               : fail(r.error());
  std::cout << *r << "\n";
  return 0;
}

}  // namespace ogi
