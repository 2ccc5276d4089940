// JSON API: letter templates (read, save, preview).
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
#include "http/api/api_kit.h"
#include "http/server.h"
#include "http/svg.h"

namespace ogi::http {

void add_template_api(Router& r, Services& s) {
  // ---- letter templates (administration) ----
  r.add("GET", "/api/v1/templates", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "template.read"); !st)
      return Response::error(st.error());
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
    if (auto st = may(s.workflow, req.user(), "template.read"); !st)
      return Response::error(st.error());
    const std::string name = req.params["name"];
    for (auto& t : s.letters->templates()) {
      if (t.name != name) continue;
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("name", t.name);
      o.set("version", t.version);
      if (auto v = req.q("version");
          !v.empty()) {  // an earlier version's text (0: the shipped file)
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
      if (!o->get("body").isString())
        return make_error(Code::invalid, "body: 模板内容应为字符串", "body");
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
    return Response::json("{\"name\":\"" + req.params["name"] +
                          "\",\"version\":" + std::to_string(*v) + "}");
  });
  r.add("POST", "/api/v1/templates/{name}/preview", Access::api, [&s, template_body](Request& req) {
    if (auto st = may(s.workflow, req.user(), "template.read"); !st)
      return Response::error(st.error());
    auto b = template_body(req);
    if (!b) return Response::error(b.error());
    Agency a = LetterService::sample_agency();
    if (auto own = s.office.agency(req.user().agency)) {
      Agency mine = *own;
      a = mine;
    }
    auto p = s.letters->preview_template(req.params["name"], b->first, a);
    if (!p) return Response::error(p.error());
    if (req.q("format") == "docx") return download(p->docx, "docx", "template-preview", "模板预览");
    return letter_page(p->html);
  });
}

}  // namespace ogi::http
