#include "jobs/notifiers.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/URI.h>

#include <sstream>

namespace ogi::jobs {

Status SmtpNotifier::send(const std::string& subject, const std::string& body) {
  try {
    Poco::Net::SMTPClientSession session(host_, static_cast<Poco::UInt16>(port_));
    session.login();
    Poco::Net::MailMessage msg;
    msg.setSender(from_);
    msg.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, to_));
    msg.setSubject(Poco::Net::MailMessage::encodeWord(subject, "UTF-8"));
    msg.setContentType("text/plain; charset=UTF-8");
    msg.setContent(body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    session.sendMessage(msg);
    session.close();
    return {};
  } catch (const Poco::Exception& e) {
    return make_error(Code::internal, "SMTP reminder to " + host_ + " failed: " + e.displayText());
  }
}

Status WebhookNotifier::send(const std::string& subject, const std::string& body) {
  try {
    Poco::URI uri(url_);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                               Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::JSON::Object o;
    o.set("subject", subject);
    o.set("text", body);
    std::ostringstream json;
    o.stringify(json);
    req.setContentType("application/json; charset=utf-8");
    req.setContentLength(static_cast<std::streamsize>(json.str().size()));
    session.sendRequest(req) << json.str();
    Poco::Net::HTTPResponse res;
    session.receiveResponse(res).ignore(1 << 20);
    if (res.getStatus() / 100 != 2)
      return make_error(Code::internal,
                        "webhook answered " + std::to_string(static_cast<int>(res.getStatus())));
    return {};
  } catch (const Poco::Exception& e) {
    return make_error(Code::internal, "webhook reminder failed: " + e.displayText());
  }
}

}  // namespace ogi::jobs
