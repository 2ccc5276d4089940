// The authorization matrix (issue 6): every route the server registers (JSON API and UI pages,
// every method) × every role × a target in the user's own agency / in another agency / no login,
// each cell with its expected answer written down below and checked.
//
// Agencies: P1 supervises A1 (A1's parent); B2 is unrelated. Users: one per role in A1 (reg, hdl,
// apr, off, adm, aud) plus `sup`, an office user of the supervising agency P1 (sees P1 and A1).
// "own" is an A1 target (case, letter, attachment, agency code), "other" a B2 one. Routes with no
// agency-bound target have `other: '='`: their "other" cell is the check that the own answer
// carries no B2 data (names, request texts, case numbers, file names, lock reasons).
//
// Cell notation (columns: reg hdl apr off adm aud sup):
//   200, 201, 401, 403, 404, 409, 422 … the exact status
//   303>/        a redirect to exactly "/" (UI: "not for your role")
//   303>login    a redirect to /login?next=… (UI without a session)
//   303>/login   a redirect to exactly /login (after logout)
//   303>ok       the route's success redirect (its `ok` pattern), no error in it
//   303>err      a redirect carrying ?error=… (UI: the action was refused)
// For routes that write, every refused cell must leave the listed tables' row counts unchanged,
// and every allowed cell must add rows to them.
//
// The last test parses the route registrations out of src/http/*.cpp and fails when a route is
// registered but not in this matrix (or listed here but no longer registered), or when its access
// class (open / api / page) differs, so the matrix stays complete.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { useServer, registration, PASSWORD, SOURCE_DIR, sqlite, pool, loginForm } from './helpers.mjs';

const AGENCIES = [
  { code: 'P1', name: '主管机关', pattern: '主〔{year}〕第{seq}号' },
  { code: 'A1', name: '测试机关', pattern: '测〔{year}〕第{seq}号', parent: 'P1' },
  { code: 'B2', name: '另一机关', pattern: '另〔{year}〕第{seq}号' },
];
const ALL_CASE_ROLES = ['registrar', 'handler', 'approver', 'office'];
const COLS = ['reg', 'hdl', 'apr', 'off', 'adm', 'aud', 'sup'];

const srv = useServer({
  agencies: AGENCIES,
  users: [
    { name: 'reg', roles: ['registrar'] },
    { name: 'hdl', roles: ['handler'] },
    { name: 'apr', roles: ['approver'] },
    { name: 'off', roles: ['office'] },
    { name: 'adm', roles: ['admin'] },
    { name: 'aud', roles: ['auditor'] },
    { name: 'sup', agency: 'P1', roles: ['office'] },
    // fixtures and targets, not part of the matrix columns
    { name: 'fixA', roles: ALL_CASE_ROLES },
    { name: 'fixB', agency: 'B2', roles: ALL_CASE_ROLES },
    { name: 'dummyA', roles: ['handler'] },
    { name: 'dummyB', agency: 'B2', roles: ['handler'] },
    { name: 'loginme', roles: ['handler'] },
  ],
});

// What marks B2 data: none of it may reach an A1 or P1 user.
const B2_NAME = '乙机关申请人';
const B2_CONTENT = 'B2专属内容XYZ';
const B2_FILE = 'b2-secret.txt';
const B2_LOCK_REASON = 'B2锁定原因';
const B2_NUMBER = /另〔\d{4}〕第\d+号/;
const A1_NAME = '甲机关申请人';

const fx = {}; // fixtures: cases, letters, attachments, template body

const sessions = new Map(); // user -> {token, csrf}

async function loginApi(user) {
  const r = await srv.request('POST', '/api/v1/session', { body: { username: user, password: PASSWORD } });
  assert.equal(r.status, 200, `login ${user}: ${r.text}`);
  return { token: r.body.token, csrf: r.body.csrf };
}
async function session(user) {
  if (!sessions.has(user)) sessions.set(user, await loginApi(user));
  return sessions.get(user);
}

async function api(user, method, p, body) {
  const s = await session(user);
  return srv.request(method, p, { body, token: s.token });
}

const DRAFT_CASE = {};
async function newCase(agency, extra = {}) {
  const user = agency === 'B2' ? 'fixB' : 'fixA';
  const name = agency === 'B2' ? B2_NAME : A1_NAME;
  const content = agency === 'B2' ? `申请公开${B2_CONTENT}的文件` : '申请公开甲机关某项目的批复文件';
  const r = await api(user, 'POST', '/api/v1/cases', registration({ agency, content, applicant: { name }, ...extra }));
  assert.equal(r.status, 201, `fixture case in ${agency}: ${r.text}`);
  const letters = await api(user, 'GET', `/api/v1/cases/${r.body.id}/letters`);
  assert.equal(letters.status, 200, letters.text);
  const receipt = letters.body.find((l) => l.kind === 'receipt');
  assert.ok(receipt, `a receipt for case ${r.body.id}: ${letters.text}`);
  return { id: r.body.id, number: r.body.number, receipt: receipt.id };
}

async function decided(agency) {
  const c = await newCase(agency);
  const user = agency === 'B2' ? 'fixB' : 'fixA';
  const r = await api(user, 'POST', `/api/v1/cases/${c.id}/events`,
    { event: 'decide', on: '2024-03-05', outcome: 'disclosed', reasons: '依法公开' });
  assert.equal(r.status, 200, r.text);
  return c;
}

