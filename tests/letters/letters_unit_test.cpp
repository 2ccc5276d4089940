// Letters below the HTTP layer: the template checker (each problem named with its line), letter
// markup and value escaping, the DOCX package, and issuing through the store — numbers allocated
// in the event's transaction (no gap after a failure, none reused under concurrent approvals),
// issued letters frozen against template changes and against UPDATE/DELETE.
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

#include "api/case_json.h"
#include "app/auth.h"
#include "app/case_service.h"
#include "app/letters.h"
#include "app/password.h"
#include "domain/letters.h"
#include "letters/docx.h"
#include "letters/markup.h"
#include "letters/template_set.h"
#include "store/sql_store.h"
#include "test_data.h"

using namespace ogi;
using test::D;
namespace fs = std::filesystem;

namespace {

const std::string kDir = std::string(OGI_SOURCE_DIR) + "/templates/letters";

letters::TemplateSet& shipped() {
  static auto set = letters::TemplateSet::load(kDir);
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.error().message));
  return **set;
}

std::map<std::string, std::string> unzip(const std::string& bytes) {
  std::istringstream in(bytes, std::ios::binary);
  Poco::Zip::ZipArchive arch(in);
  std::map<std::string, std::string> out;
  for (auto it = arch.headerBegin(); it != arch.headerEnd(); ++it) {
    std::istringstream again(bytes, std::ios::binary);
    Poco::Zip::ZipInputStream zin(again, it->second);
    std::string data;
    Poco::StreamCopier::copyToString(zin, data);
    out[it->first] = data;
  }
  return out;
}

}  // namespace

TEST_CASE("the shipped templates load and pass the checker") {
  auto& set = shipped();
  for (auto& name : shipped_letter_templates()) {
    CAPTURE(name);
    CHECK(set.version(name) == 0);
  }
}

TEST_CASE("broken templates are rejected, naming the line") {
  struct Row {
    const char* name;
    const char* body;
    const char* want;  // fragment of the message
  };
  const Row rows[] = {
      {"receipt", "# 回执\n= {{letter.number}}\n{{case.nosuch}}\n",
       "receipt.mustache 第3行：未知字段 case.nosuch"},
      {"receipt", "# 回执\n{{#applicant.is_org}}单位\n",
       "第2行：区块 {{#applicant.is_org}} 没有结束标签"},
      {"receipt", "# 回执\n\n{{/applicant.is_org}}\n", "第3行：多余的结束标签"},
      {"receipt", "{{#applicant.is_org}}\n{{/remedy.either}}\n",
       "第2行：结束标签 {{/remedy.either}} 与开始标签"},
      {"receipt", "a\nb\n{{> _nosuch}}\n", "第3行：未知的部分模板"},
      {"receipt", "{{{case.content}}}\n", "第1行：字段须用 {{case.content}} 插入"},
      {"receipt", "x\n{{case.number\ny\n", "第2行：标签“{{”没有闭合"},
      {"receipt", "{{= | | =}}\n", "不支持更改分隔符"},
      {"receipt", "{{reply.basis}}\n",
       "第1行：未知字段 reply.basis"},  // a reply field in a receipt
      {"correction_notice", "{{correction.items}}\n", "只能用作区块"},  // a list used as a value
      {"correction_notice", "{{text}}\n",
       "第1行：未知字段 text"},  // an item field outside its list
      {"_remedy", "{{> _signature}}\n", "部分模板（_remedy）不能再引用部分模板"},
  };
  for (auto& r : rows) {
    CAPTURE(r.body);
    Status s = shipped().check(r.name, r.body);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message.find(r.want) != std::string::npos);
  }
  // valid bodies pass: fields of the kind, list items inside their section, comments, partials
  CHECK(shipped()
            .check("correction_notice",
                   "{{! note }}\n{{#correction.items}}{{index}}. "
                   "{{text}}\n{{/correction.items}}\n{{> _signature}}")
            .ok());
  CHECK(shipped()
            .check("reply_disclosed",
                   "{{#remedy.either}}{{agency.court}}{{/remedy.either}}{{reply.basis}}")
            .ok());
  CHECK(shipped().check("no_such_template", "x").error().code == Code::not_found);
}

