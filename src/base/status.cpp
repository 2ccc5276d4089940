#include "base/status.h"

namespace ogi {

namespace {
struct Row {
  Code code;
  const char* name;
  int http;
  int exit;
};
// The one mapping table. CLI exit codes follow contract.md: 2 bad usage or input, 3 not found
// or outside the known calendar, 1 anything else.
constexpr Row kRows[] = {
    {Code::ok, "ok", 200, 0},
    {Code::malformed, "malformed", 400, 2},
    {Code::invalid, "invalid", 422, 2},
    {Code::unauthenticated, "unauthenticated", 401, 1},
    {Code::forbidden, "forbidden", 403, 1},
    {Code::not_found, "not_found", 404, 3},
    {Code::not_allowed, "not_allowed", 409, 1},
    {Code::conflict, "conflict", 409, 1},
    {Code::out_of_calendar, "out_of_calendar", 422, 3},
    {Code::throttled, "throttled", 429, 1},
    {Code::too_large, "too_large", 413, 2},
    {Code::timeout, "timeout", 408, 1},
    {Code::bad_method, "method_not_allowed", 405, 2},
    {Code::unavailable, "unavailable", 503, 1},
    {Code::internal, "internal", 500, 1},
};
const Row& row(Code c) {
  for (const Row& r : kRows)
    if (r.code == c) return r;
  return kRows[sizeof(kRows) / sizeof(kRows[0]) - 1];
}
}  // namespace

const char* code_name(Code c) { return row(c).name; }
int http_status(Code c) { return row(c).http; }
int exit_code(Code c) { return row(c).exit; }

}  // namespace ogi
