// Login against a real SQLite file: password cost, rehash at login, the same answer for an
// unknown name and a wrong password (issue 18, finding 9).
#include "app/auth.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "app/password.h"
#include "store/sql_store.h"

using namespace ogi;
namespace fs = std::filesystem;

namespace {
struct AuthFixture {
  fs::path dir;
  std::unique_ptr<SqlStore> store;
  FixedClock clock{Date(2026, 12, 7)};
  AuthFixture() {
    char tmpl[] = "/tmp/ogi-auth-XXXXXX";
    dir = mkdtemp(tmpl);
    auto s = SqlStore::open((dir / "ogi.db").string(), true);
    REQUIRE(s.ok());
    store = std::move(*s);
    REQUIRE(store->migrate().ok());
    REQUIRE(store->admin()
                .add_agency({0, "A1", "测试机关", "测〔{year}〕{seq}号", true, ""}, "t")
                .ok());
  }
  ~AuthFixture() {
    store.reset();
    fs::remove_all(dir);
  }
  void add(const std::string& name, const std::string& hash) {
    User u{0, name, "某人", "A1", {"handler"}, hash, {}};
    REQUIRE(store->admin().add_user(u, "t").ok());
  }
  std::string stored_hash(const std::string& name) {
    return store->cases().user(name)->password_hash;
  }
};

int cost_of(const std::string& enc) {
  auto p1 = enc.find('$'), p2 = enc.find('$', p1 + 1);
  return std::stoi(enc.substr(p1 + 1, p2 - p1 - 1));
}
}  // namespace

TEST_CASE("passwords: 600,000 iterations; what needs rehashing") {
  const std::string h = hash_password("correct horse");
  CHECK(h.rfind("pbkdf2-sha256$600000$", 0) == 0);
  CHECK(verify_password("correct horse", h));
  CHECK_FALSE(verify_password("correct hors", h));
  CHECK_FALSE(needs_rehash(h));
  struct Row {
    std::string enc;
    bool rehash;
  };
  for (const Row& r : std::vector<Row>{{hash_password("x", 10000), true},
                                       {hash_password("x", 599999), true},
                                       {"pbkdf2-sha256$abc$00$00", true},
                                       {"md5$1$2$3", true},
                                       {"", true}}) {
    CAPTURE(r.enc);
    CHECK(needs_rehash(r.enc) == r.rehash);
  }
  // a malformed hash never verifies (and never throws)
  for (auto* bad : {"pbkdf2-sha256$$00$00", "pbkdf2-sha256$-5$00$00", "pbkdf2-sha256$9x$00$00",
                    "pbkdf2-sha256$99999999999$00$00"}) {
    CAPTURE(bad);
    CHECK_FALSE(verify_password("x", bad));
  }
}

TEST_CASE("login: a cheaper hash is replaced at the owner's login, never by a failed one") {
  AuthFixture f;
  f.add("wang", hash_password("demo-pass-2026", 10000));
  AuthService auth(f.store->sessions(), f.store->cases(), f.clock);
  const std::string before = f.stored_hash("wang");

  auto bad = auth.login("wang", "wrong", "10.0.0.1");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "用户名或密码错误");
  CHECK(f.stored_hash("wang") == before);

  auto unknown = auth.login("nobody", "demo-pass-2026", "10.0.0.1");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == bad.error().message);  // an unknown name looks the same

  auto ok = auth.login("wang", "demo-pass-2026", "10.0.0.1");
  REQUIRE(ok.ok());
  const std::string after = f.stored_hash("wang");
  CHECK(after != before);
  CHECK(cost_of(after) == kPasswordIterations);
  CHECK(verify_password("demo-pass-2026", after));
  CHECK(auth.authenticate(ok->token).ok());  // the session made at that login still holds

  // at the current cost, a later login leaves the hash alone
  REQUIRE(auth.login("wang", "demo-pass-2026", "10.0.0.1").ok());
  CHECK(f.stored_hash("wang") == after);
}