TEST_CASE("a template directory with a broken file does not load") {
  char tmpl[] = "/tmp/ogi-tpl-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  fs::copy(kDir, dir, fs::copy_options::recursive);
  {
    std::ofstream(dir / "fee_notice.mustache") << "# 收费通知\n\n{{fee.amount}}\n{{fee.nosuch}}\n";
  }
  auto set = letters::TemplateSet::load(dir.string());
  REQUIRE_FALSE(set.ok());
  CHECK(set.error().message.find("fee_notice.mustache 第4行：未知字段 fee.nosuch") !=
        std::string::npos);
  fs::remove(dir / "receipt.mustache");
  set = letters::TemplateSet::load(dir.string());
  REQUIRE_FALSE(set.ok());
  CHECK(set.error().message.find("receipt.mustache 缺失") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("letter markup: paragraph kinds, tables, line breaks inside values") {
  using K = letters::Paragraph::Kind;
  auto doc = letters::parse_markup(
      "\n# 标题\n## 副题\n= 文号\n< 张三：\n正文一\xE2\x80\xA8正文二\n| 甲 | 乙 |\n\n> "
      "落款\n---\n尾\n\n");
  std::vector<K> kinds;
  for (auto& p : doc) kinds.push_back(p.kind);
  CHECK(kinds == std::vector<K>{K::title, K::subtitle, K::centre, K::left, K::body, K::body, K::row,
                                K::blank, K::right, K::page_break, K::body});
  CHECK(doc[5].text == "正文二");
  CHECK(doc[6].cells == std::vector<std::string>{"甲", "乙"});
  CHECK(letters::to_text(doc).find("\xE3\x80\x80\xE3\x80\x80正文一\n") != std::string::npos);
  auto html = letters::to_html(doc, "t<");
  CHECK(html.find("<title>t&lt;</title>") != std::string::npos);
  CHECK(html.find("<td>甲</td><td>乙</td>") != std::string::npos);
  CHECK(html.find("size: A4") != std::string::npos);
}

TEST_CASE("letter markup: the letterhead and the signature block (GB/T 9704-2012 7.3.5.1)") {
  using K = letters::Paragraph::Kind;
  auto doc = letters::parse_markup(
      "^ 示例市人民政府办公室\n# 答复书\n正文\n@ 示例市人民政府办公室 | 2024年4月16日");
  REQUIRE(doc.size() == 4);
  CHECK(doc[0].kind == K::letterhead);
  CHECK(doc[0].text == "示例市人民政府办公室");
  CHECK(doc[3].kind == K::signature);
  CHECK(doc[3].cells == std::vector<std::string>{"示例市人民政府办公室", "2024年4月16日"});
  CHECK(letters::to_text(doc).ends_with("\n示例市人民政府办公室（印章）\n2024年4月16日\n"));
  CHECK(letters::text_width("2024年4月16日") == 6.5);
  auto html = letters::to_html(doc, "答复书");
  CHECK(html.find("<p class=\"letterhead\">示例市人民政府办公室</p>") != std::string::npos);
  CHECK(html.find("<div class=\"signature\"><p class=\"name\">示例市人民政府办公室</p><p "
                  "class=\"date\">2024年4月16日</p>") != std::string::npos);
  CHECK(html.find("margin: 57.9pt 4em") !=
        std::string::npos);  // the date four characters from the right
  const std::string xml = letters::document_xml(doc);
  CHECK(xml.find("<w:pStyle w:val=\"Letterhead\"/>") != std::string::npos);
  // the name (10 characters) centred over the date (6.5): right indent 1,280 + (6.5 - 10) / 2 × 320
  const size_t name = xml.find("<w:ind w:right=\"720\"/>");
  REQUIRE(name != std::string::npos);
  CHECK(xml.find("<v:oval", name) < xml.find("示例市人民政府办公室</w:t>", name));
  CHECK(xml.find("2024年4月16日") > name);
}

TEST_CASE("values cannot change the letter's structure") {
  LetterFields f;
  f.put("applicant.name", "# 李四|王五");
  f.put("case.content", "第一段\n> 第二段\n@ 甲 | 乙\n^ 丙");
  auto m = shipped().render_markup(
      "receipt", f, "receipt",
      "< {{applicant.name}}：\n{{case.content}}\n| 申请人 | {{applicant.name}}");
  REQUIRE(m.ok());
  auto doc = letters::parse_markup(*m);
  REQUIRE(doc.size() == 6);
  CHECK(doc[0].kind == letters::Paragraph::Kind::left);
  CHECK(doc[0].text == "＃ 李四｜王五：");
  CHECK(doc[1].text == "第一段");
  CHECK(doc[2].kind == letters::Paragraph::Kind::body);  // not a right-aligned line
  CHECK(doc[2].text == "＞ 第二段");
  CHECK(doc[3].kind == letters::Paragraph::Kind::body);
  CHECK(doc[3].text == "＠ 甲 ｜ 乙");
  CHECK(doc[4].text == "＾ 丙");
  CHECK(doc[5].cells.size() == 2);
}

TEST_CASE("DOCX: an OOXML package with the GB/T 9704 page, deterministic bytes") {
  auto doc = letters::parse_markup(
      "# 政府信息公开申请答复书\n= 甲〔2024〕1号\n< 张三：\n正文 & <符号>\n| 甲 | 乙 |\n> 某机关");
  std::string a = letters::to_docx(doc, "答复书", "2024-03-01");
  std::string b = letters::to_docx(doc, "答复书", "2024-03-01");
  CHECK(a == b);
  CHECK(a.substr(0, 2) == "PK");
  auto parts = unzip(a);
  for (auto* p : {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
                  "word/_rels/document.xml.rels", "word/fontTable.xml", "word/footer1.xml",
                  "docProps/core.xml"})
    CHECK_MESSAGE(parts.count(p), p);
  const std::string& xml = parts["word/document.xml"];
  CHECK(xml.find("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>") != std::string::npos);
  CHECK(xml.find("w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\"") !=
        std::string::npos);
  CHECK(xml.find("正文 &amp; &lt;符号&gt;") != std::string::npos);
  CHECK(xml.find("<w:tbl>") != std::string::npos);
  CHECK(parts["word/styles.xml"].find("w:eastAsia=\"仿宋_GB2312\"") != std::string::npos);
  CHECK(parts["word/styles.xml"].find("<w:sz w:val=\"44\"/>") != std::string::npos);
  CHECK(parts["docProps/core.xml"].find("2024-03-01T00:00:00Z") != std::string::npos);
}

// ---- issuing through the store ----

namespace {

struct LetterFixture {
  fs::path dir;
  std::unique_ptr<SqlStore> store;
  std::unique_ptr<letters::TemplateSet> templates;
  FixedClock clock{D("2024-06-28")};
  std::unique_ptr<LetterService> letters;
  std::unique_ptr<CaseService> svc;
  User user;
  explicit LetterFixture(const Calendar& cal = test::calendar(), Date today = D("2024-06-28")) {
    clock.set(today);
    char tmpl[] = "/tmp/ogi-letters-XXXXXX";
    dir = mkdtemp(tmpl);
    auto s = SqlStore::open((dir / "ogi.db").string(), true);
    REQUIRE(s.ok());
    store = std::move(*s);
    REQUIRE(store->migrate().ok());
    Agency a{0, "A1", "测试机关", "测试依申〔{year}〕第{seq}号", true, ""};
    a.letter_prefix = "测府办";
    REQUIRE(store->admin().add_agency(a, "t").ok());
    User u{0,
           "all",
           "全能",
           "A1",
           {"registrar", "handler", "approver", "office", "admin"},
           hash_password("password1", 1000),
           {}};
    REQUIRE(store->admin().add_user(u, "t").ok());
    user = *store->cases().user("all");
    auto t = letters::TemplateSet::load(kDir);
    REQUIRE(t.ok());
    templates = std::move(*t);
    letters = std::make_unique<LetterService>(*templates, store->letters(), store->cases(),
                                              test::workflow(), cal, clock);
    svc = std::make_unique<CaseService>(store->cases(), test::workflow(), cal, clock);
    svc->set_letters(letters.get());
  }
  ~LetterFixture() {
    store.reset();
    fs::remove_all(dir);
  }
  long long reg(const std::string& received = "2024-06-03") {
    auto v = try_reg(received);
    REQUIRE_MESSAGE(v.ok(), (v.ok() ? "" : v.error().message));
    return v->c.id;
  }
  Result<CaseView> try_reg(const std::string& received) {
    RegistrationRequest r;
    r.applicant.type = "natural_person";
    r.applicant.name = "张三";
    r.channel = "post";
    r.received_on = received;
    r.content = "申请公开某文件";
    return svc->register_case(user, r);
  }
  std::string receipt_html(long long id) {
    auto l = of_kind(id, "receipt");
    REQUIRE(l.size() == 1);
    auto html = store->letters().letter_bytes(l[0].id, "markup");
    REQUIRE(html.ok());
    return *html;
  }
  Result<CaseView> event(long long id, const std::string& json) {
    auto req = parse_event(json);
    REQUIRE_MESSAGE(req.ok(), json);
    return svc->record_event(user, id, *req);
  }
  std::vector<LetterRecord> of_kind(long long id, const std::string& kind) {
    std::vector<LetterRecord> out;
    for (auto& l : store->letters().letters(id))
      if (l.kind == kind) out.push_back(l);
    return out;
  }
};

}  // namespace

TEST_CASE("registration issues a numbered receipt in its own transaction") {
  LetterFixture f;
  long long id = f.reg();
  auto l = f.store->letters().letters(id);
  REQUIRE(l.size() == 1);
  CHECK(l[0].kind == "receipt");
  CHECK(l[0].number == "测府办依申收〔2024〕1号");
  CHECK(l[0].issued_on == D("2024-06-03"));
  auto docx = f.store->letters().letter_bytes(l[0].id, "docx");
  REQUIRE(docx.ok());
  CHECK(sha256_hex(*docx) == l[0].sha256);
  auto html = f.store->letters().letter_bytes(l[0].id, "html");
  CHECK(html->find("测府办依申收〔2024〕1号") != std::string::npos);
  CHECK(html->find("张三") != std::string::npos);
  CHECK(f.of_kind(f.reg(), "receipt")[0].number == "测府办依申收〔2024〕2号");
}

TEST_CASE(
    "a failure after the letter is written leaves no event, no letter and no gap in the numbers") {
  LetterFixture f;
  long long id = f.reg();
  auto before = f.store->count("case_events");
  auto letters_before = f.store->letters().letters(id).size();
  f.store->set_fault_hook([](std::string_view step) {
    if (step == "letter_inserted") throw std::runtime_error("injected");
  });
  auto bad =
      f.event(id, R"({"event":"request_correction","on":"2024-06-04","items":["写明文件名称"]})");
  CHECK_FALSE(bad.ok());
  f.store->set_fault_hook({});
  CHECK(f.store->count("case_events") == before);
  CHECK(f.store->letters().letters(id).size() == letters_before);
  auto ok = f.event(
      id,
      R"({"event":"request_correction","on":"2024-06-04","items":["写明文件名称","补充身份证明"]})");
  REQUIRE(ok.ok());
  auto notice = f.of_kind(id, "correction_notice");
  REQUIRE(notice.size() == 1);
  CHECK(notice[0].number == "测府办依申补〔2024〕1号");  // the failed attempt used no number
  auto html = *f.store->letters().letter_bytes(notice[0].id, "html");
  CHECK(html.find("写明文件名称") != std::string::npos);
  CHECK(html.find("补充身份证明") != std::string::npos);
}

TEST_CASE("issued letters are frozen: template changes, UPDATE and DELETE leave them as issued") {
  LetterFixture f;
  long long id = f.reg();
  auto first = f.store->letters().letters(id).at(0);
  auto bytes = *f.store->letters().letter_bytes(first.id, "docx");
  auto v = f.letters->save_template(f.user, "receipt",
                                    "# 新回执\n= {{letter.number}}\n新的回执正文。\n", "测试");
  REQUIRE(v.ok());
  CHECK(*v == 1);
  CHECK(*f.store->letters().letter_bytes(first.id, "docx") == bytes);
  CHECK(f.store->letters().letter(first.id)->sha256 == first.sha256);
  long long id2 = f.reg();
  auto second = f.store->letters().letters(id2).at(0);
  CHECK(second.template_version == 1);
  CHECK(f.store->letters().letter_bytes(second.id, "html")->find("新的回执正文") !=
        std::string::npos);
  // a broken edit is refused and changes nothing
  auto broken = f.letters->save_template(f.user, "receipt", "{{#x}}", "坏");
  CHECK_FALSE(broken.ok());
  CHECK(f.store->letters().template_versions("receipt").size() == 1);
  CHECK(f.templates->version("receipt") == 1);
  // the database refuses to change an issued letter
  fs::path db = f.dir / "ogi.db";
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  char* err = nullptr;
  CHECK(sqlite3_exec(h, "UPDATE letters SET number='x'", nullptr, nullptr, &err) != SQLITE_OK);
  sqlite3_free(err);
  CHECK(sqlite3_exec(h, "DELETE FROM letters", nullptr, nullptr, &err) != SQLITE_OK);
  sqlite3_free(err);
  sqlite3_close(h);
  CHECK(f.store->letters().letters(id).size() == 1);
}

TEST_CASE("replies approved concurrently get consecutive numbers, none reused") {
  LetterFixture f;
  const int n = 16;
  std::vector<long long> ids;
  for (int i = 0; i < n; ++i) {
    long long id = f.reg();
    REQUIRE(
        f.event(
             id,
             R"({"event":"decide","on":"2024-06-10","outcome":"not_held","reasons":"经检索未找到"})")
            .ok());
    ids.push_back(id);
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (long long id : ids)
    threads.emplace_back([&, id] {
      auto req = parse_event(R"({"event":"approve","on":"2024-06-11"})");
      if (!f.svc->record_event(f.user, id, *req).ok()) ++failures;
    });
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  std::set<std::string> numbers;
  for (long long id : ids) {
    auto r = f.of_kind(id, "reply");
    REQUIRE(r.size() == 1);
    CHECK(r[0].template_name == "reply_not_held");
    numbers.insert(r[0].number);
  }
  CHECK(numbers.size() == static_cast<size_t>(n));
  for (int i = 1; i <= n; ++i)
    CHECK(numbers.count("测府办依申复〔2024〕" + std::to_string(i) + "号"));
}

TEST_CASE(
    "approving a disclosure over a third party's objection also notifies the third party (Art "
    "32)") {
  LetterFixture f;
  long long id = f.reg();
  REQUIRE(
      f.event(id, R"({"event":"consult","on":"2024-06-04","party":"third_party","name":"某公司"})")
          .ok());
  auto c = f.store->cases().load_case(id);
  long long kid = c->events.back().id;
  REQUIRE(f.event(id, R"({"event":"consultation_replied","on":"2024-06-06","consultation":)" +
                          std::to_string(kid) + R"(,"opinion":"object"})")
              .ok());
  REQUIRE(f.event(id, R"({"event":"decide","on":"2024-06-10","outcome":"disclosed"})").ok());
  REQUIRE(f.event(id, R"({"event":"approve","on":"2024-06-11"})").ok());
  auto notices = f.of_kind(id, "third_party_notice");
  REQUIRE(notices.size() == 1);
  CHECK(f.store->letters().letter_bytes(notices[0].id, "html")->find("某公司") !=
        std::string::npos);
  CHECK(f.of_kind(id, "reply").size() == 1);
  CHECK(f.of_kind(id, "consultation_letter").size() == 1);
}

TEST_CASE("the reply's remedy notice follows the law on the letter's date") {
  LetterFixture f;
  auto reply_html = [&](const char* approve_on) {
    long long id = f.reg("2023-12-01");
    REQUIRE(
        f.event(
             id,
             R"({"event":"decide","on":"2023-12-20","outcome":"withheld_process_info","reasons":"经审查"})")
            .ok());
    REQUIRE(f.event(id, std::string(R"({"event":"approve","on":")") + approve_on + R"("})").ok());
    return *f.store->letters().letter_bytes(f.of_kind(id, "reply").at(0).id, "html");
  };
  std::string before = reply_html("2023-12-29"), after = reply_html("2024-01-02");
  CHECK(before.find("第二十三条") == std::string::npos);
  CHECK(before.find("六个月") != std::string::npos);
  CHECK(after.find("第二十三条") != std::string::npos);
}

TEST_CASE("a reissued letter gets a new number and names the letter it replaces") {
  LetterFixture f;
  long long id = f.reg();
  auto old = f.store->letters().letters(id).at(0);
  CHECK(f.letters->reissue(f.user, old.id, "  ").error().code == Code::invalid);
  auto fresh = f.letters->reissue(f.user, old.id, "申请人姓名有误");
  REQUIRE(fresh.ok());
  CHECK(fresh->supersedes == old.id);
  CHECK(fresh->number == "测府办依申收〔2024〕2号");
  CHECK(f.store->letters().letter(old.id)->superseded_by == fresh->id);
  CHECK(f.letters->reissue(f.user, old.id, "再次").error().code == Code::conflict);
  auto all = f.letters->print_all(f.user, id);
  REQUIRE(all.ok());
  CHECK(all->substr(0, 2) == "PK");
}

TEST_CASE("the main part swapped into a built package gives the same bytes as building it anew") {
  const std::string a =
      letters::document_xml(letters::parse_markup("# 标题\n= 甲〔2024〕\xEE\x80\x80号\n正文"));
  const std::string built = letters::package_docx(a, "答复书", "2024-03-01");
  for (const char* text :
       {"# 标题\n= 甲〔2024〕12号\n正文", "# 标题\n= 甲〔2024〕1号\n正文",
        "# 标题\n= 甲〔2024〕123456789号\n正文更长的一段文字，让主体部分变长许多许多许多。"}) {
    CAPTURE(text);
    const std::string b = letters::document_xml(letters::parse_markup(text));
    auto swapped = letters::replace_main_part(built, b);
    REQUIRE(swapped.has_value());
    CHECK(*swapped == letters::package_docx(b, "答复书", "2024-03-01"));
    CHECK(unzip(*swapped).at("word/document.xml") ==
          b);  // Poco reads it back, CRC and sizes checked
  }
  CHECK_FALSE(letters::replace_main_part("not a zip at all, certainly not one", a).has_value());
}

TEST_CASE("a letter finished inside the transaction equals one rendered in one go") {
  LetterFields f;
  f.put("applicant.name", "张三");
  f.put("letter.number", std::string(kNumberPlaceholder));
  f.put("case.number", std::string(kCaseNumberPlaceholder));
  // Every field the receipt prints must have a value (a letter with a hole is refused).
  for (const char* k : {"agency.name", "agency.letterhead", "letter.date", "letter.title",
                        "case.received_on", "case.channel_phrase", "case.content"})
    f.put(k, std::string("（") + k + "）");
  auto p = shipped().prepare("receipt", f, "申请接收回执", D("2024-03-01"));
  REQUIRE(p.ok());
  RenderedLetter fin = shipped().finish(*p, "测府办依申收〔2024〕7号", "测依申〔2024〕第7号");
  LetterFields g = f;
  g.put("letter.number", "测府办依申收〔2024〕7号");
  g.put("case.number", "测依申〔2024〕第7号");
  auto direct = shipped().render("receipt", g, "申请接收回执", D("2024-03-01"));
  REQUIRE(direct.ok());
  CHECK(fin.markup == direct->markup);
  CHECK(fin.html == direct->html);
  CHECK(fin.docx == direct->docx);
  CHECK(fin.sha256 == direct->sha256);
  CHECK(fin.markup.find("测依申〔2024〕第7号") != std::string::npos);
}

// ---- the calendar's edge (issue 12): no letter with a hole ----

TEST_CASE("the receipt's deadline sentence reads correctly: official, provisional, or no date") {
  SUBCASE("official year: the date") {
    LetterFixture f;
    const std::string want =
        "答复期限截至" + chinese_date(*test::calendar().add_workdays(D("2024-06-03"), 20)) + "。";
    const std::string text = f.receipt_html(f.reg("2024-06-03"));
    CHECK(text.find(want) != std::string::npos);
    CHECK(text.find("推算") == std::string::npos);
  }
  SUBCASE("provisional year: the date with the clause") {
    const Calendar& cal = test::calendar_with_provisional();
    LetterFixture f(cal, D("2026-12-21"));
    auto due = cal.add_workdays(D("2026-12-18"), 20);
    REQUIRE(due.ok());
    REQUIRE(cal.provisional(*due));
    const std::string text = f.receipt_html(f.reg("2026-12-18"));
    CHECK(text.find("答复期限截至" + chinese_date(*due) +
                    "（该日期系在国务院办公厅公布当年节假日安排前按法定节假日推算") !=
          std::string::npos);
    CHECK(text.find("截至。") == std::string::npos);
  }
  SUBCASE("no date can be computed: a sentence without one") {
    LetterFixture f(test::calendar(), D("2026-12-28"));  // the calendar ends with 2026
    const std::string text = f.receipt_html(f.reg("2026-12-20"));
    CHECK(text.find("20个工作日内作出答复。需要延长答复期限的") != std::string::npos);
    CHECK(text.find("截至") == std::string::npos);
  }
}

TEST_CASE("a template that prints an absent field issues nothing and names the field") {
  LetterFixture f(test::calendar(), D("2026-12-28"));
  auto body = f.templates->shipped_body("receipt");
  REQUIRE(body.ok());
  std::string broken = *body;
  const std::string guarded = broken.substr(broken.find("{{#case.due_on}}"));
  broken.replace(broken.find("{{#case.due_on}}"), guarded.find("{{/case.due_on}}") + 16,
                 "，答复期限截至{{case.due_on}}");
  REQUIRE(f.templates->install("receipt", broken, 2).ok());
  const auto cases = f.store->count("cases"), letters = f.store->count("letters");
  auto r = f.try_reg("2026-12-20");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("答复期限截止日") != std::string::npos);
  CHECK(r.error().message.find("文书未出具") != std::string::npos);
  CHECK(f.store->count("cases") == cases);
  CHECK(f.store->count("letters") == letters);
  // The same template issues when the field has a value.
  CHECK(f.try_reg("2026-06-01").ok());
}

TEST_CASE("templates check: a possibly absent field must be handled; the shipped templates are") {
  for (auto& t : shipped().current())
    CHECK_MESSAGE(letters::lint_template(t.name, t.body).empty(), t.name);
  struct Row {
    const char* body;
    bool clean;
  };
  for (const Row& row :
       {Row{"截至{{case.due_on}}。", false},
        Row{"{{#case.due_on}}截至{{case.due_on}}{{/case.due_on}}", true},
        Row{"截至{{case.due_on}}{{^case.due_on}}（另行告知）{{/case.due_on}}", true},
        Row{"{{#applicant.is_org}}{{case.due_on}}{{/applicant.is_org}}", false},
        Row{"{{case.number}}", true}}) {
    // (no structured binding: clang 14 cannot capture one in doctest's message lambda)
    const std::string body = row.body;
    const bool clean = row.clean;
    auto problems = letters::lint_template("receipt", body);
    CHECK_MESSAGE(problems.empty() == clean, body);
    if (!clean) CHECK(problems.at(0).find("receipt.mustache 第1行") == 0);
  }
}
