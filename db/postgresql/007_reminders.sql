-- Version 7: reminders that are not about one case, each sent once per key (the weekly reminder
-- to import next year's holiday notice: kind calendar_notice, key "2027/2026-11-02", the year
-- and the Monday of the week). Claimed before sending, released when the send fails.
CREATE TABLE reminders (
  kind    TEXT NOT NULL,
  key     TEXT NOT NULL,
  sent_at TEXT NOT NULL,
  PRIMARY KEY (kind, key)
);

-- Login attempts are counted per address too (throttling that slows an attacker's address, not
-- every user's).
CREATE INDEX login_failures_ip ON login_failures(ip, at);
