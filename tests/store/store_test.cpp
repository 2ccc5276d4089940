// Store and application service against a real SQLite file: migrations, numbering, atomic
// events under injected faults, conflicts between two connections, and the shared scenarios
// replayed end to end (registration body and events exactly as the files give them).
// With OGI_TEST_PG set to an admin URL (deploy/pg-test-server.sh), the same tests run against a
// real PostgreSQL server instead, each on a fresh database (CTest: store_tests_pg).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include "api/case_json.h"
#include "app/case_service.h"
#include "app/password.h"
#include "app/reports.h"
#include "store/migrations.h"
#include "store/sql_store.h"
#include "test_data.h"

using namespace ogi;
using test::D;
namespace fs = std::filesystem;

namespace {

const char* pg_admin() {
  const char* v = std::getenv("OGI_TEST_PG");
  return v && *v ? v : nullptr;
}

// Runs SQL with the engine's command-line client; its exit status.
int run_sql(const std::string& db, const std::string& sql) {
  std::string cmd =
      pg_admin() ? "psql -X -q -v ON_ERROR_STOP=1 '" + db + "' -c \"" + sql + "\" >/dev/null 2>&1"
                 : "sqlite3 " + db + " \"" + sql + "\" 2>/dev/null";
  return std::system(cmd.c_str());
}

struct TempDb {
  fs::path dir;
  std::string path;
  std::string pg_name;
  TempDb() {
    char tmpl[] = "/tmp/ogi-store-XXXXXX";
    dir = mkdtemp(tmpl);
    path = (dir / "ogi.db").string();
    if (const char* admin = pg_admin()) {
      pg_name = "ogi_st_" + dir.filename().string().substr(10);
      for (auto& ch : pg_name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      REQUIRE(run_sql(admin, "CREATE DATABASE " + pg_name) == 0);
      std::string base = admin;
      path = base.substr(0, base.rfind('/') + 1) + pg_name;
    }
  }
  ~TempDb() {
    fs::remove_all(dir);
    if (!pg_name.empty())
      run_sql(pg_admin(), "DROP DATABASE IF EXISTS " + pg_name + " WITH (FORCE)");
  }
};

struct Fixture {
  TempDb db;
  std::unique_ptr<SqlStore> store;
  FixedClock clock{D("2026-11-28")};
  std::unique_ptr<CaseService> svc;
  User user;
  Fixture(const std::string& pattern = "测试依申〔{year}〕第{seq}号") {
    auto s = SqlStore::open(db.path, true);
    REQUIRE(s.ok());
    store = std::move(*s);
    REQUIRE(store->migrate().ok());
    REQUIRE(store->admin().add_agency({0, "A1", "测试机关", pattern, true, ""}, "t").ok());
    REQUIRE(store->admin()
                .add_agency({0, "B2", "另一机关", "乙〔{year}〕{seq}号", true, ""}, "t")
                .ok());
    User u{0,
           "all",
           "全能",
           "A1",
           {"registrar", "handler", "approver", "office"},
           hash_password("password1", 1000),
           {}};
    REQUIRE(store->admin().add_user(u, "t").ok());
    user = *store->cases().user("all");
    svc = std::make_unique<CaseService>(store->cases(), test::workflow(), test::calendar(), clock);
  }
  CaseView reg(const std::string& received, const std::string& name = "张三") {
    RegistrationRequest r;
    r.applicant.type = "natural_person";
    r.applicant.name = name;
    r.channel = "post";
    r.received_on = received;
    r.content = "申请公开某文件";
    auto v = svc->register_case(user, r);
    REQUIRE_MESSAGE(v.ok(), (v.ok() ? "" : v.error().message));
    return *v;
  }
  Result<CaseView> event(long long id, const std::string& json) {
    auto req = parse_event(json);
    REQUIRE_MESSAGE(req.ok(), json);
    return svc->record_event(user, id, *req);
  }
  std::vector<long long> counts() {
    std::vector<long long> out;
    for (auto* t :
         {"cases", "case_events", "applicants", "consultations", "remedies", "number_counters"})
      out.push_back(store->count(t));
    return out;
  }
};

std::string to_json(const Poco::JSON::Object::Ptr& o) {
  std::ostringstream s;
  o->stringify(s);
  return s.str();
}

}  // namespace

TEST_CASE("migrations are idempotent and a newer database is refused") {
  Fixture f;
  const int latest = migrations().back().version;
  CHECK(latest >= 2);
  CHECK(f.store->schema_version() == latest);
  CHECK(*f.store->migrate() == latest);
  auto again = SqlStore::open(f.db.path, false);
  REQUIRE(again.ok());
  // Pretend a newer program migrated it.
  REQUIRE(
      run_sql(f.db.path,
              "INSERT INTO schema_migrations(version,name,applied_at) VALUES(99,'future','x')") ==
      0);
  auto newer = SqlStore::open(f.db.path, false);
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.error().message.find("newer") != std::string::npos);
}

