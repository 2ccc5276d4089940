#include "http/router.h"

#include "api/case_json.h"

namespace ogi::http {

namespace {
std::vector<std::string> split_path(const std::string& p) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    if (j > i) out.push_back(p.substr(i, j - i));
    i = j + 1;
  }
  return out;
}
}  // namespace

std::string Request::q(const std::string& k, const std::string& def) const {
  auto it = query.find(k);
  return it == query.end() ? def : it->second;
}

Response Response::json(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}
Response Response::html(std::string body, int status) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  return r;
}
Response Response::redirect(const std::string& to) {
  Response r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Location", to);
  return r;
}
Response Response::error(const Error& e) { return json(error_json(e), http_status(e.code)); }

void Router::add(const std::string& method, const std::string& pattern, Access access, Handler h,
                 size_t max_body) {
  routes_.push_back(Route{method, split_path(pattern), access, max_body, std::move(h), pattern});
}

void Router::add_upload(const std::string& method, const std::string& pattern, Access access,
                        Handler h, size_t max_body) {
  add(method, pattern, access, std::move(h), max_body);
  routes_.back().spool = true;
}

const Route* Router::match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>& params, bool& path_known) const {
  auto parts = split_path(path);
  path_known = false;
  for (const Route& r : routes_) {
    if (r.parts.size() != parts.size()) continue;
    std::map<std::string, std::string> p;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& want = r.parts[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}')
        p[want.substr(1, want.size() - 2)] =
            parts[i];  // the path is decoded once, by the dispatcher
      else
        ok = want == parts[i];
    }
    if (!ok) continue;
    path_known = true;
    if (r.method != method && !(method == "HEAD" && r.method == "GET")) continue;
    params = std::move(p);
    return &r;
  }
  return nullptr;
}

std::string html_escape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

bool local_path(const std::string& s) {
  if (s.empty() || s[0] != '/' || s.size() > 2000) return false;
  if (s.size() > 1 && (s[1] == '/' || s[1] == '\\')) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  return true;
}

std::string url_decode(const std::string& s) {
  std::string o;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      o += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      o += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      o += s[i];
    }
  }
  return o;
}

std::string url_encode(const std::string& s) {
  std::string o;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      o += static_cast<char>(c);
    } else {
      char h[4];
      std::snprintf(h, sizeof h, "%%%02X", c);
      o += h;
    }
  }
  return o;
}

std::vector<std::pair<std::string, std::string>> parse_pairs(const std::string& qs) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  while (i <= qs.size()) {
    size_t j = qs.find('&', i);
    if (j == std::string::npos) j = qs.size();
    std::string kv = qs.substr(i, j - i);
    if (!kv.empty()) {
      size_t eq = kv.find('=');
      out.emplace_back(url_decode(kv.substr(0, eq)),
                       eq == std::string::npos ? "" : url_decode(kv.substr(eq + 1)));
    }
    i = j + 1;
  }
  return out;
}

std::map<std::string, std::string> parse_query(const std::string& qs) {
  std::map<std::string, std::string> out;
  for (auto& [k, v] : parse_pairs(qs)) out[k] = v;
  return out;
}

}  // namespace ogi::http
