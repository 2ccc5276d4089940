// `ogi serve`: a Poco ServerApplication wiring the store, the services, the HTTP server and the
// background jobs. Configuration: a properties file (--config) with command-line overrides.
// SIGTERM/SIGINT: stop accepting, finish the requests in flight, stop the jobs, exit 0.
#include <Poco/AutoPtr.h>
#include <Poco/FileChannel.h>
#include <Poco/Message.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "app/auth.h"
#include "app/case_service.h"
#include "app/dashboard.h"
#include "app/letters.h"
#include "app/office.h"
#include "app/queues.h"
#include "app/reports.h"
#include "cli/commands.h"
#include "cli/env.h"
#include "http/server.h"
#include "http/views.h"
#include "jobs/notifiers.h"
#include "jobs/scheduler.h"
#include "letters/template_set.h"
#include "log/log.h"
#include "reports/exports.h"
#include "store/blob_files.h"
#include "store/sql_store.h"

namespace ogi {

namespace {

using Poco::Util::Option;

class ServeApp final : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    auto opt = [&](const char* name, const char* arg, const char* help) {
      options.addOption(Option(name, "", help)
                            .required(false)
                            .repeatable(false)
                            .argument(arg)
                            .binding(std::string("ogi.") + name));
    };
    opt("db", "PATH", "SQLite database");
    opt("listen", "HOST:PORT", "address to listen on (port 0: any free port)");
    opt("attachments", "DIR", "folder for attachments");
    opt("sweep-seconds", "N", "interval of the deadline sweep (default 86400)");
    opt("port-file", "FILE", "write the bound port here once listening");
    opt("trusted-proxy", "ADDR[,ADDR...]",
        "reverse proxies whose X-Forwarded-For gives the client address");
    options.addOption(
        Option("config", "", "configuration file (properties)")
            .required(false)
            .argument("FILE")
            .callback(Poco::Util::OptionCallback<ServeApp>(this, &ServeApp::load_config)));
  }

  void load_config(const std::string&, const std::string& file) {
    loadConfiguration(file, PRIO_DEFAULT);
  }

