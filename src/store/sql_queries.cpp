// SqlQueries (QueryStore): lists, search, duplicate candidates, due dates and counts.
// (Attachments, audit rows, alerts and reminders: sql_records.cpp.)
#include <algorithm>
#include <cstring>
#include <set>

#include "base/text.h"
#include "domain/letters.h"
#include "store/sql_detail.h"

namespace ogi::detail {

// ---- lists ----

namespace {
constexpr const char* kRowColumns =
    "SELECT c.id, c.number, a.code, c.applicant_type, p.name, p.id_number, p.credit_code, p.phone, "
    "c.channel, c.state, "
    "c.stage, c.outcome, c.content, c.received_on, c.due_on, c.concluded_on, c.due_provisional, "
    "c.on_time, coalesce((SELECT u.username FROM users u WHERE u.id=c.assignee_id), '') ";
constexpr const char* kRowJoins =
    "JOIN agencies a ON a.id=c.agency_id JOIN applicants p ON p.id=c.applicant_id ";
const std::string kRowSelect = std::string(kRowColumns) + "FROM cases c " + kRowJoins;

std::vector<CaseRow> rows_of(Query& q) {
  std::vector<CaseRow> out;
  while (q.row()) {
    CaseRow x;
    x.id = q.num(0);
    x.number = q.str(1);
    x.agency = q.str(2);
    x.applicant_type = q.str(3);
    x.applicant_name = q.str(4);
    x.id_number = q.str(5);
    x.credit_code = q.str(6);
    x.phone = q.str(7);
    x.channel = q.str(8);
    x.state = q.str(9);
    x.stage = q.str(10);
    x.outcome = q.str(11);
    x.content = q.str(12);
    if (auto d = q.date(13)) x.received_on = *d;
    x.due_on = q.date(14);
    x.concluded_on = q.date(15);
    x.provisional = q.num(16) != 0;
    x.on_time = q.flag(17);
    x.assignee = q.str(18);
    out.push_back(std::move(x));
  }
  return out;
}

// A LIKE pattern matching `t` anywhere, its wildcards escaped.
std::string like_pattern(const std::string& t) {
  std::string like = "%";
  for (char ch : t) {
    if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
    like += ch;
  }
  return like + "%";
}

// Full-text condition on case ids. SQLite: the FTS5 trigram table; PostgreSQL: substring match
// on the same two columns (a pg_trgm GIN index answers it). Each term is one bound parameter.
// An FTS5 phrase: the text in double quotes, its own quotes doubled.
std::string fts_quote(std::string_view t) {
  std::string quoted = "\"";
  for (char ch : t) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

std::string search_condition(Engine e, const std::vector<std::string>& terms,
                             std::vector<std::string>& params) {
  if (e == Engine::sqlite) {
    std::string q;
    for (auto& t : terms) q += (q.empty() ? "" : " OR ") + fts_quote(t);
    params.push_back(q);
    return "c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)";
  }
  std::string cond;
  for (auto& t : terms) {
    const std::string like = like_pattern(t);
    cond += std::string(cond.empty() ? "" : " OR ") + "s.content ILIKE ? OR s.name ILIKE ?";
    params.push_back(like);
    params.push_back(like);
  }
  return "c.id IN (SELECT s.rowid FROM case_search s WHERE " + cond + ")";
}
}  // namespace

namespace {

// The condition for what the search box asks (domain/search.h), each kind through its index.
// Numbers are written as integers (parsed, never the request's text); text goes in parameters.
bool search_filter(Engine e, const CaseSearch& s, std::string& where,
                   std::vector<std::string>& params) {
  using K = CaseSearch::Kind;
  std::string cond;
  switch (s.kind) {
    case K::none:
      return false;
    case K::number:
      if (!s.printed.empty()) {  // the case of that number, or of a letter of that number
        cond =
            "c.id IN (SELECT n.id FROM cases n WHERE n.number IN (?,?) UNION SELECT l.case_id "
            "FROM letters l WHERE l.number IN (?,?))";
        params.insert(params.end(), {s.printed, s.text, s.printed, s.text});
      } else if (s.year) {
        cond = "c.year=" + std::to_string(*s.year) + " AND c.seq=" + std::to_string(*s.seq);
      } else {
        cond = "c.seq=" + std::to_string(*s.seq);
      }
      break;
    case K::identity:
      cond =
          "c.applicant_id IN (SELECT id FROM applicants WHERE id_number=? UNION SELECT id FROM "
          "applicants WHERE credit_code=?)";
      params.insert(params.end(), {s.identity, s.identity});
      break;
    case K::phone:
      cond = "c.applicant_id IN (SELECT id FROM applicants WHERE phone IN (?,?))";
      params.insert(params.end(), {s.phone, s.text});
      break;
    case K::text:
      if (s.chars >= 3) {  // the trigram index
        cond = search_condition(e, {s.text}, params);
      } else {  // a name's first characters (indexed)
        cond = "c.applicant_id IN (SELECT id FROM applicants WHERE name >= ? AND name < ?)";
        params.insert(params.end(), {s.text, s.text + "\xF4\x8F\xBF\xBF"});
        if (s.chars == 2) {  // and the two-character pairs of names and requests (PostgreSQL;
                             // on SQLite the pairs' full-text table drives: text_driver)
          cond += " OR c.id IN (SELECT rowid FROM case_pairs WHERE pairs LIKE ?)";
          params.push_back(like_pattern(pair_key(s.text)));
        }
      }
      cond += " OR c.number = ?";  // a number in another agency's pattern, as typed
      params.push_back(s.text);
      break;
  }
  where += " AND (" + cond + ")";
  return true;
}
}  // namespace

namespace {
// The full-text table that answers a text search on SQLite: the pairs (two characters) or the
// trigrams (three or more); none for other searches and on PostgreSQL.
const char* text_driver(Engine e, const CaseSearch& s) {
  if (e != Engine::sqlite || s.kind != CaseSearch::Kind::text || s.chars < 2) return nullptr;
  return s.chars == 2 ? "case_pairs" : "case_search";
}
// The FTS5 phrase for it: the text, or its pair key.
std::string fts_phrase(const CaseSearch& s) {
  return fts_quote(s.chars == 2 ? pair_key(s.text) : s.text);
}
}  // namespace

constexpr long long kCountCap = 1001;  // "1000+" beyond this

std::pair<std::vector<CaseRow>, long long> SqlQueries::list_cases(const CaseFilter& f) {
  std::lock_guard lock(rmu_);  // the read connection: a slow search never holds up a write
  if (f.agencies.empty()) return {};
  // Every condition is a fixed SQL fragment with bound parameters; values never enter the SQL text.
  // Agency filter on the cases' own column as integer ids (read from the table, never from the
  // request), so the per-agency indexes serve both the filter and the order.
  const std::string ids = agency_ids(rq_, f.agencies);
  if (ids.empty()) return {};
  // A search that names one case or applicant (a number as printed, an ID number, a phone) goes
  // from its own index to the few cases it names: the agency condition is then only a filter
  // (SQLite's unary "+" keeps the planner from walking all of an agency's cases by its index).
  using K = CaseSearch::Kind;
  const bool pinpoint = f.search.kind == K::identity || f.search.kind == K::phone ||
                        (f.search.kind == K::number && !f.search.printed.empty());
  const std::string agency_col = pinpoint ? "+c.agency_id" : "c.agency_id";
  std::string where = ids.find(',') == std::string::npos
                          ? "WHERE " + agency_col + "=" + ids
                          : "WHERE " + agency_col + " IN (" + ids + ")";
  std::vector<std::string> params;
  auto eq = [&](const char* col, const std::string& v) {
    if (v.empty()) return;
    where += std::string(" AND ") + col + "=?";
    params.push_back(v);
  };
  eq("c.state", f.state);
  eq("c.stage", f.stage);
  eq("c.outcome", f.outcome);
  eq("c.applicant_type", f.applicant_type);
  eq("c.channel", f.channel);
  if (f.from) {
    where += " AND c.received_on>=?";
    params.push_back(format_date(*f.from));
  }
  if (f.to) {
    where += " AND c.received_on<=?";
    params.push_back(format_date(*f.to));
  }
  if (f.ids) {  // integers from the caller, written as numbers: no text enters the SQL
    if (f.ids->empty()) return {};
    std::string list;
    for (long long id : *f.ids) list += (list.empty() ? "" : ",") + std::to_string(id);
    where += " AND c.id IN (" + list + ")";
  }
  if (!f.states.empty()) {
    where += " AND c.state IN " + in_list(f.states.size());
    params.insert(params.end(), f.states.begin(), f.states.end());
  }
  if (f.assignee) {
    if (f.assignee->empty()) {
      where += " AND c.assignee_id IS NULL";
    } else {
      where += " AND c.assignee_id=(SELECT id FROM users WHERE username=?)";
      params.push_back(*f.assignee);
    }
  }
  if (f.open_only || f.overdue_only) where += " AND c.concluded_on IS NULL";
  if (f.overdue_only) {
    where += " AND c.due_on IS NOT NULL AND c.due_on<?";
    params.push_back(format_date(f.today));
  }
  // SQLite, words of two characters or more: the full-text table drives, newest match first, so
  // a page (and the capped count) stops after the matches it needs instead of collecting every
  // match of a common word or walking every case of the agency for a rare one. A case number
  // typed in full in another agency's pattern is looked up first.
  std::string from = "cases c ";
  bool searching = false;
  if (const auto* fts = text_driver(rq_.engine(), f.search)) {
    auto n = rq_.once("SELECT id FROM cases WHERE number=?");
    n.text(1, f.search.text);
    if (n.row()) {
      where += " AND c.id=" + std::to_string(n.num(0));
    } else {
      from = std::string(fts) + " CROSS JOIN cases c ON c.id=" + fts + ".rowid ";
      where += std::string(" AND ") + fts + " MATCH ?";
      params.push_back(fts_phrase(f.search));
    }
    searching = true;
  } else {
    searching = search_filter(rq_.engine(), f.search, where, params);
  }
  // The total is counted up to a cap: an exact count of a broad search over a million cases
  // would cost more than the page itself.
  long long total = 0;
  {
    auto q = rq_.once("SELECT count(*) FROM (SELECT 1 FROM " + from + where + " LIMIT " +
                      std::to_string(kCountCap) + ") t");
    for (size_t i = 0; i < params.size(); ++i) q.text(static_cast<int>(i + 1), params[i]);
    if (q.row()) total = q.num(0);
  }
  int per = std::clamp(f.per_page, 1, 100000), page = std::max(1, f.page);
  std::string order = " ORDER BY c.received_on DESC, c.id DESC";
  if (searching)
    order = " ORDER BY c.id DESC";  // newest registrations first: no sort of all matches
  if (const auto* fts = text_driver(rq_.engine(), f.search); fts && from != "cases c ")
    order = std::string(" ORDER BY ") + fts + ".rowid DESC";  // = c.id, streamed by the index
  if (f.by_due) order = " ORDER BY c.due_on IS NULL, c.due_on, c.id";  // a queue: most urgent first
  auto q =
      rq_.once(std::string(kRowColumns) + "FROM " + from + kRowJoins + where + order + " LIMIT " +
               std::to_string(per) + " OFFSET " +
               std::to_string(static_cast<long long>(page - 1) * per));  // 64 bits: no overflow
  for (size_t i = 0; i < params.size(); ++i) q.text(static_cast<int>(i + 1), params[i]);
  return {rows_of(q), total};
}

namespace {
// Rows of the given agencies received on or after `since` that meet `cond`, newest first.
std::vector<CaseRow> candidate_rows(detail::StatementCache& rq,
                                    const std::vector<std::string>& agencies,
                                    const std::string& cond, const std::vector<std::string>& params,
                                    const Date& since, int limit) {
  std::vector<std::string> all(agencies.begin(), agencies.end());
  all.insert(all.end(), params.begin(), params.end());
  all.push_back(format_date(since));
  try {
    auto q = rq.once(kRowSelect + "WHERE c.agency_id IN (SELECT id FROM agencies WHERE code IN " +
                     in_list(agencies.size()) + ") AND (" + cond +
                     ") AND c.received_on>=? ORDER BY c.received_on DESC LIMIT " +
                     std::to_string(limit));
    for (size_t i = 0; i < all.size(); ++i) q.text(static_cast<int>(i + 1), all[i]);
    return rows_of(q);
  } catch (const DbError&) {
    return {};  // a search the tokenizer cannot parse: no suggestion
  }
}
}  // namespace

std::vector<CaseRow> SqlQueries::same_applicant(const std::vector<std::string>& agencies,
                                                const std::string& name,
                                                const std::string& identity, const Date& since,
                                                int limit) {
  std::lock_guard lock(rmu_);  // the read connection: a slow search never holds up a write
  if (agencies.empty() || (name.empty() && identity.empty())) return {};
  std::string cond;
  std::vector<std::string> params;
  if (!identity.empty()) {
    cond = "p.id_number=? OR p.credit_code=?";
    params = {identity, identity};
  }
  if (!name.empty()) {
    cond += std::string(cond.empty() ? "" : " OR ") + "p.name=?";
    params.push_back(name);
  }
  return candidate_rows(rq_, agencies, cond, params, since, limit);
}

std::vector<CaseRow> SqlQueries::text_candidates(const std::vector<std::string>& agencies,
                                                 const std::vector<std::string>& terms,
                                                 const Date& since, int limit) {
  std::lock_guard lock(rmu_);
  if (agencies.empty()) return {};
  std::vector<std::string> usable, params;
  for (auto& t : terms)
    if (t.find('"') == std::string::npos) usable.push_back(t);
  if (usable.empty()) return {};
  const std::string cond = search_condition(rq_.engine(), usable, params);
  return candidate_rows(rq_, agencies, cond, params, since, limit);
}

std::vector<std::pair<long long, std::optional<Date>>> SqlQueries::open_due_dates(
    const std::vector<std::string>& agencies) {
  std::lock_guard lock(mu_);
  std::vector<std::pair<long long, std::optional<Date>>> out;
  for (auto& code : agencies) {
    auto q =
        q_("SELECT c.id, c.due_on FROM cases c WHERE c.agency_id=(SELECT id FROM agencies WHERE "
           "code=?) "
           "AND c.concluded_on IS NULL");
    q.text(1, code);
    while (q.row()) out.emplace_back(q.num(0), q.date(1));
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) {
    if (a.second.has_value() != b.second.has_value()) return a.second.has_value();
    if (a.second && *a.second != *b.second) return *a.second < *b.second;
    return a.first < b.first;
  });
  return out;
}

std::vector<std::pair<std::string, long long>> SqlQueries::count_by_state(
    const std::vector<std::string>& agencies) {
  std::lock_guard lock(mu_);
  if (agencies.empty()) return {};
  auto q = q_.once(
      "SELECT c.state, count(*) FROM cases c WHERE c.agency_id IN (SELECT id FROM agencies WHERE "
      "code IN " +
      in_list(agencies.size()) + ") GROUP BY c.state");
  for (size_t i = 0; i < agencies.size(); ++i) q.text(static_cast<int>(i + 1), agencies[i]);
  std::vector<std::pair<std::string, long long>> out;
  while (q.row()) out.emplace_back(q.str(0), q.num(1));
  return out;
}

// ---- attachments ----

}  // namespace ogi::detail
