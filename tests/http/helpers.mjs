// Shared helpers for the HTTP API suite (node:test, no npm dependencies).
//
// Each test file calls useServer(...) once at top level: it creates a fresh database in a temp
// folder with the `ogi` CLI (init, agencies A1 and B2, users), starts `ogi serve` on a free port
// as a child process with OGI_TODAY fixed, and stops it (SIGTERM, then waits for exit) in an
// `after` hook. Files therefore run in parallel without sharing state.
//
// Environment: OGI_BIN (the ogi binary), OGI_SOURCE_DIR (repo root), OGI_SHARED_DIR (../shared);
// OGI_TEST_PG (an admin URL, e.g. postgresql://postgres@127.0.0.1:54329/postgres): every server
// then gets a fresh PostgreSQL database instead of a SQLite file (deploy/pg-test-server.sh);
// defaults $OGI_SOURCE_DIR/build/ogi, /work/main, $OGI_SOURCE_DIR/../shared. OGI_KEEP_TMP=1 keeps the temp
// folders (database, attachments) for inspection. Needs node >= 20 and the sqlite3 CLI.
//
// Run: node --test tests/http/
// CTest: add_test(NAME api COMMAND node --test ${CMAKE_CURRENT_SOURCE_DIR}/api/)
//        set_tests_properties(api PROPERTIES ENVIRONMENT
//          "OGI_BIN=$<TARGET_FILE:ogi>;OGI_SOURCE_DIR=${CMAKE_SOURCE_DIR};OGI_SHARED_DIR=${CMAKE_SOURCE_DIR}/../shared")
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SOURCE_DIR = process.env.OGI_SOURCE_DIR || '/work/main';
export const OGI_BIN = process.env.OGI_BIN || path.join(SOURCE_DIR, 'build', 'ogi');
export const SHARED_DIR = process.env.OGI_SHARED_DIR || path.join(SOURCE_DIR, '..', 'shared');
// "Today" of every server and command these tests start: pinned, never the wall clock. CI runs the
// suite a second time with OGI_TEST_TODAY after the last official calendar year (deploy/test.sh).
export const TODAY = process.env.OGI_TEST_TODAY || '2026-11-27';
// TODAY moved by n calendar days (YYYY-MM-DD).
export function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const PASSWORD = 'pass-word-123';

// The agencies every server gets (contract.md set-up; the pattern gives 测〔2024〕第1号).
export const DEFAULT_AGENCIES = [
  { code: 'A1', name: '测试机关', pattern: '测〔{year}〕第{seq}号' },
  { code: 'B2', name: '另一机关', pattern: '另〔{year}〕第{seq}号' },
];

