#pragma once
// Event fields <-> JSON object text, for the case_events.fields column.
#include <string>

#include "base/status.h"
#include "domain/case.h"

namespace ogi {
std::string fields_to_json(const Fields& f);
Result<Fields> fields_from_json(const std::string& text);
}  // namespace ogi
