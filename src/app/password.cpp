#include "app/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "base/text.h"

namespace ogi {

namespace {
std::vector<unsigned char> unhex(const std::string& s) {
  std::vector<unsigned char> out;
  for (size_t i = 0; i + 1 < s.size(); i += 2)
    out.push_back(static_cast<unsigned char>(std::stoi(s.substr(i, 2), nullptr, 16)));
  return out;
}
std::vector<unsigned char> derive(const std::string& pw, const std::vector<unsigned char>& salt,
                                  int iter) {
  std::vector<unsigned char> out(32);
  if (PKCS5_PBKDF2_HMAC(pw.data(), static_cast<int>(pw.size()), salt.data(),
                        static_cast<int>(salt.size()), iter, EVP_sha256(),
                        static_cast<int>(out.size()), out.data()) != 1)
    throw std::runtime_error("PBKDF2 failed");
  return out;
}
}  // namespace

std::string hash_password(const std::string& pw, int iterations) {
  std::vector<unsigned char> salt(16);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
    throw std::runtime_error("no randomness");
  auto h = derive(pw, salt, iterations);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + to_hex(salt.data(), salt.size()) +
         "$" + to_hex(h.data(), h.size());
}

bool verify_password(const std::string& pw, const std::string& enc) {
  auto p1 = enc.find('$'), p2 = enc.find('$', p1 + 1), p3 = enc.find('$', p2 + 1);
  if (p1 == enc.npos || p2 == enc.npos || p3 == enc.npos || enc.substr(0, p1) != "pbkdf2-sha256")
    return false;
  const std::string it = enc.substr(p1 + 1, p2 - p1 - 1);
  if (it.empty() || it.size() > 9 || it.find_first_not_of("0123456789") != it.npos) return false;
  const int iter = std::stoi(it);
  if (iter < 1) return false;
  auto salt = unhex(enc.substr(p2 + 1, p3 - p2 - 1));
  auto want = unhex(enc.substr(p3 + 1));
  auto got = derive(pw, salt, iter);
  return want.size() == got.size() && CRYPTO_memcmp(want.data(), got.data(), got.size()) == 0;
}

bool needs_rehash(const std::string& enc) {
  auto p1 = enc.find('$'), p2 = enc.find('$', p1 + 1);
  if (p1 == enc.npos || p2 == enc.npos || enc.substr(0, p1) != "pbkdf2-sha256") return true;
  const std::string iter = enc.substr(p1 + 1, p2 - p1 - 1);
  if (iter.empty() || iter.size() > 9 || iter.find_first_not_of("0123456789") != iter.npos)
    return true;
  return std::stoi(iter) < kPasswordIterations;
}

}  // namespace ogi
