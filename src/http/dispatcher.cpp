// The one request handler: routing, body limit (413), authentication (401 / login redirect),
// CSRF for browser sessions, exceptions to 500, security headers, and an access log line that
// carries no query string, body, name, ID number or phone.
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <mutex>

#include "app/policy.h"
#include "app/users.h"
#include "base/text.h"
#include "http/body.h"
#include "http/request_checks.h"
#include "http/server.h"
#include "log/log.h"

namespace ogi::http {

namespace {

bool is_api(const std::string& path) { return path.rfind("/api/", 0) == 0; }

class Dispatcher final : public Poco::Net::HTTPRequestHandler {
 public:
  Dispatcher(const Router& r, Services& s) : router_(r), s_(s) {}

  void handleRequest(Poco::Net::HTTPServerRequest& raw,
                     Poco::Net::HTTPServerResponse& out) override {
    auto t0 = std::chrono::steady_clock::now();
    if (s_.deadlines)
      if (auto* sock = socket_of(raw))
        s_.deadlines->head_received(*sock);  // the body gets the full limit
    Request req;
    req.raw = &raw;
    req.method = raw.getMethod();
    req.ip = client_address(raw.clientAddress().host().toString(), raw.get("X-Forwarded-For", ""),
                            s_.trusted_proxies);
    Response res;
    bool uri_ok = false;
    try {
      Poco::URI uri(raw.getURI());
      req.path = uri.getPath();
      req.query = parse_query(uri.getRawQuery());
      uri_ok = true;
    } catch (const std::exception&) {
      // A request line that does not parse: 400, and the connection closes without reading a
      // body that could itself be a request (desync).
      close_ = true;
      res = Response::error(make_error(Code::malformed, "请求地址格式错误"));
    }
    try {
      if (uri_ok) res = handle(req);
    } catch (const std::exception& e) {
      // Never echo the exception text (it may hold request data); log its type only.
      log::error("http.exception",
                 {{"method", req.method}, {"route", route_}, {"type", typeid(e).name()}});
      res =
          is_api(req.path)
              ? Response::error(make_error(Code::internal, "服务器内部错误，请稍后再试"))
              : Response::html(
                    "<!doctype html><meta charset=utf-8><p>服务器内部错误，请稍后再试。</p>", 500);
    }
    // Never a header that could split the response (a CR or LF in a redirect target, say).
    for (auto& [k, v] : res.headers)
      if (!header_safe(v)) {
        log::error("http.unsafe_header",
                   {{"method", req.method}, {"route", route_}, {"header", k}});
        res = is_api(req.path)
                  ? Response::error(make_error(Code::internal, "服务器内部错误，请稍后再试"))
                  : Response::html(
                        "<!doctype html><meta charset=utf-8><p>服务器内部错误，请稍后再试。</p>",
                        500);
        break;
      }
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(res.status));
    out.setContentType(res.content_type);
    out.set("X-Content-Type-Options", "nosniff");
    out.set("X-Frame-Options", "DENY");
    out.set("Referrer-Policy", "same-origin");
    out.set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'");
    bool has_cache = false;
    for (auto& [k, v] : res.headers) {
      if (k == "Set-Cookie")
        out.add(k, v);
      else
        out.set(k, v);
      has_cache |= k == "Cache-Control";
    }
    if (!has_cache) out.set("Cache-Control", "no-store");
    if (res.stream)
      out.setChunkedTransferEncoding(true);
    else
      out.setContentLength(static_cast<std::streamsize>(res.body.size()));
    if (close_) out.setKeepAlive(false);  // an unread body is on the wire: close after answering
    std::ostream& os = out.send();
    if (req.method != "HEAD") os << res.body;
    if (res.stream && req.method != "HEAD" && (!res.stream(os) || !os)) {
      log::error("http.stream_failed", {{"route", route_}});
      // no last chunk: the client sees the body cut short, and the connection ends here
      if (auto* sock = socket_of(raw)) sock->shutdown();
      return;
    }
    if (close_) {
      os.flush();  // the client reads the answer now, while the rest of its body is drained
      linger(raw);
    } else if (s_.deadlines) {
      if (auto* sock = socket_of(raw))
        s_.deadlines->arm(*sock);  // the next request on this connection
    }
    auto ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (s_.access_log)
      log::info("http", {{"method", req.method},
                         {"route", route_},
                         {"status", std::to_string(res.status)},
                         {"ms", std::to_string(static_cast<int>(ms))},
                         {"user", req.auth ? std::to_string(req.auth->user.id) : "-"}});
  }

