-- Version 10: search finds what people quote (issue 15 §1); see db/010_search.sql.
-- The pairs of adjacent characters of each case's applicant name and request, each followed by
-- '|' (src/domain/search.h), under a pg_trgm GIN index: a two-character query XY is matched as
-- the substring "XY|".
CREATE TABLE case_pairs (
  rowid BIGINT PRIMARY KEY,   -- the case id
  pairs TEXT NOT NULL
);
INSERT INTO case_pairs(rowid, pairs)
  SELECT id, string_agg(pair || '|', '')
  FROM (SELECT DISTINCT s.rowid AS id, substr(f.t, i, 2) AS pair
        FROM case_search s
        CROSS JOIN LATERAL (VALUES (s.name), (s.content)) AS f(t)
        CROSS JOIN LATERAL generate_series(1, length(f.t) - 1) AS i
        WHERE substr(f.t, i, 2) !~ '[[:space:]　]') p
  GROUP BY id;
CREATE INDEX case_pairs_trgm ON case_pairs USING gin (pairs gin_trgm_ops);
CREATE INDEX cases_agency_seq ON cases(agency_id, seq);
CREATE INDEX applicants_id_number ON applicants(id_number);
CREATE INDEX applicants_credit_code ON applicants(credit_code);
CREATE INDEX applicants_phone ON applicants(phone);
CREATE INDEX letters_number ON letters(number);
