#include "app/dashboard.h"

#include <algorithm>
#include <map>
#include <set>

namespace ogi {

Result<Dashboard> DashboardService::for_user(const User& u) {
  Dashboard d;
  const Date today = clock_.today();
  std::map<Urgency, int> shown;
  for (const auto& [id, due_on] : queries_.open_due_dates(u.agencies_visible)) {
    // Bucket from the stored due date (refreshed by every event and by the daily sweep).
    const Urgency urgency = standing(cal_, due_on, today).urgency;
    ++d.counts[static_cast<size_t>(urgency)];
    if (shown[urgency]++ >= d.shown_per_bucket) continue;
    auto v = svc_.show(u, id);  // full clock with the running sub-deadlines
    if (!v) return v.error();
    d.items.push_back(DashboardItem{*v, urgency});
  }
  d.by_state = queries_.count_by_state(u.agencies_visible);
  return d;
}

Result<int> DashboardService::sweep(Notifier* notifier) {
  const Date today = clock_.today();
  int raised = 0;
  // From 1 November while next year's notice is missing: one reminder a week to the administrators.
  if (auto year = missing_notice_year(cal_, today); year && notifier) {
    const Date monday = today - boost::gregorian::days((today.day_of_week().as_number() + 6) % 7);
    const std::string key = std::to_string(*year) + "/" + format_date(monday);
    if (queries_.claim_reminder("calendar_notice", key, clock_.now_timestamp())) {
      const std::string y = std::to_string(*year);
      Status sent = notifier->send(
          "【政府信息公开】请导入" + y + "年节假日安排",
          "系统尚未导入《国务院办公厅关于" + y + "年部分节假日安排的通知》。" + y +
              "年的到期日目前按《全国年节及纪念日放假办法》规定的法定节假日暂定推算（不含调休），"
              "可能与正式安排相差数日。通知发布后，请系统管理员在“节假日日历”页粘贴通知全文导入，"
              "在办案件的到期日将自动重新计算。");
      if (!sent)
        (void)queries_.release_reminder("calendar_notice", key);
      else
        ++raised;
    }
  }
  // Provisional due dates move while a pause is open: refresh every open case's projection.
  if (auto r = svc_.refresh_open_cases(); !r) return r.error();
  std::set<std::string> agencies;
  for (long long id : cases_.open_case_ids()) {
    auto c = cases_.load_case(id);
    if (!c) return c.error();
    // The sweep acts for the system: it reads every agency's cases, writes only alerts.
    User system{0, "system", "system", c->agency, {}, "", {c->agency}};
    auto v = svc_.show(system, id);
    if (!v) return v.error();
    agencies.insert(c->agency);
    auto raise = [&](const std::string& kind, const Date& due, const std::string& what) {
      std::string msg = v->c.number + "：" + what + "已于 " + format_date(due) + " 届满";
      if (queries_.raise_alert(id, kind, format_date(due), format_date(today), msg)) ++raised;
    };
    for (auto& s : v->clock.sub_deadlines)  // the 7-day notice window is shown, not alerted
      if (s.lapsed && s.due_on && s.kind != "correction_notice") raise(s.kind, *s.due_on, s.label);
    if (v->clock.overdue && v->clock.due_on) raise("reply", *v->clock.due_on, "答复期限");
  }
  // Every alert not yet sent goes out now; what fails is retried (deliver()).
  if (notifier && !agencies.empty())
    deliver(*notifier, std::vector<std::string>(agencies.begin(), agencies.end()));
  return raised;
}

DashboardService::Delivery DashboardService::deliver(Notifier& notifier,
                                                     const std::vector<std::string>& agencies) {
  Delivery d;
  if (agencies.empty()) return d;
  std::lock_guard lock(deliver_mu_);
  for (auto& a : queries_.alerts(agencies, true)) {
    if (notifier.send("【政府信息公开】期限提醒 " + a.number, a.message).ok()) {
      (void)queries_.mark_alert_notified(a.id);
      ++d.sent;
    } else {
      ++d.failed;
    }
  }
  return d;
}

}  // namespace ogi
