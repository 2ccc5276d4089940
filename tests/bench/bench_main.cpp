// Benchmarks (run by deploy/bench.sh; figures go to docs/performance.md). Never asserted by
// tests. Prints one line per figure: name, value, unit.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "api/case_json.h"
#include "app/case_service.h"
#include "app/letters.h"
#include "app/password.h"
#include "case_builder.h"
#include "domain/clock.h"
#include "letters/template_set.h"
#include "store/sql_store.h"

using namespace ogi;
using Clock_ = std::chrono::steady_clock;

static double secs(Clock_::time_point a) {
  return std::chrono::duration<double>(Clock_::now() - a).count();
}

int main(int argc, char** argv) {
  long cases = argc > 1 ? std::stol(argv[1]) : 100000;
  const Calendar& cal = test::calendar();
  const Workflow& wf = test::workflow();

  // 1. Plain due dates: add_workdays over every start date, one core.
  {
    const Date first = test::D("2010-01-01");
    const int span = 365 * 16;
    long n = 20'000'000, sink = 0;
    auto t = Clock_::now();
    for (long i = 0; i < n; ++i) {
      auto r = cal.add_workdays(first + boost::gregorian::days(i % span), 20);
      sink += r.ok() ? static_cast<long>(r->day()) : 0L;
    }
    double s = secs(t);
    std::printf("due_date_add_workdays %.1f M/s (n=%ld, sink=%ld)\n", n / s / 1e6, n, sink % 7);
  }
  // 2. Full clock of a case with two overlapping consultations, a fee pause and an extension.
  {
    test::CaseBuilder b("2024-03-01");
    b.ev("consult", "2024-03-04",
         {{"party", std::string("third_party")}, {"name", std::string("甲")}});
    b.ev("consult", "2024-03-06", {{"party", std::string("agency")}, {"name", std::string("乙")}});
    b.ev("consultation_replied", "2024-03-08",
         {{"consultation", 2LL}, {"opinion", std::string("agree")}});
    b.ev("consultation_replied", "2024-03-11",
         {{"consultation", 3LL}, {"opinion", std::string("agree")}});
    b.ev("extend", "2024-03-12", {{"reason", std::string("x")}});
    long n = 1'000'000, sink = 0;
    Date today = test::D("2024-03-20");
    auto t = Clock_::now();
    for (long i = 0; i < n; ++i) sink += compute_clock(cal, b.c, today).paused_days;
    double s = secs(t);
    std::printf("compute_clock_full_case %.2f M/s (n=%ld, sink=%ld)\n", n / s / 1e6, n, sink % 7);
  }
  // 3. Register + decide through the SQLite store (synchronous=FULL, one transaction each).
  {
    char tmpl[] = "/tmp/ogi-bench-XXXXXX";
    std::filesystem::path dir = mkdtemp(tmpl);
    std::string path = (dir / "bench.db").string();
    auto opened = SqlStore::open(path, true);
    auto store = std::move(opened.value());
    (void)store->migrate();
    (void)store->admin().add_agency({0, "A1", "测试机关", "测〔{year}〕{seq}号", true, ""}, "t");
    (void)store->admin().add_user(
        {0, "u", "u", "A1", {"registrar", "handler"}, hash_password("password1", 1000), {}}, "t");
    User u = *store->cases().user("u");
    FixedClock clock(test::D("2026-11-28"));
    CaseService svc(store->cases(), wf, cal, clock);
    RegistrationRequest r;
    r.applicant = {"natural_person",     "张三", "resident_id",
                   "11010519491231002X", "",     "13800138000"};
    r.channel = "post";
    r.received_on = "2026-03-02";
    r.content = "申请公开某项目的批复文件及附件";
    auto decide = *parse_event(
        R"({"event":"decide","on":"2026-03-20","outcome":"disclosed","reasons":"可以公开"})");
    auto t = Clock_::now();
    for (long i = 0; i < cases; ++i) {
      auto v = svc.register_case(u, r);
      if (!v) {
        std::fprintf(stderr, "%s\n", v.error().message.c_str());
        return 1;
      }
      auto d = svc.record_event(u, v->c.id, decide);
      if (!d) {
        std::fprintf(stderr, "%s\n", d.error().message.c_str());
        return 1;
      }
    }
    double s = secs(t);
    std::printf("store_register_and_decide %.0f cases/s (n=%ld, %.1f s, %.0f transactions/s)\n",
                cases / s, cases, s, 2 * cases / s);
    store.reset();
    std::filesystem::remove_all(dir);
  }
  // 4. Letters: a receipt and a reply rendered to markup, DOCX (Poco::Zip) and HTML with SHA-256
  //    (what the committer thread does for each letter-issuing event).
  {
    auto set = letters::TemplateSet::load(std::string(OGI_SOURCE_DIR) + "/templates/letters");
    if (!set) {
      std::fprintf(stderr, "%s\n", set.error().message.c_str());
      return 1;
    }
    DetachedStores none;
    FixedClock clock(test::D("2024-04-16"));
    LetterService svc(**set, none, none, wf, cal, clock);
    const Agency a = LetterService::sample_agency();
    for (const char* name : {"receipt", "reply_partially_disclosed"}) {
      LetterFields f = *svc.sample_fields(name, a);
      long n = 5000, bytes = 0;
      auto t = Clock_::now();
      for (long i = 0; i < n; ++i) {
        auto r = (*set)->render(name, f, "t", test::D("2024-04-16"));
        bytes += static_cast<long>(r->docx.size());
      }
      double s = secs(t);
      std::printf("letter_render_%s %.0f letters/s (%.0f us each, DOCX %ld bytes)\n", name, n / s,
                  s / n * 1e6, bytes / n);
      // the part done inside the event's transaction: the number filled in, the main part swapped
      LetterFields g = f;
      g.put("letter.number", std::string(kNumberPlaceholder));
      auto prepared = (*set)->prepare(name, g, "t", test::D("2024-04-16"));
      t = Clock_::now();
      for (long i = 0; i < n; ++i)
        bytes += static_cast<long>(
            (*set)->finish(*prepared, "示府办依申收〔2024〕12号", "").docx.size());
      s = secs(t);
      std::printf("letter_finish_in_transaction_%s %.1f us each\n", name, s / n * 1e6);
    }
  }
  return 0;
}
