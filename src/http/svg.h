#pragma once
// Server-drawn SVG (no outside scripts): the lifecycle diagram from the workflow data, and a
// case's clock as a timeline bar.
#include <string>

#include "app/case_service.h"
#include "workflow/definition.h"

namespace ogi::http {
std::string lifecycle_svg(const Workflow& wf);
std::string timeline_svg(const CaseView& v, const Calendar& cal, const Date& today);
}  // namespace ogi::http
