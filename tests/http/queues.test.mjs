// My work, not the agency's (issue 15 §2): a case has a 承办人 (chosen at registration or by the
// 公开办, reassignable, audited, shown on the case and in lists); each user's 我的待办 lists what
// they must act on, most urgent first; every case says who acts next; the API has the same queues.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, registration, loginForm, assertError, PASSWORD, TODAY, addDays } from './helpers.mjs';

const srv = useServer({
  agencies: [
    { code: 'P1', name: '上级机关', pattern: '上〔{year}〕第{seq}号' },
    { code: 'A1', name: '测试机关', pattern: '测〔{year}〕第{seq}号', parent: 'P1' },
    { code: 'B2', name: '另一机关', pattern: '另〔{year}〕第{seq}号' },
  ],
  users: [
    { name: 'reg', roles: ['registrar'], display: '王登记' },
    { name: 'hdl', roles: ['handler'], display: '张承办' },
    { name: 'hdl2', roles: ['handler'], display: '李承办' },
    { name: 'appr', roles: ['approver'], display: '赵签发' },
    { name: 'off', roles: ['office'], display: '钱公开' },
    { name: 'aud', agency: 'P1', roles: ['auditor'], display: '孙监督' },
    { name: 'bhdl', agency: 'B2', roles: ['registrar', 'handler'], display: '周外机关' },
  ],
});

const C = {}; // the cases by role in the story
const TABLES = ['cases', 'case_events', 'case_assignments', 'audit_log'];

async function register(who, extra) {
  const r = await srv.api(who, 'POST', '/api/v1/cases', registration(extra));
  assert.equal(r.status, 201, r.text);
  return r.body;
}
async function act(who, id, event, fields = {}) {
  const r = await srv.api(who, 'POST', `/api/v1/cases/${id}/events`, { event, ...fields });
  assert.equal(r.status, 200, `${event}: ${r.text}`);
  return r.body;
}
async function queues(who) {
  const r = await srv.api(who, 'GET', '/api/v1/queues');
  assert.equal(r.status, 200, r.text);
  return Object.fromEntries(r.body.queues.map((q) => [q.key, q]));
}
const ids = (q) => q.cases.map((c) => c.id);

before(async () => {
  const recent = addDays(TODAY, -3);
  C.mine = await register('reg', { received_on: recent, assignee: 'hdl', content: '申请公开某路拓宽工程的规划许可' });
  C.mineOlder = await register('reg', { received_on: addDays(TODAY, -20), assignee: 'hdl', content: '申请公开养老机构补贴名单' });
  C.other = await register('reg', { received_on: recent, assignee: 'hdl2', content: '申请公开另一件事' });
  C.unassigned = await register('reg', { received_on: recent, content: '申请公开尚未分派的事项' });
  C.late = await register('reg', { received_on: addDays(TODAY, -90), content: '申请公开一件早已超期的事项' });
  C.decided = await register('reg', { received_on: recent, assignee: 'hdl', content: '申请公开待签发的事项' });
  await act('hdl', C.decided.id, 'decide', { outcome: 'disclosed', reasons: '予以公开' });
  C.approved = await register('reg', { received_on: recent, assignee: 'hdl', content: '申请公开待送达的事项' });
  await act('hdl', C.approved.id, 'decide', { outcome: 'disclosed', reasons: '予以公开' });
  await act('appr', C.approved.id, 'approve');
  C.correction = await register('reg', { received_on: recent, assignee: 'hdl', content: '申请公开待补正的事项' });
  await act('hdl', C.correction.id, 'request_correction', { items: ['请写明所需信息的文号'] });
  C.foreign = await register('bhdl', { agency: 'B2', received_on: addDays(TODAY, -90), assignee: 'bhdl', content: '另一机关的超期事项' });
});

