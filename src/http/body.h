#pragma once
// Reading a request's body: into memory (forms, JSON), or for an upload route into a temporary
// file as it arrives (issue 18, finding 3), never more than the route's limit either way.
#include <string>

#include "http/router.h"

namespace ogi::http {

enum class Body { ok, too_large, incomplete };

// A temporary file for a spooled body, removed with this object (when the request ends).
struct SpooledFile {
  std::string path;
  SpooledFile() = default;
  SpooledFile(const SpooledFile&) = delete;
  SpooledFile& operator=(const SpooledFile&) = delete;
  ~SpooledFile();
};

// A new empty temporary file ($TMPDIR, else /tmp; mode 600): its path, or "" when none can be
// made. Whoever gets it removes it (SpooledFile does).
std::string temporary_file(const char* prefix);

// Reads the body (at most `limit` bytes). With `spool`, into a temporary file (req.body_file),
// otherwise into req.body. Too large: the rest is not read, and the connection must then be
// closed (Poco would otherwise parse the leftover as a request). Incomplete: the client stopped
// (or was cut off) before the end it announced.
Body read_body(Request& req, size_t limit, SpooledFile* spool = nullptr);

// The first `n` bytes of a spooled body (to find a form's first fields without reading it all).
std::string body_prefix(const Request& req, size_t n);

}  // namespace ogi::http
