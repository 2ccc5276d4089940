#pragma once
// Query parameters shared by the report API and the report pages.
#include <utility>

#include "base/date.h"
#include "base/status.h"
#include "http/router.h"

namespace ogi::http {

// ?year= (default: last year), four digits.
Result<int> year_param(const Request& req, const Date& today);
// ?quarter=2024Q2 or ?from=&to= (default: this year so far).
Result<std::pair<Date, Date>> range_params(const Request& req, const Date& today);

}  // namespace ogi::http
