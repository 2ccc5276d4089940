#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/) from real files of
the project: the scenarios in shared/scenarios (request bodies), workflow/calendar and the
iCalendar feeds of the tests (calendar import), templates/letters (templates), and the registers
of tests/reports/import_test.sh (legacy import). Run it again after those files change; the
files it writes are committed. Names are the SHA-1 of the content, as libFuzzer names them.

Usage: tests/fuzz/make_seeds.py [SHARED_DIR]   (default: ../shared beside the repository)
"""
import hashlib
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
CORPUS = ROOT / "tests" / "fuzz" / "corpus"


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def request_json():
    seen = set()
    for f in sorted((SHARED / "scenarios").glob("*.json")):
        doc = json.loads(f.read_text())
        for case in doc.get("cases", [])[:40]:
            # the fuzz target's store has one agency, SAMPLE, and its sample cases run to
            # 2024-04-17: events are also tried on a later date
            body = {k: v for k, v in case.items() if k not in ("ref", "events")}
            body["agency"] = "SAMPLE"
            bodies = [body] + case.get("events", [])
            bodies += [dict(e, on="2024-04-22") for e in case.get("events", [])]
            for b in bodies:
                text = json.dumps(b, ensure_ascii=False)
                shape = (b.get("event"), b.get("on", "")[:4], tuple(sorted(b)))  # one per event, fields, year
                if shape not in seen:
                    seen.add(shape)
                    write("fuzz_request_json", text)
    # the shapes the API also accepts: numbers as floats, nulls, lists
    write("fuzz_request_json", '{"event":"fee_notice","on":"2024-03-06","method":"per_page","pages":45.0}')
    write("fuzz_request_json", '{"event":"extend","on":null,"reason":"需要调取档案"}')
    write("fuzz_request_json", '{"agency":"SAMPLE","applicant":{"type":"natural_person","name":"张三",'
          '"id_type":"resident_id","id_number":"11010519491231002X","phone":"13800000000","email":null},'
          '"channel":"online","received_on":"2024-03-01","content":"某文件","form":"paper","delivery":"post"}')


def ics():
    for f in sorted((ROOT / "workflow" / "calendar").glob("*.cal"))[-4:]:
        write("fuzz_ics", f.read_bytes())
    # tests/cli/cli_test.sh: the 2027 arrangement as a holiday feed
    events = [("20270101", "20270104", "元旦 休"), ("20270205", "20270213", "春节 休"),
              ("20270131", "20270201", "春节 补班"), ("20270220", "20270221", "春节 补班"),
              ("20270403", "20270406", "清明节 休"), ("20270501", "20270506", "劳动节 休"),
              ("20270425", "20270426", "劳动节 补班"), ("20270508", "20270509", "劳动节 补班"),
              ("20270609", "20270610", "端午节 休"), ("20270915", "20270916", "中秋节 休"),
              ("20271001", "20271008", "国庆节 休"), ("20270926", "20270927", "国庆节 补班"),
              ("20271009", "20271010", "国庆节 补班")]
    feed = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ogi-test//holidays//CN\r\nX-WR-CALNAME:中国节假日\r\n"
    for i, (a, b, s) in enumerate(events, 1):
        feed += (f"BEGIN:VEVENT\r\nUID:{i}@ogi-test\r\nDTSTART;VALUE=DATE:{a}\r\nDTEND;VALUE=DATE:{b}\r\n"
                 f"SUMMARY:{s}\r\nEND:VEVENT\r\n")
    write("fuzz_ics", feed + "END:VCALENDAR\r\n")
    # fuzz_ics: "X-NOTICE:" ends the input, the notice number typed with the feed follows
    write("fuzz_ics", feed + "END:VCALENDAR\r\nX-NOTICE:国办发明电〔2026〕13号")
    # tests/calendar/calendar_test.cpp: a December make-up day of the next year, folded lines
    write("fuzz_ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
          "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20301231\r\nSUMMARY:元旦 补班\r\nEND:VEVENT\r\n"
          "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20300601\r\nSUMMARY:端午节\r\n  休\r\nEND:VEVENT\r\n"
          "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20310101\r\nDTEND;VALUE=DATE:20310104\r\nSUMMARY:元旦 休\r\nEND:VEVENT\r\n"
          "END:VCALENDAR\r\n")


def templates():
    for f in sorted((ROOT / "templates" / "letters").glob("*.mustache")):
        write("fuzz_template", f.stem + "\n" + f.read_text())


def legacy_import():
    header = "编号,收到日期,申请人类型,申请人,证件类型,证件号码,提交方式,申请内容,答复类型,办结日期,送达方式\n"
    # tests/reports/import_test.sh (good.csv, bad.csv in this column order)
    write("fuzz_import", header +
          "旧台账2021-1,2021-03-01,自然人,张三,居民身份证,11010519491231002X,邮寄,申请公开某文件,予以公开,2021-03-20,post\n"
          ",2021-04-02,commercial_enterprise,某公司,,,online,申请公开某项目批复,not_held,2021-04-20,\n"
          ",2021-05-06,自然人,王五,,,post,申请公开某材料,withdrawn,2021-05-10,\n"
          ",2021-06-01,法律服务机构,某律所,,,email,申请公开某决定,属于国家秘密,2021-06-20,\n")
    write("fuzz_import", header +
          ",2021-03-01,自然人,张三,居民身份证,110105194912310021,邮寄,申请公开某文件,予以公开,2021-03-20,\n"
          ",2021-03-01,火星人,张三,,,邮寄,申请公开某文件,,,\n"
          ",2021-03-01,自然人,张三,,,邮寄,申请公开某文件,no_correction,2021-03-03,\n"
          ",2031-03-01,自然人,张三,,,邮寄,申请公开某文件,,,\n")
    # one row per outcome (every branch of legacy_history), concluded a few weeks later
    outcomes = re.findall(r'\{"([a-z_]+)", "', (ROOT / "src/domain/codes.cpp").read_text().split("kOutcomes")[1])
    for i, o in enumerate(dict.fromkeys(outcomes)):
        write("fuzz_import", f",2023-0{1 + i % 9}-0{1 + i % 9},natural_person,某{i},,,post,申请公开第{i}号文件,{o},"
              f"2023-{10 + i % 3}-1{i % 10},{['post', 'direct', 'electronic'][i % 3]}\n")


if __name__ == "__main__":
    request_json()
    ics()
    templates()
    legacy_import()
    for d in sorted(CORPUS.iterdir()):
        print(d.name, len(list(d.iterdir())))