  int main(const std::vector<std::string>&) override {
    auto& cfg = config();
    std::string db = cfg.getString("ogi.db", "");
    if (db.empty()) {
      std::cerr << "ogi: serve needs --db PATH (or ogi.db in --config)\n";
      return 2;
    }
    // The log: JSON lines to a rotating file (ogi.log.file; rotated at ogi.log.rotate, default
    // 10 M; the newest ogi.log.keep, default 10, kept), or to standard error.
    Poco::AutoPtr<Poco::FileChannel> log_file;
    if (cfg.has("ogi.log.file")) {
      log_file = new Poco::FileChannel(cfg.getString("ogi.log.file"));
      log_file->setProperty("rotation", cfg.getString("ogi.log.rotate", "10 M"));
      log_file->setProperty("archive", "number");
      log_file->setProperty("purgeCount", cfg.getString("ogi.log.keep", "10"));
      log_file->setProperty("flush", "true");
      log_file->open();
      log::set_sink([ch = log_file](const std::string& line) mutable {
        ch->log(Poco::Message("ogi", line, Poco::Message::PRIO_INFORMATION));
      });
    }
    auto store = SqlStore::open(db, false);
    if (!store) return fail(store.error());
    auto wf = load_workflow();
    if (!wf) return fail(wf.error());
    auto cal = load_calendar(store->get());
    if (!cal) return fail(cal.error());
    auto views = http::Views::load(data_dir() + "/../templates/ui");
    if (!views) return fail(views.error());
    SystemClock clock;
    Calendar calendar = std::move(*cal);
    CaseService cases((*store)->cases(), *wf, calendar, clock);
    auto templates = load_letter_templates();
    if (!templates) return fail(templates.error());
    LetterService letters(**templates, (*store)->letters(), (*store)->cases(), *wf, calendar,
                          clock);
    if (Status st = letters.install_saved_templates(); !st) return fail(st.error());
    cases.set_letters(&letters);
    // Open cases stored without a due date (an older version left those past its calendar's
    // end blank) get theirs now.
    if (auto n = cases.refresh_open_cases(true); !n) return fail(n.error());
    ReportService reports((*store)->reports(), (*store)->cases(), (*store)->queries(), *wf,
                          calendar, clock);
    AuthSettings as;
    as.lifetime_minutes = cfg.getInt("ogi.session.minutes", 60);
    as.max_hours = cfg.getInt("ogi.session.max_hours", 12);
    AuthService auth((*store)->sessions(), (*store)->cases(), clock, as);
    DashboardService dash((*store)->cases(), (*store)->queries(), cases, calendar, clock);
    // Attachment bytes: one folder per database (PostgreSQL: the servers' shared folder).
    FileBlobs blobs(cfg.getString("ogi.attachments", db + ".attachments"));
    OfficeService office((*store)->cases(), (*store)->queries(), (*store)->admin(), cases, *wf,
                         calendar, clock, &blobs);
    http::Services services{*wf, calendar, clock, cases, auth, dash, office};
    services.views = &*views;
    services.letters = &letters;
    services.reports = &reports;
    QueueService queues((*store)->queries(), cases, *wf, calendar, clock);
    services.queues = &queues;
    const reports::Writer report_writer;
    services.report_writer = &report_writer;
    const bool pg = (*store)->engine() == detail::Engine::postgresql;
    if (pg && !cfg.has("ogi.attachments")) {
      // Several servers share one PostgreSQL database: they must share one attachments folder too.
      std::cerr << "ogi: with a PostgreSQL database, give the shared attachments folder "
                   "(--attachments DIR or ogi.attachments)\n";
      return 2;
    }
    services.secure_cookies = cfg.getBool("ogi.secure_cookies", false);
    services.access_log = cfg.getBool("ogi.log.access", std::getenv("OGI_ACCESS_LOG") != nullptr);
    services.head_timeout_seconds = cfg.getInt("ogi.header_timeout_seconds", 5);
    services.connections_per_address = cfg.getInt("ogi.connections_per_address", 32);
    {
      std::string list =
          cfg.getString("ogi.trusted-proxy", cfg.getString("ogi.trusted_proxies", ""));
      std::string cur;
      for (char c : list + ",") {
        if (c == ',' || c == ' ') {
          if (!cur.empty()) {
            Poco::Net::IPAddress ip;
            if (!Poco::Net::IPAddress::tryParse(cur, ip)) {
              std::cerr << "ogi: --trusted-proxy: not an IP address: " << cur << "\n";
              return 2;
            }
            services.trusted_proxies.push_back(ip.toString());
          }
          cur.clear();
        } else {
          cur += c;
        }
      }
    }
    http::Router router = http::build_routes(services);

    std::string listen = cfg.getString("ogi.listen", "127.0.0.1:8080");
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
      std::cerr << "ogi: --listen must be HOST:PORT\n";
      return 2;
    }
    Poco::Net::SocketAddress addr(listen.substr(0, colon),
                                  static_cast<Poco::UInt16>(std::stoi(listen.substr(colon + 1))));
    Poco::Net::ServerSocket socket(addr, 128);
    auto* params = new Poco::Net::HTTPServerParams;
    // perf-notes trap 1: one pool thread per keep-alive connection; bound both.
    params->setMaxThreads(cfg.getInt("ogi.threads", 64));
    params->setMaxQueued(512);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(200);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setTimeout(Poco::Timespan(cfg.getInt("ogi.request_timeout_seconds", 30), 0));
    Poco::ThreadPool pool(2, cfg.getInt("ogi.threads", 64) + 4);
    http::HttpServer server(router, services, pool, socket, params);
    server.start();

