// `ogi demo generate`: many realistic cases for benchmarks (issue 3 and 5 performance), built
// through the real engine and clock, written with the store's bulk path in batches.
#include <chrono>
#include <iostream>
#include <random>

#include "api/case_json.h"
#include "app/case_service.h"
#include "app/password.h"
#include "cli/commands.h"
#include "cli/env.h"
#include "domain/codes.h"
#include "store/sql_store.h"

namespace ogi {

namespace {
// Applicants as a register holds them: a Chinese name, a valid identity (GB 11643 ID number for a
// person, GB 32100 credit code for an organisation) and a mobile number; requests on a handful of
// subjects, each still asking for 批复文件 (the benchmark's term found in every case).
constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴",
                                     "徐", "孙", "朱", "马", "胡", "郭", "林", "何", "高", "罗"};
constexpr const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊",   "军", "洋",
                                  "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "建国"};
constexpr const char* kFirms[] = {"科技", "建设", "贸易", "物流", "环保", "餐饮", "医药", "文化"};
constexpr const char* kTopics[] = {"养老服务补贴", "道路拓宽工程", "征地补偿安置", "环境监测报告",
                                   "学校建设规划", "医保报销目录", "旧城改造项目", "河道整治方案"};

std::string resident_id(std::mt19937_64& rng, const Date& born) {
  char body[40];  // 17 digits are written; room for what the format could write
  std::snprintf(body, sizeof body, "%06d%04d%02d%02d%03d",
                110101 + static_cast<int>(rng() % 9) * 100, static_cast<int>(born.year()),
                static_cast<int>(born.month()), static_cast<int>(born.day()),
                static_cast<int>(rng() % 1000));
  static const int w[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * w[i];
  return std::string(body, 17) + "10X98765432"[sum % 11];
}

std::string credit_code(std::mt19937_64& rng) {
  static const std::string cs = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int w[] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  std::string code = "91350200";
  while (code.size() < 17) code += cs[rng() % cs.size()];
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(cs.find(code[i])) * w[i];
  return code + cs[(31 - sum % 31) % 31];
}
}  // namespace

int cmd_generate(int argc, char** argv) {
  Args a = parse_args(argc, argv, 3);
  if (!a.has("db") || !a.has("cases"))
    return usage(
        "usage: ogi demo generate --db PATH --cases N [--agencies 20] [--from-year 2021] [--years "
        "5] [--seed 1]");
  long long n = std::stoll(a.get("cases"));
  int n_agencies = std::stoi(a.get("agencies", "20"));
  int from_year = std::stoi(a.get("from-year", "2021"));
  int years = std::stoi(a.get("years", "5"));
  std::mt19937_64 rng(std::stoull(a.get("seed", "1")));
  auto store = SqlStore::open(a.get("db"), true);
  if (!store) return fail(store.error());
  if (auto v = (*store)->migrate(); !v) return fail(v.error());
  auto wf = load_workflow();
  if (!wf) return fail(wf.error());
  auto cal = load_calendar(store->get());
  if (!cal) return fail(cal.error());
  SystemClock sys;
  std::vector<std::string> codes;
  for (int i = 1; i <= n_agencies; ++i) {
    char code[16];
    std::snprintf(code, sizeof code, "G%02d", i);
    codes.push_back(code);
    if (!(*store)->cases().agency(code)) {
      (void)(*store)->admin().add_agency({0, code, std::string("生成机关") + code,
                                          std::string(code) + "依申〔{year}〕第{seq}号", true, ""},
                                         sys.now_timestamp());
      (void)(*store)->admin().add_user({0,
                                        std::string("gen") + code,
                                        "生成用户",
                                        code,
                                        {"registrar", "handler", "approver", "office"},
                                        hash_password("demo-pass-2026", 10000),
                                        {}},
                                       sys.now_timestamp());
    }
  }
  // Each agency-year numbers from 1 (continuing after existing cases is not needed for demos).
  std::map<std::pair<std::string, int>, long long> seq;
  FixedClock clock(Date(from_year + years, 12, 31));
  Actor actor{"generator", {"registrar", "handler", "approver", "office"}};
  auto types = applicant_types();
  auto chans = channels();
  auto outs = decidable_outcomes();
  const Date first(from_year, 1, 1);
  const long span = (Date(from_year + years - 1, 12, 31) - first).days() + 1;
  std::vector<Case> batch;
  std::vector<CaseProjection> projs;
  auto t0 = std::chrono::steady_clock::now();
  long long done = 0;
  for (long long i = 0; i < n; ++i) {
    Case c;
    c.agency = codes[rng() % codes.size()];
    c.received_on = first + boost::gregorian::days(static_cast<long>(rng() % span));
    c.applicant.type = std::string(types[rng() % 10 < 6 ? 0 : 1 + rng() % (types.size() - 1)].code);
    if (is_organisation(c.applicant.type)) {
      c.applicant.name = std::string(kSurnames[rng() % 20]) + kFirms[rng() % 8] +
                         (rng() % 2 ? "有限公司" : "股份有限公司");
      c.applicant.credit_code = credit_code(rng);
    } else {
      c.applicant.name = std::string(kSurnames[rng() % 20]) + kGiven[rng() % 20] +
                         (rng() % 3 ? kGiven[rng() % 20] : "");
      c.applicant.id_type = "resident_id";
      c.applicant.id_number = resident_id(
          rng, Date(1950 + static_cast<int>(rng() % 50), 1 + rng() % 12, 1 + rng() % 28));
    }
    c.applicant.phone = "13" + std::to_string(100000000 + rng() % 900000000);
    c.channel = std::string(chans[rng() % chans.size()].code);
    c.content = std::string("申请公开") + kTopics[rng() % 8] + "关于第" +
                std::to_string(rng() % 5000) + "号项目的批复文件及相关材料";
    c.form = "paper";
    c.delivery = "post";
    long long s = ++seq[{c.agency, c.received_on.year()}];
    c.number = c.agency + "依申〔" + std::to_string(c.received_on.year()) + "〕第" +
               std::to_string(s) + "号";
    c.events.push_back(
        {0, "register", c.received_on, {}, "generator", format_date(c.received_on) + "T08:00:00Z"});
    Context ctx{*wf, *cal, clock, {}};
    if (Status st = fold(ctx, c); !st) return fail(st.error());
    // 97% concluded: decide after 3-25 working days, approve, deliver 0-3 days later.
    if (rng() % 100 < 97) {
      auto step = [&](const char* json, const Date& on) -> bool {
        auto req = parse_event(json);
        req->on = on;
        auto next = apply_event(ctx, c, *req, actor);
        if (!next) return false;
        c = std::move(*next);
        return true;
      };
      if (rng() % 50 == 0) {
        step(R"({"event":"withdraw"})", c.received_on + boost::gregorian::days(2));
      } else {
        auto d = cal->add_workdays(c.received_on, 3 + static_cast<int>(rng() % 23));
        if (d) {
          std::string outcome(outs[rng() % outs.size()].code);
          if (outcome == "still_unclear") outcome = "disclosed";
          std::string decide =
              R"({"event":"decide","outcome":")" + outcome + R"(","reasons":"经审查"})";
          if (step(decide.c_str(), *d) && step(R"({"event":"approve"})", *d))
            step(R"({"event":"deliver","method":"post"})",
                 *d + boost::gregorian::days(static_cast<long>(rng() % 4)));
        }
      }
    }
    CaseProjection p = project_case(*wf, c, compute_clock(*cal, c, clock.today()));
    batch.push_back(std::move(c));
    projs.push_back(p);
    if (batch.size() == 20000 || i + 1 == n) {
      if (Status st = (*store)->bulk().bulk_insert(batch, projs, false); !st)
        return fail(st.error());
      done += static_cast<long long>(batch.size());
      batch.clear();
      projs.clear();
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::cerr << "\rgenerated " << done << " cases ("
                << static_cast<long long>(done / std::max(secs, 1e-9)) << "/s)" << std::flush;
    }
  }
  std::cerr << "\n";
  std::cout << "generated " << done << " cases over " << codes.size() << " agencies (" << from_year
            << "–" << from_year + years - 1 << "); users genG01… password demo-pass-2026\n";
  return 0;
}

}  // namespace ogi
