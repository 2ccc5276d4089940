#pragma once
// Page templates (templates/ui/*.mustache, Mustache via kainjow) loaded and checked at start;
// a page is rendered into layout.mustache.
#include <kainjow/mustache.hpp>
#include <map>
#include <string>

#include "base/status.h"

namespace ogi::http {

using Data = kainjow::mustache::data;

class Views {
 public:
  // Loads every *.mustache in dir; fails listing each template that does not parse.
  static Result<Views> load(const std::string& dir);
  // Renders page `name` with `d`, then the layout with the page as {{{content}}}.
  std::string page(const std::string& name, Data& d) const;
  std::string render(const std::string& name, const Data& d) const;
  std::string static_file(const std::string& name) const;  // app.css, app.js

 private:
  std::map<std::string, std::string> templates_;
  std::map<std::string, std::string> statics_;
};

Data list_of();
Data flag(bool b);

}  // namespace ogi::http
