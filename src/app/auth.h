#pragma once
// Login, sessions and throttling. Tokens are 256-bit random values; only their SHA-256 is
// stored. Sessions expire `lifetime_minutes` after the last use (sliding) and never later than
// `max_hours` after login. A new login always gets a new token (rotation at login).

#include <string>

#include "app/ports.h"
#include "app/web_ports.h"
#include "base/date.h"

namespace ogi {

struct AuthSettings {
  int lifetime_minutes = 60;  // idle timeout
  int max_hours = 12;         // absolute limit
  // Throttling (issue 18): after `max_failures` failures of an account within the window, each
  // further attempt on it waits (1, 2, 4 … up to `max_delay_seconds` s) before its password is
  // checked, and a right password still gets in; an address with 4x that many failures is
  // refused for the rest of the window (that address only).
  int max_failures = 5;
  int window_minutes = 15;
  int max_delay_seconds = 8;
};

// What a login attempt counted (for the audit: refused attempts are aggregated, not one row each).
struct LoginAttempt {
  int account_failures = 0;  // failures of the account in the window before this attempt
  int address_failures = 0;  // failures from the address in the window before this attempt
  bool throttled = false;    // refused without checking the password
  int delayed_seconds = 0;
};

struct LoginResult {
  std::string token, csrf;
  long long expires_at = 0;
  User user;
};

struct Authenticated {
  User user;
  SessionRecord session;
};

class AuthService {
 public:
  AuthService(SessionStore& sessions, CaseStore& users, const Clock& clock, AuthSettings s = {})
      : sessions_(sessions), users_(users), clock_(clock), s_(s) {}

  // unauthenticated on a bad name or password (same message for both); throttled when locked.
  Result<LoginResult> login(const std::string& username, const std::string& password,
                            const std::string& ip, LoginAttempt* attempt = nullptr);
  Result<Authenticated> authenticate(const std::string& token);
  Status logout(const std::string& token);
  const AuthSettings& settings() const { return s_; }

 private:
  SessionStore& sessions_;
  CaseStore& users_;
  const Clock& clock_;
  AuthSettings s_;
};

std::string random_token();  // 64 hex characters
std::string sha256_hex(const std::string& data);
// The SHA-256 of a file's bytes, read a block at a time; "" when it cannot be read.
std::string sha256_file_hex(const std::string& path);
std::string hmac_sha256_hex(const std::string& key, const std::string& data);

}  // namespace ogi
