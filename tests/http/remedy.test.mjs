// The reply's remedy notice and required elements (issue 13): for each outcome × agency kind ×
// letter date (either side of 2024-01-01) the reply names the reconsideration body that follows
// from the agency's kind and tree (行政复议法 2023, Arts 24–27), or none where none can be named;
// says "reconsideration first" where the workflow's `remedy` lines say so; and prints what the
// outcome's article requires. Bad input (a refusal without reasons, an unknown kind) changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, ogi, assertError, registration, countRows, sqlite, PASSWORD } from './helpers.mjs';

// code, name, kind, parent, explicit body → the body the letters must name ('' = none)
const AGENCIES = [
  { code: 'PROV', name: '示例省人民政府', kind: 'government', body: '' },
  { code: 'CITY', name: '示例市人民政府', kind: 'government', parent: 'PROV', expect: '示例省人民政府' },
  { code: 'EDU', name: '示例市教育局', kind: 'department', parent: 'CITY', expect: '示例市人民政府' },
  { code: 'STR', name: '示例市某某街道办事处', kind: 'dispatched', parent: 'CITY', expect: '示例市人民政府' },
  { code: 'PTAX', name: '国家税务总局示例省税务局', kind: 'vertical' },
  { code: 'TAX', name: '国家税务总局示例市税务局', kind: 'vertical', parent: 'PTAX', expect: '国家税务总局示例省税务局' },
  { code: 'MIN', name: '某某部', kind: 'state_council_department', expect: '某某部' },
  { code: 'SET', name: '示例市某管理中心', kind: 'other', body: '示例市某某局', expect: '示例市某某局' },
  { code: 'NONE', name: '未设置机关', expect: '' },
  // an agency that follows the literal reading of 行政复议法 Art 23(1)(4) (workflow remedy_policy)
  { code: 'LIT', name: '示例市文字局', kind: 'department', parent: 'CITY', policy: 'literal', expect: '示例市人民政府' },
];
// Under the literal reading only a refusal to disclose (in whole or part) goes to reconsideration first.
const literalFirst = (outcome) => outcome.startsWith('withheld_') || outcome === 'partially_disclosed';

// Server creates the agencies in order (a parent before its children), with --kind and --reconsideration-body.
const srv = new Server({
  agencies: AGENCIES,
  users: [
    ...AGENCIES.map((a) => ({ name: `u${a.code}`, agency: a.code, roles: ['registrar', 'handler', 'approver'] })),
    { name: 'adm', agency: 'CITY', roles: ['admin'] },
  ],
});
before(async () => { await srv.ensureStarted(); });
after(async () => { await srv.stop(); });

// outcome → the extra decide fields it carries and the text its reply must then contain
const OUTCOMES = {
  disclosed: { fields: { provision: '随本答复书邮寄提供', documents: ['某项目批复.pdf'] }, must: ['第三十六条第二项', '随本答复书邮寄提供', '某项目批复.pdf'], first: false },
  already_public: { fields: { location: 'http://www.example.gov.cn/xxgk/1.html' }, must: ['第三十六条第一项', 'http://www.example.gov.cn/xxgk/1.html'], first: false },
  withheld_state_secret: { fields: {}, must: ['第十四条', '第三十六条第三项', '经审查作出决定'], first: true },
  not_responsible: { fields: { responsible_agency: '示例市自然资源局（电话 0000-1234567）' }, must: ['负责公开该政府信息的行政机关为示例市自然资源局（电话 0000-1234567）'], first: true },
  duplicate: { fields: { earlier_reply: '2023年11月1日测复〔2023〕5号' }, must: ['第三十六条第六项', '2023年11月1日测复〔2023〕5号'], first: true },
  // no consultation took place: Art 32 is not cited
  withheld_third_party: { fields: {}, must: ['第十五条和第三十六条第三项'], first: true },
  needs_creation: { fields: {}, must: ['可以不予提供'], first: true },
  withheld_admin_query: { fields: { competent_authority: '示例市不动产登记中心' }, must: ['第三十六条第七项', '向示例市不动产登记中心申请查询'], first: true },
};
const DATES = [['2023-12-20', '2023-12-28', '2023-12-29'], ['2024-01-02', '2024-01-10', '2024-01-11']];