// The tables whose row counts must not move on a rejected request.
export const CASE_TABLES = ['cases', 'case_events', 'applicants', 'number_counters', 'consultations', 'remedies'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The program may be rebuilt while the suite runs: wait for it to be there again.
async function waitForBinary(timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  while (!existsSync(OGI_BIN)) {
    if (Date.now() > end) throw new Error(`ogi binary not found at ${OGI_BIN}`);
    await sleep(200);
  }
}

function transient(e) {
  return e && (e.code === 'ENOENT' || e.code === 'ETXTBSY' || e.code === 'EACCES');
}

// Runs `ogi ARGS` (stdin optional); returns stdout. Retries while the binary is being replaced.
export async function ogi(args, { input, env } = {}) {
  for (let attempt = 0; ; attempt++) {
    await waitForBinary();
    try {
      return execFileSync(OGI_BIN, args, {
        input: input ?? '',
        env: { ...process.env, OGI_TODAY: TODAY, ...env },
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (e) {
      if (transient(e) && attempt < 50) {
        await sleep(300);
        continue;
      }
      const err = new Error(`ogi ${args.join(' ')} failed (status ${e.status}): ${e.stderr || e.message}`);
      err.cause = e;
      throw err;
    }
  }
}

export const PG_ADMIN = process.env.OGI_TEST_PG || '';
const isUrl = (db) => /^postgres(ql)?:\/\//.test(db);

// Runs SQL with psql on a PostgreSQL URL: rows as `a|b` lines, like the sqlite3 CLI. A script
// starting with `.mode json` gives a JSON array of its one query's rows, as sqlite3 does.
function psql(url, sql) {
  let script = sql;
  if (script.startsWith('.mode json\n')) {
    const q = script.slice('.mode json\n'.length).trim().replace(/;$/, '');
    script = `SELECT coalesce(json_agg(t), '[]') FROM (${q}) t;`;
  }
  return execFileSync('psql', ['-X', '-q', '-At', '-F', '|', '-v', 'ON_ERROR_STOP=1', url], { input: script, encoding: 'utf8' });
}

// A fresh, empty PostgreSQL database (its URL) for one server, or null on SQLite runs.
export function freshPgDatabase() {
  if (!PG_ADMIN) return null;
  const name = `ogi_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  psql(PG_ADMIN, `CREATE DATABASE ${name};`);
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
}

export function dropPgDatabase(url) {
  if (!url || !isUrl(url) || !PG_ADMIN) return;
  const name = url.replace(/^.*\//, '').replace(/\?.*$/, '');
  try {
    psql(PG_ADMIN, `DROP DATABASE IF EXISTS ${name} WITH (FORCE);`);
  } catch {
    /* best effort */
  }
}

// Counts rows with the sqlite3 CLI (psql on PostgreSQL): {table: n}.
export function countRows(db, tables = CASE_TABLES) {
  const sql = tables.map((t) => `SELECT '${t}', count(*) FROM ${t};`).join('\n');
  const out = isUrl(db) ? psql(db, sql) : execFileSync('sqlite3', ['-cmd', '.timeout 5000', db], { input: sql, encoding: 'utf8' });
  const r = {};
  for (const line of out.trim().split('\n')) {
    const [t, n] = line.split('|');
    r[t] = Number(n);
  }
  return r;
}

export function sqlite(db, sql) {
  if (isUrl(db)) return psql(db, sql);
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', db], { input: sql, encoding: 'utf8' });
}

// An API response: {status, headers, text, body (parsed JSON or undefined)}.
async function toResult(res) {
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  let body;
  if ((res.headers.get('content-type') || '').includes('json') && text.length) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return { status: res.status, headers: res.headers, text, buf, body };
}

export class Server {
  // `config`: optional serve properties ({'ogi.request_timeout_seconds': 2, ...}), written to a
  // file in the temp folder and passed with --config (none by default).
  constructor({ agencies = DEFAULT_AGENCIES, users = [], env = {}, config = null } = {}) {
    this.agencies = agencies;
    this.users = users;
    this.env = env;
    this.config = config;
    // A server that closes idle connections sooner than fetch's pool keeps them (4 s) would
    // race a reused connection against its own close ("fetch failed" on a loaded machine):
    // such a server gets every request on a connection of its own.
    const c = config ?? {};
    this.shortIdle =
      Math.min(Number(c['ogi.request_timeout_seconds'] ?? 30), Number(c['ogi.header_timeout_seconds'] ?? 5)) < 5;
    this.log = '';
    this.tokens = new Map();
  }

  // Idempotent: every request waits for it, so hook order does not matter.
  ensureStarted() {
    this.ready ||= this.start();
    return this.ready;
  }

  async start() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'ogi-api-'));
    this.db = freshPgDatabase() || path.join(this.dir, 'ogi.db');
    this.portFile = path.join(this.dir, 'port');
    await ogi(['init', '--db', this.db]);
    for (const a of this.agencies) {
      const args = ['agency', 'add', '--db', this.db, '--code', a.code, '--name', a.name];
      if (a.pattern) args.push('--pattern', a.pattern);
      if (a.parent) args.push('--parent', a.parent);
      if (a.kind) args.push('--kind', a.kind);
      if (a.body) args.push('--reconsideration-body', a.body);
      if (a.policy) args.push('--remedy-policy', a.policy);
      await ogi(args);
    }
    for (const u of this.users) await this.addUser(u);
    await this.spawn();
  }

  async addUser({ name, agency = 'A1', roles, password = PASSWORD, display }) {
    await ogi(['user', 'add', '--db', this.db, '--agency', agency, '--name', name, '--roles', roles.join(','),
      '--password-stdin', ...(display ? ['--display', display] : [])], { input: password + '\n' });
  }

  async spawn() {
    for (let attempt = 0; ; attempt++) {
      await waitForBinary();
      try {
        await this.spawnOnce();
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

  async spawnOnce() {
    rmSync(this.portFile, { force: true });
    const args = ['serve', '--db', this.db, '--listen', '127.0.0.1:0', '--port-file', this.portFile];
    if (isUrl(this.db)) args.push('--attachments', `${this.dir}/ogi.db.attachments`);
    if (this.config) {
      const file = path.join(this.dir, 'serve.properties');
      // `${dir}` in a value stands for this server's temp folder.
      writeFileSync(file, Object.entries(this.config).map(([k, v]) => `${k} = ${String(v).replaceAll('${dir}', this.dir)}\n`).join(''));
      args.push('--config', file);
    }
    const child = spawn(OGI_BIN, args, {
      env: { ...process.env, OGI_TODAY: TODAY, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    let spawnError = null;
    child.on('error', (e) => {
      spawnError = e;
    });
    let gone = null;
    this.exited.then((x) => {
      gone = x;
    });
    child.stdout.on('data', (d) => (this.log += d.toString('utf8')));
    child.stderr.on('data', (d) => (this.log += d.toString('utf8')));
    const end = Date.now() + 20000;
    for (;;) {
      if (spawnError) throw spawnError;
      if (gone) throw new Error(`ogi serve exited before it was ready (${JSON.stringify(gone)}):\n${this.log}`);
      if (Date.now() > end) throw new Error(`ogi serve not ready in time:\n${this.log}`);
      if (existsSync(this.portFile)) {
        const port = Number(readFileSync(this.portFile, 'utf8').trim());
        if (port > 0) {
          this.port = port;
          this.url = `http://127.0.0.1:${port}`;
          try {
            const r = await fetch(this.url + '/healthz');
            await r.arrayBuffer();
            if (r.status === 200) return;
          } catch {
            /* not yet */
          }
        }
      }
      await sleep(25);
    }
  }

  async stop() {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const t = setTimeout(() => this.child.kill('SIGKILL'), 10000);
      await this.exited;
      clearTimeout(t);
    }
    if (this.dir && !process.env.OGI_KEEP_TMP) {
      rmSync(this.dir, { recursive: true, force: true });
      dropPgDatabase(this.db);
    }
  }

  // One request: opts {headers, body (string/Buffer/object → JSON), token, fresh}. Redirects are
  // not followed. `fresh` sends it on a new connection that is closed afterwards (node:http),
  // for requests whose body the server may leave unread.
  async request(method, p, { body, headers = {}, token, fresh = false } = {}) {
    await this.ensureStarted();
    const h = { ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    let payload = body;
    if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
      payload = JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    }
    if (fresh || this.shortIdle) return this.freshRequest(method, p, h, payload);
    const res = await fetch(this.url + p, { method, headers: h, body: payload, redirect: 'manual' });
    return toResult(res);
  }

  freshRequest(method, p, headers, payload, agent = false) {
    const data = payload === undefined ? undefined : Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
    const h = { ...headers };
    if (!agent) h.Connection = 'close';
    if (data) h['Content-Length'] = data.length;
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, path: p, method, headers: h, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          const text = buf.toString('utf8');
          let body;
          if ((res.headers['content-type'] || '').includes('json') && text.length) {
            try {
              body = JSON.parse(text);
            } catch {
              body = undefined;
            }
          }
          resolve({ status: res.statusCode, headers: new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
            text, buf, body, socket: req.socket });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    });
  }

  async login(username, password = PASSWORD) {
    const r = await this.request('POST', '/api/v1/session', { body: { username, password } });
    assert.equal(r.status, 200, `login ${username}: ${r.text}`);
    assert.match(r.body.token, /^[0-9a-f]{64}$/);
    return r.body.token;
  }

  // A cached token per user name.
  async token(username) {
    if (!this.tokens.has(username)) this.tokens.set(username, await this.login(username));
    return this.tokens.get(username);
  }

  // api('alice', 'GET', '/api/v1/cases') — logs in as that user (once) and sends the bearer token.
  async api(username, method, p, body, headers = {}) {
    return this.request(method, p, { body, headers, token: await this.token(username) });
  }

  // Call after ensureStarted() (any earlier request has done so).
  counts(tables = CASE_TABLES) {
    return countRows(this.db, tables);
  }
}

