// Issued letters and template versions (db/004_letters.sql).
#include "store/sql_detail.h"
#include "store/sql_store.h"

namespace ogi::detail {

namespace {
constexpr const char* kLetterColumns =
    "SELECT l.id, l.case_id, coalesce(l.event_id,0), l.kind, l.template, l.template_version, "
    "l.number, l.title, "
    "l.issued_on, l.sha256, coalesce(l.supersedes,0), coalesce((SELECT n.id FROM letters n WHERE "
    "n.supersedes=l.id),0), "
    "l.reason, l.issued_by, l.issued_at, l.addressee FROM letters l ";

LetterRecord letter_row(const detail::Query& q) {
  LetterRecord r;
  r.id = q.num(0);
  r.case_id = q.num(1);
  r.event_id = q.num(2);
  r.kind = q.str(3);
  r.template_name = q.str(4);
  r.template_version = static_cast<int>(q.num(5));
  r.number = q.str(6);
  r.title = q.str(7);
  if (auto d = q.date(8)) r.issued_on = *d;
  r.sha256 = q.str(9);
  r.supersedes = q.num(10);
  r.superseded_by = q.num(11);
  r.reason = q.str(12);
  r.issued_by = q.str(13);
  r.issued_at = q.str(14);
  r.addressee = q.str(15);
  return r;
}
}  // namespace

Result<std::vector<long long>> SqlLetters::issue_letters(long long agency_id, long long case_id,
                                                         long long event_id,
                                                         const std::vector<LetterDraft>& drafts,
                                                         const std::string& case_number) {
  std::vector<long long> ids;
  for (auto& d : drafts) {
    const int year = d.date.year();
    long long seq = 0;
    {
      auto q =
          q_("INSERT INTO number_counters(agency_id, kind, year, last) VALUES(?, ?, ?, 1) "
             "ON CONFLICT(agency_id, kind, year) DO UPDATE SET last = number_counters.last + 1 "
             "RETURNING last");
      q.num(1, agency_id).text(2, "letter:" + d.kind).num(3, year);
      if (q.row()) seq = q.num(0);
      q.run();
    }
    std::string number = d.number_pattern;
    for (size_t p; (p = number.find("{seq}")) != std::string::npos;)
      number.replace(p, 5, std::to_string(seq));
    auto rendered = d.render(number, case_number);
    if (!rendered) return rendered.error();
    step("letter_rendered");
    auto q =
        q_("INSERT INTO letters(case_id, event_id, kind, template, template_version, year, seq, "
           "number, title, "
           "issued_on, markup, docx, html, sha256, supersedes, reason, issued_by, issued_at, "
           "addressee) "
           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    q.num(1, case_id)
        .text(3, d.kind)
        .text(4, d.template_name)
        .num(5, d.template_version)
        .num(6, year)
        .num(7, seq)
        .text(8, number)
        .text(9, d.title)
        .text(10, format_date(d.date))
        .text(11, rendered->markup)
        .blob(12, rendered->docx)
        .text(13, rendered->html)
        .text(14, rendered->sha256)
        .text(16, d.reason)
        .text(17, d.by)
        .text(18, d.at)
        .text(19, d.addressee);
    if (event_id)
      q.num(2, event_id);
    else
      q.null(2);
    if (d.supersedes)
      q.num(15, d.supersedes);
    else
      q.null(15);
    if (q.row()) ids.push_back(q.num(0));
    q.run();
    step("letter_inserted");
  }
  return ids;
}

// Letter lists and metadata are short indexed reads on the main connection, like load_case: the
// read connection's lock can be held by a long search, and the case page must not wait for it.
std::vector<LetterRecord> SqlLetters::letters(long long case_id) {
  static const std::string sql = std::string(kLetterColumns) + "WHERE l.case_id=? ORDER BY l.id";
  std::lock_guard lock(mu_);
  auto q = q_(sql.c_str());
  q.num(1, case_id);
  std::vector<LetterRecord> out;
  while (q.row()) out.push_back(letter_row(q));
  return out;
}

Result<LetterRecord> SqlLetters::letter(long long id) {
  static const std::string sql = std::string(kLetterColumns) + "WHERE l.id=?";
  std::lock_guard lock(mu_);
  auto q = q_(sql.c_str());
  q.num(1, id);
  if (!q.row()) return make_error(Code::not_found, "没有编号为 " + std::to_string(id) + " 的文书");
  return letter_row(q);
}

Result<std::string> SqlLetters::letter_bytes(long long id, const std::string& format) {
  std::lock_guard lock(rmu_);
  auto q = rq_("SELECT docx, html, markup FROM letters WHERE id=?");
  q.num(1, id);
  if (!q.row()) return make_error(Code::not_found, "没有编号为 " + std::to_string(id) + " 的文书");
  if (format == "docx") return q.bytes(0);
  if (format == "html") return q.str(1);
  if (format == "markup") return q.str(2);
  return make_error(Code::invalid, "format: 只支持 docx、html", "format");
}

Result<LetterRecord> SqlLetters::reissue(const LetterDraft& draft) {
  auto id = write([&]() -> Result<long long> {
    auto q =
        q_("SELECT l.case_id, coalesce(l.event_id,0), c.agency_id, "
           "(SELECT count(*) FROM letters n WHERE n.supersedes=l.id), c.number FROM letters l "
           "JOIN cases c ON c.id=l.case_id WHERE l.id=?");
    q.num(1, draft.supersedes);
    if (!q.row())
      return make_error(Code::not_found,
                        "没有编号为 " + std::to_string(draft.supersedes) + " 的文书");
    const long long case_id = q.num(0), event_id = q.num(1), agency_id = q.num(2);
    const std::string case_number = q.str(4);
    if (q.num(3)) return make_error(Code::conflict, "该文书已被更正，请更正最新版本");
    q.run();
    auto ids = issue_letters(agency_id, case_id, event_id, {draft}, case_number);
    if (!ids) return ids.error();
    return ids->front();
  });
  if (!id) return id.error();
  return letter(*id);
}

std::vector<TemplateVersion> SqlLetters::template_versions(const std::string& name) {
  std::lock_guard lock(rmu_);
  auto q =
      rq_("SELECT name, version, body, author, created_at, note FROM letter_templates WHERE name=? "
          "ORDER BY version DESC");
  q.text(1, name);
  std::vector<TemplateVersion> out;
  while (q.row())
    out.push_back({q.str(0), static_cast<int>(q.num(1)), q.str(2), q.str(3), q.str(4), q.str(5)});
  return out;
}

std::vector<TemplateVersion> SqlLetters::latest_templates() {
  std::lock_guard lock(rmu_);
  auto q = rq_(
      "SELECT t.name, t.version, t.body, t.author, t.created_at, t.note FROM letter_templates t "
      "WHERE t.version = (SELECT max(version) FROM letter_templates u WHERE u.name=t.name) ORDER "
      "BY t.name");
  std::vector<TemplateVersion> out;
  while (q.row())
    out.push_back({q.str(0), static_cast<int>(q.num(1)), q.str(2), q.str(3), q.str(4), q.str(5)});
  return out;
}

Result<int> SqlLetters::save_template(const std::string& name, const std::string& body,
                                      const std::string& by, const std::string& at,
                                      const std::string& note) {
  return write([&]() -> Result<int> {
    auto q =
        q_("INSERT INTO letter_templates(name, version, body, author, created_at, note) "
           "VALUES(?, (SELECT coalesce(max(version),0)+1 FROM letter_templates WHERE name=?), ?, "
           "?, ?, ?) "
           "RETURNING version");
    q.text(1, name).text(2, name).text(3, body).text(4, by).text(5, at).text(6, note);
    int v = q.row() ? static_cast<int>(q.num(0)) : 0;
    q.run();
    append_audit(at, by, "template.save", name,
                 "version " + std::to_string(v) + (note.empty() ? "" : "：" + note));
    return v;
  });
}

}  // namespace ogi::detail
