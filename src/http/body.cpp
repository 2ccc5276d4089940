#include "http/body.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ogi::http {

SpooledFile::~SpooledFile() {
  if (!path.empty()) ::unlink(path.c_str());
}

std::string temporary_file(const char* prefix) {
  const char* dir = std::getenv("TMPDIR");
  std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/" + prefix + "XXXXXX";
  const int fd = ::mkstemp(tmpl.data());  // mode 600
  if (fd < 0) return "";
  ::close(fd);
  return tmpl;
}

Body read_body(Request& req, size_t limit, SpooledFile* spool) {
  auto& raw = *req.raw;
  if (raw.hasContentLength() && raw.getContentLength64() > static_cast<Poco::Int64>(limit))
    return Body::too_large;
  std::ofstream file;
  if (spool) {  // even for no body: the handler then finds an empty file
    spool->path = temporary_file("ogi-upload-");
    if (spool->path.empty()) return Body::incomplete;
    file.open(spool->path, std::ios::binary | std::ios::trunc);
    req.body_file = spool->path;
  }
  // No Content-Length and not chunked: no body (a POST without one is an empty body, not a
  // wait for the connection to end).
  if (!raw.hasContentLength() && !raw.getChunkedTransferEncoding()) return Body::ok;
  auto& in = raw.stream();
  std::string buf(64 * 1024, '\0');
  size_t total = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<size_t>(in.gcount());
    total += n;
    if (total > limit) return Body::too_large;
    if (spool)
      file.write(buf.data(), static_cast<std::streamsize>(n));
    else
      req.body.append(buf.data(), n);
  }
  if (spool && !file.flush()) return Body::incomplete;  // the disk is full: nothing half-kept
  if (in.bad()) return Body::incomplete;  // a read failed: timeout, reset, or the deadline
  if (raw.hasContentLength() && static_cast<Poco::Int64>(total) < raw.getContentLength64())
    return Body::incomplete;
  return Body::ok;
}

std::string body_prefix(const Request& req, size_t n) {
  if (req.body_file.empty()) return req.body.substr(0, n);
  std::ifstream in(req.body_file, std::ios::binary);
  std::string out(n, '\0');
  in.read(out.data(), static_cast<std::streamsize>(n));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

}  // namespace ogi::http
