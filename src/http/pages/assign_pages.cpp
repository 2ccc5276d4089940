// The 承办人 of a case: who it is, who acts next (下一步), choosing one at registration and
// changing it on the case page.
#include "app/policy.h"
#include "app/queues.h"
#include "http/pages/page_kit.h"

namespace ogi::http {

Data assignee_choices(Services& s, const User& u, const std::string& agency,
                      const std::string& selected) {
  Data out = list_of();
  for (auto& [login, name] : s.office.assignable_people(u, agency)) {
    Data o;
    o.set("code", login);
    o.set("label", name);
    o.set("selected", flag(login == selected));
    out.push_back(o);
  }
  return out;
}

Data assignment_block(Services& s, const User& u, const Case& c,
                      const OfficeService::People& people) {
  Data d;
  d.set("case_id", std::to_string(c.id));
  put(d, "assignee", c.assignee.empty() ? "" : people.name(c.assignee));
  const NextStep next = next_step(s.workflow, c);
  if (!next.role.empty()) {
    std::string who = next.role_label;
    if (next.by_assignee)
      who += next.assignee.empty() ? "（尚未指定）" : "（" + people.name(next.assignee) + "）";
    d.set("next_who", who);
    d.set("next_todo", next.todo);
  }
  const bool can = s.case_service.may_assign(u, c).ok();
  d.set("can_assign", flag(can));
  if (can) d.set("choices", assignee_choices(s, u, c.agency, c.assignee));
  return d;
}

// The assignment changes, as 办理记录 lines (at, label, by, detail).
std::vector<std::array<std::string, 4>> assignment_history(Services& s, const User& u,
                                                           long long case_id,
                                                           const OfficeService::People& people) {
  std::vector<std::array<std::string, 4>> out;
  for (auto& a : s.case_service.assignments(u, case_id))
    out.push_back({a.at, a.assignee.empty() ? "取消指定承办人" : "指定承办人", people.name(a.by),
                   a.assignee.empty() ? "" : people.name(a.assignee)});
  return out;
}

void add_assign_pages(Router& r, Services& s) {
  r.add("POST", "/cases/{id}/assignee", Access::page, [&s](Request& req) {
    long long id = 0;
    try {
      id = std::stoll(req.params["id"]);
    } catch (...) {
      return Response::redirect("/");
    }
    const std::string back = "/cases/" + std::to_string(id);
    const std::string who = form_of(req)["assignee"];
    if (Status st = s.case_service.assign(req.user(), id, who, "ip=" + req.ip); !st)
      return Response::redirect(back + "?error=" + url_encode(ui_message(st.error())));
    std::string said = "已取消指定承办人";
    if (!who.empty()) said = "已指定承办人：" + s.office.people().name(who);
    return Response::redirect(back + "?done=" + url_encode(said));
  });
}

}  // namespace ogi::http