async function attachment(agency, name) {
  const c = agency === 'B2' ? fx.caseB : fx.caseA;
  const user = agency === 'B2' ? 'fixB' : 'fixA';
  const s = await session(user);
  const r = await srv.request('POST', `/api/v1/cases/${c.id}/attachments`, {
    body: Buffer.from(`attachment of ${agency}\n`), token: s.token,
    headers: { 'X-Filename': encodeURIComponent(name), 'Content-Type': 'text/plain' },
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

before(async () => {
  await srv.ensureStarted();
  fx.caseA = await newCase('A1');
  fx.caseB = await newCase('B2');
  fx.decidedA = await decided('A1');
  fx.decidedB = await decided('B2');
  // duplicates are looked for among the cases received in the last 365 days
  fx.recentA = await newCase('A1', { received_on: '2026-11-02' });
  fx.recentB = await newCase('B2', { received_on: '2026-11-02' });
  fx.attA = await attachment('A1', 'a1-file.txt');
  fx.attB = await attachment('B2', B2_FILE);
  const lock = await api('fixB', 'POST', '/api/v1/reports/locks', { agency: 'B2', year: 2018, locked: true, reason: B2_LOCK_REASON });
  assert.equal(lock.status, 200, lock.text);
  const t = await api('adm', 'GET', '/api/v1/templates/receipt');
  assert.equal(t.status, 200, t.text);
  fx.receiptBody = t.body.body;
});

// ---- request builders ----

const caseOf = (target) => (target === 'other' ? fx.caseB : fx.caseA);
const agencyOf = (target) => (target === 'other' ? 'B2' : 'A1');
const form = (o) => ({ form: new URLSearchParams(o).toString() });
let uniq = 0;

function multipart(filename, content) {
  const boundary = '----ogimatrix' + (++uniq);
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      `Content-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`, 'utf8');
  return { multipart: body, boundary };
}

function registrationForm(agency) {
  return form({
    agency, type: 'natural_person', name: A1_NAME, id_type: 'resident_id',
    id_number: '11010519491231002X', phone: '13812345678', address: '北京市东城区某路1号', channel: 'post',
    received_on: '2024-03-01', content: '申请公开某项目的批复文件（界面登记）', form: 'paper', delivery: 'post', confirm: '1',
  });
}

// Years for period locks: each allowed cell locks a year of its own (see the lock routes).
const LOCK_YEARS = { api: { off: 2019, sup: 2020 }, ui: { off: 2021, sup: 2022 } };

// ---- the matrix ----
// own/other: 7 cells in the column order reg hdl apr off adm aud sup; other '=' see the header.

// The expected cells of a route guarded by a policy action come from the same data the server
// uses: the `permission` lines of workflow/lifecycle.wf (app/policy.h). A column is allowed when
// its user holds one of the action's roles.
const POLICY = Object.fromEntries(readFileSync(path.join(SOURCE_DIR, 'workflow', 'lifecycle.wf'), 'utf8')
  .split('\n').filter((l) => l.startsWith('permission '))
  .map((l) => [l.split(/\s+/)[1], (/roles=(\S+)/.exec(l) || [, ''])[1].split(',')]));
const COL_ROLES = { reg: ['registrar'], hdl: ['handler'], apr: ['approver'], off: ['office'], adm: ['admin'], aud: ['auditor'], sup: ['office'] };
function byPolicy(action, yes, no) {
  assert.ok(POLICY[action], `the policy has an action ${action}`);
  return COLS.map((c) => (COL_ROLES[c].some((r) => POLICY[action].includes(r)) ? yes : no)).join(' ');
}

const R = byPolicy('case.read', '200', '403'); // case readers: everyone but the administrator
const ALL200 = '200 200 200 200 200 200 200';
const ALL403 = '403 403 403 403 403 403 403';
// Cases made for the assignment cells carry another A1 name (the name search's page stays short).
const ASSIGN_FIXTURE = (target) => (target === 'other' ? {} : { applicant: { name: '分派用申请人' } });
const ALL_ERR = '303>err 303>err 303>err 303>err 303>err 303>err 303>err';
const REPORTS = byPolicy('report.read', '200', '403'); // report readers
const ADMIN_ONLY = byPolicy('user.admin', '200', '403');
const ADMIN_OFFICE = byPolicy('agency.read', '200', '403');
const UI_ADMIN = byPolicy('user.admin', '200', '303>/');
const UI_ADMIN_ACT = byPolicy('user.admin', '303>ok', '303>/');
const UI_TEMPLATES = byPolicy('template.read', '200', '303>/');
// the rules as they stood before the policy, so that a change of the data is a visible decision
assert.equal(R, '200 200 200 200 403 200 200');
assert.equal(REPORTS, '403 200 200 200 403 200 200');
assert.equal(ADMIN_OFFICE, '403 403 403 200 200 403 200');
assert.equal(UI_TEMPLATES, '303>/ 303>/ 303>/ 200 200 303>/ 200', 'template.read: the 公开办 reads templates on the page as in the API (issue 14)');

const ROUTES = [
  // ---- JSON API: http/api/*.cpp ----
  { m: 'GET', p: '/healthz', access: 'open', own: ALL200, other: '=', anon: '200', req: () => ({ path: '/healthz' }) },
  { m: 'POST', p: '/api/v1/session', access: 'open', own: ALL200, other: '=', anon: '200',
    req: () => ({ path: '/api/v1/session', json: { username: 'loginme', password: PASSWORD } }) },
  { m: 'DELETE', p: '/api/v1/session', access: 'api', own: ALL200, other: '=', anon: '401', freshSession: true,
    req: () => ({ path: '/api/v1/session' }) },
  { m: 'GET', p: '/api/v1/me', access: 'api', own: ALL200, other: '=', anon: '401', req: () => ({ path: '/api/v1/me' }) },
  { m: 'POST', p: '/api/v1/cases', access: 'api', writes: ['cases', 'case_events', 'applicants'],
    own: '201 201 403 201 403 403 201', other: ALL403, anon: '401',
    req: ({ target }) => ({ path: '/api/v1/cases', json: registration({ agency: agencyOf(target), applicant: { name: target === 'other' ? B2_NAME : A1_NAME } }) }) },
  { m: 'GET', p: '/api/v1/cases', access: 'api', own: R, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: target === 'other' ? '/api/v1/cases?agency=B2' : '/api/v1/cases?per_page=1000' }),
    check: (r, c) => c.target === 'own' && r.status === 200 && !r.body.items.some((x) => x.id === fx.caseA.id) && 'the A1 case is not listed' },
  { m: 'GET', p: '/api/v1/cases.csv', access: 'api', own: R, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: target === 'other' ? '/api/v1/cases.csv?agency=B2' : '/api/v1/cases.csv' }),
    check: (r, c) => c.target === 'own' && r.status === 200 && !r.text.includes(fx.caseA.number) && 'the A1 case is not exported' },
  { m: 'GET', p: '/api/v1/cases/{id}', access: 'api', own: R, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/cases/${caseOf(target).id}` }) },
  { m: 'POST', p: '/api/v1/cases/{id}/events', access: 'api', writes: ['case_events'],
    // withdraw: registrar and handler (contract.md)
    own: '200 200 403 403 403 403 403', other: ALL403, anon: '401',
    prep: ({ target }) => newCase(agencyOf(target)),
    req: (c, fresh) => ({ path: `/api/v1/cases/${fresh.id}/events`, json: { event: 'withdraw', on: '2024-03-04' } }) },
  { m: 'GET', p: '/api/v1/cases/{id}/letters', access: 'api', own: R, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/cases/${caseOf(target).id}/letters` }) },
  { m: 'GET', p: '/api/v1/cases/{id}/letters.docx', access: 'api', own: R, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/cases/${caseOf(target).id}/letters.docx` }) },
  { m: 'GET', p: '/api/v1/cases/{id}/reply-preview', access: 'api', own: R, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/cases/${(target === 'other' ? fx.decidedB : fx.decidedA).id}/reply-preview` }) },
  { m: 'GET', p: '/api/v1/letters/{id}', access: 'api', own: R, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/letters/${caseOf(target).receipt}` }) },
  { m: 'POST', p: '/api/v1/letters/{id}/reissue', access: 'api', writes: ['letters'],
    // corrections: approver and office (the administrator sees no case content)
    own: '403 403 201 201 403 403 201', other: ALL403, anon: '401',
    prep: ({ target }) => newCase(agencyOf(target)),
    req: (c, fresh) => ({ path: `/api/v1/letters/${fresh.receipt}/reissue`, json: { reason: '更正笔误' } }) },
  { m: 'GET', p: '/api/v1/templates', access: 'api', own: ADMIN_OFFICE, other: '=', anon: '401',
    req: () => ({ path: '/api/v1/templates' }) },
  { m: 'GET', p: '/api/v1/templates/{name}', access: 'api', own: ADMIN_OFFICE, other: '=', anon: '401',
    req: () => ({ path: '/api/v1/templates/receipt' }) },
  { m: 'PUT', p: '/api/v1/templates/{name}', access: 'api', writes: ['letter_templates'],
    own: ADMIN_ONLY, other: '=', anon: '401',
    req: () => ({ path: '/api/v1/templates/receipt', json: { body: fx.receiptBody, note: '权限矩阵' } }) },
  { m: 'POST', p: '/api/v1/templates/{name}/preview', access: 'api', own: ADMIN_OFFICE, other: '=', anon: '401',
    req: () => ({ path: '/api/v1/templates/receipt/preview', json: { body: fx.receiptBody } }) },
  { m: 'POST', p: '/api/v1/cases/{id}/attachments', access: 'api', writes: ['attachments'],
    own: '201 201 201 201 403 403 201', other: ALL403, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/cases/${caseOf(target).id}/attachments`, raw: Buffer.from('matrix\n'),
      headers: { 'X-Filename': 'matrix.txt', 'Content-Type': 'text/plain' } }) },
  { m: 'GET', p: '/api/v1/cases/{id}/attachments', access: 'api', own: R, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/cases/${caseOf(target).id}/attachments` }) },
  { m: 'GET', p: '/api/v1/attachments/{id}', access: 'api', own: R, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/attachments/${target === 'other' ? fx.attB : fx.attA}` }) },
  { m: 'GET', p: '/api/v1/dashboard', access: 'api', own: R, other: '=', anon: '401', req: () => ({ path: '/api/v1/dashboard' }) },
  { m: 'GET', p: '/api/v1/queues', access: 'api', own: R, other: '=', anon: '401', req: () => ({ path: '/api/v1/queues' }) },
  // the 公开办 (of the agency or of the one supervising it) assigns; a B2 case is no one's here
  { m: 'POST', p: '/api/v1/cases/{id}/assignee', access: 'api', writes: ['case_assignments'],
    own: byPolicy('case.assign', '200', '403'), other: ALL403, anon: '401',
    prep: ({ target }) => newCase(agencyOf(target), ASSIGN_FIXTURE(target)),
    req: ({ target }, fresh) => ({ path: `/api/v1/cases/${fresh.id}/assignee`, json: { assignee: target === 'other' ? 'dummyB' : 'dummyA' } }) },
  { m: 'GET', p: '/api/v1/duplicates', access: 'api', own: R, other: R, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/duplicates?name=${encodeURIComponent(target === 'other' ? B2_NAME : A1_NAME)}` }),
    check: (r, c) => {
      if (r.status !== 200) return false;
      if (c.target === 'other' && r.body.length !== 0) return `B2 cases offered as duplicates: ${r.text}`;
      if (c.target === 'own' && !r.body.some((x) => x.id === fx.recentA.id)) return 'the A1 case is not found';
      return false;
    } },
  { m: 'GET', p: '/api/v1/alerts', access: 'api', own: R, other: '=', anon: '401', req: () => ({ path: '/api/v1/alerts' }) },
  // The administrator's trail is system-wide; an auditor of A1 sees A1's (no B2 data).
  { m: 'GET', p: '/api/v1/audit', access: 'api', own: '403 403 403 403 200 200 403', other: '=', anon: '401', systemWide: true,
    req: () => ({ path: '/api/v1/audit' }) },
  { m: 'GET', p: '/api/v1/admin/users', access: 'api', own: ADMIN_ONLY, other: '=', anon: '401',
    req: () => ({ path: '/api/v1/admin/users' }) },
  { m: 'POST', p: '/api/v1/admin/users', access: 'api', writes: ['users'],
    // the system administrator manages the users of every agency
    own: '403 403 403 403 201 403 403', other: '403 403 403 403 201 403 403', anon: '401',
    req: ({ target }) => ({ path: '/api/v1/admin/users',
      json: { username: `apiuser${++uniq}`, agency: agencyOf(target), password: PASSWORD, roles: ['handler'] } }) },
  { m: 'GET', p: '/api/v1/admin/agencies', access: 'api', own: ADMIN_OFFICE, other: '=', anon: '401',
    req: () => ({ path: '/api/v1/admin/agencies' }) },
  { m: 'GET', p: '/api/v1/calendar', access: 'api', own: ALL200, other: '=', anon: '401',
    req: () => ({ path: '/api/v1/calendar' }) },
  { m: 'GET', p: '/api/v1/calendar/{year}', access: 'api', own: ALL200, other: '=', anon: '401',
    req: () => ({ path: '/api/v1/calendar/2024' }) },
  { m: 'POST', p: '/api/v1/calendar', access: 'api', writes: ['calendar_years'],
    // an invalid upload: the administrator passes the role check and gets 422; nothing changes
    own: '403 403 403 403 422 403 403', other: '=', anon: '401',
    req: () => ({ path: '/api/v1/calendar?year=2030&notice=x', raw: Buffer.from('not a calendar'), headers: { 'Content-Type': 'text/plain' } }) },
  { m: 'GET', p: '/api/v1/workflow.dot', access: 'api', own: ALL200, other: '=', anon: '401', req: () => ({ path: '/api/v1/workflow.dot' }) },
  { m: 'GET', p: '/api/v1/workflow.svg', access: 'api', own: ALL200, other: '=', anon: '401', req: () => ({ path: '/api/v1/workflow.svg' }) },

  // ---- JSON API: http/api/report_api.cpp ----
  { m: 'GET', p: '/api/v1/reports/annual', access: 'api', own: REPORTS, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/reports/annual?year=2024${target === 'other' ? '&agency=B2' : ''}` }) },
  { m: 'GET', p: '/api/v1/reports/annual/cases', access: 'api', own: REPORTS, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/reports/annual/cases?year=2024&row=1${target === 'other' ? '&agency=B2' : ''}` }),
    check: (r, c) => {
      if (r.status !== 200) return false;
      if ([fx.caseB.id, fx.decidedB.id].some((id) => r.body.ids.includes(id))) return `B2 case ids listed: ${r.text}`;
      if (c.target === 'own' && !r.body.ids.includes(fx.caseA.id)) return `the A1 case is not listed: ${r.text}`;
      return false;
    } },
  { m: 'GET', p: '/api/v1/reports/stats', access: 'api', own: REPORTS, other: ALL403, anon: '401',
    req: ({ target }) => ({ path: `/api/v1/reports/stats?from=2024-01-01&to=2024-12-31${target === 'other' ? '&agency=B2' : ''}` }) },
  { m: 'GET', p: '/api/v1/reports/locks', access: 'api', own: REPORTS, other: '=', anon: '401',
    req: () => ({ path: '/api/v1/reports/locks' }) },
  { m: 'POST', p: '/api/v1/reports/locks', access: 'api', writes: ['period_locks'],
    own: '403 403 403 200 403 403 200', other: ALL403, anon: '401',
    req: ({ role, target }) => ({ path: '/api/v1/reports/locks',
      json: { agency: agencyOf(target), year: (target === 'own' && LOCK_YEARS.api[role]) || 2010, locked: true, reason: '权限矩阵' } }) },

  // ---- UI pages: http/pages/*.cpp ----
  { m: 'GET', p: '/static/{file}', access: 'open', own: ALL200, other: '=', anon: '200', req: () => ({ path: '/static/app.css' }) },
  { m: 'GET', p: '/login', access: 'open', own: '303>/ 303>/ 303>/ 303>/ 303>/ 303>/ 303>/', other: '=', anon: '200',
    req: () => ({ path: '/login' }) },
  { m: 'POST', p: '/login', access: 'open', own: '303>/ 303>/ 303>/ 303>/ 303>/ 303>/ 303>/', other: '=', anon: '303>/',
    req: () => ({ path: '/login', loginForm: true, ...form({ username: 'loginme', password: PASSWORD }) }),
    check: (r) => r.status === 303 && !r.headers.getSetCookie().some((x) => /^ogi_session=[0-9a-f]{64};/.test(x)) && 'no session cookie set' },
  { m: 'POST', p: '/logout', access: 'page', own: '303>/login 303>/login 303>/login 303>/login 303>/login 303>/login 303>/login',
    other: '=', anon: '303>login', freshSession: true, req: () => ({ path: '/logout', ...form({}) }) },
  { m: 'GET', p: '/', access: 'page', own: ALL200, other: '=', anon: '303>login', req: () => ({ path: '/' }) },
  { m: 'GET', p: '/cases/new', access: 'page', own: ALL200, other: '=', anon: '303>login', req: () => ({ path: '/cases/new' }) },
  { m: 'POST', p: '/cases/new', access: 'page', writes: ['cases', 'case_events', 'applicants'],
    // a refused registration re-renders the form with the message (422), nothing saved
    own: '303>ok 303>ok 422 303>ok 422 422 303>ok', other: '422 422 422 422 422 422 422', anon: '303>login',
    ok: /^\/cases\/\d+\?registered=1$/, req: ({ target }) => ({ path: '/cases/new', ...registrationForm(agencyOf(target)) }) },
  { m: 'GET', p: '/cases/{id}', access: 'page', own: R, other: ALL403, anon: '303>login',
    req: ({ target }) => ({ path: `/cases/${caseOf(target).id}` }) },
  { m: 'POST', p: '/cases/{id}/events', access: 'page', writes: ['case_events'],
    own: '303>ok 303>ok 303>err 303>err 303>err 303>err 303>err',
    other: '303>err 303>err 303>err 303>err 303>err 303>err 303>err', anon: '303>login',
    ok: /^\/cases\/\d+\?done=/, prep: ({ target }) => newCase(agencyOf(target)),
    req: (c, fresh) => ({ path: `/cases/${fresh.id}/events`, ...form({ event: 'withdraw', on: '2024-03-04' }) }) },
  { m: 'GET', p: '/cases/{id}/draft', access: 'page',
    // the 样稿 of the letter an event would issue: only who may record the event sees it
    own: '403 200 403 403 403 403 403', other: ALL403, anon: '303>login',
    prep: ({ target }) => (DRAFT_CASE[target] ??= newCase(agencyOf(target))),  // read only: one each
    req: (c, fresh) => ({ path: `/cases/${fresh.id}/draft?event=request_correction&items=${encodeURIComponent('身份证件')}&n=0` }) },
  { m: 'POST', p: '/cases/{id}/assignee', access: 'page', writes: ['case_assignments'],
    own: byPolicy('case.assign', '303>ok', '303>err'), other: ALL_ERR, anon: '303>login',
    ok: /^\/cases\/\d+\?done=/, prep: ({ target }) => newCase(agencyOf(target), ASSIGN_FIXTURE(target)),
    req: ({ target }, fresh) => ({ path: `/cases/${fresh.id}/assignee`, ...form({ assignee: target === 'other' ? 'dummyB' : 'dummyA' }) }) },
  { m: 'POST', p: '/cases/{id}/upload', access: 'page', writes: ['attachments'],
    // as the API: registrar, handler, approver, office upload; the administrator and the
    // (read-only) auditor may not
    own: '303>ok 303>ok 303>ok 303>ok 303>err 303>err 303>ok',
    other: '303>/ 303>/ 303>/ 303>/ 303>/ 303>/ 303>/', anon: '303>login', ok: /^\/cases\/\d+$/,
    req: ({ target }) => ({ path: `/cases/${caseOf(target).id}/upload`, ...multipart('matrix-ui.txt', 'uploaded from the page') }) },
  { m: 'POST', p: '/letters/{id}/reissue', access: 'page', writes: ['letters'],
    own: '303>err 303>err 303>ok 303>ok 303>/ 303>err 303>ok',
    other: '303>/ 303>/ 303>/ 303>/ 303>/ 303>/ 303>/', anon: '303>login', ok: /^\/cases\/\d+#letters$/,
    prep: ({ target }) => newCase(agencyOf(target)),
    req: (c, fresh) => ({ path: `/letters/${fresh.receipt}/reissue`, ...form({ reason: '更正笔误' }) }) },
  { m: 'GET', p: '/cases/{id}/receipt', access: 'page', own: R, other: ALL403, anon: '303>login',
    req: ({ target }) => ({ path: `/cases/${caseOf(target).id}/receipt` }) },
  // other: a search for the B2 applicant's name (echoed in the search box) finds no B2 case
  { m: 'GET', p: '/cases', access: 'page', own: '200 200 200 200 303>/ 200 200', other: '200 200 200 200 303>/ 200 200',
    anon: '303>login', echoes: [B2_NAME],
    req: ({ target }) => ({ path: `/cases?q=${encodeURIComponent(target === 'other' ? B2_NAME : A1_NAME)}` }),
    check: (r, c) => c.target === 'own' && r.status === 200 && !r.text.includes(fx.caseA.number) && 'the A1 case is not found' },
  { m: 'GET', p: '/admin/users', access: 'page', own: UI_ADMIN, other: '=', anon: '303>login', req: () => ({ path: '/admin/users' }) },
  { m: 'POST', p: '/admin/users', access: 'page', writes: ['users'], own: UI_ADMIN_ACT, other: UI_ADMIN_ACT, anon: '303>login',
    ok: /^\/admin\/users$/,
    req: ({ target }) => ({ path: '/admin/users',
      ...form({ username: `uiuser${++uniq}`, display_name: '新用户', agency: agencyOf(target), password: PASSWORD, role: 'handler' }) }) },
  { m: 'POST', p: '/admin/users/{username}', access: 'page', own: UI_ADMIN_ACT, other: UI_ADMIN_ACT, anon: '303>login',
    ok: /^\/admin\/users$/,
    prep: ({ target }) => ({ user: target === 'other' ? 'dummyB' : 'dummyA' }),
    req: (c, fresh) => ({ path: `/admin/users/${fresh.user}`, ...form({ role: 'auditor', active: '1' }) }),
    snapshot: (c, fresh) => sqlite(srv.db, `SELECT roles || '|' || active FROM users WHERE username='${fresh.user}';`).trim(),
    expectChange: 'auditor|1' },
  { m: 'GET', p: '/admin/agencies', access: 'page', own: UI_ADMIN, other: '=', anon: '303>login', req: () => ({ path: '/admin/agencies' }) },
  { m: 'POST', p: '/admin/agencies', access: 'page', writes: ['agencies'],
    // an invalid change (no name): the administrator gets the form's error, nothing changes
    own: '303>/ 303>/ 303>/ 303>/ 303>err 303>/ 303>/', other: '303>/ 303>/ 303>/ 303>/ 303>err 303>/ 303>/',
    anon: '303>login',
    prep: ({ target }) => ({ code: agencyOf(target) }),
    req: (c, fresh) => ({ path: '/admin/agencies', ...form({ code: fresh.code, name: '', pattern: 'x' }) }),
    snapshot: (c, fresh) => sqlite(srv.db, `SELECT name || '|' || number_pattern FROM agencies WHERE code='${fresh.code}';`).trim() },
  { m: 'GET', p: '/admin/calendar', access: 'page', own: UI_ADMIN, other: '=', anon: '303>login', req: () => ({ path: '/admin/calendar' }) },
  { m: 'POST', p: '/admin/calendar', access: 'page', writes: ['calendar_years'],
    // the administrator passes the role check; the page comes back with the error (422), nothing saved
    own: '303>/ 303>/ 303>/ 303>/ 422 303>/ 303>/', other: '=', anon: '303>login',
    req: () => ({ path: '/admin/calendar', ...form({ text: 'not a calendar', year: '2030', notice: 'x' }) }) },
  { m: 'GET', p: '/admin/templates', access: 'page', own: UI_TEMPLATES, other: '=', anon: '303>login', req: () => ({ path: '/admin/templates' }) },
  { m: 'GET', p: '/admin/templates/{name}', access: 'page', own: UI_TEMPLATES, other: '=', anon: '303>login',
    req: () => ({ path: '/admin/templates/receipt' }) },
  { m: 'POST', p: '/admin/templates/{name}', access: 'page', writes: ['letter_templates'], own: UI_ADMIN_ACT, other: '=',
    anon: '303>login', ok: /^\/admin\/templates\/receipt\?saved=\d+$/,
    req: () => ({ path: '/admin/templates/receipt', ...form({ body: fx.receiptBody, note: '权限矩阵' }) }) },
  { m: 'POST', p: '/admin/templates/{name}/preview', access: 'page', own: UI_TEMPLATES, other: '=', anon: '303>login',
    req: () => ({ path: '/admin/templates/receipt/preview', ...form({ body: fx.receiptBody }) }) },
  { m: 'GET', p: '/admin/workflow', access: 'page', own: ALL200, other: '=', anon: '303>login', req: () => ({ path: '/admin/workflow' }) },
  { m: 'GET', p: '/audit', access: 'page', own: '303>/ 303>/ 303>/ 303>/ 200 200 303>/', other: '=', anon: '303>login', systemWide: true,
    req: () => ({ path: '/audit' }) },

  // ---- UI pages: http/pages/report_pages.cpp ----
  { m: 'GET', p: '/reports', access: 'page', own: REPORTS, other: ALL403, anon: '303>login',
    req: ({ target }) => ({ path: `/reports?year=2024${target === 'other' ? '&agency=B2' : ''}` }) },
  { m: 'GET', p: '/reports/cases', access: 'page', own: REPORTS, other: ALL403, anon: '303>login',
    req: ({ target }) => ({ path: `/reports/cases?year=2024&row=1${target === 'other' ? '&agency=B2' : ''}` }),
    check: (r, c) => c.target === 'own' && r.status === 200 && !r.text.includes(fx.caseA.number) && 'the A1 case is not listed' },
  { m: 'POST', p: '/reports/lock', access: 'page', writes: ['period_locks'],
    own: '303>err 303>err 303>err 303>ok 303>err 303>err 303>ok',
    other: '303>err 303>err 303>err 303>err 303>err 303>err 303>err', anon: '303>login',
    ok: /^\/reports\?year=\d{4}&agency=A1$/,
    req: ({ role, target }) => ({ path: '/reports/lock',
      ...form({ agency: agencyOf(target), year: String((target === 'own' && LOCK_YEARS.ui[role]) || 2010), locked: '1', reason: '权限矩阵' }) }) },
  { m: 'GET', p: '/reports/stats', access: 'page', own: REPORTS, other: ALL403, anon: '303>login',
    req: ({ target }) => ({ path: `/reports/stats?from=2024-01-01&to=2024-12-31${target === 'other' ? '&agency=B2' : ''}` }) },
];

// ---- running one cell ----

function parseRow(s) {
  const cells = s.split(/\s+/);
  assert.equal(cells.length, COLS.length, `a matrix row needs ${COLS.length} cells: "${s}"`);
  return cells;
}

const allowedToken = (tok) => /^2\d\d$/.test(tok) || tok === '303>ok' || tok === '303>/login';

// B2 markers in the answer (`echoed`: markers the request itself carried, e.g. a search term).
function leaks(r, echoed = []) {
  const text = r.body !== undefined ? JSON.stringify(r.body) : r.text;
  const markers = [B2_NAME, B2_CONTENT, B2_FILE, B2_LOCK_REASON, fx.caseB.number, fx.decidedB.number, fx.recentB.number];
  const found = markers.filter((m) => !echoed.includes(m) && text.includes(m));
  const num = B2_NUMBER.exec(text);
  if (num) found.push(num[0]);
  return found;
}

// Does the response match the expected token? Returns an error string or ''.
function mismatch(tok, r, route, path) {
  const loc = r.headers.get('location') ?? '';
  const got = `${r.status}${loc ? ' → ' + loc : ''}`;
  const fail = () => `expected ${tok}, got ${got}: ${r.text.replace(/\s+/g, ' ').slice(0, 160)}`;
  if (/^\d{3}$/.test(tok)) {
    if (r.status !== Number(tok)) return fail();
    if (r.status === 401 && route.access === 'api' && r.body?.error?.code !== 'unauthenticated') return `401 without the error body: ${r.text}`;
    if (r.status === 403 && path.startsWith('/api/') && r.body?.error?.code !== 'forbidden') return `403 without the error body: ${r.text}`;
    return '';
  }
  if (r.status !== 303) return fail();
  const [, what] = tok.split('>');
  if (what === '/' && loc !== '/') return fail();
  if (what === '/login' && loc !== '/login') return fail();
  if (what === 'login' && !loc.startsWith('/login?next=')) return fail();
  if (what === 'ok' && (!route.ok.test(loc) || loc.includes('error='))) return fail();
  if (what === 'err' && !/[?&]error=/.test(loc)) return fail();
  return '';
}

async function send(route, cell, spec) {
  const headers = { ...(spec.headers ?? {}) };
  let p = spec.path;
  let body;
  if (spec.json !== undefined) body = spec.json;
  if (spec.raw !== undefined) body = spec.raw;
  if (spec.form !== undefined) {
    body = spec.form;
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  if (spec.multipart !== undefined) {
    body = spec.multipart;
    headers['Content-Type'] = `multipart/form-data; boundary=${spec.boundary}`;
  }
  let token;
  if (spec.loginForm) {
    // the login form's own token and cookie (login CSRF), as a browser that opened /login has them
    const lf = await loginForm(srv, Object.fromEntries(new URLSearchParams(spec.form)));
    body = lf.body;
    headers.Cookie = lf.headers.Cookie;
  }
  if (cell.role) {
    const s = route.freshSession ? await loginApi(cell.role) : await session(cell.role);
    if (p.startsWith('/api/') || p === '/healthz') {
      token = s.token;
    } else {
      // a browser: the session cookie, and the CSRF token as the page would send it
      headers.Cookie = `ogi_session=${s.token}` + (headers.Cookie ? `; ${headers.Cookie}` : '');
      if (route.m !== 'GET' && !spec.loginForm) {
        if (spec.form !== undefined) body = spec.form + (spec.form ? '&' : '') + `_csrf=${s.csrf}`;
        else if (spec.multipart !== undefined)
          body = Buffer.concat([Buffer.from(`--${spec.boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${s.csrf}\r\n`), body]);
        else headers['X-CSRF-Token'] = s.csrf;
      }
    }
  }
  return srv.request(route.m, p, { body, headers, token, fresh: route.m !== 'GET' });
}

async function runCell(route, cell) {
  const fresh = route.prep ? await route.prep(cell) : undefined;
  const spec = route.req(cell, fresh);
  const writes = route.writes ?? [];
  const before = writes.length ? srv.counts(writes) : null;
  const snapBefore = route.snapshot ? route.snapshot(cell, fresh) : null;
  const r = await send(route, cell, spec);
  const problems = [];
  const bad = mismatch(cell.expect, r, route, spec.path);
  if (bad) problems.push(bad);
  const leaked = cell.role === 'adm' && route.systemWide ? [] : leaks(r, route.echoes ?? []);
  if (leaked.length) problems.push(`B2 data in the answer: ${leaked.join(', ')}`);
  if (!bad && route.check) {
    const c = route.check(r, cell);
    if (c) problems.push(c);
  }
  if (writes.length) {
    const after = srv.counts(writes);
    const grew = writes.some((t) => after[t] > before[t]);
    if (allowedToken(cell.expect) && route.m !== 'DELETE' && !grew)
      problems.push(`allowed, but nothing written to ${writes.join(', ')}`);
    if (!allowedToken(cell.expect) && JSON.stringify(after) !== JSON.stringify(before))
      problems.push(`refused, yet rows changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  }
  if (route.snapshot) {
    const snapAfter = route.snapshot(cell, fresh);
    if (allowedToken(cell.expect) && route.expectChange && snapAfter !== route.expectChange)
      problems.push(`allowed, but the row reads ${snapAfter} (expected ${route.expectChange})`);
    if (!allowedToken(cell.expect) && snapAfter !== snapBefore) problems.push(`refused, yet the row changed: ${snapBefore} → ${snapAfter}`);
  }
  return problems.length ? `${cell.label}: ${problems.join('; ')}` : '';
}

