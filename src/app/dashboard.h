#pragma once
// 我的待办: open cases grouped by urgency, with the sub-deadlines that are running, and the daily
// sweep that raises alerts for lapsed deadlines (it never concludes a case by itself).

#include <array>
#include <mutex>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/web_ports.h"

namespace ogi {

struct DashboardItem {
  CaseView view;
  Urgency bucket = Urgency::unknown;  // domain standing() of its stored due date
};

struct Dashboard {
  // Most urgent first; at most `shown_per_bucket` per bucket carry the full clock (the counts
  // below cover all open cases, bucketed from the stored projection).
  std::vector<DashboardItem> items;
  int shown_per_bucket = 20;
  std::vector<std::pair<std::string, long long>> by_state;
  std::array<int, 5> counts{};  // open cases per Urgency (indexed by it)
  int count(Urgency u) const { return counts[static_cast<size_t>(u)]; }
};

// Notifier port: SMTP and webhook implementations live in src/jobs.
class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual Status send(const std::string& subject, const std::string& body) = 0;
};

class DashboardService {
 public:
  DashboardService(CaseStore& cases, QueryStore& queries, CaseService& svc, const Calendar& cal,
                   const Clock& clock)
      : cases_(cases), queries_(queries), svc_(svc), cal_(cal), clock_(clock) {}

  Result<Dashboard> for_user(const User& u);
  // Only the counts of the user's cases by state (the dashboard page's overview bar; its lists
  // are the queues, app/queues.h).
  std::vector<std::pair<std::string, long long>> state_counts(const User& u) {
    return queries_.count_by_state(u.agencies_visible);
  }
  // Raises an alert for every lapsed sub-deadline and every overdue reply of every open case;
  // each (case, kind, due date) once. Sends the new ones through `notifier` if given.
  // Returns the number of new alerts.
  Result<int> sweep(Notifier* notifier);

  // Sends every alert of these agencies not sent yet, marking each sent only once a channel took
  // it. The sweep calls it; between sweeps the server calls it again with backoff while some
  // fail (issue 18, finding 7), so a reminder is never lost and never waits a whole day.
  struct Delivery {
    int sent = 0, failed = 0;
  };
  Delivery deliver(Notifier& notifier, const std::vector<std::string>& agencies);

 private:
  CaseStore& cases_;
  QueryStore& queries_;
  CaseService& svc_;
  const Calendar& cal_;
  const Clock& clock_;
  std::mutex deliver_mu_;  // the sweep and the retry job never send the same alert twice at once
};

}  // namespace ogi
