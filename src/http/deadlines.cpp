// The request deadline (server.h: Deadlines) and the server built on it (HttpServer).
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include "http/server.h"

namespace ogi::http {

Deadlines::Deadlines(std::chrono::milliseconds limit) : limit_(limit), thread_([this] { watch(); }) {}

Deadlines::~Deadlines() {
  {
    std::lock_guard l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Deadlines::arm(const Poco::Net::StreamSocket& s) {
  std::lock_guard l(mu_);
  armed_[s.impl()] = {s, std::chrono::steady_clock::now() + limit_};
}

void Deadlines::disarm(const Poco::Net::StreamSocket& s) {
  std::lock_guard l(mu_);
  armed_.erase(s.impl());
}

void Deadlines::watch() {
  std::unique_lock l(mu_);
  while (!stop_) {
    cv_.wait_for(l, std::chrono::milliseconds(100));
    const auto now = std::chrono::steady_clock::now();
    for (auto it = armed_.begin(); it != armed_.end();) {
      if (it->second.second <= now) {
        try {
          it->second.first.shutdown();  // the connection's blocked read returns; it then closes
        } catch (...) {
        }
        it = armed_.erase(it);
      } else {
        ++it;
      }
    }
  }
}

namespace {

// Poco's HTTP connection, armed from its first byte to its last.
class GuardedConnection final : public Poco::Net::HTTPServerConnection {
 public:
  GuardedConnection(const Poco::Net::StreamSocket& s, Poco::Net::HTTPServerParams::Ptr p,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr f, Deadlines& d)
      : HTTPServerConnection(s, p, f), d_(d) {}
  void run() override {
    d_.arm(socket());
    HTTPServerConnection::run();
    d_.disarm(socket());
  }

 private:
  Deadlines& d_;
};

class GuardedFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  GuardedFactory(Poco::Net::HTTPServerParams::Ptr p, Poco::Net::HTTPRequestHandlerFactory::Ptr f, Deadlines& d)
      : params_(p), factory_(f), d_(d) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& s) override {
    return new GuardedConnection(s, params_, factory_, d_);
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
  Deadlines& d_;
};

}  // namespace

HttpServer::HttpServer(const Router& router, Services& s, Poco::ThreadPool& pool, const Poco::Net::ServerSocket& socket,
                       Poco::Net::HTTPServerParams::Ptr params)
    : deadlines_(std::chrono::milliseconds(params->getTimeout().totalMilliseconds())),
      factory_(make_factory(router, s)) {
  s.deadlines = &deadlines_;
  server_ = std::make_unique<Poco::Net::TCPServer>(new GuardedFactory(params, factory_, deadlines_), pool, socket, params);
}

HttpServer::~HttpServer() { server_.reset(); }

void HttpServer::start() { server_->start(); }

}  // namespace ogi::http
