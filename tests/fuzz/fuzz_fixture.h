#pragma once
// What the fuzz targets share: the shipped workflow and calendar (tests/test_data.h), a fixed
// "today", a user who holds every role, and a case store in memory, so the use cases run as the
// server runs them, without a database.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "app/case_service.h"
#include "test_data.h"

namespace ogi::fuzz {

// Inside the calendar's years (workflow/calendar: 2010-2026).
inline Date today() { return Date(2026, 6, 30); }

// Stops the run when a property the code promises does not hold: a crash for libFuzzer.
[[noreturn]] inline void broken(const std::string& what) {
  std::fprintf(stderr, "fuzz: property broken: %s\n", what.c_str());
  std::abort();
}

inline User everyone() {
  User u;
  u.id = 1;
  u.username = "fuzz";
  u.display_name = "fuzz";
  u.agency = "SAMPLE";
  u.roles = {"registrar", "handler", "approver", "office", "admin"};
  u.agencies_visible = {"SAMPLE"};
  return u;
}

// Cases in a map; ids and event ids assigned as the SQL store assigns them. The agency is the
// letters' sample agency; other codes are not found.
class MemoryCases final : public CaseStore {
 public:
  explicit MemoryCases(Agency a) : agency_(std::move(a)) {}
  std::map<long long, Case> cases;

  Result<Agency> agency(const std::string& code) override {
    if (code != agency_.code) return make_error(Code::not_found, "no agency " + code);
    return agency_;
  }
  Result<User> user(const std::string& name) override {
    if (name != "fuzz") return make_error(Code::not_found, "no user " + name);
    return everyone();
  }
  Result<Case> load_case(long long id) override {
    auto it = cases.find(id);
    if (it == cases.end()) return make_error(Code::not_found, "no case " + std::to_string(id));
    return it->second;
  }
  Result<Case> create_case(const Case& c, const CaseProjection&, const std::vector<LetterDraft>&,
                           const AuditNote*) override {
    Case s = c;
    s.id = cases.empty() ? 1 : cases.rbegin()->first + 1;
    s.number = "FUZZ-" + std::to_string(s.id);
    s.version = 1;
    for (auto& e : s.events) e.id = ++event_ids_;
    cases[s.id] = s;
    return s;
  }
  Result<Case> append_event(const Case& c, const CaseProjection&, long long expected_version,
                            const std::vector<LetterDraft>&, const AuditNote*) override {
    auto it = cases.find(c.id);
    if (it == cases.end()) return make_error(Code::not_found, "no case");
    if (it->second.version != expected_version) return make_error(Code::conflict, "version");
    Case s = c;
    s.version = expected_version + 1;
    s.events.back().id = ++event_ids_;
    it->second = s;
    return s;
  }
  Status update_projection(long long, const CaseProjection&) override { return {}; }
  Status assign(long long id, const std::string& who, const std::string&, const std::string&,
                const AuditNote&) override {
    auto it = cases.find(id);
    if (it == cases.end()) return make_error(Code::not_found, "no case");
    it->second.assignee = who;
    return {};
  }
  std::vector<AssignmentRow> assignments(long long) override { return {}; }
  std::vector<long long> open_case_ids() override {
    std::vector<long long> ids;
    for (auto& [id, c] : cases) ids.push_back(id);
    return ids;
  }

 private:
  Agency agency_;
  long long event_ids_ = 1000000;  // above any sample case's own event ids
};

}  // namespace ogi::fuzz