test('registration may name the 承办人; the case shows it and who acts next', async () => {
  assert.equal(C.mine.assignee, 'hdl');
  assert.deepEqual(C.mine.next_step, { role: 'handler', role_label: '承办人', todo: C.mine.next_step.todo, assignee: 'hdl' });
  assert.match(C.mine.next_step.todo, /拟定答复/);
  assert.equal(C.unassigned.assignee, null);
  assert.equal(C.unassigned.next_step.assignee, null, 'nobody yet');
  const shown = await srv.api('appr', 'GET', `/api/v1/cases/${C.decided.id}`);
  assert.equal(shown.body.next_step.role, 'approver');
  assert.equal(shown.body.next_step.role_label, '公开办负责人');
  const approved = await srv.api('reg', 'GET', `/api/v1/cases/${C.approved.id}`);
  assert.equal(approved.body.next_step.role, 'registrar', 'after 签发 the reply is to be delivered');
  const listed = await srv.api('reg', 'GET', `/api/v1/cases?q=${encodeURIComponent('拓宽工程')}`);
  assert.equal(listed.body.items[0].assignee, 'hdl', 'lists carry the assignee');
});

test('an assignee outside the agency or without the role is refused, and nothing is written', async () => {
  const before = srv.counts(TABLES);
  for (const who of ['appr', 'bhdl', 'nobody', 'aud']) {
    const r = await srv.api('reg', 'POST', '/api/v1/cases', registration({ received_on: TODAY, assignee: who }));
    assertError(r, 422, 'invalid', '承办人');
    assert.equal(r.body.error.field, 'assignee');
  }
  assert.deepEqual(srv.counts(TABLES), before);
});

