#include "app/office.h"

#include <algorithm>

#include "app/agencies.h"
#include "app/password.h"
#include "app/policy.h"
#include "app/registration.h"
#include "app/users.h"

namespace ogi {

void OfficeService::record(const std::string& actor, const std::string& action,
                           const std::string& target, const std::string& detail) {
  // The trail is best effort for reads and logins; every change writes its own row in its own
  // transaction (CaseService, LetterService, the calendar import).
  (void)queries_.record_audit(clock_.now_timestamp(), actor, action, target, detail);
}

void OfficeService::record_read(const User& reader, const std::string& action,
                                const std::string& target, const std::string& detail) {
  queries_.record_audit_later(clock_.now_timestamp(), reader.username, action, target, detail);
}

Result<std::vector<AuditRow>> OfficeService::trail(const User& u, int limit, long long before_id) {
  if (Status st = may(wf_, u, "audit.read"); !st) return st.error();
  const bool all = allows(wf_, u, "audit.read_all");
  return queries_.audit_rows(limit, before_id, all ? nullptr : &u.agencies_visible);
}

Result<std::pair<std::vector<CaseRow>, long long>> OfficeService::list_cases(const User& u,
                                                                             CaseFilter f) {
  if (Status st = may(wf_, u, "case.read"); !st) return st.error();
  if (f.agencies.empty()) {
    f.agencies = u.agencies_visible;
  } else {  // a narrower choice, within what the reader sees
    for (const auto& a : f.agencies)
      if (std::find(u.agencies_visible.begin(), u.agencies_visible.end(), a) ==
          u.agencies_visible.end())
        return make_error(Code::forbidden, "无权查看机关 " + a + " 的案件");
  }
  f.search = parse_search(f.q, clock_.today());
  return queries_.list_cases(f);
}

Result<std::function<bool(const std::function<bool(const std::vector<CaseRow>&)>&)>>
OfficeService::each_case(const User& u, CaseFilter f, int per_page) {
  f.per_page = per_page;
  f.page = 1;
  auto first = list_cases(u, f);
  if (!first) return first.error();
  using Sink = std::function<bool(const std::vector<CaseRow>&)>;
  return std::function<bool(const Sink&)>(
      [this, u, f, rows = std::move(first->first)](const Sink& sink) mutable {
        for (CaseFilter g = f;; ++g.page) {
          if (g.page > 1) {
            auto listed = list_cases(u, g);
            if (!listed) return false;
            rows = std::move(listed->first);
          }
          if (!sink(rows)) return false;
          if (static_cast<long long>(rows.size()) < g.per_page) return true;
        }
      });
}

Result<std::vector<CaseRow>> OfficeService::duplicates(const User& u, const std::string& name,
                                                       const std::string& identity,
                                                       const std::string& content) {
  if (Status st = may(wf_, u, "case.read"); !st) return st.error();
  return possible_duplicates(queries_, u, name, identity, content, clock_.today());
}

Result<std::vector<AlertRow>> OfficeService::alerts(const User& u) {
  if (Status st = may(wf_, u, "case.read"); !st) return st.error();
  return queries_.alerts(u.agencies_visible, false);
}

std::optional<Agency> OfficeService::agency(const std::string& code) {
  if (code.empty()) return std::nullopt;
  auto a = cases_.agency(code);
  if (!a) return std::nullopt;
  return *a;
}

std::vector<Agency> OfficeService::agency_choices() { return admin_.agencies(); }

std::string OfficeService::People::name(const std::string& login) const {
  if (login.empty() || login == "-") return "（未登录）";
  auto it = names_.find(login);
  return it == names_.end() ? login : it->second;
}

OfficeService::People OfficeService::people() {
  std::map<std::string, std::string> out;
  for (auto& u : admin_.users())
    out[u.username] = u.display_name.empty() ? u.username : u.display_name;
  return People(std::move(out));
}

std::vector<std::pair<std::string, std::string>> OfficeService::assignable_people(
    const User& u, const std::string& agency) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto& v = u.agencies_visible;
  if (!allows(wf_, u, "case.read") || std::find(v.begin(), v.end(), agency) == v.end()) return out;
  for (auto& x : admin_.users())
    if (x.agency == agency && assignable(wf_, x))
      out.emplace_back(x.username, x.display_name.empty() ? x.username : x.display_name);
  return out;
}