 private:
  // A bearer token (API clients) or the session cookie (browsers).
  void identify(Request& req) {
    auto& raw = *req.raw;
    std::string authz = raw.get("Authorization", "");
    if (authz.rfind("Bearer ", 0) == 0) {
      req.token = authz.substr(7);
    } else {
      Poco::Net::NameValueCollection cookies;
      raw.getCookies(cookies);
      if (cookies.has("ogi_session")) {
        req.token = cookies.get("ogi_session");
        req.via_cookie = true;
      }
    }
    if (!req.token.empty()) {
      auto a = s_.auth.authenticate(req.token);
      if (a) req.auth = *a;
    }
  }

  static bool pending_body(const Request& req) {
    auto& raw = *req.raw;
    return (raw.hasContentLength() && raw.getContentLength64() > 0) ||
           raw.getChunkedTransferEncoding();
  }

  Response handle(Request& req) {
    bool known = false;
    const Route* route = router_.match(req.method, req.path, req.params, known);
    route_ = route ? route->pattern : "(no route)";
    // Who is asking, from the headers alone: a request that needs a login and has none is
    // answered before its body is read (issue 18, finding 3: no memory for anonymous uploads).
    if (route) identify(req);
    if (route && route->access != Access::open && !req.auth) {
      if (has_nul(req)) {
        auto e = make_error(Code::malformed, "请求中含有空字符（NUL），未作处理");
        close_ = pending_body(req);
        return is_api(req.path)
                   ? Response::error(e)
                   : Response::html("<!doctype html><meta charset=utf-8><p>" + e.message + "</p>",
                                    400);
      }
      close_ = pending_body(req);  // the unread body is on the wire: close after answering
      if (route->access == Access::page)
        return Response::redirect("/login?next=" + Poco::URI(req.path).toString());
      return Response::error(make_error(Code::unauthenticated, req.token.empty()
                                                                   ? "请先登录（缺少 Bearer 令牌）"
                                                                   : "登录已失效，请重新登录"));
    }
    // The body is always consumed before answering, so a keep-alive connection stays in step.
    SpooledFile spooled;  // an upload's body, removed when this request ends
    const Body body = read_body(req, route ? route->max_body : kDefaultLimit,
                                route && route->spool ? &spooled : nullptr);
    if (body == Body::too_large) {
      // Answer at once and close; after the answer, keep reading (discarding) for a moment so a
      // client still sending its body reads the 413 rather than a connection reset.
      req.body.clear();
      close_ = true;
      return too_large(req, route ? route->max_body : kDefaultLimit);
    }
    if (body == Body::incomplete) {  // nothing is done with half a request
      req.body.clear();
      close_ = true;
      auto e = make_error(Code::timeout, "请求未在时限内完整送达，未作处理");
      return is_api(req.path)
                 ? Response::error(e)
                 : Response::html("<!doctype html><meta charset=utf-8><p>" + e.message + "</p>",
                                  408);
    }
    if (s_.deadlines)
      if (auto* sock = socket_of(*req.raw)) s_.deadlines->disarm(*sock);  // received in time
    if (has_nul(req)) {
      auto e = make_error(Code::malformed, "请求中含有空字符（NUL），未作处理");
      return is_api(req.path)
                 ? Response::error(e)
                 : Response::html("<!doctype html><meta charset=utf-8><p>" + e.message + "</p>",
                                  400);
    }
    if (!route) {
      if (known)
        return Response::error(
            make_error(Code::bad_method, "该地址不支持 " + req.method + " 请求"));
      if (is_api(req.path))
        return Response::error(make_error(Code::not_found, "没有这个接口：" + req.path));
      return Response::html(
          "<!doctype html><meta charset=utf-8><title>未找到</title><p>页面不存在。<a "
          "href=\"/\">返回首页</a></p>",
          404);
    }
    auto& raw = *req.raw;
    if (route->access != Access::open && !req.auth) {
      if (route->access == Access::page)
        return Response::redirect("/login?next=" + Poco::URI(req.path).toString());
      return Response::error(make_error(Code::unauthenticated, req.token.empty()
                                                                   ? "请先登录（缺少 Bearer 令牌）"
                                                                   : "登录已失效，请重新登录"));
    }
    // CSRF: a browser session must prove the request came from our own page.
    // (The login form has a token of its own, checked by its handler: it is posted before there
    // is a session, or by a browser whose old session it replaces.)
    if (req.auth && req.via_cookie && req.method != "GET" && req.method != "HEAD" &&
        req.path != "/login") {
      // From the header (scripts) or the form's own field, never the query string (it would reach
      // logs and Referer headers).
      std::string sent = raw.get("X-CSRF-Token", "");
      const std::string type = raw.getContentType();
      if (sent.empty() && type.find("application/x-www-form-urlencoded") != std::string::npos)
        sent = form_field(req.body, "_csrf");
      if (sent.empty() && type.find("multipart/form-data") != std::string::npos)
        sent = multipart_field(type, body_prefix(req, 64 * 1024), "_csrf");  // the first field
      if (sent != req.auth->session.csrf)
        return is_api(req.path)
                   ? Response::error(make_error(Code::forbidden, "缺少或错误的 CSRF 令牌"))
                   : Response::html(
                         "<!doctype html><meta charset=utf-8><p>页面已过期（CSRF "
                         "校验失败），请返回刷新后重试。</p>",
                         403);
    }
    if ((req.path == "/api/v1/calendar" || req.path == "/admin/calendar") && req.method == "POST") {
      std::unique_lock lock(s_.calendar_lock);
      return route->handler(req);
    }
    std::shared_lock lock(s_.calendar_lock);
    set_banner(req);
    return route->handler(req);
  }

