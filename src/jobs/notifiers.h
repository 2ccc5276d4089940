#pragma once
// Reminder channels: e-mail over SMTP and an HTTP webhook (SMS gateways, office messaging).
// Both implement the app's Notifier port; failures come back as values.
#include <string>

#include "app/dashboard.h"

namespace ogi::jobs {

class SmtpNotifier final : public Notifier {
 public:
  SmtpNotifier(std::string host, int port, std::string from, std::string to)
      : host_(std::move(host)), port_(port), from_(std::move(from)), to_(std::move(to)) {}
  Status send(const std::string& subject, const std::string& body) override;

 private:
  std::string host_;
  int port_;
  std::string from_, to_;
};

class WebhookNotifier final : public Notifier {
 public:
  explicit WebhookNotifier(std::string url) : url_(std::move(url)) {}
  // POSTs {"subject": ..., "text": ...} as JSON; any 2xx is success.
  Status send(const std::string& subject, const std::string& body) override;

 private:
  std::string url_;
};

}  // namespace ogi::jobs
