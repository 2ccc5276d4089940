#include "http/svg.h"

#include <map>
#include <set>
#include <sstream>

#include "http/router.h"

namespace ogi::http {

std::string lifecycle_svg(const Workflow& wf) {
  // Layout: one column per stage, states stacked inside; edges between box centres.
  const int colw = 190, boxw = 150, boxh = 40, rowh = 90, top = 50;
  std::map<std::string, std::pair<int, int>> pos;  // state -> centre
  std::map<std::string, int> rows;
  int col = 0, maxrow = 0;
  for (auto& [stage, label] : wf.stages()) {
    int row = 0;
    for (auto& s : wf.states())
      if (s.stage == stage)
        pos[s.key] = {col * colw + colw / 2 + 10, top + row++ * rowh + boxh / 2 + 20};
    maxrow = std::max(maxrow, row);
    ++col;
  }
  int width = col * colw + 20, height = top + maxrow * rowh + 120;
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width << " " << height
    << "\" width=\"" << width << "\" height=\"" << height
    << "\" font-family=\"sans-serif\" font-size=\"12\">"
    << "<defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
       "markerHeight=\"7\" "
       "orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#555\"/></marker></defs>";
  col = 0;
  for (auto& [stage, label] : wf.stages()) {
    o << "<rect x=\"" << col * colw + 15 << "\" y=\"10\" width=\"" << colw - 10 << "\" height=\""
      << height - 20 << "\" fill=\"" << (col % 2 ? "#f6f8fb" : "#eef2f7") << "\" rx=\"6\"/>"
      << "<text x=\"" << col * colw + colw / 2 + 10
      << "\" y=\"32\" text-anchor=\"middle\" font-weight=\"bold\">" << html_escape(label)
      << "</text>";
    ++col;
  }
  // Edges, grouped by (from, to); self-loops listed under the box.
  std::map<std::pair<std::string, std::string>, std::string> edges;
  std::map<std::string, std::set<std::string>> loops;
  for (auto& t : wf.transitions()) {
    auto* e = wf.event(t.event);
    std::string l = e ? e->label : t.event;
    if (t.from == t.to) {
      loops[t.from].insert(l);
      continue;
    }
    auto& s = edges[{t.from, t.to}];
    if (s.find(l) == std::string::npos) s += (s.empty() ? "" : "、") + l;
  }
  for (auto& [k, label] : edges) {
    auto [x1, y1] = pos[k.first];
    auto [x2, y2] = pos[k.second];
    int dx = x2 - x1, dy = y2 - y1;
    // Trim to the box edges.
    double tx = dx ? (boxw / 2.0) / std::abs(dx) : 1e9, ty = dy ? (boxh / 2.0) / std::abs(dy) : 1e9;
    double t = std::min(tx, ty);
    double sx = x1 + dx * t, sy = y1 + dy * t, ex = x2 - dx * t, ey = y2 - dy * t;
    double mx = (sx + ex) / 2 + (dy ? 12 : 0), my = (sy + ey) / 2 - (dx ? 6 : 0);
    o << "<path d=\"M" << sx << "," << sy << " Q" << mx << "," << my << " " << ex << "," << ey
      << "\" fill=\"none\" stroke=\"#555\" marker-end=\"url(#a)\"><title>" << html_escape(label)
      << "</title></path>"
      << "<text x=\"" << mx << "\" y=\"" << my - 3
      << "\" text-anchor=\"middle\" font-size=\"10\" fill=\"#335\">"
      << html_escape(label.size() > 36 ? label.substr(0, label.rfind("、", 33)) + "…" : label)
      << "</text>";
  }
  for (auto& s : wf.states()) {
    auto [x, y] = pos[s.key];
    o << "<g><rect x=\"" << x - boxw / 2 << "\" y=\"" << y - boxh / 2 << "\" width=\"" << boxw
      << "\" height=\"" << boxh << "\" rx=\"8\" fill=\"#fff\" stroke=\""
      << (s.concluded ? "#2a7" : "#36c") << "\" stroke-width=\"" << (s.concluded ? 2.5 : 1.5)
      << "\"/><text x=\"" << x << "\" y=\"" << y + 4 << "\" text-anchor=\"middle\">"
      << html_escape(s.label) << "</text>";
    int ly = y + boxh / 2 + 13;
    for (auto& l : loops[s.key]) {
      o << "<text x=\"" << x << "\" y=\"" << ly
        << "\" text-anchor=\"middle\" font-size=\"10\" fill=\"#777\">↻ " << html_escape(l)
        << "</text>";
      ly += 12;
    }
    o << "</g>";
  }
  o << "</svg>";
  return o.str();
}

std::string timeline_svg(const CaseView& v, const Calendar& cal, const Date& today) {
  const Case& c = v.c;
  Date start = c.received_on;
  Date end = v.clock.due_on ? *v.clock.due_on : today;
  if (c.derived.concluded_on && *c.derived.concluded_on > end) end = *c.derived.concluded_on;
  if (today > end) end = today;
  long span = std::max<long>(1, (end - start).days() + 2);
  const int width = 760, left = 10, bar = 40, h = 92;
  auto x = [&](const Date& d) {
    return left + static_cast<double>((d - start).days()) * (width - 2 * left) / span;
  };
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width << " " << h
    << "\" class=\"timeline\" "
    << "font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"办理时间轴\">";
  o << "<rect x=\"" << left << "\" y=\"" << bar - 8 << "\" width=\"" << width - 2 * left
    << "\" height=\"16\" fill=\"#e8eef6\"/>";
  // Non-working days as light stripes (only for short spans, to stay readable).
  if (span <= 120)
    for (Date d = start; d <= end; d += boost::gregorian::days(1))
      if (cal.covers(d) && !*cal.is_workday(d))
        o << "<rect x=\"" << x(d) << "\" y=\"" << bar - 8 << "\" width=\""
          << std::max(1.0, x(d + boost::gregorian::days(1)) - x(d))
          << "\" height=\"16\" fill=\"#d5dbe3\"/>";
  auto band = [&](const Date& a, const Date& b, const char* color, const std::string& title) {
    o << "<rect x=\"" << x(a) << "\" y=\"" << bar - 8 << "\" width=\"" << std::max(2.0, x(b) - x(a))
      << "\" height=\"16\" fill=\"" << color << "\" opacity=\"0.8\"><title>" << html_escape(title)
      << "</title></rect>";
  };
  for (auto& k : c.derived.consultations) {
    Date to = k.replied_on ? *k.replied_on : today;
    band(k.sent_on, to, "#f0b429", "征求意见 " + k.name);
  }
  if (c.derived.fee_notice_on)
    band(*c.derived.fee_notice_on, c.derived.fee_paid_on ? *c.derived.fee_paid_on : today,
         "#9f7aea", "缴费期间");
  if (c.derived.correction_requested_on)
    band(*c.derived.correction_requested_on,
         c.derived.correction_received_on ? *c.derived.correction_received_on : today, "#a0aec0",
         "等待补正");
  auto mark = [&](const Date& d, const char* color, const std::string& label, int dy) {
    o << "<line x1=\"" << x(d) << "\" x2=\"" << x(d) << "\" y1=\"" << bar - 14 << "\" y2=\""
      << bar + 14 << "\" stroke=\"" << color << "\" stroke-width=\"2\"/><text x=\"" << x(d)
      << "\" y=\"" << bar + dy << "\" text-anchor=\""
      << (x(d) < 90           ? "start"
          : x(d) > width - 90 ? "end"
                              : "middle")
      << "\" fill=\"" << color << "\">" << html_escape(label) << "</text>";
  };
  mark(start, "#2b6cb0", "收到 " + format_date(start), -18);
  if (c.derived.extended_on) mark(*c.derived.extended_on, "#805ad5", "延期", 30);
  if (v.clock.due_on)
    mark(*v.clock.due_on, v.clock.overdue ? "#c53030" : "#2f855a",
         "到期 " + format_date(*v.clock.due_on), 30);
  if (c.derived.concluded_on)  // below the bar when it would sit on the receipt label
    mark(*c.derived.concluded_on, "#2f855a", "办结",
         x(*c.derived.concluded_on) - x(start) < 110 ? 44 : -18);
  else
    mark(today, "#1a202c", "今天", 44);
  o << "</svg>";
  return o.str();
}

}  // namespace ogi::http
