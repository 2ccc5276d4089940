#pragma once
// A local HTTP(S) server that records each request body and answers 204: the webhook's far end
// in the reminder tests (notifier_test.cpp, tls_notifier_test.cpp).
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <mutex>
#include <string>
#include <vector>

namespace ogi::test {

struct WebhookSink {
  std::mutex mu;
  std::vector<std::string> bodies;
  struct Handler : Poco::Net::HTTPRequestHandler {
    WebhookSink& sink;
    explicit Handler(WebhookSink& s) : sink(s) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req,
                       Poco::Net::HTTPServerResponse& res) override {
      std::string body;
      Poco::StreamCopier::copyToString(req.stream(), body);
      {
        std::lock_guard l(sink.mu);
        sink.bodies.push_back(body);
      }
      res.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
      res.send();
    }
  };
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    WebhookSink& sink;
    explicit Factory(WebhookSink& s) : sink(s) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(sink);
    }
  };
  // Plain HTTP on a free loopback port, or whatever socket is given (a SecureServerSocket for
  // https://).
  explicit WebhookSink(
      Poco::Net::ServerSocket s = Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0)),
      std::string scheme = "http")
      : scheme_(std::move(scheme)), socket(std::move(s)) {
    server.start();
  }
  ~WebhookSink() { server.stopAll(true); }
  std::string url() const {
    return scheme_ + "://127.0.0.1:" + std::to_string(socket.address().port()) + "/hook";
  }

 private:
  std::string scheme_;

 public:
  Poco::Net::ServerSocket socket;
  Poco::Net::HTTPServer server{new Factory(*this), socket, new Poco::Net::HTTPServerParams};
};

}  // namespace ogi::test