    // Reminders go to whichever channels are configured.
    std::unique_ptr<Notifier> smtp, hook;
    if (cfg.has("ogi.notify.smtp.host")) {
      jobs::SmtpSettings m;
      m.host = cfg.getString("ogi.notify.smtp.host");
      m.port = cfg.getInt("ogi.notify.smtp.port", 25);
      m.from = cfg.getString("ogi.notify.smtp.from", "ogi@localhost");
      m.to = cfg.getString("ogi.notify.smtp.to", "ogi-office@localhost");
      m.starttls = cfg.getBool("ogi.notify.smtp.starttls", false);
      m.user = cfg.getString("ogi.notify.smtp.user", "");
      // the password from a file of its own (not in the properties file others may read)
      if (cfg.has("ogi.notify.smtp.password-file")) {
        std::ifstream pf(cfg.getString("ogi.notify.smtp.password-file"));
        std::getline(pf, m.password);
      } else {
        m.password = cfg.getString("ogi.notify.smtp.password", "");
      }
      m.ca_file = cfg.getString("ogi.notify.smtp.ca", "");
      smtp = std::make_unique<jobs::SmtpNotifier>(std::move(m));
    }
    if (cfg.has("ogi.notify.webhook.url"))
      hook = std::make_unique<jobs::WebhookNotifier>(cfg.getString("ogi.notify.webhook.url"),
                                                     cfg.getString("ogi.notify.webhook.ca", ""));
    struct Fanout final : Notifier {
      std::vector<Notifier*> to;
      Status send(const std::string& s, const std::string& b) override {
        Status last;
        for (auto* n : to)
          if (Status r = n->send(s, b); !r) {
            log::error("notify.failed", {{"message", r.error().message}});
            last = r;
          }
        return last;
      }
    } fanout;
    if (smtp) fanout.to.push_back(smtp.get());
    if (hook) fanout.to.push_back(hook.get());
    // The daily sweep runs at ogi.sweep.hour (China Standard Time, default 01:00); a test or a
    // demonstration may set ogi.sweep-seconds to run it that often, starting after that long.
    std::chrono::seconds every(86400), first(0);
    if (cfg.has("ogi.sweep-seconds")) {
      every = first = std::chrono::seconds(std::max(1, cfg.getInt("ogi.sweep-seconds")));
    } else {
      long long now = clock.now_seconds() + 8 * 3600;  // CST
      long long at = cfg.getInt("ogi.sweep.hour", 1) * 3600LL;
      long long into_day = now % 86400;
      first = std::chrono::seconds(into_day < at ? at - into_day : 86400 - into_day + at);
    }
    // With several servers on one PostgreSQL database, one of them runs it (ogi.sweep.enabled).
    std::unique_ptr<jobs::Scheduler> sweep;
    if (cfg.getBool("ogi.sweep.enabled", true))
      sweep = std::make_unique<jobs::Scheduler>(first, every, [&] {
        std::shared_lock lock(services.calendar_lock);
        auto n = dash.sweep(fanout.to.empty() ? nullptr : &fanout);
        if (!n) log::error("sweep.failed", {{"message", n.error().message}});
      });

    // Reminders that failed to go out are retried between sweeps: every minute the retry job
    // looks for unsent alerts, and after a failure waits 1, 2, 4 … up to 60 minutes.
    std::unique_ptr<jobs::Scheduler> retry;
    jobs::Backoff backoff(std::chrono::minutes(1), std::chrono::minutes(60));
    auto next_try = std::chrono::steady_clock::now();
    if (!fanout.to.empty() && cfg.getBool("ogi.sweep.enabled", true)) {
      const auto tick =
          std::chrono::seconds(std::max(1, cfg.getInt("ogi.notify.retry-seconds", 60)));
      retry = std::make_unique<jobs::Scheduler>(tick, tick, [&] {
        if (std::chrono::steady_clock::now() < next_try) return;
        std::vector<std::string> codes;
        for (auto& a : (*store)->admin().agencies()) codes.push_back(a.code);
        const auto d = dash.deliver(fanout, codes);
        if (d.failed) {
          const auto wait = backoff.after_failure();
          next_try = std::chrono::steady_clock::now() + wait;
          log::warn("reminders.retry", {{"failed", std::to_string(d.failed)},
                                        {"seconds", std::to_string(wait.count())}});
        } else {
          backoff.succeeded();
        }
      });
    }

