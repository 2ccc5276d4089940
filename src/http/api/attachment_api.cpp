// JSON API: attachments, stored once per SHA-256 on disk.
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

void add_attachment_api(Router& r, Services& s) {
  // ---- attachments (stored once per SHA-256 on disk) ----
  r.add_upload(
      "POST", "/api/v1/cases/{id}/attachments", Access::api,
      [&s](Request& req) {
        auto id = id_param(req);
        if (!id) return Response::error(id.error());
        auto v = s.case_service.show(req.user(), *id);
        if (!v) return Response::error(v.error());
        // The header is percent-encoded by the client; the query parameter is already decoded.
        const std::string name =
            req.raw->has("X-Filename") ? url_decode(req.raw->get("X-Filename")) : req.q("name");
        auto stored =
            store_attachment_file(s, req, *id, name, req.raw->getContentType(), req.body_file);
        if (!stored) return Response::error(stored.error());
        Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("id", static_cast<Poco::Int64>(stored->id));
        o.set("name", stored->name);
        o.set("size", static_cast<Poco::Int64>(stored->size));
        o.set("sha256", stored->sha256);
        return Response::json(stringify(o), 201);
      },
      20 << 20);
  r.add("GET", "/api/v1/cases/{id}/attachments", Access::api, [&s](Request& req) {
    auto id = id_param(req);
    if (!id) return Response::error(id.error());
    auto listed = s.office.attachments(req.user(), *id);
    if (!listed) return Response::error(listed.error());
    Array a;
    for (auto& x : *listed) {
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
    auto file = s.office.attachment_file(req.user(), *id);  // with the case's agency check
    if (!file) return Response::error(file.error());
    const Attachment* a = &file->first;
    audit_read(s, req, "attachment.read", std::to_string(a->case_id), a->name);
    Response res;
    res.content_type = "application/octet-stream";
    std::string enc;
    for (unsigned char c : a->name) {
      if (isalnum(c) || c == '.' || c == '-' || c == '_')
        enc += static_cast<char>(c);
      else {
        char h[4];
        std::snprintf(h, sizeof h, "%%%02X", c);
        enc += h;
      }
    }
    res.headers.emplace_back("Content-Disposition",
                             "attachment; filename=\"attachment" +
                                 std::filesystem::path(a->name).extension().string() +
                                 "\"; filename*=UTF-8''" + enc);
    res.body = std::move(file->second);
    return res;
  });
}

}  // namespace ogi::http