test('the 公开办 assigns and reassigns; each change is audited and in the history', async () => {
  await srv.token('off'); // its login is audited too: before counting
  const before = srv.counts(TABLES);
  const id = C.unassigned.id;
  const r = await srv.api('off', 'POST', `/api/v1/cases/${id}/assignee`, { assignee: 'hdl2' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.assignee, 'hdl2');
  assert.equal(r.body.version, C.unassigned.version, 'assignment is not an event: the version stays');
  assert.equal(r.body.history.length, C.unassigned.history.length);
  const again = await srv.api('off', 'POST', `/api/v1/cases/${id}/assignee`, { assignee: 'hdl2' });
  assert.equal(again.status, 200);
  const after = srv.counts(TABLES);
  assert.equal(after.case_assignments, before.case_assignments + 1, 'the same assignee twice is one change');
  assert.equal(after.audit_log, before.audit_log + 1);
  assert.equal(after.case_events, before.case_events);
  const audit = await srv.api('aud', 'GET', '/api/v1/audit');
  assert.equal(audit.status, 200, audit.text);
  const entry = audit.body.find((a) => a.action === 'case.assign' && a.target === String(id));
  assert.ok(entry, JSON.stringify(audit.body.slice(0, 3)));
  assert.equal(entry.actor, 'off');
  assert.match(entry.detail, /hdl2/);
  // Back to nobody, then to hdl2 again (the office's queue shows it meanwhile).
  assert.equal((await srv.api('off', 'POST', `/api/v1/cases/${id}/assignee`, { assignee: null })).body.assignee, null);
  assert.ok(ids((await queues('off')).unassigned).includes(id));
  assert.equal((await srv.api('off', 'POST', `/api/v1/cases/${id}/assignee`, { assignee: 'hdl2' })).status, 200);
});

test('assigning is the office’s, within its agencies, with clear errors that change nothing', async () => {
  const before = srv.counts(TABLES);
  const id = C.other.id;
  assertError(await srv.api('reg', 'POST', `/api/v1/cases/${id}/assignee`, { assignee: 'hdl' }), 403, 'forbidden');
  assertError(await srv.api('hdl', 'POST', `/api/v1/cases/${id}/assignee`, { assignee: 'hdl' }), 403, 'forbidden');
  assertError(await srv.api('bhdl', 'POST', `/api/v1/cases/${id}/assignee`, { assignee: 'bhdl' }), 403, 'forbidden');
  assertError(await srv.api('off', 'POST', `/api/v1/cases/${C.foreign.id}/assignee`, { assignee: 'hdl' }), 403, 'forbidden');
  assertError(await srv.api('off', 'POST', `/api/v1/cases/${id}/assignee`, { assignee: 'appr' }), 422, 'invalid', '承办人');
  assertError(await srv.api('off', 'POST', `/api/v1/cases/${id}/assignee`, { assignee: 7 }), 422, 'invalid');
  assertError(await srv.api('off', 'POST', `/api/v1/cases/${id}/assignee`, {}), 422, 'invalid');
  assertError(await srv.request('POST', `/api/v1/cases/${id}/assignee`, { body: 'nope', token: await srv.token('off') }), 400, 'malformed');
  assert.deepEqual(srv.counts(TABLES), before);
});

test('each role’s 我的待办 holds what that user must act on, most urgent first', async () => {
  const hdl = await queues('hdl');
  assert.deepEqual(Object.keys(hdl), ['mine']);
  assert.deepEqual(ids(hdl.mine), [C.mineOlder.id, C.mine.id], 'assigned to me, needing my action, earliest due first');
  assert.equal(hdl.mine.count, 2);
  assert.deepEqual(Object.keys(await queues('hdl2')), ['mine']);
  assert.ok(ids((await queues('hdl2')).mine).includes(C.other.id));
  assert.ok(!ids((await queues('hdl2')).mine).includes(C.mine.id));

  const appr = await queues('appr');
  assert.deepEqual(Object.keys(appr), ['to_sign']);
  assert.deepEqual(ids(appr.to_sign), [C.decided.id]);

  const reg = await queues('reg');
  assert.deepEqual(Object.keys(reg), ['desk']);
  assert.deepEqual(new Set(ids(reg.desk)), new Set([C.approved.id, C.correction.id]));

  const off = await queues('off');
  assert.deepEqual(Object.keys(off), ['unassigned', 'overdue']);
  assert.ok(ids(off.unassigned).includes(C.late.id));
  assert.ok(!ids(off.unassigned).includes(C.mine.id));
  assert.deepEqual(ids(off.overdue), [C.late.id]);
  assert.equal(off.overdue.cases[0].urgency, 'overdue');

  const aud = await queues('aud');
  assert.deepEqual(Object.keys(aud), ['supervised']);
  assert.deepEqual(ids(aud.supervised), [C.late.id], 'overdue cases of the agencies it supervises, not another agency’s');
  assert.ok(!ids((await queues('bhdl')).mine).includes(C.mine.id));
});

test('the case list filters by assignee and shows a whole queue', async () => {
  const mine = await srv.api('hdl', 'GET', '/api/v1/cases?assignee=me');
  assert.equal(mine.status, 200);
  assert.ok(mine.body.items.length >= 5);
  assert.ok(mine.body.items.every((x) => x.assignee === 'hdl'));
  const none = await srv.api('off', 'GET', '/api/v1/cases?assignee=none');
  assert.ok(none.body.items.some((x) => x.id === C.late.id));
  assert.ok(none.body.items.every((x) => x.assignee === null));
  const q = await srv.api('appr', 'GET', '/api/v1/cases?queue=to_sign');
  assert.equal(q.status, 200, q.text);
  assert.deepEqual(q.body.items.map((x) => x.id), [C.decided.id]);
  assertError(await srv.api('appr', 'GET', '/api/v1/cases?queue=mine'), 422, 'invalid');
  assertError(await srv.api('appr', 'GET', '/api/v1/cases?queue=nonsense'), 422, 'invalid');
});

// The staff pages as the browser gets them.
const cookies = new Map();
async function page(user, p, { method = 'GET', form } = {}) {
  if (!cookies.has(user)) {
    const login = await srv.request('POST', '/login', await loginForm(srv, { username: user, password: PASSWORD }));
    assert.equal(login.status, 303, login.text);
    cookies.set(user, /^ogi_session=([^;]*)/.exec(login.headers.getSetCookie().find((c) => c.startsWith('ogi_session=')))[1]);
  }
  const headers = { Cookie: `ogi_session=${cookies.get(user)}` };
  if (!form) return srv.request(method, p, { headers });
  const home = await srv.request('GET', '/', { headers });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1];
  return srv.request('POST', p, {
    headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form, _csrf: csrf }).toString(),
  });
}

