// The reminder channels against local sinks this test starts: an SMTP server speaking just
// enough of RFC 5321, and an HTTP server receiving the webhook. Plus the daily sweep: alerts
// raised once per lapsed deadline, sent through the notifier, and no case concluded by it.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "api/case_json.h"
#include "app/dashboard.h"
#include "app/password.h"
#include "jobs/notifiers.h"
#include "jobs/scheduler.h"
#include "jobs/webhook_sink.h"
#include "store/sql_store.h"
#include "test_data.h"

using namespace ogi;

namespace {

// One-connection SMTP sink: records the DATA section.
struct SmtpSink {
  Poco::Net::ServerSocket server{Poco::Net::SocketAddress("127.0.0.1", 0)};
  std::string data, rcpt;
  std::thread t;
  SmtpSink() {
    t = std::thread([this] {
      Poco::Net::StreamSocket s = server.acceptConnection();
      Poco::Net::SocketStream io(s);
      auto say = [&](const std::string& l) { io << l << "\r\n" << std::flush; };
      say("220 sink ESMTP");
      std::string line;
      bool in_data = false;
      while (std::getline(io, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (in_data) {
          if (line == ".") {
            in_data = false;
            say("250 queued");
          } else {
            data += line + "\n";
          }
          continue;
        }
        std::string cmd = line.substr(0, 4);
        if (cmd == "EHLO" || cmd == "HELO")
          say("250 sink");
        else if (cmd == "MAIL")
          say("250 ok");
        else if (cmd == "RCPT") {
          rcpt = line;
          say("250 ok");
        } else if (cmd == "DATA") {
          in_data = true;
          say("354 go");
        } else if (cmd == "QUIT") {
          say("221 bye");
          break;
        } else
          say("250 ok");
      }
    });
  }
  int port() const { return server.address().port(); }
  ~SmtpSink() {
    if (t.joinable()) t.join();
  }
};

}  // namespace

TEST_CASE("SMTP notifier delivers subject and body to the sink") {
  SmtpSink sink;
  jobs::SmtpNotifier n("127.0.0.1", sink.port(), "ogi@example.org", "office@example.org");
  Status s = n.send("期限提醒 测〔2024〕第1号", "答复期限已于 2024-03-29 届满");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  sink.t.join();
  CHECK(sink.rcpt.find("office@example.org") != std::string::npos);
  CHECK(sink.data.find("Subject: =?UTF-8?") != std::string::npos);  // encoded word
  CHECK(sink.data.find("2024-03-29") != std::string::npos);
}

TEST_CASE("SMTP notifier reports an unreachable server as an error value") {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  int port = probe.address().port();
  probe.close();
  jobs::SmtpNotifier n("127.0.0.1", port, "a@b", "c@d");
  CHECK_FALSE(n.send("x", "y").ok());
}

TEST_CASE("webhook notifier posts JSON; a non-2xx answer is an error") {
  test::WebhookSink sink;
  jobs::WebhookNotifier n(sink.url());
  REQUIRE(n.send("期限提醒", "补正期限已届满").ok());
  std::lock_guard l(sink.mu);
  REQUIRE(sink.bodies.size() == 1);
  CHECK(sink.bodies[0].find("\"subject\"") != std::string::npos);
  CHECK(sink.bodies[0].find("补正期限已届满") != std::string::npos);
  jobs::WebhookNotifier bad("http://127.0.0.1:1/none");
  CHECK_FALSE(bad.send("x", "y").ok());
}

TEST_CASE(
    "daily sweep: alerts once per lapsed deadline, sent through the notifier, case untouched") {
  char tmpl[] = "/tmp/ogi-sweep-XXXXXX";
  std::filesystem::path dir = mkdtemp(tmpl);
  {
    auto opened = SqlStore::open((dir / "t.db").string(), true);
    REQUIRE(opened.ok());
    auto& store = *opened;
    REQUIRE(store->migrate().ok());
    REQUIRE(store->admin()
                .add_agency({0, "A1", "测试机关", "测〔{year}〕{seq}号", true, ""}, "t")
                .ok());
    REQUIRE(
        store->admin()
            .add_user(
                {0, "h", "h", "A1", {"registrar", "handler"}, hash_password("password1", 1000), {}},
                "t")
            .ok());
    User u = *store->cases().user("h");
    FixedClock clock(test::D("2024-03-04"));
    CaseService svc(store->cases(), test::workflow(), test::calendar(), clock);
    RegistrationRequest r;
    r.applicant = {"natural_person", "张三"};
    r.channel = "post";
    r.received_on = "2024-03-01";
    r.content = "申请公开某文件";
    auto c = svc.register_case(u, r);
    REQUIRE(c.ok());
    REQUIRE(
        svc.record_event(
               u, c->c.id,
               *parse_event(
                   R"({"event":"request_correction","on":"2024-03-04","items":["身份证件"],"days":5})"))
            .ok());
    REQUIRE(svc.record_event(
                   u, c->c.id,
                   *parse_event(R"({"event":"serve_notice","on":"2024-03-04","method":"direct"})"))
                .ok());
    DashboardService dash(store->cases(), store->queries(), svc, test::calendar(), clock);
    test::WebhookSink sink;
    jobs::WebhookNotifier hook(sink.url());
    CHECK(*dash.sweep(&hook) == 0);    // nothing lapsed yet
    clock.set(test::D("2024-03-12"));  // correction period (5 wd after 03-04) ended 03-11
    CHECK(*dash.sweep(&hook) == 1);
    CHECK(*dash.sweep(&hook) == 0);  // once only
    {
      std::lock_guard l(sink.mu);
      REQUIRE(sink.bodies.size() == 1);
      CHECK(sink.bodies[0].find("申请人补正期限") != std::string::npos);
    }
    // A reminder whose send fails is sent at a later sweep (and only once it succeeded).
    auto second = svc.register_case(u, r);  // received 2024-03-01, no correction: due 2024-03-29
    REQUIRE(second.ok());
    clock.set(test::D("2024-04-15"));  // its reply period has lapsed: a second alert
    jobs::WebhookNotifier down("http://127.0.0.1:1/none");
    CHECK(*dash.sweep(&down) >= 1);
    {
      std::lock_guard l(sink.mu);
      CHECK(sink.bodies.size() == 1);
    }
    CHECK(*dash.sweep(&hook) == 0);  // nothing new raised, but the unsent one goes out now
    {
      std::lock_guard l(sink.mu);
      CHECK(sink.bodies.size() >= 2);
    }
    const size_t sent = [&] {
      std::lock_guard l(sink.mu);
      return sink.bodies.size();
    }();
    CHECK(*dash.sweep(&hook) == 0);
    {
      std::lock_guard l(sink.mu);
      CHECK(sink.bodies.size() == sent);  // marked sent: not again
    }
    // Between sweeps the retry job delivers: a channel down twice, then up — each alert goes out
    // once, the first time the channel takes it, and is not sent again.
    struct Flaky final : Notifier {
      int down = 2, calls = 0, delivered = 0;
      Status send(const std::string&, const std::string&) override {
        ++calls;
        if (down > 0) return make_error(Code::internal, "down");
        ++delivered;
        return {};
      }
    } flaky;
    auto third = svc.register_case(u, r);
    REQUIRE(third.ok());
    clock.set(test::D("2024-04-16"));
    jobs::WebhookNotifier off("http://127.0.0.1:1/none");
    CHECK(*dash.sweep(&off) >= 1);  // raised; the send failed
    auto d1 = dash.deliver(flaky, {"A1"});
    CHECK(d1.failed >= 1);
    CHECK(d1.sent == 0);
    flaky.down = 1;
    CHECK(dash.deliver(flaky, {"A1"}).failed >= 1);
    flaky.down = 0;
    auto d3 = dash.deliver(flaky, {"A1"});
    CHECK(d3.failed == 0);
    CHECK(d3.sent >= 1);
    CHECK(flaky.delivered == d3.sent);
    auto d4 = dash.deliver(flaky, {"A1"});
    CHECK(d4.sent == 0);
    CHECK(d4.failed == 0);
    CHECK(flaky.delivered == d3.sent);  // marked sent: never again
    auto still = svc.show(u, c->c.id);
    CHECK(still->c.derived.state == "awaiting_correction");  // the sweep never concludes a case
    CHECK(still->c.events.size() == 3);  // register, request_correction, serve_notice
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "from 1 November without next year's notice: one reminder a week to the administrators, "
    "retried after a failure") {
  char tmpl[] = "/tmp/ogi-remind-XXXXXX";
  std::filesystem::path dir = mkdtemp(tmpl);
  {
    auto opened = SqlStore::open((dir / "t.db").string(), true);
    REQUIRE(opened.ok());
    auto& store = *opened;
    REQUIRE(store->migrate().ok());
    const Calendar& cal = test::calendar_with_provisional();  // official through 2026
    FixedClock clock(test::D("2026-10-30"));
    CaseService svc(store->cases(), test::workflow(), cal, clock);
    DashboardService dash(store->cases(), store->queries(), svc, cal, clock);
    test::WebhookSink sink;
    jobs::WebhookNotifier hook(sink.url());
    auto sent = [&] {
      std::lock_guard l(sink.mu);
      return sink.bodies.size();
    };
    CHECK(*dash.sweep(&hook) == 0);  // October: nothing missing yet
    CHECK(sent() == 0);
    clock.set(test::D("2026-11-02"));  // a Monday
    CHECK(*dash.sweep(&hook) == 1);
    REQUIRE(sent() == 1);
    {
      std::lock_guard l(sink.mu);
      CHECK(sink.bodies[0].find("请导入2027年节假日安排") != std::string::npos);
    }
    for (const char* day :
         {"2026-11-03", "2026-11-06", "2026-11-08"}) {  // the same week: no second one
      clock.set(test::D(day));
      CHECK(*dash.sweep(&hook) == 0);
    }
    CHECK(sent() == 1);
    // The next week, the send fails: the reminder is not marked sent, and goes out at the next
    // sweep.
    clock.set(test::D("2026-11-09"));
    jobs::WebhookNotifier down("http://127.0.0.1:1/none");
    CHECK(*dash.sweep(&down) == 0);
    CHECK(*dash.sweep(&hook) == 1);
    CHECK(sent() == 2);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("scheduler runs the job first after the delay, then every interval, and stops cleanly") {
  std::atomic<int> runs{0};
  {
    jobs::Scheduler s(std::chrono::seconds(0), std::chrono::seconds(1), [&] { ++runs; });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  }
  int seen = runs.load();
  CHECK(seen >= 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  CHECK(runs.load() == seen);  // stopped with the scheduler
}

TEST_CASE("retry backoff: 1, 2, 4 … up to the cap after failures; a success starts over") {
  using std::chrono::seconds;
  jobs::Backoff b(seconds(60), seconds(3600));
  for (int want : {60, 120, 240, 480, 960, 1920, 3600, 3600})
    CHECK(b.after_failure().count() == want);
  b.succeeded();
  CHECK(b.current().count() == 0);
  CHECK(b.after_failure().count() == 60);
}