TEST_CASE("case numbers per agency and year, from the agency pattern, never reused") {
  Fixture f;
  CHECK(f.reg("2024-03-01").c.number == "测试依申〔2024〕第1号");
  CHECK(f.reg("2024-03-02").c.number == "测试依申〔2024〕第2号");
  CHECK(f.reg("2025-01-06").c.number == "测试依申〔2025〕第1号");
  // A failed registration (bad ID) consumes no number.
  RegistrationRequest bad;
  bad.applicant = {"natural_person", "李四", "resident_id", "110105194912310021"};
  bad.channel = "post";
  bad.received_on = "2024-03-03";
  bad.content = "x";
  auto before = f.counts();
  auto r = f.svc->register_case(f.user, bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().field == "applicant.id_number");
  CHECK(f.counts() == before);
  CHECK(f.reg("2024-03-04").c.number == "测试依申〔2024〕第3号");
}

TEST_CASE("registration refuses another agency, future dates and unknown codes") {
  Fixture f;
  RegistrationRequest r;
  r.agency = "B2";
  r.applicant = {"natural_person", "王五"};
  r.channel = "post";
  r.received_on = "2024-03-01";
  r.content = "x";
  CHECK(f.svc->register_case(f.user, r).error().code == Code::forbidden);
  r.agency = "A1";
  r.received_on = "2026-11-29";
  CHECK(f.svc->register_case(f.user, r).error().field == "received_on");
  r.received_on = "2024-03-01";
  r.channel = "pigeon";
  CHECK(f.svc->register_case(f.user, r).error().field == "channel");
  r.channel = "post";
  r.applicant.type = "commercial_enterprise";
  r.applicant.credit_code = "91350100M000100Y44";
  CHECK(f.svc->register_case(f.user, r).error().field == "applicant.credit_code");
  CHECK(f.store->count("cases") == 0);
}

TEST_CASE("an event and its projection commit together or not at all") {
  for (const char* step : {"event_inserted", "projection_written"}) {
    Fixture f;
    auto c = f.reg("2024-03-01");
    auto before = f.counts();
    f.store->set_fault_hook([&](std::string_view s) {
      if (s == step) throw std::runtime_error("injected failure");
    });
    auto r = f.event(
        c.c.id, R"({"event":"consult","on":"2024-03-04","party":"third_party","name":"甲公司"})");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Code::internal);
    f.store->set_fault_hook(nullptr);
    CHECK(f.counts() == before);
    auto again = f.svc->show(f.user, c.c.id);
    CHECK(again->c.version == 1);
    CHECK(again->c.derived.state == "registered");
    CHECK(again->c.events.size() == 1);
  }
  SUBCASE("registration too") {
    Fixture f;
    f.store->set_fault_hook([](std::string_view s) {
      if (s == "event_inserted") throw std::runtime_error("injected failure");
    });
    RegistrationRequest r;
    r.applicant = {"natural_person", "王五"};
    r.channel = "post";
    r.received_on = "2024-03-01";
    r.content = "x";
    CHECK_FALSE(f.svc->register_case(f.user, r).ok());
    f.store->set_fault_hook(nullptr);
    CHECK(f.counts() == std::vector<long long>{0, 0, 0, 0, 0, 0});
    CHECK(f.reg("2024-03-01").c.number == "测试依申〔2024〕第1号");
  }
}