async function replyText(user, caseId) {
  const list = await srv.api(user, 'GET', `/api/v1/cases/${caseId}/letters`);
  assert.equal(list.status, 200, list.text);
  const reply = list.body.find((l) => l.kind === 'reply');
  assert.ok(reply, 'a reply was issued');
  const r = await srv.api(user, 'GET', `/api/v1/letters/${reply.id}?format=html`);
  assert.equal(r.status, 200, r.text);
  return r.text.replace(/<[^>]+>/g, '');
}

for (const a of AGENCIES) {
  test(`${a.name}: every outcome either side of 2024-01-01 names ${a.expect || 'no body'}`, async () => {
    const user = `u${a.code}`;
    for (const [received, decideOn, approveOn] of DATES) {
      for (const [outcome, spec] of Object.entries(OUTCOMES)) {
        const label = `${a.code} ${outcome} ${approveOn}`;
        const reg = await srv.api(user, 'POST', '/api/v1/cases', registration({ agency: a.code, received_on: received }));
        assert.equal(reg.status, 201, reg.text);
        const d = await srv.api(user, 'POST', `/api/v1/cases/${reg.body.id}/events`,
          { event: 'decide', on: decideOn, outcome, reasons: '经审查作出决定', ...spec.fields });
        assert.equal(d.status, 200, `${label}: ${d.text}`);
        const ap = await srv.api(user, 'POST', `/api/v1/cases/${reg.body.id}/events`, { event: 'approve', on: approveOn });
        assert.equal(ap.status, 200, `${label}: ${ap.text}`);
        const text = await replyText(user, reg.body.id);
        for (const m of spec.must) assert.ok(text.includes(m), `${label}: the reply says ${m}`);
        if (a.expect) assert.ok(text.includes(`六十日内向${a.expect}申请行政复议`), `${label}: names ${a.expect}`);
        else {
          assert.ok(text.includes('六十日内依法申请行政复议'), `${label}: names no body`);
          assert.ok(!/六十日内向\S+申请行政复议/.test(text), `${label}: and guesses none`);
        }
        const first = (a.policy === 'literal' ? literalFirst(outcome) : spec.first) && approveOn >= '2024-01-01';
        assert.equal(text.includes('《中华人民共和国行政复议法》第二十三条'), first, `${label}: reconsideration first = ${first}`);
        assert.equal(text.includes('六个月内'), !first, `${label}: direct suit offered = ${!first}`);
      }
    }
  });
}

test('admin: the agencies list gives each kind, its effective body and a warning where none can be named', async () => {
  const r = await srv.api('adm', 'GET', '/api/v1/admin/agencies');
  assert.equal(r.status, 200, r.text);
  for (const a of AGENCIES) {
    const row = r.body.find((x) => x.code === a.code);
    assert.equal(row.kind, a.kind ?? '', a.code);
    assert.equal(row.effective_reconsideration_body, a.expect ? a.expect : null, a.code);
    assert.equal(Boolean(row.warning), !a.expect, `${a.code}: warning ${row.warning}`);
  }
});

// The administrator's form posts every field of the agency; a browser sends the session cookie and
// the CSRF token of its session.
async function adminForm(code, changes) {
  const login = await srv.request('POST', '/api/v1/session', { body: { username: 'adm', password: PASSWORD } });
  assert.equal(login.status, 200, login.text);
  const list = await srv.api('adm', 'GET', '/api/v1/admin/agencies');
  const a = list.body.find((x) => x.code === code);
  const fields = { code, name: a.name, pattern: a.number_pattern, kind: a.kind, body: a.reconsideration_body ?? '',
    court: a.court ?? '', letter_pattern: '{prefix}依申{kind}〔{year}〕{seq}号', fee_pause: '1', ...changes,
    _csrf: login.body.csrf };
  return srv.request('POST', '/admin/agencies', { body: new URLSearchParams(fields).toString(),
    headers: { Cookie: `ogi_session=${login.body.token}`, 'Content-Type': 'application/x-www-form-urlencoded' } });
}

