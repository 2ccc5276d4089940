-- OGI Desk schema, version 1. Keys are stable snake_case codes of domain.md; labels live in
-- workflow/ and templates/. The event log is append-only; everything else about a case is a
-- projection of it, rewritten in the same transaction as each event.

CREATE TABLE agencies (
  id             INTEGER PRIMARY KEY,
  code           TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  parent_id      INTEGER REFERENCES agencies(id),
  number_pattern TEXT NOT NULL,
  fee_pauses_clock INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL
);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  agency_id     INTEGER NOT NULL REFERENCES agencies(id),
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  roles         TEXT NOT NULL,            -- comma-separated role codes
  password_hash TEXT NOT NULL,
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL
);

CREATE TABLE applicants (
  id          INTEGER PRIMARY KEY,
  agency_id   INTEGER NOT NULL REFERENCES agencies(id),
  type        TEXT NOT NULL,
  name        TEXT NOT NULL,
  id_type     TEXT NOT NULL DEFAULT '',
  id_number   TEXT NOT NULL DEFAULT '',
  credit_code TEXT NOT NULL DEFAULT '',
  phone       TEXT NOT NULL DEFAULT '',
  address     TEXT NOT NULL DEFAULT '',
  email       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX applicants_identity ON applicants(agency_id, id_number, credit_code);

-- Numbers per agency, kind (case, or a letter kind) and year: only ever incremented, inside
-- the transaction that uses the number, so a failed request neither skips nor reuses one.
CREATE TABLE number_counters (
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  kind      TEXT NOT NULL,
  year      INTEGER NOT NULL,
  last      INTEGER NOT NULL,
  PRIMARY KEY (agency_id, kind, year)
) WITHOUT ROWID;

CREATE TABLE cases (
  id             INTEGER PRIMARY KEY,
  agency_id      INTEGER NOT NULL REFERENCES agencies(id),
  year           INTEGER NOT NULL,
  seq            INTEGER NOT NULL,
  number         TEXT NOT NULL,
  applicant_id   INTEGER NOT NULL REFERENCES applicants(id),
  applicant_type TEXT NOT NULL,
  channel        TEXT NOT NULL,
  received_on    TEXT NOT NULL,
  content        TEXT NOT NULL,
  form           TEXT NOT NULL DEFAULT '',
  delivery       TEXT NOT NULL DEFAULT '',
  version        INTEGER NOT NULL DEFAULT 1,
  -- projection of the event log (see src/app/case_service.cpp)
  state          TEXT NOT NULL,
  stage          TEXT NOT NULL,
  outcome        TEXT NOT NULL DEFAULT '',
  start_on       TEXT,
  due_on         TEXT,
  due_provisional INTEGER NOT NULL DEFAULT 0,
  concluded_on   TEXT,
  on_time        INTEGER,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  UNIQUE (agency_id, year, seq)
);
-- Covering indexes for the annual report (perf-notes: index what the report asks).
CREATE INDEX cases_received ON cases(agency_id, received_on, applicant_type, outcome, concluded_on);
CREATE INDEX cases_concluded ON cases(agency_id, concluded_on, applicant_type, outcome);
CREATE INDEX cases_open ON cases(state, due_on);

CREATE TABLE case_events (
  id       INTEGER PRIMARY KEY,
  case_id  INTEGER NOT NULL REFERENCES cases(id),
  seq      INTEGER NOT NULL,
  event    TEXT NOT NULL,
  on_date  TEXT NOT NULL,
  fields   TEXT NOT NULL DEFAULT '{}',   -- JSON object
  user_id  INTEGER REFERENCES users(id),
  username TEXT NOT NULL,
  at       TEXT NOT NULL,
  UNIQUE (case_id, seq)
);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

-- Projections of consult / remedy_filed events; ids are the ids of those events.
CREATE TABLE consultations (
  id         INTEGER PRIMARY KEY REFERENCES case_events(id),
  case_id    INTEGER NOT NULL REFERENCES cases(id),
  party      TEXT NOT NULL,
  name       TEXT NOT NULL,
  sent_on    TEXT NOT NULL,
  replied_on TEXT,
  opinion    TEXT NOT NULL DEFAULT ''
);
CREATE TABLE remedies (
  id         INTEGER PRIMARY KEY REFERENCES case_events(id),
  case_id    INTEGER NOT NULL REFERENCES cases(id),
  kind       TEXT NOT NULL,
  filed_on   TEXT NOT NULL,
  decided_on TEXT,
  result     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX remedies_filed ON remedies(filed_on, kind);

-- Calendar years imported at run time (they override the shipped workflow/calendar files).
CREATE TABLE calendar_years (
  year        INTEGER PRIMARY KEY,
  notice      TEXT NOT NULL,
  source      TEXT NOT NULL,     -- the year in .cal format
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL
);

-- Who did what: append-only.
CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  target  TEXT NOT NULL DEFAULT '',
  detail  TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
