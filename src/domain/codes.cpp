#include "domain/codes.h"

namespace ogi {

namespace {
constexpr CodeLabel kApplicantTypes[] = {
    {"natural_person", "自然人"},          {"commercial_enterprise", "商业企业"},
    {"research_institution", "科研机构"},  {"social_welfare_org", "社会公益组织"},
    {"legal_service_org", "法律服务机构"}, {"other_org", "其他"},
};
constexpr CodeLabel kChannels[] = {
    {"in_person", "当面提交"}, {"post", "邮寄"},      {"ordinary_post", "平常信函"},
    {"online", "网络平台"},    {"email", "电子邮件"}, {"fax", "传真"},
};
constexpr CodeLabel kRoles[] = {
    {"registrar", "登记员"}, {"handler", "承办人"},   {"approver", "公开办负责人"},
    {"office", "公开办"},    {"admin", "系统管理员"}, {"auditor", "监督员"},
};
constexpr CodeLabel kIdTypes[] = {
    {"resident_id", "居民身份证"},
    {"passport", "护照"},
    {"hk_macao_pass", "港澳居民来往内地通行证"},
    {"taiwan_pass", "台湾居民来往大陆通行证"},
    {"foreign_permanent_id", "外国人永久居留身份证"},
    {"other", "其他证件"},
};
constexpr CodeLabel kForms[] = {
    {"paper", "纸质"},
    {"electronic", "电子"},
    {"view", "当场查阅"},
    {"copy_by_hand", "摘抄"},
};
constexpr CodeLabel kDeliveryWanted[] = {
    {"post", "邮寄"},       {"collect", "自行领取"}, {"email", "电子邮件"},
    {"online", "网络平台"}, {"fax", "传真"},
};
constexpr CodeLabel kDeliveryMethods[] = {
    {"post", "邮寄", "交邮之日"},
    {"direct", "直接送达", "签收之日"},
    {"electronic", "电子送达", "发送之日"},
};
// Service of a notice that starts the recipient's period (domain.md §6 "Served"): the date each
// method counts from (国办公开办函〔2016〕235号).
constexpr CodeLabel kServiceMethods[] = {
    {"direct", "当面送达", "交付之日"},
    {"post", "邮寄送达", "签收之日"},
    {"electronic", "电子送达", "进入对方系统之日"},
};
constexpr CodeLabel kServedNotices[] = {
    {"correction_notice", "补正告知书"},
    {"fee_notice", "信息处理费收费通知书"},
    {"consultation_letter", "征求意见书（函）"},
};
// What an agency is, for its reconsideration body (行政复议法 2023, Arts 24–27).
constexpr CodeLabel kAgencyKinds[] = {
    {"department", "县级以上地方人民政府工作部门"},
    {"government", "地方人民政府"},
    {"dispatched", "人民政府派出机关（街道办事处等）"},
    {"vertical", "实行垂直领导的机关（海关、金融、外汇管理、税务、国家安全等）"},
    {"state_council_department", "国务院部门"},
    {"other", "其他"},
};
constexpr CodeLabel kParties[] = {{"third_party", "第三方"}, {"agency", "协作机关"}};
constexpr CodeLabel kOpinions[] = {
    {"agree", "同意公开"}, {"object", "不同意公开"}, {"none", "未提出意见"}};
constexpr CodeLabel kRemedyKinds[] = {
    {"reconsideration", "行政复议"},
    {"litigation", "行政诉讼（未经复议直接起诉）"},
    {"litigation_after_reconsideration", "行政诉讼（复议后起诉）"},
};
constexpr CodeLabel kRemedyResults[] = {
    {"upheld", "结果维持"}, {"corrected", "结果纠正"}, {"other", "其他结果"}};

constexpr OutcomeInfo kOutcomes[] = {
    {"already_public", "已主动公开", "第三十六条第一项", "3.1"},
    {"disclosed", "予以公开", "第三十六条第二项", "3.1"},
    {"partially_disclosed", "部分公开", "第三十七条", "3.2"},
    {"withheld_state_secret", "属于国家秘密", "第十四条、第三十六条第三项", "3.3.1"},
    {"withheld_law_prohibited", "其他法律行政法规禁止公开", "第十四条、第三十六条第三项", "3.3.2"},
    {"withheld_security_stability", "危及“三安全一稳定”", "第十四条、第三十六条第三项", "3.3.3"},
    {"withheld_third_party", "保护第三方合法权益", "第十五条、第三十二条、第三十六条第三项",
     "3.3.4"},
    {"withheld_internal_affairs", "属于三类内部事务信息", "第十六条第一款", "3.3.5"},
    {"withheld_process_info", "属于四类过程性信息", "第十六条第二款", "3.3.6"},
    {"withheld_enforcement_file", "属于行政执法案卷", "第十六条第二款", "3.3.7"},
    {"withheld_admin_query", "属于行政查询事项", "第三十六条第七项", "3.3.8"},
    {"not_held", "本机关不掌握相关政府信息", "第三十六条第四项", "3.4.1"},
    {"not_responsible", "不属于本机关负责公开", "第三十六条第五项", "3.4.1"},
    {"needs_creation", "需要另行制作或加工分析", "第三十八条", "3.4.2"},
    {"still_unclear", "补正后申请内容仍不明确", "第三十条", "3.4.3"},
    {"petition", "信访举报投诉类申请", "第三十九条第一款", "3.5.1"},
    {"duplicate", "重复申请", "第三十六条第六项", "3.5.2"},
    {"publication", "要求提供公开出版物", "第三十九条第二款", "3.5.3"},
    {"excessive", "无正当理由大量反复申请", "第三十五条", "3.5.4"},
    {"confirm_or_reissue", "要求行政机关确认或重新出具已获取信息", "", "3.5.5"},
    {"no_correction", "申请人无正当理由逾期不补正", "第三十条", "3.6.1"},
    {"fee_unpaid", "申请人逾期未按收费通知要求缴纳费用", "第四十二条", "3.6.2"},
    {"withdrawn", "申请人撤回申请", "", "3.6.3"},
    {"other", "其他", "", "3.6.3"},
};
}  // namespace

std::span<const CodeLabel> applicant_types() { return kApplicantTypes; }
std::span<const CodeLabel> channels() { return kChannels; }
std::span<const CodeLabel> roles() { return kRoles; }
std::span<const CodeLabel> id_types() { return kIdTypes; }
std::span<const CodeLabel> forms() { return kForms; }
std::span<const CodeLabel> delivery_wanted() { return kDeliveryWanted; }
std::span<const CodeLabel> delivery_methods() { return kDeliveryMethods; }
std::span<const CodeLabel> parties() { return kParties; }
std::span<const CodeLabel> agency_kinds() { return kAgencyKinds; }
std::span<const CodeLabel> service_methods() { return kServiceMethods; }
std::span<const CodeLabel> served_notices() { return kServedNotices; }
std::span<const CodeLabel> opinions() { return kOpinions; }
std::span<const CodeLabel> remedy_kinds() { return kRemedyKinds; }
std::span<const CodeLabel> remedy_results() { return kRemedyResults; }
std::span<const OutcomeInfo> outcomes() { return kOutcomes; }

const OutcomeInfo* find_outcome(std::string_view code) {
  for (auto& o : kOutcomes)
    if (o.code == code) return &o;
  return nullptr;
}

std::string_view label_of(std::span<const CodeLabel> table, std::string_view code) {
  for (auto& c : table)
    if (c.code == code) return c.label;
  return {};
}

bool is_code(std::span<const CodeLabel> table, std::string_view code) {
  for (auto& c : table)
    if (c.code == code) return true;
  return false;
}

std::string list_codes(std::span<const CodeLabel> table) {
  std::string s;
  for (auto& c : table) s += (s.empty() ? "" : ", ") + std::string(c.code);
  return s;
}

bool is_organisation(std::string_view t) { return t != "natural_person"; }

}  // namespace ogi