test('pages: 我的待办 per user, 下一步 on every case, assignment by name with feedback', async () => {
  const dash = await page('hdl', '/');
  assert.equal(dash.status, 200);
  assert.ok(dash.text.includes('我承办的待办案件'), dash.text.slice(0, 400));
  assert.ok(dash.text.includes(C.mine.number) && !dash.text.includes(C.other.number));
  assert.ok(!dash.text.includes(C.late.number), 'not the agency’s whole list');
  const sign = await page('appr', `/cases/${C.decided.id}`);
  assert.match(sign.text, /下一步：<b>公开办负责人<\/b> 审核拟定的答复/);
  const deliver = await page('appr', `/cases/${C.approved.id}`);
  assert.match(deliver.text, /下一步：<b>登记员<\/b> 送达答复书/, 'after 签发 the page says what happens next');
  const open = await page('off', `/cases/${C.late.id}`);
  assert.match(open.text, /下一步：<b>承办人（尚未指定）<\/b>/);
  assert.ok(open.text.includes('id="assign-form"') && open.text.includes('张承办'), 'the office may choose by name');
  assert.ok(!(await page('hdl', `/cases/${C.late.id}`)).text.includes('id="assign-form"'), 'a handler may not');
  const done = await page('off', `/cases/${C.late.id}/assignee`, { form: { assignee: 'hdl' } });
  assert.equal(done.status, 303, done.text);
  const back = await page('off', done.headers.get('location'));
  assert.ok(back.text.includes('已指定承办人：张承办'), 'the page says what happened');
  assert.match(back.text, /下一步：<b>承办人（张承办）<\/b>/);
  assert.match(back.text, /指定承办人[\s\S]{0,200}钱公开/, 'the history names who assigned');
  assert.ok(!/>\s*(hdl|off)\s*</.test(back.text), 'no login on screen');
  const list = await page('off', '/cases?assignee=none');
  assert.ok(list.text.includes('<th>承办人</th>'));
  const whole = await page('off', '/cases?queue=overdue');
  assert.ok(whole.text.includes('本机关超期案件') && whole.text.includes(C.late.number));
  const notMine = await page('appr', '/cases?queue=mine');
  assert.match(notMine.text, /<p class="error" role="alert">待办列表：没有这一列表，或它不属于您的角色<\/p>/, 'a queue that is not yours says so');
});

test('the dashboard is red only for what is late or due within 3 working days', async () => {
  const dash = await page('hdl', '/');
  const rows = [...dash.text.matchAll(/<tr class="([^"]*)">\s*<td class="nw"><a href="\/cases\/(\d+)">/g)];
  const cls = Object.fromEntries(rows.map((m) => [Number(m[2]), m[1]]));
  assert.equal(cls[C.mine.id], '', 'due in about 17 working days: not red');
  const r = await srv.api('hdl', 'GET', `/api/v1/cases/${C.mineOlder.id}`);
  const noticeLine = r.body.deadlines.find((d) => d.kind === 'correction_notice');
  assert.ok(noticeLine, 'the correction-notice window of a case still under review is listed');
  const consulted = await act('hdl', C.mine.id, 'consult', { party: 'third_party', name: '某公司' });
  assert.equal(consulted.deadlines.find((d) => d.kind === 'correction_notice')?.running ?? false, false,
    'once processing has begun the correction-notice window is no longer running');
});

