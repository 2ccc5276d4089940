#include "app/dashboard.h"

#include <algorithm>

namespace ogi {

Result<Dashboard> DashboardService::for_user(const User& u) {
  Dashboard d;
  for (long long id : queries_.open_case_ids_of(u.agencies_visible)) {
    auto v = svc_.show(u, id);
    if (!v) return v.error();
    DashboardItem item{*v, "unknown"};
    const ClockView& k = v->clock;
    if (k.overdue) {
      item.bucket = "overdue";
      ++d.overdue;
    } else if (k.days_left && *k.days_left <= 3) {
      item.bucket = "due3";
      ++d.due3;
    } else if (k.days_left && *k.days_left <= 7) {
      item.bucket = "due7";
      ++d.due7;
    } else if (k.due_on) {
      item.bucket = "later";
      ++d.later;
    } else {
      ++d.unknown;
    }
    d.items.push_back(std::move(item));
  }
  auto rank = [](const std::string& b) {
    return b == "overdue" ? 0 : b == "due3" ? 1 : b == "due7" ? 2 : b == "unknown" ? 3 : 4;
  };
  std::stable_sort(d.items.begin(), d.items.end(), [&](auto& a, auto& b) {
    if (rank(a.bucket) != rank(b.bucket)) return rank(a.bucket) < rank(b.bucket);
    auto da = a.view.clock.due_on, db = b.view.clock.due_on;
    return da && db ? *da < *db : bool(da);
  });
  d.by_state = queries_.count_by_state(u.agencies_visible);
  return d;
}

Result<int> DashboardService::sweep(Notifier* notifier) {
  const Date today = clock_.today();
  int raised = 0;
  for (long long id : cases_.open_case_ids()) {
    auto c = cases_.load_case(id);
    if (!c) return c.error();
    // The sweep acts for the system: it reads every agency's cases, writes only alerts.
    User system{0, "system", "system", c->agency, {}, "", {c->agency}};
    auto v = svc_.show(system, id);
    if (!v) return v.error();
    auto raise = [&](const std::string& kind, const Date& due, const std::string& what) {
      std::string msg = v->c.number + "：" + what + "已于 " + format_date(due) + " 届满";
      if (queries_.raise_alert(id, kind, format_date(due), format_date(today), msg)) {
        ++raised;
        if (notifier) (void)notifier->send("【政府信息公开】期限提醒 " + v->c.number, msg);
      }
    };
    for (auto& s : v->clock.sub_deadlines)  // the 7-day notice window is shown, not alerted
      if (s.lapsed && s.due_on && s.kind != "correction_notice") raise(s.kind, *s.due_on, s.label);
    if (v->clock.overdue && v->clock.due_on) raise("reply", *v->clock.due_on, "答复期限");
  }
  return raised;
}

}  // namespace ogi
