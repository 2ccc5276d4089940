// 案件查询: the case list with its filters and CSV.
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/case_json.h"
#include "app/agencies.h"
#include "app/calendar_admin.h"
#include "app/letters.h"
#include "app/password.h"
#include "app/policy.h"
#include "app/registration.h"
#include "app/users.h"
#include "domain/codes.h"
#include "domain/identity.h"
#include "domain/letters.h"
#include "domain/search.h"
#include "http/pages/page_kit.h"
#include "http/server.h"
#include "http/svg.h"

namespace ogi::http {

void add_search_pages(Router& r, Services& s) {
  [[maybe_unused]] const Views& views = *s.views;
  // ---- search ----
  r.add("GET", "/cases", Access::page, [&s, &views](Request& req) {
    Data d = base(s.workflow, req, "案件查询");
    CaseFilter f;  // the service limits it to the agencies the reader sees
    f.state = req.q("state");
    f.stage = req.q("stage");
    f.outcome = req.q("outcome");
    f.applicant_type = req.q("applicant_type");
    f.channel = req.q("channel");
    f.q = req.q("q").substr(0, 200);
    if (auto a = parse_date(req.q("from")); a) f.from = *a;
    if (auto b = parse_date(req.q("to")); b) f.to = *b;
    f.overdue_only = req.q("overdue") == "1";
    f.today = s.clock.today();
    if (auto scope = s.queues->narrow(f, req.user(), req.q("assignee"), req.q("queue")))
      put(d, "queue_label", *scope);
    else
      d.set("error", ui_message(scope.error()));
    try {
      f.page = std::max(1, std::stoi(req.q("page", "1")));
    } catch (...) {
    }
    f.per_page = 50;
    auto listed = s.office.list_cases(req.user(), f);
    if (!listed) return Response::redirect("/");
    auto& [rows, total] = *listed;
    Data items = list_of();
    const auto people = s.office.people();
    for (auto& x : rows) {
      Data o;
      o.set("id", std::to_string(x.id));
      o.set("number", x.number);
      o.set("name", x.applicant_name);
      o.set("id_number", mask_id(x.id_number.empty() ? x.credit_code : x.id_number));
      o.set("type", std::string(label_of(applicant_types(), x.applicant_type)));
      o.set("channel", std::string(label_of(channels(), x.channel)));
      o.set("received_on", format_date(x.received_on));
      auto* st = s.workflow.state(x.state);
      o.set("state", st ? st->label : x.state);
      o.set("stage_key", st ? st->stage : "");
      auto* oc = find_outcome(x.outcome);
      o.set("outcome", oc ? std::string(oc->label) : "");
      o.set("due_on", x.due_on ? format_date(*x.due_on) + (x.provisional ? "（暂定）" : "") : "—");
      o.set("overdue", flag(!x.concluded_on && standing(s.calendar, x.due_on, f.today).overdue));
      o.set("assignee", x.assignee.empty() ? "—" : people.name(x.assignee));
      items.push_back(o);
    }
    d.set("items", items);
    d.set("total", total > 1000 ? std::string("1000 以上") : std::to_string(total));
    if (!f.q.empty()) d.set("searched", describe_search(parse_search(f.q, f.today)));
    if (total == 0 && !f.q.empty()) d.set("none_found", flag(true));
    std::string qs;
    for (auto* k : {"q", "state", "stage", "outcome", "applicant_type", "channel", "from", "to",
                    "overdue", "assignee", "queue"})
      if (!req.q(k).empty()) qs += std::string("&") + k + "=" + url_encode(req.q(k));
    d.set("qs", qs);
    d.set("page", std::to_string(f.page));
    if (f.page > 1) d.set("prev", std::to_string(f.page - 1));
    if (static_cast<long long>(f.page) * f.per_page < total)
      d.set("next", std::to_string(f.page + 1));
    d.set("f_q", f.q);
    d.set("f_from", req.q("from"));
    d.set("f_to", req.q("to"));
    d.set("f_overdue", flag(f.overdue_only));
    {
      Data who = list_of();
      for (auto [code, label] : {std::pair{"", "（全部）"}, std::pair{"me", "我承办的"},
                                 std::pair{"none", "未指定承办人"}}) {
        Data o;
        o.set("code", code);
        o.set("label", label);
        o.set("selected", flag(req.q("assignee") == code));
        who.push_back(o);
      }
      d.set("assignees", who);
    }
    Data states = list_of();
    {
      Data o;
      o.set("code", "");
      o.set("label", "（全部）");
      states.push_back(o);
    }
    for (auto& st : s.workflow.states()) {
      if (st.key == "new") continue;
      Data o;
      o.set("code", st.key);
      o.set("label", st.label);
      o.set("selected", flag(st.key == f.state));
      states.push_back(o);
    }
    d.set("states", states);
    Data stages = list_of();
    {
      Data o;
      o.set("code", "");
      o.set("label", "（全部）");
      stages.push_back(o);
    }
    for (auto& [key, label] : s.workflow.stages()) {
      Data o;
      o.set("code", key);
      o.set("label", label);
      o.set("selected", flag(key == f.stage));
      stages.push_back(o);
    }
    d.set("stages", stages);
    d.set("outcomes", [&] {
      Data l = list_of();
      Data blank;
      blank.set("code", "");
      blank.set("label", "（全部）");
      l.push_back(blank);
      for (auto& o : outcomes()) {
        Data x;
        x.set("code", std::string(o.code));
        x.set("label", std::string(o.label));
        x.set("selected", flag(o.code == f.outcome));
        l.push_back(x);
      }
      return l;
    }());
    d.set("types", options(applicant_types(), f.applicant_type, "（全部）"));
    d.set("channels", options(channels(), f.channel, "（全部）"));
    return Response::html(views.page("search", d));
  });
}

}  // namespace ogi::http
