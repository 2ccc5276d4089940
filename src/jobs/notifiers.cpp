#include "jobs/notifiers.h"

#include <Poco/Environment.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/URI.h>

#include <memory>
#include <mutex>
#include <sstream>

namespace ogi::jobs {

namespace {
// OpenSSL once per process; a certificate that does not verify is rejected (never asked about).
void ensure_ssl() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    Poco::Net::SSLManager::InvalidCertificateHandlerPtr reject(
        new Poco::Net::RejectCertificateHandler(false));
    Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, nullptr);
  });
}

Poco::Net::Context::Ptr client_context(const std::string& ca_file) {
  ensure_ssl();
  Poco::Net::Context::Params p;
  p.caLocation = ca_file;
  p.loadDefaultCAs = ca_file.empty();
  p.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  p.cipherList = "HIGH:!aNULL:!MD5";
  Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
  ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  return ctx;
}

void compose(Poco::Net::MailMessage& msg, const SmtpSettings& s, const std::string& subject,
             const std::string& body) {
  msg.setSender(s.from);
  msg.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, s.to));
  msg.setSubject(Poco::Net::MailMessage::encodeWord(subject, "UTF-8"));
  msg.setContentType("text/plain; charset=UTF-8");
  msg.setContent(body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
}
}  // namespace

// Poco keeps the EHLO reply to itself; the extensions it lists decide whether STARTTLS is on offer.
class Session final : public Poco::Net::SecureSMTPClientSession {
 public:
  using SecureSMTPClientSession::SecureSMTPClientSession;
  std::string ehlo() {
    std::string reply;
    login(Poco::Environment::nodeName(), reply);
    return reply;
  }
};

Status SmtpNotifier::send(const std::string& subject, const std::string& body) {
  const bool tls = s_.starttls || !s_.user.empty();
  try {
    Session session(s_.host, static_cast<Poco::UInt16>(s_.port));
    session.setTimeout(Poco::Timespan(30, 0));
    const std::string extensions = session.ehlo();
    if (tls) {
      if (extensions.find("STARTTLS") == std::string::npos ||
          !session.startTLS(client_context(s_.ca_file))) {
        session.close();
        return make_error(Code::internal,
                          "SMTP server " + s_.host + " does not offer STARTTLS; nothing was sent");
      }
      if (!s_.user.empty())
        session.login(Poco::Net::SMTPClientSession::AUTH_LOGIN, s_.user, s_.password);
      else
        session.login();  // EHLO again, over TLS
    }
    Poco::Net::MailMessage msg;
    compose(msg, s_, subject, body);
    session.sendMessage(msg);
    session.close();
    return {};
  } catch (const Poco::Exception& e) {
    return make_error(Code::internal,
                      "SMTP reminder to " + s_.host + " failed: " + e.displayText());
  }
}

Status WebhookNotifier::send(const std::string& subject, const std::string& body) {
  try {
    Poco::URI uri(url_);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https")
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                client_context(ca_file_));
    else if (uri.getScheme() == "http")
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    else
      return make_error(Code::internal, "webhook URL must be http:// or https://");
    session->setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                               Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::JSON::Object o;
    o.set("subject", subject);
    o.set("text", body);
    std::ostringstream json;
    o.stringify(json);
    req.setContentType("application/json; charset=utf-8");
    req.setContentLength(static_cast<std::streamsize>(json.str().size()));
    session->sendRequest(req) << json.str();
    Poco::Net::HTTPResponse res;
    session->receiveResponse(res).ignore(1 << 20);
    if (res.getStatus() / 100 != 2)
      return make_error(Code::internal,
                        "webhook answered " + std::to_string(static_cast<int>(res.getStatus())));
    return {};
  } catch (const Poco::Exception& e) {
    return make_error(Code::internal, "webhook reminder failed: " + e.displayText());
  }
}

}  // namespace ogi::jobs
