#include "domain/case.h"

namespace ogi {

const std::string* field_string(const Fields& f, const std::string& key) {
  auto it = f.find(key);
  if (it == f.end()) return nullptr;
  return std::get_if<std::string>(&it->second);
}

std::optional<long long> field_int(const Fields& f, const std::string& key) {
  auto it = f.find(key);
  if (it == f.end()) return std::nullopt;
  if (auto* v = std::get_if<long long>(&it->second)) return *v;
  return std::nullopt;
}

const std::vector<std::string>* field_list(const Fields& f, const std::string& key) {
  auto it = f.find(key);
  if (it == f.end()) return nullptr;
  return std::get_if<std::vector<std::string>>(&it->second);
}

}  // namespace ogi
