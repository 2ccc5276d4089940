// What the web application adds around the contract: masking of personal data in lists, CSV
// export, duplicate search, attachments, the audit trail, cookie sessions with CSRF, and a server
// log free of personal data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { useServer, assertError, registration, PASSWORD, loginForm, RawConnection, requestHead } from './helpers.mjs';

const ID_NUMBER = '11010519491231002X';
const ID_MASKED = '110105********002X';
const PHONE = '13987654321';
const PHONE_MASKED = '139****4321';
const BAD_ID = '110105194912310021';

const srv = useServer({
  users: [
    { name: 'reg', roles: ['registrar'], display: '窗口登记员甲' },
    { name: 'hdl', roles: ['handler'], display: '承办人丙' },
    { name: 'aud', roles: ['auditor'], display: '监督员乙' },
    { name: 'allr', roles: ['registrar', 'handler', 'approver', 'office'], display: '综合岗丁' },
    { name: 'bee', agency: 'B2', roles: ['registrar', 'handler'], display: '乙机关戊' },
  ],
  env: { OGI_ACCESS_LOG: '1' },
});

const CONTENT = '申请公开滨江路环境影响评价报告及其批复文件';
let main; // the case with the ID number and phone above

test('register a case with personal data (received within the last year)', async () => {
  const r = await srv.api('reg', 'POST', '/api/v1/cases', registration({
    received_on: '2026-11-02', content: CONTENT,
    applicant: { name: '陈小明', id_number: ID_NUMBER, phone: PHONE },
  }));
  assert.equal(r.status, 201, r.text);
  main = r.body;
  // A second, unrelated case.
  const other = await srv.api('reg', 'POST', '/api/v1/cases', registration({
    received_on: '2026-10-12', content: '申请公开某小学校舍维修工程的招标文件',
    applicant: { name: '林大伟', id_number: '110105199003070017', phone: '13600001111' },
  }));
  assert.equal(other.status, 201, other.text);
  // An invalid ID number is refused (and must not end up in the log either).
  const bad = await srv.api('reg', 'POST', '/api/v1/cases', registration({ applicant: { id_number: BAD_ID } }));
  assertError(bad, 422, 'invalid', 'id_number');
});

test('GET /api/v1/cases masks the ID number and the phone', async () => {
  const r = await srv.api('hdl', 'GET', '/api/v1/cases');
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray(r.body.items));
  const item = r.body.items.find((x) => x.id === main.id);
  assert.ok(item, 'the case is listed');
  assert.equal(item.id_number, ID_MASKED);
  assert.equal(item.phone, PHONE_MASKED);
  assert.equal(item.number, main.number);
  assert.ok(!r.text.includes(ID_NUMBER), 'full ID number in the list');
  assert.ok(!r.text.includes(PHONE), 'full phone number in the list');
});

test('GET /api/v1/cases/{id} shows the full ID number and phone', async () => {
  const r = await srv.api('hdl', 'GET', `/api/v1/cases/${main.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.applicant.id_number, ID_NUMBER);
  assert.equal(r.body.applicant.phone, PHONE);
});

test('GET /api/v1/cases.csv: a header row and one row per case', async () => {
  const list = await srv.api('hdl', 'GET', '/api/v1/cases?per_page=200');
  assert.equal(list.status, 200);
  const r = await srv.api('hdl', 'GET', '/api/v1/cases.csv');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  const lines = r.text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
  assert.ok(lines[0].includes('编号'), `header row: ${lines[0]}`);
  assert.ok(!lines[0].includes('测〔'), 'the first line is a header, not a case');
  assert.equal(lines.length - 1, list.body.total);
  assert.equal(list.body.items.length, list.body.total);
  for (const c of list.body.items)
    assert.equal(lines.filter((l) => l.includes(`"${c.number}"`)).length, 1, `one row for ${c.number}`);
  assert.ok(!r.text.includes(ID_NUMBER) && !r.text.includes(PHONE), 'no personal numbers in the export');
});

test('duplicates: by the same name, the same ID number, or a similar request', async () => {
  const find = async (q) => {
    const r = await srv.api('hdl', 'GET', `/api/v1/duplicates?${new URLSearchParams(q)}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.body), r.text);
    return r.body.map((x) => x.id);
  };
  assert.ok((await find({ name: '陈小明' })).includes(main.id), 'same name');
  assert.ok((await find({ identity: ID_NUMBER })).includes(main.id), 'same ID number');
  assert.ok((await find({ content: '关于滨江路环境影响评价的报告' })).includes(main.id), 'similar content');
  assert.ok(!(await find({ name: '无关的人', content: '关于全市公交线路调整方案的询问' })).includes(main.id), 'unrelated');
});

