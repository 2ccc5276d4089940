-- Version 5: the annual report. One covering index answers "every case that can count in a
-- year" (not concluded before 1 January, received by 31 December) from the index alone, and
-- period locks freeze a published year.

CREATE INDEX cases_report ON cases(agency_id, concluded_on, received_on, applicant_type, outcome, channel, on_time);
-- cases_report starts with the same columns as cases_concluded (version 1), which it replaces:
-- one index less to write on every registration and event.
DROP INDEX cases_concluded;

CREATE TABLE period_locks (
  agency_id  INTEGER NOT NULL REFERENCES agencies(id),
  year       INTEGER NOT NULL,
  locked_by  TEXT NOT NULL,
  locked_at  TEXT NOT NULL,
  reason     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (agency_id, year)
) WITHOUT ROWID;
