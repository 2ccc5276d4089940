#pragma once
// What the dispatcher checks of a request before a handler sees it, one function each.
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/StreamSocket.h>

#include <string>

#include "http/router.h"

namespace ogi::http {

// A NUL anywhere in the request's text (path, query, form or JSON body).
bool has_nul(const Request& req);
// A header value without CR, LF or NUL (nothing that could split the response).
bool header_safe(const std::string& v);
// The connection's socket (for the request deadline), when Poco gives one.
Poco::Net::StreamSocket* socket_of(Poco::Net::HTTPServerRequest& raw);
// One field of a form body (the CSRF token of a cookie session).
std::string form_field(const std::string& body, const std::string& key);
// One plain field of a multipart/form-data body (`content_type` gives the boundary); "" when it
// is missing or malformed.
std::string multipart_field(const std::string& content_type, const std::string& body,
                            const std::string& key);
// A cookie of the request; "" when it has none of that name.
std::string cookie_of(const Request& req, const std::string& name);

}  // namespace ogi::http
