#pragma once
// Background jobs on a Boost.Asio timer, in one thread of their own: the deadline sweep runs once
// shortly after start and then every `interval`. Stops cleanly on destruction.
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <thread>

namespace ogi::jobs {

// The wait before the next try of something that failed: `first` after the first failure,
// doubling up to `most`; a success starts over.
class Backoff {
 public:
  Backoff(std::chrono::seconds first, std::chrono::seconds most) : first_(first), most_(most) {}
  std::chrono::seconds after_failure() {
    current_ = current_.count() == 0 ? first_ : std::min(current_ * 2, most_);
    return current_;
  }
  void succeeded() { current_ = std::chrono::seconds(0); }
  std::chrono::seconds current() const { return current_; }

 private:
  std::chrono::seconds first_, most_, current_{0};
};

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
