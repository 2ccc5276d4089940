#pragma once
// 我的待办: the sections (queues) of the workflow's `queue` lines that a user's roles open, each
// the open cases that user must look at, most urgent first; and the 下一步 of a case (who acts
// next and what they do, from the state's next=/todo=).
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/dashboard.h"
#include "app/web_ports.h"
#include "workflow/definition.h"

namespace ogi {

struct QueueSection {
  const QueueSpec* spec = nullptr;
  long long count = 0;  // counted up to 1001 (a larger count reads as 1001)
  std::vector<DashboardItem> items;
  CaseFilter filter;  // the same cases in the case list (for "show all")
};

struct NextStep {
  std::string role;        // "" when nobody needs to act
  std::string role_label;  // 签发人
  std::string todo;        // 审核拟定的答复，签发或退回重办
  std::string assignee;    // the case's 承办人 (login, "" = nobody yet) when the step is theirs
  bool by_assignee = false;  // the step is the 承办人's (a role cases are assigned to)
};
NextStep next_step(const Workflow& wf, const Case& c);

class QueueService {
 public:
  QueueService(QueryStore& queries, CaseService& cases, const Workflow& wf, const Calendar& cal,
               const Clock& clock)
      : queries_(queries), cases_(cases), wf_(wf), cal_(cal), clock_(clock) {}

  // The user's sections in the workflow's order; each lists at most `shown` cases with their
  // full clock. No case.read: no sections.
  Result<std::vector<QueueSection>> for_user(const User& u, int shown = 20);
  // The filter of one queue for `u` (the list behind a section).
  CaseFilter filter(const QueueSpec& q, const User& u) const;
  // The list's "whose" parameters, for the page and the API alike: `assignee` me | none | a
  // login narrows `f`; `queue` (a key) replaces it by that queue's filter, keeping the search
  // text and the page. Returns the queue's label ("" without one); invalid for a queue that is
  // not the user's.
  Result<std::string> narrow(CaseFilter& f, const User& u, const std::string& assignee,
                             const std::string& queue) const;

 private:
  QueryStore& queries_;
  CaseService& cases_;
  const Workflow& wf_;
  const Calendar& cal_;
  const Clock& clock_;
};

}  // namespace ogi