TEST_CASE("an administrator's change and its audit entry commit together or not at all") {
  Fixture f;
  const long long audits = f.store->count("audit_log");
  const AuditEntry note{"2026-11-28T00:00:00Z", "admin", "user.update", "all",
                        "角色：… ip=1.2.3.4"};
  f.store->set_fault_hook([](std::string_view s) {
    if (s == "audit_appended") throw std::runtime_error("injected failure");
  });
  CHECK_FALSE(f.store->admin().update_user("all", {"registrar"}, false, "", &note).ok());
  Agency a = *f.store->cases().agency("A1");
  a.name = "改名机关";
  CHECK_FALSE(f.store->admin().update_agency(a, "", "", &note).ok());
  User u{0, "newbie", "新人", "A1", {"handler"}, hash_password("pw-123456", 1000), {}};
  CHECK_FALSE(f.store->admin().add_user(u, "t", &note).ok());
  f.store->set_fault_hook(nullptr);
  // nothing of any of them stayed
  auto all = f.store->cases().user("all");
  REQUIRE(all.ok());
  CHECK(all->roles.size() == 4);
  CHECK(all->active);
  CHECK(f.store->cases().agency("A1")->name == "测试机关");
  CHECK_FALSE(f.store->cases().user("newbie").ok());
  CHECK(f.store->count("audit_log") == audits);
  // and without the fault, the change and its entry land together
  REQUIRE(f.store->admin()
              .update_user("all", {"registrar", "handler", "approver", "office"}, true, "", &note)
              .ok());
  CHECK(f.store->count("audit_log") == audits + 1);
}

TEST_CASE("concurrent edits of one case: the second writer gets a conflict") {
  Fixture f;
  auto c = f.reg("2024-03-01");
  auto other = SqlStore::open(f.db.path, false);
  REQUIRE(other.ok());
  CaseService svc2((*other)->cases(), test::workflow(), test::calendar(), f.clock);
  // Both read version 1, then both write.
  auto a = f.store->cases().load_case(c.c.id);
  auto b = (*other)->cases().load_case(c.c.id);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  Context ctx{test::workflow(), test::calendar(), f.clock, {}};
  REQUIRE(fold(ctx, *a).ok());
  REQUIRE(fold(ctx, *b).ok());
  auto na = apply_event(
      ctx, *a, *parse_event(R"({"event":"decide","on":"2024-03-05","outcome":"disclosed"})"),
      actor_of(f.user));
  auto nb = apply_event(ctx, *b, *parse_event(R"({"event":"withdraw","on":"2024-03-05"})"),
                        actor_of(f.user));
  REQUIRE(na.ok());
  REQUIRE(nb.ok());
  CHECK(f.store->cases().append_event(*na, {"decided", "reply"}, 1).ok());
  auto lost = (*other)->cases().append_event(*nb, {"closed", "reply"}, 1);
  REQUIRE_FALSE(lost.ok());
  CHECK(lost.error().code == Code::conflict);
  auto now = f.svc->show(f.user, c.c.id);
  CHECK(now->c.derived.state == "decided");
  CHECK(now->c.events.size() == 2);
  // And through the service with an explicit expected version.
  auto stale = svc2.record_event(f.user, c.c.id,
                                 *parse_event(R"({"event":"approve","on":"2024-03-06"})"), 1);
  CHECK(stale.error().code == Code::conflict);
}

TEST_CASE("the event log is append-only in the database itself") {
  Fixture f;
  f.reg("2024-03-01");
  CHECK(run_sql(f.db.path, "UPDATE case_events SET on_date='2020-01-01'") != 0);
  CHECK(run_sql(f.db.path, "DELETE FROM case_events") != 0);
  CHECK(f.store->count("case_events") == 1);
}

