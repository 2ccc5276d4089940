// The reminder channels over TLS (issue 18, finding 7), against local servers this test starts
// with a test-only certificate (tests/fixtures/tls, self-signed for 127.0.0.1): SMTP with
// STARTTLS and AUTH LOGIN, and an https:// webhook. The password never crosses in clear text, a
// server without STARTTLS or with an untrusted certificate gets nothing.
#include <Poco/Base64Decoder.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/StreamCopier.h>
#include <doctest/doctest.h>

#include <mutex>
#include <sstream>
#include <thread>

#include "jobs/notifiers.h"
#include "jobs/webhook_sink.h"

using namespace ogi;

namespace {

const std::string kCert = std::string(OGI_SOURCE_DIR) + "/tests/fixtures/tls/test-cert.pem";
const std::string kKey = std::string(OGI_SOURCE_DIR) + "/tests/fixtures/tls/test-key.pem";

Poco::Net::Context::Ptr server_context() {
  Poco::Net::initializeSSL();
  Poco::Net::Context::Params p;
  p.privateKeyFile = kKey;
  p.certificateFile = kCert;
  p.verificationMode = Poco::Net::Context::VERIFY_NONE;
  p.loadDefaultCAs = false;
  return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, p);
}

std::string unbase64(const std::string& s) {
  std::istringstream in(s);
  Poco::Base64Decoder d(in);
  std::string out;
  Poco::StreamCopier::copyToString(d, out);
  return out;
}

// One-connection SMTP server that offers STARTTLS (or not) and AUTH LOGIN after it.
struct TlsSmtpSink {
  Poco::Net::ServerSocket server{Poco::Net::SocketAddress("127.0.0.1", 0)};
  bool offer_tls;
  std::string data, user, password, clear_text;  // clear_text: all the client sent before TLS
  bool tls = false, auth_before_tls = false;
  std::thread t;
  explicit TlsSmtpSink(bool offer) : offer_tls(offer) {
    auto ctx = server_context();
    t = std::thread([this, ctx] {
      try {
        Poco::Net::StreamSocket plain = server.acceptConnection();
        plain.setReceiveTimeout(Poco::Timespan(10, 0));
        Poco::Net::StreamSocket s = plain;
        auto io = std::make_unique<Poco::Net::SocketStream>(s);
        auto say = [&](const std::string& l) { *io << l << "\r\n" << std::flush; };
        auto read = [&](std::string& line) {
          if (!std::getline(*io, line)) return false;
          if (!line.empty() && line.back() == '\r') line.pop_back();
          if (!tls) clear_text += line + "\n";
          return true;
        };
        say("220 sink ESMTP");
        std::string line;
        bool in_data = false;
        while (read(line)) {
          if (in_data) {
            if (line == ".") {
              in_data = false;
              say("250 queued");
            } else {
              data += line + "\n";
            }
            continue;
          }
          const std::string cmd = line.substr(0, 4);
          if (cmd == "EHLO") {
            if (offer_tls && !tls)
              say("250-sink"), say("250 STARTTLS");
            else
              say("250-sink"), say("250 AUTH LOGIN PLAIN");
          } else if (line == "STARTTLS" && offer_tls) {
            say("220 go ahead");
            io.reset();
            s = Poco::Net::SecureStreamSocket::attach(plain, ctx);
            io = std::make_unique<Poco::Net::SocketStream>(s);
            tls = true;
          } else if (line.rfind("AUTH LOGIN", 0) == 0) {
            if (!tls) auth_before_tls = true;
            say("334 VXNlcm5hbWU6");
            read(line);
            user = unbase64(line);
            say("334 UGFzc3dvcmQ6");
            read(line);
            password = unbase64(line);
            say("235 ok");
          } else if (cmd == "DATA") {
            in_data = true;
            say("354 go");
          } else if (cmd == "QUIT") {
            say("221 bye");
            break;
          } else {
            say("250 ok");
          }
        }
      } catch (...) {  // the client gave up (an untrusted certificate): nothing more to record
      }
    });
  }
  int port() const { return server.address().port(); }
  ~TlsSmtpSink() {
    if (t.joinable()) t.join();
  }
};

jobs::SmtpSettings settings(int port, std::string ca) {
  jobs::SmtpSettings m;
  m.host = "127.0.0.1";
  m.port = port;
  m.from = "ogi@example.org";
  m.to = "office@example.org";
  m.starttls = true;
  m.user = "reminder-bot";
  m.password = "s3cret-passw0rd";
  m.ca_file = std::move(ca);
  return m;
}

}  // namespace

TEST_CASE("SMTP: STARTTLS first, then AUTH LOGIN and the message, all over TLS") {
  TlsSmtpSink sink(true);
  jobs::SmtpNotifier n(settings(sink.port(), kCert));
  Status s = n.send("期限提醒 测〔2024〕第1号", "答复期限已于 2024-03-29 届满");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  sink.t.join();
  CHECK(sink.tls);
  CHECK_FALSE(sink.auth_before_tls);
  CHECK(sink.user == "reminder-bot");
  CHECK(sink.password == "s3cret-passw0rd");
  CHECK(sink.data.find("2024-03-29") != std::string::npos);
  // before TLS the client said only EHLO and STARTTLS: no credentials, no mail
  CHECK(sink.clear_text.find("AUTH") == std::string::npos);
  CHECK(sink.clear_text.find("MAIL") == std::string::npos);
}

TEST_CASE("SMTP: a server that offers no STARTTLS gets neither the password nor the mail") {
  TlsSmtpSink sink(false);
  jobs::SmtpNotifier n(settings(sink.port(), kCert));
  Status s = n.send("期限提醒", "正文");
  REQUIRE_FALSE(s.ok());
  CAPTURE(s.error().message);
  CHECK(s.error().message.find("STARTTLS") != std::string::npos);
  sink.t.join();
  CHECK(sink.user.empty());
  CHECK(sink.data.empty());
  CHECK(sink.clear_text.find("s3cret") == std::string::npos);
}

TEST_CASE("SMTP: a certificate the client does not trust stops the send") {
  TlsSmtpSink sink(true);
  // the system's CAs do not include the test certificate
  jobs::SmtpNotifier n(settings(sink.port(), ""));
  REQUIRE_FALSE(n.send("期限提醒", "正文").ok());
  sink.t.join();
  CHECK(sink.user.empty());
  CHECK(sink.data.empty());
}

TEST_CASE("webhook: https:// with the server's CA delivers; an untrusted certificate does not") {
  test::WebhookSink sink(
      Poco::Net::SecureServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, server_context()),
      "https");
  jobs::WebhookNotifier ok(sink.url(), kCert);
  Status s = ok.send("期限提醒", "补正期限已届满");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  {
    std::lock_guard l(sink.mu);
    REQUIRE(sink.bodies.size() == 1);
    CHECK(sink.bodies[0].find("补正期限已届满") != std::string::npos);
  }
  jobs::WebhookNotifier untrusted(sink.url());
  CHECK_FALSE(untrusted.send("期限提醒", "x").ok());
  jobs::WebhookNotifier bad_scheme("ftp://127.0.0.1/hook");
  CHECK_FALSE(bad_scheme.send("期限提醒", "x").ok());
  std::lock_guard l(sink.mu);
  CHECK(sink.bodies.size() == 1);
}
