#pragma once
// Errors as values. Expected failures (bad input, wrong state, missing record) travel as an
// Error inside a Result<T>; exceptions stop at the adapter edge. One table (status.cpp) maps
// each code to an HTTP status and a CLI exit code.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ogi {

enum class Code {
  ok,
  malformed,        // unparseable request (bad JSON, wrong shape)
  invalid,          // a field is present but invalid; Error::field names it
  unauthenticated,  // no or bad credentials
  forbidden,        // wrong role or agency
  not_found,        // no such record
  not_allowed,      // not allowed in the case's current state
  conflict,         // concurrent edit, duplicate key
  out_of_calendar,  // a date the official calendar does not cover
  throttled,        // too many attempts (login)
  too_large,        // request body over the limit
  timeout,          // the request did not arrive in full within the deadline
  bad_method,       // the path exists, not for this HTTP method
  unavailable,      // the database is busy (another process holds its write lock): try again
  internal,         // anything else (a bug or an I/O failure)
};

struct Error {
  Code code = Code::internal;
  std::string message;  // one plain sentence, shown to the user as is
  std::string field;    // the offending field, when code == invalid
};

// Stable snake_case name of a code ("invalid", "not_allowed", ...), used in API error bodies.
const char* code_name(Code c);
int http_status(Code c);
int exit_code(Code c);

inline Error make_error(Code c, std::string message, std::string field = {}) {
  return Error{c, std::move(message), std::move(field)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error e) : v_(std::move(e)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// A Result without a value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : e_(std::move(e)) {}  // NOLINT
  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *e_; }

 private:
  std::optional<Error> e_;
};

}  // namespace ogi
