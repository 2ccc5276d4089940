// Facts for the annual report and statistics (one pass each), and period locks (db/005).
#include <map>
#include <memory>

#include "store/sql_detail.h"
#include "store/sql_store.h"

namespace ogi::detail {

using detail::agency_ids;

std::vector<CaseFacts> SqlReports::case_facts(const std::vector<std::string>& agencies,
                                              const Date& from, const Date& to, bool with_handler) {
  std::lock_guard lock(rmu_);
  std::vector<CaseFacts> out;
  const std::string ids = agency_ids(rq_, agencies);
  if (ids.empty()) return out;
  // Agency ids are integers read from the table; dates are bound. Two ranges of the covering
  // index cases_report — the open cases, and those concluded from `from` — each read from the
  // index alone; agency codes are mapped in memory.
  const std::string cols =
      std::string(
          "SELECT c.id, c.agency_id, c.applicant_type, c.channel, c.received_on, c.concluded_on, "
          "c.outcome, c.on_time") +
      (with_handler ? ", c.start_on, (SELECT e.username FROM case_events e WHERE e.case_id=c.id "
                      "AND e.event='decide' "
                      "ORDER BY e.seq DESC LIMIT 1)"
                    : "") +
      " FROM cases c " +
      std::string(rq_.engine() == detail::Engine::sqlite ? "INDEXED BY cases_report " : "") +
      "WHERE c.agency_id IN (" + ids + ") AND c.received_on <= ?1 AND ";
  const std::string sql =
      cols + "c.concluded_on IS NULL UNION ALL " + cols + "c.concluded_on >= ?2";
  std::map<long long, std::string> codes;
  for (auto& code : agencies) {
    auto q = rq_("SELECT id FROM agencies WHERE code=?");
    q.text(1, code);
    if (q.row()) codes[q.num(0)] = code;
  }
  {
    auto q = rq_.once(sql);
    q.text(1, format_date(to)).text(2, format_date(from));
    while (q.row()) {
      CaseFacts f;
      f.id = q.num(0);
      f.agency = codes[q.num(1)];
      f.applicant_type = q.str(2);
      f.channel = q.str(3);
      if (auto d = q.day(4)) f.received_on = *d;
      f.concluded_on = q.day(5);
      f.outcome = q.str(6);
      if (!q.is_null(7)) f.on_time = q.num(7) != 0;
      if (with_handler) {
        f.start_on = q.date(8);
        f.handler = q.str(9);
      }
      out.push_back(std::move(f));
    }
  }
  return out;
}

std::vector<RemedyFacts> SqlReports::remedy_facts(const std::vector<std::string>& agencies,
                                                  const Date& from, const Date& to) {
  std::lock_guard lock(rmu_);
  std::vector<RemedyFacts> out;
  const std::string ids = agency_ids(rq_, agencies);
  if (ids.empty()) return out;
  const std::string sql =
      "SELECT r.id, r.case_id, a.code, r.kind, r.filed_on, r.decided_on, r.result FROM remedies r "
      "JOIN cases c ON c.id=r.case_id JOIN agencies a ON a.id=c.agency_id WHERE c.agency_id IN (" +
      ids + ") AND r.filed_on <= ? AND (r.decided_on IS NULL OR r.decided_on >= ?)";
  {
    auto q = rq_.once(sql);
    q.text(1, format_date(to)).text(2, format_date(from));
    while (q.row()) {
      RemedyFacts r;
      r.id = q.num(0);
      r.case_id = q.num(1);
      r.agency = q.str(2);
      r.kind = q.str(3);
      if (auto d = q.date(4)) r.filed_on = *d;
      r.decided_on = q.date(5);
      r.result = q.str(6);
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::vector<PeriodLock> SqlReports::period_locks(const std::vector<std::string>& agencies) {
  std::lock_guard lock(rmu_);
  std::vector<PeriodLock> out;
  for (auto& code : agencies) {
    auto q =
        rq_("SELECT a.code, l.year, l.locked_by, l.locked_at, l.reason FROM period_locks l "
            "JOIN agencies a ON a.id=l.agency_id WHERE a.code=? ORDER BY l.year");
    q.text(1, code);
    while (q.row())
      out.push_back({q.str(0), static_cast<int>(q.num(1)), q.str(2), q.str(3), q.str(4)});
  }
  return out;
}

Status SqlReports::set_period_lock(const std::string& agency, int year, bool lock,
                                   const std::string& by, const std::string& at,
                                   const std::string& reason) {
  auto r = write([&]() -> Result<int> {
    auto a = q_("SELECT id FROM agencies WHERE code=?");
    a.text(1, agency);
    if (!a.row()) return make_error(Code::not_found, "没有代码为 " + agency + " 的机关");
    const long long agency_id = a.num(0);
    a.run();
    const std::string y = std::to_string(year) + "年度";
    if (lock) {
      auto q =
          q_("INSERT INTO period_locks(agency_id, year, locked_by, locked_at, reason) "
             "VALUES(?,?,?,?,?) "
             "ON CONFLICT DO NOTHING");
      q.num(1, agency_id).num(2, year).text(3, by).text(4, at).text(5, reason).run();
      if (q.changes() == 0) return make_error(Code::conflict, y + "已经锁定");
    } else {
      auto q = q_("DELETE FROM period_locks WHERE agency_id=? AND year=?");
      q.num(1, agency_id).num(2, year).run();
      if (q.changes() == 0) return make_error(Code::conflict, y + "未锁定");
    }
    append_audit(at, by, lock ? "period.lock" : "period.unlock",
                 agency + " " + std::to_string(year), reason);
    return 1;
  });
  if (!r) return r.error();
  return {};
}

}  // namespace ogi::detail
