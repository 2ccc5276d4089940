// The request deadline (server.h: Deadlines) and the server built on it (HttpServer).
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <algorithm>
#include <map>

#include "http/server.h"

namespace ogi::http {

Deadlines::Deadlines(std::chrono::milliseconds limit, std::chrono::milliseconds head_limit)
    : limit_(limit), head_limit_(std::min(limit, head_limit)), thread_([this] { watch(); }) {}

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
  armed_[s.impl()] = {s, std::chrono::steady_clock::now() + head_limit_};
}

void Deadlines::head_received(const Poco::Net::StreamSocket& s) {
  std::lock_guard l(mu_);
  auto it = armed_.find(s.impl());
  if (it != armed_.end()) it->second.second = std::chrono::steady_clock::now() + limit_;
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

// Open connections per client address: one address may not hold every worker (idle sockets
// made /healthz wait). Trusted proxies (nginx's upstream connections) are not counted.
class ConnectionCounter {
 public:
  ConnectionCounter(int cap, std::vector<std::string> exempt)
      : cap_(cap), exempt_(std::move(exempt)) {}
  bool enter(const std::string& addr) {
    if (std::find(exempt_.begin(), exempt_.end(), addr) != exempt_.end()) return true;
    std::lock_guard l(mu_);
    if (open_[addr] >= cap_) return false;
    ++open_[addr];
    return true;
  }
  void leave(const std::string& addr) {
    if (std::find(exempt_.begin(), exempt_.end(), addr) != exempt_.end()) return;
    std::lock_guard l(mu_);
    if (--open_[addr] <= 0) open_.erase(addr);
  }

 private:
  int cap_;
  std::vector<std::string> exempt_;
  std::mutex mu_;
  std::map<std::string, int> open_;
};

// Poco's HTTP connection, armed from its first byte to its last.
class GuardedConnection final : public Poco::Net::HTTPServerConnection {
 public:
  GuardedConnection(const Poco::Net::StreamSocket& s, Poco::Net::HTTPServerParams::Ptr p,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr f, Deadlines& d, ConnectionCounter& c)
      : HTTPServerConnection(s, p, f), d_(d), c_(c) {}
  void run() override {
    std::string addr;
    try {
      addr = socket().peerAddress().host().toString();
    } catch (...) {
      return;
    }
    if (!c_.enter(addr)) {
      // Over the cap: a short answer, then the connection closes.
      try {
        static const std::string busy =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; "
            "charset=utf-8\r\nConnection: close\r\n"
            "Content-Length: 49\r\n\r\n同一地址的连接过多，请稍后再试。\n";
        socket().sendBytes(busy.data(), static_cast<int>(busy.size()));
        socket().shutdown();
      } catch (...) {
      }
      return;
    }
    d_.arm(socket());
    HTTPServerConnection::run();
    d_.disarm(socket());
    c_.leave(addr);
  }

 private:
  Deadlines& d_;
  ConnectionCounter& c_;
};

class GuardedFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  GuardedFactory(Poco::Net::HTTPServerParams::Ptr p, Poco::Net::HTTPRequestHandlerFactory::Ptr f,
                 Deadlines& d, int per_address, std::vector<std::string> exempt)
      : params_(p), factory_(f), d_(d), counter_(per_address, std::move(exempt)) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& s) override {
    return new GuardedConnection(s, params_, factory_, d_, counter_);
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
  Deadlines& d_;
  ConnectionCounter counter_;
};

}  // namespace

HttpServer::HttpServer(const Router& router, Services& s, Poco::ThreadPool& pool,
                       const Poco::Net::ServerSocket& socket,
                       Poco::Net::HTTPServerParams::Ptr params)
    : deadlines_(std::chrono::milliseconds(params->getTimeout().totalMilliseconds()),
                 std::chrono::seconds(s.head_timeout_seconds)),
      factory_(make_factory(router, s)) {
  s.deadlines = &deadlines_;
  server_ = std::make_unique<Poco::Net::TCPServer>(
      new GuardedFactory(params, factory_, deadlines_, s.connections_per_address,
                         s.trusted_proxies),
      pool, socket, params);
}

HttpServer::~HttpServer() { server_.reset(); }

void HttpServer::start() { server_->start(); }

}  // namespace ogi::http