test('duplicates: a request sharing 3 or more consecutive Chinese characters is found', async () => {
  const found = async (content) => {
    const r = await srv.api('hdl', 'GET', `/api/v1/duplicates?${new URLSearchParams({ content })}`);
    assert.equal(r.status, 200, r.text);
    return r.body.map((x) => x.id).includes(main.id);
  };
  // Stored: 申请公开滨江路环境影响评价报告及其批复文件
  const probes = {
    '环境影': 'shares 环境影 (3)',
    '滨江路环境': 'shares 滨江路环境 (5)',
    '本人想了解环境影响': 'shares 环境影响 (4)',
  };
  const missed = [];
  for (const [content, why] of Object.entries(probes)) if (!(await found(content))) missed.push(`${content} (${why})`);
  assert.deepEqual(missed, [], `not found as possible duplicates of case ${main.id}: ${missed.join('; ')}`);
});

test('attachments: upload raw bytes with a UTF-8 name, download the same bytes', async () => {
  const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4096), Buffer.from([0, 255, 0, 13, 10])]);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const up = await srv.api('reg', 'POST', `/api/v1/cases/${main.id}/attachments`, bytes,
    { 'X-Filename': encodeURIComponent('申请书.pdf'), 'Content-Type': 'application/pdf' });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.sha256, sha);
  assert.equal(up.body.name, '申请书.pdf');
  assert.equal(up.body.size, bytes.length);
  const down = await srv.api('hdl', 'GET', `/api/v1/attachments/${up.body.id}`);
  assert.equal(down.status, 200, down.text);
  assert.ok(down.buf.equals(bytes), 'the same bytes come back');
  const cd = down.headers.get('content-disposition') ?? '';
  assert.ok(cd.includes(`filename*=UTF-8''${encodeURIComponent('申请书.pdf')}`), `Content-Disposition: ${cd}`);
  // Listed on the case.
  const list = await srv.api('hdl', 'GET', `/api/v1/cases/${main.id}/attachments`);
  assert.equal(list.status, 200, list.text);
  assert.ok(list.body.some((a) => a.id === up.body.id && a.sha256 === sha));
  // Another agency may not download it.
  assertError(await srv.api('bee', 'GET', `/api/v1/attachments/${up.body.id}`), 403, 'forbidden');
});

test('attachments: an upload without a body (none, or no Content-Length) → 422 file, nothing stored', async () => {
  const before = srv.counts(['attachments']);
  const empty = await srv.api('reg', 'POST', `/api/v1/cases/${main.id}/attachments`, Buffer.alloc(0),
    { 'X-Filename': encodeURIComponent('空.pdf'), 'Content-Type': 'application/pdf' });
  assertError(empty, 422, 'invalid', 'file');
  const token = await srv.token('reg');
  const c = await new RawConnection(srv.port).open();
  try {
    await c.write(requestHead('POST', `/api/v1/cases/${main.id}/attachments?name=none.pdf`,
      { Authorization: `Bearer ${token}`, 'Content-Type': 'application/pdf' }));
    const r = await c.readResponse(5000);
    assert.equal(r?.status, 422, r?.text);
    assert.match(r.text, /文件为空/);
  } finally {
    c.destroy();
  }
  assert.deepEqual(srv.counts(['attachments']), before);
});

test('attachments: an .exe name → 422, nothing stored', async () => {
  const before = srv.counts(['attachments']);
  const r = await srv.api('reg', 'POST', `/api/v1/cases/${main.id}/attachments`, Buffer.from('MZ\x90\x00'),
    { 'X-Filename': encodeURIComponent('申请书.exe'), 'Content-Type': 'application/octet-stream' });
  assertError(r, 422, 'invalid', 'name');
  assert.deepEqual(srv.counts(['attachments']), before);
});

