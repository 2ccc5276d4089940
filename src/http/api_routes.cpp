// JSON API of contract.md (prefix /api/v1) plus the calls the UI and administrators need.
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

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

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


Response case_response(Services& s, const Result<CaseView>& v, int status = 200) {
  if (!v) return Response::error(v.error());
  return Response::json(case_json(*v, s.workflow), status);
}

Result<long long> id_param(const Request& req, const char* name = "id") {
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
  o.set("overdue", st.overdue);
  if (st.days_left) o.set("days_left", *st.days_left);
  return o;
}

Result<CaseFilter> filter_of(const Request& req, const Date& today) {
  CaseFilter f;
  f.agencies = req.user().agencies_visible;
  if (auto a = req.q("agency"); !a.empty()) {
    if (std::find(f.agencies.begin(), f.agencies.end(), a) == f.agencies.end())
      return make_error(Code::forbidden, "无权查看机关 " + a + " 的案件");
    f.agencies = {a};
  }
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
  return f;
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

}  // namespace

// A letter as a print page: its own inline A4 style, no scripts at all; the UI may frame it.
Response letter_page(std::string html) {
  Response res = Response::html(std::move(html));
  res.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'");
  res.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
  return res;
}

namespace {

// A file download: an ASCII fallback name and the UTF-8 name (RFC 6266).
Response download(std::string bytes, const std::string& ext, const std::string& ascii_name, const std::string& name) {
  Response res;
  res.content_type = ext == "docx" ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                                   : "application/octet-stream";
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + ascii_name + "." + ext +
                                                      "\"; filename*=UTF-8''" + url_encode(name + "." + ext));
  res.body = std::move(bytes);
  return res;
}

std::string csv_cell(const std::string& s) {
  // Quote always; neutralise spreadsheet formulas (CSV injection).
  std::string v = s;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
  std::string o = "\"";
  for (char c : v) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

}  // namespace

