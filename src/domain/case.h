#pragma once
// A case as the core sees it: the registration facts, the append-only event log, and the state
// derived from the log (stage, consultations, remedies, clock inputs, outcome). Plain values.

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/date.h"

namespace ogi {

// Event fields as sent by the API: strings, integers, booleans or lists of strings.
using FieldValue =
    std::variant<std::monostate, bool, long long, std::string, std::vector<std::string>>;
using Fields = std::map<std::string, FieldValue>;

const std::string* field_string(const Fields& f, const std::string& key);
std::optional<long long> field_int(const Fields& f, const std::string& key);
const std::vector<std::string>* field_list(const Fields& f, const std::string& key);

struct CaseEvent {
  long long id = 0;  // assigned by the store; consultations and remedies are named by it
  std::string event;
  Date on;
  Fields fields;
  std::string by;  // username
  std::string at;  // when it was recorded (ISO 8601 UTC)
};

struct Applicant {
  std::string type;  // applicant_types()
  std::string name;
  std::string id_type, id_number;  // natural persons
  std::string credit_code;         // organisations
  std::string phone, address, email;
};

// The recorded service of a notice (domain.md §6 "Served"): the recipient's period runs from it.
struct Service {
  Date on;
  std::string method;  // service_methods()
};

struct Consultation {
  long long id = 0;   // the id of the `consult` event
  std::string party;  // third_party | agency
  std::string name;
  Date sent_on;
  std::optional<Service> served;  // the 15 working days run from here
  std::optional<Date> replied_on;
  std::string opinion;  // agree | object | none, once replied
};

struct Remedy {
  long long id = 0;  // the id of the `remedy_filed` event
  std::string kind;
  Date filed_on;
  std::optional<Date> decided_on;
  std::string result;  // upheld | corrected | other, once decided
};

// Everything derived from the event log (see workflow/engine.h for the fold).
struct CaseState {
  std::string state;  // a state of workflow/lifecycle.wf
  std::optional<Date> correction_requested_on;
  int correction_days = 15;
  std::vector<std::string> correction_items;
  std::optional<Service> correction_served;  // the applicant's period runs from here
  std::optional<Date> correction_received_on;
  // The content as registered, when a correction rewrote it (Case::content is then the
  // corrected text, which letters and the case page use); empty otherwise.
  std::string registered_content;
  std::vector<Consultation> consultations;
  std::optional<Date> fee_notice_on, fee_paid_on;
  std::optional<Service> fee_served;  // the 20 working days to pay run from here
  long long fee_amount = 0;
  std::optional<Date> extended_on;
  std::string outcome;  // set by decide, or by a lapse or withdrawal
  std::string reasons;
  std::optional<Date> decided_on, approved_on;
  std::optional<Date> concluded_on;
  bool concluded_by_reply = false;  // delivered, as opposed to lapsed or withdrawn
  std::string delivery_method;
  std::vector<Remedy> remedies;
};

struct Case {
  long long id = 0;
  std::string agency;  // agency code
  std::string number;  // human number, e.g. 狮府办依申〔2024〕第12号
  Applicant applicant;
  std::string channel;
  Date received_on;
  std::string content;
  std::string form, delivery;  // what the applicant asked for
  long long version = 0;       // optimistic concurrency: bumped by every event
  // The 承办人 (a login; "" = nobody yet). Office organisation, not a legal fact: kept beside the
  // event log (its changes are the store's assignment history), never an event.
  std::string assignee;
  std::vector<CaseEvent> events;
  CaseState derived;
};

}  // namespace ogi
