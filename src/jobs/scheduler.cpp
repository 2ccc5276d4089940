#include "jobs/scheduler.h"

#include <iostream>
#include <typeinfo>

#include "log/log.h"

namespace ogi::jobs {

Scheduler::Scheduler(std::chrono::seconds first, std::chrono::seconds interval,
                     std::function<void()> job)
    : timer_(io_), interval_(interval), job_(std::move(job)) {
  arm(first);
  thread_ = std::thread([this] { io_.run(); });
}

Scheduler::~Scheduler() {
  boost::asio::post(io_, [this] { timer_.cancel(); });
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::arm(std::chrono::seconds after) {
  timer_.expires_after(after);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled
    try {
      job_();
    } catch (const std::exception& e) {
      log::error("job.failed", {{"type", typeid(e).name()}});
    }
    arm(interval_);
  });
}

}  // namespace ogi::jobs
