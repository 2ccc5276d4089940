#include "http/views.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace ogi::http {

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

Data list_of() { return Data(Data::type::list); }
Data flag(bool b) { return Data(b ? Data::type::bool_true : Data::type::bool_false); }

Result<Views> Views::load(const std::string& dir) {
  Views v;
  std::string problems;
  std::error_code ec;
  for (auto& e : std::filesystem::directory_iterator(dir, ec)) {
    auto p = e.path();
    if (p.extension() == ".mustache") {
      std::string text = slurp(p);
      kainjow::mustache::mustache m(text);
      if (!m.is_valid()) problems += p.string() + ": " + m.error_message() + "\n";
      v.templates_[p.stem().string()] = text;
    }
  }
  if (ec)
    return make_error(Code::internal, "cannot read page templates in " + dir + ": " + ec.message());
  for (auto& e : std::filesystem::directory_iterator(std::filesystem::path(dir) / "static", ec))
    v.statics_[e.path().filename().string()] = slurp(e.path());
  for (const char* need :
       {"layout", "login", "dashboard", "register", "case", "search", "receipt", "admin_users",
        "admin_templates", "admin_template", "report", "report_cases", "report_stats",
        "admin_agencies", "admin_calendar", "admin_workflow", "audit", "case_confirm"})
    if (!v.templates_.count(need)) problems += dir + "/" + need + ".mustache is missing\n";
  if (!problems.empty()) return make_error(Code::invalid, problems.substr(0, problems.size() - 1));
  return v;
}

std::string Views::render(const std::string& name, const Data& d) const {
  kainjow::mustache::mustache m(templates_.at(name));
  return m.render(d);
}

std::string Views::page(const std::string& name, Data& d) const {
  d.set("content", render(name, d));
  return render("layout", d);
}

std::string Views::static_file(const std::string& name) const {
  auto it = statics_.find(name);
  return it == statics_.end() ? std::string() : it->second;
}

}  // namespace ogi::http
