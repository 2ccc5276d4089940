// What is done on a case page: recording an event, with a confirmation step for numbered or
// irreversible acts (the workflow's `confirm` flag), what it just did, and how an event reads in
// 办理记录.
#include <algorithm>

#include "domain/report.h"
#include "http/pages/page_kit.h"

namespace ogi::http {

namespace {

// A field's value as a person reads it: codes by their label, references by what they name.
std::string shown_value(const FieldSpec& spec, const FieldValue& value, const Case& c) {
  if (auto* list = std::get_if<std::vector<std::string>>(&value)) {
    std::string out;
    for (auto& i : *list) out += (out.empty() ? "" : "；") + i;
    return out;
  }
  if (auto* n = std::get_if<long long>(&value)) {  // an int, or a reference (parsed as one)
    if (spec.name == "consultation")
      for (auto& k : c.derived.consultations)
        if (k.id == *n) return k.name;
    if (spec.name == "remedy")
      for (auto& r : c.derived.remedies)
        if (r.id == *n) return std::string(label_of(remedy_kinds(), r.kind));
    return std::to_string(*n);
  }
  auto* text = std::get_if<std::string>(&value);
  if (!text || text->empty()) return "";
  if (spec.type == "code") {
    if (spec.table == "decidable_outcomes")
      if (auto* oc = find_outcome(*text)) return std::string(oc->label);
    const std::string_view label = label_of(code_table(spec.table), *text);
    return label.empty() ? *text : std::string(label);
  }
  return *text;
}

// The fields of `fields` that have a value, in the event's order: {short label, value}.
std::vector<std::pair<std::string, std::string>> shown_fields(const EventSpec& e,
                                                              const Fields& fields, const Case& c) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& spec : e.fields) {
    auto it = fields.find(spec.name);
    if (it == fields.end()) continue;
    std::string v = shown_value(spec, it->second, c);
    if (v.empty()) continue;
    const std::string_view label = label_of(message_fields(), spec.name);
    out.emplace_back(label.empty() ? spec.label : std::string(label), v);
  }
  return out;
}

// The event's form as a query string, for the drafts' own page.
std::string draft_query(const std::map<std::string, std::string>& form) {
  std::string q;
  for (auto& [k, v] : form)
    if (k != "_csrf" && k != "confirmed" && k != "version")
      q += (q.empty() ? "" : "&") + url_encode(k) + "=" + url_encode(v);
  return q;
}

}  // namespace

Data action_forms(const Context& ctx, const CaseView& v, const User& u, const Date& today) {
  Data list = list_of();
  for (const EventSpec* e : allowed_events(ctx, v.c, actor_of(u))) {
    Data f;
    f.set("event", e->key);
    f.set("label", e->label);
    f.set("today", format_date(today));
    Data fields = list_of();
    for (auto& spec : e->fields) {
      Data x;
      x.set("name", spec.name);
      x.set("label", spec.label);
      x.set("required", flag(spec.required));
      // the outcomes for which the workflow's `require` lines make this field required
      std::string required_for;
      for (auto& q : ctx.workflow.requirements())
        if (q.event == e->key &&
            std::find(q.fields.begin(), q.fields.end(), spec.name) != q.fields.end())
          for (auto& val : q.values) required_for += (required_for.empty() ? "" : ",") + val;
      put(x, "required_for", required_for);
      if (spec.type == "code" && spec.table == "decidable_outcomes") {
        // The outcomes grouped as in table three (予以公开 … 其他处理).
        x.set("select", flag(true));
        Data groups = list_of();
        std::string open;
        Data group, opts = list_of();
        auto close = [&] {
          if (open.empty()) return;
          group.set("label", open);
          group.set("options", opts);
          groups.push_back(group);
          group = Data();
          opts = list_of();
        };
        for (auto& c : code_table(spec.table)) {
          auto* oc = find_outcome(c.code);
          const std::string g(outcome_group(oc ? oc->row : ""));
          if (g != open) {
            close();
            open = g;
          }
          Data o;
          o.set("code", std::string(c.code));
          o.set("label", std::string(c.label));
          opts.push_back(o);
        }
        close();
        x.set("groups", groups);
      } else if (spec.type == "code") {
        x.set("select", flag(true));
        x.set("options", options(code_table(spec.table), ""));
      } else if (spec.type == "ref") {
        x.set("select", flag(true));
        Data opts = list_of();
        if (!spec.required) {  // optional reference: nothing chosen unless the user picks one
          Data o;
          o.set("code", "");
          o.set("label", "（不选）");
          opts.push_back(o);
        }
        if (spec.name == "consultation")
          for (auto& k : v.c.derived.consultations)
            if (!k.replied_on) {
              Data o;
              o.set("code", std::to_string(k.id));
              o.set("label", k.name + "（" + format_date(k.sent_on) + " 发出）");
              opts.push_back(o);
            }
        if (spec.name == "remedy")
          for (auto& r : v.c.derived.remedies)
            if (!r.decided_on) {
              Data o;
              o.set("code", std::to_string(r.id));
              o.set("label", std::string(label_of(remedy_kinds(), r.kind)) + "（" +
                                 format_date(r.filed_on) + "）");
              opts.push_back(o);
            }
        x.set("options", opts);
      } else if (spec.type == "list" || spec.name == "reasons" || spec.name == "reason" ||
                 spec.name == "content" || spec.name == "supplied" || spec.name == "remarks") {
        x.set("textarea", flag(true));
      } else {
        x.set("input", flag(true));
        x.set("type", spec.type == "int" ? "number" : "text");
      }
      fields.push_back(x);
    }
    f.set("fields", fields);
    list.push_back(f);
  }
  return list;
}

