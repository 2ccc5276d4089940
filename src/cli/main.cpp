// ogi — the OGI Desk command line (contract.md, "Command line"). Exceptions stop here.
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "domain/codes.h"

namespace {
const char* kHelp =
    "ogi — 政府信息公开申请办理系统\n"
    "  ogi calendar workday DATE|-            is DATE a working day (yes/no); '-' reads dates from "
    "stdin\n"
    "  ogi calendar due DATE N|-              the N-th working day strictly after DATE\n"
    "  ogi calendar import FILE --db PATH     add or replace a year (.cal or .ics; --year, "
    "--notice)\n"
    "  ogi calendar show [--db PATH]          the years loaded and their notices\n"
    "  ogi init --db PATH                     create or migrate the database\n"
    "  ogi agency add --db PATH --code C --name N [--pattern P] [--parent C]\n"
    "  ogi user add --db PATH --agency C --name U --roles R1,R2 --password-stdin\n"
    "  ogi workflow check [FILE] | ogi workflow dot [FILE] | ogi workflow diagram [FILE]\n"
    "  ogi workflow permissions [FILE]\n"
    "  ogi workflow codes FILE                check a code-table file (workflow/codes.tbl)\n"
    "  ogi case register|event|show --db PATH --user U [--case ID] [FILE|-]\n"
    "  ogi demo --db PATH                     create demo data and print the cases\n"
    "  ogi report annual --db PATH --year Y [--agency C] --format json|csv|html|xlsx|docx [--out "
    "FILE]\n"
    "  ogi import cases FILE.csv|.xlsx --db PATH --agency C   a register kept in a spreadsheet "
    "(all or nothing)\n"
    "  ogi backup --db PATH --out FILE        a consistent copy, also while the server runs\n"
    "  ogi restore --from FILE --db PATH [--force]   put a backup back (server stopped)\n"
    "  ogi migrate-to --from FILE --to postgresql://USER@HOST/DB   move to PostgreSQL (counts "
    "verified)\n"
    "  ogi audit verify --db PATH [--anchor ENTRY:SEAL]   check the audit trail's keyed chain "
    "(names the first broken entry; with an anchor kept outside, that entry too)\n"
    "  ogi audit head --db PATH               the newest entry and its seal, to keep outside\n"
    "  ogi templates check [DIR]              check the letter templates (syntax, fields, "
    "partials)\n"
    "  ogi templates render NAME [--date D] [--format text|markup|html|docx] [--out FILE]\n"
    "                                         a letter template on the sample case\n"
    "  ogi serve --db PATH --listen HOST:PORT [--config FILE]   the web UI and the JSON API\n";
}

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::cout << kHelp;
    return argc < 2 ? 2 : 0;
  }
  const std::string cmd = argv[1];
  // The code tables are data (workflow/codes.tbl, embedded): a broken file stops every command.
  if (const std::string p = ogi::check_code_tables(); !p.empty()) {
    std::cerr << "ogi: workflow/codes.tbl: " << p << "\n";
    return 1;
  }
  try {
    if (cmd == "calendar") return ogi::cmd_calendar(argc, argv);
    if (cmd == "init") return ogi::cmd_init(argc, argv);
    if (cmd == "agency") return ogi::cmd_agency(argc, argv);
    if (cmd == "user") return ogi::cmd_user(argc, argv);
    if (cmd == "workflow") return ogi::cmd_workflow(argc, argv);
    if (cmd == "case") return ogi::cmd_case(argc, argv);
    if (cmd == "demo") return ogi::cmd_demo(argc, argv);
    if (cmd == "serve") return ogi::cmd_serve(argc, argv);
    if (cmd == "templates") return ogi::cmd_templates(argc, argv);
    if (cmd == "report") return ogi::cmd_report(argc, argv);
    if (cmd == "import") return ogi::cmd_import(argc, argv);
    if (cmd == "backup") return ogi::cmd_backup(argc, argv);
    if (cmd == "restore") return ogi::cmd_restore(argc, argv);
    if (cmd == "migrate-to") return ogi::cmd_migrate_to(argc, argv);
    if (cmd == "audit") return ogi::cmd_audit(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "ogi: internal error: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "ogi: unknown command '" << cmd << "' (see ogi --help)\n";
  return 2;
}
