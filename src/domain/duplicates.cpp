#include "domain/duplicates.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "base/text.h"

namespace ogi {

std::vector<std::string> duplicate_terms(std::string text) {
  for (std::string_view boiler :
       {"申请公开", "请求公开", "政府信息", "相关", "有关", "关于", "的", "及", "和"}) {
    for (size_t p; (p = text.find(boiler)) != std::string::npos;)
      text = text.substr(0, p) + " " + text.substr(p + boiler.size());
  }
  std::vector<std::string> out;
  std::vector<std::string> run;
  auto flush = [&] {
    for (size_t i = 0; i + 3 <= run.size(); ++i) {
      std::string t = run[i] + run[i + 1] + run[i + 2];
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
    run.clear();
  };
  static const char* const kSeparators[] = {"，", "。", "、", "；", "：", "（", "）", "“", "”"};
  for (auto& cp : utf8_chars(text)) {
    const bool sep = cp.size() == 1 ? !std::isalnum(static_cast<unsigned char>(cp[0]))
                                    : std::any_of(std::begin(kSeparators), std::end(kSeparators),
                                                  [&](const char* s) { return cp == s; });
    if (sep)
      flush();
    else
      run.push_back(cp);
  }
  flush();
  if (out.size() > 64) out.resize(64);
  return out;
}

bool similar_request(const std::vector<std::string>& terms, const std::string& earlier_content) {
  if (terms.empty()) return false;
  const size_t need = std::min<size_t>(2, terms.size());
  size_t shared = 0;
  for (auto& t : terms) shared += earlier_content.find(t) != std::string::npos;
  return shared >= need;
}

}  // namespace ogi