async function notHeldReply(code, user) {
  const reg = await srv.api(user, 'POST', '/api/v1/cases', registration({ agency: code, received_on: '2024-05-06' }));
  assert.equal(reg.status, 201, reg.text);
  for (const ev of [{ event: 'decide', on: '2024-05-08', outcome: 'not_held', reasons: '经检索未找到' }, { event: 'approve', on: '2024-05-09' }]) {
    const r = await srv.api(user, 'POST', `/api/v1/cases/${reg.body.id}/events`, ev);
    assert.equal(r.status, 200, r.text);
  }
  return replyText(user, reg.body.id);
}

test('an agency may switch to the literal reading: audited from what to what, later letters follow it', async () => {
  const list = await srv.api('adm', 'GET', '/api/v1/admin/agencies');
  assert.equal(list.body.find((x) => x.code === 'EDU').remedy_policy, 'safe');
  assert.equal(list.body.find((x) => x.code === 'LIT').remedy_policy, 'literal');
  assert.ok((await notHeldReply('EDU', 'uEDU')).includes('《中华人民共和国行政复议法》第二十三条'), 'safe: reconsideration first');
  // an unknown reading is refused and changes nothing
  const before = sqlite(srv.db, "SELECT remedy_policy FROM agencies WHERE code='EDU';").trim();
  const bad = await adminForm('EDU', { remedy_policy: 'lenient' });
  assert.equal(bad.status, 303);
  assert.match(decodeURIComponent(bad.headers.get('location')), /未知的救济告知规则/);
  assert.equal(sqlite(srv.db, "SELECT remedy_policy FROM agencies WHERE code='EDU';").trim(), before);
  const ok = await adminForm('EDU', { remedy_policy: 'literal' });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/admin/agencies');
  const audit = sqlite(srv.db, "SELECT actor || '|' || detail FROM audit_log WHERE action='agency.update' AND target='EDU' ORDER BY id DESC LIMIT 1;").trim();
  assert.match(audit, /^adm\|救济告知规则：从严（默认）.* → 按文义/);
  const after = await srv.api('adm', 'GET', '/api/v1/admin/agencies');
  assert.equal(after.body.find((x) => x.code === 'EDU').remedy_policy, 'literal');
  const text = await notHeldReply('EDU', 'uEDU');
  assert.ok(!text.includes('《中华人民共和国行政复议法》第二十三条') && text.includes('六个月内'), 'literal: 36(4) may go to court directly');
  // back to the default for the other tests in this file
  assert.equal((await adminForm('EDU', { remedy_policy: 'safe' })).status, 303);
});

