// The one permission policy (app/policy.h) over the shipped data (workflow/lifecycle.wf).
#include "app/policy.h"

#include <doctest/doctest.h>

#include "domain/codes.h"
#include "test_data.h"

using namespace ogi;

namespace {
User user(std::vector<std::string> roles, std::string agency = "A1",
          std::vector<std::string> visible = {"A1"}) {
  User u;
  u.username = "u";
  u.agency = std::move(agency);
  u.roles = std::move(roles);
  u.agencies_visible = std::move(visible);
  return u;
}
}  // namespace

TEST_CASE("policy: every action the program asks about is in the data, once, with known roles") {
  const Workflow& wf = test::workflow();
  REQUIRE(wf.permissions().size() == permission_actions().size());
  for (auto& a : permission_actions()) {
    CAPTURE(a);
    const Permission* p = wf.permission(a);
    REQUIRE(p != nullptr);
    CHECK_FALSE(p->roles.empty());
    CHECK_FALSE(p->label.empty());
    for (auto& r : p->roles) CHECK(is_code(roles(), r));
  }
  // a file without one of them, or naming an unknown action or role, does not load
  std::string text = test::slurp(std::string(OGI_SOURCE_DIR) + "/workflow/lifecycle.wf");
  const size_t at = text.find("permission template.edit");
  REQUIRE(at != std::string::npos);
  text.erase(at, text.find('\n', at) - at);
  auto bad = parse_workflow(text +
                                "permission case.delete roles=admin label=删除\npermission "
                                "user.admin roles=wizard label=x\n",
                            "p.wf");
  REQUIRE_FALSE(bad.ok());
  for (const char* needle :
       {"no permission line for template.edit", "unknown permission 'case.delete'",
        "second permission user.admin", "unknown role 'wizard'"})
    CHECK_MESSAGE(bad.error().message.find(needle) != std::string::npos, needle);
}

TEST_CASE("policy: roles, scope, events and the Chinese refusal") {
  const Workflow& wf = test::workflow();
  const User admin = user({"admin"}), office = user({"office"}), handler = user({"handler"}),
             auditor = user({"auditor"});
  // an administrator manages but does not read case content (personal data)
  CHECK(allows(wf, admin, "user.admin"));
  CHECK_FALSE(allows(wf, admin, "case.read"));
  CHECK(allows(wf, auditor, "case.read"));
  CHECK(allows(wf, office, "template.read"));
  CHECK_FALSE(allows(wf, office, "template.edit"));
  CHECK(allows(wf, handler, "event.decide"));  // an event's roles= is its permission
  CHECK_FALSE(allows(wf, office, "event.decide"));
  auto no = may(wf, office, "template.edit");
  REQUIRE_FALSE(no.ok());
  CHECK(no.error().code == Code::forbidden);
  CHECK(no.error().message == "您的角色无权修改文书模板");
  // scope=visible: only the user's own agency and those it supervises
  const std::string own = "A1", foreign = "B2";
  CHECK(may(wf, handler, "case.read", &own).ok());
  auto far = may(wf, handler, "case.read", &foreign);
  REQUIRE_FALSE(far.ok());
  CHECK(far.error().code == Code::forbidden);
  CHECK(far.error().message.find("不属于您所在的机关或其监督的机关") != std::string::npos);
  // an action without scope is not about an agency
  CHECK(may(wf, admin, "user.admin", &foreign).ok());
  // an action the data does not know is a programming error, never an allowance
  CHECK(may(wf, admin, "case.nuke").error().code == Code::internal);
  CHECK_FALSE(allows(wf, admin, "case.nuke"));
  CHECK(roles_for(wf, "letter.reissue") == std::vector<std::string>{"approver", "office"});
}

TEST_CASE("policy: the generated matrix lists every action and event with its roles") {
  const Workflow& wf = test::workflow();
  const std::string md = permission_matrix_markdown(wf);
  for (auto& a : permission_actions())
    CHECK_MESSAGE(md.find("| `" + a + "` |") != std::string::npos, a);
  for (auto& e : wf.events())
    CHECK_MESSAGE(md.find("| `event." + e.key + "` |") != std::string::npos, e.key);
  // the administrator's cell of case.read is empty, the auditor's ticked
  const size_t row = md.find("| `case.read` |");
  const std::string line = md.substr(row, md.find('\n', row) - row);
  CHECK(line == "| `case.read` | 查看案件 | ✓ | ✓ | ✓ | ✓ |  | ✓ | 本机关及所监督机关 |");
}
