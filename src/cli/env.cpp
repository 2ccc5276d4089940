#include "cli/env.h"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "letters/template_set.h"
#include "store/sql_store.h"

namespace fs = std::filesystem;

namespace ogi {

bool Args::flag(const std::string& f) const {
  for (auto& x : flags)
    if (x == f) return true;
  return false;
}
std::string Args::get(const std::string& k, const std::string& def) const {
  auto it = opt.find(k);
  return it == opt.end() ? def : it->second;
}

Args parse_args(int argc, char** argv, int first, const std::vector<std::string>& boolean) {
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string w = argv[i];
    if (w.size() > 2 && w.rfind("--", 0) == 0) {
      std::string k = w.substr(2);
      if (auto eq = k.find('='); eq != std::string::npos) {
        a.opt[k.substr(0, eq)] = k.substr(eq + 1);
      } else if (std::find(boolean.begin(), boolean.end(), k) != boolean.end() || i + 1 >= argc) {
        a.flags.push_back(k);
      } else {
        a.opt[k] = argv[++i];
      }
    } else {
      a.pos.push_back(w);
    }
  }
  return a;
}

Date SystemClock::today() const {
  if (const char* t = std::getenv("OGI_TODAY"))
    if (auto d = parse_date(t)) return *d;
  std::time_t now = std::time(nullptr) + 8 * 3600;  // UTC+8
  std::tm tm{};
  gmtime_r(&now, &tm);
  return Date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::string SystemClock::now_timestamp() const {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

long long SystemClock::now_seconds() const { return static_cast<long long>(std::time(nullptr)); }

std::string data_dir() {
  if (const char* d = std::getenv("OGI_DATA_DIR")) return d;
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share" / "ogi" / "workflow";
    if (fs::exists(installed / "lifecycle.wf")) return installed.string();
  }
#ifdef OGI_SOURCE_DIR
  return std::string(OGI_SOURCE_DIR) + "/workflow";
#else
  return "workflow";
#endif
}

std::string letter_templates_dir() {
  if (const char* d = std::getenv("OGI_TEMPLATES_DIR")) return d;
  return data_dir() + "/../templates/letters";
}

Result<std::unique_ptr<letters::TemplateSet>> load_letter_templates(const std::string& dir) {
  return letters::TemplateSet::load(dir.empty() ? letter_templates_dir() : dir);
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Code::not_found, "cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<Workflow> load_workflow(const std::string& path) {
  std::string p = path.empty() ? data_dir() + "/lifecycle.wf" : path;
  auto text = read_file(p);
  if (!text) return text.error();
  return parse_workflow(*text, p);
}

Result<std::vector<YearData>> load_year_files(SqlStore* store) {
  std::map<int, YearData> years;
  std::string dir = data_dir() + "/calendar";
  std::vector<std::string> problems;
  std::error_code ec;
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".cal") files.push_back(e.path());
  if (ec) return make_error(Code::internal, "cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (auto& f : files) {
    auto text = read_file(f.string());
    if (!text) return text.error();
    auto y = parse_year_file(*text, f.string());
    if (!y) {
      problems.push_back(y.error().message);
      continue;
    }
    if (f.stem().string() != std::to_string(y->year))
      problems.push_back(f.string() + ": file name does not match 'year " +
                         std::to_string(y->year) + "'");
    years[y->year] = *y;
  }
  if (store) {
    for (auto& [year, source] : store->admin().calendar_years()) {
      auto y = parse_year_file(source, "database:calendar_years/" + std::to_string(year));
      if (!y) {
        problems.push_back(y.error().message);
        continue;
      }
      years[year] = *y;
    }
  }
  if (!problems.empty()) {
    std::string msg;
    for (auto& p : problems) msg += (msg.empty() ? "" : "\n") + p;
    return make_error(Code::invalid, msg);
  }
  std::vector<YearData> out;
  for (auto& [y, d] : years) out.push_back(d);
  return out;
}

Result<std::vector<FestivalDates>> load_festival_table() {
  const std::string path = data_dir() + "/calendar/festivals.tsv";
  auto text = read_file(path);
  if (!text) return text.error();
  return parse_festival_table(*text, path);
}

Result<Calendar> load_calendar(SqlStore* store) {
  auto years = load_year_files(store);
  if (!years) return years.error();
  auto table = load_festival_table();
  if (!table) return table.error();
  return Calendar::build(*years, *table);
}

int fail(const Error& e) {
  std::cerr << "ogi: " << e.message << "\n";
  return exit_code(e.code);
}

int usage(const std::string& message) {
  std::cerr << "ogi: " << message << "\n";
  return 2;
}

}  // namespace ogi
