// Security properties of the server (issue 6), beyond the authorization matrix:
//  1. CSRF: a browser (cookie) session must prove every non-GET request with its CSRF token.
//  2. Sessions expire: idle limit (sliding), absolute limit, both from the configuration;
//     an expired or deactivated session answers 401 / the login redirect.
//  3. Login throttling per account and per address, and the end of the window.
//  4. SQL metacharacters and path tricks in every text field, query parameter, file name and
//     template name: stored verbatim and read back identically, or refused with a clear 4xx with
//     nothing written; never a 500, never another agency's data, never a file outside the store.
//     A NUL is the exception: anywhere in a request's text (path, query, form or JSON body) it is
//     refused at the door with 400 "malformed" and nothing done; in a file name sent otherwise
//     (X-Filename, multipart) it is a control character: 422 "invalid". Both engines alike.
//  5. Oversized requests → 413 (body limits per route) / 400 (head limits), the server lives on.
//  6. Slow requests (slowloris): cut off within the configured timeout, others served meanwhile.
//
// Three servers: `srv` (defaults), `thr` (throttling, whose address locks must not disturb the
// rest) and `lim` (ogi.request_timeout_seconds=2, ogi.threads=8, ogi.session.minutes=1,
// ogi.session.max_hours=1). Failed logins that are not about throttling are sent from other
// loopback addresses (127.0.0.x) so they never lock the address the suite logs in from.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readdirSync, existsSync, mkdtempSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  useServer, registration, PASSWORD, RawConnection, requestHead, sqlite, pool, assertError, loginForm,
} from './helpers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ALL_CASE_ROLES = ['registrar', 'handler', 'approver', 'office'];

// Where the main server spools uploads (its TMPDIR), to watch it do so.
const SPOOL = mkdtempSync(path.join(tmpdir(), 'ogi-spool-'));
const spooled = () => readdirSync(SPOOL).filter((f) => /^ogi-(upload|part)-/.test(f));
after(() => rmSync(SPOOL, { recursive: true, force: true }));  // the server's temporary folder
const srv = useServer({
  env: { TMPDIR: SPOOL },
  users: [
    { name: 'allA', roles: ALL_CASE_ROLES },
    { name: 'reg', roles: ['registrar'] },
    { name: 'adm', roles: ['admin'] },
    { name: 'adm2', roles: ['admin'] },
    { name: 'aud', roles: ['auditor'] },
    { name: 'allB', agency: 'B2', roles: ALL_CASE_ROLES },
    { name: 'leaver', roles: ['handler'] },
    { name: 'guessme', roles: ['handler'] },
  ],
});
const thr = useServer({
  users: ['victim', 'bystander', 'resetme', 'formuser', 'other'].map((name) => ({ name, roles: ['handler'] })),
  // the reverse proxy (deploy/nginx) for the client-address tests; room for 60 concurrent guesses from one address
  config: { 'ogi.trusted-proxy': '127.0.0.40', 'ogi.connections_per_address': 100 },
});
// Idle connections (issue 18, finding 3): 4 per address, 2 s to send a request head.
const caps = useServer({
  users: [{ name: 'allA', roles: ALL_CASE_ROLES }],
  config: { 'ogi.threads': 8, 'ogi.connections_per_address': 4, 'ogi.header_timeout_seconds': 2 },
});
const TIMEOUT_S = 2;
const lim = useServer({
  users: [{ name: 'allA', roles: ALL_CASE_ROLES }],
  config: { 'ogi.request_timeout_seconds': TIMEOUT_S, 'ogi.threads': 8, 'ogi.session.minutes': 1, 'ogi.session.max_hours': 1 },
});

// ---- shared bits ----

const B2_NAME = '乙机关申请人';
const B2_CONTENT = 'B2专属内容XYZ';
const B2_MARKERS = [B2_NAME, B2_CONTENT];
const now = () => Math.floor(Date.now() / 1000);

// Strings that break naive SQL, LIKE patterns, FTS queries, paths, headers and templates.
const NASTY = [
  "'", '"', ';', '--', '%', '_', '\\', '\u0000', 'a\u0000bc',
  "' OR 1=1 --", "' OR '1'='1", '" OR ""="', "'; DROP TABLE cases; --", '1); DELETE FROM applicants; --',
  '%_%', "\\'; SELECT * FROM users; --", "admin'--", '＇ＯＲ１＝１－－', '😀 𠀀 \u202Eabc\u202C é',
  '../../../../etc/passwd', '..\\..\\..\\windows\\win.ini', '%2e%2e%2f%2e%2e%2f', '..%252f..%252f', '/etc/passwd',
  'C:\\Windows\\System32', 'x\r\nSet-Cookie: evil=1', '<script>alert(1)</script>', '{{#a}}{{/a}}',
];
const show = (v) => JSON.stringify(v);

// A NUL anywhere in a request's text (path, query parameter, form or JSON body) is refused before
// routing and authentication: 400 "malformed" with this message (pages: a 400 page saying it), and
// nothing is written (dispatcher.cpp has_nul: PostgreSQL cannot store a NUL, and both engines must
// behave alike). In a file name that arrives otherwise (the X-Filename header, a multipart file
// name) it is a control character: 422 "invalid" (attachments.cpp).
const hasNul = (v) => typeof v === 'string' && v.includes('\u0000');
const NUL_MESSAGE = '请求中含有空字符（NUL），未作处理';
const NUL_NAME_MESSAGE = 'name: 文件名含有控制字符';
// '' when r is exactly that refusal (api: the JSON error; otherwise the HTML page), else what differs.
function nulProblem(r, api) {
  const got = `${r.status} ${r.text.slice(0, 120)}`;
  if (r.status !== 400) return `a NUL must be refused with 400, got ${got}`;
  if (api) {
    if (r.body?.error?.code !== 'malformed' || r.body.error.message !== NUL_MESSAGE)
      return `expected {"error":{"code":"malformed","message":${show(NUL_MESSAGE)}}}, got ${got}`;
  } else if (r.body !== undefined || !r.text.includes(`<p>${NUL_MESSAGE}</p>`)) {
    return `expected a 400 page saying ${show(NUL_MESSAGE)}, got ${got}`;
  }
  return '';
}

