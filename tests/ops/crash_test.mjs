#!/usr/bin/env node
// Crash test (issue 6): nothing the server acknowledged is lost when it is killed.
//
// A fresh database (agencies A1 and B2, one all-roles user each) is served by `ogi serve`. Each
// round, several concurrent clients register cases (POST /api/v1/cases) and append events to
// existing ones (POST /api/v1/cases/{id}/events, with If-Match most of the time, and now and then
// the same event twice at once), and read the letters of some cases; the server is SIGKILLed at a
// random moment (50 ms to 1.5 s into the round), restarted on the same database, and then:
//   - every registration and event answered 2xx is present (case: number, agency, applicant, register
//     event, receipt letter, audit entry; event: same case, same position, same event code), and
//     every letter a client was shown is there unchanged (id, number, kind, SHA-256);
//   - requests that died with the connection are "unknown": absent, or present and complete;
//     requests answered with an error are absent; nothing is present that no request asked for;
//   - every case is complete and consistent: events 1..n, version = n, the state column equals the
//     workflow folded over the events, the letters each event issues (by event id), one audit entry
//     per registration and per event in order, consultation/remedy projections, search row;
//   - case numbers per agency-year and letter numbers per agency, kind and year are unique and
//     gapless (1..k) and number_counters.last equals k; the number texts follow their patterns;
//   - PRAGMA integrity_check is ok, PRAGMA foreign_key_check is empty (sqlite3 CLI), and
//     `ogi audit verify --db` succeeds;
//   - sessions made before the kill still work, and a sample of acknowledged cases reads back the
//     same through the API.
// SIGKILL loses no page the kernel already has, so this tests the program (acknowledge only after
// COMMIT, all-or-nothing transactions, numbering, recovery on restart), not power loss.
//
// Usage: node tests/ops/crash_test.mjs [--rounds N] [--clients N] [--seed S] [--ogi PATH]
//   env: ROUNDS (default 20), CRASH_CLIENTS (default 6), CRASH_SEED, OGI_BIN (default
//   build/ogi next to this checkout), OGI_KEEP_TMP=1 keeps the folder (always kept on failure),
//   CRASH_KEEP_GOING=1 runs the remaining rounds after a failing one.
// Output: TAP-like "ok - …" / "not ok - …" lines (details on "#   " lines), then a summary;
// exit 0 only if every check passed. Needs node >= 20 and the sqlite3 CLI.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SOURCE_DIR = process.env.OGI_SOURCE_DIR || path.resolve(HERE, '..', '..');

// ---------- options ----------
function option(name, envName, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i > 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  const args = process.argv.slice(2);
  const bare = args.find((a, j) => /^\d+$/.test(a) && !(j > 0 && args[j - 1].startsWith('--')));
  if (name === 'rounds' && bare) return bare;
  if (envName && process.env[envName]) return process.env[envName];
  return fallback;
}
const ROUNDS = Number(option('rounds', 'ROUNDS', '20'));
const CLIENTS = Number(option('clients', 'CRASH_CLIENTS', '6'));
const SEED = Number(option('seed', 'CRASH_SEED', String(Date.now() % 1000000)));
const OGI_BIN = path.resolve(option('ogi', 'OGI_BIN', path.join(SOURCE_DIR, 'build', 'ogi')));
const KEEP_GOING = !!process.env.CRASH_KEEP_GOING;
const TODAY = '2026-06-15';
const PASSWORD = 'crash-pass-123';
const KILL_MIN_MS = 50;
const KILL_MAX_MS = 1500;

const AGENCIES = [
  { code: 'A1', name: '测试机关', pattern: '测〔{year}〕第{seq}号', user: 'crash_a1' },
  { code: 'B2', name: '另一机关', pattern: '另〔{year}〕第{seq}号', user: 'crash_b2' },
];
const ROLES = 'registrar,handler,approver,office';

// ---------- small helpers ----------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// mulberry32: reproducible choices for a given seed (the kill moments still race with the server).
let rngState = SEED >>> 0 || 1;
function rand() {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
function weighted(options) {
  const total = options.reduce((s, o) => s + o.w, 0);
  let x = rand() * total;
  for (const o of options) if ((x -= o.w) < 0) return o;
  return options[options.length - 1];
}

let passCount = 0;
let failCount = 0;
function ok(name) {
  passCount++;
  console.log(`ok - ${name}`);
}
function notok(name, details = []) {
  failCount++;
  console.log(`not ok - ${name}`);
  const shown = details.slice(0, 15);
  for (const d of shown) console.log(`#   ${d}`);
  if (details.length > shown.length) console.log(`#   … and ${details.length - shown.length} more`);
}
function check(name, problems) {
  if (problems.length === 0) ok(name);
  else notok(name, problems);
  return problems.length === 0;
}

// ---------- the ogi binary (it may be rebuilt while we run) ----------
async function waitForBinary(timeoutMs = 120000) {
  const end = Date.now() + timeoutMs;
  while (!existsSync(OGI_BIN)) {
    if (Date.now() > end) throw new Error(`ogi binary not found at ${OGI_BIN}`);
    await sleep(200);
  }
}
const transient = (e) => e && (e.code === 'ENOENT' || e.code === 'ETXTBSY' || e.code === 'EACCES');

async function ogi(args, { input, allowFail = false } = {}) {
  for (let attempt = 0; ; attempt++) {
    await waitForBinary();
    try {
      const stdout = execFileSync(OGI_BIN, args, {
        input: input ?? '',
        env: { ...process.env, OGI_TODAY: TODAY },
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
        maxBuffer: 64 << 20,
      });
      return { code: 0, out: stdout };
    } catch (e) {
      if (transient(e) && attempt < 60) {
        await sleep(500);
        continue;
      }
      if (allowFail && typeof e.status === 'number') return { code: e.status, out: `${e.stdout || ''}${e.stderr || ''}` };
      throw new Error(`ogi ${args.join(' ')} failed (status ${e.status}): ${e.stderr || e.message}`);
    }
  }
}

function sqlite(db, sql) {
  return execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 20000', db], {
    input: sql,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
}

// ---------- the workflow, read from workflow/lifecycle.wf (transitions and letters) ----------
function loadWorkflow() {
  const text = readFileSync(path.join(SOURCE_DIR, 'workflow', 'lifecycle.wf'), 'utf8');
  const letterOf = {};
  const next = {}; // event -> {from: to}
  let initial = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const words = line.split(/\s+/);
    if (words[0] === 'state' && words.includes('initial')) initial = words[1];
    if (words[0] === 'event') {
      const l = words.find((w) => w.startsWith('letter='));
      letterOf[words[1]] = l ? l.slice('letter='.length) : null;
    }
    if (words[0] === 'transition') {
      const m = line.match(/^transition\s+(\S+)\s*\+\s*(\S+)(?:\s*\[[^\]]*\])?\s*=\s*(\S+)$/);
      if (!m) throw new Error(`cannot read workflow line: ${line}`);
      const [, froms, ev, to] = m;
      next[ev] ||= {};
      for (const f of froms.split(',')) next[ev][f] = to === '.' ? f : to;
    }
  }
  if (!initial) throw new Error('workflow has no initial state');
  return { letterOf, next, initial };
}
const WF = loadWorkflow();

