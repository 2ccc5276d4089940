#!/usr/bin/env bash
# Letter documents (docs/letters.md): golden texts, DOCX → PDF through LibreOffice, GB/T 9704
# layout facts of the DOCX, `ogi templates check` on broken templates, print HTML.
#
# Usage: letters_test.sh PATH_TO_OGI SOURCE_DIR
#
# Prints one "ok - ..." / "not ok - ..." line per check and closes with "N passed" (or
# "N passed, M failed"); exits non-zero when any check failed. Needs python3, LibreOffice
# (`soffice`, Debian libreoffice-writer-nogui) and poppler-utils (`pdftotext`, `pdfinfo`).
#
# The golden files tests/letters/golden/NAME.txt are `ogi templates render NAME --format text`;
# NAME@YYYY-MM-DD.txt is the same with --date YYYY-MM-DD. After a deliberate change of a template,
# regenerate the golden with that command, READ it (article of the 条例 for the outcome, remedy
# text, number, dates) and only then commit it.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 PATH_TO_OGI SOURCE_DIR" >&2
  exit 2
fi
OGI=$1
SRC=$2
GOLDEN=$SRC/tests/letters/golden
TPL=$SRC/templates/letters

# Hermetic: the templates, workflow and calendar of SOURCE_DIR, no inherited "today".
# "Today" pinned (OGI_TEST_TODAY, default below): never the wall clock.
export OGI_TODAY=${OGI_TEST_TODAY:-2026-11-27}
export OGI_DATA_DIR=$SRC/workflow
export OGI_TEMPLATES_DIR=$TPL

. "$SRC/tests/lib/tap.sh"
tap_start letters_test
# The first lines of a file, prefixed for the log.
show() { head -n "${2:-20}" "$1" | sed 's/^/#     /'; }

for tool in python3 soffice pdftotext pdfinfo; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    notok "$tool is installed" "letters_test needs python3, soffice (libreoffice-writer-nogui) and pdftotext/pdfinfo (poppler-utils)"
  fi
done
if [ ! -x "$OGI" ]; then
  notok "$OGI is an executable"
fi
if [ "$fail" -gt 0 ]; then
  finished=1
  echo "$pass passed, $fail failed"
  exit 1
fi

# The normalised text: no whitespace at all (pdftotext breaks Chinese lines and puts spaces
# around digits), no page-number lines "— 1 —" (GB/T 9704), and none of 。，、 : LibreOffice hangs
# these in the margin at the end of a justified line and then does not print them at all.
norm() { tr -d '[:space:]' | sed 's/[　。，、]//g'; }
squash() { { grep -Ev '^[[:space:]]*—[[:space:]]*[0-9]+[[:space:]]*—[[:space:]]*$' "$1" || true; } | norm; }
# has FILE STRING : the squashed FILE contains the normalised STRING.
has() {
  local needle
  needle=$(printf '%s' "$2" | norm)
  [[ "$(squash "$1")" == *"$needle"* ]]
}

###############################################################################################
# The templates
###############################################################################################

if ! "$OGI" templates list >"$T/list" 2>"$T/err"; then
  notok "ogi templates list" "$(head -c 600 "$T/err")"
  finished=1
  echo "$pass passed, $fail failed"
  exit 1
fi
NAMES=()
while IFS=$'\t' read -r name _; do
  case $name in _*) ;; *) NAMES+=("$name") ;; esac
done <"$T/list"
if [ "${#NAMES[@]}" -ge 30 ]; then
  ok "ogi templates list names ${#NAMES[@]} letter templates"
else
  notok "ogi templates list names the letter templates" "got ${#NAMES[@]}:" "$(tr '\n' ' ' <"$T/list")"
fi
is_template() {
  local n
  for n in "${NAMES[@]}"; do [ "$n" = "$1" ] && return 0; done
  return 1
}

