#pragma once
// The HTTP adapter: the services it serves, the request dispatcher (auth, CSRF, body limits,
// errors, security headers, access log without personal data) and the route tables.

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>

#include "app/auth.h"
#include "app/case_service.h"
#include "app/dashboard.h"
#include "app/office.h"
#include "app/queues.h"
#include "app/report_writer.h"
#include "app/reports.h"
#include "app/web_ports.h"
#include "http/router.h"
#include "http/views.h"

namespace ogi::http {

// A deadline for each request's head and body together: Poco's timeout applies to each read, so
// a client sending one byte at a time would hold a thread for ever (slowloris). A watchdog
// thread shuts down the connection of any request not fully received in time.
class Deadlines {
 public:
  // `head_limit`: the time a connection has to send a request's head (at most `limit`); once the
  // head is in, head and body together get `limit` from then (issue 18, finding 3: idle
  // connections do not hold a worker for the whole request timeout).
  explicit Deadlines(std::chrono::milliseconds limit,
                     std::chrono::milliseconds head_limit = std::chrono::seconds(5));
  ~Deadlines();
  void arm(const Poco::Net::StreamSocket&
               s);  // the next request's head must arrive within the head limit
  void head_received(const Poco::Net::StreamSocket& s);  // then its body within the full limit
  void disarm(const Poco::Net::StreamSocket& s);         // received: the handler may take its time
  std::chrono::milliseconds limit() const { return limit_; }

 private:
  void watch();
  std::chrono::milliseconds limit_, head_limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<Poco::Net::SocketImpl*,
           std::pair<Poco::Net::StreamSocket, std::chrono::steady_clock::time_point>>
      armed_;
  std::thread thread_;
};

struct Services {
  const Workflow& workflow;
  Calendar& calendar;  // replaced in place on import, under the exclusive lock
  const Clock& clock;
  CaseService& case_service;
  AuthService& auth;
  DashboardService& dashboard;
  OfficeService& office;         // lists, attachments, audit trail, administration, calendar import
  const Views* views = nullptr;  // page templates (templates/ui)
  LetterService* letters = nullptr;  // letters (文书) and their templates
  ReportService* reports = nullptr;
  QueueService* queues = nullptr;  // 我的待办's sections
  const ReportWriter* report_writer =
      nullptr;  // report files, CSV exports and charts (src/reports)  // annual report, statistics,
                // period locks
  bool secure_cookies = false;  // behind TLS
  size_t max_upload = 20 << 20;
  std::shared_mutex calendar_lock;   // shared by every request; exclusive for calendar import
  Deadlines* deadlines = nullptr;    // set by HttpServer
  int head_timeout_seconds = 5;      // ogi.header_timeout_seconds
  int connections_per_address = 32;  // ogi.connections_per_address (trusted proxies are exempt)
  bool access_log = false;  // one log line per request (route pattern, status, time, user id)
  std::vector<std::string>
      trusted_proxies;  // peers whose X-Forwarded-For is believed (--trusted-proxy)
};

// The client's address: the peer's, or, when the peer is a trusted proxy, the last entry of
// X-Forwarded-For that is not itself a trusted proxy (a forged header from anyone else is ignored).
std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted);

// Shared by the UI route files: the data every page has (user, CSRF token, navigation), the
// submitted form, and an error as the UI words it.
Data page_base(const Services& s, const Request& req, const std::string& title);
std::map<std::string, std::string> page_form(const Request& req);
std::string page_message(const Error& e);

// A letter's print page (its own CSP: inline A4 style, no scripts; framable by the UI).
// A letter's print view: the letter with a toolbar (打印, and 返回 to `back` when given).
Response letter_page(std::string html, const std::string& back = "");
// A letter not yet issued (the reply before 签发, the drafts of a confirmation): watermarked 样稿.
Response draft_page(std::string html, const std::string& back = "");

// Builds every route (API and UI).
Router build_routes(Services& s);
void add_api_routes(Router& r, Services& s);
void add_ui_routes(Router& r, Services& s);
void add_calendar_routes(Router& r, Services& s);  // API and page (calendar_routes.cpp)

// Creates the request handler factory serving `router` (owned by the caller).
Poco::Net::HTTPRequestHandlerFactory* make_factory(const Router& router, Services& s);

// The server: Poco's HTTP connections, each request under the deadline (`params` timeout).
class HttpServer {
 public:
  HttpServer(const Router& router, Services& s, Poco::ThreadPool& pool,
             const Poco::Net::ServerSocket& socket, Poco::Net::HTTPServerParams::Ptr params);
  ~HttpServer();
  void start();
  // No new connections; requests in flight are answered, then their connections close.
  void stop();

 private:
  Deadlines deadlines_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
  std::unique_ptr<Poco::Net::TCPServer> server_;
};

// Checks an uploaded file spooled to disk (name, type, not empty), stores it once per SHA-256
// and records it.
Result<Attachment> store_attachment_file(Services& s, const Request& req, long long case_id,
                                         std::string name, const std::string& mime,
                                         const std::string& path);

// A failed login in the audit trail, aggregated: the first failure from an address in the window,
// then the one reaching the account limit and the one reaching the address limit; refused
// (throttled) attempts write nothing. The name is cut on a character boundary.
void audit_login_failure(Services& s, const Request& req, const std::string& username,
                         const LoginAttempt& a);

// Audit helper: who (username), what, target, from where.
void audit(Services& s, const Request& req, const std::string& action, const std::string& target,
           const std::string& detail = "");
// A read of personal data (case page, letter, attachment), queued: the request never waits.
void audit_read(Services& s, const Request& req, const std::string& action,
                const std::string& target, const std::string& detail = "");

}  // namespace ogi::http
