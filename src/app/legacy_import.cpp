#include "app/legacy_import.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <set>
#include <span>
#include <vector>

#include "app/case_service.h"
#include "app/registration.h"
#include "domain/codes.h"

namespace ogi {

Result<Case> legacy_history(const Context& ctx, Case c, const std::string& outcome,
                            const Date& concluded, const std::string& method, const Actor& actor) {
  if (outcome.empty()) return c;
  if (!find_outcome(outcome))
    return make_error(Code::invalid, "outcome: 未知的答复类型“" + outcome + "”", "outcome");
  const Fields noted_items{{"items", std::vector<std::string>{"（历史台账导入）"}}};
  std::vector<EventRequest> steps;
  if (outcome == "withdrawn") {
    steps = {{"withdraw", concluded, {}}};
  } else if (outcome ==
             "no_correction") {  // the notice on receipt; the lapse once the period is over
    // The ledger records that the period ran out; it was served on the day the notice went out.
    steps = {{"request_correction", c.received_on, noted_items},
             {"serve_notice", c.received_on, {{"method", std::string("direct")}}},
             {"correction_lapsed", concluded, {}}};
  } else if (outcome == "fee_unpaid") {
    steps = {{"fee_notice",
              c.received_on,
              {{"method", std::string("per_application")}, {"amount", 100LL}}},
             {"serve_notice", c.received_on, {{"method", std::string("direct")}}},
             {"fee_lapsed", concluded, {}}};
  } else {  // a reply: decided, signed and delivered on the conclusion date
    if (outcome == "still_unclear")
      steps = {{"request_correction", c.received_on, noted_items},
               {"correction_received", c.received_on, {}}};
    // A ledger row has no reasons column: the reply's reasons stay in the paper file.
    steps.push_back(
        {"decide",
         concluded,
         {{"outcome", outcome}, {"reasons", std::string("（历史台账导入，理由见原答复书）")}}});
    steps.push_back({"approve", concluded, {}});
    steps.push_back({"deliver", concluded, {{"method", method}}});
  }
  for (auto& ev : steps) {
    auto next = apply_event(ctx, c, ev, actor);
    if (!next) return next.error();
    c = std::move(*next);
  }
  return c;
}

Actor import_actor(const Workflow& wf, const std::string& by) {
  std::set<std::string> roles;
  for (auto& e : wf.events()) roles.insert(e.roles.begin(), e.roles.end());
  return Actor{by, std::vector<std::string>(roles.begin(), roles.end())};
}

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  return s;
}

// A date as a spreadsheet gives it: YYYY-MM-DD, YYYY/M/D, or an Excel serial number.
Result<Date> cell_date(const std::string& v, const std::string& field) {
  if (!v.empty() && v.find_first_not_of("0123456789.") == std::string::npos &&
      v.find('-') == std::string::npos && v.size() <= 8) {
    long serial = 0;  // the whole days of an Excel serial ("45352" or "45352.5")
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), serial);
    if (ec == std::errc() && end != v.data() && serial > 20000 && serial < 80000)
      return Date(1899, 12, 30) + boost::gregorian::days(serial);
  }
  int y = 0, m = 0, d = 0;
  if (std::sscanf(v.c_str(), "%d/%d/%d", &y, &m, &d) == 3 ||
      std::sscanf(v.c_str(), "%d.%d.%d", &y, &m, &d) == 3) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return parse_date(buf, field);
  }
  return parse_date(v, field);
}

// A code given as its code or its Chinese label.
std::string code_of(std::span<const CodeLabel> table, const std::string& v) {
  for (auto& c : table)
    if (c.code == v || c.label == v) return std::string(c.code);
  return v;
}
std::string outcome_of(const std::string& v) {
  for (auto& o : outcomes())
    if (o.code == v || o.label == v) return std::string(o.code);
  return v;
}

// Column names accepted in the header (Chinese, or the code).
const std::map<std::string, std::string> kImportColumns = {
    {"编号", "number"},
    {"number", "number"},
    {"收到日期", "received_on"},
    {"received_on", "received_on"},
    {"申请人类型", "type"},
    {"applicant_type", "type"},
    {"申请人", "name"},
    {"申请人姓名或名称", "name"},
    {"name", "name"},
    {"证件类型", "id_type"},
    {"id_type", "id_type"},
    {"证件号码", "id_number"},
    {"id_number", "id_number"},
    {"统一社会信用代码", "credit_code"},
    {"credit_code", "credit_code"},
    {"联系电话", "phone"},
    {"phone", "phone"},
    {"通信地址", "address"},
    {"address", "address"},
    {"提交方式", "channel"},
    {"channel", "channel"},
    {"申请内容", "content"},
    {"content", "content"},
    {"答复类型", "outcome"},
    {"outcome", "outcome"},
    {"办结日期", "concluded_on"},
    {"concluded_on", "concluded_on"},
    {"送达方式", "delivery_method"},
    {"delivery_method", "delivery_method"},
};

}  // namespace