void add_api_routes(Router& r, Services& s) {
  r.add("GET", "/healthz", Access::open, [](Request&) { return Response::json("{\"status\":\"ok\"}"); });

  // ---- session ----
  r.add("POST", "/api/v1/session", Access::open, [&s](Request& req) {
    std::string username, password;
    try {
      Poco::JSON::Parser p;
      auto o = p.parse(req.body).extract<Object::Ptr>();
      username = o->optValue<std::string>("username", "");
      password = o->optValue<std::string>("password", "");
    } catch (...) {
      return Response::error(make_error(Code::malformed, "请求体应为 JSON 对象 {\"username\",\"password\"}"));
    }
    LoginAttempt attempt;
    auto login = s.auth.login(username, password, req.ip, &attempt);
    if (!login) {
      audit_login_failure(s, req, username, attempt);
      return Response::error(login.error());
    }
    (void)s.queries.record_audit(s.clock.now_timestamp(), login->user.username, "login", "", "ip=" + req.ip);
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("token", login->token);
    o.set("csrf", login->csrf);
    o.set("expires_at", static_cast<Poco::Int64>(login->expires_at));
    Object u(Poco::JSON_PRESERVE_KEY_ORDER);
    u.set("username", login->user.username);
    u.set("display_name", login->user.display_name);
    u.set("agency", login->user.agency);
    Array roles;
    for (auto& x : login->user.roles) roles.add(x);
    u.set("roles", roles);
    o.set("user", u);
    return Response::json(stringify(o));
  });
  r.add("DELETE", "/api/v1/session", Access::api, [&s](Request& req) {
    (void)s.auth.logout(req.token);
    audit(s, req, "logout", "");
    return Response::json("{}");
  });
  r.add("GET", "/api/v1/me", Access::api, [](Request& req) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    const User& u = req.user();
    o.set("username", u.username);
    o.set("display_name", u.display_name);
    o.set("agency", u.agency);
    Array roles, ag;
    for (auto& x : u.roles) roles.add(x);
    for (auto& x : u.agencies_visible) ag.add(x);
    o.set("roles", roles);
    o.set("agencies", ag);
    return Response::json(stringify(o));
  });

  // ---- cases ----
  r.add("POST", "/api/v1/cases", Access::api, [&s](Request& req) {
    auto body = parse_registration(req.body);
    if (!body) return Response::error(body.error());
    auto v = s.case_service.register_case(req.user(), *body, "ip=" + req.ip);  // audited in its transaction
    return case_response(s, v, 201);
  });
  r.add("GET", "/api/v1/cases", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    auto f = filter_of(req, s.clock.today());
    if (!f) return Response::error(f.error());
    auto [rows, total] = s.queries.list_cases(*f);
    Array items;
    for (auto& row : rows) items.add(row_json(row, s.workflow, s.calendar, f->today));
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("items", items);
    o.set("total", static_cast<Poco::Int64>(std::min<long long>(total, 1000)));
    o.set("total_more", total > 1000);  // counts stop at 1000: narrow the filters to see more
    o.set("page", f->page);
    o.set("per_page", f->per_page);
    return Response::json(stringify(o));
  });
  r.add("GET", "/api/v1/cases.csv", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    auto f = filter_of(req, s.clock.today());
    if (!f) return Response::error(f.error());
    f->page = 1;
    f->per_page = 500;
    std::string out = "\xEF\xBB\xBF编号,机关,申请人类型,申请人,提交方式,收到日期,状态,办理结果,到期日,办结日期\r\n";
    for (;; ++f->page) {
      auto [rows, total] = s.queries.list_cases(*f);
      for (auto& x : rows) {
        auto* st = s.workflow.state(x.state);
        auto* oc = find_outcome(x.outcome);
        out += csv_cell(x.number) + "," + csv_cell(x.agency) + "," +
               csv_cell(std::string(label_of(applicant_types(), x.applicant_type))) + "," + csv_cell(x.applicant_name) +
               "," + csv_cell(std::string(label_of(channels(), x.channel))) + "," + format_date(x.received_on) + "," +
               csv_cell(st ? st->label : x.state) + "," + csv_cell(oc ? std::string(oc->label) : "") + "," +
               (x.due_on ? format_date(*x.due_on) : "") + "," + (x.concluded_on ? format_date(*x.concluded_on) : "") +
               "\r\n";
      }
      // Every row: the list's total is counted only up to a cap, so page until a short page.
      (void)total;
      if (static_cast<long long>(rows.size()) < f->per_page) break;
    }
    audit(s, req, "case.export", "", "csv");
    Response res;
    res.content_type = "text/csv; charset=utf-8";
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"cases.csv\"");
    res.body = std::move(out);
    return res;
  });
  r.add("GET", "/api/v1/cases/{id}", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    return case_response(s, s.case_service.show(req.user(), *id));
  });
  r.add("POST", "/api/v1/cases/{id}/events", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    auto ev = parse_event(req.body);
    if (!ev) return Response::error(ev.error());
    long long version = 0;
    if (auto m = req.raw->get("If-Match", ""); !m.empty()) {
      try {
        version = std::stoll(m[0] == '"' ? m.substr(1) : m);
      } catch (...) {
        return Response::error(make_error(Code::malformed, "If-Match 应为案件版本号"));
      }
    }
    auto v = s.case_service.record_event(req.user(), *id, *ev, version, "ip=" + req.ip);  // audited in its transaction
    return case_response(s, v);
  });
  r.add("GET", "/api/v1/cases/{id}/letters", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    auto v = s.case_service.show(req.user(), *id);
    if (!v) return Response::error(v.error());
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    Array a;
    for (auto& l : s.letters->list(*id)) a.add(letter_json(l));
    return Response::json(stringify(a));
  });
  r.add("GET", "/api/v1/cases/{id}/letters.docx", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    auto v = s.case_service.show(req.user(), *id);
    if (!v) return Response::error(v.error());
    auto docx = s.letters->print_all(req.user(), *id);
    if (!docx) return Response::error(docx.error());
    return download(*docx, "docx", "case-" + std::to_string(*id) + "-letters", v->c.number + " 全部文书");
  });
  r.add("GET", "/api/v1/cases/{id}/reply-preview", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    auto p = s.letters->preview_reply(req.user(), *id);
    if (!p) return Response::error(p.error());
    if (req.q("format") == "docx") return download(p->docx, "docx", "reply-preview", "答复书（预览）");
    return letter_page(p->html);
  });
  r.add("GET", "/api/v1/letters/{id}", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    const std::string format = req.q("format");
    if (format.empty()) {
      auto l = s.letters->get(req.user(), *id);
      if (!l) return Response::error(l.error());
      return Response::json(stringify(letter_json(*l)));
    }
    auto l = s.letters->get(req.user(), *id);
    if (!l) return Response::error(l.error());
    auto b = s.letters->bytes(req.user(), *id, format);
    if (!b) return Response::error(b.error());
    if (format == "html") return letter_page(*b);
    return download(*b, "docx", "letter-" + std::to_string(*id), l->title + " " + l->number);
  });
  r.add("POST", "/api/v1/letters/{id}/reissue", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    std::string reason;
    try {
      Poco::JSON::Parser p;
      auto o = p.parse(req.body).extract<Object::Ptr>();
      reason = o->optValue<std::string>("reason", "");
    } catch (...) {
      return Response::error(make_error(Code::malformed, "请求体应为 JSON 对象"));
    }
    auto l = s.letters->reissue(req.user(), *id, reason);
    if (!l) return Response::error(l.error());
    audit(s, req, "letter.reissue", std::to_string(*id), "→ " + std::to_string(l->id));
    return Response::json(stringify(letter_json(*l)), 201);
  });

  // ---- letter templates (administration) ----
  r.add("GET", "/api/v1/templates", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "template.read"); !st) return Response::error(st.error());
    Array a;
    for (auto& t : s.letters->templates()) {
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("name", t.name);
      o.set("version", t.version);
      a.add(o);
    }
    return Response::json(stringify(a));
  });
  r.add("GET", "/api/v1/templates/{name}", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "template.read"); !st) return Response::error(st.error());
    const std::string name = req.params["name"];
    for (auto& t : s.letters->templates()) {
      if (t.name != name) continue;
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("name", t.name);
      o.set("version", t.version);
      if (auto v = req.q("version"); !v.empty()) {  // an earlier version's text (0: the shipped file)
        auto body = s.letters->version_body(name, v);
        if (!body) return Response::error(body.error());
        o.set("version", std::stoi(v));
        o.set("body", *body);
        return Response::json(stringify(o));
      }
      o.set("body", t.body);
      Array versions;
      for (auto& v : s.letters->versions(name)) {
        Object x(Poco::JSON_PRESERVE_KEY_ORDER);
        x.set("version", v.version);
        x.set("author", v.author);
        x.set("created_at", v.created_at);
        x.set("note", v.note);
        versions.add(x);
      }
      o.set("versions", versions);
      return Response::json(stringify(o));
    }
    return Response::error(make_error(Code::not_found, "没有名为 " + name + " 的文书模板"));
  });
  auto template_body = [](const Request& req) -> Result<std::pair<std::string, std::string>> {
    try {
      Poco::JSON::Parser p;
      auto o = p.parse(req.body).extract<Object::Ptr>();
      if (!o->has("body")) return make_error(Code::invalid, "body: 缺少模板内容", "body");
      if (!o->get("body").isString()) return make_error(Code::invalid, "body: 模板内容应为字符串", "body");
      if (o->has("note") && !o->get("note").isString() && !o->get("note").isEmpty())
        return make_error(Code::invalid, "note: 修改说明应为字符串", "note");
      return std::pair{o->getValue<std::string>("body"), o->optValue<std::string>("note", "")};
    } catch (...) {
      return make_error(Code::malformed, "请求体应为 JSON 对象 {\"body\": \"…\"}");
    }
  };
  r.add("PUT", "/api/v1/templates/{name}", Access::api, [&s, template_body](Request& req) {
    auto b = template_body(req);
    if (!b) return Response::error(b.error());
    auto v = s.letters->save_template(req.user(), req.params["name"], b->first, b->second);
    if (!v) return Response::error(v.error());
    // the store records template.save in the audit trail in the same transaction
    return Response::json("{\"name\":\"" + req.params["name"] + "\",\"version\":" + std::to_string(*v) + "}");
  });
  r.add("POST", "/api/v1/templates/{name}/preview", Access::api, [&s, template_body](Request& req) {
    if (auto st = may(s.workflow, req.user(), "template.read"); !st) return Response::error(st.error());
    auto b = template_body(req);
    if (!b) return Response::error(b.error());
    Agency a = LetterService::sample_agency();
    if (auto own = s.cases.agency(req.user().agency)) {
      Agency mine = *own;
      a = mine;
    }
    auto p = s.letters->preview_template(req.params["name"], b->first, a);
    if (!p) return Response::error(p.error());
    if (req.q("format") == "docx") return download(p->docx, "docx", "template-preview", "模板预览");
    return letter_page(p->html);
  });

  // ---- attachments (stored once per SHA-256 on disk) ----
  r.add("POST", "/api/v1/cases/{id}/attachments", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    auto v = s.case_service.show(req.user(), *id);
    if (!v) return Response::error(v.error());
    // The header is percent-encoded by the client; the query parameter is already decoded.
    const std::string name = req.raw->has("X-Filename") ? url_decode(req.raw->get("X-Filename")) : req.q("name");
    auto stored = store_attachment(s, req, *id, name, req.raw->getContentType(), req.body);
    if (!stored) return Response::error(stored.error());
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("id", static_cast<Poco::Int64>(stored->id));
    o.set("name", stored->name);
    o.set("size", static_cast<Poco::Int64>(stored->size));
    o.set("sha256", stored->sha256);
    return Response::json(stringify(o), 201);
  }, 20 << 20);
  r.add("GET", "/api/v1/cases/{id}/attachments", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    auto v = s.case_service.show(req.user(), *id);
    if (!v) return Response::error(v.error());
    Array a;
    for (auto& x : s.queries.attachments(*id)) {
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("id", static_cast<Poco::Int64>(x.id));
      o.set("name", x.name);
      o.set("size", static_cast<Poco::Int64>(x.size));
      o.set("sha256", x.sha256);
      o.set("uploaded_by", x.uploaded_by);
      o.set("uploaded_at", x.uploaded_at);
      a.add(o);
    }
    return Response::json(stringify(a));
  });
  r.add("GET", "/api/v1/attachments/{id}", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    auto a = s.queries.attachment(*id);
    if (!a) return Response::error(a.error());
    auto v = s.case_service.show(req.user(), a->case_id);  // agency check
    if (!v) return Response::error(v.error());
    std::ifstream in(std::filesystem::path(s.attachments_dir) / a->sha256, std::ios::binary);
    if (!in) return Response::error(make_error(Code::not_found, "附件文件缺失"));
    std::ostringstream buf;
    buf << in.rdbuf();
    Response res;
    res.content_type = "application/octet-stream";
    std::string enc;
    for (unsigned char c : a->name) {
      if (isalnum(c) || c == '.' || c == '-' || c == '_') enc += static_cast<char>(c);
      else {
        char h[4];
        std::snprintf(h, sizeof h, "%%%02X", c);
        enc += h;
      }
    }
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"attachment" +
                                                        std::filesystem::path(a->name).extension().string() +
                                                        "\"; filename*=UTF-8''" + enc);
    res.body = buf.str();
    return res;
  });

  // ---- dashboard, duplicates, alerts ----
  r.add("GET", "/api/v1/dashboard", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    auto d = s.dashboard.for_user(req.user());
    if (!d) return Response::error(d.error());
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    Object counts(Poco::JSON_PRESERVE_KEY_ORDER);
    for (Urgency u : {Urgency::overdue, Urgency::due3, Urgency::due7, Urgency::later, Urgency::unknown})
      counts.set(urgency_key(u), d->count(u));
    o.set("counts", counts);
    Array items;
    for (auto& it : d->items) {
      Poco::JSON::Parser p;
      auto c = p.parse(case_json(it.view, s.workflow, {true, false})).extract<Object::Ptr>();
      c->remove("history");
      c->set("bucket", std::string(urgency_key(it.bucket)));
      items.add(c);
    }
    o.set("items", items);
    Object states(Poco::JSON_PRESERVE_KEY_ORDER);
    for (auto& [k, n] : d->by_state) states.set(k, static_cast<Poco::Int64>(n));
    o.set("by_state", states);
    return Response::json(stringify(o));
  });
  r.add("GET", "/api/v1/duplicates", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    Date today = s.clock.today();
    auto rows = possible_duplicates(s.queries, req.user(), req.q("name"), req.q("identity"), req.q("content"), today);
    Array items;
    for (auto& row : rows) items.add(row_json(row, s.workflow, s.calendar, today));
    return Response::json(stringify(items));
  });
  r.add("GET", "/api/v1/alerts", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    Array a;
    for (auto& x : s.queries.alerts(req.user().agencies_visible, false)) {
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("id", static_cast<Poco::Int64>(x.id));
      o.set("case_id", static_cast<Poco::Int64>(x.case_id));
      o.set("number", x.number);
      o.set("kind", x.kind);
      o.set("due_on", x.due_on);
      o.set("raised_on", x.raised_on);
      o.set("message", x.message);
      a.add(o);
    }
    return Response::json(stringify(a));
  });

  // ---- audit trail ----
  r.add("GET", "/api/v1/audit", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "audit.read"); !st) return Response::error(st.error());
    long long before = 0;
    try {
      before = std::stoll(req.q("before", "0"));
    } catch (...) {
    }
    Array a;
    // An administrator sees the whole trail; an auditor what concerns their agencies.
    const bool all = allows(s.workflow, req.user(), "audit.read_all");
    for (auto& x : s.queries.audit_rows(200, before, all ? nullptr : &req.user().agencies_visible)) {
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("id", static_cast<Poco::Int64>(x.id));
      o.set("at", x.at);
      o.set("actor", x.actor);
      o.set("action", x.action);
      o.set("target", x.target);
      o.set("detail", x.detail);
      a.add(o);
    }
    return Response::json(stringify(a));
  });

  // ---- administration ----
  r.add("GET", "/api/v1/admin/users", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "user.admin"); !st) return Response::error(st.error());
    Array a;
    for (auto& u : s.admin.users()) {
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("username", u.username);
      o.set("display_name", u.display_name);
      o.set("agency", u.agency);
      Array roles;
      for (auto& x : u.roles) roles.add(x);
      o.set("roles", roles);
      a.add(o);
    }
    return Response::json(stringify(a));
  });
  r.add("POST", "/api/v1/admin/users", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "user.admin"); !st) return Response::error(st.error());
    User u;
    std::string password;
    try {
      Poco::JSON::Parser p;
      auto o = p.parse(req.body).extract<Object::Ptr>();
      u.username = o->optValue<std::string>("username", "");
      u.display_name = o->optValue<std::string>("display_name", u.username);
      u.agency = o->optValue<std::string>("agency", "");
      password = o->optValue<std::string>("password", "");
      if (auto roles = o->getArray("roles"))
        for (auto& x : *roles) u.roles.push_back(x.convert<std::string>());
    } catch (...) {
      return Response::error(make_error(Code::malformed, "请求体应为 JSON 对象"));
    }
    auto ready = prepare_new_user(u, password);
    if (!ready) return Response::error(ready.error());
    u = *ready;
    auto id = s.admin.add_user(u, s.clock.now_timestamp());
    if (!id) return Response::error(id.error().code == Code::not_found ? make_error(Code::invalid, "agency: " + id.error().message, "agency") : id.error());
    audit(s, req, "user.add", u.username);
    return Response::json("{\"id\":" + std::to_string(*id) + "}", 201);
  });
  r.add("GET", "/api/v1/admin/agencies", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "agency.read"); !st) return Response::error(st.error());
    Array a;
    for (auto& ag : s.admin.agencies()) {
      auto [body, court] = s.admin.agency_remedy_bodies(ag.code);
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("code", ag.code);
      o.set("name", ag.name);
      o.set("number_pattern", ag.number_pattern);
      o.set("parent", ag.parent);
      o.set("fee_pauses_clock", ag.fee_pauses_clock);
      o.set("reconsideration_body", body);
      o.set("court", court);
      o.set("kind", ag.kind);
      o.set("remedy_policy", ag.remedy_policy.empty() && !s.workflow.remedy_policies().empty()
                                 ? s.workflow.remedy_policies().front().first
                                 : ag.remedy_policy);
      const BodyChoice choice = agency_reconsideration_body(s.cases, ag);
      o.set("effective_reconsideration_body", choice.body.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(choice.body));
      if (!choice.warning.empty()) o.set("warning", choice.warning);
      a.add(o);
    }
    return Response::json(stringify(a));
  });

  // ---- calendar and lifecycle ----
  // calendar: calendar_routes.cpp
  r.add("GET", "/api/v1/workflow.dot", Access::api, [&s](Request&) {
    Response res;
    res.content_type = "text/vnd.graphviz; charset=utf-8";
    res.body = s.workflow.dot();
    return res;
  });
  r.add("GET", "/api/v1/workflow.svg", Access::api, [&s](Request&) {
    Response res;
    res.content_type = "image/svg+xml; charset=utf-8";
    res.body = lifecycle_svg(s.workflow);
    return res;
  });
}

}  // namespace ogi::http