// The state after events (codes, in order); null when an event is not allowed where it stands.
function foldState(codes) {
  let s = WF.initial;
  for (const e of codes) {
    const to = WF.next[e]?.[s];
    if (!to) return null;
    s = to;
  }
  return s;
}

// ---------- the server ----------
class Server {
  constructor(dir, db) {
    this.dir = dir;
    this.db = db;
    this.logFile = path.join(dir, 'server.log');
    this.portFile = path.join(dir, 'port');
    this.starts = 0;
  }

  async start() {
    for (let attempt = 0; ; attempt++) {
      await waitForBinary();
      try {
        await this.startOnce();
        return;
      } catch (e) {
        if (attempt < 5 && (transient(e) || /exited before/.test(e.message))) {
          await sleep(500);
          continue;
        }
        throw e;
      }
    }
  }

  async startOnce() {
    rmSync(this.portFile, { force: true });
    const t0 = Date.now();
    const fd = openSync(this.logFile, 'a');
    const child = spawn(OGI_BIN, ['serve', '--db', this.db, '--listen', '127.0.0.1:0', '--port-file', this.portFile], {
      env: { ...process.env, OGI_TODAY: TODAY },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    this.starts++;
    this.child = child;
    let spawnError = null;
    let gone = null;
    child.on('error', (e) => (spawnError = e));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    this.exited.then((x) => (gone = x));
    const end = Date.now() + 30000;
    for (;;) {
      if (spawnError) throw spawnError;
      if (gone) throw new Error(`ogi serve exited before it was ready (${JSON.stringify(gone)}); see ${this.logFile}`);
      if (Date.now() > end) throw new Error(`ogi serve not ready within 30 s; see ${this.logFile}`);
      if (existsSync(this.portFile)) {
        const port = Number(readFileSync(this.portFile, 'utf8').trim());
        if (port > 0) {
          this.url = `http://127.0.0.1:${port}`;
          try {
            const r = await fetch(this.url + '/healthz');
            await r.arrayBuffer();
            if (r.status === 200) {
              this.startMs = Date.now() - t0;
              return;
            }
          } catch {
            /* not yet */
          }
        }
      }
      await sleep(20);
    }
  }

  async kill() {
    this.child.kill('SIGKILL');
    return this.exited;
  }

  async stop() {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const t = setTimeout(() => this.child.kill('SIGKILL'), 15000);
      const r = await this.exited;
      clearTimeout(t);
      return r;
    }
    return null;
  }
}

// One API call: {status, body} for an answer, {error} when the connection failed (no complete answer).
async function call(srv, method, p, { token, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  try {
    const res = await fetch(srv.url + p, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30000),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text };
  } catch (e) {
    return { error: e.cause?.code || e.code || e.name || String(e) };
  }
}

// ---------- what the clients were told (the ledger) and what they may drive (the model) ----------
const ledger = {
  cases: new Map(), // id -> {id, agency, year, number, tag, round}
  events: new Map(), // `${caseId}:${seq}` -> {caseId, seq, event, round}
  letters: new Map(), // letter id -> {id, caseId, kind, number, sha256}
  numbersSeen: new Map(), // `${agency}|${number}` -> case id (a duplicate answer is caught at once)
};
// Requests whose outcome is unknown (connection lost): resolved after the restart.
let pendingRegs = new Map(); // tag -> {tag, agency, round}
let pendingEvents = new Map(); // case id -> [{caseId, minSeq, maxSeq, event, round}] (the position it would take)
// Every tag ever sent in a registration (acknowledged, rejected or unknown), to tell phantoms.
const sentTags = new Map(); // tag -> 'acked' | 'rejected' | 'unknown'
// Driving state per case (rebuilt from the database after each restart).
let model = new Map(); // id -> {id, agency, year, state, version, consultations:[{id,replied}], remedies:[{id,decided}], extended, feeNoticed}
const busy = new Set();

const stats = {
  ackedRegs: 0,
  ackedEvents: 0,
  letterReads: 0,
  unknownRegs: 0,
  unknownEvents: 0,
  unknownPresent: 0,
  unknownAbsent: 0,
  rejected: {},
  duels: 0,
  duelBothOk: 0,
  losses: 0,
  preKillErrors: 0,
  killMs: [],
  restartMs: [],
};
const roundProblems = {
  duplicateNumbers: [],
  duels: [],
  sessions: [],
  responses: [],
  preKill: [],
};

const tokens = new Map(); // agency code -> token

function caseModelFromBody(b, agency) {
  return {
    id: b.id,
    agency,
    year: Number(String(b.received_on).slice(0, 4)),
    state: b.state,
    version: b.version,
    consultations: (b.consultations || []).map((k) => ({ id: k.id, replied: !!k.replied_on })),
    remedies: (b.remedies || []).map((r) => ({ id: r.id, decided: !!r.decided_on })),
    extended: !!b.extended,
    feeNoticed: !!b.fee,
  };
}

// The next event for a case on a path of the workflow; null when the case is done.
function chooseEvent(c, tag) {
  const openK = c.consultations.find((k) => !k.replied);
  const openR = c.remedies.find((r) => !r.decided);
  const canExtend = !c.extended && c.year === 2026;
  const decide = { w: 4, ev: { event: 'decide', outcome: pick(['disclosed', 'partially_disclosed', 'not_held', 'withheld_process_info']), reasons: `理由 ${tag}` } };
  const opts = [];
  switch (c.state) {
    case 'registered':
      opts.push(decide,
        { w: 1, ev: { event: 'request_correction', items: [`补正 ${tag}`], days: 15 } },
        { w: 1, ev: { event: 'consult', party: 'third_party', name: `第三方 ${tag}` } },
        { w: 0.6, ev: { event: 'withdraw', reason: `撤回 ${tag}` } });
      if (!c.feeNoticed) opts.push({ w: 0.6, ev: { event: 'fee_notice', method: 'per_application', amount: 100 } });
      if (canExtend) opts.push({ w: 0.6, ev: { event: 'extend', reason: `延期 ${tag}` } });
      break;
    case 'awaiting_correction':
      opts.push({ w: 1, ev: { event: 'correction_received' } });
      break;
    case 'processing':
      if (openK) {
        opts.push({ w: 1, ev: { event: 'consultation_replied', consultation: openK.id, opinion: pick(['agree', 'none']) } });
      } else {
        opts.push(decide);
        if (c.consultations.length < 2) opts.push({ w: 0.5, ev: { event: 'consult', party: 'agency', name: `协作机关 ${tag}` } });
        if (!c.feeNoticed) opts.push({ w: 0.5, ev: { event: 'fee_notice', method: 'per_application', amount: 50 } });
        if (canExtend) opts.push({ w: 0.5, ev: { event: 'extend', reason: `延期 ${tag}` } });
      }
      break;
    case 'awaiting_fee':
      opts.push({ w: 1, ev: { event: 'fee_paid' } });
      break;
    case 'decided':
      opts.push({ w: 1, ev: { event: 'approve' } });
      break;
    case 'approved':
      opts.push({ w: 1, ev: { event: 'deliver', method: pick(['post', 'direct', 'electronic']), tracking: `挂号 ${tag}` } });
      break;
    case 'delivered':
    case 'closed':
      opts.push({ w: 1, ev: { event: 'archive' } });
      if (c.remedies.length === 0) opts.push({ w: 0.5, ev: { event: 'remedy_filed', kind: 'reconsideration' } });
      else if (openR) opts.push({ w: 0.5, ev: { event: 'remedy_decided', remedy: openR.id, result: 'upheld' } });
      break;
    case 'archived':
      if (c.remedies.length === 0) opts.push({ w: 1, ev: { event: 'remedy_filed', kind: 'litigation' } });
      else if (openR) opts.push({ w: 1, ev: { event: 'remedy_decided', remedy: openR.id, result: 'corrected' } });
      break;
    default:
      break;
  }
  if (!opts.length) return null;
  return weighted(opts).ev;
}

function bump(map, key) {
  map[key] = (map[key] || 0) + 1;
}

// ---------- one client ----------
async function client(ctx, n) {
  const { srv, round, stopped } = ctx;
  let k = 0;
  while (!stopped.v) {
    const tag = `crash-r${round}-c${n}-${k++}`;
    const candidates = [...model.values()].filter((c) => !busy.has(c.id) && !c.uncertain && c.state !== 'done');
    const doRegister = candidates.length < 5 || rand() < 0.4;
    if (doRegister) await register(ctx, tag);
    else await appendEvent(ctx, pick(candidates), tag);
  }
}

async function register(ctx, tag) {
  const { srv, round } = ctx;
  const agency = pick(AGENCIES);
  const lastYear = rand() < 0.2;
  const received = lastYear ? `2025-12-${String(randInt(1, 20)).padStart(2, '0')}` : `2026-06-${String(randInt(1, 12)).padStart(2, '0')}`;
  const body = {
    agency: agency.code,
    applicant: rand() < 0.7
      ? { type: 'natural_person', name: `申请人${tag.slice(-6)}`, phone: '13812345678', address: '北京市东城区某路1号' }
      : { type: 'commercial_enterprise', name: `某公司${tag.slice(-6)}`, address: '上海市某区某路2号' },
    channel: pick(['post', 'online', 'in_person', 'email']),
    received_on: received,
    content: `申请公开某项目的批复文件 [${tag}]`,
    form: 'paper',
    delivery: 'post',
  };
  sentTags.set(tag, 'unknown');
  const r = await call(srv, 'POST', '/api/v1/cases', { token: tokens.get(agency.code), body });
  if (r.error) {
    if (!ctx.stopped.v) noteUnexpectedError(ctx, `register ${tag}`, r.error);
    if (r.error === 'ECONNREFUSED') {
      // never reached the server: it must not be there
      sentTags.set(tag, 'refused at connect');
      bump(stats.rejected, 'register ECONNREFUSED');
      return;
    }
    pendingRegs.set(tag, { tag, agency: agency.code, round });
    stats.unknownRegs++;
    return;
  }
  if (r.status === 401) roundProblems.sessions.push(`register ${tag}: 401 (session of ${agency.user} lost)`);
  if (r.status !== 201 || !r.body || typeof r.body.id !== 'number') {
    sentTags.set(tag, 'rejected');
    bump(stats.rejected, `register ${r.status}`);
    if (r.status >= 500 || r.status === 200) roundProblems.responses.push(`register ${tag}: ${r.status} ${r.text.slice(0, 200)}`);
    return;
  }
  const b = r.body;
  sentTags.set(tag, 'acked');
  stats.ackedRegs++;
  const year = Number(received.slice(0, 4));
  const entry = { id: b.id, agency: agency.code, year, number: b.number, tag, round };
  if (ledger.cases.has(b.id)) roundProblems.duplicateNumbers.push(`case id ${b.id} answered twice (${ledger.cases.get(b.id).tag}, ${tag})`);
  ledger.cases.set(b.id, entry);
  ledger.events.set(`${b.id}:1`, { caseId: b.id, seq: 1, event: 'register', round });
  const nk = `${agency.code}|${b.number}`;
  if (ledger.numbersSeen.has(nk)) roundProblems.duplicateNumbers.push(`number ${b.number} answered for case ${ledger.numbersSeen.get(nk)} and case ${b.id}`);
  ledger.numbersSeen.set(nk, b.id);
  if (b.version !== 1 || !Array.isArray(b.history) || b.history.length !== 1)
    roundProblems.responses.push(`register ${tag}: answered version ${b.version}, ${b.history?.length} history entries`);
  model.set(b.id, caseModelFromBody(b, agency.code));
  if (rand() < 0.25) await readLetters(ctx, b.id, agency.code);
}

async function appendEvent(ctx, c, tag) {
  const { srv, round } = ctx;
  const ev = chooseEvent(c, tag);
  if (!ev) {
    c.state = 'done';
    return;
  }
  busy.add(c.id);
  try {
    const seq = c.version + 1;
    // With If-Match the server must accept at most one of two identical concurrent events;
    // without it, both may be accepted one after the other (each then at its own position).
    const useIfMatch = rand() < 0.8;
    const headers = useIfMatch ? { 'If-Match': `"${c.version}"` } : {};
    const duel = rand() < 0.05;
    const send = () => call(srv, 'POST', `/api/v1/cases/${c.id}/events`, { token: tokens.get(c.agency), body: ev, headers });
    const answers = duel ? await Promise.all([send(), send()]) : [await send()];
    if (duel) stats.duels++;
    const accepted = [];
    for (const r of answers) {
      if (r.error) {
        if (!ctx.stopped.v) noteUnexpectedError(ctx, `event ${ev.event} on case ${c.id}`, r.error);
        if (r.error === 'ECONNREFUSED') {
          bump(stats.rejected, `${ev.event} ECONNREFUSED`);
          continue; // never reached the server: it must not be there
        }
        if (!pendingEvents.has(c.id)) pendingEvents.set(c.id, []);
        pendingEvents.get(c.id).push({ caseId: c.id, minSeq: seq, maxSeq: useIfMatch ? seq : seq + answers.length - 1, event: ev.event, round });
        stats.unknownEvents++;
        c.uncertain = true;
        continue;
      }
      if (r.status === 401) roundProblems.sessions.push(`event on case ${c.id}: 401 (session lost)`);
      if (r.status === 200 && r.body && typeof r.body.version === 'number') {
        accepted.push(r.body);
      } else {
        bump(stats.rejected, `${ev.event} ${r.status}${duel ? ' (duel)' : ''}`);
        if (!duel || r.status !== 409)
          roundProblems.responses.push(`${ev.event} on case ${c.id} (version ${c.version}): ${r.status} ${r.text.slice(0, 200)}`);
      }
    }
    if (useIfMatch && accepted.length > 1) {
      stats.duelBothOk++;
      roundProblems.duels.push(`case ${c.id}: the same ${ev.event} with If-Match ${c.version} was accepted twice ` +
        `(versions ${accepted.map((b) => b.version).join(', ')})`);
    }
    if (!accepted.length) return;
    accepted.sort((a, b) => a.version - b.version);
    accepted.forEach((b, i) => {
      stats.ackedEvents++;
      const at = b.version;
      const entry = b.history?.[at - 1];
      if (at !== seq + i || b.history?.length !== at || entry?.event !== ev.event)
        roundProblems.responses.push(`${ev.event} on case ${c.id}: expected version ${seq + i}, answered version ${at}, ` +
          `${b.history?.length} history entries, #${at} is ${entry?.event}`);
      const key = `${c.id}:${at}`;
      if (ledger.events.has(key)) roundProblems.duels.push(`case ${c.id}: two events acknowledged at position ${at}`);
      ledger.events.set(key, { caseId: c.id, seq: at, event: ev.event, round });
    });
    if (!c.uncertain) model.set(c.id, caseModelFromBody(accepted[accepted.length - 1], c.agency));
    if (WF.letterOf[ev.event] && rand() < 0.35) await readLetters(ctx, c.id, c.agency);
  } finally {
    busy.delete(c.id);
  }
}

// A read of the case's letters: what it shows was committed, so it must survive the kill.
async function readLetters(ctx, caseId, agency) {
  const r = await call(ctx.srv, 'GET', `/api/v1/cases/${caseId}/letters`, { token: tokens.get(agency) });
  if (r.error || r.status !== 200 || !Array.isArray(r.body)) {
    if (r.error && !ctx.stopped.v) noteUnexpectedError(ctx, `letters of case ${caseId}`, r.error);
    return;
  }
  stats.letterReads++;
  for (const l of r.body) {
    const prev = ledger.letters.get(l.id);
    if (prev && (prev.number !== l.number || prev.sha256 !== l.sha256 || prev.caseId !== caseId))
      roundProblems.responses.push(`letter ${l.id} changed between two reads: ${JSON.stringify(prev)} → ${l.number} ${l.sha256}`);
    ledger.letters.set(l.id, { id: l.id, caseId, kind: l.kind, number: l.number, sha256: l.sha256 });
  }
}

function noteUnexpectedError(ctx, what, err) {
  // A connection error before the kill is not a crash: the server dropped a request by itself.
  if (ctx.killAt !== null && Date.now() >= ctx.killAt - 5) return;
  stats.preKillErrors++;
  roundProblems.preKill.push(`${what}: ${err} before the kill`);
}

// ---------- the database as it is ----------
const DUMP_SQL = `
SELECT json_group_array(json_array(c.id, a.code, c.year, c.seq, c.number, c.content, c.version, c.state,
  p.id IS NOT NULL, s.rowid IS NOT NULL, c.received_on))
  FROM cases c JOIN agencies a ON a.id=c.agency_id LEFT JOIN applicants p ON p.id=c.applicant_id
  LEFT JOIN case_search s ON s.rowid=c.id;
SELECT json_group_array(json_array(id, case_id, seq, event)) FROM (SELECT id, case_id, seq, event FROM case_events ORDER BY case_id, seq);
SELECT json_group_array(json_array(l.id, l.case_id, l.event_id, l.kind, a.code, l.year, l.seq, l.number, l.sha256,
  length(l.docx), length(l.html), l.supersedes))
  FROM letters l JOIN cases c ON c.id=l.case_id JOIN agencies a ON a.id=c.agency_id;
SELECT json_group_array(json_array(a.code, n.kind, n.year, n.last)) FROM number_counters n JOIN agencies a ON a.id=n.agency_id;
SELECT json_group_array(json_array(id, action, target, detail))
  FROM (SELECT id, action, target, detail FROM audit_log WHERE action IN ('case.register','case.event') ORDER BY id);
SELECT json_group_array(json_array(id, case_id, replied_on)) FROM consultations;
SELECT json_group_array(json_array(id, case_id, decided_on)) FROM remedies;
SELECT json_group_array(json_array(code, number_pattern)) FROM agencies;
`;

function dumpDatabase(db) {
  const lines = sqlite(db, DUMP_SQL).trim().split('\n');
  if (lines.length !== 8) throw new Error(`unexpected dump output (${lines.length} lines)`);
  const [cases, events, letters, counters, audit, consultations, remedies, agencies] = lines.map((l) => JSON.parse(l));
  const d = {
    cases: new Map(),
    eventsByCase: new Map(),
    eventById: new Map(),
    lettersByEvent: new Map(),
    letters: new Map(),
    counters,
    auditByCase: new Map(),
    consultations: new Map(),
    remedies: new Map(),
    patterns: new Map(agencies),
  };
  for (const [id, agency, year, seq, number, content, version, state, hasApplicant, hasSearch, receivedOn] of cases) {
    const m = /\[(crash-[^\]]+)\]$/.exec(content);
    d.cases.set(id, { id, agency, year, seq, number, tag: m ? m[1] : null, version, state, hasApplicant: !!hasApplicant, hasSearch: !!hasSearch, receivedOn });
  }
  for (const [id, caseId, seq, event] of events) {
    if (!d.eventsByCase.has(caseId)) d.eventsByCase.set(caseId, []);
    const e = { id, caseId, seq, event };
    d.eventsByCase.get(caseId).push(e);
    d.eventById.set(id, e);
  }
  for (const [id, caseId, eventId, kind, agency, year, seq, number, sha256, docxLen, htmlLen, supersedes] of letters) {
    const l = { id, caseId, eventId, kind, agency, year, seq, number, sha256, docxLen, htmlLen, supersedes };
    d.letters.set(id, l);
    if (!d.lettersByEvent.has(eventId)) d.lettersByEvent.set(eventId, []);
    d.lettersByEvent.get(eventId).push(l);
  }
  for (const [id, action, target, detail] of audit) {
    const caseId = Number(target);
    if (!d.auditByCase.has(caseId)) d.auditByCase.set(caseId, []);
    d.auditByCase.get(caseId).push({ id, action, detail });
  }
  for (const [id, caseId, replied] of consultations) d.consultations.set(id, { id, caseId, replied });
  for (const [id, caseId, decided] of remedies) d.remedies.set(id, { id, caseId, decided });
  return d;
}