test('audit: an auditor sees login and case.register, never the ID number or phone; a handler gets 403', async () => {
  const r = await srv.api('aud', 'GET', '/api/v1/audit');
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray(r.body));
  const actions = r.body.map((x) => x.action);
  assert.ok(actions.includes('login'), `actions: ${actions}`);
  const reg = r.body.filter((x) => x.action === 'case.register');
  assert.ok(reg.some((x) => String(x.target) === String(main.id) && x.actor === 'reg'), `case.register: ${JSON.stringify(reg)}`);
  assert.ok(!r.text.includes(ID_NUMBER), 'ID number in the audit trail');
  assert.ok(!r.text.includes(PHONE), 'phone in the audit trail');
  assert.ok(!r.text.includes(BAD_ID), 'rejected ID number in the audit trail');
  assertError(await srv.api('hdl', 'GET', '/api/v1/audit'), 403, 'forbidden');
  assertError(await srv.api('allr', 'GET', '/api/v1/audit'), 403, 'forbidden');
});

test('reads of personal data are audited: the case, a letter, an attachment (who, which case, from where)', async () => {
  const trail = async () => (await srv.api('aud', 'GET', '/api/v1/audit')).body;
  // the trail returns the newest 200 rows: compare by id, not by length
  const lastId = async () => Math.max(0, ...(await trail()).map((r) => Number(r.id)));
  const before = await lastId();
  assert.equal((await srv.api('hdl', 'GET', `/api/v1/cases/${main.id}`)).status, 200);
  const letters = (await srv.api('hdl', 'GET', `/api/v1/cases/${main.id}/letters`)).body;
  assert.ok(letters.length >= 1, 'the receipt');
  assert.equal((await srv.api('hdl', 'GET', `/api/v1/letters/${letters[0].id}?format=docx`)).status, 200);
  const att = (await srv.api('hdl', 'GET', `/api/v1/cases/${main.id}/attachments`)).body[0];
  assert.ok(att, 'an attachment from the test above');
  assert.equal((await srv.api('hdl', 'GET', `/api/v1/attachments/${att.id}`)).status, 200);
  // a refused read is not a read
  assert.equal((await srv.api('bee', 'GET', `/api/v1/cases/${main.id}`)).status, 403);
  // queued, not waited for: the rows arrive with the next write batch
  let rows = [];
  for (let i = 0; i < 50; i++) {
    rows = (await trail()).filter((r) => Number(r.id) > before && ['case.read', 'letter.read', 'attachment.read'].includes(r.action));
    if (rows.length >= 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const by = (action) => rows.find((r) => r.action === action && r.actor === 'hdl' && String(r.target) === String(main.id));
  assert.ok(by('case.read'), JSON.stringify(rows));
  assert.ok(by('letter.read')?.detail.includes(letters[0].number), JSON.stringify(rows));
  assert.ok(by('attachment.read')?.detail.includes(att.name), JSON.stringify(rows));
  for (const r of rows) {
    assert.match(r.detail, /ip=127\.0\.0\.1/);
    assert.ok(!r.detail.includes(ID_NUMBER) && !r.detail.includes(PHONE), 'personal data in the trail');
    assert.notEqual(r.actor, 'bee', 'a refused read was recorded');
  }
  assert.ok((await lastId()) >= before + 3);
});

test('the audit page: Beijing time, people by name, actions in Chinese, no login names or codes', async () => {
  const login = await srv.request('POST', '/login', await loginForm(srv, { username: 'aud', password: PASSWORD }));
  assert.equal(login.status, 303, login.text);
  const token = /^ogi_session=([^;]*)/.exec(login.headers.getSetCookie().find((c) => c.startsWith('ogi_session=')))[1];
  const page = await srv.request('GET', '/audit', { headers: { Cookie: `ogi_session=${token}` } });
  assert.equal(page.status, 200, page.text.slice(0, 300));
  const rows = [...page.text.matchAll(/<tr><td class="nw">([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>(.*?)<\/td><td>([^<]*)<\/td><\/tr>/g)]
    .map((m) => ({ at: m[1], actor: m[2], action: m[3], target: m[4].replace(/<[^>]*>/g, ''), detail: m[5] }));
  assert.ok(rows.length >= 2, `rows parsed: ${rows.length}`);
  // The registration of the main case: by its registrar's name, in Chinese, linked to the case.
  const reg = rows.find((r) => r.action === '登记申请' && r.target === `案件 ${main.id}`);
  assert.ok(reg, `no 登记申请 row for case ${main.id}: ${JSON.stringify(rows.slice(0, 5))}`);
  assert.equal(reg.actor, '窗口登记员甲');
  assert.match(page.text, new RegExp(`<a href="/cases/${main.id}">案件 ${main.id}</a>`));
  // Beijing time: the API's UTC stamp of the same row, eight hours on, without the Z.
  const api = (await srv.api('aud', 'GET', '/api/v1/audit')).body.find((x) => x.action === 'case.register' && String(x.target) === String(main.id));
  const utc = new Date(api.at);
  const bj = new Date(utc.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
  assert.equal(reg.at, bj);
  assert.ok(rows.some((r) => r.action === '登录' && r.actor === '监督员乙'), 'the auditor\'s own login, by name');
  for (const r of rows) {
    assert.ok(!/\b(login|case\.register|case\.event)\b/.test(r.action), `a code on screen: ${r.action}`);
    assert.ok(!/Z$/.test(r.at), `UTC on screen: ${r.at}`);
    assert.ok(!/ip=/.test(r.detail), `ip= on screen: ${r.detail}`);
    assert.ok(!['reg', 'aud', 'hdl', 'allr', 'bee'].includes(r.actor), `a login name on screen: ${r.actor}`);
  }
});

test('cookie session: POST /login sets an HttpOnly SameSite=Strict cookie; the API needs the CSRF token', async () => {
  const login = await srv.request('POST', '/login', await loginForm(srv, { username: 'reg', password: PASSWORD }));
  assert.equal(login.status, 303, login.text);
  const setCookie = login.headers.getSetCookie().find((c) => c.startsWith('ogi_session='));
  assert.ok(setCookie, `Set-Cookie: ${login.headers.getSetCookie()}`);
  const token = /^ogi_session=([^;]*)/.exec(setCookie)[1];
  assert.match(token, /^[0-9a-f]{64}$/);
  const attrs = setCookie.split(';').map((s) => s.trim().toLowerCase());
  assert.ok(attrs.includes('httponly'), setCookie);
  assert.ok(attrs.includes('samesite=strict'), setCookie);
  const cookie = { Cookie: `ogi_session=${token}` };

  // Reading works with the cookie alone.
  const me = await srv.request('GET', '/api/v1/me', { headers: cookie });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.username, 'reg');

  const body = registration({ received_on: '2026-11-03', applicant: { name: '浏览器用户', id_number: ID_NUMBER, phone: PHONE } });
  const before = srv.counts();
  assertError(await srv.request('POST', '/api/v1/cases', { body, headers: cookie }), 403, 'forbidden');
  assertError(await srv.request('POST', '/api/v1/cases', { body, headers: { ...cookie, 'X-CSRF-Token': 'f'.repeat(64) } }), 403, 'forbidden');
  assert.deepEqual(srv.counts(), before, 'nothing written without the CSRF token');

  const page = await srv.request('GET', '/cases/new', { headers: cookie });
  assert.equal(page.status, 200, page.text.slice(0, 500));
  const m = /<input[^>]*name="_csrf"[^>]*value="([^"]+)"/.exec(page.text) ?? /<input[^>]*value="([^"]+)"[^>]*name="_csrf"/.exec(page.text);
  assert.ok(m, 'the page carries a hidden _csrf input');
  const ok = await srv.request('POST', '/api/v1/cases', { body, headers: { ...cookie, 'X-CSRF-Token': m[1] } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.history[0].by, 'reg');

  // A bearer client needs no CSRF token.
  const bearer = await srv.api('reg', 'POST', '/api/v1/cases', body);
  assert.equal(bearer.status, 201, bearer.text);
});

test('the server log never contains the ID numbers or phone numbers used', async () => {
  await new Promise((r) => setTimeout(r, 200)); // let the pipes drain
  assert.ok(srv.log.length > 0, 'the server wrote a log');
  assert.ok(srv.log.includes('/api/v1/cases'), 'the access log is on (OGI_ACCESS_LOG)');
  for (const secret of [ID_NUMBER, PHONE, BAD_ID, '110105199003070017', '13600001111'])
    assert.ok(!srv.log.includes(secret), `the log contains ${secret}`);
});
