#pragma once
// The contract's JSON (shared/spec/contract.md) for cases, events and errors. Used by the CLI
// (`ogi case ...`) and by the HTTP API, so both speak exactly the same shapes.

#include <string>

#include "app/case_service.h"
#include "app/registration.h"
#include "base/status.h"
#include "workflow/engine.h"

namespace ogi {

// Body of POST /cases. Not an object / not JSON -> malformed; a field of the wrong JSON type ->
// invalid naming the field. Validation of values is the service's job.
Result<RegistrationRequest> parse_registration(const std::string& body);
// Body of POST /cases/{id}/events: {"event", "on", ...fields}.
Result<EventRequest> parse_event(const std::string& body);

struct CaseJsonOptions {
  bool mask_personal = false;  // lists: ID numbers and phones masked
  bool pretty = false;
};
std::string case_json(const CaseView& v, const Workflow& wf, const CaseJsonOptions& o = {});
std::string error_json(const Error& e);

}  // namespace ogi
