#pragma once
// Wiring for the command line: argument parsing, where the data files live, loading the
// workflow and the calendar (shipped files plus years imported into the database), the system
// clock. The one place that knows concrete types.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "calendar/calendar.h"
#include "workflow/definition.h"

namespace ogi {
class SqlStore;

struct Args {
  std::vector<std::string> pos;            // positional words after the command
  std::map<std::string, std::string> opt;  // --key value
  std::vector<std::string> flags;          // --flag (no value)
  bool has(const std::string& k) const { return opt.count(k) > 0; }
  bool flag(const std::string& f) const;
  std::string get(const std::string& k, const std::string& def = "") const;
};
// Options listed in `boolean` take no value.
Args parse_args(int argc, char** argv, int first, const std::vector<std::string>& boolean = {});

// China Standard Time (UTC+8, no daylight saving): the agency's "today". OGI_TODAY=YYYY-MM-DD
// overrides it (tests and demonstrations only).
class SystemClock final : public Clock {
 public:
  Date today() const override;
  std::string now_timestamp() const override;
  long long now_seconds() const override;
};

// The folder holding lifecycle.wf and calendar/: $OGI_DATA_DIR, else <exe>/../workflow when it
// exists (an installed tree), else the source tree's workflow/.
std::string data_dir();
Result<std::string> read_file(const std::string& path);

Result<Workflow> load_workflow(const std::string& path = "");
// Shipped years from data_dir()/calendar, overridden by years imported into `store` (if any).
Result<Calendar> load_calendar(SqlStore* store = nullptr);
Result<std::vector<YearData>> load_year_files(SqlStore* store);
// data_dir()/calendar/festivals.tsv: the lunar and solar-term dates of the provisional years.
Result<std::vector<FestivalDates>> load_festival_table();

namespace letters {
class TemplateSet;
}
// Letter templates from $OGI_TEMPLATES_DIR, else data_dir()/../templates/letters, checked.
std::string letter_templates_dir();
Result<std::unique_ptr<letters::TemplateSet>> load_letter_templates(const std::string& dir = "");

// The nightly job: DIR/ogi-STAMP.db and its attachments' files (DIR/ogi-STAMP.db.attachments),
// keeping the newest `keep` (backup_cmd.cpp).
Status nightly_backup(SqlStore& store, const std::string& dir, int keep, const std::string& stamp,
                      const std::string& attachments);

// Prints "ogi: message" to stderr and returns the exit code for e.
int fail(const Error& e);
int usage(const std::string& message);

}  // namespace ogi
