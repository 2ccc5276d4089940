// The lifecycle as Graphviz DOT: the technical graph (`ogi workflow dot`) and the diagram the
// 办理流程 page shows (deploy/diagram.sh lays it out with Graphviz into
// templates/ui/lifecycle.svg; the page checks that the SVG was made from this workflow).
#include <map>
#include <set>
#include <sstream>

#include "workflow/definition.h"

namespace ogi {

namespace {
std::string quoted(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '\\';  // "\n" in a label is Graphviz's line break: kept
    o += c;
  }
  return o + "\"";
}
// For an HTML-like label.
std::string html(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '&')
      o += "&amp;";
    else if (c == '<')
      o += "&lt;";
    else if (c == '>')
      o += "&gt;";
    else
      o += c;
  }
  return o;
}
}  // namespace

std::string Workflow::dot() const {
  std::ostringstream o;
  o << "digraph lifecycle {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Noto Sans "
       "CJK SC\"];\n"
    << "  edge [fontname=\"Noto Sans CJK SC\", fontsize=10];\n";
  for (auto& [stage, label] : stages_) {
    o << "  subgraph \"cluster_" << stage << "\" {\n    label=\"" << label << "\";\n";
    for (auto& s : states_)
      if (s.stage == stage)
        o << "    " << s.key << " [label=\"" << s.label << "\""
          << (s.concluded ? ", peripheries=2" : "") << "];\n";
    o << "  }\n";
  }
  for (auto& t : transitions_) {
    auto* e = event(t.event);
    std::string label = e ? e->label : t.event;
    if (!t.guards.empty()) {
      label += " [";
      for (size_t i = 0; i < t.guards.size(); ++i) label += (i ? "," : "") + t.guards[i];
      label += "]";
    }
    o << "  " << t.from << " -> " << t.to << " [label=\"" << label << "\"];\n";
  }
  o << "}\n";
  return o.str();
}

std::string Workflow::diagram_dot() const {
  auto label_of_event = [this](const std::string& key) {
    auto* e = event(key);
    return e ? e->label : key;
  };
  // An event leading to the same target from four or more states (申请人撤回) is noted once at
  // the target rather than drawn from each.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> sources;  // (event, to)
  for (auto& t : transitions_)
    if (t.from != t.to) sources[{t.event, t.to}].insert(t.from);
  std::map<std::string, std::vector<std::string>> stays, notes;  // state -> event labels
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> edges;
  auto add = [](std::vector<std::string>& v, const std::string& l) {
    for (auto& x : v)
      if (x == l) return;
    v.push_back(l);
  };
  for (auto& t : transitions_) {
    const std::string l = label_of_event(t.event);
    if (t.from == t.to)
      add(stays[t.from], l);
    else if (sources[{t.event, t.to}].size() >= 4)
      add(notes[t.to], l + "（此前各阶段均可）");
    else
      add(edges[{t.from, t.to}], l);
  }
  std::ostringstream o;
  o << "digraph lifecycle {\n"
       "  rankdir=LR; nodesep=0.35; ranksep=0.55; fontname=\"Noto Sans CJK SC\"; fontsize=13;\n"
       "  node [shape=box, style=\"rounded,filled\", fillcolor=white, color=\"#2b6cb0\", "
       "fontname=\"Noto Sans CJK SC\", fontsize=12];\n"
       "  edge [color=\"#4a5568\", fontname=\"Noto Sans CJK SC\", fontsize=10, "
       "fontcolor=\"#2d3748\"];\n";
  for (auto& [stage, label] : stages_) {
    o << "  subgraph \"cluster_" << stage << "\" {\n    label=" << quoted(label)
      << "; style=\"rounded,filled\"; color=\"#d9e0ea\"; fillcolor=\"#f4f6f9\";\n";
    for (auto& s : states_) {
      if (s.stage != stage) continue;
      std::string lines;
      for (auto& l : stays[s.key])
        lines += "<BR/><FONT POINT-SIZE=\"9\" COLOR=\"#718096\">↻ " + html(l) + "</FONT>";
      for (auto& l : notes[s.key])
        lines += "<BR/><FONT POINT-SIZE=\"9\" COLOR=\"#718096\">← " + html(l) + "</FONT>";
      o << "    " << s.key << " [label=<" << html(s.label) << lines << ">"
        << (s.concluded ? ", color=\"#2f855a\", penwidth=2" : "") << "];\n";
    }
    o << "  }\n";
  }
  for (auto& [k, labels] : edges) {
    std::string l;
    for (auto& x : labels) l += (l.empty() ? "" : "\\n") + x;
    o << "  " << k.first << " -> " << k.second << " [label=" << quoted(l) << "];\n";
  }
  o << "}\n";
  return o.str();
}

}  // namespace ogi
