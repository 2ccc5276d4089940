#!/usr/bin/env bash
# Upgrading to schema 10 (db/010_search.sql, db/postgresql/010_search.sql): a database made
# before the two-character index gets it from its existing cases. The SQL backfill must give every
# case exactly the pairs the program writes for a new case (src/domain/search.cpp): checked as
# sets of three-character units, both ways, on SQLite and (given an admin URL) PostgreSQL.
# Usage: search_upgrade_test.sh PATH_TO_OGI [ADMIN_URL]
set -uo pipefail
OGI=$1
ADMIN=${2:-}
export OGI_TODAY=${OGI_TEST_TODAY:-2026-11-27}
. "$(dirname "$0")/../lib/tap.sh"
tap_start search_upgrade
name="ogi_srch_$$"
tap_on_exit() { [[ -n $ADMIN ]] && psql -X -q "$ADMIN" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1; }

# The units of each row's pairs text as (id, unit) rows: units are three characters, the third '|'.
UNITS_SQLITE="WITH RECURSIVE u(id, p, k) AS (SELECT id, pairs, 0 FROM SRC UNION ALL SELECT id, p, k + 1 FROM u WHERE 3 * (k + 1) < length(p)) SELECT DISTINCT id, substr(p, 3 * k + 1, 3) FROM u WHERE length(p) > 0"
# Later versions are undone first (011: assignment), so the database is as schema 9 left it.
UNDO="DROP INDEX cases_assignee_open; DROP TABLE case_assignments; ALTER TABLE cases DROP COLUMN assignee_id; DELETE FROM schema_migrations WHERE version = 11; DROP INDEX cases_agency_seq; DROP INDEX applicants_id_number; DROP INDEX applicants_credit_code; DROP INDEX applicants_phone; DROP INDEX letters_number; DELETE FROM schema_migrations WHERE version = 10;"

db="$T/s.db"
"$OGI" demo --db "$db" >/dev/null 2>&1
"$OGI" demo generate --db "$db" --cases 1500 >/dev/null 2>&1
n=$(sqlite3 "$db" "SELECT count(*) FROM case_pairs")
[[ $n -gt 1500 ]] && ok "SQLite: $n cases with pairs written by the program" || notok "SQLite: pairs written" "n=$n"
sqlite3 "$db" "ATTACH '$T/keep.db' AS k; CREATE TABLE k.program AS SELECT rowid AS id, pairs FROM case_pairs;"
sqlite3 "$db" "DROP TABLE case_pairs; $UNDO"
[[ $(sqlite3 "$db" "SELECT max(version) FROM schema_migrations") == 9 ]] && ok "SQLite: back at schema 9" || notok "SQLite: schema 9"
"$OGI" init --db "$db" >/dev/null 2>&1 && ok "SQLite: ogi init migrates to the latest schema" || notok "SQLite: ogi init"
sqlite3 "$db" "ATTACH '$T/keep.db' AS k; CREATE TABLE k.migrated AS SELECT rowid AS id, pairs FROM case_pairs;"
P="SELECT * FROM (${UNITS_SQLITE//SRC/program})" M="SELECT * FROM (${UNITS_SQLITE//SRC/migrated})"
diff=$(sqlite3 "$T/keep.db" "SELECT count(*) FROM ($P EXCEPT $M); SELECT count(*) FROM ($M EXCEPT $P); SELECT count(*) FROM ($P)" | tr '\n' ' ')
read -r missing extra total <<<"$diff"
[[ $missing == 0 && $extra == 0 && $total -gt 10000 ]] && ok "SQLite: the backfill gives the program's $total pairs exactly" ||
  notok "SQLite: backfill equals the program's pairs" "missing=$missing extra=$extra total=$total"

if [[ -n $ADMIN ]]; then
  url="${ADMIN%/*}/$name"
  psql -X -q "$ADMIN" -c "CREATE DATABASE $name" >/dev/null
  export OGI_AUDIT_KEY_FILE="$T/pg.key"
  "$OGI" init --db "$url" >/dev/null 2>&1
  "$OGI" demo generate --db "$url" --cases 1500 >/dev/null 2>&1
  UNITS_PG="SELECT DISTINCT rowid AS id, substr(pairs, 3 * k + 1, 3) AS unit FROM SRC, generate_series(0, length(pairs) / 3 - 1) AS k"
  psql -X -q "$url" -c "CREATE TABLE program AS SELECT rowid, pairs FROM case_pairs; DROP TABLE case_pairs; $UNDO" >/dev/null
  "$OGI" init --db "$url" >/dev/null 2>&1 && ok "PostgreSQL: ogi init migrates to the latest schema" || notok "PostgreSQL: ogi init"
  diff=$(psql -X -qAt "$url" -c "SELECT (SELECT count(*) FROM (${UNITS_PG//SRC/program} EXCEPT ${UNITS_PG//SRC/case_pairs}) a), (SELECT count(*) FROM (${UNITS_PG//SRC/case_pairs} EXCEPT ${UNITS_PG//SRC/program}) b), (SELECT count(*) FROM (${UNITS_PG//SRC/program}) c)")
  IFS='|' read -r missing extra total <<<"$diff"
  [[ $missing == 0 && $extra == 0 && $total -gt 10000 ]] && ok "PostgreSQL: the backfill gives the program's $total pairs exactly" ||
    notok "PostgreSQL: backfill equals the program's pairs" "missing=$missing extra=$extra total=$total"
fi
tap_finish
