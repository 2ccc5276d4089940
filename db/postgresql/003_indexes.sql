-- Version 3 in PostgreSQL's dialect (db/003_indexes.sql): indexes for lists and the dashboard.
DROP INDEX cases_open;
CREATE INDEX cases_open_due ON cases(agency_id, due_on) WHERE concluded_on IS NULL;
CREATE INDEX cases_agency_state ON cases(agency_id, state, received_on);
CREATE INDEX cases_agency_stage ON cases(agency_id, stage, received_on);
CREATE INDEX cases_agency_outcome ON cases(agency_id, outcome, received_on);
CREATE INDEX cases_open_ids ON cases(id) WHERE concluded_on IS NULL;
CREATE INDEX applicants_name ON applicants(name);
CREATE INDEX cases_applicant ON cases(applicant_id);
CREATE INDEX cases_number ON cases(number);