namespace ogi {
namespace {
constexpr CodeLabel kFeeMethods[] = {{"per_application", "按件计收"}, {"per_page", "按量计收"}};
constexpr CodeLabel kAuditActions[] = {
    {"login", "登录"},
    {"logout", "退出登录"},
    {"login.failed", "登录失败"},
    {"case.register", "登记申请"},
    {"case.event", "办理事项"},
    {"case.export", "导出案件列表"},
    {"case.read", "查看案件"},
    {"letter.read", "查看文书"},
    {"attachment.read", "下载附件"},
    {"attachment.add", "上传附件"},
    {"letter.reissue", "更正重发文书"},
    {"template.save", "修改文书模板"},
    {"user.add", "新增用户"},
    {"user.update", "修改用户"},
    {"agency.add", "新增机关"},
    {"agency.update", "修改机关设置"},
    {"calendar.add", "导入节假日安排"},
    {"calendar.replace", "更正节假日安排"},
    {"import.cases", "导入历史台账"},
    {"period.lock", "锁定年度报告"},
    {"period.unlock", "解锁年度报告"},
};
constexpr CodeLabel kLetterKinds[] = {
    {"receipt", "申请接收回执"},
    {"correction_notice", "补正告知书"},
    {"extension_notice", "延期答复告知书"},
    {"consultation_letter", "征求意见函"},
    {"fee_notice", "信息处理费收费通知书"},
    {"lapse_notice", "视为放弃申请告知书"},
    {"reply", "政府信息公开申请答复书"},
    {"delivery_proof", "送达回证"},
    {"third_party_notice", "决定公开告知书（第三方）"},
};
std::vector<CodeLabel> make_decidable() {
  std::vector<CodeLabel> v;
  for (auto& o : outcomes())
    if (o.code != "no_correction" && o.code != "fee_unpaid" && o.code != "withdrawn")
      v.push_back({o.code, o.label});
  return v;
}
}  // namespace

std::span<const CodeLabel> fee_methods() { return kFeeMethods; }
std::span<const CodeLabel> letter_kinds() { return kLetterKinds; }
std::span<const CodeLabel> audit_actions() { return kAuditActions; }
std::span<const CodeLabel> decidable_outcomes() {
  static const std::vector<CodeLabel> v = make_decidable();
  return v;
}

std::span<const CodeLabel> code_table(std::string_view name) {
  struct Named {
    std::string_view name;
    std::span<const CodeLabel> (*get)();
  };
  static const Named kTables[] = {
      {"applicant_types", applicant_types},
      {"channels", channels},
      {"roles", roles},
      {"id_types", id_types},
      {"forms", forms},
      {"delivery_wanted", delivery_wanted},
      {"delivery_methods", delivery_methods},
      {"parties", parties},
      {"service_methods", service_methods},
      {"agency_kinds", agency_kinds},
      {"served_notices", served_notices},
      {"opinions", opinions},
      {"remedy_kinds", remedy_kinds},
      {"remedy_results", remedy_results},
      {"fee_methods", fee_methods},
      {"decidable_outcomes", decidable_outcomes},
      {"letter_kinds", letter_kinds},
  };
  for (auto& t : kTables)
    if (t.name == name) return t.get();
  return {};
}
}  // namespace ogi