// ---------- the checks after a restart ----------
function verify(d, round) {
  const lost = [];
  const incomplete = [];
  const phantoms = [];
  const numbering = [];
  const label = `round ${round}`;

  // Acknowledged registrations and events are all there.
  for (const c of ledger.cases.values()) {
    const x = d.cases.get(c.id);
    if (!x) {
      lost.push(`case ${c.id} (${c.number}, ${c.tag}, acknowledged in round ${c.round}) is missing`);
      continue;
    }
    if (x.number !== c.number || x.agency !== c.agency || x.tag !== c.tag)
      lost.push(`case ${c.id} was acknowledged as ${c.agency} ${c.number} ${c.tag}, the database has ${x.agency} ${x.number} ${x.tag}`);
  }
  for (const e of ledger.events.values()) {
    const evs = d.eventsByCase.get(e.caseId) || [];
    const x = evs.find((v) => v.seq === e.seq);
    if (!x) lost.push(`event ${e.event} #${e.seq} of case ${e.caseId} (acknowledged in round ${e.round}) is missing`);
    else if (x.event !== e.event) lost.push(`event #${e.seq} of case ${e.caseId} was acknowledged as ${e.event}, the database has ${x.event}`);
  }
  for (const l of ledger.letters.values()) {
    const x = d.letters.get(l.id);
    if (!x) lost.push(`letter ${l.id} (${l.kind} ${l.number} of case ${l.caseId}, shown to a client) is missing`);
    else if (x.number !== l.number || x.sha256 !== l.sha256 || x.kind !== l.kind || x.caseId !== l.caseId)
      lost.push(`letter ${l.id} was shown as ${l.kind} ${l.number} ${l.sha256.slice(0, 12)}, the database has ${x.kind} ${x.number} ${x.sha256.slice(0, 12)}`);
  }

  // Everything in the database was asked for; unknown outcomes are resolved.
  const tagsSeen = new Map();
  const resolvedRegs = new Set();
  for (const x of d.cases.values()) {
    if (!x.tag) {
      phantoms.push(`case ${x.id} (${x.number}) carries no request tag`);
      continue;
    }
    if (tagsSeen.has(x.tag)) phantoms.push(`request ${x.tag} registered twice: cases ${tagsSeen.get(x.tag)} and ${x.id}`);
    tagsSeen.set(x.tag, x.id);
    if (ledger.cases.has(x.id) && ledger.cases.get(x.id).tag === x.tag) continue;
    const p = pendingRegs.get(x.tag);
    if (p && p.agency === x.agency) {
      resolvedRegs.add(x.tag);
      stats.unknownPresent++;
      ledger.cases.set(x.id, { id: x.id, agency: x.agency, year: x.year, number: x.number, tag: x.tag, round: p.round, fromUnknown: true });
      ledger.events.set(`${x.id}:1`, { caseId: x.id, seq: 1, event: 'register', round: p.round });
      continue;
    }
    phantoms.push(`case ${x.id} (${x.number}, ${x.tag}) is present, but its request was ${sentTags.get(x.tag) || 'never sent'}`);
  }
  for (const tag of pendingRegs.keys()) if (!resolvedRegs.has(tag)) stats.unknownAbsent++;
  pendingRegs = new Map();

  let absentEvents = 0;
  for (const [caseId, evs] of d.eventsByCase) {
    const pending = pendingEvents.get(caseId) || [];
    for (const e of evs) {
      const key = `${caseId}:${e.seq}`;
      if (ledger.events.has(key)) continue; // a mismatch is reported above
      const p = pending.find((q) => !q.used && q.event === e.event && e.seq >= q.minSeq && e.seq <= q.maxSeq);
      if (p) {
        p.used = true;
        stats.unknownPresent++;
        ledger.events.set(key, { caseId, seq: e.seq, event: e.event, round: p.round, fromUnknown: true });
        continue;
      }
      phantoms.push(`event ${e.event} #${e.seq} of case ${caseId} is present, but no request for it was acknowledged or left unanswered`);
    }
  }
  for (const list of pendingEvents.values()) absentEvents += list.filter((q) => !q.used).length;
  stats.unknownAbsent += absentEvents;
  pendingEvents = new Map();

  // Every case is complete and consistent.
  const consultByCase = new Map();
  for (const k of d.consultations.values()) {
    if (!consultByCase.has(k.caseId)) consultByCase.set(k.caseId, []);
    consultByCase.get(k.caseId).push(k);
  }
  const remedyByCase = new Map();
  for (const r of d.remedies.values()) {
    if (!remedyByCase.has(r.caseId)) remedyByCase.set(r.caseId, []);
    remedyByCase.get(r.caseId).push(r);
  }
  let ackedIncomplete = 0; // an acknowledged case that lost part of itself (a letter, an audit entry) is a loss too
  for (const x of d.cases.values()) {
    const evs = d.eventsByCase.get(x.id) || [];
    const where = `case ${x.id} (${x.number})`;
    const before = incomplete.length;
    if (!x.hasApplicant) incomplete.push(`${where}: its applicant row is missing`);
    if (!x.hasSearch) incomplete.push(`${where}: its search row is missing`);
    if (x.year !== Number(x.receivedOn.slice(0, 4))) incomplete.push(`${where}: year ${x.year} but received on ${x.receivedOn}`);
    if (!evs.length || evs[0].event !== 'register') incomplete.push(`${where}: no register event first`);
    evs.forEach((e, i) => {
      if (e.seq !== i + 1) incomplete.push(`${where}: event seqs are not 1..n (${evs.map((v) => v.seq).join(',')})`);
    });
    if (x.version !== evs.length) incomplete.push(`${where}: version ${x.version} but ${evs.length} events`);
    const folded = foldState(evs.map((e) => e.event));
    if (folded !== x.state) incomplete.push(`${where}: state column ${x.state}, events fold to ${folded} (${evs.map((e) => e.event).join(' → ')})`);
    // letters issued by each event (by event id)
    for (const e of evs) {
      const want = WF.letterOf[e.event] || null;
      const got = (d.lettersByEvent.get(e.id) || []).filter((l) => l.supersedes === null);
      const kinds = got.map((l) => l.kind).sort();
      const extra = kinds.filter((k) => k !== want && !(e.event === 'approve' && k === 'third_party_notice'));
      const main = kinds.filter((k) => k === want).length;
      if ((want && main !== 1) || (!want && got.length) || extra.length)
        incomplete.push(`${where}: event ${e.event} #${e.seq} (id ${e.id}) has letters [${kinds.join(',')}], expected ${want || 'none'}`);
      for (const l of got) {
        if (l.caseId !== x.id) incomplete.push(`${where}: letter ${l.id} of event ${e.id} names case ${l.caseId}`);
        if (!(l.docxLen > 0) || !(l.htmlLen > 0) || !/^[0-9a-f]{64}$/.test(l.sha256 || ''))
          incomplete.push(`${where}: letter ${l.id} (${l.kind}) has docx ${l.docxLen} bytes, html ${l.htmlLen}, sha256 ${l.sha256}`);
      }
    }
    // audit: one case.register, then one case.event per event, in order
    const au = d.auditByCase.get(x.id) || [];
    const regs = au.filter((a) => a.action === 'case.register');
    const evAudit = au.filter((a) => a.action === 'case.event').map((a) => a.detail.split(' ')[0]);
    const evCodes = evs.slice(1).map((e) => e.event);
    if (regs.length !== 1) incomplete.push(`${where}: ${regs.length} case.register audit entries`);
    if (evAudit.join(',') !== evCodes.join(','))
      incomplete.push(`${where}: audit case.event entries [${evAudit.join(',')}] but events [${evCodes.join(',')}]`);
    // projections of consult / remedy_filed events
    const consultIds = evs.filter((e) => e.event === 'consult').map((e) => e.id).sort((a, b) => a - b);
    const haveK = (consultByCase.get(x.id) || []).map((k) => k.id).sort((a, b) => a - b);
    if (consultIds.join(',') !== haveK.join(','))
      incomplete.push(`${where}: consult events [${consultIds}] but consultations [${haveK}]`);
    const remedyIds = evs.filter((e) => e.event === 'remedy_filed').map((e) => e.id).sort((a, b) => a - b);
    const haveR = (remedyByCase.get(x.id) || []).map((r) => r.id).sort((a, b) => a - b);
    if (remedyIds.join(',') !== haveR.join(','))
      incomplete.push(`${where}: remedy_filed events [${remedyIds}] but remedies [${haveR}]`);
    const l = ledger.cases.get(x.id);
    if (incomplete.length > before && l && !l.fromUnknown) ackedIncomplete++;
  }
  for (const [caseId] of d.eventsByCase) if (!d.cases.has(caseId)) incomplete.push(`events of case ${caseId}, which does not exist`);
  for (const l of d.letters.values()) {
    if (l.eventId === null || !d.eventById.has(l.eventId)) incomplete.push(`letter ${l.id} (${l.kind} ${l.number}) names event ${l.eventId}, which does not exist`);
    if (l.supersedes !== null) incomplete.push(`letter ${l.id} supersedes ${l.supersedes}, but no letter was reissued`);
  }

  // Numbers: unique, 1..k, counters agree, texts follow the patterns.
  const groups = new Map();
  const add = (key, seq, what) => {
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ seq, what });
  };
  for (const x of d.cases.values()) {
    add(`${x.agency}|case|${x.year}`, x.seq, `case ${x.id}`);
    const want = d.patterns.get(x.agency).replaceAll('{year}', String(x.year)).replaceAll('{seq}', String(x.seq));
    if (x.number !== want) numbering.push(`case ${x.id}: number ${x.number}, expected ${want}`);
  }
  const letterNumbers = new Map();
  for (const l of d.letters.values()) {
    add(`${l.agency}|letter:${l.kind}|${l.year}`, l.seq, `letter ${l.id}`);
    if (!l.number.endsWith(`〔${l.year}〕${l.seq}号`)) numbering.push(`letter ${l.id}: number ${l.number} does not end with 〔${l.year}〕${l.seq}号`);
    const nk = `${l.agency}|${l.number}`;
    if (letterNumbers.has(nk)) numbering.push(`letter number ${l.number} of ${l.agency} used by letters ${letterNumbers.get(nk)} and ${l.id}`);
    letterNumbers.set(nk, l.id);
  }
  const counters = new Map(d.counters.map(([agency, kind, year, last]) => [`${agency}|${kind}|${year}`, last]));
  for (const [key, items] of groups) {
    items.sort((a, b) => a.seq - b.seq);
    const dup = items.filter((it, i) => i > 0 && items[i - 1].seq === it.seq);
    if (dup.length) numbering.push(`${key}: number ${dup[0].seq} used twice (${items.filter((it) => it.seq === dup[0].seq).map((it) => it.what).join(', ')})`);
    const gaps = [];
    let want = 1;
    for (const it of items) {
      while (want < it.seq && gaps.length < 5) gaps.push(want++);
      want = Math.max(want, it.seq + 1);
    }
    if (gaps.length) numbering.push(`${key}: numbers ${gaps.join(', ')} missing (highest ${items[items.length - 1].seq}, ${items.length} used)`);
    const last = counters.get(key);
    if (last !== items[items.length - 1].seq || last !== items.length)
      numbering.push(`${key}: counter at ${last}, highest number used ${items[items.length - 1].seq}, ${items.length} used`);
  }
  for (const [key, last] of counters) if (!groups.has(key)) numbering.push(`${key}: counter at ${last}, but no number of that kind is used`);

  stats.losses += lost.length + ackedIncomplete;
  check(`${label}: every acknowledged case, event and shown letter is present (${ledger.cases.size} cases, ${ledger.events.size} events, ${ledger.letters.size} letters)`, lost);
  check(`${label}: nothing present that was refused or never asked for; unknown outcomes resolved`, phantoms);
  check(`${label}: every case complete (events 1..n, version, state, letters per event, audit entries, projections)`, incomplete);
  check(`${label}: case and letter numbers unique and gapless, counters agree (${groups.size} series)`, numbering);
  return lost.length + phantoms.length + incomplete.length + numbering.length === 0;
}

