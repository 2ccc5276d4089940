// JSON API of contract.md (prefix /api/v1) plus the calls the UI and administrators need; the
// routes live in src/http/api/ by resource.
#include "http/api/api_kit.h"

namespace ogi::http {

void add_api_routes(Router& r, Services& s) {
  add_session_api(r, s);
  add_case_api(r, s);
  add_queue_api(r, s);
  add_template_api(r, s);
  add_attachment_api(r, s);
  add_office_api(r, s);
  add_report_api(r, s);
}

}  // namespace ogi::http
