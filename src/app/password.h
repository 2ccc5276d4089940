#pragma once
// Password storage: PBKDF2-HMAC-SHA256, 16-byte random salt, 600,000 iterations (OWASP 2023 for
// PBKDF2-HMAC-SHA256), encoded as "pbkdf2-sha256$ITER$SALT_HEX$HASH_HEX". A hash made at a lower
// cost (older releases, the demo users) is replaced at the owner's next successful login.
#include <string>

namespace ogi {
inline constexpr int kPasswordIterations = 600000;
std::string hash_password(const std::string& password, int iterations = kPasswordIterations);
bool verify_password(const std::string& password, const std::string& encoded);
// True when `encoded` was made at less than the current cost (or is not a hash this program makes).
bool needs_rehash(const std::string& encoded);
}  // namespace ogi