// The driving model from the database (after a restart nothing else is sure).
function rebuildModel(d) {
  const m = new Map();
  for (const x of d.cases.values()) {
    const evs = d.eventsByCase.get(x.id) || [];
    const ks = evs.filter((e) => e.event === 'consult').map((e) => ({ id: e.id, replied: !!d.consultations.get(e.id)?.replied }));
    const rs = evs.filter((e) => e.event === 'remedy_filed').map((e) => ({ id: e.id, decided: !!d.remedies.get(e.id)?.decided }));
    const done = x.state === 'archived' && rs.length > 0 && rs.every((r) => r.decided);
    m.set(x.id, {
      id: x.id,
      agency: x.agency,
      year: x.year,
      state: done ? 'done' : x.state,
      version: evs.length,
      consultations: ks,
      remedies: rs,
      extended: evs.some((e) => e.event === 'extend'),
      feeNoticed: evs.some((e) => e.event === 'fee_notice'),
    });
  }
  model = m;
}

async function databaseChecks(db, label) {
  const integrity = sqlite(db, 'PRAGMA integrity_check;').trim();
  const fk = sqlite(db, 'PRAGMA foreign_key_check;').trim();
  check(`${label}: PRAGMA integrity_check ok`, integrity === 'ok' ? [] : integrity.split('\n'));
  check(`${label}: PRAGMA foreign_key_check empty`, fk === '' ? [] : fk.split('\n'));
  const a = await ogi(['audit', 'verify', '--db', db], { allowFail: true });
  check(`${label}: ogi audit verify (${a.out.trim().split('\n')[0]})`, a.code === 0 ? [] : [`exit ${a.code}: ${a.out.trim()}`]);
  return integrity === 'ok' && fk === '' && a.code === 0;
}

