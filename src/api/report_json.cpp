#include "api/report_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <cmath>
#include <sstream>

namespace ogi {

namespace {
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr tables(const AnnualReport& r) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  Object::Ptr t3 = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (auto& row : table3_rows(r.format)) {
    Array::Ptr a = new Array;
    for (long long x : r.table3.at(row.key)) a->add(static_cast<Poco::Int64>(x));
    t3->set(row.key, a);
  }
  o->set("table3", t3);
  Object::Ptr check = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  check->set("holds", r.check_holds);
  Array::Ptr failures = new Array;
  for (auto& f : r.check_failures) failures->add(f);
  check->set("failures", failures);
  o->set("check", check);
  Object::Ptr t4 = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const char* k : {"reconsideration", "litigation", "litigation_after_reconsideration"}) {
    const RemedyCounts& rc = r.table4.at(k);
    Object::Ptr x = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    x->set("upheld", static_cast<Poco::Int64>(rc.upheld));
    x->set("corrected", static_cast<Poco::Int64>(rc.corrected));
    x->set("other", static_cast<Poco::Int64>(rc.other));
    x->set("pending", static_cast<Poco::Int64>(rc.pending));
    x->set("total", static_cast<Poco::Int64>(rc.total));
    t4->set(k, x);
  }
  o->set("table4", t4);
  return o;
}

std::string str(const Object::Ptr& o, bool pretty) {
  std::ostringstream s;
  Poco::JSON::Stringifier::stringify(o, s, pretty ? 1 : 0);
  return s.str();
}

double round3(double x) { return std::round(x * 1000.0) / 1000.0; }
}  // namespace

std::string report_json(const AnnualReportView& v, bool pretty) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("year", v.report.year);
  o->set("format", v.report.format);
  Array::Ptr cols = new Array;
  for (const char* c : {"natural_person", "commercial_enterprise", "research_institution",
                        "social_welfare_org", "legal_service_org", "other_org", "total"})
    cols->add(std::string(c));
  o->set("columns", cols);
  Object::Ptr t = tables(v.report);
  o->set("table3", t->get("table3"));
  o->set("check", t->get("check"));
  o->set("table4", t->get("table4"));
  o->set("title", v.title);
  Array::Ptr agencies = new Array;
  for (auto& a : v.agencies) agencies->add(a);
  o->set("agencies", agencies);
  o->set("narrative", v.narrative);
  Object::Ptr facts = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  facts->set("received", static_cast<Poco::Int64>(v.facts.received));
  Object::Ptr channels = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (auto& [k, n] : v.facts.channels) channels->set(k, static_cast<Poco::Int64>(n));
  facts->set("channels", channels);
  if (v.facts.on_time_rate)
    facts->set("on_time_rate", round3(*v.facts.on_time_rate));
  else
    facts->set("on_time_rate", Poco::Dynamic::Var());
  o->set("narrative_facts", facts);
  Array::Ptr months = new Array;
  for (long long n : v.intake_by_month) months->add(static_cast<Poco::Int64>(n));
  o->set("intake_by_month", months);
  if (v.lock) {
    Object::Ptr l = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    l->set("locked_by", v.lock->locked_by);
    l->set("locked_at", v.lock->locked_at);
    l->set("reason", v.lock->reason);
    o->set("locked", l);
  } else {
    o->set("locked", Poco::Dynamic::Var());
  }
  if (!v.breakdown.empty()) {
    Array::Ptr b = new Array;
    for (auto& [agency, r] : v.breakdown) {
      Object::Ptr x = tables(r);
      x->set("agency", agency.substr(0, agency.find(' ')));
      x->set("name", agency.substr(agency.find(' ') + 1));
      b->add(x);
    }
    o->set("breakdown", b);
  }
  return str(o, pretty);
}

std::string stats_json(const PeriodStats& s) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("from", format_date(s.from));
  o->set("to", format_date(s.to));
  o->set("received", static_cast<Poco::Int64>(s.received));
  Object::Ptr ch = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (auto& [k, n] : s.by_channel) ch->set(k, static_cast<Poco::Int64>(n));
  o->set("by_channel", ch);
  Object::Ptr months = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (auto& [m, chans] : s.by_month_channel) {
    Object::Ptr x = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (auto& [k, n] : chans) x->set(k, static_cast<Poco::Int64>(n));
    months->set(m, x);
  }
  o->set("by_month_channel", months);
  o->set("concluded", static_cast<Poco::Int64>(s.concluded));
  o->set("replies", static_cast<Poco::Int64>(s.replies));
  o->set("on_time", static_cast<Poco::Int64>(s.on_time));
  o->set("on_time_rate",
         s.on_time_rate ? Poco::Dynamic::Var(round3(*s.on_time_rate)) : Poco::Dynamic::Var());
  o->set("avg_working_days",
         s.avg_days ? Poco::Dynamic::Var(round3(*s.avg_days)) : Poco::Dynamic::Var());
  o->set("p90_working_days", s.p90_days ? Poco::Dynamic::Var(*s.p90_days) : Poco::Dynamic::Var());
  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (auto& [k, n] : s.by_outcome) out->set(k, static_cast<Poco::Int64>(n));
  o->set("by_outcome", out);
  Object::Ptr hs = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (auto& [name, h] : s.by_handler) {
    Object::Ptr x = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    x->set("concluded", static_cast<Poco::Int64>(h.concluded));
    x->set("replies", static_cast<Poco::Int64>(h.replies));
    x->set("on_time", static_cast<Poco::Int64>(h.on_time));
    x->set("avg_working_days", round3(h.avg_days));
    hs->set(name, x);
  }
  o->set("by_handler", hs);
  return str(o, false);
}

}  // namespace ogi
