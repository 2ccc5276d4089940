// The request checks of request_checks.h, the client address behind a trusted proxy, and the
// audit helpers every route uses (server.h).
#include "http/request_checks.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>

#include <algorithm>
#include <sstream>

#include "base/text.h"
#include "http/server.h"

namespace ogi::http {

// A NUL anywhere in the request's text (path, query, form or JSON body): refused at the door,
// the same on both database engines (PostgreSQL cannot store it; a client may stop reading at it).
bool has_nul(const Request& req) {
  if (req.path.find('\0') != std::string::npos) return true;
  for (auto& [k, v] : req.query)
    if (k.find('\0') != std::string::npos || v.find('\0') != std::string::npos) return true;
  const std::string type = req.raw->getContentType();
  if (type.find("application/x-www-form-urlencoded") != std::string::npos) {
    for (auto& [k, v] : parse_pairs(req.body))
      if (k.find('\0') != std::string::npos || v.find('\0') != std::string::npos) return true;
  } else if (type.find("json") != std::string::npos) {
    // JSON can only carry a NUL as the escape \u0000 (inside a string; escapes come in pairs).
    const std::string& b = req.body;
    for (size_t i = 0; i < b.size(); ++i) {
      if (b[i] == '\0') return true;
      if (b[i] != '\\') continue;
      if (i + 5 < b.size() && b[i + 1] == 'u' && b.compare(i + 2, 4, "0000") == 0) return true;
      ++i;  // the escaped character
    }
  }
  return false;
}

std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted) {
  auto is_trusted = [&](const std::string& a) {
    return std::find(trusted.begin(), trusted.end(), a) != trusted.end();
  };
  if (!is_trusted(peer) || forwarded_for.empty()) return peer;
  std::vector<std::string> hops;
  std::string cur;
  for (char c : forwarded_for + ",") {
    if (c == ',') {
      while (!cur.empty() && (cur.back() == ' ' || cur.back() == '\t')) cur.pop_back();
      size_t b = cur.find_first_not_of(" \t");
      hops.push_back(b == std::string::npos ? "" : cur.substr(b));
      cur.clear();
    } else {
      cur += c;
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (is_trusted(*it)) continue;
    Poco::Net::IPAddress ip;
    if (!Poco::Net::IPAddress::tryParse(*it, ip)) return peer;  // garbage: the proxy itself
    return ip.toString();
  }
  return peer;
}

bool header_safe(const std::string& v) {
  return v.find_first_of(std::string("\r\n\0", 3)) == std::string::npos;
}

Poco::Net::StreamSocket* socket_of(Poco::Net::HTTPServerRequest& raw) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&raw);
  return impl ? &impl->socket() : nullptr;
}

std::string form_field(const std::string& body, const std::string& key) {
  auto f = parse_query(body);
  auto it = f.find(key);
  return it == f.end() ? "" : it->second;
}

std::string multipart_field(const std::string& content_type, const std::string& body,
                            const std::string& key) {
  try {
    std::string boundary;
    Poco::Net::NameValueCollection params;
    std::string mime;
    Poco::Net::MessageHeader::splitParameters(content_type, mime, params);
    boundary = params.get("boundary", "");
    if (boundary.empty()) return "";
    std::istringstream in(body);
    Poco::Net::MultipartReader reader(in, boundary);
    while (reader.hasNextPart()) {
      Poco::Net::MessageHeader h;
      reader.nextPart(h);
      std::string disp;
      Poco::Net::NameValueCollection dp;
      Poco::Net::MessageHeader::splitParameters(h.get("Content-Disposition", ""), disp, dp);
      if (dp.get("name", "") == key && !dp.has("filename")) {
        std::string v;
        std::getline(reader.stream(), v, '\0');
        return v.size() > 256 ? "" : v;
      }
    }
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {
  }
  return "";
}

std::string cookie_of(const Request& req, const std::string& name) {
  if (!req.raw) return "";
  Poco::Net::NameValueCollection cookies;
  req.raw->getCookies(cookies);
  return cookies.get(name, "");
}

void audit_login_failure(Services& s, const Request& req, const std::string& username,
                         const LoginAttempt& a) {
  if (a.throttled) return;
  const int n = a.address_failures + 1, limit = s.auth.settings().max_failures;
  if (n != 1 && n != limit && n != 4 * limit) return;
  s.office.record(utf8_prefix(username, 64), "login.failed", "",
                  "ip=" + req.ip + " 该地址" + std::to_string(s.auth.settings().window_minutes) +
                      "分钟内第" + std::to_string(n) + "次登录失败");
}

void audit_read(Services& s, const Request& req, const std::string& action,
                const std::string& target, const std::string& detail) {
  if (!req.auth) return;
  s.office.record_read(req.auth->user, action, target,
                       detail + (detail.empty() ? "" : " ") + "ip=" + req.ip);
}

void audit(Services& s, const Request& req, const std::string& action, const std::string& target,
           const std::string& detail) {
  s.office.record(req.auth ? req.auth->user.username : "-", action, target,
                  detail + (detail.empty() ? "" : " ") + "ip=" + req.ip);
}

}  // namespace ogi::http
