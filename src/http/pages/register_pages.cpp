// Registration of an application at the front desk: the form (two columns, the channel's rule
// for the receipt date in its options), every problem at once (an error summary linking to each
// field), the duplicate warning before saving.
#include "app/registration.h"
#include "http/pages/page_kit.h"

namespace ogi::http {

void add_register_pages(Router& r, Services& s) {
  const Views& views = *s.views;
  // ---- registration ----
  auto register_form = [&s, &views](const Request& req, const std::map<std::string, std::string>& f,
                                    const std::vector<Error>& errors, Data dups) {
    Data d = base(s.workflow, req, "登记申请");
    auto v = [&](const char* k) {
      auto it = f.find(k);
      return it == f.end() ? std::string() : it->second;
    };
    for (auto* k : {"name", "id_number", "credit_code", "phone", "address", "email", "content",
                    "received_on"})
      d.set(std::string("f_") + k, v(k));
    if (v("received_on").empty()) d.set("f_received_on", format_date(s.clock.today()));
    d.set("today", format_date(s.clock.today()));
    d.set("types",
          options(applicant_types(), v("type").empty() ? "natural_person" : v("type"), ""));
    d.set("channels", options(channels(), v("channel")));
    d.set("id_types", options(id_types(), v("id_type").empty() ? "resident_id" : v("id_type"), ""));
    d.set("forms", options(forms(), v("form")));
    d.set("deliveries", options(delivery_wanted(), v("delivery")));
    Data agencies = list_of();
    for (auto& a : req.user().agencies_visible) {
      Data o;
      o.set("code", a);
      auto ag = s.office.agency(a);
      o.set("label", ag ? ag->name : a);
      o.set("selected", flag(v("agency") == a));
      agencies.push_back(o);
    }
    d.set("agencies", agencies);
    d.set("many_agencies", flag(req.user().agencies_visible.size() > 1));
    Data who = assignee_choices(
        s, req.user(), v("agency").empty() ? req.user().agency : v("agency"), v("assignee"));
    d.set("has_assignees", flag(!who.is_empty_list()));
    d.set("assignees", who);
    // GOV.UK error summary: every problem at once, each linking to its field.
    Data list = list_of();
    for (auto& e : errors) {
      Data x;
      std::string id = e.field.rfind("applicant.", 0) == 0 ? e.field.substr(10) : e.field;
      const std::string_view label = label_of(message_fields(), e.field);
      x.set("field", e.field);
      x.set("target", id.empty() ? "register" : id);
      x.set("label", label.empty() ? std::string("登记") : std::string(label));
      x.set("message", e.field.empty() || e.message.rfind(e.field + ": ", 0) != 0
                           ? e.message
                           : e.message.substr(e.field.size() + 2));
      list.push_back(x);
      if (!id.empty()) d.set("e_" + id, flag(true));
    }
    d.set("errors", list);
    d.set("has_errors", flag(!errors.empty()));
    d.set("error_count", std::to_string(errors.size()));
    d.set("autofocus_name", flag(errors.empty() && dups.is_empty_list()));
    d.set("duplicates", dups);
    d.set("has_duplicates", flag(!dups.is_empty_list()));
    return Response::html(views.page("register", d), errors.empty() ? 200 : 422);
  };
  r.add("GET", "/cases/new", Access::page,
        [register_form](Request& req) { return register_form(req, {}, {}, list_of()); });
  r.add("POST", "/cases/new", Access::page, [&s, register_form](Request& req) {
    auto f = form_of(req);
    RegistrationRequest rr;
    rr.agency = f["agency"];
    rr.applicant = {f["type"],
                    f["name"],
                    f["type"] == "natural_person" && !f["id_number"].empty() ? f["id_type"] : "",
                    f["type"] == "natural_person" ? f["id_number"] : "",
                    f["type"] == "natural_person" ? "" : f["credit_code"],
                    f["phone"],
                    f["address"],
                    f["email"]};
    rr.channel = f["channel"];
    rr.received_on = f["received_on"];
    rr.content = f["content"];
    rr.form = f["form"];
    rr.delivery = f["delivery"];
    rr.assignee = f["assignee"];
    if (auto problems = registration_problems(rr, s.clock.today()); !problems.empty())
      return register_form(req, f, problems, list_of());
    // Possible duplicates are shown before saving; saving then needs an explicit confirmation.
    if (f["confirm"] != "1") {
      auto rows = s.office.duplicates(
          req.user(), rr.applicant.name,
          rr.applicant.id_number.empty() ? rr.applicant.credit_code : rr.applicant.id_number,
          rr.content);
      if (rows && !rows->empty()) {
        Data dups = list_of();
        for (auto& x : *rows) {
          Data o;
          o.set("id", std::to_string(x.id));
          o.set("number", x.number);
          o.set("name", x.applicant_name);
          o.set("received_on", format_date(x.received_on));
          o.set("content", x.content.size() > 120 ? x.content.substr(0, x.content.rfind(' ', 120))
                                                  : x.content);
          dups.push_back(o);
        }
        return register_form(req, f, {}, dups);
      }
    }
    auto v =
        s.case_service.register_case(req.user(), rr, "ip=" + req.ip);  // audited in its transaction
    if (!v) return register_form(req, f, {v.error()}, list_of());
    return Response::redirect("/cases/" + std::to_string(v->c.id) + "?registered=1");
  });
}

}  // namespace ogi::http
