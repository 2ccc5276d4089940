#pragma once
// What makes an agency's settings valid (domain.md §1, §6): one check for the CLI (`ogi agency
// add`) and the 机关设置 page alike. Errors name the field, in Chinese.
#include "app/ports.h"
#include "base/status.h"
#include "workflow/definition.h"

namespace ogi {

// Name present; case-number pattern with {seq}; letter-number pattern (when set) with {seq}; a
// known kind (or none yet); a remedy reading the workflow declares (or the default).
Status check_agency(const Agency& a, const Workflow& wf);

// The Chinese label of the agency's remedy reading (the workflow's default when unset).
std::string remedy_policy_label(const Agency& a, const Workflow& wf);

}  // namespace ogi