ImportPlan plan_import(const Sheet& t, const Agency& agency, const Workflow& wf,
                       const Calendar& cal, const Clock& clock, const std::string& by) {
  ImportPlan plan;
  if (t.empty()) {
    plan.problems.push_back("文件为空");
    return plan;
  }
  // header → column positions
  std::map<std::string, size_t> pos;
  const auto& header = t.front();
  for (size_t i = 0; i < header.size(); ++i) {
    std::string h = trim(header[i]);
    if (i == 0 && h.starts_with("\xEF\xBB\xBF")) h = h.substr(3);
    if (h.empty()) continue;
    auto it = kImportColumns.find(h);
    if (it == kImportColumns.end())
      plan.problems.push_back("第1行：未知的列“" + h + "”（可用的列见导入说明）");
    else
      pos[it->second] = i;
  }
  for (const char* need : {"received_on", "type", "name", "channel", "content"})
    if (!pos.count(need)) plan.problems.push_back(std::string("第1行：缺少必需的列 ") + need);
  if (!plan.problems.empty()) return plan;
  const Actor actor = import_actor(wf, by);
  FixedClock far(Date(2099, 12, 31));
  const Context ctx{wf, cal, far, ClockSettings{agency.fee_pauses_clock}};
  for (size_t r = 1; r < t.size(); ++r) {
    const auto& row = t[r];
    auto get = [&](const char* k) -> std::string {
      auto it = pos.find(k);
      return it == pos.end() || it->second >= row.size() ? std::string() : trim(row[it->second]);
    };
    bool blank = true;
    for (auto& c : row) blank &= trim(c).empty();
    if (blank) continue;
    const std::string line = "第" + std::to_string(r + 1) + "行：";
    auto bad = [&](const std::string& m) { plan.problems.push_back(line + m); };
    RegistrationRequest req;
    req.agency = agency.code;
    req.applicant.type = code_of(applicant_types(), get("type"));
    req.applicant.name = get("name");
    req.applicant.id_type = code_of(id_types(), get("id_type"));
    req.applicant.id_number = get("id_number");
    req.applicant.credit_code = get("credit_code");
    req.applicant.phone = get("phone");
    req.applicant.address = get("address");
    req.channel = code_of(channels(), get("channel"));
    req.content = get("content");
    auto received = cell_date(get("received_on"), "received_on");
    if (!received) {
      bad(received.error().message);
      continue;
    }
    req.received_on = format_date(*received);
    auto valid = validate_registration(req, clock.today());
    if (!valid) {
      bad(valid.error().message);
      continue;
    }
    Case c;
    c.agency = agency.code;
    c.number = get("number");
    c.applicant = valid->applicant;
    c.channel = valid->channel;
    c.received_on = *received;
    c.content = valid->content;
    c.events.push_back({0, "register", c.received_on, {}, by, clock.now_timestamp()});
    if (Status st = fold(ctx, c); !st) {
      bad(st.error().message);
      continue;
    }
    const std::string outcome = outcome_of(get("outcome"));
    const std::string concluded_text = get("concluded_on");
    if (outcome.empty() != concluded_text.empty()) {
      bad(outcome.empty() ? "有办结日期而没有答复类型" : "有答复类型而没有办结日期");
      continue;
    }
    if (!outcome.empty()) {
      auto done = cell_date(concluded_text, "concluded_on");
      if (!done) {
        bad(done.error().message);
        continue;
      }
      if (*done < c.received_on || *done > clock.today()) {
        bad("concluded_on: 办结日期应在收到日期与今天之间：" + format_date(*done));
        continue;
      }
      const std::string method = get("delivery_method").empty()
                                     ? "post"
                                     : code_of(delivery_methods(), get("delivery_method"));
      auto history = legacy_history(ctx, std::move(c), outcome, *done, method, actor);
      if (!history) {
        bad(history.error().message);
        continue;
      }
      c = std::move(*history);
    }
    plan.projections.push_back(
        project_case(wf, c, compute_clock(cal, c, clock.today(), ctx.settings)));
    plan.cases.push_back(std::move(c));
  }
  return plan;
}

Result<int> ImportService::import_cases(const std::string& agency_code, const Sheet& t,
                                        const std::string& by, const std::string& source,
                                        std::vector<std::string>& problems) {
  auto agency = cases_.agency(agency_code);
  if (!agency) return agency.error();
  ImportPlan plan = plan_import(t, *agency, wf_, cal_, clock_, by);
  if (!plan.problems.empty()) {
    problems = std::move(plan.problems);
    return make_error(Code::invalid, std::to_string(problems.size()) + " 行有错误，未导入任何案件");
  }
  if (plan.cases.empty()) return make_error(Code::invalid, "文件中没有案件");
  if (Status st = bulk_.bulk_insert(plan.cases, plan.projections, true); !st) return st.error();
  (void)audit_.record_audit(clock_.now_timestamp(), by, "import.cases", agency->code,
                            std::to_string(plan.cases.size()) + " cases from " + source);
  return static_cast<int>(plan.cases.size());
}

}  // namespace ogi
