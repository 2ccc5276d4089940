#include "store/fields_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace ogi {

std::string fields_to_json(const Fields& f) {
  Poco::JSON::Object o;
  for (auto& [k, v] : f) {
    if (auto* b = std::get_if<bool>(&v))
      o.set(k, *b);
    else if (auto* n = std::get_if<long long>(&v))
      o.set(k, static_cast<Poco::Int64>(*n));
    else if (auto* s = std::get_if<std::string>(&v))
      o.set(k, *s);
    else if (auto* l = std::get_if<std::vector<std::string>>(&v)) {
      Poco::JSON::Array a;
      for (auto& x : *l) a.add(x);
      o.set(k, a);
    }
  }
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

Result<Fields> fields_from_json(const std::string& text) {
  try {
    Poco::JSON::Parser p;
    auto obj = p.parse(text).extract<Poco::JSON::Object::Ptr>();
    Fields f;
    for (auto& [k, v] : *obj) {
      if (v.isEmpty()) continue;
      if (v.type() == typeid(bool))
        f[k] = v.extract<bool>();
      else if (v.isInteger())
        f[k] = static_cast<long long>(v.convert<Poco::Int64>());
      else if (v.isString())
        f[k] = v.convert<std::string>();
      else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
        std::vector<std::string> l;
        for (auto& x : *v.extract<Poco::JSON::Array::Ptr>()) l.push_back(x.convert<std::string>());
        f[k] = l;
      }
    }
    return f;
  } catch (const Poco::Exception& e) {
    return make_error(Code::internal, "stored event fields are not valid JSON: " + e.displayText());
  }
}

}  // namespace ogi
