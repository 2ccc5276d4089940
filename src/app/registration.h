#pragma once
// Registration of an application (domain.md §2, Art 29 and 31): validation of what the front
// desk entered. Missing Art 29 items are allowed (they lead to a correction notice); present but
// invalid items are refused with the field named.

#include <string>

#include "app/web_ports.h"
#include "base/date.h"
#include "base/status.h"
#include "domain/case.h"
#include "domain/duplicates.h"

namespace ogi {

struct RegistrationRequest {
  std::string agency;  // may be empty when the user has one agency
  Applicant applicant;
  std::string channel;
  std::string received_on;  // YYYY-MM-DD, the legal receipt date (Art 31)
  std::string content, form, delivery;
  std::string assignee;  // the 承办人's login, optional (CaseService checks it)
};

// Every problem of `r`, the first of each field, in form order; normalises `r` (ID numbers
// upper-cased). `today` bounds the receipt date. Messages never repeat the field's label.
std::vector<Error> registration_problems(RegistrationRequest& r, const Date& today);
// The first of them, or the normalised request.
Result<RegistrationRequest> validate_registration(RegistrationRequest r, const Date& today);

// Art 29 items still missing (for the correction notice and the UI), in Chinese.
std::vector<std::string> missing_items(const Case& c);

// Earlier applications that may be the same request (a 重复申请, Art 36(6)): the same applicant
// (name or identity) and similar content, received within the last year, in the agencies the user
// sees. Shown before a registration is saved and by GET /api/v1/duplicates.
// The rule itself is the domain's (domain/duplicates.h); the store finds the candidates.
std::vector<CaseRow> possible_duplicates(QueryStore& q, const User& u, const std::string& name,
                                         const std::string& identity, const std::string& content,
                                         const Date& today);

}  // namespace ogi
