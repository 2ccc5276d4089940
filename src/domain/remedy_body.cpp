#include "domain/remedy_body.h"

namespace ogi {

namespace {

bool is_government(const std::optional<AgencyFacts>& p) { return p && p->kind == "government"; }

}  // namespace

BodyChoice reconsideration_body(const AgencyFacts& a, const std::optional<AgencyFacts>& parent,
                                const std::string& set) {
  if (!set.empty()) return {set, "set", ""};
  auto derived = [](const std::string& body) { return BodyChoice{body, "derived", ""}; };
  auto unknown = [](std::string why) { return BodyChoice{"", "", std::move(why)}; };
  if (a.kind.empty())
    return unknown("尚未设置机关类别和行政复议机关：答复书的救济告知将不写明复议机关，请设置");
  if (a.kind == "state_council_department")  // Art 25: the department itself
    return derived(a.name);
  if (a.kind == "department" || a.kind == "dispatched") {  // Art 24 (一), (三)
    if (is_government(parent)) return derived(parent->name);
    return unknown("本机关的上级机关不是人民政府，无法推定本级人民政府：请直接填写行政复议机关");
  }
  if (a.kind == "government") {  // Art 24 (二): the next-higher 人民政府
    if (is_government(parent)) return derived(parent->name);
    return unknown("未设置上一级人民政府：请填写行政复议机关（上一级人民政府的名称）");
  }
  if (a.kind == "vertical") {  // Art 27: the 上一级主管部门
    if (parent) return derived(parent->name);
    return unknown("实行垂直领导的机关向上一级主管部门申请复议：请填写上一级主管部门的名称");
  }
  return unknown("该类别的机关无法推定行政复议机关：请直接填写");
}

}  // namespace ogi
