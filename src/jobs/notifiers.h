#pragma once
// Reminder channels: e-mail over SMTP and an HTTP webhook (SMS gateways, office messaging).
// Both implement the app's Notifier port; failures come back as values (the sweep retries every
// reminder not yet sent at its next run, issue 18 finding 7).
//
// TLS: an https:// webhook and SMTP with STARTTLS verify the server's certificate against the
// system's CAs, or against `ca_file` (a private CA); a server that does not offer STARTTLS when
// it is required is refused, never fallen back to plain text. SMTP credentials are sent only
// over TLS.
#include <string>

#include "app/dashboard.h"

namespace ogi::jobs {

struct SmtpSettings {
  std::string host;
  int port = 25;
  std::string from, to;
  bool starttls = false;  // require STARTTLS (on whenever a user is given)
  std::string user, password;
  std::string ca_file;  // "" = the system's CAs
};

class SmtpNotifier final : public Notifier {
 public:
  explicit SmtpNotifier(SmtpSettings s) : s_(std::move(s)) {}
  SmtpNotifier(std::string host, int port, std::string from, std::string to)
      : s_{std::move(host), port, std::move(from), std::move(to)} {}
  Status send(const std::string& subject, const std::string& body) override;

 private:
  SmtpSettings s_;
};

class WebhookNotifier final : public Notifier {
 public:
  explicit WebhookNotifier(std::string url, std::string ca_file = "")
      : url_(std::move(url)), ca_file_(std::move(ca_file)) {}
  // POSTs {"subject": ..., "text": ...} as JSON (http:// or https://); any 2xx is success.
  Status send(const std::string& subject, const std::string& body) override;

 private:
  std::string url_, ca_file_;
};

}  // namespace ogi::jobs
