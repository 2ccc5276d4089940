// SqlAdmin (AdminStore): users, agencies, calendar years.
#include "app/auth.h"
#include "domain/letters.h"
#include "store/sql_detail.h"

namespace ogi::detail {

Result<long long> SqlAdmin::add_agency(const Agency& a, const std::string& at) {
  return write([&]() -> Result<long long> {
    {
      auto q = q_("SELECT count(*) FROM agencies WHERE code=?");
      q.text(1, a.code);
      if (q.row() && q.num(0)) return make_error(Code::conflict, "机关代码 " + a.code + " 已存在");
    }
    long long parent = 0;
    if (!a.parent.empty()) {
      auto q = q_("SELECT coalesce(max(id),0) FROM agencies WHERE code=?");
      q.text(1, a.parent);
      if (q.row()) parent = q.num(0);
      if (!parent) return make_error(Code::not_found, "没有上级机关 " + a.parent);
    }
    const std::string letter_pattern =
        a.letter_pattern.empty() ? std::string(kDefaultLetterPattern) : a.letter_pattern;
    auto q =
        q_("INSERT INTO agencies(code, name, parent_id, number_pattern, fee_pauses_clock, "
           "created_at, letter_prefix, "
           "letter_pattern, letterhead, contact, reconsideration_body, court, kind, remedy_policy) "
           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
           "RETURNING id");
    q.text(1, a.code)
        .text(2, a.name)
        .text(4, a.number_pattern)
        .num(5, a.fee_pauses_clock ? 1 : 0)
        .text(6, at)
        .text(7, a.letter_prefix)
        .text(8, letter_pattern)
        .text(9, a.letterhead)
        .text(10, a.contact)
        .text(11, a.reconsideration_body)
        .text(12, a.court)
        .text(13, a.kind)
        .text(14, a.remedy_policy);
    if (parent)
      q.num(3, parent);
    else
      q.null(3);
    long long id = q.row() ? q.num(0) : 0;
    q.run();
    return id;
  });
}

Result<long long> SqlAdmin::add_user(const User& u, const std::string& at,
                                     const AuditEntry* audit) {
  return write([&]() -> Result<long long> {
    long long aid = 0;
    {
      auto q = q_("SELECT coalesce(max(id),0) FROM agencies WHERE code=?");
      q.text(1, u.agency);
      if (q.row()) aid = q.num(0);
    }
    if (!aid) return make_error(Code::not_found, "没有这个机关：" + u.agency);
    {
      auto q = q_("SELECT count(*) FROM users WHERE username=?");
      q.text(1, u.username);
      if (q.row() && q.num(0))
        return make_error(Code::conflict, "用户名 " + u.username + " 已被使用");
    }
    auto q =
        q_("INSERT INTO users(agency_id, username, display_name, roles, password_hash, created_at) "
           "VALUES(?,?,?,?,?,?) RETURNING id");
    q.num(1, aid)
        .text(2, u.username)
        .text(3, u.display_name)
        .text(4, join_roles(u.roles))
        .text(5, u.password_hash)
        .text(6, at);
    long long id = q.row() ? q.num(0) : 0;
    q.run();
    if (audit) append_audit(audit->at, audit->actor, audit->action, audit->target, audit->detail);
    return id;
  });
}

std::vector<Agency> SqlAdmin::agencies() {
  std::lock_guard lock(mu_);
  auto q =
      q_("SELECT a.id, a.code, a.name, a.number_pattern, a.fee_pauses_clock, coalesce(p.code,''), "
         "a.letter_prefix, "
         "a.letter_pattern, a.letterhead, a.contact, a.reconsideration_body, a.court, a.kind, "
         "a.remedy_policy "
         "FROM agencies a LEFT JOIN agencies p ON p.id=a.parent_id ORDER BY a.code");
  std::vector<Agency> out;
  while (q.row())
    out.push_back(Agency{q.num(0), q.str(1), q.str(2), q.str(3), q.num(4) != 0, q.str(5), q.str(6),
                         q.str(7), q.str(8), q.str(9), q.str(10), q.str(11), q.str(12), q.str(13)});
  return out;
}

std::vector<std::pair<int, std::string>> SqlAdmin::calendar_years() {
  std::lock_guard lock(mu_);
  auto q = q_("SELECT year, source FROM calendar_years ORDER BY year");
  std::vector<std::pair<int, std::string>> out;
  while (q.row()) out.emplace_back(static_cast<int>(q.num(0)), q.str(1));
  return out;
}

Status SqlAdmin::save_calendar_year(
    int year, const std::string& notice, const std::string& source, const std::string& by,
    const std::string& at, const std::string& detail,
    const std::vector<std::pair<long long, CaseProjection>>& projections) {
  auto r = write([&]() -> Result<int> {
    long long had = 0;
    {
      auto q = q_("SELECT count(*) FROM calendar_years WHERE year=?");
      q.num(1, year);
      if (q.row()) had = q.num(0);
    }
    q_("INSERT INTO calendar_years(year, notice, source, imported_at, imported_by) "
       "VALUES(?,?,?,?,?) "
       "ON CONFLICT(year) DO UPDATE SET notice=excluded.notice, source=excluded.source, "
       "imported_at=excluded.imported_at, "
       "imported_by=excluded.imported_by")
        .num(1, year)
        .text(2, notice)
        .text(3, source)
        .text(4, at)
        .text(5, by)
        .run();
    for (auto& [case_id, p] : projections) {
      auto u = q_("UPDATE cases SET due_on=?, due_provisional=?, on_time=?, start_on=? WHERE id=?");
      u.date(1, p.due_on).num(2, p.provisional).date(4, p.start_on).num(5, case_id);
      if (p.on_time)
        u.num(3, *p.on_time ? 1 : 0);
      else
        u.null(3);
      u.run();
    }
    append_audit(at, by, had ? "calendar.replace" : "calendar.add", std::to_string(year),
                 detail.empty() ? notice : detail);
    return 1;
  });
  if (!r) return r.error();
  return {};
}

std::vector<User> SqlAdmin::users() {
  std::lock_guard lock(mu_);
  auto q =
      q_("SELECT u.id, u.username, u.display_name, a.code, u.roles, u.active FROM users u JOIN "
         "agencies a ON "
         "a.id=u.agency_id ORDER BY a.code, u.username");
  std::vector<User> out;
  while (q.row()) {
    User u{q.num(0), q.str(1), q.str(2), q.str(3), split_roles(q.str(4)), "", {}, q.num(5) != 0};
    out.push_back(u);
  }
  return out;
}

Status SqlAdmin::update_user(const std::string& username, const std::vector<std::string>& roles,
                             bool active, const std::string& hash, const AuditEntry* audit) {
  auto r = write([&]() -> Result<int> {
    {
      auto q = q_("UPDATE users SET roles=?, active=? WHERE username=?");
      q.text(1, join_roles(roles)).num(2, active ? 1 : 0).text(3, username).run();
      if (q.changes() == 0) return make_error(Code::not_found, "没有用户 " + username);
    }
    if (!hash.empty())
      q_("UPDATE users SET password_hash=? WHERE username=?").text(1, hash).text(2, username).run();
    if (!active || !hash.empty())
      q_("DELETE FROM sessions WHERE user_id=(SELECT id FROM users WHERE username=?)")
          .text(1, username)
          .run();
    if (audit) append_audit(audit->at, audit->actor, audit->action, audit->target, audit->detail);
    return 1;
  });
  if (!r) return r.error();
  return {};
}

Status SqlAdmin::update_agency(const Agency& a, const std::string& body, const std::string& court,
                               const AuditEntry* audit) {
  auto r = write([&]() -> Result<int> {
    auto q =
        q_("UPDATE agencies SET name=?, number_pattern=?, fee_pauses_clock=?, "
           "reconsideration_body=?, court=?, "
           "letter_prefix=?, letter_pattern=?, letterhead=?, contact=?, kind=?, remedy_policy=? "
           "WHERE code=?");
    q.text(1, a.name)
        .text(2, a.number_pattern)
        .num(3, a.fee_pauses_clock ? 1 : 0)
        .text(4, body)
        .text(5, court)
        .text(6, a.letter_prefix)
        .text(7, a.letter_pattern.empty() ? std::string(kDefaultLetterPattern) : a.letter_pattern)
        .text(8, a.letterhead)
        .text(9, a.contact)
        .text(10, a.kind)
        .text(11, a.remedy_policy)
        .text(12, a.code)
        .run();
    if (q.changes() == 0) return make_error(Code::not_found, "没有机关 " + a.code);
    if (audit) append_audit(audit->at, audit->actor, audit->action, audit->target, audit->detail);
    return 1;
  });
  if (!r) return r.error();
  return {};
}

std::pair<std::string, std::string> SqlAdmin::agency_remedy_bodies(const std::string& code) {
  std::lock_guard lock(mu_);
  std::string body, court;
  auto q = q_("SELECT reconsideration_body, court FROM agencies WHERE code=?");
  q.text(1, code);
  if (q.row()) {
    body = q.str(0);
    court = q.str(1);
  }
  return {body, court};
}

}  // namespace ogi::detail
