// The JSON API's shared pieces (api_kit.h).
#include "http/api/api_kit.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/case_json.h"
#include "app/calendar_admin.h"
#include "app/letters.h"
#include "app/policy.h"
#include "app/registration.h"
#include "app/users.h"
#include "domain/codes.h"
#include "domain/identity.h"
#include "http/server.h"
#include "http/svg.h"

namespace ogi::http {

std::string stringify(const Object& o) {
  std::ostringstream s;
  o.stringify(s);
  return s.str();
}
std::string stringify(const Array& a) {
  std::ostringstream s;
  a.stringify(s);
  return s.str();
}

Response case_response(Services& s, const Result<CaseView>& v, int status) {
  if (!v) return Response::error(v.error());
  return Response::json(case_json(*v, s.workflow), status);
}

Result<long long> id_param(const Request& req, const char* name) {
  try {
    size_t used = 0;
    long long id = std::stoll(req.params.at(name), &used);
    if (used == req.params.at(name).size() && id > 0) return id;
  } catch (...) {
  }
  return make_error(Code::not_found, "编号无效：" + req.params.at(name));
}

Object row_json(const CaseRow& r, const Workflow& wf, const Calendar& cal, const Date& today) {
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("id", static_cast<Poco::Int64>(r.id));
  o.set("number", r.number);
  o.set("agency", r.agency);
  o.set("applicant_type", r.applicant_type);
  o.set("applicant_name", r.applicant_name);
  if (!r.id_number.empty()) o.set("id_number", mask_id(r.id_number));
  if (!r.credit_code.empty()) o.set("credit_code", r.credit_code);
  if (!r.phone.empty()) o.set("phone", mask_phone(r.phone));
  o.set("channel", r.channel);
  o.set("received_on", format_date(r.received_on));
  o.set("state", r.state);
  if (auto* st = wf.state(r.state)) o.set("state_label", st->label);
  o.set("outcome", r.outcome.empty() ? Var() : Var(r.outcome));
  o.set("due_on", r.due_on ? Var(format_date(*r.due_on)) : Var());
  o.set("due_provisional", r.provisional);
  o.set("concluded_on", r.concluded_on ? Var(format_date(*r.concluded_on)) : Var());
  const Standing st = r.concluded_on ? Standing{} : standing(cal, r.due_on, today);
  o.set("assignee", r.assignee.empty() ? Var() : Var(r.assignee));
  o.set("overdue", st.overdue);
  if (st.days_left) o.set("days_left", *st.days_left);
  return o;
}

Result<CaseFilter> filter_of(const Request& req, const Date& today, const QueueService* queues) {
  CaseFilter f;
  if (auto a = req.q("agency"); !a.empty()) f.agencies = {a};  // the service checks it is visible
  f.state = req.q("state");
  f.stage = req.q("stage");
  f.outcome = req.q("outcome");
  f.applicant_type = req.q("applicant_type");
  f.channel = req.q("channel");
  f.q = req.q("q");
  if (f.q.size() > 200) return make_error(Code::invalid, "q: 检索词过长", "q");
  for (auto [key, out] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}}) {
    if (auto v = req.q(key); !v.empty()) {
      auto d = parse_date(v, key);
      if (!d) return d.error();
      *out = *d;
    }
  }
  f.overdue_only = req.q("overdue") == "1" || req.q("overdue") == "true";
  f.open_only = req.q("open") == "1";
  f.today = today;
  try {
    f.page = std::stoi(req.q("page", "1"));
    if (f.page < 1 || f.page > 1000000) throw std::out_of_range("page");
    f.per_page = std::stoi(req.q("per_page", "50"));
  } catch (...) {
    return make_error(Code::invalid, "page: 页码应为 1 至 1000000 之间的整数", "page");
  }
  if (queues)  // assignee=me|none|LOGIN, queue=KEY (a section of 我的待办, whole)
    if (auto scope = queues->narrow(f, req.user(), req.q("assignee"), req.q("queue")); !scope)
      return scope.error();
  return f;
}

