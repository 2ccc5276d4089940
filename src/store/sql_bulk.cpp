// Bulk loading with statements prepared once (perf-notes: Poco::Data re-prepares every
// statement). Used for demo data at scale and for imports; all or nothing.
#include <map>

#include "domain/search.h"
#include "store/fields_json.h"
#include "store/sql_detail.h"

namespace ogi::detail {

using detail::Engine;

Status SqlImport::bulk_insert(const std::vector<Case>& cases,
                              const std::vector<CaseProjection>& proj, bool allocate_numbers) {
  return write_status([&] {
    std::map<std::string, long long> agency_ids;
    const std::vector<Agency> agencies_ = admin_.agencies();
    for (auto& a : agencies_) agency_ids[a.code] = a.id;
    auto app = q_.once(
        "INSERT INTO "
        "applicants(agency_id,type,name,id_type,id_number,credit_code,phone,address,email) "
        "VALUES(?,?,?,?,?,?,?,?,?) RETURNING id");
    auto cs = q_.once(
        "INSERT INTO "
        "cases(agency_id,year,seq,number,applicant_id,applicant_type,channel,received_on,content,"
        "form,delivery,"
        "state,stage,outcome,start_on,due_on,due_provisional,concluded_on,on_time,created_at,"
        "updated_at,version) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    auto ev = q_.once(
        "INSERT INTO case_events(case_id,seq,event,on_date,fields,username,at) "
        "VALUES(?,?,?,?,?,?,?)");
    auto fts = q_.once("INSERT INTO case_search(rowid,name,content) VALUES(?,?,?)");
    auto pairs = q_.once("INSERT INTO case_pairs(rowid,pairs) VALUES(?,?)");
    auto counter = q_.once(
        std::string("INSERT INTO number_counters(agency_id,kind,year,last) VALUES(?, 'case', ?, ?) "
                    "ON CONFLICT(agency_id,kind,year) DO UPDATE SET last=") +
        (q_.engine() == Engine::sqlite ? "max(last, excluded.last)"
                                       : "GREATEST(number_counters.last, excluded.last)"));
    std::map<std::pair<long long, int>, long long> max_seq;
    // Search rows go in after the loop: on SQLite every savepoint of a foreign-key-checked insert
    // makes FTS5 flush its pending rows, one segment each (bench profile, issue 6).
    std::vector<long long> search_ids;
    search_ids.reserve(cases.size());
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case& c = cases[i];
      const CaseProjection& p = proj[i];
      if (!c.derived.consultations.empty() || !c.derived.remedies.empty())
        throw std::runtime_error("bulk_insert does not take cases with consultations or remedies");
      auto it = agency_ids.find(c.agency);
      if (it == agency_ids.end()) throw std::runtime_error("unknown agency " + c.agency);
      long long aid = it->second;
      const Applicant& a = c.applicant;
      app.num(1, aid)
          .text(2, a.type)
          .text(3, a.name)
          .text(4, a.id_type)
          .text(5, a.id_number)
          .text(6, a.credit_code)
          .text(7, a.phone)
          .text(8, a.address)
          .text(9, a.email);
      const long long applicant_id = app.exec_id();
      int year = c.received_on.year();
      long long seq = 0;
      std::string number = c.number;
      auto& m = max_seq[{aid, year}];
      if (allocate_numbers) {
        // continue the agency-year's sequence; the case keeps its own number text when it has one
        if (m == 0) {
          auto q = q_("SELECT coalesce(max(seq),0) FROM cases WHERE agency_id=? AND year=?");
          q.num(1, aid).num(2, year);
          if (q.row()) m = q.num(0);
          q.run();
          auto k =
              q_("SELECT last FROM number_counters WHERE agency_id=? AND kind='case' AND year=?");
          k.num(1, aid).num(2, year);
          if (k.row()) m = std::max(m, k.num(0));
          k.run();
        }
        seq = ++m;
        if (number.empty()) {
          for (auto& ag : agencies_)
            if (ag.id == aid) number = detail::render_number(ag.number_pattern, year, seq);
        }
      } else {
        if (auto b = c.number.rfind("第"); b != std::string::npos)
          seq = std::atoll(c.number.c_str() + b + 3);
        if (!seq) seq = static_cast<long long>(i + 1);
        m = std::max(m, seq);
      }
      std::string at = c.events.empty() ? "" : c.events.front().at;
      cs.num(1, aid)
          .num(2, year)
          .num(3, seq)
          .text(4, number)
          .num(5, applicant_id)
          .text(6, a.type)
          .text(7, c.channel)
          .text(8, format_date(c.received_on))
          .text(9, c.content)
          .text(10, c.form)
          .text(11, c.delivery)
          .text(12, p.state)
          .text(13, p.stage)
          .text(14, p.outcome)
          .date(15, p.start_on)
          .date(16, p.due_on)
          .num(17, p.provisional)
          .date(18, p.concluded_on)
          .opt(19, p.on_time)
          .text(20, at)
          .text(21, at)
          .num(22, static_cast<long long>(c.events.size()));
      const long long case_id = cs.exec_id();
      int n = 0;
      for (auto& e : c.events) {
        ev.num(1, case_id)
            .num(2, ++n)
            .text(3, e.event)
            .text(4, format_date(e.on))
            .text(5, fields_to_json(e.fields))
            .text(6, e.by)
            .text(7, e.at);
        ev.exec();
      }
      search_ids.push_back(case_id);
    }
    for (size_t i = 0; i < cases.size(); ++i) {
      fts.num(1, search_ids[i]).text(2, cases[i].applicant.name).text(3, cases[i].content);
      fts.exec();
      pairs.num(1, search_ids[i]).text(2, search_pairs(cases[i].applicant.name, cases[i].content));
      pairs.exec();
    }
    for (auto& [k, seq] : max_seq) {
      counter.num(1, k.first).num(2, k.second).num(3, seq);
      counter.exec();
    }
    step("bulk_inserted");
  });
}

}  // namespace ogi::detail