function cellsOf(route) {
  const own = parseRow(route.own);
  const other = route.other === '=' ? null : parseRow(route.other);
  const cells = [];
  COLS.forEach((role, i) => {
    cells.push({ role, target: 'own', expect: own[i], label: `${role}/own` });
    if (other) cells.push({ role, target: 'other', expect: other[i], label: `${role}/other` });
  });
  cells.push({ role: null, target: 'anon', expect: route.anon, label: 'no login' });
  return cells;
}

let cellCount = 0;

for (const route of ROUTES) {
  test(`${route.m} ${route.p}`, async () => {
    const cells = cellsOf(route);
    // Sequential where the route writes (row counts are compared), parallel otherwise.
    const limit = route.writes || route.prep || route.snapshot || route.freshSession ? 1 : 8;
    const problems = (await pool(cells, limit, (c) => runCell(route, c))).filter(Boolean);
    // '=' routes: the "other agency" cell of each role is the leak check done on its own answer.
    cellCount += cells.length + (route.other === '=' ? COLS.length : 0);
    assert.deepEqual(problems, [], `${route.m} ${route.p}:\n  ${problems.join('\n  ')}`);
  });
}

// ---- completeness: every registered route is in the matrix ----

function registeredRoutes() {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (/\.(cpp|cc|h)$/.test(e.name)) files.push(f);
    }
  };
  walk(path.join(SOURCE_DIR, 'src'));
  const found = [];
  let calls = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    // Every call that registers a route names an Access class.
    // (add_upload: a route whose body is spooled to a file)
    calls += (text.match(/\.add(?:_upload)?\(\s*"[A-Z]+"\s*,[^;]*?Access::/gs) ?? []).length;
    calls += (text.match(/\.add(?:_upload)?\(\s*[a-z_]\w*\s*,\s*[^;]*?Access::/gs) ?? []).length; // a method held in a variable
    for (const m of text.matchAll(/\.add(?:_upload)?\(\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*Access::(\w+)/g))
      found.push({ m: m[1], p: m[2], access: m[3], file: path.relative(SOURCE_DIR, f) });
  }
  return { found, calls };
}

test('the matrix lists every route the server registers, with its access class', () => {
  const { found, calls } = registeredRoutes();
  assert.ok(found.length >= 60, `only ${found.length} route registrations parsed from src/: the parser is out of date`);
  assert.equal(found.length, calls, 'a route registration the parser cannot read (method or path not a literal)');
  const key = (r) => `${r.m} ${r.p}`;
  const listed = new Map(ROUTES.map((r) => [key(r), r]));
  assert.equal(listed.size, ROUTES.length, 'a route is listed twice in the matrix');
  const missing = found.filter((r) => !listed.has(key(r))).map((r) => `${key(r)} (${r.file})`);
  const gone = ROUTES.filter((r) => !found.some((f) => key(f) === key(r))).map(key);
  const access = found.filter((r) => listed.has(key(r)) && listed.get(key(r)).access !== r.access)
    .map((r) => `${key(r)}: Access::${r.access} in ${r.file}, ${listed.get(key(r)).access} in the matrix`);
  const problems = [
    ...missing.map((x) => `registered but not in the authorization matrix: ${x}`),
    ...gone.map((x) => `in the matrix but no longer registered: ${x}`),
    ...access.map((x) => `access class differs: ${x}`),
  ];
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('every cell of the matrix was checked', () => {
  const expected = ROUTES.reduce((n, r) => n + COLS.length * 2 + 1, 0);
  assert.equal(cellCount, expected, `checked ${cellCount} of ${expected} cells (a route test did not run to its end)`);
});