# The article of 《政府信息公开条例》 each letter cites (domain.md §4 for the replies). Every
# template must be listed here; "" = the letter cites no article.
declare -A BASIS=(
  [receipt]=第三十一条
  [correction_notice]=第三十条
  [extension_notice]=第三十三条第二款
  [consultation_third_party]=第三十二条
  [consultation_agency]=第三十四条
  [third_party_notice]=第十五条、第三十二条
  [fee_notice]=第四十二条
  [lapse_correction]=第三十条
  [lapse_fee]=第四十二条
  [delivery_proof]=
  [reply_already_public]=第三十六条第一项
  [reply_disclosed]=第三十六条第二项
  [reply_partially_disclosed]=第三十七条
  [reply_withheld_state_secret]=第十四条和第三十六条第三项
  [reply_withheld_law_prohibited]=第十四条和第三十六条第三项
  [reply_withheld_security_stability]=第十四条和第三十六条第三项
  [reply_withheld_third_party]=第十五条、第三十二条和第三十六条第三项
  [reply_withheld_internal_affairs]=第十六条第一款和第三十六条第三项
  [reply_withheld_process_info]=第十六条第二款和第三十六条第三项
  [reply_withheld_enforcement_file]=第十六条第二款和第三十六条第三项
  [reply_withheld_admin_query]=第三十六条第七项
  [reply_not_held]=第三十六条第四项
  [reply_not_responsible]=第三十六条第五项
  [reply_needs_creation]=第三十八条
  [reply_still_unclear]=第三十条
  [reply_petition]=第三十九条第一款
  [reply_duplicate]=第三十六条第六项
  [reply_publication]=第三十九条第二款
  [reply_excessive]=第三十五条
  [reply_confirm_or_reissue]=第二条
  [reply_other]=
)
# Letters addressed to someone other than the applicant: they must not name the applicant.
declare -A ADDRESSEE=(
  [consultation_third_party]=某某置业有限公司
  [consultation_agency]=示例市住房和城乡建设局
  [third_party_notice]=某某置业有限公司
)
APPLICANT=张三
AGENCY=示例市人民政府办公室

# Refusals: 行政复议法 (2023) Art 23, reconsideration first from 2024-01-01 (domain.md §6).
# Reconsideration first (workflow/lifecycle.wf `remedy` lines): every reply that does not provide
# the information in whole, read safely, and both lapse notices; not a disclosure.
refusal() { [[ $1 == reply_* && $1 != reply_disclosed && $1 != reply_already_public ]] || [[ $1 == lapse_* ]]; }
REMEDY_FIRST='依照《中华人民共和国行政复议法》第二十三条的规定'
REMEDY_EITHER_RE='六十日内向.*申请行政复议，也可以自收到本(答复|告知书)之日起六个月内向.*提起行政诉讼'

###############################################################################################
# a. golden texts
###############################################################################################

# render NAME [DATE] FORMAT OUT : ogi templates render; the stderr goes to $T/err.
render() {
  local name=$1 date=$2 format=$3 out=$4
  if [ -n "$date" ]; then
    "$OGI" templates render "$name" --date "$date" --format "$format" >"$out" 2>"$T/err"
  else
    "$OGI" templates render "$name" --format "$format" >"$out" 2>"$T/err"
  fi
}

mkdir -p "$T/text"
for name in "${NAMES[@]}"; do
  if [ ! -f "$GOLDEN/$name.txt" ]; then
    notok "golden $name.txt exists" "write it with: $OGI templates render $name --format text > $GOLDEN/$name.txt (and read it)"
  fi
done
for want in reply_withheld_process_info@2023-12-29 reply_withheld_process_info@2024-01-02 \
            reply_partially_disclosed@2023-12-29 reply_partially_disclosed@2024-01-02; do
  check "golden $want.txt exists (remedy rule either side of 2024-01-01)" test -f "$GOLDEN/$want.txt"
done