    // The nightly backup (ogi.backup.hour, default 02:00 China Standard Time) into ogi.backup.dir
    // (default DB.backups), keeping the newest ogi.backup.keep (default 14); off with
    // ogi.backup.keep=0.
    std::unique_ptr<jobs::Scheduler> backups;
    // On PostgreSQL backups are the database server's (pg_dump, base backups): docs/operations.md.
    if (const int keep = cfg.getInt("ogi.backup.keep", 14); keep > 0 && !pg) {
      const std::string dir = cfg.getString("ogi.backup.dir", db + ".backups");
      std::chrono::seconds bevery(86400), bfirst(0);
      if (cfg.has("ogi.backup-seconds")) {
        bevery = bfirst = std::chrono::seconds(std::max(1, cfg.getInt("ogi.backup-seconds")));
      } else {
        long long now = clock.now_seconds() + 8 * 3600;
        long long at = cfg.getInt("ogi.backup.hour", 2) * 3600LL, into_day = now % 86400;
        bfirst = std::chrono::seconds(into_day < at ? at - into_day : 86400 - into_day + at);
      }
      SqlStore* st = store->get();
      const std::string files = blobs.dir();
      backups = std::make_unique<jobs::Scheduler>(bfirst, bevery, [st, dir, keep, files, &clock] {
        std::string stamp = clock.now_timestamp();  // 2026-11-28T09:48:29Z → 20261128-094829
        stamp.erase(std::remove_if(stamp.begin(), stamp.end(),
                                   [](char c) { return c == '-' || c == ':' || c == 'Z'; }),
                    stamp.end());
        std::replace(stamp.begin(), stamp.end(), 'T', '-');
        if (Status s = nightly_backup(*st, dir, keep, stamp, files); !s)
          log::error("backup.failed", {{"message", s.error().message}});
        else
          log::info("backup.done", {{"dir", dir}});
      });
    }

    int port = socket.address().port();
    log::info("serve.start", {{"listen", listen.substr(0, colon) + ":" + std::to_string(port)},
                              {"db", detail::shown_db(db)},
                              {"engine", pg ? "postgresql" : "sqlite"}});
    std::cout << "ogi: serving on http://" << listen.substr(0, colon) << ":" << port
              << "/ (database " << detail::shown_db(db) << ")" << std::endl;
    // Plain HTTP on an address others can reach, with no proxy in front: say so, every start.
    if (!addr.host().isLoopback() && services.trusted_proxies.empty()) {
      log::warn("serve.exposed", {{"listen", listen.substr(0, colon)}});
      std::cerr << "ogi: warning: listening on " << listen.substr(0, colon)
                << " without --trusted-proxy: this server speaks plain HTTP and must sit behind "
                   "the TLS proxy (deploy/nginx); publish its port on loopback only\n";
    }
    if (cfg.has("ogi.port-file")) {
      std::ofstream pf(cfg.getString("ogi.port-file"));
      pf << port << "\n";
    }
    waitForTerminationRequest();
    std::cout << "ogi: stopping (finishing requests in flight)" << std::endl;
    log::info("serve.stop");
    server.stop();  // stop accepting; running requests complete
    pool.joinAll();
    return EXIT_OK;
  }
};

}  // namespace

int cmd_serve(int argc, char** argv) {
  ServeApp app;
  return app.run(argc - 1, argv + 1);
}

}  // namespace ogi