// Registers before/after hooks that start and stop one server for the current file.
export function useServer(opts) {
  const srv = new Server(opts);
  before(async () => {
    await srv.ensureStarted();
  });
  after(async () => {
    await srv.stop();
  });
  return srv;
}

// The error body of contract.md: {"error":{"code","message"}}.
// The staff login form as a browser posts it: GET /login gives the form's token and the cookie it
// must match (login CSRF); `fields` are added to them. Returns { body, headers, token }.
export async function loginForm(server, fields) {
  const page = await server.request('GET', '/login', { fresh: true });
  assert.equal(page.status, 200, page.text.slice(0, 200));
  const token = /name="_csrf" value="([0-9a-f]{64})"/.exec(page.text)?.[1];
  const cookie = /ogi_login=([0-9a-f]{64})/.exec(page.headers.get('set-cookie') || '')?.[1];
  assert.ok(token && cookie === token, `the login form's token and its cookie: ${token} / ${cookie}`);
  return {
    token,
    body: new URLSearchParams({ ...fields, _csrf: token }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `ogi_login=${cookie}` },
  };
}

export function assertError(r, status, code, fieldInMessage) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  assert.ok(r.body && typeof r.body === 'object', `error body should be JSON: ${r.text}`);
  assert.equal(typeof r.body.error, 'object', `error body: ${r.text}`);
  assert.equal(r.body.error.code, code, `error code: ${r.text}`);
  assert.equal(typeof r.body.error.message, 'string');
  assert.ok(r.body.error.message.length > 0, 'error message is empty');
  if (fieldInMessage)
    assert.ok(r.body.error.message.includes(fieldInMessage), `message should name ${fieldInMessage}: ${r.body.error.message}`);
}