shopt -s nullglob
for g in "$GOLDEN"/*.txt; do
  base=$(basename "$g" .txt)
  name=${base%%@*}
  date=
  [[ $base == *@* ]] && date=${base#*@}
  if ! is_template "$name"; then
    notok "golden $base.txt has a template" "no template $name in $TPL (ogi templates list)"
    continue
  fi
  if ! render "$name" "$date" text "$T/text/$base.txt"; then
    notok "render $base (text) matches its golden" "ogi exit non-zero: $(head -c 600 "$T/err")"
    continue
  fi
  if diff -u "$g" "$T/text/$base.txt" >"$T/diff"; then
    ok "render $base (text) matches golden"
  else
    notok "render $base (text) matches golden" "diff -u golden rendered:"
    show "$T/diff" 60
  fi
done
shopt -u nullglob

# Quotations of the Regulation are kept once, in the `quote` lines of workflow/lifecycle.wf: a
# template that quotes an article (…第N条规定：“…”) prints {{law.KEY}}, never its own words, and
# what the letters print is that text exactly.
spelled=$(grep -Hn '规定：“' "$TPL"/*.mustache | grep -v '规定：“{{law\.[a-z0-9_]*}}”' || true)
check "no template spells out an article's text (quotes come from {{law.KEY}})" test -z "$spelled"
[ -z "$spelled" ] || show <(echo "$spelled")
quoted=0
while IFS= read -r line; do
  key=${line#quote }; key=${key%% *}
  text=${line#*text=}
  for t in "$T"/text/*.txt; do
    if grep -qF "{{law.$key}}" "$TPL"/*.mustache && grep -qF "规定：“$text”" "$t"; then quoted=$((quoted + 1)); break; fi
  done
done < <(grep '^quote ' "$SRC/workflow/lifecycle.wf")
uses=$(grep -ho '{{law\.[a-z0-9_]*}}' "$TPL"/*.mustache | sort -u | wc -l)
check "every quoted article ($uses used by the templates) prints the Regulation's text of workflow/lifecycle.wf" \
  test "$quoted" -eq "$uses" -a "$uses" -ge 2

# The legal content of the text rendering, independent of the goldens.
for name in "${NAMES[@]}"; do
  txt=$T/text/$name.txt
  [ -f "$txt" ] || render "$name" "" text "$txt" || true
  if [ -z "${BASIS[$name]+set}" ]; then
    notok "$name: legal basis known to this test" "add $name to BASIS in $0 (domain.md §4)"
    continue
  fi
  basis=${BASIS[$name]}
  if [ -z "$basis" ]; then
    if grep -q '《中华人民共和国政府信息公开条例》第' "$txt"; then
      notok "$name cites no article" "got: $(grep -o '《中华人民共和国政府信息公开条例》第[^的]*' "$txt" | head -n 1)"
    else
      ok "$name cites no article of the 条例"
    fi
  elif [[ $name == reply_* ]]; then
    if grep -Eq "依照(《中华人民共和国政府信息公开条例》|该条例)${basis}的规定|《中华人民共和国政府信息公开条例》${basis}规定：“" "$txt"; then
      ok "$name cites ${basis} (依照…的规定, or quotes it)"
    else
      notok "$name cites ${basis}" "got: $(grep -o '条例》第[^的]*的规定' "$txt" | tr '\n' ' ')"
    fi
  elif grep -q "《中华人民共和国政府信息公开条例》${basis}" "$txt"; then
    ok "$name cites ${basis}"
  else
    notok "$name cites ${basis}" "got: $(grep -o '条例》第[^的，]*' "$txt" | tr '\n' ' ')"
  fi
  # the addressee (fourth line, after the letterhead, title and number): the applicant, or the party consulted / notified
  if [ -n "${ADDRESSEE[$name]:-}" ]; then
    if [ "$(sed -n 4p "$txt")" = "${ADDRESSEE[$name]}：" ] && ! grep -q "$APPLICANT" "$txt"; then
      ok "$name is addressed to ${ADDRESSEE[$name]} and does not name the applicant"
    else
      notok "$name is addressed to ${ADDRESSEE[$name]} and does not name the applicant" "line 4: $(sed -n 4p "$txt")" \
        "applicant named: $(grep -c "$APPLICANT" "$txt" || true) lines"
    fi
  elif [ "$name" = delivery_proof ]; then
    check "$name names the applicant as 受送达人" grep -q "^受送达人 | $APPLICANT\$" "$txt"
  else
    check "$name is addressed to the applicant" test "$(sed -n 4p "$txt")" = "$APPLICANT："
  fi
done

# The remedy notice: reconsideration first (行政复议法 Art 23) for refusals dated from 2024-01-01,
# else reconsideration within 60 days or litigation within 6 months.
remedy_is() { # NAME DATE WANT(first|either) FILE
  local name=$1 date=$2 want=$3 f=$4 label="$1${2:+ dated $2}"
  if [ "$want" = first ]; then
    if grep -q "$REMEDY_FIRST" "$f" && grep -Eq '应当先自收到本(答复|告知书)之日起六十日内' "$f" &&
       grep -q '可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼' "$f" && ! grep -q '六个月内' "$f"; then
      ok "$label: remedy says reconsideration first (行政复议法第二十三条)"
    else
      notok "$label: remedy says reconsideration first (行政复议法第二十三条)" "got: $(grep '行政复议' "$f" | head -c 400)"
    fi
  else
    if grep -Eq "$REMEDY_EITHER_RE" "$f" && ! grep -q '第二十三条' "$f"; then
      ok "$label: remedy offers reconsideration (60 days) or litigation (6 months)"
    else
      notok "$label: remedy offers reconsideration (60 days) or litigation (6 months)" "got: $(grep '行政复议' "$f" | head -c 400)"
    fi
  fi
}
for name in "${NAMES[@]}"; do
  [[ $name == reply_* ]] || continue
  if refusal "$name"; then remedy_is "$name" "" first "$T/text/$name.txt"; else remedy_is "$name" "" either "$T/text/$name.txt"; fi
done
for name in lapse_correction lapse_fee; do
  is_template "$name" || continue
  remedy_is "$name" "" first "$T/text/$name.txt"
done
if is_template third_party_notice; then
  if grep -Eq '六十日内向.*申请行政复议，也可以自收到本告知书之日起六个月内' "$T/text/third_party_notice.txt" &&
     ! grep -q '第二十三条' "$T/text/third_party_notice.txt"; then
    ok "third_party_notice: remedy offers reconsideration or litigation"
  else
    notok "third_party_notice: remedy offers reconsideration or litigation" "got: $(grep '行政复议' "$T/text/third_party_notice.txt" | head -c 400)"
  fi
fi
# the boundary: 2023-12-31 is the last day of "either", 2024-01-01 the first of "first"
for name in reply_withheld_state_secret reply_partially_disclosed reply_disclosed; do
  for date in 2023-12-31 2024-01-01; do
    f=$T/text/$name@$date.boundary
    if ! render "$name" "$date" text "$f"; then
      notok "$name dated $date renders" "$(head -c 600 "$T/err")"
      continue
    fi
    want=either
    refusal "$name" && [ "$date" = 2024-01-01 ] && want=first
    remedy_is "$name" "$date" "$want" "$f"
    year=${date%%-*}
    check "$name dated $date: letter dated ${year}年" \
      grep -q "^${year}年[0-9]*月[0-9]*日\$" "$f"
    check "$name dated $date: number of year $year" grep -q "〔${year}〕12号" "$f"
  done
done

###############################################################################################
# b. DOCX → PDF (one LibreOffice run for all), c. DOCX layout, e. HTML
###############################################################################################

mkdir -p "$T/docx" "$T/pdf" "$T/html"
# docx_check.py DIR NAME TITLE [NAME TITLE ...] : DIR/NAME.docx is a sound zip (CRCs) with the
# OOXML parts, and has the GB/T 9704 layout. One python start for all documents; prints lines
# "NAME<TAB>zip<TAB>ok|problems" and "NAME<TAB>layout<TAB>ok|problems".
cat >"$T/docx_check.py" <<'PY'
import re, sys, zipfile
import xml.etree.ElementTree as ET
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

def check_zip(path):
    try:
        z = zipfile.ZipFile(path)
        bad = z.testzip()
    except Exception as e:
        return None, [f"not a zip file: {e}"]
    if bad:
        return None, [f"bad CRC in {bad}"]
    names = set(z.namelist())
    missing = [f"missing {n}" for n in ("[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml")
               if n not in names]
    return (None if missing else z), missing

def check(z, title_text):
    problems = []
    def want(what, got, exp):
        if got != exp:
            problems.append(f"{what}: want {exp!r}, got {got!r}")
    try:
        doc = ET.fromstring(z.read("word/document.xml"))
        sty = ET.fromstring(z.read("word/styles.xml"))
    except ET.ParseError as e:
        return [f"XML not well-formed: {e}"]
    sect = doc.find(f"{W}body/{W}sectPr")
    if sect is None:
        problems.append("no body-level w:sectPr")
    else:
        sz = sect.find(f"{W}pgSz"); mar = sect.find(f"{W}pgMar")
        want("page width (A4, twips)", sz is not None and sz.get(f"{W}w"), "11906")
        want("page height (A4, twips)", sz is not None and sz.get(f"{W}h"), "16838")
        for side, twips in (("top", "2098"), ("bottom", "1984"), ("left", "1588"), ("right", "1474")):
            want(f"margin {side} (twips)", mar is not None and mar.get(f"{W}{side}"), twips)
    rpr = sty.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    if rpr is None:
        problems.append("styles.xml: no w:docDefaults/w:rPrDefault/w:rPr")
    else:
        fonts = rpr.find(f"{W}rFonts"); size = rpr.find(f"{W}sz")
        want("body eastAsia font", fonts is not None and fonts.get(f"{W}eastAsia"), "仿宋_GB2312")
        want("body size (half-points, 三号)", size is not None and size.get(f"{W}val"), "32")
    styles = {s.get(f"{W}styleId"): s for s in sty.findall(f"{W}style")}
    title = styles.get("Title")
    if title is None:
        problems.append("styles.xml: no Title style")
    else:
        size = title.find(f"{W}rPr/{W}sz")
        want("title size (half-points, 二号)", size is not None and size.get(f"{W}val"), "44")
        jc = title.find(f"{W}pPr/{W}jc")
        want("title alignment", jc is not None and jc.get(f"{W}val"), "center")
    body = styles.get("Body")
    ind = body.find(f"{W}pPr/{W}ind") if body is not None else None
    want("body first-line indent (two characters)", ind is not None and ind.get(f"{W}firstLineChars"), "200")
    # the first paragraph is the 发文机关标志 (red, over a red rule), the second the title
    paras = doc.findall(f"{W}body/{W}p")
    def style_of(p):
        ps = p.find(f"{W}pPr/{W}pStyle") if p is not None else None
        return ps is not None and ps.get(f"{W}val")
    first = paras[0] if paras else None
    second = paras[1] if len(paras) > 1 else None
    want("first paragraph style (发文机关标志)", style_of(first), "Letterhead")
    want("second paragraph style", style_of(second), "Title")
    if second is not None:
        want("title text", "".join(t.text or "" for t in second.iter(f"{W}t")), title_text)
    head = styles.get("Letterhead")
    colour = head.find(f"{W}rPr/{W}color") if head is not None else None
    rule = head.find(f"{W}pPr/{W}pBdr/{W}bottom") if head is not None else None
    want("letterhead colour", colour is not None and colour.get(f"{W}val"), "FF0000")
    want("letterhead rule (thick over thin)", rule is not None and rule.get(f"{W}val"), "thickThinSmallGap")
    # the signature block: 署名 then 成文日期, the date four characters (1,280 twips) from the right,
    # the 署名 centred over it, the seal drawn behind both in the 署名's paragraph
    # a paragraph's own text: its runs' w:t, not the text inside a drawing (the seal's)
    texts = ["".join(t.text or "" for r in p.findall(f"{W}r") for t in r.findall(f"{W}t")) for p in paras]
    dates = [i for i, t in enumerate(texts) if re.fullmatch(r"20\d\d年\d{1,2}月\d{1,2}日", t)]
    if not dates:
        problems.append("no 成文日期 paragraph")
    else:
        i = dates[-1]
        def right_indent(p):
            ind = p.find(f"{W}pPr/{W}ind")
            return int(ind.get(f"{W}right")) if ind is not None else 1280  # the Right style's
        want("成文日期 right indent (twips)", right_indent(paras[i]), 1280)
        name_p = paras[i - 1]
        def width(t): return sum(0.5 if ord(c) < 128 else 1 for c in t)
        expect = max(0, int(1280 + (width(texts[i]) - width(texts[i - 1])) / 2 * 320))
        want("署名 centred over the date (right indent, twips)", right_indent(name_p), expect)
        seal = [e for e in name_p.iter() if e.tag.endswith("}oval")]
        want("seal placeholder drawn in the 署名 paragraph", len(seal), 1)
    return problems

d, rest = sys.argv[1], sys.argv[2:]
for name, title_text in zip(rest[0::2], rest[1::2]):
    z, problems = check_zip(f"{d}/{name}.docx")
    print(f"{name}\tzip\t" + ("; ".join(problems) if problems else "ok"))
    problems = check(z, title_text) if z else ["not checked: " + "; ".join(problems)]
    print(f"{name}\tlayout\t" + ("; ".join(problems) if problems else "ok"))
PY

layout_args=()
for name in "${NAMES[@]}"; do
  d=$T/docx/$name.docx
  if ! render "$name" "" docx "$d" || [ ! -s "$d" ]; then
    notok "$name: render --format docx" "$(head -c 600 "$T/err")"
    continue
  fi
  layout_args+=("$name" "$(sed -n 2p "$T/text/$name.txt")")
done
python3 "$T/docx_check.py" "$T/docx" "${layout_args[@]}" >"$T/layout" 2>&1 || true
while IFS=$'\t' read -r name what result; do
  if [ "$what" = zip ]; then
    label="$name.docx is a sound zip (CRCs) with [Content_Types].xml, word/document.xml, word/styles.xml"
  else
    label="$name.docx: A4, margins 37/35/28/26 mm, 仿宋_GB2312 三号 body, 二号 title, red letterhead, date 4 characters from the right, 署名 centred over it, seal"
  fi
  if [ "$result" = ok ]; then ok "$label"; else notok "$label" "$result"; fi
done < <(grep -P '^[a-z_]+\t(zip|layout)\t' "$T/layout" || true)
if [ "$(grep -cP '^[a-z_]+\t(zip|layout)\t' "$T/layout" || true)" -ne "${#layout_args[@]}" ]; then
  notok "docx_check.py reported on every document"
  show "$T/layout"
fi

# One LibreOffice start for every document (start-up dominates the run time).
soffice_ok=1
if ! timeout 300 soffice --headless --norestore "-env:UserInstallation=file://$T/lo" \
    --convert-to pdf --outdir "$T/pdf" "$T"/docx/*.docx >"$T/soffice.log" 2>&1; then
  soffice_ok=0
  notok "soffice --convert-to pdf (all letters in one call)"
  show "$T/soffice.log"
else
  ok "soffice converted the letters to PDF in one call"
fi

for name in "${NAMES[@]}"; do
  txt=$T/text/$name.txt
  pdf=$T/pdf/$name.pdf
  if [ ! -s "$pdf" ]; then
    notok "$name.pdf exists and is not empty"
    continue
  fi
  if ! pdftotext -layout "$pdf" "$T/pdf/$name.txt" 2>"$T/err"; then
    notok "$name.pdf: pdftotext" "$(head -c 600 "$T/err")"
    continue
  fi
  if pdfinfo "$pdf" 2>/dev/null | grep -Eq '^Page size:.*\(A4\)'; then
    ok "$name.pdf is A4"
  else
    notok "$name.pdf is A4" "$(pdfinfo "$pdf" 2>&1 | grep -i 'page size' || true)"
  fi
  # key sentences: letterhead, title, number (the third line), addressee, basis, remedy, agency, date
  number=$(sed -n 3p "$txt")
  keys=("$(sed -n 1p "$txt")" "$(sed -n 2p "$txt")" "$number" "$AGENCY")
  case $number in *〔20[0-9][0-9]〕12号) ;; *) notok "$name: letter number on line 3" "got: $number" ;; esac
  [ "$(sed -n 1p "$txt")" = "$AGENCY" ] || notok "$name: the 发文机关标志 on line 1" "got: $(sed -n 1p "$txt")"
  if [ -n "${ADDRESSEE[$name]:-}" ]; then keys+=("${ADDRESSEE[$name]}"); else keys+=("$APPLICANT"); fi
  [ -n "${BASIS[$name]:-}" ] && keys+=("${BASIS[$name]}")
  if [[ $name == reply_* || $name == lapse_* || $name == third_party_notice ]]; then
    keys+=("申请行政复议")
    if refusal "$name"; then keys+=("行政复议法》第二十三条"); else keys+=("六个月内"); fi
  fi
  keys+=("$(grep -Eo '^20[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日$' "$txt" | tail -n 1 || true)")
  missing=()
  for k in "${keys[@]}"; do
    [ -n "$k" ] || continue
    has "$T/pdf/$name.txt" "$k" || missing+=("$k")
  done
  if [ -n "${ADDRESSEE[$name]:-}" ] && has "$T/pdf/$name.txt" "$APPLICANT"; then missing+=("(names the applicant $APPLICANT)"); fi
  if [ "${#missing[@]}" -eq 0 ]; then
    ok "$name.pdf has the title, number $number, addressee, basis, remedy, agency and date"
  else
    notok "$name.pdf has the key sentences" "missing: ${missing[*]}" "pdftotext -layout:"
    show "$T/pdf/$name.txt" 30
  fi
done

for name in "${NAMES[@]}"; do
  h=$T/html/$name.html
  if ! render "$name" "" html "$h"; then
    notok "$name: render --format html" "$(head -c 600 "$T/err")"
    continue
  fi
  number=$(sed -n 3p "$T/text/$name.txt")
  if grep -Eq '@page[^}]*size:[[:space:]]*A4' "$h" && grep -q '<meta charset="utf-8">' "$h" && grep -qF "$number" "$h" &&
     grep -qF "<p class=\"letterhead\">$AGENCY</p>" "$h" && grep -qF "$(sed -n 2p "$T/text/$name.txt")" "$h" &&
     grep -qF '<div class="signature"><p class="name">' "$h" && grep -qF 'class="seal"' "$h"; then
    ok "$name.html: @page size A4, utf-8, letterhead, title and number $number, signature block with seal"
  else
    notok "$name.html: @page size A4, utf-8, letterhead, title and number $number, signature block with seal"
    show "$h" 12
  fi
done

###############################################################################################
# d. `ogi templates check` names the file and line of a broken template
###############################################################################################

CHK=$T/tpl
cp -r "$TPL" "$CHK"
if "$OGI" templates check "$CHK" >"$T/out" 2>"$T/err" && grep -q '^ok: ' "$T/out"; then
  ok "templates check: the intact copy passes ($(cat "$T/out"))"
else
  notok "templates check: the intact copy passes" "stdout: $(cat "$T/out")" "stderr: $(head -c 600 "$T/err")"
fi
if "$OGI" templates check >"$T/out" 2>"$T/err"; then
  ok "templates check: the shipped templates pass"
else
  notok "templates check: the shipped templates pass" "$(head -c 600 "$T/err")"
fi

# break DESCRIPTION FILE LOCATE FROM TO : in a copy of templates/letters, replace FROM by TO on
# the first line of FILE that contains LOCATE; `ogi templates check` must exit 2 naming
# "FILE 第N行" (N = that line) on one stderr line "ogi: ...".
break_one() {
  local what=$1 file=$2 locate=$3 from=$4 to=$5 line
  rm -rf "$CHK" && cp -r "$TPL" "$CHK"
  line=$(grep -nF -- "$locate" "$CHK/$file" | head -n 1 | cut -d: -f1 || true)
  if [ -z "$line" ]; then
    notok "templates check rejects $what" "$file has no line with '$locate' any more: update this test"
    return
  fi
  # replace FROM (a literal string) by TO on line LINE only
  if ! awk -v n="$line" -v from="$from" -v to="$to" '
      NR == n { i = index($0, from); if (!i) { print "not on line " n > "/dev/stderr"; bad = 1 }
                else $0 = substr($0, 1, i - 1) to substr($0, i + length(from)) }
      { print } END { exit bad }' "$CHK/$file" >"$T/edited" 2>"$T/err"; then
    notok "templates check rejects $what" "'$from' $(cat "$T/err")"
    return
  fi
  cat "$T/edited" >"$CHK/$file"
  local rc=0
  "$OGI" templates check "$CHK" >"$T/out" 2>"$T/err" || rc=$?
  if [ "$rc" -eq 2 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^ogi: ' "$T/err" &&
     grep -qF "$file 第${line}行" "$T/err"; then
    ok "templates check rejects $what: exit 2, '$file 第${line}行'"
  else
    notok "templates check rejects $what" "want: exit 2, one stderr line naming '$file 第${line}行'" \
      "got:  exit $rc, stdout '$(head -c 200 "$T/out")', stderr '$(head -c 600 "$T/err" | tr '\n' '|')'"
  fi
}
break_one "an unknown field" reply_disclosed.mustache '{{reply.form}}' '{{reply.form}}' '{{reply.nosuch}}'
# issue 12: a possibly absent field printed without handling its absence (no letter with a hole)
break_one "the receipt's due date printed unguarded" receipt.mustache '{{#case.due_on}}' '{{#case.due_on}}，答复期限截至{{case.due_on}}' '，答复期限截至{{case.due_on}}{{#case.due_on}}'
break_one "a correction deadline printed unguarded" correction_notice.mustache '{{#correction.deadline}}' '{{#correction.deadline}}（截至{{correction.deadline}}）{{/correction.deadline}}' '（截至{{correction.deadline}}）'
break_one "a field of another kind (fee.amount in a reply)" reply_disclosed.mustache '{{reply.form}}' '{{reply.form}}' '{{fee.amount}}'
# the unclosed section is reported at its opening tag
rm -rf "$CHK" && cp -r "$TPL" "$CHK"
open_line=$(grep -nF '{{#correction.items}}' "$CHK/correction_notice.mustache" | head -n 1 | cut -d: -f1 || true)
close_line=$(grep -nF '{{/correction.items}}' "$CHK/correction_notice.mustache" | head -n 1 | cut -d: -f1 || true)
rc=0
if [ -n "$open_line" ] && [ -n "$close_line" ]; then
  sed -i "${close_line}s#{{/correction.items}}##" "$CHK/correction_notice.mustache"
  "$OGI" templates check "$CHK" >"$T/out" 2>"$T/err" || rc=$?
else
  echo "correction_notice.mustache has no {{#correction.items}}…{{/correction.items}} any more" >"$T/err"
fi
if [ "$rc" -eq 2 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -qF "correction_notice.mustache 第${open_line}行" "$T/err" &&
   grep -qF '{{#correction.items}}' "$T/err"; then
  ok "templates check rejects an unclosed section, named at its opening tag: exit 2, 'correction_notice.mustache 第${open_line}行'"
else
  notok "templates check rejects an unclosed section, named at its opening tag: exit 2, 'correction_notice.mustache 第${open_line}行'" "got: exit $rc, $(head -c 600 "$T/err")"
fi
break_one "a mismatched closing tag" reply_disclosed.mustache '{{/reply.reasons}}' '{{/reply.reasons}}' '{{/reply.basis}}'
break_one "an unknown partial" receipt.mustache '{{> _signature}}' '{{> _signature}}' '{{> _nosuch}}'
break_one "a triple brace {{{x}}}" fee_notice.mustache '{{fee.amount}}' '{{fee.amount}}' '{{{fee.amount}}}'
break_one "an ampersand {{&x}}" extension_notice.mustache '{{extension.reason}}' '{{extension.reason}}' '{{&extension.reason}}'
break_one "an unclosed tag" lapse_fee.mustache '{{lapse.deadline}}' '{{lapse.deadline}}' '{{lapse.deadline'
break_one "an unknown field in a partial" _remedy.mustache '{{agency.court}}' '{{agency.court}}' '{{agency.nosuch}}'

# Start-up refuses a broken template too, naming it, before it serves anything.
mkdir -p "$T/serve_tpl"
cp "$SRC/templates/letters/"*.mustache "$T/serve_tpl/"
printf '# 回执\n= {{letter.number}}\n{{case.nosuch}}\n' >"$T/serve_tpl/receipt.mustache"
"$OGI" init --db "$T/serve.db" >/dev/null
rc=0
OGI_TEMPLATES_DIR="$T/serve_tpl" timeout 20 "$OGI" serve --db "$T/serve.db" --listen 127.0.0.1:0 >"$T/out" 2>"$T/err" || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && grep -qF 'receipt.mustache 第3行：未知字段 case.nosuch' "$T/err"; then
  ok "serve refuses to start with a broken template, naming file and line (exit $rc)"
else
  notok "serve refuses to start with a broken template, naming file and line" "got: exit $rc, $(head -c 300 "$T/err")"
fi

# A partial cannot be rendered on its own; an unknown name is "not found" (exit 3).
for name in _remedy no_such_letter; do
  rc=0
  "$OGI" templates render "$name" >"$T/out" 2>"$T/err" || rc=$?
  if [ "$rc" -eq 3 ] && [ ! -s "$T/out" ] && grep -q '^ogi: ' "$T/err"; then
    ok "templates render $name: exit 3"
  else
    notok "templates render $name: exit 3" "got: exit $rc, stderr $(head -c 300 "$T/err")"
  fi
done

tap_finish
