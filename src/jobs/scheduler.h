#pragma once
// Background jobs on a Boost.Asio timer, in one thread of their own: the deadline sweep runs once
// shortly after start and then every `interval`. Stops cleanly on destruction.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <thread>

namespace ogi::jobs {

class Scheduler {
 public:
  Scheduler(std::chrono::seconds first, std::chrono::seconds interval, std::function<void()> job);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

 private:
  void arm(std::chrono::seconds after);
  boost::asio::io_context io_;
  boost::asio::steady_timer timer_;
  std::chrono::seconds interval_;
  std::function<void()> job_;
  std::thread thread_;
};

}  // namespace ogi::jobs
