-- Version 5 in PostgreSQL's dialect (db/005_reports.sql): the report's covering index and
-- period locks.
CREATE INDEX cases_report ON cases(agency_id, concluded_on, received_on, applicant_type, outcome, channel, on_time);
DROP INDEX cases_concluded;

CREATE TABLE period_locks (
  agency_id  BIGINT NOT NULL REFERENCES agencies(id),
  year       INTEGER NOT NULL,
  locked_by  TEXT NOT NULL,
  locked_at  TEXT NOT NULL,
  reason     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (agency_id, year)
);