// A valid registration body; override parts with `extra` (applicant fields merged).
export function registration(extra = {}) {
  const { applicant, ...rest } = extra;
  return {
    agency: 'A1',
    applicant: { type: 'natural_person', name: '张三', id_type: 'resident_id', id_number: '11010519491231002X',
      phone: '13812345678', address: '北京市东城区某路1号', email: 'zhangsan@example.com', ...applicant },
    channel: 'post',
    received_on: '2024-03-01',
    content: '申请公开2024年某项目的批复文件',
    form: 'paper',
    delivery: 'post',
    ...rest,
  };
}

// Runs fn over items with at most `limit` in flight; results in order.
export async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// A bare HTTP/1.1 connection, for what fetch hides: sending the head before the body, several
// requests on one connection, seeing whether the server closed it.
export class RawConnection {
  constructor(port) {
    this.port = port;
    this.buf = Buffer.alloc(0);
    this.closed = false;
    this.error = null;
    this.waiters = [];
  }

  open() {
    return new Promise((resolve, reject) => {
      this.sock = net.connect(this.port, '127.0.0.1', () => resolve(this));
      this.sock.on('error', (e) => {
        this.error = e;
        reject(e);
        this.wake();
      });
      this.sock.on('data', (d) => {
        this.buf = Buffer.concat([this.buf, d]);
        this.wake();
      });
      this.sock.on('close', () => {
        this.closed = true;
        this.wake();
      });
    });
  }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  // Writes; resolves false instead of throwing when the server has gone.
  write(data) {
    return new Promise((resolve) => {
      if (this.closed || this.sock.destroyed) return resolve(false);
      this.sock.write(data, (e) => resolve(!e));
    });
  }