Object::Ptr work_item_json(const CaseView& v, const Workflow& wf, Urgency u, const char* key) {
  Poco::JSON::Parser p;
  auto c = p.parse(case_json(v, wf, {true, false})).extract<Object::Ptr>();
  c->remove("history");
  c->set(key, std::string(urgency_key(u)));
  return c;
}

Object letter_json(const LetterRecord& l) {
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("id", static_cast<Poco::Int64>(l.id));
  o.set("kind", l.kind);
  o.set("number", l.number);
  o.set("issued_on", format_date(l.issued_on));
  o.set("sha256", l.sha256);
  o.set("title", l.title);
  o.set("template", l.template_name);
  o.set("template_version", l.template_version);
  o.set("issued_by", l.issued_by);
  o.set("addressee", l.addressee);
  o.set("supersedes", l.supersedes ? Var(static_cast<Poco::Int64>(l.supersedes)) : Var());
  o.set("superseded_by", l.superseded_by ? Var(static_cast<Poco::Int64>(l.superseded_by)) : Var());
  if (!l.reason.empty()) o.set("reason", l.reason);
  return o;
}

// A letter as a print page: its own inline A4 style, no scripts at all; the UI may frame it.
namespace {
// After the opening <body> tag (or at the start when there is none).
void after_body(std::string& html, const std::string& what) {
  const auto body = html.find("<body");
  const auto open = body == std::string::npos ? std::string::npos : html.find('>', body);
  html.insert(open == std::string::npos ? 0 : open + 1, what);
}
}  // namespace

Response letter_page(std::string html, const std::string& back) {
  // The print view's toolbar: 打印 and 返回, never printed (the stored letter is not changed).
  after_body(
      html,
      "<style>@media print{.noprint{display:none!important}}"
      ".noprint.bar{position:sticky;top:0;z-index:2;display:flex;gap:12px;align-items:center;"
      "background:#1f3a5f;padding:6px 12px;font:15px sans-serif}.noprint.bar a,.noprint.bar "
      "button{color:#fff;background:#2b6cb0;border:0;border-radius:4px;padding:4px 14px;"
      "font:inherit;text-decoration:none;cursor:pointer}</style>"
      "<div class=\"noprint bar\"><button type=\"button\" data-print id=\"print\">打印</button>" +
          (back.empty() ? std::string()
                        : "<a href=\"" + html_escape(back) + "\" id=\"back\">返回</a>") +
          "</div><script src=\"/static/app.js\" defer></script>");
  Response res = Response::html(std::move(html));
  res.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                           "script-src 'self'; frame-ancestors 'self'");
  res.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
  return res;
}

Response draft_page(std::string html, const std::string& back) {
  // A 样稿 is never mistaken for an issued letter: a watermark on every printed page, a banner.
  after_body(html,
             "<div style=\"background:#fff5f5;color:#c53030;border-bottom:1px solid #feb2b2;"
             "padding:4px 12px;font:14px sans-serif\" "
             "id=\"draft-banner\">样稿：尚未出具，不是正式文书，无文号"
             "</div><div aria-hidden=\"true\" style=\"position:fixed;top:40%;left:0;right:0;"
             "text-align:center;font-size:120px;color:rgba(197,48,48,.18);transform:rotate(-30deg);"
             "pointer-events:none;font-family:sans-serif;font-weight:bold;z-index:1\">样稿</div>");
  return letter_page(std::move(html), back);
}

// A file download: an ASCII fallback name and the UTF-8 name (RFC 6266).
Response download(std::string bytes, const std::string& ext, const std::string& ascii_name,
                  const std::string& name) {
  Response res;
  res.content_type = ext == "docx"
                         ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                         : "application/octet-stream";
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + ascii_name + "." +
                                                      ext + "\"; filename*=UTF-8''" +
                                                      url_encode(name + "." + ext));
  res.body = std::move(bytes);
  return res;
}

}  // namespace ogi::http
