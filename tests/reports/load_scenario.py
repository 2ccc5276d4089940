#!/usr/bin/env python3
"""Load a scenario file (contract.md "Scenario files") into a fresh database with the ogi CLI.

Usage: load_scenario.py OGI_BIN SCENARIO.json DB

`ogi init`, the scenario's agency, one user holding every case role, then per case
`ogi case register` and one `ogi case event` per event (bodies on stdin). In events,
`consultation` / `remedy` are 1-based positions in the case's consultations / remedies and are
mapped to the ids the case JSON returns. Cases are independent and go four at a time (SQLite WAL
with a busy timeout); each case's events stay in order.

Prints "loaded N cases, M events" and exits 0, or prints every problem and exits 1.
"""
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

OGI, SCENARIO, DB = sys.argv[1:4]
USER = "scenario"


def run(args, body=None):
    """ogi ARGS with BODY on stdin: (exit status, stdout, stderr). Retries a missing or busy binary."""
    for attempt in range(30):
        try:
            p = subprocess.run([OGI] + args, input=body, capture_output=True, text=True, timeout=60)
            return p.returncode, p.stdout, p.stderr
        except (FileNotFoundError, PermissionError, OSError) as e:  # ENOENT / ETXTBSY while relinking
            if attempt == 29:
                return 127, "", str(e)
            time.sleep(1)


def must(args, body=None):
    rc, out, err = run(args, body)
    if rc != 0:
        sys.exit(f"ogi {' '.join(args)} failed (exit {rc}): {err}{out}")
    return out


def replay(index, case):
    label = f"case {case.get('ref', index + 1)}"
    body = {k: v for k, v in case.items() if k not in ("ref", "events", "expect_due_on", "expect")}
    rc, out, err = run(["case", "register", "--db", DB, "--user", USER, "-"], json.dumps(body, ensure_ascii=False))
    if rc != 0:
        return [f"{label}: register → exit {rc}: {err.strip()}"], 0
    c = json.loads(out)
    cid = c["id"]
    consultations, remedies = [], []

    def learn(items, ids):
        for x in items or []:
            if x["id"] not in ids:
                ids.append(x["id"])

    done = 0
    for n, e in enumerate(case.get("events", [])):
        payload = dict(e)
        for key, ids in (("consultation", consultations), ("remedy", remedies)):
            if key in e:
                pos = e[key]
                if not (1 <= pos <= len(ids)):
                    return [f"{label} event {n + 1} ({e['event']}): no {key} #{pos} was returned"], done
                payload[key] = ids[pos - 1]
        rc, out, err = run(["case", "event", "--db", DB, "--user", USER, "--case", str(cid), "-"],
                           json.dumps(payload, ensure_ascii=False))
        if rc != 0:
            return [f"{label} event {n + 1} {json.dumps(e, ensure_ascii=False)} → exit {rc}: {err.strip()}"], done
        c = json.loads(out)
        learn(c.get("consultations"), consultations)
        learn(c.get("remedies"), remedies)
        done += 1
        notice = SERVED_BY_EVENT.get(e["event"])
        if notice:
            # The scenario files carry no service dates: each notice is taken as served the day it
            # was issued (domain.md §6 "Served"), by the way that suits the channel.
            serve = {"event": "serve_notice", "on": e["on"], "notice": notice, "method": service_method(case.get("channel"))}
            if notice == "consultation_letter":
                serve["consultation"] = consultations[-1]
            rc, out, err = run(["case", "event", "--db", DB, "--user", USER, "--case", str(cid), "-"],
                               json.dumps(serve, ensure_ascii=False))
            if rc != 0:
                return [f"{label} event {n + 1}: serve_notice → exit {rc}: {err.strip()}"], done
    return [], done


SERVED_BY_EVENT = {"request_correction": "correction_notice", "fee_notice": "fee_notice", "consult": "consultation_letter"}


def service_method(channel):
    if channel == "in_person":
        return "direct"
    if channel in ("post", "ordinary_post"):
        return "post"
    return "electronic"


def main():
    with open(SCENARIO, encoding="utf-8") as f:
        scenario = json.load(f)
    agency = scenario["agency"]
    must(["init", "--db", DB])
    must(["agency", "add", "--db", DB, "--code", agency["code"], "--name", agency["name"]])
    must(["user", "add", "--db", DB, "--agency", agency["code"], "--name", USER,
          "--roles", "registrar,handler,approver,office", "--password-stdin"], "scenario-pass-123\n")
    cases = scenario["cases"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda ic: replay(*ic), enumerate(cases)))
    problems = [p for ps, _ in results for p in ps]
    events = sum(n for _, n in results)
    if problems:
        print(f"{len(problems)} problem(s) loading {SCENARIO}:")
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print(f"loaded {len(cases)} cases, {events} events")


main()
