#pragma once
// Password storage: PBKDF2-HMAC-SHA256, 16-byte random salt, 210,000 iterations (OWASP 2023),
// encoded as "pbkdf2-sha256$ITER$SALT_HEX$HASH_HEX".
#include <string>

namespace ogi {
std::string hash_password(const std::string& password, int iterations = 210000);
bool verify_password(const std::string& password, const std::string& encoded);
}  // namespace ogi
