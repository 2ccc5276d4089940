// The audit trail's chain (issue 18, finding 9): every entry sealed with HMAC-SHA256 under a key
// kept outside the database, over the entry's fields and the seal of the entry before it. Who can
// write the database file but not read the key cannot rewrite, insert or drop entries without
// `ogi audit verify` noticing; the newest seal (`ogi audit head`, logged by the server each day)
// kept elsewhere also catches a cut-off tail or a rewrite by someone who holds the key.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/auth.h"
#include "store/sql_detail.h"
#include "store/sql_store.h"

using namespace ogi::detail;

namespace ogi {

namespace {
constexpr const char* kKeyed = "k1:";  // a seal made with the key

std::string fields_of(const std::string& prev, const std::string& at, const std::string& actor,
                      const std::string& action, const std::string& target,
                      const std::string& detail) {
  const char sep = '\x1f';  // unit separator: no field can shift into another
  return prev + sep + at + sep + actor + sep + action + sep + target + sep + detail;
}

bool keyed_seal(const std::string& h) { return h.rfind(kKeyed, 0) == 0; }
}  // namespace

std::string audit_key_path(const std::string& db, bool postgresql) {
  if (const char* f = std::getenv("OGI_AUDIT_KEY_FILE"); f && *f) return f;
  return postgresql ? "" : db + ".audit-key";
}

Status SqlCore::load_audit_key() {
  if (key_file_.empty()) return {};  // PostgreSQL without OGI_AUDIT_KEY_FILE: unkeyed, said so
  std::error_code ec;
  if (std::filesystem::exists(key_file_, ec)) {
    std::ifstream in(key_file_);
    std::string k;
    std::getline(in, k);
    while (!k.empty() && (k.back() == '\r' || k.back() == ' ')) k.pop_back();
    if (k.size() < 32)
      return make_error(Code::internal, "审计密钥文件 " + key_file_ + " 无效（至少 32 个字符）");
    audit_key_ = k;
    return {};
  }
  // No key yet: fine for a trail without keyed entries (a new database, or one from before the
  // key), which gets one now; a keyed trail without its key cannot go on.
  long long sealed = 0;
  {
    std::lock_guard lock(rmu_);
    auto q = rq_("SELECT count(*) FROM audit_log WHERE hash LIKE 'k1:%'");
    if (q.row()) sealed = q.num(0);
    q.run();
  }
  if (sealed)
    return make_error(Code::internal, "审计记录已用密钥签名，但找不到密钥文件 " + key_file_ +
                                          "（设置 OGI_AUDIT_KEY_FILE 指向它）");
  const std::string k = random_token();
  const int fd = ::open(key_file_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) {  // another process made it just now: use theirs
    for (int i = 0; i < 50; ++i) {
      std::ifstream in(key_file_);
      std::string line;
      if (std::getline(in, line) && line.size() >= 32) return load_audit_key();
      ::usleep(20000);
    }
  }
  if (fd < 0) return make_error(Code::internal, "无法创建审计密钥文件 " + key_file_);
  const std::string line = k + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return make_error(Code::internal, "无法写入审计密钥文件 " + key_file_);
  audit_key_ = k;
  return {};
}

void SqlCore::append_audit(const std::string& at, const std::string& actor,
                           const std::string& action, const std::string& target,
                           const std::string& detail) {
  std::string prev;
  {
    auto q = q_("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
    if (q.row()) prev = q.str(0);
    q.run();
  }
  const std::string data = fields_of(prev, at, actor, action, target, detail);
  const std::string seal =
      audit_key_.empty() ? sha256_hex(data) : kKeyed + hmac_sha256_hex(audit_key_, data);
  q_("INSERT INTO audit_log(at, actor, action, target, detail, prev_hash, hash) "
     "VALUES(?,?,?,?,?,?,?)")
      .text(1, at)
      .text(2, actor)
      .text(3, action)
      .text(4, target)
      .text(5, detail)
      .text(6, prev)
      .text(7, seal)
      .run();
  step("audit_appended");
}

void SqlQueries::record_audit_later(const std::string& at, const std::string& actor,
                                    const std::string& action, const std::string& target,
                                    const std::string& detail) {
  write_detached([=, &core = core_] { core.append_audit(at, actor, action, target, detail); });
}

Result<AuditCheck> SqlStore::verify_audit(std::optional<std::pair<long long, std::string>> anchor) {
  std::lock_guard lock(rmu_);
  AuditCheck c;
  auto q = rq_(
      "SELECT id, at, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY id");
  std::string last;
  bool chained = false, anchored = false;
  auto broken = [&](long long id, std::string why) {
    c.broken_at = id;
    c.why = std::move(why);
    q.run();  // finish the statement
    return c;
  };
  while (q.row()) {
    const long long id = q.num(0);
    const std::string prev = q.str(6), hash = q.str(7);
    if (!chained && hash.empty()) {
      ++c.before_chain;  // written before version 6
      continue;
    }
    if (!chained) {
      chained = true;
      c.first_chained = id;
    } else if (prev != last) {
      return broken(id, "其前一条记录缺失或被改动（链接的哈希不符）");
    }
    const std::string data = fields_of(prev, q.str(1), q.str(2), q.str(3), q.str(4), q.str(5));
    if (keyed_seal(hash)) {
      if (core_.audit_key_.empty())
        return broken(id, "该条记录用密钥签名，但没有密钥可供核验（OGI_AUDIT_KEY_FILE）");
      if (hash != kKeyed + hmac_sha256_hex(core_.audit_key_, data))
        return broken(id, "该条记录的内容被改动（密钥签名不符）");
      ++c.keyed;
    } else {
      if (c.keyed) return broken(id, "密钥签名的记录之后出现了未签名的记录");
      if (hash != sha256_hex(data)) return broken(id, "该条记录的内容被改动（哈希不符）");
    }
    if (anchor && anchor->first == id) {
      if (hash != anchor->second) return broken(id, "与在库外保存的链头记录不符");
      anchored = true;
    }
    last = hash;
    c.head_id = id;
    c.head_hash = hash;
    ++c.verified;
  }
  if (anchor && !anchored) {
    c.broken_at = anchor->first;
    c.why = "在库外保存的链头记录所指的条目已不存在（记录被截断或删除）";
  }
  return c;
}

}  // namespace ogi
