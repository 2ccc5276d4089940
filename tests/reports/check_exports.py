#!/usr/bin/env python3
"""Checks the annual-report exports of one year against the scenario's `expect` (domain.md §5).

Usage: check_exports.py DIR YEAR SCENARIO.json

DIR holds what reports_export_test.sh wrote for YEAR:
  json/YEAR.json  csv/YEAR.csv  html/YEAR.html  conv/YEAR_xlsx.xlsx  conv/YEAR_docx.docx
  pdf/YEAR_xlsx.pdf  pdf/YEAR_docx.pdf   (LibreOffice's conversions of the two)

Prints one "ok - ..." or "not ok - ..." line per check (details on "#   " lines after a failure).
The row labels are those of the official formats (国办公开办函〔2019〕60号 / 〔2021〕30号), written
out here, not taken from the program.
"""
import csv
import io
import json
import re
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

DIR, YEAR, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3]

# ---------------------------------------------------------------------------------------------
# The official table 3 (keys of contract.md "Report")

ROWS_COMMON = [
    ("1", "一、本年新收政府信息公开申请数量"),
    ("2", "二、上年结转政府信息公开申请数量"),
    ("3.1", "（一）予以公开"),
    ("3.2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("3.3.1", "1.属于国家秘密"),
    ("3.3.2", "2.其他法律行政法规禁止公开"),
    ("3.3.3", "3.危及“三安全一稳定”"),
    ("3.3.4", "4.保护第三方合法权益"),
    ("3.3.5", "5.属于三类内部事务信息"),
    ("3.3.6", "6.属于四类过程性信息"),
    ("3.3.7", "7.属于行政执法案卷"),
    ("3.3.8", "8.属于行政查询事项"),
    ("3.4.1", "1.本机关不掌握相关政府信息"),
    ("3.4.2", "2.没有现成信息需要另行制作"),
    ("3.4.3", "3.补正后申请内容仍不明确"),
    ("3.5.1", "1.信访举报投诉类申请"),
    ("3.5.2", "2.重复申请"),
    ("3.5.3", "3.要求提供公开出版物"),
    ("3.5.4", "4.无正当理由大量反复申请"),
    ("3.5.5", "5.要求行政机关确认或重新出具已获取信息"),
]
ROWS_2019_OTHER = [("3.6", "（六）其他处理")]
ROWS_2021_OTHER = [
    ("3.6.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("3.6.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("3.6.3", "3.其他"),
]
ROWS_END = [("3.7", "（七）总计"), ("4", "四、结转下年度继续办理")]
GROUPS = ["三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理"]
CHECK_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
CHECK_HOLDS = "第一项加第二项之和等于第三项加第四项之和"
T4_KINDS = ["reconsideration", "litigation", "litigation_after_reconsideration"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]
T4_HEADINGS = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
FEE_ROW_WORDS = "申请人逾期未按收费通知要求缴纳费用"

with open(SCENARIO, encoding="utf-8") as f:
    scenario = json.load(f)
expect = scenario["expect"][YEAR]
fmt = expect["format"]
rows = ROWS_COMMON + (ROWS_2019_OTHER if fmt == "2019" else ROWS_2021_OTHER) + ROWS_END
labels = dict(rows)
keys = [k for k, _ in rows]
group_labels = GROUPS + ([] if fmt == "2019" else ["（六）其他处理"])
t4_figures = [expect["table4"][k][c] for k in T4_KINDS for c in T4_COLS]


def ok(name):
    print(f"ok - {YEAR}: {name}")


def notok(name, *details):
    print(f"not ok - {YEAR}: {name}")
    for d in details:
        for line in str(d).splitlines() or [""]:
            print(f"#   {line}")


def check(name, cond, *details):
    (ok if cond else notok)(name, *([] if cond else details))


def read(path, mode="r"):
    try:
        with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            return f.read()
    except OSError:
        return None


# ---------------------------------------------------------------------------------------------
# JSON: equals expect

report = None
text = read(f"{DIR}/json/{YEAR}.json")
try:
    report = json.loads(text) if text else None
except ValueError as e:
    notok("--format json parses", e)
if report is not None:
    check(f"json: format {fmt}", report.get("format") == fmt, f"got {report.get('format')!r}")
    got3 = report.get("table3", {})
    diff = [f"{k}: got {got3.get(k)}, expected {v}" for k, v in expect["table3"].items() if got3.get(k) != v]
    diff += [f"{k}: not expected (got {v})" for k, v in got3.items() if k not in expect["table3"]]
    check(f"json: table3 equals expect ({len(expect['table3'])} rows)", not diff, *diff)
    got4 = report.get("table4", {})
    diff = [f"{k}: got {got4.get(k)}, expected {v}" for k, v in expect["table4"].items() if got4.get(k) != v]
    check("json: table4 equals expect", not diff and set(got4) == set(expect["table4"]), *diff, f"keys {sorted(got4)}")
    check("json: check.holds is true", report.get("check", {}).get("holds") is True, report.get("check"))
    if "narrative_facts" in expect:
        check("json: narrative_facts equal expect", report.get("narrative_facts") == expect["narrative_facts"],
              f"got {report.get('narrative_facts')}", f"expected {expect['narrative_facts']}")
narrative = (report or {}).get("narrative", "")
title = (report or {}).get("title", "")

# ---------------------------------------------------------------------------------------------
# CSV: every row key of the format, in order, with its label and figures

text = read(f"{DIR}/csv/{YEAR}.csv")
if text is None:
    notok("csv written")
else:
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    t3 = [l for l in lines if l and l[0] == "table3"]
    got_keys = [l[1] for l in t3]
    check(f"csv: table3 has exactly the {len(keys)} row keys of format {fmt}, in order", got_keys == keys,
          f"got      {got_keys}", f"expected {keys}")
    bad = [f"{l[1]}: {l[2:]}" for l in t3
           if l[1] in labels and (l[2] != labels[l[1]] or [int(x) for x in l[3:10]] != expect["table3"][l[1]])]
    check("csv: every table3 row has the official label and the expected figures", not bad and t3, *bad)
    t4 = {l[1]: l[3:8] for l in lines if l and l[0] == "table4"}
    got = [int(x) for k in T4_KINDS for x in t4.get(k, [])]
    check("csv: table4 rows (reconsideration, litigation, litigation_after_reconsideration) with the expected figures",
          got == t4_figures, f"got {t4}", f"expected {t4_figures}")
    check("csv: the check line says it holds", ["check", "holds", "true"] == [x for x in (lines[-1] if lines else [])][:3],
          f"last line {lines[-1] if lines else None}")


# ---------------------------------------------------------------------------------------------
# HTML: the merged header, the rows in order with their figures, the check, table 4, narrative

class Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.text = [], None, []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"class": dict(attrs).get("class", ""), "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td") and self.tables:
            self.cell = {"tag": tag, "attrs": dict(attrs), "text": ""}
            self.tables[-1]["rows"][-1].append(self.cell)

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None:
            self.cell["text"] += data


text = read(f"{DIR}/html/{YEAR}.html")
if text is None:
    notok("html written")
else:
    p = Tables()
    p.feed(text)
    t3 = next((t for t in p.tables if "t3" in t["class"].split()), None)
    t4 = next((t for t in p.tables if "t4" in t["class"].split()), None)
    if t3 is None:
        notok("html: table 3 (table.t3)")
    else:
        first = t3["rows"][0][0] if t3["rows"] and t3["rows"][0] else {"attrs": {}, "text": ""}
        check("html: table 3's top-left header cell spans 3 rows and 3 columns and holds the check note",
              first["attrs"].get("rowspan") == "3" and first["attrs"].get("colspan") == "3"
              and first["text"].strip() == CHECK_NOTE, f"got {first}")
        heads = {c["text"].strip(): c["attrs"] for r in t3["rows"][:3] for c in r}
        check("html: 申请人情况 spans 7 columns, 法人或其他组织 5",
              heads.get("申请人情况", {}).get("colspan") == "7" and heads.get("法人或其他组织", {}).get("colspan") == "5",
              f"header cells {heads}")
        body = [r for r in t3["rows"] if sum(c["tag"] == "td" for c in r) == 7]
        got = [([c["text"].strip() for c in r if c["tag"] == "th"] or [""])[-1:] + [c["text"].strip() for c in r if c["tag"] == "td"]
               for r in body]
        want = [[labels[k]] + [str(x) for x in expect["table3"][k]] for k in keys]
        diff = [f"row {i + 1}: got {g}, expected {w}" for i, (g, w) in enumerate(zip(got, want)) if g != w]
        check(f"html: table 3 has the {len(keys)} rows of format {fmt} in order, labelled, with the expected figures",
              len(got) == len(want) and not diff, f"{len(got)} figure rows, expected {len(want)}", *diff[:8])
        all_text = "".join(c["text"] for r in t3["rows"] for c in r)
        missing = [g for g in group_labels if g not in all_text]
        check("html: table 3 has the group labels", not missing, f"missing {missing}")
    if t4 is None:
        notok("html: table 4 (table.t4)")
    else:
        heads = "".join(c["text"] for r in t4["rows"] for c in r if c["tag"] == "th")
        figs = [int(c["text"]) for r in t4["rows"] for c in r if c["tag"] == "td"]
        check("html: table 4 has its headings and the expected figures",
              all(x in heads for x in T4_HEADINGS) and figs == t4_figures, f"figures {figs}, expected {t4_figures}",
              f"headings {heads}")
    page = "".join(p.text)
    check("html: states that the check holds", CHECK_HOLDS in page and "不成立" not in page)
    check("html: has the narrative", bool(narrative) and narrative in page, f"narrative {narrative[:80]}")

# ---------------------------------------------------------------------------------------------
# XLSX: merged cells; the note merged over the top-left 3×3; the rows and figures of both tables

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def row_index(ref):
    return int(re.search(r"\d+", ref).group(0)) - 1


def sheet_cells(z, path, strings):
    """{(row, col): value} of one worksheet, and its merge ranges [(r0, c0, r1, c1)]."""
    root = ET.fromstring(z.read(path))
    cells = {}
    for c in root.iter(f"{{{NS['m']}}}c"):
        v = c.find("m:v", NS)
        t = c.get("t")
        if t == "s" and v is not None:
            val = strings[int(v.text)]
        elif t == "inlineStr":
            val = "".join(x.text or "" for x in c.iter(f"{{{NS['m']}}}t"))
        elif v is not None:
            val = float(v.text)
        else:
            continue
        cells[(row_index(c.get("r")), col_index(c.get("r")))] = val
    merges = []
    for m in root.iter(f"{{{NS['m']}}}mergeCell"):
        a, b = m.get("ref").split(":")
        merges.append((row_index(a), col_index(a), row_index(b), col_index(b)))
    return cells, merges


xlsx = f"{DIR}/conv/{YEAR}_xlsx.xlsx"
try:
    z = zipfile.ZipFile(xlsx)
    sheet1 = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    count = re.search(r'<mergeCells count="(\d+)"', sheet1)
    refs = re.findall(r'<mergeCell ref="[A-Z]+\d+:[A-Z]+\d+"', sheet1)
    check("xlsx: sheet1.xml has <mergeCell ref=...> elements, count > 5",
          count is not None and int(count.group(1)) > 5 and len(refs) == int(count.group(1)),
          f"mergeCells count {count.group(1) if count else None}, {len(refs)} mergeCell refs")
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(x.text or "" for x in si.iter(f"{{{NS['m']}}}t")))
    cells, merges = sheet_cells(z, "xl/worksheets/sheet1.xml", strings)
    note_at = [rc for rc, v in cells.items() if v == CHECK_NOTE]
    spans = [m for m in merges if note_at and (m[0], m[1]) == note_at[0]]
    check("xlsx: the check note is the top-left header cell, merged over 3 rows × 3 columns",
          len(note_at) == 1 and note_at[0][1] == 0 and len(spans) == 1
          and spans[0][2] - spans[0][0] == 2 and spans[0][3] - spans[0][1] == 2,
          f"note at {note_at}, merges there {spans}")
    # each figure row: the rightmost label of columns A–C and the numbers of D–J
    got = []
    for r in sorted({r for r, _ in cells}):
        nums = [cells.get((r, c)) for c in range(3, 10)]
        if all(isinstance(x, float) for x in nums):
            label = next((cells[(r, c)] for c in (2, 1, 0) if isinstance(cells.get((r, c)), str)), "")
            got.append([label] + [int(x) for x in nums])
    want = [[labels[k]] + expect["table3"][k] for k in keys]
    diff = [f"row {i + 1}: got {g}, expected {w}" for i, (g, w) in enumerate(zip(got, want)) if g != w]
    check(f"xlsx: table 3 has the {len(keys)} rows of format {fmt} in order, labelled, with the expected figures (as numbers)",
          len(got) == len(want) and not diff, f"{len(got)} figure rows, expected {len(want)}", *diff[:8])
    sheet_names = [s.get("name") for s in ET.fromstring(z.read("xl/workbook.xml")).iter(f"{{{NS['m']}}}sheet")]
    if len(sheet_names) < 2:
        notok("xlsx: a second sheet with table 4", f"sheets {sheet_names}")
    else:
        c4, m4 = sheet_cells(z, "xl/worksheets/sheet2.xml", strings)
        heads = "".join(v for v in c4.values() if isinstance(v, str))
        figs = [int(c4[k]) for k in sorted(c4) if isinstance(c4[k], float)]
        check("xlsx: the table-4 sheet has its headings, merged, and the expected figures",
              all(x in heads for x in T4_HEADINGS) and figs == t4_figures and len(m4) >= 5,
              f"figures {figs}, expected {t4_figures}", f"{len(m4)} merges", f"sheets {sheet_names}")
