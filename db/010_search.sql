-- Version 10: search finds what people quote (issue 15 §1).
-- Two-character names and words: the trigram index cannot answer a two-character query, so each
-- case also gets the pairs of adjacent characters of its applicant's name and its request, each
-- followed by '|' (src/domain/search.h, search_pairs); a two-character query XY is then the
-- three-character trigram query "XY|". detail=none: only which cases contain it is needed.
CREATE VIRTUAL TABLE case_pairs USING fts5(pairs, tokenize='trigram', detail='none');
INSERT INTO case_pairs(rowid, pairs)
  WITH RECURSIVE
    src(id, name, content) AS (SELECT rowid, name, content FROM case_search),
    chars(id, s, i) AS (
      SELECT id, name, 1 FROM src UNION ALL SELECT id, content, 1 FROM src
      UNION ALL SELECT id, s, i + 1 FROM chars WHERE i < length(s) - 1),
    pairs(id, pair) AS (
      SELECT DISTINCT id, substr(s, i, 2) FROM chars
      WHERE length(s) >= 2 AND substr(s, i, 2) NOT GLOB ('*[' || char(9, 10, 13, 32, 12288) || ']*'))
  SELECT id, group_concat(pair || '|', '') FROM pairs GROUP BY id;
-- Numbers and identities people quote: the sequence number alone ("第14号"), an ID number, a
-- credit code, a phone number, a letter's number.
CREATE INDEX cases_agency_seq ON cases(agency_id, seq);
CREATE INDEX applicants_id_number ON applicants(id_number);
CREATE INDEX applicants_credit_code ON applicants(credit_code);
CREATE INDEX applicants_phone ON applicants(phone);
CREATE INDEX letters_number ON letters(number);