// A sample of acknowledged cases, read back through the API after the restart.
async function apiSample(srv, round) {
  const problems = [];
  const ids = [...ledger.cases.keys()];
  const sample = [];
  for (let i = 0; i < Math.min(15, ids.length); i++) sample.push(pick(ids));
  for (const id of sample) {
    const c = ledger.cases.get(id);
    const r = await call(srv, 'GET', `/api/v1/cases/${id}`, { token: tokens.get(c.agency) });
    if (r.error || r.status !== 200) {
      problems.push(`GET case ${id}: ${r.error || `${r.status} ${r.text.slice(0, 200)}`}`);
      if (r.status === 401) roundProblems.sessions.push(`GET case ${id} after restart: 401 (session lost)`);
      continue;
    }
    const acked = [...ledger.events.values()].filter((e) => e.caseId === id).sort((a, b) => a.seq - b.seq);
    const hist = r.body.history || [];
    if (r.body.number !== c.number) problems.push(`case ${id}: number ${r.body.number}, acknowledged ${c.number}`);
    for (const e of acked)
      if (hist[e.seq - 1]?.event !== e.event) problems.push(`case ${id}: history #${e.seq} is ${hist[e.seq - 1]?.event}, acknowledged ${e.event}`);
    if (r.body.version !== hist.length) problems.push(`case ${id}: version ${r.body.version} with ${hist.length} history entries`);
  }
  check(`round ${round}: ${sample.length} acknowledged cases read back the same through the API`, problems);
}

