// ogi backup / ogi restore, and the rotation the nightly job uses.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/env.h"
#include "store/blob_files.h"
#include "store/sql_store.h"

namespace ogi {

namespace fs = std::filesystem;

int cmd_backup(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2);
  if (!a.has("db") || !a.has("out"))
    return usage("usage: ogi backup --db PATH --out FILE [--attachments DIR]");
  auto store = SqlStore::open(a.get("db"), false);
  if (!store) return fail(store.error());
  if (fs::exists(a.get("out")))
    return fail(make_error(Code::invalid, a.get("out") + " exists; choose another file"));
  if (Status s = (*store)->backup_to(a.get("out")); !s) return fail(s.error());
  // The attachments' files beside it (FILE.attachments): the database names them by SHA-256.
  auto files =
      copy_blobs(a.get("attachments", a.get("db") + ".attachments"), a.get("out") + ".attachments");
  if (!files) return fail(files.error());
  std::cout << "backup written to " << a.get("out") << " (" << fs::file_size(a.get("out"))
            << " bytes, integrity ok; " << *files << " attachment files in " << a.get("out")
            << ".attachments)\n";
  return 0;
}

int cmd_restore(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"force"});
  if (!a.has("from") || !a.has("db"))
    return usage(
        "usage: ogi restore --from FILE --db PATH [--attachments DIR] [--force]  (stop the server "
        "first)");
  if (fs::exists(a.get("db")) && !a.flag("force"))
    return fail(make_error(
        Code::invalid, a.get("db") + " exists: add --force to replace it (stop the server first)"));
  if (Status s = restore_database(a.get("from"), a.get("db")); !s) return fail(s.error());
  auto files = copy_blobs(a.get("from") + ".attachments",
                          a.get("attachments", a.get("db") + ".attachments"));
  if (!files) return fail(files.error());
  std::cout << "restored " << a.get("db") << " from " << a.get("from") << " (" << *files
            << " attachment files)\n";
  return 0;
}

// Writes DIR/ogi-YYYYMMDD-HHMMSS.db and keeps the newest `keep` of them.
Status nightly_backup(SqlStore& store, const std::string& dir, int keep, const std::string& stamp,
                      const std::string& attachments) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(Code::internal, "backup: cannot create " + dir + ": " + ec.message());
  const std::string out = (fs::path(dir) / ("ogi-" + stamp + ".db")).string();
  if (Status s = store.backup_to(out); !s) return s;
  if (auto files = copy_blobs(attachments, out + ".attachments"); !files) return files.error();
  std::vector<fs::path> all;
  for (auto& e : fs::directory_iterator(dir, ec))
    if (e.path().filename().string().starts_with("ogi-") && e.path().extension() == ".db")
      all.push_back(e.path());
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i + static_cast<size_t>(std::max(1, keep)) < all.size(); ++i) {
    fs::remove(all[i], ec);
    fs::remove_all(all[i].string() + ".attachments", ec);
  }
  return {};
}

}  // namespace ogi

namespace ogi {

int cmd_audit(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2);
  const char* help =
      "usage: ogi audit verify --db PATH [--anchor ENTRY:SEAL] | ogi audit head --db PATH";
  if (a.pos.empty() || (a.pos[0] != "verify" && a.pos[0] != "head") || !a.has("db"))
    return usage(help);
  std::optional<std::pair<long long, std::string>> anchor;
  if (a.has("anchor")) {
    const std::string v = a.get("anchor");
    const size_t colon = v.find(':');
    if (colon == std::string::npos || colon == 0 || v.find_first_not_of("0123456789") < colon)
      return usage(help);
    anchor = std::pair{std::stoll(v.substr(0, colon)), v.substr(colon + 1)};
  }
  auto store = SqlStore::open(a.get("db"), false);
  if (!store) return fail(store.error());
  auto c = (*store)->verify_audit(anchor);
  if (!c) return fail(c.error());
  if (c->broken_at) {
    std::cerr << "ogi: the audit trail is broken at entry " << c->broken_at << ": " << c->why
              << " (" << c->verified << " entries before it verified)\n";
    return 1;
  }
  if (a.pos[0] == "head") {
    // What to keep outside the database (print it, mail it, write it down): ENTRY:SEAL.
    std::cout << c->head_id << ":" << c->head_hash << "\n";
    return 0;
  }
  std::cout << "audit trail intact: " << c->verified << " entries verified";
  if (c->keyed) std::cout << ", " << c->keyed << " sealed with the key";
  if (c->before_chain)
    std::cout << " (" << c->before_chain << " earlier entries predate the chain)";
  if (!(*store)->audit_keyed())
    std::cout << "; no audit key (set OGI_AUDIT_KEY_FILE): new entries are not keyed";
  if (anchor) std::cout << "; entry " << anchor->first << " matches the anchor";
  std::cout << "\n";
  return 0;
}

}  // namespace ogi

namespace ogi {

// ogi migrate-to: a SQLite database copied into an empty PostgreSQL one (docs/operations.md).
int cmd_migrate_to(int argc, char** argv) {
  Args a = parse_args(argc, argv, 1);
  if (!a.has("from") || !a.has("to"))
    return usage(
        "usage: ogi migrate-to --from FILE.db --to postgresql://USER@HOST/DB  (stop the server "
        "first)");
  auto from = SqlStore::open(a.get("from"), false);
  if (!from) return fail(from.error());
  auto to = SqlStore::open(a.get("to"), true);
  if (!to) return fail(to.error());
  if ((*from)->audit_keyed() && (*to)->audit_key_file().empty())
    return fail(make_error(
        Code::invalid, "the audit trail is sealed with the key in " + (*from)->audit_key_file() +
                           ": run with OGI_AUDIT_KEY_FILE=" + (*from)->audit_key_file() +
                           " (and give the servers that variable)"));
  if (auto m = (*to)->migrate(); !m) return fail(m.error());

  auto counts = (*to)->copy_from(**from, [](const std::string& table, long long n) {
    std::cerr << "  " << table << ": " << n << "\n";
  });
  if (!counts) return fail(counts.error());
  long long rows = 0;
  for (auto& [t, n] : *counts) rows += n;
  auto chain = (*to)->verify_audit();
  if (!chain || chain->broken_at)
    return fail(make_error(Code::internal, "migrate-to: the copied audit trail does not verify"));
  std::cout << "copied " << rows << " rows in " << counts->size()
            << " tables; every table's count matches; audit chain ok (" << chain->verified
            << " entries)\n";
  return 0;
}

}  // namespace ogi
