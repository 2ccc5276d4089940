#pragma once
// The server's log: one JSON object per line (time, level, event, fields), written to a sink the
// program installs (a rotating file, or standard error). Lines never carry request contents:
// callers log route patterns, ids and codes, and every line is passed through redact(), which
// masks anything shaped like a resident ID number, a credit code or a mobile phone number.
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace ogi::log {

enum class Level { info, warn, error };

using Fields = std::initializer_list<std::pair<std::string_view, std::string>>;

void write(Level level, std::string_view event, Fields fields = {});
inline void info(std::string_view event, Fields fields = {}) { write(Level::info, event, fields); }
inline void warn(std::string_view event, Fields fields = {}) { write(Level::warn, event, fields); }
inline void error(std::string_view event, Fields fields = {}) {
  write(Level::error, event, fields);
}

// Where lines go (default: standard error). The sink gets a complete line without its newline.
void set_sink(std::function<void(const std::string& line)> sink);

// Digit runs that could identify a person become asterisks: 15- and 18-character ID numbers
// (last may be X), 18-character unified credit codes, 11-digit mobile numbers.
std::string redact(std::string s);

// The JSON line for an event (exposed for tests).
std::string format_line(std::string_view ts, Level level, std::string_view event, Fields fields);

}  // namespace ogi::log