except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError) as e:
    notok("xlsx: a readable workbook with xl/worksheets/sheet1.xml", e)

# ---------------------------------------------------------------------------------------------
# DOCX: merged cells (gridSpan and vMerge) in the package

try:
    doc = zipfile.ZipFile(f"{DIR}/conv/{YEAR}_docx.docx").read("word/document.xml").decode("utf-8")
    spans, restarts, tables = doc.count("<w:gridSpan "), doc.count('<w:vMerge w:val="restart"/>'), doc.count("<w:tbl>")
    check("docx: two tables, cells merged across columns (w:gridSpan) and rows (w:vMerge)",
          spans > 5 and restarts > 3 and tables == 2, f"gridSpan {spans}, vMerge restart {restarts}, tables {tables}")
except (OSError, KeyError, zipfile.BadZipFile) as e:
    notok("docx: a readable package with word/document.xml", e)

# ---------------------------------------------------------------------------------------------
# The PDFs LibreOffice made of the XLSX and the DOCX


def norm(s):
    # No whitespace (pdftotext breaks Chinese lines and spaces digits) and none of 　。，、, which
    # LibreOffice hangs in the margin at a line end and may not print.
    return re.sub(r"[\s　。，、]", "", s)


for kind in ("xlsx", "docx"):
    pdf = f"{DIR}/pdf/{YEAR}_{kind}.pdf"
    data = read(pdf, "rb")
    if not data or not data.startswith(b"%PDF"):
        notok(f"{kind}→pdf: a non-empty PDF", f"{pdf}: {'missing' if data is None else f'{len(data)} bytes'}")
        continue
    ok(f"{kind}→pdf: a non-empty PDF ({len(data)} bytes)")
    r = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True)
    if r.returncode != 0:
        notok(f"{kind}→pdf: pdftotext", r.stderr)
        continue
    # without the page-number lines "— 1 —" of the DOCX footer
    raw = "\n".join(l for l in r.stdout.split("\n") if not re.fullmatch(r"\s*—\s*\d+\s*—\s*", l))
    t = norm(raw)
    # the rows of （六） are the next check's
    missing = [l for k, l in rows if not k.startswith("3.6") and norm(l) not in t] + [g for g in GROUPS if norm(g) not in t]
    check(f"{kind}→pdf: the row labels (but （六）'s) and the group labels, as printed", not missing,
          *[f"missing: {m}" for m in missing], "pdftotext -raw (first 40 lines):", *raw.split("\n")[:40])
    if fmt == "2019":
        check(f"{kind}→pdf: 2019 format: the single row （六）其他处理, no fee-lapse row",
              norm("（六）其他处理") in t and norm(FEE_ROW_WORDS) not in t and norm("3.其他") not in t)
    else:
        missing = [l for l in ["（六）其他处理"] + [l for _, l in ROWS_2021_OTHER] if norm(l) not in t]
        check(f"{kind}→pdf: 2021 format: the group （六）其他处理 and its three sub-rows", not missing,
              *[f"missing: {m}" for m in missing], "pdftotext -raw around it:",
              *raw[raw.find("5.要求行政机关"):][:400].split("\n"))
    check(f"{kind}→pdf: the check note (勾稽关系) and that the check holds",
          norm(CHECK_NOTE) in t and norm(CHECK_HOLDS) in t and "不成立" not in t)
    row1 = norm(labels["1"]) + "".join(str(x) for x in expect["table3"]["1"])
    check(f"{kind}→pdf: row 一 reads its label then its seven figures {expect['table3']['1']}", row1 in t,
          "around the label: " + t[max(0, t.find(norm(labels['1']))):][:120])
    check(f"{kind}→pdf: row （七）总计 reads its label then {expect['table3']['3.7']}",
          norm(labels["3.7"]) + "".join(str(x) for x in expect["table3"]["3.7"]) in t,
          "around the label: " + t[max(0, t.find(norm(labels['3.7']))):][:120])
    missing = [x for x in T4_HEADINGS if x not in t]
    check(f"{kind}→pdf: table-4 headings 行政复议 行政诉讼 未经复议直接起诉 复议后起诉 … 尚未审结", not missing, f"missing {missing}")
    check(f"{kind}→pdf: table 4's fifteen figures in one row {t4_figures}", "".join(map(str, t4_figures)) in t,
          "text after 复议后起诉: " + t[t.find("复议后起诉"):][:160])
    check(f"{kind}→pdf: the title {title} {YEAR}年度…年度报告",
          bool(title) and norm(f"{title}{YEAR}年度政府信息公开工作年度报告") in t)
    check(f"{kind}→pdf: the narrative paragraph, whole", bool(narrative) and norm(narrative) in t,
          f"narrative: {narrative[:100]}…", "found of it: " + (lambda n: next(
              (n[:i] for i in range(len(n), 0, -1) if n[:i] in t), ""))(norm(narrative))[:200])
