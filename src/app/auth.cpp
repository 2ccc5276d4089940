#include "app/auth.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "app/password.h"
#include "base/text.h"

namespace ogi {

namespace {
// A fixed hash to verify against when the user does not exist, made at the current cost, so an
// unknown name costs what a known one does (after its first login, every hash is at that cost).
const std::string& dummy_hash() {
  static const std::string h = hash_password("not-a-real-password");
  return h;
}
}  // namespace

std::string random_token() {
  unsigned char b[32];
  if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("no randomness");
  return to_hex(b, sizeof b);
}

std::string sha256_hex(const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), out, &n, EVP_sha256(), nullptr);
  return to_hex(out, n);
}

std::string sha256_file_hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    if (in.gcount() > 0) EVP_DigestUpdate(md, buf, static_cast<size_t>(in.gcount()));
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(md, out, &n);
  EVP_MD_CTX_free(md);
  return in.bad() ? "" : to_hex(out, n);
}

std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &n);
  return to_hex(out, n);
}

Result<LoginResult> AuthService::login(const std::string& username, const std::string& password,
                                       const std::string& ip, LoginAttempt* attempt) {
  LoginAttempt local;
  LoginAttempt& a = attempt ? *attempt : local;
  const long long now = clock_.now_seconds();
  // Counted before the password is checked: concurrent guesses cannot slip past the count.
  auto counts = sessions_.record_attempt(username, ip, now, now - s_.window_minutes * 60LL,
                                         s_.max_failures * 4);
  if (!counts) return counts.error();
  a.account_failures = counts->first;
  a.address_failures = counts->second;
  if (a.address_failures >= s_.max_failures * 4) {
    a.throttled = true;
    return make_error(Code::throttled, "该地址登录失败次数过多，请 " +
                                           std::to_string(s_.window_minutes) + " 分钟后再试");
  }
  if (a.account_failures >= s_.max_failures) {
    // The account is under attack: slow every attempt on it down, but let the right password in.
    int k = std::min(a.account_failures - s_.max_failures, 5);
    a.delayed_seconds = std::min(1 << k, s_.max_delay_seconds);
    std::this_thread::sleep_for(std::chrono::seconds(a.delayed_seconds));
  }
  auto user = users_.user(username);
  bool ok = verify_password(password, user ? user->password_hash : dummy_hash()) && user.ok();
  if (!ok) return make_error(Code::unauthenticated, "用户名或密码错误");
  (void)sessions_.clear_failures(username);
  if (needs_rehash(user->password_hash))  // made at a lower cost: replace it now we know it
    (void)sessions_.upgrade_password_hash(username, user->password_hash, hash_password(password));
  LoginResult r;
  r.token = random_token();
  r.csrf = random_token();
  r.expires_at = now + s_.lifetime_minutes * 60LL;
  r.user = *user;
  r.user.password_hash.clear();
  SessionRecord rec{sha256_hex(r.token), user->id, user->username, r.csrf, now, r.expires_at};
  if (Status s = sessions_.create_session(rec, ip); !s) return s.error();
  return r;
}

Result<Authenticated> AuthService::authenticate(const std::string& token) {
  if (token.size() != 64) return make_error(Code::unauthenticated, "未登录或登录已失效");
  auto s = sessions_.find_session(sha256_hex(token));
  if (!s) return s.error();
  const long long now = clock_.now_seconds();
  if (now >= s->expires_at || now >= s->created_at + s_.max_hours * 3600LL) {
    (void)sessions_.delete_session(s->token_hash);
    return make_error(Code::unauthenticated, "登录已过期，请重新登录");
  }
  // Sliding expiry, written at most once a minute.
  long long renewed =
      std::min(now + s_.lifetime_minutes * 60LL, s->created_at + s_.max_hours * 3600LL);
  if (renewed - s->expires_at >= 60) {
    (void)sessions_.extend_session(s->token_hash, renewed);
    s->expires_at = renewed;
  }
  auto u = users_.user(s->username);
  if (!u) return make_error(Code::unauthenticated, "用户已停用");
  u->password_hash.clear();
  return Authenticated{*u, *s};
}

Status AuthService::logout(const std::string& token) {
  return sessions_.delete_session(sha256_hex(token));
}

}  // namespace ogi
