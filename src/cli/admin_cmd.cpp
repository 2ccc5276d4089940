#include <fstream>
#include <iostream>
#include <sstream>

#include "app/agencies.h"
#include "app/letters.h"
#include "app/policy.h"
#include "app/users.h"
#include "cli/commands.h"
#include "cli/env.h"
#include "domain/codes.h"
#include "store/sql_store.h"

namespace ogi {

int cmd_init(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2);
  if (!a.has("db")) return usage("usage: ogi init --db PATH");
  // Refuse to start with broken data files before touching the database.
  auto wf = load_workflow();
  if (!wf) return fail(wf.error());
  auto store = SqlStore::open(a.get("db"), true);
  if (!store) return fail(store.error());
  int before = (*store)->schema_version();
  auto v = (*store)->migrate();
  if (!v) return fail(v.error());
  auto cal = load_calendar(store->get());
  if (!cal) return fail(cal.error());
  std::cout << "database " << a.get("db") << " at schema version " << *v
            << (before == *v ? " (already current)"
                             : " (migrated from " + std::to_string(before) + ")")
            << "\n";
  return 0;
}

int cmd_agency(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"no-fee-pause"});
  if (a.pos.empty() || a.pos[0] != "add" || !a.has("db") || !a.has("code") || !a.has("name"))
    return usage(
        "usage: ogi agency add --db PATH --code CODE --name NAME [--pattern P] [--parent CODE] "
        "[--no-fee-pause] "
        "[--letter-prefix 代字] [--letter-pattern P] [--letterhead T] [--contact T] [--kind KIND] "
        "[--reconsideration-body T] [--court T] [--remedy-policy safe|literal] (KIND: department, "
        "government, "
        "dispatched, vertical, state_council_department, other)");
  Agency ag;
  ag.code = a.get("code");
  ag.name = a.get("name");
  for (char c : ag.code)
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
      return fail(make_error(
          Code::invalid, "agency code may contain only letters, digits, '_' and '-': " + ag.code));
  if (ag.code.empty() || ag.code.size() > 32)
    return fail(make_error(Code::invalid, "agency code must be 1 to 32 characters"));
  ag.number_pattern = a.get("pattern", ag.name + "依申〔{year}〕第{seq}号");
  ag.parent = a.get("parent");
  ag.fee_pauses_clock = !a.flag("no-fee-pause");
  ag.letter_prefix = a.get("letter-prefix");
  ag.letter_pattern = a.get("letter-pattern");
  ag.letterhead = a.get("letterhead");
  ag.contact = a.get("contact");
  ag.reconsideration_body = a.get("reconsideration-body");
  ag.kind = a.get("kind");
  ag.court = a.get("court");
  ag.remedy_policy = a.get("remedy-policy");
  auto wf = load_workflow();
  if (!wf) return fail(wf.error());
  if (Status ok = check_agency(ag, *wf); !ok)
    return fail(ok.error());  // the same check as the 机关设置 page
  auto store = SqlStore::open(a.get("db"), false);
  if (!store) return fail(store.error());
  SystemClock clock;
  auto id = (*store)->admin().add_agency(ag, clock.now_timestamp());
  if (!id) return fail(id.error());
  (void)(*store)->audit(clock.now_timestamp(), "cli", "agency.add", ag.code, ag.name);
  std::cout << "agency " << ag.code << " added (id " << *id << ")\n";
  if (agency_reconsideration_body((*store)->cases(), ag).body.empty())
    std::cerr << "warning: no reconsideration body can be named for " << ag.code
              << " (give --kind with --parent, or --reconsideration-body); its remedy notices will "
                 "name none\n";
  return 0;
}

int cmd_user(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"password-stdin"});
  if (a.pos.empty() || a.pos[0] != "add" || !a.has("db") || !a.has("agency") || !a.has("name") ||
      !a.has("roles") || !a.flag("password-stdin"))
    return usage(
        "usage: ogi user add --db PATH --agency CODE --name NAME --roles R1,R2 --password-stdin "
        "[--display NAME]");
  User u;
  u.username = a.get("name");
  u.display_name = a.get("display", u.username);
  u.agency = a.get("agency");
  std::string roles = a.get("roles");
  for (size_t i = 0; i <= roles.size();) {
    size_t j = roles.find(',', i);
    if (j == std::string::npos) j = roles.size();
    u.roles.push_back(roles.substr(i, j - i));
    i = j + 1;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto ready = prepare_new_user(u, password);
  if (!ready) return fail(ready.error());
  u = *ready;
  auto store = SqlStore::open(a.get("db"), false);
  if (!store) return fail(store.error());
  SystemClock clock;
  auto id = (*store)->admin().add_user(u, clock.now_timestamp());
  if (!id) return fail(id.error());
  (void)(*store)->audit(clock.now_timestamp(), "cli", "user.add", u.username, roles);
  std::cout << "user " << u.username << " added (id " << *id << ")\n";
  return 0;
}

int cmd_workflow(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2);
  if (a.pos.size() == 2 && a.pos[0] == "codes") {  // an edited workflow/codes.tbl, before a build
    std::ifstream in(a.pos[1], std::ios::binary);
    if (!in) return fail(Error{Code::not_found, "cannot read " + a.pos[1]});
    std::stringstream text;
    text << in.rdbuf();
    if (std::string p = validate_code_tables(text.str()); !p.empty())
      return fail(Error{Code::invalid, a.pos[1] + ": " + p});
    std::cout << "ok: " << a.pos[1] << "\n";
    return 0;
  }
  if (a.pos.empty() || (a.pos[0] != "check" && a.pos[0] != "dot" && a.pos[0] != "diagram" &&
                        a.pos[0] != "permissions"))
    return usage(
        "usage: ogi workflow check [FILE] | ogi workflow dot [FILE] | ogi workflow diagram [FILE] "
        "| "
        "ogi workflow permissions [FILE] | ogi workflow codes FILE");
  auto wf = load_workflow(a.pos.size() > 1 ? a.pos[1] : "");
  if (!wf) return fail(wf.error());
  if (a.pos[0] == "dot") {
    std::cout << wf->dot();
  } else if (a.pos[0] == "diagram") {
    std::cout << wf->diagram_dot();  // deploy/diagram.sh lays it out with Graphviz
  } else if (a.pos[0] == "permissions") {
    std::cout << permission_matrix_markdown(*wf);  // docs/permissions.md
  } else {
    std::cout << "ok: " << wf->states().size() << " states, " << wf->events().size() << " events, "
              << wf->transitions().size() << " transitions\n";
  }
  return 0;
}

}  // namespace ogi
