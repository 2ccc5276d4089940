#include <filesystem>
#include <iostream>
#include <sstream>

#include "api/case_json.h"
#include "app/case_service.h"
#include "app/letters.h"
#include "app/password.h"
#include "cli/commands.h"
#include "cli/env.h"
#include "domain/codes.h"
#include "letters/template_set.h"
#include "store/sql_store.h"

namespace ogi {

namespace {

std::string read_body(const Args& a, size_t index) {
  if (a.pos.size() > index && a.pos[index] != "-") {
    auto t = read_file(a.pos[index]);
    return t ? *t : std::string();
  }
  std::ostringstream s;
  s << std::cin.rdbuf();
  return s.str();
}

struct Env {
  std::unique_ptr<SqlStore> store;
  Workflow wf;
  Calendar cal;
  SystemClock clock;
  std::unique_ptr<letters::TemplateSet> templates;
  std::unique_ptr<LetterService> letters;
};

Result<std::unique_ptr<Env>> open_env(const std::string& db) {
  auto store = SqlStore::open(db, false);
  if (!store) return store.error();
  auto wf = load_workflow();
  if (!wf) return wf.error();
  auto cal = load_calendar(store->get());
  if (!cal) return cal.error();
  auto templates = load_letter_templates();
  if (!templates) return templates.error();
  std::unique_ptr<Env> e(
      new Env{std::move(*store), std::move(*wf), std::move(*cal), {}, std::move(*templates), {}});
  e->letters = std::make_unique<LetterService>(*e->templates, e->store->letters(),
                                               e->store->cases(), e->wf, e->cal, e->clock);
  if (Status s = e->letters->install_saved_templates(); !s) return s.error();
  return e;
}

int print(const Result<CaseView>& v, const Workflow& wf) {
  if (!v) return fail(v.error());
  std::cout << case_json(*v, wf, {false, true}) << "\n";
  return 0;
}

long long case_id(const Args& a) {
  try {
    return std::stoll(a.get("case", a.pos.size() > 1 ? a.pos[1] : "0"));
  } catch (...) {
    return 0;
  }
}

}  // namespace

int cmd_case(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2);
  const char* help =
      "usage: ogi case register --db PATH --user NAME [FILE|-] | ogi case event --db PATH --user "
      "NAME --case ID "
      "[FILE|-] | ogi case show --db PATH --user NAME --case ID";
  if (a.pos.empty() || !a.has("db") || !a.has("user")) return usage(help);
  auto env = open_env(a.get("db"));
  if (!env) return fail(env.error());
  Env& e = **env;
  auto user = e.store->cases().user(a.get("user"));
  if (!user) return fail(user.error());
  CaseService svc(e.store->cases(), e.wf, e.cal, e.clock);
  svc.set_letters(e.letters.get());
  const std::string sub = a.pos[0];
  // The command line reads the database file itself: an unknown case is simply not found (exit 3;
  // the web answers a missing and a foreign case alike, issue 18).
  auto exists = [&](long long id) -> Status {
    if (auto c = e.store->cases().load_case(id); !c && c.error().code == Code::not_found)
      return c.error();
    return {};
  };
  if (sub == "register") {
    auto req = parse_registration(read_body(a, 1));
    if (!req) return fail(req.error());
    return print(svc.register_case(*user, *req), e.wf);
  }
  if (sub == "event") {
    long long id = case_id(a);
    if (id <= 0) return usage(help);
    auto req = parse_event(read_body(a, a.has("case") ? 1 : 2));
    if (!req) return fail(req.error());
    if (Status st = exists(id); !st) return fail(st.error());
    return print(svc.record_event(*user, id, *req, std::stoll(a.get("version", "0"))), e.wf);
  }
  if (sub == "show") {
    long long id = case_id(a);
    if (id <= 0) return usage(help);
    if (Status st = exists(id); !st) return fail(st.error());
    return print(svc.show(*user, id), e.wf);
  }
  return usage(help);
}