// One request on its own connection, optionally from another loopback address.
function rawRequest(server, method, p, { headers = {}, body, localAddress } = {}) {
  const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const h = { Connection: 'close', ...headers };
  if (data) h['Content-Length'] = data.length;
  if (body !== undefined && typeof body !== 'string' && !h['Content-Type']) h['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: p, method, headers: h, localAddress, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, text, body: json });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

const apiLogin = (server, username, password, localAddress) =>
  rawRequest(server, 'POST', '/api/v1/session', { body: { username, password }, localAddress });

// A browser login: POST /login, the cookie it sets, and the CSRF token of the page.
async function browserLogin(server, username) {
  const r = await server.request('POST', '/login', await loginForm(server, { username, password: PASSWORD }));
  assert.equal(r.status, 303, r.text);
  const c = r.headers.getSetCookie().find((x) => x.startsWith('ogi_session='));
  assert.ok(c, 'a session cookie');
  const token = /^ogi_session=([0-9a-f]{64})/.exec(c)[1];
  const page = await server.request('GET', '/cases/new', { headers: { Cookie: `ogi_session=${token}` } });
  assert.equal(page.status, 200);
  const m = /name="_csrf" value="([0-9a-f]+)"/.exec(page.text);
  assert.ok(m, 'the page carries the CSRF token');
  return { token, csrf: m[1], cookie: { Cookie: `ogi_session=${token}` } };
}

const formHeaders = (cookie) => ({ ...cookie, 'Content-Type': 'application/x-www-form-urlencoded' });
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

const setSession = (server, token, sql) => sqlite(server.db, `UPDATE sessions SET ${sql} WHERE token_hash='${sha256(token)}';`);
const sessionRow = (server, token) => sqlite(server.db, `SELECT created_at || '|' || expires_at FROM sessions WHERE token_hash='${sha256(token)}';`).trim();

function leaks(text) {
  return B2_MARKERS.filter((m) => text.includes(m));
}

let caseA; // an A1 case
let caseB; // a B2 case (its applicant name and request text mark B2 data)

before(async () => {
  await srv.ensureStarted();
  let r = await srv.api('allA', 'POST', '/api/v1/cases', registration({ applicant: { name: '甲机关申请人' } }));
  assert.equal(r.status, 201, r.text);
  caseA = r.body;
  r = await srv.api('allB', 'POST', '/api/v1/cases',
    registration({ agency: 'B2', content: `申请公开${B2_CONTENT}`, applicant: { name: B2_NAME } }));
  assert.equal(r.status, 201, r.text);
  caseB = r.body;
});

// The three servers are independent: their groups run at the same time; within a group the
// tests run one after the other (row counts are compared before and after).
describe('security', { concurrency: 3 }, () => {
  describe('main server', { concurrency: 1 }, () => {
    // =====================================================================================
    // 1. CSRF
    // =====================================================================================

    describe('CSRF: a cookie session must send its token on every non-GET request', () => {
      let s;
      let other;
      before(async () => {
        s = await browserLogin(srv, 'allA');
        other = await browserLogin(srv, 'reg');
      });

      const eventCount = (id) => Number(sqlite(srv.db, `SELECT count(*) FROM case_events WHERE case_id=${id};`).trim());

      test('a UI form (POST /cases/{id}/events): no token, a wrong one, another session\'s → 403; the right one → done', async () => {
        const body = (extra) => new URLSearchParams({ event: 'consult', on: '2024-03-04', party: 'third_party', name: '某公司', ...extra }).toString();
        const n = eventCount(caseA.id);
        for (const [what, extra] of [
          ['no token', {}],
          ['an empty token', { _csrf: '' }],
          ['a wrong token', { _csrf: 'f'.repeat(64) }],
          ["another session's token", { _csrf: other.csrf }],
          ['the session token itself', { _csrf: s.token }],
        ]) {
          const r = await srv.request('POST', `/cases/${caseA.id}/events`, { body: body(extra), headers: formHeaders(s.cookie), fresh: true });
          assert.equal(r.status, 403, `${what}: ${r.status} ${r.headers.get('location') ?? ''}`);
          assert.equal(eventCount(caseA.id), n, `${what}: an event was recorded`);
        }
        const ok = await srv.request('POST', `/cases/${caseA.id}/events`, { body: body({ _csrf: s.csrf }), headers: formHeaders(s.cookie), fresh: true });
        assert.equal(ok.status, 303, ok.text);
        assert.ok(decodeURIComponent(ok.headers.get('location')).startsWith(`/cases/${caseA.id}?done=已办理：`), ok.headers.get('location'));
        assert.equal(eventCount(caseA.id), n + 1);
        // The header form (as app.js sends it) is accepted too.
        const hdr = await srv.request('POST', `/cases/${caseA.id}/events`, {
          body: body({}), headers: { ...formHeaders(s.cookie), 'X-CSRF-Token': s.csrf }, fresh: true });
        assert.equal(hdr.status, 303, hdr.text);
        assert.equal(eventCount(caseA.id), n + 2);
      });

      test('the JSON API with the cookie: POST, PUT, DELETE without the token → 403, nothing changes', async () => {
        const adm = await browserLogin(srv, 'adm');
        const cases = srv.counts();
        assertError(await srv.request('POST', '/api/v1/cases', { body: registration(), headers: s.cookie }), 403, 'forbidden');
        assertError(await srv.request('POST', `/api/v1/cases/${caseA.id}/events`,
          { body: { event: 'withdraw', on: '2024-03-05' }, headers: { ...s.cookie, 'X-CSRF-Token': other.csrf } }), 403, 'forbidden');
        assert.deepEqual(srv.counts(), cases);
        const t = srv.counts(['letter_templates', 'users']);
        const tmpl = await srv.api('adm', 'GET', '/api/v1/templates/receipt');
        assertError(await srv.request('PUT', '/api/v1/templates/receipt', { body: { body: tmpl.body.body }, headers: adm.cookie }), 403, 'forbidden');
        assertError(await srv.request('POST', '/api/v1/admin/users',
          { body: { username: 'csrfuser', agency: 'A1', password: PASSWORD, roles: ['admin'] }, headers: adm.cookie }), 403, 'forbidden');
        assert.deepEqual(srv.counts(['letter_templates', 'users']), t);
        // DELETE /api/v1/session (logout) without the token: refused, the session lives on.
        assertError(await srv.request('DELETE', '/api/v1/session', { headers: s.cookie }), 403, 'forbidden');
        assert.equal((await srv.request('GET', '/api/v1/me', { headers: s.cookie })).status, 200);
      });

      test('administration forms and logout without the token → 403, nothing changes', async () => {
        const adm = await browserLogin(srv, 'adm');
        const users = srv.counts(['users']);
        const r = await srv.request('POST', '/admin/users', {
          body: new URLSearchParams({ username: 'csrfadmin', password: PASSWORD, agency: 'A1', role: 'admin' }).toString(),
          headers: formHeaders(adm.cookie), fresh: true });
        assert.equal(r.status, 403, `${r.status} ${r.headers.get('location')}`);
        const up = await srv.request('POST', '/admin/users/reg', {
          body: new URLSearchParams({ role: 'admin', active: '1' }).toString(), headers: formHeaders(adm.cookie), fresh: true });
        assert.equal(up.status, 403);
        assert.deepEqual(srv.counts(['users']), users);
        assert.equal(sqlite(srv.db, "SELECT roles FROM users WHERE username='reg';").trim(), 'registrar');
        const out = await srv.request('POST', '/logout', { body: '', headers: formHeaders(adm.cookie), fresh: true });
        assert.equal(out.status, 403);
        assert.equal((await srv.request('GET', '/api/v1/me', { headers: adm.cookie })).status, 200, 'logout without the token ended the session');
      });

      test('a multipart upload: the token is a field of the form, never the query string', async () => {
        const boundary = '----csrf';
        const file = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`;
        const withToken = (t) => `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${t}\r\n` + file;
        const headers = { ...s.cookie, 'Content-Type': `multipart/form-data; boundary=${boundary}` };
        const n = srv.counts(['attachments']);
        const r = await srv.request('POST', `/cases/${caseA.id}/upload`, { body: file, headers, fresh: true });
        assert.equal(r.status, 403);
        const wrong = await srv.request('POST', `/cases/${caseA.id}/upload`, { body: withToken(other.csrf), headers, fresh: true });
        assert.equal(wrong.status, 403);
        const query = await srv.request('POST', `/cases/${caseA.id}/upload?_csrf=${s.csrf}`, { body: file, headers, fresh: true });
        assert.equal(query.status, 403, 'a token in the query string is not accepted');
        assert.deepEqual(srv.counts(['attachments']), n);
        // the case page's form carries it as a field, not in its action
        const page = await srv.request('GET', `/cases/${caseA.id}`, { headers: s.cookie });
        assert.match(page.text, new RegExp(`action="/cases/${caseA.id}/upload" enctype="multipart/form-data"><input type="hidden" name="_csrf" value="${s.csrf}">`));
        assert.ok(!page.text.includes('upload?_csrf'), 'a token in a URL on the page');
        const ok = await srv.request('POST', `/cases/${caseA.id}/upload`, { body: withToken(s.csrf), headers, fresh: true });
        assert.equal(ok.status, 303);
        assert.equal(srv.counts(['attachments']).attachments, n.attachments + 1);
      });

      test('login CSRF: the login form needs its own token and the cookie set with it; nothing is counted without them', async () => {
        const fields = { username: 'allA', password: PASSWORD };
        const plain = new URLSearchParams(fields).toString();
        const formType = { 'Content-Type': 'application/x-www-form-urlencoded' };
        const failuresBefore = sqlite(srv.db, 'SELECT count(*) FROM login_failures;').trim();
        const sessionsBefore = srv.counts(['sessions']);
        const lf = await loginForm(srv, fields);
        const other = await loginForm(srv, fields);
        for (const [why, opts] of [
          ['no token, no cookie', { body: plain, headers: formType }],
          ['a token without its cookie', { body: lf.body, headers: formType }],
          ['a cookie without the token', { body: plain, headers: lf.headers }],
          ['another form\'s token', { body: other.body, headers: lf.headers }],
        ]) {
          const r = await srv.request('POST', '/login', { ...opts, fresh: true });
          assert.equal(r.status, 403, `${why}: ${r.status}`);
          assert.match(r.text, /登录页面已过期，请重新输入密码后登录。/, why);
          assert.ok(!(r.headers.get('set-cookie') || '').includes('ogi_session='), `${why}: a session cookie`);
          // the answer is a fresh form the user can submit at once
          assert.match(r.text, /name="_csrf" value="[0-9a-f]{64}"/, why);
        }
        assert.deepEqual(srv.counts(['sessions']), sessionsBefore);
        assert.equal(sqlite(srv.db, 'SELECT count(*) FROM login_failures;').trim(), failuresBefore, 'a refused form counted an attempt');
        const ok = await srv.request('POST', '/login', { ...lf, fresh: true });
        assert.equal(ok.status, 303, ok.text.slice(0, 200));
        assert.match(ok.headers.get('set-cookie') || '', /ogi_login=; Path=\/login; HttpOnly; SameSite=Strict; Max-Age=0/);
      });

      test('an upload is spooled to a temporary file as it arrives (not memory), and removed after', async () => {
        const tok = (await apiLogin(srv, 'allA', PASSWORD)).body.token;
        const size = 3 << 20;
        const c = await new RawConnection(srv.port).open();
        await c.write(requestHead('POST', `/api/v1/cases/${caseA.id}/attachments?name=spooled.pdf`, {
          Authorization: `Bearer ${tok}`, 'Content-Type': 'application/pdf', 'Content-Length': size, Connection: 'close' }));
        await c.write(Buffer.alloc(1 << 20, 0x31));
        // while the rest is still to come, the first megabyte is already in a file of the server's TMPDIR
        let grown = 0;
        for (let i = 0; i < 100 && grown < (1 << 20); i++) {
          grown = Math.max(0, ...spooled().map((f) => { try { return statSync(path.join(SPOOL, f)).size; } catch { return 0; } }));
          if (grown < (1 << 20)) await sleep(50);
        }
        assert.ok(grown >= 1 << 20, `spooled so far: ${grown} bytes in ${JSON.stringify(spooled())}`);
        await c.write(Buffer.alloc(size - (1 << 20), 0x32));
        const r = await c.readResponse(20000);
        c.destroy();
        assert.equal(r?.status, 201, r?.text);
        const body = JSON.parse(r.text);
        assert.equal(body.size, size);
        const expect = createHash('sha256').update(Buffer.concat([Buffer.alloc(1 << 20, 0x31), Buffer.alloc(size - (1 << 20), 0x32)])).digest('hex');
        assert.equal(body.sha256, expect, 'the digest read back from the spooled file');
        // the page's multipart upload goes the same way
        const s = await browserLogin(srv, 'allA');
        const boundary = '----spool';
        const form = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${s.csrf}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="spooled.txt"\r\nContent-Type: text/plain\r\n\r\n${'x'.repeat(100000)}\r\n--${boundary}--\r\n`;
        const page = await srv.request('POST', `/cases/${caseA.id}/upload`, { body: form, fresh: true,
          headers: { ...s.cookie, 'Content-Type': `multipart/form-data; boundary=${boundary}` } });
        assert.equal(page.status, 303);
        assert.ok(!/error=/.test(page.headers.get('location') ?? ''), page.headers.get('location'));
        const list = (await srv.api('allA', 'GET', `/api/v1/cases/${caseA.id}/attachments`)).body;
        assert.ok(list.some((a) => a.name === 'spooled.txt' && a.size === 100000), JSON.stringify(list.map((a) => [a.name, a.size])));
        // nothing left behind
        for (let i = 0; i < 20 && spooled().length; i++) await sleep(50);
        assert.deepEqual(spooled(), []);
      });

      test('the token belongs to its session: after logout and a new login the old token is refused', async () => {
        const a = await browserLogin(srv, 'reg');
        const out = await srv.request('POST', '/logout', { body: `_csrf=${a.csrf}`, headers: formHeaders(a.cookie), fresh: true });
        assert.equal(out.status, 303);
        assert.equal(out.headers.get('location'), '/login');
        const b = await browserLogin(srv, 'reg');
        assert.notEqual(b.csrf, a.csrf);
        const body = new URLSearchParams({ event: 'correction_received', on: '2024-03-06', _csrf: a.csrf }).toString();
        const r = await srv.request('POST', `/cases/${caseA.id}/events`, { body, headers: formHeaders(b.cookie), fresh: true });
        assert.equal(r.status, 403);
        // and the old cookie itself no longer opens a page
        const page = await srv.request('GET', '/', { headers: a.cookie });
        assert.equal(page.status, 303);
        assert.match(page.headers.get('location'), /^\/login\?next=/);
      });

      test('a bearer client needs no CSRF token (the token is not sent by browsers on their own)', async () => {
        const r = await srv.api('allA', 'POST', `/api/v1/cases/${caseA.id}/events`, { event: 'consult', on: '2024-03-07', party: 'agency', name: '某局' });
        assert.equal(r.status, 200, r.text);
      });
    });

    // =====================================================================================
    // 2. Session expiry
    // =====================================================================================

    describe('sessions expire', () => {
      test('expired sessions are purged when a new one starts', async () => {
        const old = await browserLogin(srv, 'reg');
        setSession(srv, old.token, `expires_at = ${now() - 10}`);
        await browserLogin(srv, 'reg');
        assert.equal(sessionRow(srv, old.token), '', 'the expired session row is gone');
      });

      test('idle limit: a session past expires_at → 401 on the API, the login page for the UI; the row is removed', async () => {
        const s = await browserLogin(srv, 'allA');
        assert.equal((await srv.request('GET', '/api/v1/me', { token: s.token })).status, 200);
        setSession(srv, s.token, `expires_at=${now() - 1}`);
        const api = await srv.request('GET', '/api/v1/me', { token: s.token });
        assertError(api, 401, 'unauthenticated');
        assert.equal(sessionRow(srv, s.token), '', 'the expired session was not deleted');
        // the cookie too
        const s2 = await browserLogin(srv, 'allA');
        setSession(srv, s2.token, `expires_at=${now() - 1}`);
        const page = await srv.request('GET', `/cases/${caseA.id}`, { headers: s2.cookie });
        assert.equal(page.status, 303);
        assert.equal(page.headers.get('location'), `/login?next=/cases/${caseA.id}`);
        const post = await srv.request('POST', `/cases/${caseA.id}/events`,
          { body: `_csrf=${s2.csrf}&event=withdraw&on=2024-03-08`, headers: formHeaders(s2.cookie), fresh: true });
        assert.equal(post.status, 303);
        assert.match(post.headers.get('location'), /^\/login\?next=/);
        assertError(await srv.request('GET', '/api/v1/cases', { headers: s2.cookie }), 401, 'unauthenticated');
      });

      test('sliding: a session in use is extended (default 60 minutes from the last use)', async () => {
        const t = (await apiLogin(srv, 'allA', PASSWORD)).body.token;
        setSession(srv, t, `expires_at=${now() + 30}`);
        assert.equal((await srv.request('GET', '/api/v1/me', { token: t })).status, 200);
        // The renewal is written behind the request (never waited for): give it a moment.
        let exp = 0;
        for (let i = 0; i < 40 && !(exp >= now() + 3600 - 10); i++) {
          [, exp] = sessionRow(srv, t).split('|').map(Number);
          if (!(exp >= now() + 3600 - 10)) await new Promise((r) => setTimeout(r, 50));
        }
        assert.ok(exp >= now() + 3600 - 10 && exp <= now() + 3600 + 5, `expires_at ${exp - now()} s from now, expected ~3600`);
      });

      test('absolute limit: 12 hours after login the session ends even while in use', async () => {
        const t = (await apiLogin(srv, 'allA', PASSWORD)).body.token;
        setSession(srv, t, `created_at=${now() - 12 * 3600 - 5}, expires_at=${now() + 3000}`);
        assertError(await srv.request('GET', '/api/v1/me', { token: t }), 401, 'unauthenticated');
        // just under the limit it still works
        const t2 = (await apiLogin(srv, 'allA', PASSWORD)).body.token;
        setSession(srv, t2, `created_at=${now() - 12 * 3600 + 120}, expires_at=${now() + 3000}`);
        assert.equal((await srv.request('GET', '/api/v1/me', { token: t2 })).status, 200);
      });

      test('a deactivated user\'s sessions stop at once', async () => {
        const t = (await apiLogin(srv, 'leaver', PASSWORD)).body.token;
        assert.equal((await srv.request('GET', '/api/v1/me', { token: t })).status, 200);
        const adm = await browserLogin(srv, 'adm');
        const r = await srv.request('POST', '/admin/users/leaver',
          { body: `_csrf=${adm.csrf}&role=handler`, headers: formHeaders(adm.cookie), fresh: true });
        assert.equal(r.status, 303);
        assert.equal(r.headers.get('location'), '/admin/users');
        assertError(await srv.request('GET', '/api/v1/me', { token: t }), 401, 'unauthenticated');
        assertError(await apiLogin(srv, 'leaver', PASSWORD, '127.0.0.20'), 401, 'unauthenticated');
      });
    });

    // =====================================================================================
    // 4. SQL metacharacters and path tricks
    // =====================================================================================

    describe('SQL metacharacters and path tricks change nothing', () => {
      // Query parameters first, while no stored value contains these strings: every filter must
      // then find nothing (or refuse the value), never more, never B2, never a 500.
      //   zero:  200 with nothing found, or 400/422
      //   any:   200 or 400/422 (the value is not a filter), still no B2 data
      //   403:   exactly 403 (an agency the user does not see)
      const QUERY = [
        ['allA', '/api/v1/cases', ['q', 'state', 'stage', 'outcome', 'applicant_type', 'channel', 'from', 'to'], 'zero'],
        ['allA', '/api/v1/cases', ['page', 'per_page', 'overdue', 'open'], 'any'],
        ['allA', '/api/v1/cases', ['agency'], '403'],
        ['allA', '/api/v1/cases.csv', ['q', 'state', 'channel', 'from'], 'zero'],
        ['allA', '/api/v1/cases.csv', ['agency'], '403'],
        ['allA', '/api/v1/duplicates', ['name', 'identity', 'content'], 'zero'],
        ['allA', '/cases', ['q', 'state', 'stage', 'outcome', 'applicant_type', 'channel'], 'zero'],
        ['allA', '/cases', ['from', 'to', 'page', 'overdue'], 'any'],
        ['aud', '/api/v1/audit', ['before'], 'any'],
        ['allA', `/api/v1/letters/{letter}`, ['format'], '422'],
        ['adm', '/api/v1/templates/receipt', ['version'], 'zero'],
        ['allA', '/api/v1/reports/annual', ['year', 'format'], 'zero'],
        ['allA', '/api/v1/reports/annual?year=2024', ['agency'], '403'],
        ['allA', '/api/v1/reports/annual/cases?year=2024&row=1', ['agency'], '403'],
        ['allA', '/api/v1/reports/annual/cases?year=2024', ['row', 'column'], 'zero'],
        ['allA', '/api/v1/reports/stats', ['quarter', 'from', 'to'], 'zero'],
        ['allA', '/api/v1/reports/stats', ['agency'], '403'],
        ['allA', '/api/v1/reports/stats', ['format'], 'any'],
        ['allA', '/reports', ['year'], 'zero'],
        ['allA', '/reports?year=2024', ['agency'], '403'],
        ['allA', '/reports/cases?year=2024', ['row', 'column'], 'zero'],
        ['allA', '/reports/stats', ['quarter', 'agency'], 'zero'],
        ['adm', '/admin/calendar', ['year'], 'any'],
        [null, '/login', ['next'], 'any'],
      ];

      test('in every query parameter', async () => {
        const letters = await srv.api('allA', 'GET', `/api/v1/cases/${caseA.id}/letters`);
        const letter = letters.body[0].id;
        const cookies = {};
        for (const u of ['allA', 'aud', 'adm']) cookies[u] = { Cookie: `ogi_session=${await srv.token(u)}` };
        const jobs = [];
        for (const [user, base, params, expect] of QUERY)
          for (const param of params)
            for (const v of NASTY) jobs.push({ user, base: base.replace('{letter}', letter), param, expect, v });
        const problems = (await pool(jobs, 8, async ({ user, base, param, expect, v }) => {
          const p = `${base}${base.includes('?') ? '&' : '?'}${param}=${encodeURIComponent(v)}`;
          const isApi = p.startsWith('/api/');
          const r = await srv.request('GET', p, user ? (isApi ? { token: await srv.token(user) } : { headers: cookies[user] }) : {});
          const where = `GET ${base} ${param}=${show(v)}`;
          if (r.status >= 500) return `${where} → ${r.status} ${r.text.slice(0, 100)}`;
          const leaked = leaks(r.body !== undefined ? JSON.stringify(r.body) : r.text);
          if (leaked.length) return `${where}: B2 data in the answer (${leaked})`;
          if (hasNul(v)) {
            const bad = nulProblem(r, isApi);
            return bad && `${where}: ${bad}`;
          }
          if (expect === '403') return r.status === 403 ? '' : `${where} → ${r.status}, expected 403`;
          if (expect === '422') return r.status === 422 ? '' : `${where} → ${r.status}, expected 422`;
          if (![200, 400, 403, 404, 422].includes(r.status) && !(r.status === 303 && !isApi)) return `${where} → ${r.status}`;
          if (expect === 'zero' && r.status === 200) {
            if (isApi && base.startsWith('/api/v1/cases.csv')) {
              const rows = r.text.replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean).length - 1;
              if (rows !== 0) return `${where}: ${rows} rows exported`;
            } else if (isApi && base.startsWith('/api/v1/cases')) {
              if (r.body.total !== 0) return `${where}: ${r.body.total} cases found`;
            } else if (isApi && base.startsWith('/api/v1/duplicates')) {
              if (r.body.length !== 0) return `${where}: ${r.body.length} duplicates`;
            } else if (base === '/cases') {
              if (r.text.includes(caseA.number)) return `${where}: the filter was ignored (cases listed)`;
            } else if (isApi) {
              return `${where} → 200, expected a refusal: ${r.text.slice(0, 80)}`;
            }
          }
          if (base === '/login' && /<script>alert/.test(r.text)) return `${where}: reflected unescaped`;
          return '';
        })).filter(Boolean);
        assert.deepEqual(problems, [], `${problems.length} of ${jobs.length} requests:\n  ${problems.join('\n  ')}`);
      });

      test('in path parameters and raw request paths (traversal, encoded slashes, absolute paths)', async () => {
        const token = await srv.token('allA');
        const admToken = await srv.token('adm');
        const paths = [
          '/static/../../../../etc/passwd', '/static/..%2f..%2f..%2fetc%2fpasswd', '/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
          '/static/%2fetc%2fpasswd', '/static/app.css%00.js', '/static/..%5c..%5cwindows%5cwin.ini', '/static/C:%5Cwindows%5Cwin.ini',
          '//etc/passwd', '/../../../../etc/passwd', '/api/v1/../../../etc/passwd', '/api/v1/cases/..%2f..%2fme',
          '/api/v1/cases/%2e%2e/%2e%2e/me', `/api/v1/cases/${caseA.id}%2f..%2f${caseB.id}`, '/api/v1/cases/1%20OR%201=1',
          "/api/v1/cases/1'%20OR%20'1'='1", `/api/v1/cases/${caseB.id}%00`, '/api/v1/attachments/..%2f..%2fogi.db',
          '/api/v1/letters/..%2f..%2fogi.db', '/api/v1/calendar/..%2f..%2fetc%2fpasswd', "/api/v1/calendar/'%20OR%201=1",
          `/cases/${caseA.id}%2f..%2f${caseB.id}`, `/cases/${caseB.id}/../${caseA.id}`, `/cases/-${caseB.id}`,
        ];
        const problems = [];
        for (const p of paths) {
          for (const auth of [{ Authorization: `Bearer ${token}` }, { Cookie: `ogi_session=${token}` }]) {
            const c = await new RawConnection(srv.port).open();
            try {
              await c.write(requestHead('GET', p, { ...auth, Connection: 'close' }));
              const r = await c.readResponse(5000);
              if (!r) problems.push(`${p}: connection closed without an answer`);
              else if (r.status >= 500 || r.status === 200 || r.status < 300)
                problems.push(`${p} → ${r.status} ${r.text.slice(0, 80)}`);
              else if (/root:|SQLite format 3|\[fonts\]/.test(r.text) || leaks(r.text).length)
                problems.push(`${p}: file or B2 content in the answer`);
              else if (/%00/.test(p) && nulProblem(r, p.startsWith('/api/')))
                problems.push(`${p}: ${nulProblem(r, p.startsWith('/api/'))}`);
            } finally {
              c.destroy();
            }
          }
        }
        // An anonymous request with CR LF in the path gets a clean login redirect, no injected header.
        const c = await new RawConnection(srv.port).open();
        await c.write(requestHead('GET', '/cases/%0d%0aSet-Cookie:%20evil=1', { Connection: 'close' }));
        const r = await c.readResponse(5000);
        c.destroy();
        assert.ok(r, 'no answer');
        assert.ok(!('set-cookie' in r.headers), `header injected: ${JSON.stringify(r.headers)}`);
        assert.ok(!/[\r\n]/.test(r.headers.location ?? ''), 'CR/LF in Location');
        assert.deepEqual(problems, [], problems.join('\n'));
        // A year with SQL after it reads as that year (a lenient number parse), nothing more.
        const plain = await srv.request('GET', '/api/v1/calendar/2024', { token });
        const tricked = await srv.request('GET', '/api/v1/calendar/2024%20OR%201=1', { token });
        assert.ok(tricked.status === 404 || (tricked.status === 200 && tricked.text === plain.text), `${tricked.status}`);
        // Administrator-only calls with paths in them.
        const adm = await srv.request('GET', '/admin/templates/..%2f..%2f..%2fetc%2fpasswd', { headers: { Cookie: `ogi_session=${admToken}` } });
        assert.ok(adm.status === 404, `${adm.status}`);
      });

      test('in the login form\'s "next": the redirect stays on this site as a browser reads it, no header injected', async () => {
        // Browsers parse Location with the WHATWG URL rules: tabs and newlines are dropped and "\" is "/".
        const nexts = ['/\\evil.example', '/\\\\evil.example', '/\t/evil.example', '/\n/evil.example', '//evil.example',
          '///evil.example', 'https://evil.example', '/\r\nSet-Cookie: evil=1', '/%0d%0aSet-Cookie:%20evil=1',
          'javascript:alert(1)', '/cases?x=1'];
        const problems = [];
        for (const next of nexts) {
          const f = await loginForm(srv, { username: 'allA', password: PASSWORD, next });
          const body = Buffer.from(f.body);
          const c = await new RawConnection(srv.port).open();
          await c.write(Buffer.concat([requestHead('POST', '/login', {
            ...f.headers, 'Content-Length': body.length, Connection: 'close' }), body]));
          // generous: under the sanitizers a login (four writes) can take seconds
          await c.waitClosed(15000);
          c.destroy();
          const raw = c.buf.toString('latin1');
          const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
          const lines = head.split('\r\n');
          const where = `next=${show(next)} → ${show(lines[0])}`;
          if (!/^HTTP\/1\.1 303/.test(lines[0])) { problems.push(where); continue; }
          if (/\n(?!$)/.test(lines.join('')) || lines.some((l) => /\n/.test(l))) problems.push(`${where}: a bare LF inside a header (response splitting)`);
          if (lines.some((l) => /^set-cookie:\s*evil/i.test(l))) problems.push(`${where}: a Set-Cookie header injected`);
          const loc = lines.find((l) => /^location:/i.test(l))?.replace(/^location:\s*/i, '') ?? '';
          const target = new URL(loc, 'http://ogi.example/');
          if (target.host !== 'ogi.example' || target.protocol !== 'http:') problems.push(`${where}: Location ${show(loc)} takes the browser to ${target.href}`);
        }
        assert.deepEqual(problems, [], problems.join('\n'));
      });

      test('in every free-text field of a registration (API): stored verbatim or refused, nothing else written', async () => {
        const FIELDS = [
          // [label, body builder, read back (from GET /cases/{id}) or null when the field is validated]
          ['applicant.name', (v) => registration({ applicant: { name: v } }), (c) => c.applicant.name, (v) => v],
          ['applicant.address', (v) => registration({ applicant: { address: v } }), (c) => c.applicant.address, (v) => v],
          ['applicant.email', (v) => registration({ applicant: { email: `${v}@example.com` } }), (c) => c.applicant.email, (v) => `${v}@example.com`],
          ['content', (v) => registration({ content: v }), (c) => c.content, (v) => v],
          ['applicant.phone', (v) => registration({ applicant: { phone: v } }), null],
          ['applicant.id_number', (v) => registration({ applicant: { id_number: v } }), null],
          ['applicant.id_type', (v) => registration({ applicant: { id_type: v } }), null],
          ['applicant.type', (v) => registration({ applicant: { type: v } }), null],
          ['channel', (v) => registration({ channel: v }), null],
          ['form', (v) => registration({ form: v }), null],
          ['delivery', (v) => registration({ delivery: v }), null],
          ['received_on', (v) => registration({ received_on: v }), null],
          ['agency', (v) => registration({ agency: v }), null],
        ];
        const problems = [];
        for (const [field, build, read, want] of FIELDS) {
          const before = srv.counts();
          let created = 0;
          const results = await pool(NASTY, 4, async (v) => {
            const r = await srv.api('allA', 'POST', '/api/v1/cases', build(v));
            return { v, r };
          });
          for (const { v, r } of results) {
            const where = `${field}=${show(v)}`;
            if (hasNul(v)) {
              // refused at the door; the row count below shows nothing was written
              const bad = nulProblem(r, true);
              if (bad) problems.push(`${where}: ${bad}`);
              if (r.status === 201) created++;
            } else if (r.status === 201) {
              created++;
              if (!read) continue; // a validated field that accepted it: compared below
              const c = await srv.api('allA', 'GET', `/api/v1/cases/${r.body.id}`);
              if (read(c.body) !== want(v)) problems.push(`${where}: read back as ${show(read(c.body))}`);
              if (read(r.body) !== want(v)) problems.push(`${where}: answered as ${show(read(r.body))}`);
            } else if (![400, 403, 422].includes(r.status) || !r.body?.error?.code) {
              problems.push(`${where} → ${r.status} ${r.text.slice(0, 120)}`);
            } else if (!read && r.status === 422 && !r.body.error.message.includes(field.split('.').pop())) {
              problems.push(`${where}: the message does not name the field: ${r.body.error.message}`);
            }
            if (leaks(r.text).length) problems.push(`${where}: B2 data in the answer`);
          }
          const after = srv.counts();
          if (after.cases !== before.cases + created) problems.push(`${field}: ${created} accepted but ${after.cases - before.cases} cases written`);
          if (!read && created) problems.push(`${field}: ${created} invalid values accepted`);
        }
        assert.deepEqual(problems, [], problems.join('\n'));
      });

      test('in the registration form of the UI: stored verbatim, shown escaped', async () => {
        const s = await browserLogin(srv, 'allA');
        const problems = [];
        for (const v of NASTY) {
          const body = new URLSearchParams({
            _csrf: s.csrf, agency: 'A1', type: 'natural_person', name: v, id_type: 'resident_id', id_number: '',
            address: v, phone: '', email: '', channel: 'post', received_on: '2024-03-01', content: v, form: 'paper',
            delivery: 'post', confirm: '1',
          }).toString();
          const before = srv.counts();
          const r = await srv.request('POST', '/cases/new', { body, headers: formHeaders(s.cookie), fresh: true });
          const where = `form name/address/content=${show(v)}`;
          if (hasNul(v)) {
            const bad = nulProblem(r, false);
            if (bad) problems.push(`${where}: ${bad}`);
            const after = srv.counts();
            if (show(after) !== show(before)) problems.push(`${where}: refused but rows were written (${show(before)} → ${show(after)})`);
          } else if (r.status === 303) {
            const m = /^\/cases\/(\d+)\?registered=1$/.exec(r.headers.get('location') ?? '');
            if (!m) { problems.push(`${where}: redirected to ${r.headers.get('location')}`); continue; }
            const c = await srv.api('allA', 'GET', `/api/v1/cases/${m[1]}`);
            for (const [k, got] of [['name', c.body.applicant.name], ['address', c.body.applicant.address], ['content', c.body.content]])
              if (got !== v) problems.push(`${where}: ${k} read back as ${show(got)}`);
            const page = await srv.request('GET', `/cases/${m[1]}`, { headers: s.cookie });
            if (page.status !== 200) problems.push(`${where}: case page ${page.status}`);
            else if (page.text.includes('<script>alert(1)</script>')) problems.push(`${where}: shown unescaped`);
          } else if (r.status === 422) {
            if (srv.counts(['cases']).cases !== before.cases) problems.push(`${where}: refused (422) but a case was written`);
          } else problems.push(`${where} → ${r.status} ${r.text.slice(0, 100)}`);
        }
        assert.deepEqual(problems, [], problems.join('\n'));
      });

      test('in every text field of the events (items, name, reason, reasons, tracking)', async () => {
        // Each step may use the case as the previous step answered it.
        const chain = (v) => [
          () => ({ event: 'request_correction', on: '2024-03-04', items: [v, `第二项 ${v}`] }),
          () => ({ event: 'correction_received', on: '2024-03-05' }),
          () => ({ event: 'consult', on: '2024-03-06', party: 'third_party', name: v }),
          (c) => ({ event: 'consultation_replied', on: '2024-03-07', consultation: c.consultations[0]?.id, opinion: 'agree' }),
          () => ({ event: 'extend', on: '2024-03-07', reason: v }),
          () => ({ event: 'decide', on: '2024-03-08', outcome: 'disclosed', reasons: v }),
          () => ({ event: 'approve', on: '2024-03-11' }),
          () => ({ event: 'deliver', on: '2024-03-12', method: 'post', tracking: v }),
        ];
        const results = await pool(NASTY, 3, async (v) => {
          const problems = [];
          const reg = await srv.api('allA', 'POST', '/api/v1/cases', registration());
          if (reg.status !== 201) return [`register: ${reg.status}`];
          const id = reg.body.id;
          let current = reg.body;
          for (const step of chain(v)) {
            const ev = step(current);
            const n = Number(sqlite(srv.db, `SELECT count(*) FROM case_events WHERE case_id=${id};`).trim());
            const r = await srv.api('allA', 'POST', `/api/v1/cases/${id}/events`, ev);
            const where = `${ev.event} with ${show(v)}`;
            if (Object.values(ev).flat().some(hasNul)) {
              // refused at the door, no event written; the chain cannot go on
              const bad = nulProblem(r, true);
              if (bad) problems.push(`${where}: ${bad}`);
              const m = Number(sqlite(srv.db, `SELECT count(*) FROM case_events WHERE case_id=${id};`).trim());
              if (m !== n) problems.push(`${where}: refused but an event was written`);
              return problems;
            }
            if (r.status === 200) {
              current = r.body;
              continue;
            }
            const m = Number(sqlite(srv.db, `SELECT count(*) FROM case_events WHERE case_id=${id};`).trim());
            if (r.status !== 422 || !r.body?.error) problems.push(`${where} → ${r.status} ${r.text.slice(0, 120)}`);
            if (m !== n) problems.push(`${where}: refused but an event was written`);
            return problems; // the rest of the chain depends on this event
          }
          // Read every stored field back.
          const rows = JSON.parse(sqlite(srv.db, `.mode json\nSELECT event, fields FROM case_events WHERE case_id=${id} ORDER BY seq;`) || '[]');
          const fields = Object.fromEntries(rows.map((x) => [x.event, typeof x.fields === 'string' ? JSON.parse(x.fields) : x.fields]));
          const want = [
            ['request_correction', 'items', [v, `第二项 ${v}`]], ['consult', 'name', v], ['extend', 'reason', v],
            ['decide', 'reasons', v], ['deliver', 'tracking', v],
          ];
          for (const [e, k, w] of want)
            if (JSON.stringify(fields[e]?.[k]) !== JSON.stringify(w)) problems.push(`${e}.${k}=${show(v)} stored as ${show(fields[e]?.[k])}`);
          const c = await srv.api('allA', 'GET', `/api/v1/cases/${id}`);
          if (c.body.consultations[0]?.name !== v) problems.push(`consultation name ${show(v)} read back as ${show(c.body.consultations[0]?.name)}`);
          if (c.body.state !== 'delivered' && !c.body.concluded_on) problems.push(`case ${id} not concluded after the chain (${c.body.state})`);
          // The letters issued from these values render (HTML, escaped).
          const letters = await srv.api('allA', 'GET', `/api/v1/cases/${id}/letters`);
          for (const l of letters.body ?? []) {
            const h = await srv.api('allA', 'GET', `/api/v1/letters/${l.id}?format=html`);
            if (h.status !== 200) problems.push(`letter ${l.kind} with ${show(v)} → ${h.status}`);
            else if (h.text.includes('<script>alert(1)</script>')) problems.push(`letter ${l.kind}: ${show(v)} unescaped`);
          }
          return problems;
        });
        const problems = results.flat();
        assert.deepEqual(problems, [], problems.join('\n'));
      });

      test('in attachment file names (API header, API query, UI multipart): the stored name has no path, nothing lands outside the store', async () => {
        const dir = srv.dir;
        const store = path.join(dir, 'ogi.db.attachments'); // as helpers.mjs lays it out (SQLite and PostgreSQL runs)
        const listAll = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? listAll(path.join(d, e.name)) : [path.join(d, e.name)]);
        const filesBefore = new Set(listAll(dir));
        const s = await browserLogin(srv, 'allA');
        const base = (n) => n.slice(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1);
        const problems = [];
        let accepted = 0;
        const before = srv.counts(['attachments']);
        const upload = async (how, name) => {
          if (how === 'header')
            return srv.api('allA', 'POST', `/api/v1/cases/${caseA.id}/attachments`, Buffer.from(`file ${name}`),
              { 'X-Filename': encodeURIComponent(name), 'Content-Type': 'text/plain' });
          if (how === 'query')
            return srv.api('allA', 'POST', `/api/v1/cases/${caseA.id}/attachments?name=${encodeURIComponent(name)}`, Buffer.from(`file ${name}`),
              { 'Content-Type': 'text/plain' });
          const boundary = '----names';
          const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\nfile\r\n--${boundary}--\r\n`;
          const token = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${s.csrf}\r\n`;
          return srv.request('POST', `/cases/${caseA.id}/upload`,
            { body: token + body, headers: { ...s.cookie, 'Content-Type': `multipart/form-data; boundary=${boundary}` }, fresh: true });
        };
        // Every string as a name, and names that try to smuggle a forbidden extension past the check.
        const NAMES = [...NASTY.map((v) => `${v}.txt`), 'evil.exe\u0000.txt', 'evil.exe\u0000.pdf', 'evil.exe%00.txt',
          'evil.txt.exe', 'evil.exe.', 'evil.exe ', 'evil.exe::$DATA.txt'];
        const ALLOWED = /\.(pdf|jpe?g|png|docx?|xlsx?|txt|ofd|zip)$/i;
        for (const name of NAMES) {
          for (const how of ['header', 'query', 'ui']) {
            if (how === 'ui' && /["\r\n]/.test(name)) continue; // cannot be written in a multipart header
            const where = `${how} name ${show(name)}`;
            const n = srv.counts(['attachments']).attachments;
            const r = await upload(how, name);
            if (hasNul(name)) {
              // In the query it is refused at the door (400); in the header or the multipart part it is
              // a control character in the name (422 invalid; the page shows it after its redirect).
              if (how === 'query') {
                const bad = nulProblem(r, true);
                if (bad) problems.push(`${where}: ${bad}`);
              } else if (how === 'header') {
                if (r.status !== 422 || r.body?.error?.code !== 'invalid' || r.body.error.message !== NUL_NAME_MESSAGE)
                  problems.push(`${where}: expected 422 invalid ${show(NUL_NAME_MESSAGE)}, got ${r.status} ${r.text.slice(0, 100)}`);
              } else {
                const loc = r.headers.get('location') ?? '';
                const shown = decodeURIComponent(/[?&]error=([^&]*)/.exec(loc)?.[1] ?? '');
                if (r.status !== 303 || !loc.startsWith(`/cases/${caseA.id}?`) || !shown.endsWith(NUL_NAME_MESSAGE.replace(/^name: /, '')))
                  problems.push(`${where}: expected the case page with the error ${show(NUL_NAME_MESSAGE)}, got ${r.status} ${show(loc)} (${show(shown)})`);
              }
              if (srv.counts(['attachments']).attachments !== n) problems.push(`${where}: refused but stored`);
              continue;
            }
            if (how === 'ui') {
              const loc = r.headers.get('location') ?? '';
              if (r.status !== 303) { problems.push(`${where} → ${r.status}`); continue; }
              const m = srv.counts(['attachments']).attachments;
              if (loc.includes('error=')) { if (m !== n) problems.push(`${where}: refused but stored`); continue; }
              accepted++;
              const stored = sqlite(srv.db, `.mode json\nSELECT name FROM attachments ORDER BY id DESC LIMIT 1;`);
              const got = JSON.parse(stored)[0].name;
              // a quoted multipart parameter may treat "\" as an escape character
              const unescaped = name.replace(/\\(.)/g, '$1');
              if (![name, base(name), unescaped, base(unescaped)].includes(got)) problems.push(`${where}: stored as ${show(got)}`);
              if (!ALLOWED.test(got)) problems.push(`${where}: stored with a forbidden extension as ${show(got)}`);
              if (/[\/\\]/.test(got)) problems.push(`${where}: a path in the stored name ${show(got)}`);
              continue;
            }
            if (r.status === 201) {
              accepted++;
              const got = r.body.name;
              if (got !== name && got !== base(name)) problems.push(`${where}: stored as ${show(got)}`);
              if (/[\/\\]/.test(got)) problems.push(`${where}: a path in the stored name ${show(got)}`);
              if (!ALLOWED.test(got)) problems.push(`${where}: stored with a forbidden extension as ${show(got)}`);
              const list = await srv.api('allA', 'GET', `/api/v1/cases/${caseA.id}/attachments`);
              const listed = list.body.find((x) => x.id === r.body.id)?.name;
              if (listed !== got) problems.push(`${where}: listed as ${show(listed)}, answered ${show(got)}`);
              const down = await srv.api('allA', 'GET', `/api/v1/attachments/${r.body.id}`);
              const cd = down.headers.get('content-disposition') ?? '';
              if (/[\r\n]/.test(cd)) problems.push(`${where}: CR/LF in Content-Disposition`);
              const star = /filename\*=UTF-8''([^;]*)/.exec(cd);
              if (!star || decodeURIComponent(star[1]) !== got) problems.push(`${where}: Content-Disposition ${show(cd)}`);
              // A client that stops at NUL would save "evil.exe\0.txt" as "evil.exe".
              const served = star ? decodeURIComponent(star[1]) : '';
              if (served.includes('\u0000')) problems.push(`${where}: served with a NUL in the name (${show(served)}; read up to the NUL: ${show(served.split('\u0000')[0])})`);
              if (down.text !== `file ${name}`) problems.push(`${where}: other bytes came back`);
            } else if (r.status === 422 && r.body?.error?.message?.includes('name')) {
              if (srv.counts(['attachments']).attachments !== n) problems.push(`${where}: refused but stored`);
            } else problems.push(`${where} → ${r.status} ${r.text.slice(0, 100)}`);
          }
        }
        if (srv.counts(['attachments']).attachments !== before.attachments + accepted) problems.push('attachment rows do not match the uploads accepted');
        // Only content-addressed files were created, all inside the store.
        const created = listAll(dir).filter((f) => !filesBefore.has(f));
        for (const f of created) {
          const inStore = path.dirname(f) === store && /^[0-9a-f]{64}$/.test(path.basename(f));
          const journal = /ogi\.db(-wal|-shm|-journal)?$/.test(f);
          if (!inStore && !journal) problems.push(`a file was created outside the attachment store: ${f}`);
        }
        for (const f of ['/tmp/passwd.txt', path.join(dir, 'passwd.txt'), path.join(store, '..', 'passwd.txt')])
          if (existsSync(f)) problems.push(`${f} exists`);
        assert.ok(accepted > 0, 'no upload was accepted at all');
        assert.deepEqual(problems, [], problems.join('\n'));
      });

      test('in template names (API and UI): 404 or 422 (400 with a NUL), no template written, the real one unchanged', async () => {
        const adm = await browserLogin(srv, 'adm');
        const original = (await srv.api('adm', 'GET', '/api/v1/templates/receipt')).body;
        const before = srv.counts(['letter_templates']);
        const names = [...NASTY, 'receipt.mustache', 'receipt/../receipt', '_signature/../../x', 'RECEIPT', ' receipt'];
        const problems = [];
        for (const v of names) {
          const seg = encodeURIComponent(v);
          const calls = [
            ['GET api', await srv.api('adm', 'GET', `/api/v1/templates/${seg}`), [404]],
            ['PUT api', await srv.request('PUT', `/api/v1/templates/${seg}`, { body: { body: original.body }, token: await srv.token('adm') }), [404, 422]],
            ['preview api', await srv.api('adm', 'POST', `/api/v1/templates/${seg}/preview`, { body: original.body }), [404, 422]],
            ['GET ui', await srv.request('GET', `/admin/templates/${seg}`, { headers: adm.cookie }), [404]],
            ['POST ui', await srv.request('POST', `/admin/templates/${seg}`,
              { body: new URLSearchParams({ _csrf: adm.csrf, body: original.body }).toString(), headers: formHeaders(adm.cookie), fresh: true }), [404, 422]],
          ];
          for (const [what, r, ok] of calls) {
            if (hasNul(v)) {
              const bad = nulProblem(r, what.endsWith('api'));
              if (bad) problems.push(`${what} ${show(v)}: ${bad}`);
            } else if (!ok.includes(r.status)) problems.push(`${what} ${show(v)} → ${r.status} ${r.text.slice(0, 100)}`);
          }
        }
        assert.deepEqual(srv.counts(['letter_templates']), before, 'a template version was written');
        const after = (await srv.api('adm', 'GET', '/api/v1/templates/receipt')).body;
        assert.equal(after.body, original.body);
        assert.equal(after.version, original.version);
        assert.deepEqual(problems, [], problems.join('\n'));
      });

      test('in user names and passwords: logins are refused, odd names round-trip', async () => {
        const problems = [];
        // Failed logins come from an address of their own (they would otherwise lock 127.0.0.1).
        // 401, or 429 once the guessed account is locked: a refusal either way.
        const attempts = NASTY.flatMap((v, i) => [[v, PASSWORD, i], ['guessme', v, i]]);
        const answers = await pool(attempts, 3, async ([u, p, i]) => [u, p, await apiLogin(srv, u, p, `127.0.0.${30 + i}`)]);
        for (const [u, p, r] of answers) {
          if (hasNul(u) || hasNul(p)) {
            const bad = nulProblem(r, true);
            if (bad) problems.push(`login ${show(u)}/${show(p)}: ${bad}`);
          } else if (![400, 401, 429].includes(r.status)) problems.push(`login ${show(u)}/${show(p)} → ${r.status} ${r.text.slice(0, 80)}`);
        }
        // A login refused for its NUL is no failed attempt: its address has none recorded
        // (while the address of a plain wrong login has).
        const failuresFrom = (i) => Number(sqlite(srv.db, `SELECT count(*) FROM login_failures WHERE ip='127.0.0.${30 + i}';`).trim());
        if (failuresFrom(0) === 0) problems.push(`no failed login recorded for ${show(NASTY[0])} from 127.0.0.30`);
        NASTY.forEach((v, i) => {
          if (hasNul(v) && failuresFrom(i) !== 0) problems.push(`login with ${show(v)} (127.0.0.${30 + i}): ${failuresFrom(i)} failures recorded`);
        });
        // Odd user names are stored verbatim and can log in.
        for (const v of ["o'brien", "x' OR '1'='1", 'a;b--c', '用户%_\\']) {
          const r = await srv.api('adm', 'POST', '/api/v1/admin/users', { username: v, agency: 'A1', password: PASSWORD, roles: ['handler'] });
          if (r.status !== 201) { problems.push(`add user ${show(v)} → ${r.status} ${r.text}`); continue; }
          const l = await apiLogin(srv, v, PASSWORD);
          if (l.status !== 200 || l.body.user.username !== v) problems.push(`login ${show(v)} → ${l.status} ${l.text.slice(0, 80)}`);
          else {
            const me = await srv.request('GET', '/api/v1/me', { token: l.body.token });
            if (me.body.username !== v || me.body.agency !== 'A1') problems.push(`me of ${show(v)}: ${me.text}`);
            const cases = await srv.request('GET', '/api/v1/cases?per_page=1000', { token: l.body.token });
            if (cases.body.items.some((x) => x.agency !== 'A1')) problems.push(`${show(v)} sees other agencies' cases`);
          }
        }
        assert.deepEqual(problems, [], problems.join('\n'));
      });

      test('after all of it: the other agency\'s case is intact and still only visible to its agency', async () => {
        const b = await srv.api('allB', 'GET', `/api/v1/cases/${caseB.id}`);
        assert.equal(b.status, 200);
        assert.equal(b.body.applicant.name, B2_NAME);
        assert.equal(b.body.history.length, 1);
        assertError(await srv.api('allA', 'GET', `/api/v1/cases/${caseB.id}`), 403, 'forbidden');
        const list = await srv.api('allA', 'GET', '/api/v1/cases?per_page=1000');
        assert.ok(!list.body.items.some((x) => x.agency !== 'A1'));
        for (const t of ['cases', 'applicants', 'users', 'case_events', 'attachments', 'letters'])
          assert.ok(Number(sqlite(srv.db, `SELECT count(*) FROM ${t};`).trim()) > 0, `${t} is empty`);
      });
    });

    // =====================================================================================
    // 5. Oversized requests
    // =====================================================================================

    describe('an administrator sees no case content (issue 18, finding 6)', () => {
      test('no self-grant of a case-reading role; role changes audited old → new', async () => {
        const adm = await browserLogin(srv, 'adm');
        for (const role of ['auditor', 'office', 'handler']) {
          const r = await srv.request('POST', '/admin/users/adm', {
            body: new URLSearchParams([['role', 'admin'], ['role', role], ['active', '1'], ['_csrf', adm.csrf]]).toString(),
            headers: formHeaders(adm.cookie), fresh: true });
          assert.equal(r.status, 303);
          assert.match(decodeURIComponent(r.headers.get('location') || ''), /error=.*不能给自己增加可查看案件内容的角色/);
          assert.equal(sqlite(srv.db, "SELECT roles FROM users WHERE username='adm';").trim(), 'admin');
        }
        const adm2 = await browserLogin(srv, 'adm2');
        const r = await srv.request('POST', '/admin/users/guessme', {
          body: new URLSearchParams([['role', 'handler'], ['role', 'auditor'], ['active', '1'], ['_csrf', adm2.csrf]]).toString(),
          headers: formHeaders(adm2.cookie), fresh: true });
        assert.equal(r.status, 303);
        assert.ok(!(r.headers.get('location') || '').includes('error'), r.headers.get('location'));
        const row = sqlite(srv.db, "SELECT actor||'|'||detail FROM audit_log WHERE action='user.update' AND target='guessme' ORDER BY id DESC LIMIT 1;").trim();
        assert.equal(row, 'adm2|角色：承办人 → 承办人、监督员 ip=127.0.0.1');
      });
    });

    describe('a held database lock (issue 18, finding 4)', () => {
      test('another process in BEGIN IMMEDIATE: sessions and reads answer at once, the write gets 503 in Chinese', async () => {
        if (/^postgres/.test(srv.db)) return;  // SQLite's file lock; PostgreSQL writers queue on an advisory lock
        // An older session whose expiry is due for renewal: the renewal is queued, not waited for.
        const token = await srv.login('allA');
        setSession(srv, token, `expires_at = expires_at - 600`);
        const holder = spawn('sqlite3', [srv.db], { stdio: ['pipe', 'pipe', 'pipe'] });
        holder.stdin.write('BEGIN IMMEDIATE;\nSELECT \'held\';\n');
        await new Promise((r) => holder.stdout.once('data', r));
        try {
          const write = srv.request('POST', '/api/v1/cases', { body: registration({ received_on: '2024-03-01' }), token });
          let t0 = Date.now();
          const me = await srv.request('GET', '/api/v1/me', { token });
          assert.equal(me.status, 200);
          const read = await srv.request('GET', `/api/v1/cases/${caseA.id}`, { token });
          assert.equal(read.status, 200);
          assert.ok(Date.now() - t0 < 3000, `reads waited ${Date.now() - t0} ms for the writer`);
          const w = await write;
          assertError(w, 503, 'unavailable');
          assert.match(w.body.error.message, /数据库正忙/);
          assert.ok(!/database|locked|SQLITE/i.test(w.text), 'no engine text');
        } finally {
          holder.stdin.end('ROLLBACK;\n');
          await new Promise((r) => holder.once('exit', r));
        }
      });
    });

    describe('request framing (issue 18, finding 5 and 3)', () => {
      test('a request line that does not parse gets 400 and the connection closes: a body that is itself a request is never answered', async () => {
        const inner = requestHead('GET', '/healthz', {});
        const c = await new RawConnection(srv.port).open();
        try {
          await c.write(Buffer.concat([requestHead('POST', '/%zz', { 'Content-Length': inner.length }), inner]));
          const r = await c.readResponse(5000);
          assert.ok(r, 'an answer');
          assert.equal(r.status, 400);
          assert.ok(await c.waitClosed(3000), 'the connection closes after the 400');
          assert.ok(!c.buf.toString('latin1').includes('HTTP/1.1'), 'no second response (the body was not read as a request)');
        } finally {
          c.destroy();
        }
      });

      test('path parameters are decoded exactly once', async () => {
        const token = await srv.token('allA');
        const once = await srv.request('GET', `/api/v1/cases/%${(caseA.id + '').charCodeAt(0).toString(16)}${String(caseA.id).slice(1)}`, { token });
        assert.equal(once.status, 200, 'an escaped digit is the digit');
        const twice = await srv.request('GET', `/api/v1/cases/%25${(caseA.id + '').charCodeAt(0).toString(16)}${String(caseA.id).slice(1)}`, { token });
        assert.notEqual(twice.status, 200, '%25 is a percent sign, not an escape to decode again');
        assert.ok(twice.status < 500, twice.text);
      });

      test('an anonymous upload is refused from its headers, before its body is read', async () => {
        const conns = [];
        try {
          for (let i = 0; i < 20; i++) {
            const c = await new RawConnection(srv.port).open();
            conns.push(c);
            // 19 MB announced, 1 KB sent: an answer must not wait for (or buffer) the rest
            await c.write(Buffer.concat([requestHead('POST', '/api/v1/cases/1/attachments?name=a.pdf', {
              'Content-Type': 'application/pdf', 'Content-Length': 19 << 20 }), Buffer.alloc(1024, 65)]));
          }
          for (const c of conns) {
            const r = await c.readResponse(5000);
            assert.ok(r, 'answered without the body');
            assert.equal(r.status, 401);
            assert.ok(await c.waitClosed(5000), 'and the connection closes');
          }
        } finally {
          for (const c of conns) c.destroy();
        }
      });

      test('a POST without Content-Length is an empty body, answered at once', async () => {
        const c = await new RawConnection(srv.port).open();
        try {
          const t0 = Date.now();
          await c.write(requestHead('POST', '/api/v1/session', { 'Content-Type': 'application/json' }));
          const r = await c.readResponse(5000);
          assert.ok(r, 'an answer without waiting for the connection to end');
          assert.equal(r.status, 400);
          assert.ok(Date.now() - t0 < 5000);
        } finally {
          c.destroy();
        }
      });
    });

    describe('oversized requests are cut off', () => {
      const IMMEDIATE_MS = 500; // the head tells the size: the answer must not wait for anything else

      test('the 1 MiB limit is exact: 1 048 576 bytes accepted, one more → 413 (errors.test covers a 1.2 MB body)', async () => {
        const token = await srv.token('allA');
        const json = JSON.stringify(registration());
        const exact = json + ' '.repeat((1 << 20) - Buffer.byteLength(json));
        const before = srv.counts();
        const ok = await srv.request('POST', '/api/v1/cases', { body: exact, token, headers: { 'Content-Type': 'application/json' }, fresh: true });
        assert.equal(ok.status, 201, ok.text.slice(0, 200));
        const mid = srv.counts();
        assert.equal(mid.cases, before.cases + 1);
        const big = await srv.request('POST', '/api/v1/cases', { body: exact + ' ', token, headers: { 'Content-Type': 'application/json' }, fresh: true });
        assertError(big, 413, 'too_large');
        assert.deepEqual(srv.counts(), mid);
        // Just under the attachment limit (20 MiB) is not refused for its size.
        const two = await srv.request('POST', `/api/v1/cases/${caseA.id}/attachments`, {
          body: Buffer.alloc(2 << 20, 0x61), token, headers: { 'X-Filename': 'two-mib.txt', 'Content-Type': 'text/plain' }, fresh: true });
        assert.equal(two.status, 201, two.text);
      });

      test('each route\'s own limit, announced by Content-Length → 413 at once, before any body is sent', async () => {
        const token = await srv.token('allA');
        const adm = await srv.token('adm');
        const bearer = (t) => ({ Authorization: `Bearer ${t}` });
        const cases = [
          ['POST', '/api/v1/cases', (1 << 20) + 1, { ...bearer(token), 'Content-Type': 'application/json' }, 'json'],
          ['POST', `/api/v1/cases/${caseA.id}/attachments`, (20 << 20) + 1, { ...bearer(token), 'X-Filename': 'big.pdf', 'Content-Type': 'application/pdf' }, 'json'],
          ['POST', '/api/v1/calendar?year=2030', (2 << 20) + 1, { ...bearer(adm), 'Content-Type': 'text/plain' }, 'json'],
          ['POST', '/admin/calendar', (2 << 20) + 1, { Cookie: `ogi_session=${adm}`, 'Content-Type': 'application/x-www-form-urlencoded' }, 'html'],
          ['POST', '/cases/new', (1 << 20) + 1, { Cookie: `ogi_session=${token}`, 'Content-Type': 'application/x-www-form-urlencoded' }, 'html'],
          ['POST', `/cases/${caseA.id}/upload`, (20 << 20) + 1, { Cookie: `ogi_session=${token}`, 'Content-Type': 'multipart/form-data; boundary=x' }, 'html'],
          ['GET', '/api/v1/me', (1 << 20) + 1, bearer(token), 'json'],
          ['POST', '/api/v1/session', (1 << 20) + 1, { 'Content-Type': 'application/json' }, 'json'],
          ['POST', '/login', (1 << 20) + 1, { 'Content-Type': 'application/x-www-form-urlencoded' }, 'html'],
          ['PUT', '/api/v1/templates/receipt', (1 << 20) + 1, { ...bearer(adm), 'Content-Type': 'application/json' }, 'json'],
        ];
        const TABLES = ['cases', 'attachments', 'calendar_years', 'letter_templates'];
        const before = srv.counts(TABLES);
        const results = await Promise.all(cases.map(async ([method, p, length, headers, kind]) => {
          const c = await new RawConnection(srv.port).open();
          const t0 = Date.now();
          try {
            await c.write(requestHead(method, p, { ...headers, 'Content-Length': length }));
            const r = await c.readResponse(5000).catch(() => null);
            return { method, p, length, kind, r, ms: Date.now() - t0 };
          } finally {
            c.destroy();
          }
        }));
        const problems = [];
        for (const { method, p, length, kind, r, ms } of results) {
          const where = `${method} ${p} announcing ${length} bytes`;
          if (!r) { problems.push(`${where}: no answer`); continue; }
          if (r.status !== 413) problems.push(`${where} → ${r.status}`);
          else if (kind === 'json' && r.body?.error?.code !== 'too_large') problems.push(`${where}: ${r.text}`);
          if (ms > IMMEDIATE_MS) problems.push(`${where}: the 413 came after ${ms} ms`);
        }
        assert.deepEqual(srv.counts(TABLES), before);
        assert.deepEqual(problems, [], problems.join('\n'));
      });

      test('a chunked body (no Content-Length) over the limit → 413 as soon as the limit is passed', async () => {
        const token = await srv.token('allA');
        const before = srv.counts();
        const c = await new RawConnection(srv.port).open();
        let sent = 0;
        const t0 = Date.now();
        try {
          await c.write(requestHead('POST', '/api/v1/cases', { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }));
          const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 0x20), Buffer.from('\r\n')]);
          // Paced at about 2.5 MiB/s, so the server keeps up and socket buffers do not blur the count.
          while (sent < 4 << 20 && c.buf.length === 0 && !c.closed) {
            if (!(await c.write(chunk))) break;
            sent += 0x10000;
            await sleep(25);
          }
          const r = await c.readResponse(5000);
          assert.ok(r, 'closed without an answer');
          assertError({ status: r.status, body: r.body, text: r.text }, 413, 'too_large');
          assert.ok(sent <= 2 << 20, `the 413 came only after ${sent} bytes (${Date.now() - t0} ms); the limit is ${1 << 20}`);
        } finally {
          c.destroy();
        }
        assert.deepEqual(srv.counts(), before);
      });

      test('a huge header, too many headers, a huge URL → 400/431/414 and the connection closed; the server lives on', async () => {
        const token = await srv.token('allA');
        const heads = [
          ['a 64 KiB header', requestHead('GET', '/api/v1/me', { Authorization: `Bearer ${token}`, 'X-Big': 'a'.repeat(64 << 10) })],
          ['a 1 MiB header', requestHead('GET', '/api/v1/me', { Authorization: `Bearer ${token}`, 'X-Big': 'a'.repeat(1 << 20) })],
          ['500 headers', requestHead('GET', '/api/v1/me', Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`X-H${i}`, 'v'])))],
          ['a 300-byte header name', requestHead('GET', '/api/v1/me', { ['X-' + 'n'.repeat(300)]: 'v' })],
          ['a 64 KiB URL', requestHead('GET', `/api/v1/cases?q=${'a'.repeat(64 << 10)}`, { Authorization: `Bearer ${token}` })],
          ['a 64 KiB cookie', requestHead('GET', '/', { Cookie: `ogi_session=${'a'.repeat(64 << 10)}` })],
        ];
        for (const [what, head] of heads) {
          const c = await new RawConnection(srv.port).open();
          try {
            await c.write(head);
            const r = await c.readResponse(5000).catch(() => null);
            assert.ok(r === null || [400, 413, 414, 431].includes(r.status), `${what} → ${r?.line}`);
            assert.ok(await c.waitClosed(3000), `${what}: the connection stays open`);
          } finally {
            c.destroy();
          }
        }
        const ok = await srv.api('allA', 'GET', `/api/v1/cases/${caseA.id}`);
        assert.equal(ok.status, 200);
      });
    });
  });

  describe('throttling server', { concurrency: 1 }, () => {
    // =====================================================================================
    // 3. Login throttling (session.test.mjs covers 5 failures locking one account)
    // =====================================================================================

    describe('login throttling', () => {
      const fail = (u, ip) => apiLogin(thr, u, 'wrong-password', ip);
      const failures = (where) => Number(sqlite(thr.db, `SELECT count(*) FROM login_failures WHERE ${where};`).trim());

      test('an account attacked with 5 failures is not locked for its owner: the right password passes after a delay', async () => {
        for (let i = 0; i < 5; i++) assertError(await fail('victim', '127.0.0.2'), 401, 'unauthenticated');
        // a sixth wrong guess is slowed down (1 s), then refused as usual
        let t0 = Date.now();
        assertError(await fail('victim', '127.0.0.4'), 401, 'unauthenticated');
        assert.ok(Date.now() - t0 >= 1000, 'the guess after five failures waits');
        // the owner, from anywhere, gets in after the (longer) delay
        t0 = Date.now();
        const right = await apiLogin(thr, 'victim', PASSWORD, '127.0.0.3');
        assert.equal(right.status, 200, right.text);
        assert.ok(Date.now() - t0 >= 2000, 'the seventh attempt waits 2 s');
        assert.equal(failures("username='victim'"), 0, 'a successful login clears the account\'s failures');
        // another account from the same address is fine (5 failures are far below the address limit)
        assert.equal((await apiLogin(thr, 'bystander', PASSWORD, '127.0.0.2')).status, 200);
      });

      test('concurrent guesses are counted one by one before any password is checked', async () => {
        const ip = '127.0.0.30';
        const t0 = Date.now();
        const rs = await Promise.all(Array.from({ length: 60 }, () => (async () => {
          const r = await fail('swarm', ip);
          return { status: r.status, ms: Date.now() - t0 };
        })()));
        // The address limit (20) is reached exactly: 20 attempts counted, the other 40 refused unchecked.
        assert.equal(failures(`ip='${ip}'`), 20);
        assert.equal(rs.filter((r) => r.status === 401).length, 20);
        assert.equal(rs.filter((r) => r.status === 429).length, 40);
        // Of the 20, only the first 5 were checked at once; the 15 after the account limit waited.
        assert.ok(rs.filter((r) => r.status === 401 && r.ms >= 1000).length >= 15, JSON.stringify(rs));
      });

      test('refused attempts do not flood the audit trail; a long name is cut on a character boundary', async () => {
        const ip = '127.0.0.31';
        const before = Number(sqlite(thr.db, "SELECT count(*) FROM audit_log WHERE action='login.failed';").trim());
        const long = '张'.repeat(30);  // 90 bytes
        for (let i = 0; i < 20; i++) await fail(`${long}${i % 4}`, ip);
        for (let i = 0; i < 30; i++) assertError(await fail('flood', ip), 429, 'throttled');
        const rows = sqlite(thr.db, `SELECT actor||'|'||detail FROM audit_log WHERE action='login.failed' AND id > 0 ORDER BY id;`)
          .trim().split('\n').slice(before);
        // the first failure, the fifth and the twentieth from the address: three rows for fifty attempts
        assert.equal(rows.length, 3, rows.join('\n'));
        assert.match(rows[0], /ip=127\.0\.0\.31 该地址15分钟内第1次登录失败/);
        assert.match(rows[2], /第20次登录失败/);
        const actor = rows[0].split('|')[0];
        assert.equal(actor, '张'.repeat(21), 'cut at 63 bytes, whole characters only');
      });

      test('per address: 20 failures over several accounts lock every login from that address, not from others', async () => {
        const ip = '127.0.0.5';
        const sprays = Array.from({ length: 20 }, (_, i) => `spray${i % 5}`);
        for (const r of await pool(sprays, 4, (u) => fail(u, ip))) assertError(r, 401, 'unauthenticated');
        assert.equal(failures(`ip='${ip}'`), 20);
        // no single account reached 5; the address did
        assertError(await apiLogin(thr, 'bystander', PASSWORD, ip), 429, 'throttled');
        assertError(await apiLogin(thr, 'other', PASSWORD, ip), 429, 'throttled');
        // a forwarded-for header does not get around it
        assertError(await rawRequest(thr, 'POST', '/api/v1/session', {
          body: { username: 'bystander', password: PASSWORD }, localAddress: ip,
          headers: { 'X-Forwarded-For': '203.0.113.9', 'X-Real-IP': '203.0.113.9' } }), 429, 'throttled');
        // the UI login too
        const lf = await loginForm(thr, { username: 'bystander', password: PASSWORD });
        const form = await rawRequest(thr, 'POST', '/login', { body: lf.body, localAddress: ip, headers: lf.headers });
        assert.equal(form.status, 429, form.text.slice(0, 200));
        assert.ok(!(form.headers['set-cookie'] ?? []).some((c) => c.startsWith('ogi_session=')), 'a cookie was set');
        // other addresses are not affected
        assert.equal((await apiLogin(thr, 'bystander', PASSWORD, '127.0.0.6')).status, 200);
        // the window ends
        sqlite(thr.db, `UPDATE login_failures SET at = at - 901 WHERE ip='${ip}';`);
        assert.equal((await apiLogin(thr, 'bystander', PASSWORD, ip)).status, 200);
      });

      test('behind the trusted proxy the client address is the forwarded one; from anyone else the header is ignored', async () => {
        const viaProxy = (username, password, xff) => rawRequest(thr, 'POST', '/api/v1/session', {
          body: { username, password }, localAddress: '127.0.0.40', headers: { 'X-Forwarded-For': xff } });
        // 20 failures from one client behind the proxy limit that client, not everyone behind the proxy
        for (let i = 0; i < 20; i++) assertError(await viaProxy(`nobody${i % 4}`, 'x', '10.9.8.7, 198.51.100.7'), 401, 'unauthenticated');
        assert.equal(failures("ip='198.51.100.7'"), 20);
        assertError(await viaProxy('bystander', PASSWORD, '198.51.100.7'), 429, 'throttled');
        assert.equal((await viaProxy('bystander', PASSWORD, '198.51.100.8')).status, 200, 'another client behind the proxy logs in');
        assert.match(sqlite(thr.db, "SELECT detail FROM audit_log WHERE action='login' ORDER BY id DESC LIMIT 1;"), /ip=198\.51\.100\.8/);
        // a forged header from a peer that is not the proxy counts against the peer itself
        await rawRequest(thr, 'POST', '/api/v1/session', { body: { username: 'nobody', password: 'x' }, localAddress: '127.0.0.41',
          headers: { 'X-Forwarded-For': '198.51.100.99' } });
        assert.equal(failures("ip='198.51.100.99'"), 0);
        assert.equal(failures("ip='127.0.0.41'"), 1);
        // garbage in the header: the proxy's own address
        await viaProxy('nobody', 'x', 'not-an-address');
        assert.equal(failures("ip='127.0.0.40'"), 1);
      });

      test('the UI login counts failures like the API', async () => {
        const post = async (password) => {
          const lf = await loginForm(thr, { username: 'formuser', password });
          return rawRequest(thr, 'POST', '/login', { body: lf.body, localAddress: '127.0.0.7', headers: lf.headers });
        };
        for (let i = 0; i < 5; i++) assert.equal((await post('wrong-password')).status, 401);
        // the API's next guess on the same account waits: the form's failures counted
        const t0 = Date.now();
        assertError(await apiLogin(thr, 'formuser', 'wrong-password', '127.0.0.8'), 401, 'unauthenticated');
        assert.ok(Date.now() - t0 >= 1000);
        const r = await post(PASSWORD);
        assert.equal(r.status, 303, 'the owner still logs in through the form');
        assert.ok((r.headers['set-cookie'] ?? []).some((c) => c.startsWith('ogi_session=')));
      });

      test('a successful login resets the account count (4 failures, success, 4 failures: still open)', async () => {
        for (let i = 0; i < 4; i++) await fail('resetme', '127.0.0.9');
        assert.equal((await apiLogin(thr, 'resetme', PASSWORD, '127.0.0.9')).status, 200);
        for (let i = 0; i < 4; i++) await fail('resetme', '127.0.0.9');
        assert.equal((await apiLogin(thr, 'resetme', PASSWORD, '127.0.0.9')).status, 200);
      });
    });
  });

  describe('idle connections server', { concurrency: 1 }, () => {
    test('idle sockets: a cap per address, a short head deadline, and everyone else is served meanwhile', async () => {
      await caps.ensureStarted();
      // connections left from the start-up check are closed by the head deadline first
      await new Promise((r) => setTimeout(r, 2500));
      const idle = [];
      try {
        for (let i = 0; i < 5; i++) idle.push(await new RawConnection(caps.port).open());
        // one of the five from the same address (whichever the server took last) is turned away at once
        const answers = await Promise.all(idle.map((c) => c.readResponse(1500).catch(() => null)));
        assert.deepEqual(answers.map((r) => r?.status ?? null).sort(), [503, null, null, null, null].sort(),
          'exactly one connection over the cap gets 503');
        const kept = idle.filter((_, i) => !answers[i]);
        // another address is served while the four sit idle
        const t0 = Date.now();
        const health = await rawRequest(caps, 'GET', '/healthz', { localAddress: '127.0.0.60' });
        assert.equal(health.status, 200);
        assert.ok(Date.now() - t0 < 1500, `healthz took ${Date.now() - t0} ms`);
        // the idle ones are closed after the head deadline (2 s), not the request timeout (30 s)
        for (const c of kept) assert.ok(await c.waitClosed(5000), 'an idle connection stays open');
        // and the address may connect again: the worker releases its slot just after the shutdown the
        // client sees, so a loaded machine may answer 503 for a few milliseconds; poll, bounded
        let again = null;
        for (let i = 0; i < 20; i++) {
          again = await rawRequest(caps, 'GET', '/healthz');
          if (again.status === 200) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(again.status, 200, 'the address is still refused 2 s after its connections closed');
      } finally {
        for (const c of idle) c.destroy();
      }
    });
  });

  describe('limits server', { concurrency: 1 }, () => {
    // =====================================================================================
    // 6. Server `lim`: session limits and slow requests (ogi.request_timeout_seconds=2, ogi.threads=8)
    // =====================================================================================

    describe('session limits come from the configuration', () => {
      test('the configuration sets both limits (ogi.session.minutes=1, ogi.session.max_hours=1)', async () => {
        const r = await apiLogin(lim, 'allA', PASSWORD);
        assert.equal(r.status, 200, r.text);
        const left = r.body.expires_at - now();
        assert.ok(left >= 55 && left <= 61, `expires_at ${left} s from now, expected 60`);
        const [, exp] = sessionRow(lim, r.body.token).split('|').map(Number);
        assert.equal(exp, r.body.expires_at);
        // 61 s idle → expired
        setSession(lim, r.body.token, `expires_at=${now() - 1}`);
        assertError(await lim.request('GET', '/api/v1/me', { token: r.body.token }), 401, 'unauthenticated');
        // one hour after login → expired although recently used
        const r2 = await apiLogin(lim, 'allA', PASSWORD);
        setSession(lim, r2.body.token, `created_at=${now() - 3605}`);
        assertError(await lim.request('GET', '/api/v1/me', { token: r2.body.token }), 401, 'unauthenticated');
        const r3 = await apiLogin(lim, 'allA', PASSWORD);
        setSession(lim, r3.body.token, `created_at=${now() - 3000}`);
        assert.equal((await lim.request('GET', '/api/v1/me', { token: r3.body.token })).status, 200);
      });
    });

    describe('slow requests are cut off within the timeout, and others are served meanwhile', () => {
      const LIMIT_MS = TIMEOUT_S * 1000;
      const SLACK_MS = 1500;
      let token;
      before(async () => {
        token = (await apiLogin(lim, 'allA', PASSWORD)).body.token;
      });

      async function healthz(server, waitMs) {
        const t0 = Date.now();
        const c = await new RawConnection(server.port).open();
        try {
          await c.write(requestHead('GET', '/healthz', { Connection: 'close' }));
          const r = await c.readResponse(waitMs).catch(() => null);
          return { status: r?.status ?? null, ms: Date.now() - t0 };
        } finally {
          c.destroy();
        }
      }

      test('an unfinished request head, then silence → closed within the timeout; others are served at once', async () => {
        const conns = [];
        for (let i = 0; i < 3; i++) {
          const c = await new RawConnection(lim.port).open();
          await c.write('GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
          conns.push(c);
        }
        const t0 = Date.now();
        try {
          const h = await healthz(lim, 1000);
          assert.equal(h.status, 200, 'GET /healthz was not answered while 3 requests were stalled');
          assert.ok(h.ms < 500, `GET /healthz took ${h.ms} ms`);
          const closed = await Promise.all(conns.map((c) => c.waitClosed(LIMIT_MS + SLACK_MS)));
          assert.deepEqual(closed, [true, true, true], `stalled heads still open after ${Date.now() - t0} ms`);
          for (const c of conns) assert.ok(!/^HTTP\/1\.1 2/.test(c.buf.toString('latin1')), 'a stalled head was answered 2xx');
        } finally {
          conns.forEach((c) => c.destroy());
        }
      });

      test('a head sent one byte at a time (each byte within the timeout) is still cut off', async () => {
        const c = await new RawConnection(lim.port).open();
        const head = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(1000)}`;
        const t0 = Date.now();
        const deadline = 2.5 * LIMIT_MS;
        try {
          for (let i = 0; !c.closed && Date.now() - t0 < deadline; i++) {
            await c.write(head[i % head.length]);
            await sleep(LIMIT_MS / 4);
          }
          assert.ok(c.closed, `a request head dripping one byte every ${LIMIT_MS / 4} ms was still open after ${Date.now() - t0} ms ` +
            `(timeout ${LIMIT_MS} ms): no deadline for the whole head (slowloris)`);
        } finally {
          c.destroy();
        }
      });

      test('a body that stops short of its Content-Length → no action taken, the connection closed (408 at most)', async () => {
        const reg = await lim.request('POST', '/api/v1/cases', { body: registration(), token });
        assert.equal(reg.status, 201, reg.text);
        const id = reg.body.id;
        const count = () => Number(sqlite(lim.db, `SELECT count(*) FROM case_events WHERE case_id=${id};`).trim());
        const n = count();
        const json = JSON.stringify({ event: 'withdraw', on: '2024-03-04' });
        const c = await new RawConnection(lim.port).open();
        const t0 = Date.now();
        try {
          await c.write(Buffer.concat([
            requestHead('POST', `/api/v1/cases/${id}/events`, { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': json.length + 64 }),
            Buffer.from(json)]));
          const r = await c.readResponse(LIMIT_MS + SLACK_MS).catch(() => null);
          const closed = await c.waitClosed(500);
          const problems = [];
          if (count() !== n) problems.push('the incomplete body was acted upon (an event was recorded)');
          if (r !== null && r.status !== 408)
            problems.push(`after ${Date.now() - t0} ms the incomplete body was answered ${r.line} ${r.text.slice(0, 100)}: ` +
              'a body that timed out was handled as if it were complete (expected 408 or a closed connection)');
          if (!closed) problems.push('the connection stays open after the body timed out: the rest of the body would be parsed as the next request');
          assert.deepEqual(problems, [], problems.join('\n'));
        } finally {
          c.destroy();
        }
      });

      test('more slow clients than server threads: /healthz is still answered within the timeout', async () => {
        const conns = [];
        const head = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(1000)}`;
        for (let i = 0; i < 12; i++) conns.push(await new RawConnection(lim.port).open());
        let stop = false;
        const drip = (async () => {
          for (let i = 0; !stop; i++) {
            for (const c of conns) if (!c.closed) await c.write(head[i % head.length]);
            await sleep(LIMIT_MS / 4);
          }
        })();
        try {
          await sleep(200);
          const h = await healthz(lim, LIMIT_MS + SLACK_MS);
          const open = conns.filter((c) => !c.closed).length;
          assert.equal(h.status, 200, `GET /healthz unanswered after ${h.ms} ms while 12 clients (server threads: 8) ` +
            `drip their request heads; ${open} of them still open`);
        } finally {
          stop = true;
          await drip;
          conns.forEach((c) => c.destroy());
        }
        // once they are gone the server recovers
        const after = await healthz(lim, 5000);
        assert.equal(after.status, 200);
      });
    });
  });
});
