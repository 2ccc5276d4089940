#pragma once
// Loads the shipped workflow and calendar for tests (files under the source tree).
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "calendar/calendar.h"
#include "workflow/definition.h"

namespace ogi::test {

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const Calendar& calendar() {
  static const Calendar cal = [] {
    std::vector<YearData> years;
    for (auto& e :
         std::filesystem::directory_iterator(std::string(OGI_SOURCE_DIR) + "/workflow/calendar"))
      if (e.path().extension() == ".cal")
        years.push_back(*parse_year_file(slurp(e.path()), e.path().string()));
    auto c = Calendar::build(years);
    if (!c) throw std::runtime_error(c.error().message);
    return *c;
  }();
  return cal;
}

// The shipped calendar with its provisional years (workflow/calendar/festivals.tsv), as the
// program loads it.
inline const Calendar& calendar_with_provisional() {
  static const Calendar cal = [] {
    auto table = parse_festival_table(
        slurp(std::string(OGI_SOURCE_DIR) + "/workflow/calendar/festivals.tsv"), "festivals.tsv");
    if (!table) throw std::runtime_error(table.error().message);
    auto c = Calendar::build(calendar().years(), *table);
    if (!c) throw std::runtime_error(c.error().message);
    return *c;
  }();
  return cal;
}

inline const Workflow& workflow() {
  static const Workflow wf = [] {
    auto w = parse_workflow(slurp(std::string(OGI_SOURCE_DIR) + "/workflow/lifecycle.wf"),
                            "lifecycle.wf");
    if (!w) throw std::runtime_error(w.error().message);
    return *w;
  }();
  return wf;
}

inline Date D(const char* s) { return *parse_date(s); }

}  // namespace ogi::test
