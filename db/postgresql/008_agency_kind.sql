-- Version 8: what an agency is (行政复议法 2023, Arts 24–27), from which its reconsideration
-- body is derived where the agency tree allows (domain/remedy_body.h). '' = not set yet.
ALTER TABLE agencies ADD COLUMN kind TEXT NOT NULL DEFAULT '';
