-- Version 11: each case has a 承办人 (issue 15 §2). Optional: the contract's API never needs it.
-- The current assignee is a column of the case (lists and queues read it); every change is also
-- a row of case_assignments (the case page's history) and an audit entry (case.assign).
ALTER TABLE cases ADD COLUMN assignee_id INTEGER REFERENCES users(id);
CREATE TABLE case_assignments (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  assignee_id INTEGER REFERENCES users(id),  -- NULL: the assignment was withdrawn
  by_user     TEXT NOT NULL,                 -- login of who assigned
  at          TEXT NOT NULL                  -- ISO 8601 UTC
);
CREATE INDEX case_assignments_case ON case_assignments(case_id, id);
-- A handler's open cases by due date (the office's open cases use cases_open_due).
CREATE INDEX cases_assignee_open ON cases(assignee_id, due_on) WHERE concluded_on IS NULL;