Result<std::vector<User>> OfficeService::users(const User& actor) {
  if (Status st = may(wf_, actor, "user.admin"); !st) return st.error();
  return admin_.users();
}

AuditEntry OfficeService::entry(const User& actor, const std::string& action,
                                const std::string& target, const std::string& detail,
                                const std::string& via) const {
  std::string d = detail;
  if (!via.empty()) d += (d.empty() ? "" : " ") + via;
  return AuditEntry{clock_.now_timestamp(), actor.username, action, target, d};
}

Result<long long> OfficeService::add_user(const User& actor, User u, const std::string& password,
                                          const std::string& via) {
  if (Status st = may(wf_, actor, "user.admin"); !st) return st.error();
  auto ready = prepare_new_user(std::move(u), password);
  if (!ready) return ready.error();
  const AuditEntry note = entry(actor, "user.add", ready->username, "", via);
  auto id = admin_.add_user(*ready, clock_.now_timestamp(), &note);
  if (!id && id.error().code == Code::not_found)
    return make_error(Code::invalid, "agency: " + id.error().message, "agency");
  return id;
}

Status OfficeService::update_user(const User& actor, const std::string& username,
                                  const std::vector<std::string>& roles, bool active,
                                  const std::string& password, const std::string& via) {
  if (Status st = may(wf_, actor, "user.admin"); !st) return st.error();
  if (Status ok = check_user_change(roles, password); !ok) return ok.error();
  std::vector<std::string> roles_before;
  bool was_active = true;
  for (auto& u : admin_.users())
    if (u.username == username) {
      roles_before = u.roles;
      was_active = u.active;
    }
  if (Status ok = check_role_change(actor, username, roles_before, roles, active,
                                    roles_for(wf_, "case.read"), roles_for(wf_, "user.admin"));
      !ok)
    return ok.error();
  std::string detail = role_change_text(roles_before, roles);
  if (was_active != active) detail += active ? "；启用" : "；停用";
  if (!password.empty()) detail += "；重设密码";
  const AuditEntry note = entry(actor, "user.update", username, detail, via);
  return admin_.update_user(username, roles, active,
                            password.empty() ? "" : hash_password(password), &note);
}

Result<std::vector<AgencySettings>> OfficeService::agencies(const User& actor) {
  if (Status st = may(wf_, actor, "agency.read"); !st) return st.error();
  std::vector<AgencySettings> out;
  const std::string fallback =
      wf_.remedy_policies().empty() ? std::string() : wf_.remedy_policies().front().first;
  for (auto& a : admin_.agencies()) {
    AgencySettings x;
    std::tie(x.body, x.court) = admin_.agency_remedy_bodies(a.code);
    x.choice = agency_reconsideration_body(cases_, a);
    x.remedy_policy = a.remedy_policy.empty() ? fallback : a.remedy_policy;
    x.agency = std::move(a);
    out.push_back(std::move(x));
  }
  return out;
}

Status OfficeService::update_agency(const User& actor, const Agency& a, const std::string& body,
                                    const std::string& court, const std::string& via) {
  if (Status st = may(wf_, actor, "agency.admin"); !st) return st.error();
  if (Status ok = check_agency(a, wf_); !ok)
    return ok.error();  // the same check as `ogi agency add`
  const auto before = cases_.agency(a.code);
  const std::string before_label = before ? remedy_policy_label(*before, wf_) : std::string();
  const std::string policy_label = remedy_policy_label(a, wf_);
  // A change of the remedy reading changes what every later letter tells applicants.
  const std::string detail = !before || before_label == policy_label
                                 ? std::string()
                                 : "救济告知规则：" + before_label + " → " + policy_label;
  const AuditEntry note = entry(actor, "agency.update", a.code, detail, via);
  return admin_.update_agency(a, body, court, &note);
}

Result<CalendarImportResult> OfficeService::import_calendar(const User& actor,
                                                            const CalendarImport& in) {
  if (Status st = may(wf_, actor, "calendar.import"); !st) return st.error();
  auto r = import_calendar_year(admin_, cases_, wf_, calendar_, clock_, in, actor.username);
  if (r) calendar_ = r->calendar;
  return r;
}

}  // namespace ogi
