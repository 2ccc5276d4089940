// Baseline for the HTTP page benchmarks (issue 6, run by deploy/bench.sh): a minimal
// Poco::Net::HTTPServer answering "ok" (text/plain) on every path, with exactly the server
// settings `ogi serve` uses (src/cli/serve_cmd.cpp): 64 threads at most, 512 queued, keep-alive
// with 200 requests and a 5 s timeout, 30 s request timeout, ThreadPool(2, 68), backlog 128.
// Usage: poco_hello PORT_FILE — listens on 127.0.0.1:0, writes the bound port to PORT_FILE,
// serves until SIGTERM or SIGINT.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <csignal>
#include <cstdio>
#include <fstream>

namespace {

class Ok final : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& res) override {
    res.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    res.setContentType("text/plain");
    res.setContentLength(2);
    res.send() << "ok";
  }
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Ok;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: poco_hello PORT_FILE\n");
    return 2;
  }
  // Block the stop signals before any thread starts, so that only sigwait below receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 128);
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(64);
  params->setMaxQueued(512);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(200);
  params->setKeepAliveTimeout(Poco::Timespan(5, 0));
  params->setTimeout(Poco::Timespan(30, 0));
  Poco::ThreadPool pool(2, 64 + 4);
  Poco::Net::HTTPServer server(new Factory, pool, socket, params);
  server.start();
  {
    std::ofstream pf(argv[1]);
    pf << socket.address().port() << "\n";
  }
  int sig = 0;
  sigwait(&stop, &sig);
  server.stop();
  pool.joinAll();
  return 0;
}
