#pragma once
// The `ogi` subcommands. Each returns the process exit code (contract.md: 0 ok, 2 bad usage or
// input, 3 not found or outside the calendar, 1 anything else).
namespace ogi {
int cmd_calendar(int argc, char** argv);  // ogi calendar workday|due|import|show
int cmd_init(int argc, char** argv);      // ogi init --db PATH
int cmd_agency(int argc, char** argv);    // ogi agency add ...
int cmd_user(int argc, char** argv);      // ogi user add ...
int cmd_workflow(int argc, char** argv);  // ogi workflow check|dot
int cmd_case(int argc, char** argv);      // ogi case register|event|show|list
int cmd_demo(int argc, char** argv);      // ogi demo --db PATH
int cmd_serve(int argc, char** argv);
int cmd_templates(int argc, char** argv);   // ogi templates check|list|render
int cmd_report(int argc, char** argv);      // ogi report annual
int cmd_import(int argc, char** argv);      // ogi import cases FILE
int cmd_backup(int argc, char** argv);      // ogi backup --db PATH --out FILE
int cmd_restore(int argc, char** argv);     // ogi restore --from FILE --db PATH
int cmd_audit(int argc, char** argv);       // ogi audit verify --db PATH
int cmd_migrate_to(int argc, char** argv);  // ogi migrate-to --from FILE --to postgresql://...
int cmd_generate(int argc, char** argv);  // ogi demo generate --db PATH --cases N      // ogi serve
                                          // --db PATH --listen HOST:PORT
}  // namespace ogi
