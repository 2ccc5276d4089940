#pragma once
// The statutory clock of a case (domain.md §3), as a pure function of the derived case state,
// the calendar and "today". Nothing here is stored: due dates, days left and "overdue" are
// recomputed whenever they are shown.

#include <optional>
#include <string>
#include <vector>

#include "base/date.h"
#include "calendar/calendar.h"
#include "domain/case.h"

namespace ogi {

// Statutory periods, in working days.
inline constexpr int kReplyDays = 20;              // Art 33 para 1
inline constexpr int kExtensionDays = 20;          // Art 33 para 2
inline constexpr int kCorrectionNoticeDays = 7;    // Art 30
inline constexpr int kDefaultCorrectionDays = 15;  // Convention: "reasonable" period default
inline constexpr int kConsultationDays = 15;       // Art 32, Art 34
inline constexpr int kFeeDays = 20;                // 国办函〔2020〕109号

struct ClockSettings {
  bool fee_pauses_clock = true;  // agency setting (domain.md §3, paused time)
};

struct SubDeadline {
  std::string kind;            // correction_notice | correction | consultation | fee
  std::string label;           // Chinese, for the UI
  std::optional<Date> due_on;  // nullopt when outside the calendar
  bool running = false;        // still open as of today
  bool lapsed = false;         // running and today is past due_on
  long long ref = 0;           // consultation id, when kind == consultation
  bool provisional = false;    // due_on rests on a provisional calendar year
  // The period starts when a notice is served and its service is not recorded yet: no due_on,
  // nothing lapses (domain.md §6 "Served").
  bool awaiting_service = false;
  std::optional<Date> from;  // the day the period starts from (service, receipt), when known
};

struct ClockView {
  std::optional<Date> start_on;  // receipt, or correction received
  std::optional<Date> due_on;    // nullopt: see due_note
  bool provisional = false;  // due_on may still move: a pause is open or the year is provisional
  bool pause_open = false;   // a consultation or the fee period is still running
  bool calendar_provisional = false;  // due_on lies in a year without an imported notice
  std::string due_note;               // why due_on is null or provisional
  std::string explanation;            // the due date in words
  int period_days = kReplyDays;       // 20, or 40 once extended
  int paused_days = 0;                // union of paused working days
  std::optional<int> days_left;       // working days after today up to due_on, open cases only
  bool overdue = false;               // open and today is after due_on
  std::optional<bool> on_time;        // concluded by reply: delivered on or before due_on
  std::vector<SubDeadline> sub_deadlines;
};

ClockView compute_clock(const Calendar& cal, const Case& c, const Date& today,
                        const ClockSettings& settings = {});

// Where an open case's reply deadline stands on `today`, from its due date (computed, or the
// stored projection of a list row): one rule for the case page, lists, the dashboard and the sweep.
enum class Urgency {
  overdue,
  due3,
  due7,
  later,
  unknown
};  // unknown: no due date (paused, awaiting correction)
struct Standing {
  bool overdue = false;  // today is after the due date
  std::optional<int>
      days_left;  // working days after today up to the due date, when the calendar covers both
  Urgency urgency = Urgency::unknown;
};
Standing standing(const Calendar& cal, const std::optional<Date>& due_on, const Date& today);
// "overdue" | "due3" | "due7" | "later" | "unknown" (API and page keys).
const char* urgency_key(Urgency u);

// The last day of a period the law gives: the applicant's correction period (Art 30; the case
// must have a correction request), the fee payment period (国办函〔2020〕109号; a fee notice), a
// consultation's period (Art 32, 34). Each runs from the recorded service of its notice; before
// service is recorded the answer is a not_allowed error saying so. Guards, the clock and the
// letters all use these.
Result<Date> correction_deadline(const Calendar& cal, const CaseState& s);
Result<Date> fee_deadline(const Calendar& cal, const CaseState& s);
Result<Date> consultation_deadline(const Calendar& cal, const Consultation& k);

// The end of a consultation's pause: its reply date, or its lapse date once 15 working days
// from service have passed without a reply (Art 32, 34), or nullopt while it is still open as of
// `today` (always, while its service is not recorded).
std::optional<Date> consultation_end(const Calendar& cal, const Consultation& k, const Date& today);

}  // namespace ogi
