#pragma once
// Importing an office's old register (docs/import.md, `ogi import cases`). The spreadsheet is
// read into a Sheet by an adapter (src/reports/sheet.h); here the header is mapped, every row is
// validated by the registration rules and given the history a live case would have recorded
// (through the workflow engine, so every guard holds); only when every row is good is anything
// written, all in one transaction, with one audit entry.
#include <string>
#include <vector>

#include "app/ports.h"
#include "app/web_ports.h"
#include "workflow/engine.h"

namespace ogi {

using Sheet = std::vector<std::vector<std::string>>;  // rows of cells; row 0 = the header

// `c` is registered (its register event folded). Empty `outcome`: left open. `method`: how a
// reply was delivered (post, direct, electronic).
Result<Case> legacy_history(const Context& ctx, Case c, const std::string& outcome,
                            const Date& concluded, const std::string& method, const Actor& actor);

// Who recorded an imported history: the office that kept the register, holding every role the
// workflow's events name (the events happened; the import only writes them down).
Actor import_actor(const Workflow& wf, const std::string& by);

// The cases a table would become, or every problem, each naming its line ("第3行：…").
struct ImportPlan {
  std::vector<Case> cases;
  std::vector<CaseProjection> projections;
  std::vector<std::string> problems;
};
ImportPlan plan_import(const Sheet& t, const Agency& agency, const Workflow& wf,
                       const Calendar& cal, const Clock& clock, const std::string& by);

// Writes the imported cases in one transaction (implemented by src/store).
class ImportStore {
 public:
  virtual ~ImportStore() = default;
  // Numbers from each case, or the agency's next ones for a case without (allocate_numbers).
  virtual Status bulk_insert(const std::vector<Case>& cases,
                             const std::vector<CaseProjection>& projections,
                             bool allocate_numbers) = 0;
};

class ImportService {
 public:
  ImportService(CaseStore& cases, ImportStore& bulk, QueryStore& audit, const Workflow& wf,
                const Calendar& cal, const Clock& clock)
      : cases_(cases), bulk_(bulk), audit_(audit), wf_(wf), cal_(cal), clock_(clock) {}
  // The number of cases imported; with a bad row nothing is written and `problems` lists them
  // (the error then says how many rows are wrong).
  Result<int> import_cases(const std::string& agency, const Sheet& t, const std::string& by,
                           const std::string& source, std::vector<std::string>& problems);

 private:
  CaseStore& cases_;
  ImportStore& bulk_;
  QueryStore& audit_;
  const Workflow& wf_;
  const Calendar& cal_;
  const Clock& clock_;
};

}  // namespace ogi
