// SqlCases (CaseStore): cases, their events and projections; agency and user lookup.
#include "domain/letters.h"
#include "domain/search.h"
#include "store/fields_json.h"
#include "store/sql_detail.h"

namespace ogi::detail {

Result<Agency> SqlCases::agency(const std::string& code) {
  std::lock_guard lock(mu_);
  auto q =
      q_("SELECT a.id, a.code, a.name, a.number_pattern, a.fee_pauses_clock, coalesce(p.code,''), "
         "a.letter_prefix, "
         "a.letter_pattern, a.letterhead, a.contact, a.reconsideration_body, a.court, a.kind, "
         "a.remedy_policy "
         "FROM agencies a LEFT JOIN agencies p ON p.id=a.parent_id WHERE a.code=?");
  q.text(1, code);
  if (!q.row()) return make_error(Code::not_found, "没有代码为 " + code + " 的机关");
  return Agency{q.num(0), q.str(1), q.str(2), q.str(3),  q.num(4) != 0, q.str(5),  q.str(6),
                q.str(7), q.str(8), q.str(9), q.str(10), q.str(11),     q.str(12), q.str(13)};
}

Result<User> SqlCases::user(const std::string& username) {
  // On the read connection: authenticating a request never waits for the writer.
  std::lock_guard lock(rmu_);
  User u;
  long long agency_id = 0;
  {
    auto q =
        rq_("SELECT u.id, u.username, u.display_name, a.code, u.roles, u.password_hash, a.id FROM "
            "users u "
            "JOIN agencies a ON a.id=u.agency_id WHERE u.username=? AND u.active=1");
    q.text(1, username);
    if (!q.row()) return make_error(Code::not_found, "没有用户 " + username);
    u = User{q.num(0), q.str(1), q.str(2), q.str(3), split_roles(q.str(4)), q.str(5), {}};
    agency_id = q.num(6);
  }
  // Own agency and every agency below it (supervising offices).
  auto sub =
      rq_("WITH RECURSIVE below(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT a.id FROM agencies a "
          "JOIN below b ON a.parent_id=b.id) "
          "SELECT code FROM agencies WHERE id IN (SELECT id FROM below) ORDER BY code");
  sub.num(1, agency_id);
  while (sub.row()) u.agencies_visible.push_back(sub.str(0));
  return u;
}

Result<Case> SqlCases::load_case(long long id) {
  std::lock_guard lock(mu_);
  return load_unlocked(id);
}

Result<Case> SqlCases::load_unlocked(long long id) {
  Case c;
  {
    auto q =
        q_("SELECT c.id, a.code, c.number, c.channel, c.received_on, c.content, c.form, "
           "c.delivery, c.version, "
           "p.type, p.name, p.id_type, p.id_number, p.credit_code, p.phone, p.address, p.email, "
           "coalesce(u.username, '') "
           "FROM cases c JOIN agencies a ON a.id=c.agency_id JOIN applicants p ON "
           "p.id=c.applicant_id LEFT JOIN users u ON u.id=c.assignee_id WHERE c.id=?");
    q.num(1, id);
    if (!q.row())
      return make_error(Code::not_found, "没有编号为 " + std::to_string(id) + " 的案件");
    c.id = q.num(0);
    c.agency = q.str(1);
    c.number = q.str(2);
    c.channel = q.str(3);
    c.received_on = *q.date(4);
    c.content = q.str(5);
    c.form = q.str(6);
    c.delivery = q.str(7);
    c.version = q.num(8);
    c.applicant = Applicant{q.str(9),  q.str(10), q.str(11), q.str(12),
                            q.str(13), q.str(14), q.str(15), q.str(16)};
    c.assignee = q.str(17);
  }
  auto ev =
      q_("SELECT id, event, on_date, fields, username, at FROM case_events WHERE case_id=? ORDER "
         "BY seq");
  ev.num(1, id);
  while (ev.row()) {
    CaseEvent e;
    e.id = ev.num(0);
    e.event = ev.str(1);
    e.on = *ev.date(2);
    auto f = fields_from_json(ev.str(3));
    if (!f) return f.error();
    e.fields = *f;
    e.by = ev.str(4);
    e.at = ev.str(5);
    c.events.push_back(std::move(e));
  }
  return c;
}

void SqlCases::write_case_projection(long long case_id, const CaseProjection& p) {
  auto q =
      q_("UPDATE cases SET state=?, stage=?, outcome=?, start_on=?, due_on=?, due_provisional=?, "
         "concluded_on=?, "
         "on_time=?, updated_at=? WHERE id=?");
  q.text(1, p.state)
      .text(2, p.stage)
      .text(3, p.outcome)
      .date(4, p.start_on)
      .date(5, p.due_on)
      .num(6, p.provisional)
      .date(7, p.concluded_on)
      .opt(8, p.on_time)
      .text(9, utc_now())
      .num(10, case_id);
  q.run();
}

void SqlCases::write_projection(long long case_id, const Case& c, const CaseProjection& p,
                                long long new_event_id) {
  write_case_projection(case_id, p);
  q_("DELETE FROM consultations WHERE case_id=?").num(1, case_id).run();
  for (auto& k : c.derived.consultations)
    q_("INSERT INTO consultations(id, case_id, party, name, sent_on, replied_on, opinion) "
       "VALUES(?,?,?,?,?,?,?)")
        .num(1, k.id ? k.id : new_event_id)
        .num(2, case_id)
        .text(3, k.party)
        .text(4, k.name)
        .text(5, format_date(k.sent_on))
        .date(6, k.replied_on)
        .text(7, k.opinion)
        .run();
  q_("DELETE FROM remedies WHERE case_id=?").num(1, case_id).run();
  for (auto& r : c.derived.remedies)
    q_("INSERT INTO remedies(id, case_id, kind, filed_on, decided_on, result) VALUES(?,?,?,?,?,?)")
        .num(1, r.id ? r.id : new_event_id)
        .num(2, case_id)
        .text(3, r.kind)
        .text(4, format_date(r.filed_on))
        .date(5, r.decided_on)
        .text(6, r.result)
        .run();
  step("projection_written");
}

Result<Case> SqlCases::create_case(const Case& c, const CaseProjection& p,
                                   const std::vector<LetterDraft>& letters,
                                   const AuditNote* audit) {
  return write([&]() -> Result<Case> {
    auto ag = agency(c.agency);
    if (!ag) return ag.error();
    const int year = c.received_on.year();
    if (Status locked = check_period_lock(ag->id, year); !locked) return locked.error();
    long long seq = 0;
    {
      auto q =
          q_("INSERT INTO number_counters(agency_id, kind, year, last) VALUES(?, 'case', ?, 1) "
             "ON CONFLICT(agency_id, kind, year) DO UPDATE SET last = number_counters.last + 1 "
             "RETURNING last");
      q.num(1, ag->id).num(2, year);
      if (q.row()) seq = q.num(0);
      q.run();
    }
    const Applicant& a = c.applicant;
    long long applicant_id = 0;
    {
      auto q =
          q_("INSERT INTO applicants(agency_id, type, name, id_type, id_number, credit_code, "
             "phone, address, email) "
             "VALUES(?,?,?,?,?,?,?,?,?) RETURNING id");
      q.num(1, ag->id)
          .text(2, a.type)
          .text(3, a.name)
          .text(4, a.id_type)
          .text(5, a.id_number)
          .text(6, a.credit_code)
          .text(7, a.phone)
          .text(8, a.address)
          .text(9, a.email);
      if (q.row()) applicant_id = q.num(0);
      q.run();
    }
    std::string number = render_number(ag->number_pattern, year, seq);
    const std::string at = c.events.front().at;
    long long case_id = 0;
    {  // the projection goes in with the row: no second write of the same row and its indexes
      auto q =
          q_("INSERT INTO cases(agency_id, year, seq, number, applicant_id, applicant_type, "
             "channel, received_on, "
             "content, form, delivery, state, stage, created_at, updated_at, outcome, start_on, "
             "due_on, "
             "due_provisional, concluded_on, on_time, assignee_id) "
             "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
             "(SELECT id FROM users WHERE username=? AND username<>'')) RETURNING id");
      q.num(1, ag->id)
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
          .text(14, at)
          .text(15, at)
          .text(16, p.outcome)
          .date(17, p.start_on)
          .date(18, p.due_on)
          .num(19, p.provisional)
          .date(20, p.concluded_on)
          .opt(21, p.on_time)
          .text(22, c.assignee);
      if (q.row()) case_id = q.num(0);
      q.run();
    }
    q_("INSERT INTO case_search(rowid, name, content) VALUES(?,?,?)")
        .num(1, case_id)
        .text(2, a.name)
        .text(3, c.content)
        .run();
    q_("INSERT INTO case_pairs(rowid, pairs) VALUES(?,?)")
        .num(1, case_id)
        .text(2, search_pairs(a.name, c.content))
        .run();
    if (!c.assignee.empty()) insert_assignment(case_id, c.assignee, c.events.front().by, at);
    step("case_inserted");
    Case out = c;
    out.id = case_id;
    out.number = number;
    out.version = 1;
    int seqno = 0;
    for (auto& e : out.events) e.id = insert_event(case_id, ++seqno, e);
    step("event_inserted");
    if (!c.derived.consultations.empty() || !c.derived.remedies.empty())
      write_projection(case_id, c, p, 0);
    else  // a new case has no consultations or remedies: its projection is already in the row
      step("projection_written");
    if (!letters.empty()) {
      auto issued = letters_.issue_letters(ag->id, case_id, out.events.back().id, letters, number);
      if (!issued) return issued.error();
    }
    if (audit)
      append_audit(at, c.events.front().by, audit->action, std::to_string(case_id), audit->detail);
    return out;
  });
}

long long SqlCases::insert_event(long long case_id, int seq, const CaseEvent& e) {
  auto q =
      q_("INSERT INTO case_events(case_id, seq, event, on_date, fields, user_id, username, at) "
         "VALUES(?,?,?,?,?,(SELECT id FROM users WHERE username=?),?,?) RETURNING id");
  q.num(1, case_id)
      .num(2, seq)
      .text(3, e.event)
      .text(4, format_date(e.on))
      .text(5, fields_to_json(e.fields))
      .text(6, e.by)
      .text(7, e.by)
      .text(8, e.at);
  long long id = q.row() ? q.num(0) : 0;
  q.run();
  return id;
}

Result<Case> SqlCases::append_event(const Case& c, const CaseProjection& p,
                                    long long expected_version,
                                    const std::vector<LetterDraft>& letters,
                                    const AuditNote* audit) {
  return write([&]() -> Result<Case> {
    auto up = q_("UPDATE cases SET version=version+1 WHERE id=? AND version=?");
    up.num(1, c.id).num(2, expected_version).run();
    if (up.changes() == 0) return make_error(Code::conflict, "案件已被他人修改，请刷新后重试");
    {
      auto q = q_("SELECT agency_id FROM cases WHERE id=?");
      q.num(1, c.id);
      const long long agency_id = q.row() ? q.num(0) : 0;
      q.run();
      if (Status locked = check_period_lock(agency_id, c.events.back().on.year()); !locked)
        return locked.error();
    }
    long long event_id = insert_event(c.id, static_cast<int>(c.events.size()), c.events.back());
    step("event_inserted");
    write_projection(c.id, c, p, event_id);
    if (!p.search_content.empty()) {  // a correction rewrote the content: search finds both
      std::string name;
      {
        auto q = q_("SELECT name FROM case_search WHERE rowid=?");
        q.num(1, c.id);
        if (q.row()) name = q.str(0);
        q.run();
      }
      q_("UPDATE case_search SET content=? WHERE rowid=?")
          .text(1, p.search_content)
          .num(2, c.id)
          .run();
      q_("UPDATE case_pairs SET pairs=? WHERE rowid=?")
          .text(1, search_pairs(name, p.search_content))
          .num(2, c.id)
          .run();
    }
    if (!letters.empty()) {
      auto q = q_("SELECT agency_id FROM cases WHERE id=?");
      q.num(1, c.id);
      long long agency_id = q.row() ? q.num(0) : 0;
      q.run();
      auto issued = letters_.issue_letters(agency_id, c.id, event_id, letters, c.number);
      if (!issued) return issued.error();
    }
    if (audit)
      append_audit(c.events.back().at, c.events.back().by, audit->action, std::to_string(c.id),
                   audit->detail);
    Case out = c;
    out.events.back().id = event_id;
    out.version = expected_version + 1;
    return out;
  });
}

void SqlCases::insert_assignment(long long case_id, const std::string& assignee,
                                 const std::string& by, const std::string& at) {
  q_("INSERT INTO case_assignments(case_id, assignee_id, by_user, at) "
     "VALUES(?,(SELECT id FROM users WHERE username=? AND username<>''),?,?)")
      .num(1, case_id)
      .text(2, assignee)
      .text(3, by)
      .text(4, at)
      .run();
}

Status SqlCases::assign(long long case_id, const std::string& assignee, const std::string& by,
                        const std::string& at, const AuditNote& audit) {
  return write([&]() -> Status {
    auto up =
        q_("UPDATE cases SET assignee_id=(SELECT id FROM users WHERE username=? AND "
           "username<>'') WHERE id=?");
    up.text(1, assignee).num(2, case_id).run();
    if (up.changes() == 0) return make_error(Code::not_found, "没有这一案件");
    insert_assignment(case_id, assignee, by, at);
    append_audit(at, by, audit.action, std::to_string(case_id), audit.detail);
    return {};
  });
}

std::vector<AssignmentRow> SqlCases::assignments(long long case_id) {
  std::lock_guard lock(rmu_);
  auto q =
      rq_("SELECT s.at, coalesce(u.username, ''), s.by_user FROM case_assignments s LEFT JOIN "
          "users u ON u.id=s.assignee_id WHERE s.case_id=? ORDER BY s.id");
  q.num(1, case_id);
  std::vector<AssignmentRow> out;
  while (q.row()) out.push_back({q.str(0), q.str(1), q.str(2)});
  return out;
}

Status SqlCases::update_projection(long long case_id, const CaseProjection& p) {
  {
    // Most refreshes change nothing: compare first, and queue a write only for a change.
    std::lock_guard lock(mu_);
    auto q = q_("SELECT due_on, due_provisional, on_time, start_on FROM cases WHERE id=?");
    q.num(1, case_id);
    if (!q.row())
      return make_error(Code::not_found, "没有编号为 " + std::to_string(case_id) + " 的案件");
    std::optional<bool> on_time;
    if (!q.is_null(2)) on_time = q.num(2) != 0;
    if (q.date(0) == p.due_on && (q.num(1) != 0) == p.provisional && on_time == p.on_time &&
        q.date(3) == p.start_on)
      return {};
  }
  return write_status([&] {
    auto q = q_("UPDATE cases SET due_on=?, due_provisional=?, on_time=?, start_on=? WHERE id=?");
    q.date(1, p.due_on).num(2, p.provisional).date(4, p.start_on).num(5, case_id);
    if (p.on_time)
      q.num(3, *p.on_time ? 1 : 0);
    else
      q.null(3);
    q.run();
  });
}

std::vector<long long> SqlCases::open_case_ids() { return open_ids(false); }

std::vector<long long> SqlCases::open_case_ids_without_due() { return open_ids(true); }

std::vector<long long> SqlCases::open_ids(bool without_due) {
  std::lock_guard lock(mu_);
  std::vector<long long> ids;
  auto q = q_(without_due
                  ? "SELECT id FROM cases WHERE concluded_on IS NULL AND due_on IS NULL ORDER BY id"
                  : "SELECT id FROM cases WHERE concluded_on IS NULL ORDER BY id");
  while (q.row()) ids.push_back(q.num(0));
  return ids;
}

}  // namespace ogi::detail
