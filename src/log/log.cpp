#include "log/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>

namespace ogi::log {

namespace {

std::mutex& mu() {
  static std::mutex m;
  return m;
}
std::function<void(const std::string&)>& sink() {
  static std::function<void(const std::string&)> s = [](const std::string& line) {
    std::cerr << line << "\n";
  };
  return s;
}

void json_string(std::string& out, std::string_view v) {
  out += '"';
  for (unsigned char c : v) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

const char* level_name(Level l) {
  switch (l) {
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

std::string now_utc() {
  using namespace std::chrono;
  auto t = system_clock::now();
  std::time_t secs = system_clock::to_time_t(t);
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

bool alnum_id(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

std::string redact(std::string s) {
  // Runs of letters and digits, taken whole: a run of 11 digits starting with 1 (a mobile
  // number), of 15 or 18 characters with at least 14 digits (ID numbers, credit codes).
  for (size_t i = 0; i < s.size();) {
    if (!alnum_id(s[i])) {
      ++i;
      continue;
    }
    size_t j = i, digits = 0;
    while (j < s.size() && alnum_id(s[j])) digits += (s[j] >= '0' && s[j] <= '9'), ++j;
    const size_t n = j - i;
    const bool phone = n == 11 && digits == 11 && s[i] == '1';
    const bool id = (n == 15 || n == 18) && digits >= 14;
    if (phone || id) s.replace(i, n, std::string(n, '*'));
    i = j;
  }
  return s;
}

std::string format_line(std::string_view ts, Level level, std::string_view event, Fields fields) {
  std::string line = "{\"ts\":";
  json_string(line, ts);
  line += ",\"level\":";
  json_string(line, level_name(level));
  line += ",\"event\":";
  json_string(line, event);
  for (auto& [k, v] : fields) {
    line += ',';
    json_string(line, k);
    line += ':';
    json_string(line, v);
  }
  line += '}';
  return redact(std::move(line));
}

void write(Level level, std::string_view event, Fields fields) {
  std::string line = format_line(now_utc(), level, event, fields);
  std::lock_guard l(mu());
  sink()(line);
}

void set_sink(std::function<void(const std::string&)> s) {
  std::lock_guard l(mu());
  sink() = std::move(s);
}

}  // namespace ogi::log
