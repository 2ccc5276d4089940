-- Version 4: letters (文书). Issued letters are frozen: their bytes and SHA-256 never change
-- (append-only); a correction is a new row that names the row it replaces. Template versions
-- saved in administration are kept, newest wins over the file shipped in templates/letters/.

ALTER TABLE agencies ADD COLUMN letter_prefix TEXT NOT NULL DEFAULT '';   -- 机关代字, e.g. 狮府办
ALTER TABLE agencies ADD COLUMN letter_pattern TEXT NOT NULL DEFAULT '{prefix}依申{kind}〔{year}〕{seq}号';
ALTER TABLE agencies ADD COLUMN letterhead TEXT NOT NULL DEFAULT '';      -- 发文机关标志
ALTER TABLE agencies ADD COLUMN contact TEXT NOT NULL DEFAULT '';         -- address and telephone

CREATE TABLE letters (
  id               INTEGER PRIMARY KEY,
  case_id          INTEGER NOT NULL REFERENCES cases(id),
  event_id         INTEGER REFERENCES case_events(id),
  kind             TEXT NOT NULL,
  template         TEXT NOT NULL,
  template_version INTEGER NOT NULL,
  year             INTEGER NOT NULL,
  seq              INTEGER NOT NULL,
  number           TEXT NOT NULL,
  title            TEXT NOT NULL,
  issued_on        TEXT NOT NULL,
  markup           TEXT NOT NULL,     -- the template's output: the letter's text and layout
  docx             BLOB NOT NULL,
  html             TEXT NOT NULL,
  sha256           TEXT NOT NULL,     -- of docx
  supersedes       INTEGER REFERENCES letters(id),
  reason           TEXT NOT NULL DEFAULT '',
  addressee        TEXT NOT NULL DEFAULT '',  -- the applicant, the third party or the agency consulted
  issued_by        TEXT NOT NULL,
  issued_at        TEXT NOT NULL
);
CREATE INDEX letters_case ON letters(case_id);
CREATE UNIQUE INDEX letters_supersedes ON letters(supersedes) WHERE supersedes IS NOT NULL;
CREATE TRIGGER letters_no_update BEFORE UPDATE ON letters
BEGIN SELECT RAISE(ABORT, 'issued letters are frozen'); END;
CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
BEGIN SELECT RAISE(ABORT, 'issued letters are frozen'); END;

CREATE TABLE letter_templates (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  body       TEXT NOT NULL,
  author     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  UNIQUE (name, version)
);
CREATE TRIGGER letter_templates_no_update BEFORE UPDATE ON letter_templates
BEGIN SELECT RAISE(ABORT, 'template versions are kept as they were saved'); END;
CREATE TRIGGER letter_templates_no_delete BEFORE DELETE ON letter_templates
BEGIN SELECT RAISE(ABORT, 'template versions are kept as they were saved'); END;