// Replays a scenario file's cases through the service; returns the views by ref.
static std::map<std::string, CaseView> replay(Fixture& f, const std::string& file) {
  Poco::JSON::Parser p;
  auto root = p.parse(test::slurp(file)).extract<Poco::JSON::Object::Ptr>();
  auto cases = root->getArray("cases");
  std::map<std::string, CaseView> out;
  for (size_t i = 0; i < cases->size(); ++i) {
    auto c = cases->getObject(static_cast<unsigned>(i));
    auto reg = parse_registration(to_json(c));
    REQUIRE(reg.ok());
    auto v = f.svc->register_case(f.user, *reg);
    REQUIRE_MESSAGE(v.ok(), c->getValue<std::string>("ref")
                                << ": " << (v.ok() ? "" : v.error().message));
    std::vector<long long> consultations, remedies;
    auto events = c->getArray("events");
    for (size_t j = 0; events && j < events->size(); ++j) {
      auto e = events->getObject(static_cast<unsigned>(j));
      if (e->has("consultation"))
        e->set("consultation", consultations.at(e->getValue<int>("consultation") - 1));
      if (e->has("remedy")) e->set("remedy", remedies.at(e->getValue<int>("remedy") - 1));
      auto req = parse_event(to_json(e));
      REQUIRE(req.ok());
      auto r = f.svc->record_event(f.user, v->c.id, *req);
      REQUIRE_MESSAGE(r.ok(), c->getValue<std::string>("ref") << " " << to_json(e) << ": "
                                                              << (r.ok() ? "" : r.error().message));
      v = r;
      if (req->event == "consult") consultations.push_back(v->c.derived.consultations.back().id);
      if (req->event == "remedy_filed") remedies.push_back(v->c.derived.remedies.back().id);
      // The scenario files carry no service dates: each notice is taken as served the day it was
      // issued (domain.md §6 "Served"), by the way that suits the channel.
      const std::map<std::string, std::string> served = {
          {"request_correction", "correction_notice"},
          {"fee_notice", "fee_notice"},
          {"consult", "consultation_letter"}};
      if (auto it = served.find(req->event); it != served.end()) {
        const std::string channel = c->getValue<std::string>("channel");
        const std::string method = channel == "in_person"                            ? "direct"
                                   : channel == "post" || channel == "ordinary_post" ? "post"
                                                                                     : "electronic";
        std::string json = R"({"event":"serve_notice","on":")" + e->getValue<std::string>("on") +
                           R"(","notice":")" + it->second + R"(","method":")" + method + "\"";
        if (req->event == "consult")
          json += ",\"consultation\":" + std::to_string(consultations.back());
        auto sreq = parse_event(json + "}");
        REQUIRE(sreq.ok());
        auto sv = f.svc->record_event(f.user, v->c.id, *sreq);
        REQUIRE_MESSAGE(sv.ok(), c->getValue<std::string>("ref")
                                     << " serve_notice: " << (sv.ok() ? "" : sv.error().message));
        v = sv;
      }
    }
    if (c->has("expect_due_on")) {
      REQUIRE(v->clock.due_on.has_value());
      CHECK_MESSAGE(format_date(*v->clock.due_on) == c->getValue<std::string>("expect_due_on"),
                    c->getValue<std::string>("ref") << ": " << v->clock.explanation);
    }
    out.emplace(c->getValue<std::string>("ref"), *v);
  }
  return out;
}

TEST_CASE("clock-examples.json: every expect_due_on through the store") {
  Fixture f;
  auto views = replay(f, std::string(OGI_SHARED_DIR) + "/scenarios/clock-examples.json");
  CHECK(views.size() == 12);
}

TEST_CASE(
    "scenario years replay without a rejected event, and each concluded case has one outcome") {
  for (const char* file : {"demo-2023-2024.json", "seed002-shishi-2020.json"}) {
    Fixture f;
    auto views = replay(f, std::string(OGI_SHARED_DIR) + "/scenarios/" + file);
    CHECK(views.size() > 0);
    for (auto& entry : views) {  // no structured binding: clang 14 cannot capture one (doctest)
      auto& ref = entry.first;
      auto& v = entry.second;
      if (v.c.derived.concluded_on) CHECK_MESSAGE(!v.c.derived.outcome.empty(), ref);
    }
    CHECK(f.store->count("cases") == static_cast<long long>(views.size()));
  }
}