  // From 1 November while next year's notice is missing, administrators and the 公开办 see a
  // banner on every page (under the calendar lock: the calendar may be replaced).
  void set_banner(Request& req) {
    if (!req.auth || !allows(s_.workflow, req.user(), "calendar.notice")) return;
    auto year = missing_notice_year(s_.calendar, s_.clock.today());
    if (!year) return;
    const std::string y = std::to_string(*year);
    req.banner = y + "年节假日安排尚未导入：" + y +
                 "年的到期日按法定节假日暂定推算，可能与正式安排相差数日。" +
                 (allows(s_.workflow, req.user(), "calendar.import")
                      ? "国务院办公厅通知发布后，请在“节假日日历”页粘贴导入。"
                      : "国务院办公厅通知发布后，请联系系统管理员导入。");
  }

  Response too_large(const Request& req, size_t limit) {
    auto e = make_error(Code::too_large,
                        "请求内容过大（上限 " + std::to_string(limit / 1024) + " KiB）");
    return is_api(req.path)
               ? Response::error(e)
               : Response::html("<!doctype html><meta charset=utf-8><p>" + e.message + "</p>", 413);
  }

  static void linger(Poco::Net::HTTPServerRequest& raw) {
    try {
      auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(raw);
      impl.socket().setReceiveTimeout(Poco::Timespan(1, 0));
      raw.stream().ignore(static_cast<std::streamsize>(kDrainLimit));
    } catch (...) {
      // timeout or reset: the connection is closed either way
    }
  }

  static constexpr size_t kDefaultLimit = 1 << 20;
  static constexpr size_t kDrainLimit = 16 << 20;
  const Router& router_;
  Services& s_;
  bool close_ = false;
  std::string route_ = "-";  // the matched route's pattern, for the log
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const Router& r, Services& s) : router_(r), s_(s) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Dispatcher(router_, s_);
  }
  // Tells every open connection to close after its current request (as HTTPServer::stopAll).
  void stop_connections() { serverStopped(this, false); }

 private:
  const Router& router_;
  Services& s_;
};

}  // namespace

Poco::Net::HTTPRequestHandlerFactory* make_factory(const Router& router, Services& s) {
  return new Factory(router, s);
}

void HttpServer::stop() {
  server_->stop();
  if (auto* f = dynamic_cast<Factory*>(factory_.get())) f->stop_connections();
}

Router build_routes(Services& s) {
  Router r;
  add_api_routes(r, s);
  add_ui_routes(r, s);
  add_calendar_routes(r, s);
  return r;
}

}  // namespace ogi::http
