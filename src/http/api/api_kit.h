#pragma once
// Shared by the JSON API routes (src/http/api/*.cpp): JSON text, id parameters, list rows and
// filters, letters, downloads. Handlers parse, call one service, and serialise with these.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>

#include "app/letters.h"
#include "http/server.h"

namespace ogi::http {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string stringify(const Object& o);
std::string stringify(const Array& a);
Response case_response(Services& s, const Result<CaseView>& v, int status = 200);
Result<long long> id_param(const Request& req, const char* name = "id");
// A list row as JSON (ID numbers and phones masked).
Object row_json(const CaseRow& r, const Workflow& wf, const Calendar& cal, const Date& today);
// The list's query parameters; `queue=KEY` (with `queues`) lists a section of 我的待办 whole.
Result<CaseFilter> filter_of(const Request& req, const Date& today,
                             const QueueService* queues = nullptr);
Object letter_json(const LetterRecord& l);
// A case as a list of work shows it: the case JSON (masked) without its history, with its
// urgency under `key` ("bucket" on the dashboard, "urgency" in the queues).
Object::Ptr work_item_json(const CaseView& v, const Workflow& wf, Urgency u, const char* key);
// A file download: an ASCII fallback name and the UTF-8 name (RFC 6266).
Response download(std::string bytes, const std::string& ext, const std::string& ascii_name,
                  const std::string& name);

// The route groups (api_routes.cpp calls them in order).
void add_session_api(Router& r, Services& s);     // /healthz, session, me
void add_case_api(Router& r, Services& s);        // cases, events, letters
void add_queue_api(Router& r, Services& s);       // 我的待办's queues, assignment
void add_template_api(Router& r, Services& s);    // letter templates
void add_attachment_api(Router& r, Services& s);  // attachments
void add_report_api(Router& r, Services& s);      // annual report, statistics, period locks
void add_office_api(
    Router& r, Services& s);  // dashboard, duplicates, alerts, audit, administration, lifecycle

}  // namespace ogi::http
