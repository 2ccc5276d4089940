#include "domain/letters.h"

#include <map>

#include "domain/codes.h"

namespace ogi {

std::string chinese_date(const Date& d) {
  return std::to_string(static_cast<int>(d.year())) + "年" +
         std::to_string(static_cast<int>(d.month())) + "月" +
         std::to_string(static_cast<int>(d.day())) + "日";
}

std::string_view letter_abbr(std::string_view kind) {
  static constexpr CodeLabel kAbbr[] = {
      {"receipt", "收"},
      {"correction_notice", "补"},
      {"extension_notice", "延"},
      {"consultation_letter", "征"},
      {"third_party_notice", "告"},
      {"fee_notice", "费"},
      {"lapse_notice", "止"},
      {"reply", "复"},
      {"delivery_proof", "送"},
  };
  return label_of(kAbbr, kind);
}

std::string letter_number(std::string pattern, std::string_view prefix, std::string_view kind,
                          int year, long long seq) {
  auto rep = [&](std::string_view key, const std::string& val) {
    for (size_t p = 0; (p = pattern.find(key, p)) != std::string::npos; p += val.size())
      pattern.replace(p, key.size(), val);
  };
  rep("{prefix}", std::string(prefix));
  rep("{kind}", std::string(letter_abbr(kind)));
  rep("{year}", std::to_string(year));
  rep("{seq}", std::to_string(seq));
  return pattern;
}

std::string letter_template(std::string_view kind, const Case& c, size_t event_index) {
  const CaseEvent* ev = event_index < c.events.size() ? &c.events[event_index] : nullptr;
  if (kind == "consultation_letter") {
    const std::string* party = ev ? field_string(ev->fields, "party") : nullptr;
    return party && *party == "agency" ? "consultation_agency" : "consultation_third_party";
  }
  if (kind == "lapse_notice")
    return ev && ev->event == "fee_lapsed" ? "lapse_fee" : "lapse_correction";
  if (kind == "reply")
    return "reply_" + (c.derived.outcome.empty() ? std::string("other") : c.derived.outcome);
  return std::string(kind);
}

std::vector<std::string> shipped_letter_templates() {
  std::vector<std::string> v = {"receipt",
                                "correction_notice",
                                "extension_notice",
                                "consultation_third_party",
                                "consultation_agency",
                                "third_party_notice",
                                "fee_notice",
                                "lapse_correction",
                                "lapse_fee",
                                "delivery_proof",
                                "_reply_opening",
                                "_remedy",
                                "_signature"};
  for (auto& o : decidable_outcomes()) v.push_back("reply_" + std::string(o.code));
  return v;
}

std::string template_kind(std::string_view name) {
  if (name.starts_with("_")) return "";
  if (name.starts_with("reply_")) return "reply";
  if (name.starts_with("consultation_")) return "consultation_letter";
  if (name.starts_with("lapse_")) return "lapse_notice";
  return std::string(name);
}

std::string template_title(std::string_view name) {
  if (name == "_remedy") return "救济途径告知（公用片段）";
  if (name == "_reply_opening") return "答复书开头（公用片段）";
  if (name == "_signature") return "落款（公用片段）";
  if (name.starts_with("_")) return "公用片段";
  const std::string kind = template_kind(name);
  std::string title(label_of(letter_kinds(), kind));
  if (title.empty()) title = "文书";
  if (kind == "reply") {
    const std::string outcome(name.substr(6));
    if (auto* oc = find_outcome(outcome)) return title + "：" + std::string(oc->label);
    // the replies for groups of outcomes (their template serves several)
    if (outcome == "withheld_admin_query") return title + "：行政查询事项";
    return title;
  }
  if (name == "consultation_agency") return title + "（机关）";
  if (name == "consultation_third_party") return title + "（第三方）";
  if (name == "lapse_correction") return title + "（逾期未补正）";
  if (name == "lapse_fee") return title + "（逾期未缴费）";
  return title;
}

const std::set<std::string>& letter_optional_fields() {
  static const std::set<std::string> kOptional = {"agency.reconsideration_body",
                                                  "case.due_on",
                                                  "case.form",
                                                  "case.delivery",
                                                  "agency.contact",
                                                  "applicant.address",
                                                  "extension.old_due",
                                                  "extension.new_due",
                                                  "correction.deadline",
                                                  "consultation.deadline",
                                                  "fee.pay_by",
                                                  "lapse.notice_on",
                                                  "lapse.deadline",
                                                  "lapse.served_on",
                                                  "delivery.tracking",
                                                  "third_party.replied_on",
                                                  "reply.reasons",
                                                  "fee.pages",
                                                  "reply.location",
                                                  "reply.provision",
                                                  "reply.responsible_agency",
                                                  "reply.earlier_reply",
                                                  "reply.competent_authority"};
  return kOptional;
}

std::string letter_field_label(std::string_view field) {
  std::string_view label = label_of(letter_fields(), field);  // workflow/codes.tbl
  return label.empty() ? std::string(field) : std::string(label);
}

const std::vector<std::string>& regulation_quote_keys() {
  static const std::vector<std::string> k = {"art2",    "art14",   "art15",
                                             "art16_1", "art16_2", "art38"};
  return k;
}

FieldDictionary letter_field_dictionary(std::string_view kind) {
  FieldDictionary d;
  d.values = {"agency.name",          "agency.letterhead",
              "agency.contact",       "agency.reconsideration_body",
              "agency.court",         "letter.number",
              "letter.date",          "letter.title",
              "case.number",          "case.received_on",
              "case.channel",         "case.channel_phrase",
              "case.content",         "case.form",
              "case.delivery",        "case.due_on",
              "case.due_provisional", "applicant.name",
              "applicant.type",       "applicant.address",
              "applicant.is_org",     "remedy.reconsideration_first",
              "remedy.either",        "remedy.document",
              "remedy.subject",       "remedy.you"};
  for (auto& k : regulation_quote_keys()) d.values.insert("law." + k);
  auto add = [&](std::initializer_list<const char*> names) {
    d.values.insert(names.begin(), names.end());
  };
  const bool any = kind.empty();
  if (any || kind == "correction_notice") {
    add({"correction.days", "correction.deadline"});
    d.lists.insert("correction.items");
    d.item_fields = {"index", "text"};
  }
  if (any || kind == "extension_notice")
    add({"extension.reason", "extension.old_due", "extension.new_due"});
  if (any || kind == "consultation_letter")
    add({"consultation.name", "consultation.party", "consultation.deadline",
         "consultation.is_third_party", "consultation.is_agency"});
  if (any || kind == "third_party_notice")
    add({"third_party.name", "third_party.replied_on", "reply.outcome", "reply.reasons",
         "reply.basis"});
  if (any || kind == "fee_notice")
    add({"fee.method", "fee.per_page", "fee.pages", "fee.amount", "fee.pay_by"});
  if (any || kind == "lapse_notice")
    add({"lapse.notice_on", "lapse.deadline", "lapse.served_on", "lapse.service_method"});
  if (any || kind == "reply") {
    add({"reply.outcome", "reply.basis", "reply.reasons", "reply.form", "reply.delivery",
         "reply.decided_on", "reply.location", "reply.provision", "reply.responsible_agency",
         "reply.earlier_reply", "reply.competent_authority", "reply.consulted_third_party"});
    d.lists.insert("reply.documents");
    d.item_fields.insert("text");
  }
  if (any || kind == "delivery_proof")
    add({"delivery.method", "delivery.tracking", "delivery.on", "delivery.letter_title",
         "delivery.letter_number"});
  return d;
}

std::string letter_title(const std::string& kind, const std::string& template_name) {
  if (template_name == "consultation_third_party") return "征求第三方意见书";
  if (template_name == "consultation_agency") return "征求意见函";
  return std::string(label_of(letter_kinds(), kind));
}

}  // namespace ogi