async function login(srv, user) {
  const r = await call(srv, 'POST', '/api/v1/session', { body: { username: user, password: PASSWORD } });
  if (r.status !== 200 || !r.body?.token) throw new Error(`login ${user}: ${r.error || `${r.status} ${r.text}`}`);
  return r.body.token;
}

// ---------- main ----------
async function main() {
  const t0 = Date.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'ogi-crash-'));
  const db = path.join(dir, 'ogi.db');
  console.log(`# crash test: ${ROUNDS} rounds, ${CLIENTS} clients, seed ${SEED}, ogi ${OGI_BIN}, folder ${dir}`);
  await ogi(['init', '--db', db]);
  for (const a of AGENCIES) {
    await ogi(['agency', 'add', '--db', db, '--code', a.code, '--name', a.name, '--pattern', a.pattern]);
    await ogi(['user', 'add', '--db', db, '--agency', a.code, '--name', a.user, '--roles', ROLES, '--password-stdin'], { input: PASSWORD + '\n' });
  }
  const srv = new Server(dir, db);
  await srv.start();
  // One session per user for the whole run: a login answered 200 must survive the kills too.
  for (const a of AGENCIES) tokens.set(a.code, await login(srv, a.user));
  ok(`set-up: database, agencies ${AGENCIES.map((a) => a.code).join(', ')}, server ready in ${srv.startMs} ms`);

  let allGood = true;
  let rounds = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    rounds = round;
    for (const k of Object.keys(roundProblems)) roundProblems[k] = [];
    const killAfter = randInt(KILL_MIN_MS, KILL_MAX_MS);
    const ctx = { srv, round, stopped: { v: false }, killAt: null };
    const before = { regs: stats.ackedRegs, events: stats.ackedEvents, unknown: stats.unknownRegs + stats.unknownEvents };
    const workers = Array.from({ length: CLIENTS }, (_, n) => client(ctx, n));
    const loadStart = Date.now();
    ctx.killAt = loadStart + killAfter;
    await sleep(killAfter);
    ctx.stopped.v = true; // no new request from here; those in flight meet the kill
    const exit = await srv.kill();
    await Promise.all(workers);
    stats.killMs.push(killAfter);
    const acked = `${stats.ackedRegs - before.regs} registrations and ${stats.ackedEvents - before.events} events acknowledged, ` +
      `${stats.unknownRegs + stats.unknownEvents - before.unknown} unknown`;
    if (exit.signal !== 'SIGKILL') notok(`round ${round}: the server died by SIGKILL`, [`exit ${JSON.stringify(exit)}; see ${srv.logFile}`]);
    await srv.start();
    stats.restartMs.push(srv.startMs);
    ok(`round ${round}: killed after ${killAfter} ms (${acked}); restarted in ${srv.startMs} ms`);
    let good = true;
    good = check(`round ${round}: no connection dropped before the kill`, roundProblems.preKill) && good;
    good = check(`round ${round}: no duplicate number or id answered`, roundProblems.duplicateNumbers) && good;
    good = check(`round ${round}: of two identical concurrent events with If-Match at most one accepted`, roundProblems.duels) && good;
    good = check(`round ${round}: answers consistent (no 5xx, versions as expected)`, roundProblems.responses) && good;
    const d = dumpDatabase(db);
    good = verify(d, round) && good;
    good = (await databaseChecks(db, `round ${round}`)) && good;
    await apiSample(srv, round);
    good = check(`round ${round}: sessions survive the kill`, roundProblems.sessions) && good;
    if (roundProblems.sessions.length) for (const a of AGENCIES) tokens.set(a.code, await login(srv, a.user));
    rebuildModel(d);
    if (!good) {
      allGood = false;
      if (!KEEP_GOING) {
        console.log(`# stopping after the failing round ${round} (CRASH_KEEP_GOING=1 to go on)`);
        break;
      }
    }
  }
  const stop = await srv.stop();
  check('the server stops cleanly on SIGTERM after the last round', stop && stop.code === 0 ? [] : [`exit ${JSON.stringify(stop)}`]);
  const final = sqlite(db, 'PRAGMA integrity_check;').trim();
  check('integrity_check ok after the clean stop', final === 'ok' ? [] : final.split('\n'));

  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const rejected = Object.entries(stats.rejected).map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  const avg = (xs) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);
  console.log(`# rounds ${rounds}, acknowledged writes ${stats.ackedRegs + stats.ackedEvents} ` +
    `(${stats.ackedRegs} registrations, ${stats.ackedEvents} events), letters read ${ledger.letters.size}, losses ${stats.losses}`);
  console.log(`# unknown outcomes ${stats.unknownRegs + stats.unknownEvents} (present ${stats.unknownPresent}, absent ${stats.unknownAbsent}), ` +
    `duels ${stats.duels} (both accepted ${stats.duelBothOk}), refused: ${rejected}`);
  console.log(`# kill after ${Math.min(...stats.killMs)}–${Math.max(...stats.killMs)} ms, restart ${avg(stats.restartMs)} ms on average, ` +
    `database ${dbSize(db)}; ${secs} s in all`);
  console.log(failCount === 0 ? `${passCount} passed` : `${passCount} passed, ${failCount} failed`);
  if (failCount === 0 && !process.env.OGI_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
  else console.log(`# kept ${dir} (database ogi.db, server.log)`);
  process.exit(failCount === 0 && allGood ? 0 : 1);
}

function dbSize(db) {
  try {
    const out = sqlite(db, 'SELECT page_count*page_size FROM pragma_page_count(), pragma_page_size();').trim();
    return `${(Number(out) / 1048576).toFixed(1)} MB`;
  } catch {
    return '?';
  }
}

main().catch((e) => {
  console.log(`not ok - the crash test stopped: ${e.stack || e}`);
  console.log(`${passCount} passed, ${failCount + 1} failed`);
  process.exit(1);
});
