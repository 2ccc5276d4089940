#pragma once
// Shared by the SqliteStore translation units only: Poco::Data conversions and the write
// transaction wrapper. Not part of any public interface.

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <sstream>

#include "store/sqlite_store.h"

namespace ogi::detail {

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

using NStr = Poco::Nullable<std::string>;

inline NStr ndate(const std::optional<Date>& d) { return d ? NStr(format_date(*d)) : NStr(); }
inline std::optional<Date> odate(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return std::nullopt;
  auto d = parse_date(v.convert<std::string>());
  if (!d) return std::nullopt;
  return *d;
}
inline std::string str(const Poco::Dynamic::Var& v) { return v.isEmpty() ? std::string() : v.convert<std::string>(); }
inline long long num(const Poco::Dynamic::Var& v) { return v.isEmpty() ? 0 : v.convert<Poco::Int64>(); }

inline std::vector<std::string> split_roles(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string r; std::getline(in, r, ',');)
    if (!r.empty()) out.push_back(r);
  return out;
}
inline std::string join_roles(const std::vector<std::string>& v) {
  std::string s;
  for (auto& r : v) s += (s.empty() ? "" : ",") + r;
  return s;
}

inline std::string render_number(std::string pattern, int year, long long seq) {
  auto rep = [&](const std::string& key, const std::string& val) {
    for (size_t p; (p = pattern.find(key)) != std::string::npos;) pattern.replace(p, key.size(), val);
  };
  rep("{year}", std::to_string(year));
  rep("{seq}", std::to_string(seq));
  return pattern;
}


inline Poco::Int64 I(long long v) { return static_cast<Poco::Int64>(v); }

}  // namespace ogi::detail

namespace ogi {

template <class F>
auto SqliteStore::write(F&& body) -> decltype(body()) {
  using R = decltype(body());
  std::optional<R> result;
  WriteJob job;
  job.body = [&]() -> bool {
    result.emplace(body());
    return result->ok();
  };
  job.on_error = [&](Error e) { result.emplace(std::move(e)); };
  auto done = job.done.get_future();
  {
    std::lock_guard l(qmu_);
    queue_.push_back(&job);
  }
  qcv_.notify_one();
  done.wait();
  return std::move(*result);
}

template <class F>
Status SqliteStore::write_status(F&& body) {
  auto r = write([&]() -> Result<int> {
    body();
    return 1;
  });
  if (!r) return r.error();
  return {};
}

}  // namespace ogi
