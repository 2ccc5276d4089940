-- Version 3: indexes for the dashboard and lists at scale (1,000,000 cases, issue 3 benchmark).
-- Open cases per agency by due date (the dashboard), counts per state per agency, open cases
-- overall (the daily sweep). The (state, due_on) index of version 1 made the planner scan every
-- case to group by state: it goes.
DROP INDEX cases_open;
CREATE INDEX cases_open_due ON cases(agency_id, due_on) WHERE concluded_on IS NULL;
CREATE INDEX cases_agency_state ON cases(agency_id, state);
CREATE INDEX cases_open_ids ON cases(id) WHERE concluded_on IS NULL;