// Demonstration data: two agencies, a user per role, cases in several stages (some overdue),
// dated relative to today so the dashboard always has something to show.
int cmd_demo(int argc, char** argv) {
  if (argc > 2 && std::string(argv[2]) == "generate") return cmd_generate(argc, argv);
  Args a = parse_args(argc, argv, 2);
  if (!a.has("db")) return usage("usage: ogi demo --db PATH");
  const std::string db = a.get("db");
  bool fresh = !std::filesystem::exists(db);
  {
    auto store = SqlStore::open(db, true);
    if (!store) return fail(store.error());
    if (auto v = (*store)->migrate(); !v) return fail(v.error());
    if (fresh || (*store)->count("agencies") == 0) {
      SystemClock clock;
      auto at = clock.now_timestamp();
      (void)(*store)->admin().add_agency(
          {0, "SZF", "示例市人民政府办公室", "示府办依申〔{year}〕第{seq}号", true, "", "示府办",
           "", "示例市人民政府办公室", "示例市政务服务中心3号楼，电话0571-87000000",
           "示例市人民政府", "示例市中级人民法院"},
          at);
      (void)(*store)->admin().add_agency(
          {0, "ZRJ", "示例市自然资源局", "示自然资依申〔{year}〕第{seq}号", true, "SZF", "示自然资",
           "", "示例市自然资源局", "示例市解放路8号，电话0571-87100000", "示例市人民政府",
           "示例市西湖区人民法院"},
          at);
      struct U {
        const char *name, *display, *agency;
        std::vector<std::string> roles;
      };
      for (const U& u :
           {U{"dengji", "窗口登记员", "SZF", {"registrar"}},
            U{"chengban", "陈承办", "SZF", {"handler"}},
            U{"qianfa", "公开办负责人", "SZF", {"approver"}},
            U{"gongkaiban", "公开办", "SZF", {"office"}},
            U{"admin", "系统管理员", "SZF", {"admin"}}, U{"jiandu", "监督员", "SZF", {"auditor"}},
            U{"zrj", "自然资源局承办人", "ZRJ", {"registrar", "handler", "approver"}}}) {
        User user{0, u.name, u.display, u.agency, u.roles, hash_password("demo-pass-2026", 10000),
                  {}};
        (void)(*store)->admin().add_user(user, at);
      }
    }
  }
  auto env = open_env(db);
  if (!env) return fail(env.error());
  Env& e = **env;
  CaseService svc(e.store->cases(), e.wf, e.cal, e.clock);
  svc.set_letters(e.letters.get());
  if (e.store->count("cases") == 0) {
    auto reg = *e.store->cases().user("dengji");
    auto handler = *e.store->cases().user("chengban");
    auto approver = *e.store->cases().user("qianfa");
    const Date today = e.clock.today();
    struct Demo {
      const char *name, *type, *channel;
      int received_days_ago;
      std::vector<std::tuple<const User*, std::string, int>> events;  // who, json, days ago
    };
    std::vector<Demo> demos = {
        {"张三", "natural_person", "in_person", 3, {}},
        {"郑十", "natural_person", "in_person", 24, {}},
        {"某科技有限公司", "commercial_enterprise", "online", 19, {}},
        {"李四", "natural_person", "online", 40, {}},
        {"某某贸易有限公司",
         "commercial_enterprise",
         "post",
         20,
         {{&handler,
           R"({"event":"request_correction","items":["请明确所需信息的名称或文号"],"days":15})",
           18}}},
        {"王五",
         "natural_person",
         "email",
         25,
         {{&handler, R"({"event":"consult","party":"third_party","name":"某建设集团有限公司"})",
           20}}},
        {"赵六",
         "natural_person",
         "in_person",
         35,
         {{&handler,
           R"({"event":"decide","outcome":"disclosed","reasons":"经审查，所申请信息可以公开"})",
           10},
          {&approver, R"({"event":"approve"})", 9}}},
        {"某律师事务所",
         "legal_service_org",
         "post",
         60,
         {{&handler,
           R"({"event":"decide","outcome":"not_held","reasons":"经检索，本机关未制作或获取该信息"})",
           45},
          {&approver, R"({"event":"approve"})", 44},
          {&handler, R"({"event":"deliver","method":"post","tracking":"EMS1234567890"})", 43}}},
        {"某环保公益基金会",
         "social_welfare_org",
         "online",
         15,
         {{&approver, R"({"event":"fee_notice","method":"per_page","pages":120})", 12}}},
        {"钱七",
         "natural_person",
         "post",
         12,
         {{&handler,
           R"({"event":"decide","outcome":"withheld_process_info","reasons":"属于过程性信息"})",
           2}}},
        {"孙八", "natural_person", "in_person", 30, {{&reg, R"({"event":"withdraw"})", 25}}},
        {"某大学法学院",
         "research_institution",
         "email",
         90,
         {{&handler,
           R"({"event":"decide","outcome":"partially_disclosed","reasons":"部分涉及个人隐私"})",
           70},
          {&approver, R"({"event":"approve"})", 69},
          {&handler, R"({"event":"deliver","method":"electronic"})", 68},
          {&handler, R"({"event":"archive"})", 60},
          {&handler, R"({"event":"remedy_filed","kind":"reconsideration"})", 40}}},
        {"周九",
         "natural_person",
         "fax",
         28,
         {{&approver, R"({"event":"extend","reason":"需要与多个部门协调"})", 2}}},
    };
    for (auto& d : demos) {
      RegistrationRequest r;
      r.agency = "SZF";
      r.applicant.type = d.type;
      r.applicant.name = d.name;
      r.channel = d.channel;
      r.received_on = format_date(today - boost::gregorian::days(d.received_days_ago));
      r.content = "申请公开关于" + std::string(d.name) + "所涉事项的相关政府信息";
      r.form = "paper";
      r.delivery = "post";
      // The two newest wait for the 公开办 to assign them; the others are 陈承办's.
      if (d.received_days_ago != 3 && d.received_days_ago != 24) r.assignee = "chengban";
      auto c = svc.register_case(reg, r);
      if (!c) return fail(c.error());
      for (auto& [who, json, ago] : d.events) {
        auto req = parse_event(json);
        req->on = today - boost::gregorian::days(ago);
        auto v = svc.record_event(*who, c->c.id, *req);
        if (!v) return fail(v.error());
      }
    }
    auto zrj = *e.store->cases().user("zrj");
    for (int i = 0; i < 3; ++i) {
      RegistrationRequest r;
      r.agency = "ZRJ";
      r.applicant = {"natural_person", std::string("吴") + std::to_string(i + 1)};
      r.channel = "online";
      r.received_on = format_date(today - boost::gregorian::days(5 + 11 * i));
      r.content = "申请公开某地块国有建设用地使用权出让相关文件";
      auto c = svc.register_case(zrj, r);
      if (!c) return fail(c.error());
    }
  }
  // Print every case with its clock.
  auto reg = *e.store->cases().user("gongkaiban");
  for (long long id = 1;; ++id) {
    auto v = svc.show(reg, id);
    if (!v) break;
    const auto* st = e.wf.state(v->c.derived.state);
    std::cout << v->c.number << "  " << v->c.applicant.name << "  ["
              << (st ? st->label : v->c.derived.state) << "]\n"
              << "    到期：" << (v->clock.due_on ? format_date(*v->clock.due_on) : "—")
              << (v->clock.overdue ? "（已逾期）" : "")
              << (v->clock.days_left
                      ? "（剩余 " + std::to_string(*v->clock.days_left) + " 个工作日）"
                      : "")
              << "\n"
              << "    说明：" << v->clock.explanation << "\n";
  }
  std::cout << "\n演示账号（密码均为 demo-pass-2026）：dengji 登记员, chengban 承办人, qianfa "
               "公开办负责人, "
               "gongkaiban 公开办, admin 系统管理员, jiandu 监督员, zrj 自然资源局\n";
  return 0;
}

}  // namespace ogi