// A browser's form post as this user (session cookie + its CSRF token).
async function browserPost(user, p, fields) {
  const login = await srv.request('POST', '/api/v1/session', { body: { username: user, password: PASSWORD } });
  assert.equal(login.status, 200, login.text);
  const cookie = `ogi_session=${login.body.token}`;
  const r = await srv.request('POST', p, { body: new URLSearchParams({ ...fields, _csrf: login.body.csrf }).toString(),
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' } });
  return { ...r, cookie };
}

test('the staff form refuses a decision without the elements its article requires; the API lists what the reply lacks', async () => {
  const required = {
    already_public: { fields: { location: 'http://www.example.gov.cn/xxgk/2.html' }, says: '获取该政府信息的方式和途径' },
    disclosed: { fields: { provision: '随本答复书邮寄提供', documents: '某批复.pdf' }, says: '提供政府信息的方式、途径和时间' },
    partially_disclosed: { fields: { provision: '随本答复书邮寄提供', documents: '某批复（删除个人信息）.pdf' }, says: '所提供的文件' },
    duplicate: { fields: { earlier_reply: '2024年1月5日测复〔2024〕1号' }, says: '此前答复的文号和日期' },
    withheld_admin_query: { fields: { competent_authority: '示例市市场监督管理局' }, says: '依法受理查询的机关' },
  };
  for (const [outcome, spec] of Object.entries(required)) {
    const reg = await srv.api('uEDU', 'POST', '/api/v1/cases', registration({ agency: 'EDU', received_on: '2024-05-06' }));
    const id = reg.body.id;
    const before = countRows(srv.db, ['case_events', 'letters']);
    const base = { event: 'decide', on: '2024-05-08', outcome, reasons: '经审查作出决定' };
    const bad = await browserPost('uEDU', `/cases/${id}/events`, base);
    assert.equal(bad.status, 303, outcome);
    const to = decodeURIComponent(bad.headers.get('location'));
    assert.ok(to.startsWith(`/cases/${id}?error=`) && to.includes(spec.says), `${outcome}: ${to}`);
    assert.deepEqual(countRows(srv.db, ['case_events', 'letters']), before, `${outcome}: nothing recorded`);
    const good = await browserPost('uEDU', `/cases/${id}/events`, { ...base, ...spec.fields });
    const said = decodeURIComponent(good.headers.get('location'));
    assert.ok(said.startsWith(`/cases/${id}?done=已办理：拟定答复`), `${outcome}: accepted with its elements: ${said}`);
    const c = await srv.api('uEDU', 'GET', `/api/v1/cases/${id}`);
    assert.equal(c.body.state, 'decided');
    assert.deepEqual(c.body.reply_missing, []);
  }
  // The API takes the contract's shorter decide; the case says what the reply lacks until it is issued.
  const reg = await srv.api('uEDU', 'POST', '/api/v1/cases', registration({ agency: 'EDU', received_on: '2024-05-06' }));
  const d = await srv.api('uEDU', 'POST', `/api/v1/cases/${reg.body.id}/events`, { event: 'decide', on: '2024-05-08', outcome: 'disclosed', reasons: '经审查' });
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.body.reply_missing.map((m) => m.field), ['provision', 'documents']);
  assert.match(d.body.reply_missing[0].message, /条例第三十六条第二项/);
  const login = await srv.request('POST', '/api/v1/session', { body: { username: 'uEDU', password: PASSWORD } });
  const html = await srv.request('GET', `/cases/${reg.body.id}`, { headers: { Cookie: `ogi_session=${login.body.token}` } });
  assert.equal(html.status, 200);
  assert.match(html.text, /id="reply-missing"[\s\S]*答复书缺少[\s\S]*提供政府信息的方式、途径和时间/);
  const ap = await srv.api('uEDU', 'POST', `/api/v1/cases/${reg.body.id}/events`, { event: 'approve', on: '2024-05-09' });
  assert.equal(ap.status, 200, ap.text);
  assert.deepEqual(ap.body.reply_missing, [], 'once issued, nothing is listed');
});

test('ogi agency add refuses an unknown remedy policy and adds nothing', async () => {
  await assert.rejects(ogi(['agency', 'add', '--db', srv.db, '--code', 'BADP', '--name', '坏规则机关', '--remedy-policy', 'lenient']),
    /未知的救济告知规则“lenient”，可选：safe, literal/);
  const r = await srv.api('adm', 'GET', '/api/v1/admin/agencies');
  assert.ok(!r.body.some((x) => x.code === 'BADP'));
});

test('a refusal without reasons is refused with a Chinese message and records nothing', async () => {
  const reg = await srv.api('uEDU', 'POST', '/api/v1/cases', registration({ agency: 'EDU', received_on: '2024-03-01' }));
  const before = countRows(srv.db, ['case_events']);
  for (const outcome of ['withheld_process_info', 'not_held', 'other', 'partially_disclosed']) {
    for (const reasons of [undefined, '', '　 ']) {
      const body = { event: 'decide', on: '2024-03-05', outcome };
      if (reasons !== undefined) body.reasons = reasons;
      const r = await srv.api('uEDU', 'POST', `/api/v1/cases/${reg.body.id}/events`, body);
      assertError(r, 422, 'invalid', '理由');
      assert.equal(r.body.error.field, 'reasons');
    }
  }
  assert.deepEqual(countRows(srv.db, ['case_events']), before);
  const ok = await srv.api('uEDU', 'POST', `/api/v1/cases/${reg.body.id}/events`, { event: 'decide', on: '2024-03-05', outcome: 'disclosed' });
  assert.equal(ok.status, 200, 'a disclosure needs no reasons');
});

test('ogi agency add refuses an unknown kind and adds nothing', async () => {
  await assert.rejects(ogi(['agency', 'add', '--db', srv.db, '--code', 'BAD', '--name', '坏机关', '--kind', 'ministry']),
    /未知的机关类别“ministry”/);
  const r = await srv.api('adm', 'GET', '/api/v1/admin/agencies');
  assert.ok(!r.body.some((x) => x.code === 'BAD'));
});
