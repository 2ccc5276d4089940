#pragma once
// Registration of an application (domain.md §2, Art 29 and 31): validation of what the front
// desk entered. Missing Art 29 items are allowed (they lead to a correction notice); present but
// invalid items are refused with the field named.

#include <string>

#include "base/date.h"
#include "base/status.h"
#include "domain/case.h"

namespace ogi {

struct RegistrationRequest {
  std::string agency;  // may be empty when the user has one agency
  Applicant applicant;
  std::string channel;
  std::string received_on;  // YYYY-MM-DD, the legal receipt date (Art 31)
  std::string content, form, delivery;
};

// Validates and normalises (ID numbers upper-cased). `today` bounds the receipt date.
Result<RegistrationRequest> validate_registration(RegistrationRequest r, const Date& today);

// Art 29 items still missing (for the correction notice and the UI), in Chinese.
std::vector<std::string> missing_items(const Case& c);

}  // namespace ogi