test('签发 first shows what it will issue (a 样稿, no number) and records only once confirmed; then says what happened', async () => {
  const lettersNow = async () => (await srv.api('appr', 'GET', `/api/v1/cases/${C.decided.id}/letters`)).body;
  const before = await lettersNow();
  const ask = await page('appr', `/cases/${C.decided.id}/events`, { form: { event: 'approve', remarks: '同意' } });
  assert.equal(ask.status, 200, ask.text.slice(0, 300));
  assert.ok(ask.text.includes('请确认：签发答复'), ask.text.slice(0, 600));
  assert.ok(ask.text.includes('将出具：<b class="issue">政府信息公开申请答复书</b>'), ask.text);
  assert.ok(ask.text.includes('<dt>签发意见</dt><dd>同意</dd>'), 'the 签发意见 is shown before confirming');
  assert.deepEqual(await lettersNow(), before, 'nothing is issued before the confirmation');
  assert.equal((await srv.api('appr', 'GET', `/api/v1/cases/${C.decided.id}`)).body.state, 'decided');
  // the draft: watermarked, without a number
  const src = /<iframe class="draft-frame"[^>]* src="([^"]+)"/.exec(ask.text)?.[1].replaceAll('&amp;', '&');
  assert.ok(src, 'a draft frame');
  const draft = await page('appr', src);
  assert.equal(draft.status, 200, draft.text.slice(0, 300));
  assert.ok(draft.text.includes('样稿') && draft.text.includes('（确认后编号）'), draft.text.slice(0, 400));
  assert.deepEqual(await lettersNow(), before, 'a draft issues nothing');
  // the confirmation form replays the fields with the version it checked
  const hidden = Object.fromEntries([...ask.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
    .filter((m) => m[1] !== '_csrf').map((m) => [m[1], m[2]]));
  assert.equal(hidden.confirmed, '1');
  assert.equal(hidden.remarks, '同意');
  const stale = await page('appr', `/cases/${C.decided.id}/events`, { form: { ...hidden, version: '1' } });
  assert.equal(stale.status, 303);
  assert.match(decodeURIComponent(stale.headers.get('location')), /error=案件已被他人修改/, 'a stale confirmation records nothing');
  const r = await page('appr', `/cases/${C.decided.id}/events`, { form: hidden });
  assert.equal(r.status, 303, r.text);
  const to = decodeURIComponent(r.headers.get('location'));
  assert.ok(to.startsWith(`/cases/${C.decided.id}?done=`), to);
  const reply = (await lettersNow()).find((l) => l.kind === 'reply');
  assert.ok(reply, 'the reply is issued once confirmed');
  const shown = await page('appr', r.headers.get('location'));
  assert.ok(shown.text.includes(`已办理：签发答复，已出具政府信息公开申请答复书 ${reply.number}。`), shown.text.slice(0, 600));
  assert.ok(shown.text.includes('签发意见：同意'), 'the 签发意见 is in 办理记录');
  assert.ok(!(await queues('appr')).to_sign.cases.some((c) => c.id === C.decided.id), 'signed: off my list');
  // the print view: 打印 and 返回 to the case
  const print = await page('appr', `/api/v1/letters/${reply.id}?format=html`);
  assert.ok(print.text.includes('id="print"') && print.text.includes(`href="/cases/${C.decided.id}#letters"`), 'toolbar');
  assert.ok(/<div class="closing">[\s\S]*?class="signature"/.test(print.text), 'the 落款 keeps with the last paragraph');
  assert.ok(!print.text.includes('样稿'), 'an issued letter is not a draft');
});

test('the outcome list is grouped as in table three', async () => {
  const p = await page('hdl', `/cases/${C.mineOlder.id}`);
  const groups = [...p.text.matchAll(/<optgroup label="([^"]+)">([\s\S]*?)<\/optgroup>/g)];
  assert.deepEqual(groups.map((g) => g[1]), ['予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理']);
  const inGroup = (label) => [...groups.find((g) => g[1] === label)[2].matchAll(/value="([a-z_]+)"/g)].map((m) => m[1]);
  assert.ok(inGroup('不予公开').every((c) => c.startsWith('withheld_')) && inGroup('不予公开').length === 8);
  assert.deepEqual(inGroup('部分公开'), ['partially_disclosed']);
  assert.ok(!p.text.includes('value="no_correction"'), 'lapses are not chosen by a handler');
});

test('收到补正材料 may restate the content: the case, its letters and the search use it; the search still finds the registered words; the history keeps both', async () => {
  const c = await register('reg', { content: '申请公开某街道的旧改档案', received_on: addDays(TODAY, -3) });
  await act('hdl', c.id, 'request_correction', { on: addDays(TODAY, -2), items: ['所需信息的具体名称'] });
  const after = await act('reg', c.id, 'correction_received',
    { on: addDays(TODAY, -1), supplied: '申请人来电补充了项目名称', content: '申请公开东湖街道2025年老旧小区改造项目的批复文件' });
  assert.equal(after.content, '申请公开东湖街道2025年老旧小区改造项目的批复文件');
  assert.ok(after.history.some((e) => e.event === 'correction_received'));
  const found = async (q) => (await srv.api('hdl', 'GET', `/api/v1/cases?q=${encodeURIComponent(q)}`)).body.items.map((x) => x.id);
  assert.ok((await found('老旧小区改造')).includes(c.id), 'the corrected words are found');
  assert.ok((await found('旧改档案')).includes(c.id), 'the registered words are still found');
  const shown = await page('reg', `/cases/${c.id}`);
  assert.ok(shown.text.includes('补正材料：申请人来电补充了项目名称；申请内容：申请公开东湖街道2025年老旧小区改造项目的批复文件'), 'the history line');
});
