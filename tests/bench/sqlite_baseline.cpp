// Baseline for the HTTP registration benchmark (issue 3): a minimal program inserting the same
// rows a registration writes (applicant, case, register event, search index, number counters,
// the receipt letter with bytes of the same sizes: DOCX, HTML, markup; and the audit entry)
// into SQLite with the same durability (WAL, synchronous=FULL), one transaction per
// registration, statements prepared once, no server. Prints registrations/s.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

static void check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: sqlite_baseline DB N\n");
    return 2;
  }
  long n = std::atol(argv[2]);
  sqlite3* db = nullptr;
  check(sqlite3_open(argv[1], &db), db);
  const char* setup =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
      "CREATE TABLE IF NOT EXISTS applicants(id INTEGER PRIMARY KEY, agency_id, type, name, "
      "id_type, id_number, credit_code, phone, address, email);"
      "CREATE TABLE IF NOT EXISTS cases(id INTEGER PRIMARY KEY, agency_id, year, seq, number, "
      "applicant_id, applicant_type, channel, received_on, content, form, delivery, version, "
      "state, stage, outcome, start_on, due_on, due_provisional, concluded_on, on_time, "
      "created_at, updated_at, UNIQUE(agency_id, year, seq));"
      "CREATE INDEX IF NOT EXISTS cases_received ON cases(agency_id, received_on, applicant_type, "
      "outcome, concluded_on);"
      "CREATE INDEX IF NOT EXISTS cases_report ON cases(agency_id, concluded_on, received_on, "
      "applicant_type, outcome, channel, on_time);"
      "CREATE INDEX IF NOT EXISTS cases_open ON cases(state, due_on);"
      "CREATE TABLE IF NOT EXISTS case_events(id INTEGER PRIMARY KEY, case_id, seq, event, "
      "on_date, fields, user_id, username, at, UNIQUE(case_id, seq));"
      "CREATE VIRTUAL TABLE IF NOT EXISTS case_search USING fts5(name, content, "
      "tokenize='trigram');"
      "CREATE TABLE IF NOT EXISTS number_counters(agency_id, kind, year, last, PRIMARY "
      "KEY(agency_id, kind, year)) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS letters(id INTEGER PRIMARY KEY, case_id, event_id, kind, "
      "template, template_version, year, seq, number, title, issued_on, markup, docx, html, "
      "sha256, supersedes, reason, issued_by, issued_at, addressee);"
      "CREATE INDEX IF NOT EXISTS letters_case ON letters(case_id);"
      "CREATE TABLE IF NOT EXISTS audit_log(id INTEGER PRIMARY KEY, at, actor, action, target, "
      "detail, prev_hash, hash);";
  check(sqlite3_exec(db, setup, nullptr, nullptr, nullptr), db);
  sqlite3_stmt *counter, *app, *cs, *ev, *fts, *lcounter, *letter, *audit;
  // the audit entry, chained to the one before (db/006), in the same transaction
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO audit_log(at,actor,action,target,detail,prev_hash,hash) "
                           "VALUES('2026-11-28T00:00:00Z','u','case.register',?,'ip=127.0.0.1',("
                           "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1),?)",
                           -1, &audit, nullptr),
        db);
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO number_counters VALUES(1,'letter:receipt',2026,1) ON "
                           "CONFLICT DO UPDATE SET last=last+1 RETURNING last",
                           -1, &lcounter, nullptr),
        db);
  check(sqlite3_prepare_v2(
            db,
            "INSERT INTO "
            "letters(case_id,event_id,kind,template,template_version,year,seq,number,title,issued_"
            "on,markup,docx,html,sha256,reason,issued_by,issued_at,addressee) "
            "VALUES(?,?,'receipt','receipt',0,2026,?,?,'申请接收回执','2026-11-02',?,?,?,?,'','u','"
            "t','张三')",
            -1, &letter, nullptr),
        db);
  // a receipt's sizes (`ogi templates render receipt`): DOCX 12.3 KB, HTML 3.0 KB, markup 1.5 KB
  std::string docx(12310, '\x5a'), html(3007, 'h'), markup(1455, 'm'), sha(64, 'f');
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO number_counters VALUES(1,'case',2026,1) ON CONFLICT DO "
                           "UPDATE SET last=last+1 RETURNING last",
                           -1, &counter, nullptr),
        db);
  check(sqlite3_prepare_v2(
            db,
            "INSERT INTO applicants(agency_id,type,name,id_type,id_number,phone) "
            "VALUES(1,'natural_person','张三','resident_id','11010519491231002X','13800138000')",
            -1, &app, nullptr),
        db);
  check(sqlite3_prepare_v2(
            db,
            "INSERT INTO "
            "cases(agency_id,year,seq,number,applicant_id,applicant_type,channel,received_on,"
            "content,version,state,stage,start_on,due_on,created_at,updated_at) "
            "VALUES(1,2026,?,?,?,'natural_person','post','2026-11-02','"
            "申请公开某项目的批复文件及附件',1,'registered','review','2026-11-02','2026-11-30','t',"
            "'t')",
            -1, &cs, nullptr),
        db);
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO case_events(case_id,seq,event,on_date,fields,username,at) "
                           "VALUES(?,1,'register','2026-11-02','{}','u','t')",
                           -1, &ev, nullptr),
        db);
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO case_search(rowid,name,content) "
                           "VALUES(?,'张三','申请公开某项目的批复文件及附件')",
                           -1, &fts, nullptr),
        db);
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < n; ++i) {
    check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db);
    check(sqlite3_step(counter), db);
    long long seq = sqlite3_column_int64(counter, 0);
    sqlite3_reset(counter);
    check(sqlite3_step(app), db);
    sqlite3_reset(app);
    long long aid = sqlite3_last_insert_rowid(db);
    std::string number = "测〔2026〕第" + std::to_string(seq) + "号";
    sqlite3_bind_int64(cs, 1, seq);
    sqlite3_bind_text(cs, 2, number.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(cs, 3, aid);
    check(sqlite3_step(cs), db);
    sqlite3_reset(cs);
    long long cid = sqlite3_last_insert_rowid(db);
    sqlite3_bind_int64(ev, 1, cid);
    check(sqlite3_step(ev), db);
    sqlite3_reset(ev);
    long long eid = sqlite3_last_insert_rowid(db);
    sqlite3_bind_int64(fts, 1, cid);
    check(sqlite3_step(fts), db);
    sqlite3_reset(fts);
    check(sqlite3_step(lcounter), db);
    long long lseq = sqlite3_column_int64(lcounter, 0);
    sqlite3_reset(lcounter);
    std::string lnumber = "测依申收〔2026〕" + std::to_string(lseq) + "号";
    docx[static_cast<size_t>(i) % docx.size()] = static_cast<char>(i);
    sqlite3_bind_int64(letter, 1, cid);
    sqlite3_bind_int64(letter, 2, eid);
    sqlite3_bind_int64(letter, 3, lseq);
    sqlite3_bind_text(letter, 4, lnumber.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(letter, 5, markup.data(), static_cast<int>(markup.size()), SQLITE_STATIC);
    sqlite3_bind_blob(letter, 6, docx.data(), static_cast<int>(docx.size()), SQLITE_STATIC);
    sqlite3_bind_text(letter, 7, html.data(), static_cast<int>(html.size()), SQLITE_STATIC);
    sqlite3_bind_text(letter, 8, sha.data(), static_cast<int>(sha.size()), SQLITE_STATIC);
    check(sqlite3_step(letter), db);
    sqlite3_reset(letter);
    sqlite3_bind_int64(audit, 1, cid);
    sqlite3_bind_text(audit, 2, sha.data(), static_cast<int>(sha.size()), SQLITE_STATIC);
    check(sqlite3_step(audit), db);
    sqlite3_reset(audit);
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "sqlite_baseline_registrations %.0f /s (n=%ld, %.1f s, synchronous=FULL, one transaction "
      "each)\n",
      n / s, n, s);
  sqlite3_close(db);
  return 0;
}