// Every scenario file's `expect` (tables three and four, the format, the narrative facts) from the
// replayed cases: the store supplies the facts, the core counts.
TEST_CASE("scenario years reproduce their expected annual tables exactly") {
  for (const char* file : {"demo-2023-2024.json", "seed002-shishi-2020.json"}) {
    CAPTURE(file);
    Fixture f;
    replay(f, std::string(OGI_SHARED_DIR) + "/scenarios/" + file);
    Poco::JSON::Parser p;
    auto root = p.parse(test::slurp(std::string(OGI_SHARED_DIR) + "/scenarios/" + file))
                    .extract<Poco::JSON::Object::Ptr>();
    auto expect = root->getObject("expect");
    ReportService reports(f.store->reports(), f.store->cases(), f.store->queries(),
                          test::workflow(), test::calendar(), f.clock);
    int years = 0;
    for (auto& entry : *expect) {  // no structured binding: clang 14 cannot capture one (doctest)
      auto& year_text = entry.first;
      auto& value = entry.second;
      CAPTURE(year_text);
      auto want = value.extract<Poco::JSON::Object::Ptr>();
      auto v = reports.annual(f.user, std::stoi(year_text), "A1");
      REQUIRE(v.ok());
      ++years;
      CHECK(v->report.format == want->getValue<std::string>("format"));
      CHECK(v->report.check_holds);
      auto t3 = want->getObject("table3");
      CHECK(t3->size() == v->report.table3.size());
      for (auto& row : *t3) {  // no structured binding: clang 14 cannot capture one (doctest)
        auto& key = row.first;
        auto& arr = row.second;
        CAPTURE(key);
        auto a = arr.extract<Poco::JSON::Array::Ptr>();
        REQUIRE(v->report.table3.count(key));
        for (size_t i = 0; i < kColumns; ++i)
          CHECK(v->report.table3.at(key)[i] == a->getElement<long long>(static_cast<unsigned>(i)));
      }
      auto t4 = want->getObject("table4");
      for (auto& cell : *t4) {  // no structured binding: clang 14 cannot capture one (doctest)
        auto& kind = cell.first;
        auto& obj = cell.second;
        CAPTURE(kind);
        auto o = obj.extract<Poco::JSON::Object::Ptr>();
        const RemedyCounts& rc = v->report.table4.at(kind);
        CHECK(rc.upheld == o->getValue<long long>("upheld"));
        CHECK(rc.corrected == o->getValue<long long>("corrected"));
        CHECK(rc.other == o->getValue<long long>("other"));
        CHECK(rc.pending == o->getValue<long long>("pending"));
        CHECK(rc.total == o->getValue<long long>("total"));
      }
      if (want->has("narrative_facts")) {
        auto nf = want->getObject("narrative_facts");
        CHECK(v->facts.received == nf->getValue<long long>("received"));
        auto ch = nf->getObject("channels");
        CHECK(v->facts.channels.size() == ch->size());
        for (auto& [k, n] : *ch) CHECK(v->facts.channels[k] == n.convert<long long>());
        REQUIRE(v->facts.on_time_rate.has_value());
        CHECK(*v->facts.on_time_rate == doctest::Approx(nf->getValue<double>("on_time_rate")));
      }
    }
    CHECK(years > 0);
  }
}

TEST_CASE("registration names every problem at once, the first of each field, in form order") {
  RegistrationRequest r;
  r.applicant.type = "natural_person";
  r.applicant.name = "   ";
  r.applicant.phone = "电话";
  r.received_on = "2099-01-01";
  r.content = "申请公开某文件";
  auto problems = registration_problems(r, D("2026-11-28"));
  std::vector<std::string> fields;
  for (auto& e : problems) fields.push_back(e.field);
  CHECK(fields ==
        std::vector<std::string>{"applicant.name", "applicant.phone", "channel", "received_on"});
  // no message repeats its field's label ("收到申请日期：收到申请日期 …")
  CHECK(problems.back().message == "received_on: 2099-01-01 晚于今天，不能是将来的日期");
  // validate_registration answers the first of them, as the API does
  auto first = validate_registration(r, D("2026-11-28"));
  REQUIRE_FALSE(first.ok());
  CHECK(first.error().field == "applicant.name");
  r.applicant.name = "张三";
  r.applicant.phone = "13800138000";
  r.channel = "post";
  r.received_on = "2026-11-27";
  CHECK(registration_problems(r, D("2026-11-28")).empty());
}