  // The next complete response {status, headers (lower-case keys), body, text}, or null when the
  // connection closed first. Needs Content-Length (the server always sends it).
  async readResponse(timeoutMs = 10000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const head = this.buf.indexOf('\r\n\r\n');
      if (head >= 0) {
        const lines = this.buf.subarray(0, head).toString('latin1').split('\r\n');
        const status = Number(lines[0].split(' ')[1]);
        const headers = {};
        for (const l of lines.slice(1)) {
          const i = l.indexOf(':');
          headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
        }
        const len = Number(headers['content-length'] ?? 0);
        if (this.buf.length >= head + 4 + len) {
          const body = this.buf.subarray(head + 4, head + 4 + len);
          this.buf = this.buf.subarray(head + 4 + len);
          const text = body.toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          return { status, headers, text, body: json, line: lines[0] };
        }
      }
      if (this.closed || this.error) return null;
      if (Date.now() > end) throw new Error(`no complete response within ${timeoutMs} ms; got: ${this.buf.toString('latin1').slice(0, 200)}`);
      await new Promise((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  // Resolves once the server has closed the connection (or after timeoutMs); true if closed.
  async waitClosed(timeoutMs = 2000) {
    const end = Date.now() + timeoutMs;
    while (!this.closed && !this.error && Date.now() < end)
      await new Promise((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    return this.closed || !!this.error;
  }

  destroy() {
    this.sock?.destroy();
  }
}

// The head of an HTTP/1.1 request.
export function requestHead(method, p, headers = {}) {
  const lines = [`${method} ${p} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8');
}


// ---- scenario replay (contract.md "Scenario files"), shared by scenarios.test.mjs and reports.test.mjs ----

// Keys of a scenario case that are not part of its registration body.
export const SCENARIO_NOT_REGISTRATION = new Set(['ref', 'events', 'expect_due_on', 'expect']);
// The roles of the one user that replays a scenario.
export const SCENARIO_ROLES = ['registrar', 'handler', 'approver', 'office'];

// The scenario files: [{file, scenario}], sorted by name.
export function scenarioFiles() {
  const dir = path.join(SHARED_DIR, 'scenarios');
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((file) => ({ file, scenario: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) }));
}

// The notices whose service starts a period, by the event that issues them.
export const SERVED_BY_EVENT = { request_correction: 'correction_notice', fee_notice: 'fee_notice', consult: 'consultation_letter' };
export function serviceMethod(channel) {
  if (channel === 'in_person') return 'direct';
  if (channel === 'post' || channel === 'ordinary_post') return 'post';
  return 'electronic';
}

// Replays one scenario case as `user`: registers it, posts its events in order (mapping the
// 1-based `consultation`/`remedy` positions to the ids the API returned) and checks
// `expect_due_on`. Returns {id, problems} (problems empty when all is well; id null when the
// registration failed).
export async function replayCase(srv, user, k, index) {
  const label = `case ${k.ref ?? index + 1}`;
  const problems = [];
  const body = Object.fromEntries(Object.entries(k).filter(([key]) => !SCENARIO_NOT_REGISTRATION.has(key)));
  const reg = await srv.api(user, 'POST', '/api/v1/cases', body);
  if (reg.status !== 201) return { id: null, problems: [`${label}: register → ${reg.status} ${reg.text}`] };
  const id = reg.body.id;
  let c = reg.body;
  const consultationIds = [];
  const remedyIds = [];
  const learn = (list, ids) => {
    for (const x of list) if (!ids.includes(x.id)) ids.push(x.id);
  };
  for (const [n, e] of (k.events ?? []).entries()) {
    const payload = { ...e };
    if ('consultation' in e) {
      payload.consultation = consultationIds[e.consultation - 1];
      if (payload.consultation === undefined) {
        problems.push(`${label} event ${n + 1} (${e.event}): no consultation #${e.consultation} was returned`);
        break;
      }
    }
    if ('remedy' in e) {
      payload.remedy = remedyIds[e.remedy - 1];
      if (payload.remedy === undefined) {
        problems.push(`${label} event ${n + 1} (${e.event}): no remedy #${e.remedy} was returned`);
        break;
      }
    }
    const r = await srv.api(user, 'POST', `/api/v1/cases/${id}/events`, payload);
    if (r.status !== 200) {
      problems.push(`${label} event ${n + 1} ${JSON.stringify(e)} → ${r.status} ${r.text}`);
      break;
    }
    c = r.body;
    learn(c.consultations ?? [], consultationIds);
    learn(c.remedies ?? [], remedyIds);
    const notice = SERVED_BY_EVENT[e.event];
    if (notice) {
      // The scenario files carry no service dates: each notice is taken as served the day it was
      // issued (domain.md §6 "Served"), by the way that suits how the application came in.
      const serve = { event: 'serve_notice', on: e.on, notice, method: serviceMethod(k.channel) };
      if (notice === 'consultation_letter') serve.consultation = consultationIds[consultationIds.length - 1];
      const s = await srv.api(user, 'POST', `/api/v1/cases/${id}/events`, serve);
      if (s.status !== 200) {
        problems.push(`${label} event ${n + 1}: serve_notice ${JSON.stringify(serve)} → ${s.status} ${s.text}`);
        break;
      }
      c = s.body;
    }
  }
  if (k.expect_due_on !== undefined && problems.length === 0) {
    const shown = await srv.api(user, 'GET', `/api/v1/cases/${id}`);
    if (shown.status !== 200) problems.push(`${label}: GET → ${shown.status} ${shown.text}`);
    else if (shown.body.due_on !== k.expect_due_on)
      problems.push(`${label}: due_on ${shown.body.due_on} (${shown.body.due_note ?? shown.body.due_explanation ?? ''}), expected ${k.expect_due_on}`);
    if (c.due_on !== k.expect_due_on && shown.body?.due_on === k.expect_due_on)
      problems.push(`${label}: the last event answered due_on ${c.due_on}, GET answers ${shown.body.due_on}`);
  }
  return { id, problems };
}

// Replays every case of a scenario (a few at a time, each case's events in order). Returns
// {ids (per case, in file order), problems}.
export async function replayScenario(srv, user, scenario, limit = 6) {
  const results = await pool(scenario.cases ?? [], limit, (k, i) => replayCase(srv, user, k, i));
  return { ids: results.map((r) => r.id), problems: results.flatMap((r) => r.problems) };
}
