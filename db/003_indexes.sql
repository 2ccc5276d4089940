-- Version 3: indexes for the dashboard and lists at scale (1,000,000 cases, issue 3 benchmark).
-- Open cases per agency by due date (the dashboard), filters per agency by state, stage and
-- outcome (newest first), open cases overall (the daily sweep). The (state, due_on) index of
-- version 1 made the planner scan every case to group by state: it goes.
DROP INDEX cases_open;
CREATE INDEX cases_open_due ON cases(agency_id, due_on) WHERE concluded_on IS NULL;
CREATE INDEX cases_agency_state ON cases(agency_id, state, received_on);
CREATE INDEX cases_agency_stage ON cases(agency_id, stage, received_on);
CREATE INDEX cases_agency_outcome ON cases(agency_id, outcome, received_on);
CREATE INDEX cases_open_ids ON cases(id) WHERE concluded_on IS NULL;
CREATE INDEX applicants_name ON applicants(name);
CREATE INDEX cases_applicant ON cases(applicant_id);
CREATE INDEX cases_number ON cases(number);