std::string event_detail(const Workflow& wf, const Case& c, const CaseEvent& e) {
  const EventSpec* spec = wf.event(e.event);
  if (!spec) return "";
  std::string out;
  for (auto& [label, value] : shown_fields(*spec, e.fields, c)) {
    // The outcome and a consultation's party name say enough by themselves.
    const bool bare = label == label_of(message_fields(), "outcome") ||
                      label == label_of(message_fields(), "name");
    out += (out.empty() ? "" : "；") + (bare ? value : label + "：" + value);
  }
  return out;
}

std::string event_done(Services& s, const CaseView& v) {
  if (v.c.events.empty()) return "";
  const CaseEvent& e = v.c.events.back();
  auto* spec = s.workflow.event(e.event);
  std::string said = "已办理：" + (spec ? spec->label : std::string("事项"));
  std::string issued;
  for (auto& l : s.letters->list(v.c.id))
    if (l.event_id == e.id && e.id)
      issued += (issued.empty() ? "" : "、") + l.title + (l.number.empty() ? "" : " " + l.number);
  if (!issued.empty()) said += "，已出具" + issued;
  return said + "。";
}

void add_event_pages(Router& r, Services& s) {
  const Views& views = *s.views;
  // A letter the event in the query would issue, rendered as a draft (样稿) with no number; shown
  // in the confirmation page's frame. Nothing is recorded.
  r.add("GET", "/cases/{id}/draft", Access::page, [&s](Request& req) {
    long long id = 0;
    size_t n = 0;
    try {
      id = std::stoll(req.params["id"]);
      n = static_cast<size_t>(std::stoul("0" + req.q("n")));
    } catch (...) {
    }
    auto fail = [](const Error& e) {
      return Response::html(
          "<!doctype html><meta charset=utf-8><p>" + html_escape(ui_message(e)) + "</p>",
          http_status(e.code));
    };
    auto ev = event_from_form(s.workflow, req.query);
    if (!ev) return fail(ev.error());
    auto check = s.case_service.check_event(req.user(), id, *ev);
    if (!check) return fail(check.error());
    if (n >= check->letters.size()) return fail(make_error(Code::not_found, "此操作不出具文书"));
    audit_read(s, req, "letter.read", std::to_string(id), "样稿 " + check->letters[n].title);
    return draft_page(check->letters[n].html);
  });
  r.add("POST", "/cases/{id}/events", Access::page, [&s, &views](Request& req) {
    std::string back = "/cases/" + req.params["id"];
    long long id = 0;
    try {
      id = std::stoll(req.params["id"]);
    } catch (...) {
      return Response::redirect("/");
    }
    auto form = form_of(req);
    auto ev = event_from_form(s.workflow, form);
    if (!ev) return Response::redirect(back + "?error=" + url_encode(ui_message(ev.error())));
    const EventSpec* spec = s.workflow.event(ev->event);
    long long version = 0;
    try {
      version = std::stoll("0" + form["version"]);
    } catch (...) {
    }
    // A numbered or irreversible act: first what it will do and issue, then the confirmation
    // (a form of its own: works without JavaScript, and no browser dialog).
    if (spec && spec->confirm && form["confirmed"] != "1") {
      auto check = s.case_service.check_event(req.user(), id, *ev);
      if (!check)
        return Response::redirect(back + "?error=" + url_encode(ui_message(check.error())));
      auto shown = s.case_service.show(req.user(), id);
      if (!shown) return Response::redirect("/");
      Data d = base(s.workflow, req, "请确认：" + spec->label);
      d.set("case_id", std::to_string(id));
      d.set("number", shown->c.number);
      d.set("label", spec->label);
      d.set("on", form["on"].empty() ? format_date(s.clock.today()) : form["on"]);
      Data fields = list_of();
      for (auto& [label, value] : shown_fields(*spec, ev->fields, shown->c)) {
        Data x;
        x.set("label", label);
        x.set("value", value);
        fields.push_back(x);
      }
      d.set("fields", fields);
      Data hidden = list_of();
      for (auto& [k, v] : form) {
        if (k == "_csrf" || k == "confirmed" || k == "version") continue;
        Data x;
        x.set("name", k);
        x.set("value", v);
        hidden.push_back(x);
      }
      d.set("hidden", hidden);
      d.set("version", std::to_string(check->version));
      Data letters = list_of();
      for (size_t i = 0; i < check->letters.size(); ++i) {
        Data x;
        x.set("title", check->letters[i].title);
        x.set("src", "/cases/" + std::to_string(id) + "/draft?" + draft_query(form) +
                         "&n=" + std::to_string(i));
        letters.push_back(x);
      }
      d.set("letters", letters);
      d.set("has_letters", flag(!letters.is_empty_list()));
      return Response::html(views.page("case_confirm", d));
    }
    Result<CaseView> v = s.case_service.record_event(req.user(), id, *ev, version, "ip=" + req.ip);
    if (!v) return Response::redirect(back + "?error=" + url_encode(ui_message(v.error())));
    return Response::redirect(back + "?done=" + url_encode(event_done(s, *v)));
  });
}

}  // namespace ogi::http
