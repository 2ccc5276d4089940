// JSON API: 我的待办's queues (GET /api/v1/queues) and a case's 承办人
// (POST /api/v1/cases/{id}/assignee).
#include "api/case_json.h"
#include "app/policy.h"
#include "app/queues.h"
#include "http/api/api_kit.h"

namespace ogi::http {

void add_queue_api(Router& r, Services& s) {
  r.add("GET", "/api/v1/queues", Access::api, [&s](Request& req) {
    if (auto st = may(s.workflow, req.user(), "case.read"); !st) return Response::error(st.error());
    auto queues = s.queues->for_user(req.user());
    if (!queues) return Response::error(queues.error());
    Array out;
    for (auto& q : *queues) {
      Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("key", q.spec->key);
      o.set("label", q.spec->label);
      o.set("count", static_cast<Poco::Int64>(std::min<long long>(q.count, 1000)));
      o.set("count_more", q.count > 1000);
      Array items;
      for (auto& it : q.items) items.add(work_item_json(it.view, s.workflow, it.bucket, "urgency"));
      o.set("cases", items);
      out.add(o);
    }
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("queues", out);
    return Response::json(stringify(o));
  });
  // {"assignee": LOGIN} or {"assignee": null} (nobody) → the case.
  r.add("POST", "/api/v1/cases/{id}/assignee", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    Object::Ptr body;
    try {
      Poco::JSON::Parser p;
      Var v = p.parse(req.body);
      if (v.type() == typeid(Object::Ptr)) body = v.extract<Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
    if (!body) return Response::error(make_error(Code::malformed, "请求体应为 JSON 对象"));
    if (!body->has("assignee"))
      return Response::error(make_error(Code::invalid, "assignee: 必须填写", "assignee"));
    std::string who;
    if (!body->isNull("assignee")) {
      Var v = body->get("assignee");
      if (!v.isString())
        return Response::error(make_error(Code::invalid, "assignee: 应为字符串", "assignee"));
      who = v.convert<std::string>();
    }
    if (Status st = s.case_service.assign(req.user(), *id, who, "ip=" + req.ip); !st)
      return Response::error(st.error());
    return case_response(s, s.case_service.show(req.user(), *id));
  });
}

}  // namespace ogi::http
