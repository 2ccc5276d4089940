#pragma once
// A small router over Poco::Net: method + path pattern ("/api/v1/cases/{id}") to a handler.
// Handlers are thin (style rule 9): parse, call one service, serialise.

#include <Poco/Net/HTTPServerRequest.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/auth.h"
#include "base/status.h"

namespace ogi::http {

struct Request {
  Poco::Net::HTTPServerRequest* raw = nullptr;
  std::string method, path, ip;
  std::map<std::string, std::string> params;  // from the path pattern
  std::map<std::string, std::string> query;   // decoded query string
  std::string body;
  std::string body_file;              // a spooled route's body (removed when the request ends)
  std::optional<Authenticated> auth;  // set when a valid session was presented
  bool via_cookie = false;            // browser session (CSRF applies)
  std::string token;                  // the presented token (for logout)
  std::string banner;                 // a warning every page shows (calendar notice missing)

  std::string q(const std::string& k, const std::string& def = "") const;
  const User& user() const { return auth->user; }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is written by this after the headers, in chunks (an export of any size
  // without holding it in memory); `body` then comes first. The status is already sent: a
  // failure part-way ends the response early and closes the connection.
  std::function<bool(std::ostream&)> stream;

  static Response json(std::string body, int status = 200);
  static Response html(std::string body, int status = 200);
  static Response redirect(const std::string& to);
  static Response error(const Error& e);  // contract error body, status from the code table
};

enum class Access {
  open,  // no login needed
  api,   // JSON: bearer token or cookie; 401 JSON without
  page,  // HTML: cookie; redirect to /login without
};

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::vector<std::string> parts;  // "{id}" marks a parameter
  Access access;
  size_t max_body;
  Handler handler;
  std::string pattern;  // as registered: what the log names (never the path asked for)
  bool spool = false;   // the body goes to a temporary file (Request::body_file), not memory
};

class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Access access, Handler h,
           size_t max_body = 1 << 20);
  // A route taking a large body (an upload): it is written to a temporary file as it arrives,
  // so memory stays small whatever the number of uploads in flight (issue 18, finding 3).
  void add_upload(const std::string& method, const std::string& pattern, Access access, Handler h,
                  size_t max_body);
  // The route for method+path, filling params. `path_known` tells 405 from 404.
  const Route* match(const std::string& method, const std::string& path,
                     std::map<std::string, std::string>& params, bool& path_known) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

std::string html_escape(const std::string& s);
std::string url_decode(const std::string& s);
// A path on this site that is safe to redirect to: starts with one '/', and has no backslash,
// control character or second leading slash (browsers read "/\\host" and "/\t/host" as another
// site).
bool local_path(const std::string& s);
// Percent-encodes everything but unreserved ASCII (RFC 3986).
std::string url_encode(const std::string& s);
std::map<std::string, std::string> parse_query(const std::string& qs);
// Every name=value pair of a query string or form body, in order (repeated names kept).
std::vector<std::pair<std::string, std::string>> parse_pairs(const std::string& qs);

}  // namespace ogi::http
