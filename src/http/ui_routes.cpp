// The staff web UI: server-rendered pages (templates/ui), forms with CSRF tokens, little
// JavaScript. Every page calls the same application services as the JSON API; the pages live in
// src/http/pages/ by resource.
#include "http/pages/page_kit.h"

namespace ogi::http {

void add_ui_routes(Router& r, Services& s) {
  add_session_pages(r, s);
  add_register_pages(r, s);
  add_case_pages(r, s);
  add_event_pages(r, s);
  add_assign_pages(r, s);
  add_search_pages(r, s);
  add_admin_pages(r, s);
  add_template_pages(r, s);
  add_report_pages(r, s);
}

}  // namespace ogi::http
