-- Version 2: the web application — sessions, login throttling, attachments, full-text search
-- for duplicate detection, alerts raised by the daily sweep.

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,            -- SHA-256 of the bearer/cookie token; the token itself is never stored
  user_id     INTEGER NOT NULL REFERENCES users(id),
  csrf        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,            -- unix seconds
  expires_at  INTEGER NOT NULL,
  ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
  id       INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  ip       TEXT NOT NULL,
  at       INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at);

CREATE TABLE attachments (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  sha256      TEXT NOT NULL,
  name        TEXT NOT NULL,
  mime        TEXT NOT NULL,
  size        INTEGER NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id);

-- Applicant name and request text, trigram-indexed (works for Chinese without a word splitter).
CREATE VIRTUAL TABLE case_search USING fts5(name, content, tokenize='trigram');

CREATE TABLE alerts (
  id       INTEGER PRIMARY KEY,
  case_id  INTEGER NOT NULL REFERENCES cases(id),
  kind     TEXT NOT NULL,                  -- correction | consultation | fee | reply
  due_on   TEXT NOT NULL,
  raised_on TEXT NOT NULL,
  message  TEXT NOT NULL,
  notified INTEGER NOT NULL DEFAULT 0,
  UNIQUE (case_id, kind, due_on)
);

-- Agency settings used by the remedy notice in letters (issue 4) and shown in administration.
ALTER TABLE agencies ADD COLUMN reconsideration_body TEXT NOT NULL DEFAULT '';
ALTER TABLE agencies ADD COLUMN court TEXT NOT NULL DEFAULT '';
