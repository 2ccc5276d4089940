// The calendar's edge (issue 12): after the last imported notice the clock goes on with
// provisional dates, marked and explained; the receipt never has a hole; importing the notice
// (pasted as published) replaces the provisional year and recomputes every open case in the same
// call, listing the due dates it moved. This file pins its own "today" in late December.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useServer, assertError, registration, sqlite, SOURCE_DIR } from './helpers.mjs';

const DEC = '2026-12-21';
const srv = useServer({
  env: { OGI_TODAY: DEC },
  users: [
    { name: 'reg', roles: ['registrar'] },
    { name: 'hdl', roles: ['handler'] },
    { name: 'apr', roles: ['approver'] },
    { name: 'off', roles: ['office'] },
    { name: 'adm', roles: ['admin'] },
  ],
});

// An invented 2027 arrangement written as the State Council's notices are (not an official text);
// the browser test pastes the same file.
const NOTICE_2027 = readFileSync(path.join(SOURCE_DIR, 'tests/fixtures/notice-2027-invented.txt'), 'utf8');

let plain, extended;

test('a case received in December has a due date in the next, provisional year', async () => {
  const r = await srv.api('reg', 'POST', '/api/v1/cases', registration({ received_on: '2026-12-18' }));
  assert.equal(r.status, 201, r.text);
  plain = r.body;
  // 2026-12-18 (Fri) + 20 working days: 9 in December, 元旦 on 1 January, then 11 more.
  assert.equal(plain.due_on, '2027-01-18');
  assert.equal(plain.due_provisional, true);
  assert.match(plain.due_note, /^暂定：2027年节假日安排公布前按法定节假日推算/);
  assert.match(plain.due_explanation, /2027-01-18（暂定/);
  assert.equal(plain.days_left, 19);
  const notice = plain.deadlines.find((d) => d.kind === 'correction_notice');
  assert.equal(notice.due_on, '2026-12-29');
  assert.equal(notice.provisional, false);
  const list = await srv.api('reg', 'GET', '/api/v1/cases');
  assert.equal(list.status, 200);
  const row = (list.body.items ?? list.body).find((c) => c.id === plain.id);
  assert.equal(row.due_on, '2027-01-18');
  assert.equal(row.due_provisional, true);
});

test('the frozen receipt states the provisional date with its clause, never "截至。"', async () => {
  const letters = await srv.api('reg', 'GET', `/api/v1/cases/${plain.id}/letters`);
  const receipt = letters.body.find((l) => l.kind === 'receipt');
  const html = await srv.api('reg', 'GET', `/api/v1/letters/${receipt.id}?format=html`);
  assert.equal(html.status, 200);
  assert.ok(html.text.includes('答复期限截至2027年1月18日（该日期系在国务院办公厅公布当年节假日安排前按法定节假日推算'), html.text);
  assert.ok(!html.text.includes('截至。'));
});

test('the calendar says what is official and what is missing; admins and the office see a banner', async () => {
  const r = await srv.api('reg', 'GET', '/api/v1/calendar');
  assert.equal(r.status, 200);
  assert.equal(r.body.official_through, 2026);
  assert.ok(r.body.provisional_through >= 2035);
  assert.equal(r.body.notice_missing_for, 2027);
  const y = await srv.api('reg', 'GET', '/api/v1/calendar/2027');
  assert.equal(y.body.provisional, true);
  assert.ok(y.body.days.some((d) => d.date === '2027-02-09' && !d.workday && d.name === '春节补假'));
  for (const [user, banner] of [['adm', true], ['off', true], ['reg', false]]) {
    const page = await srv.api(user, 'GET', user === 'adm' ? '/admin/users' : '/');
    assert.equal(page.status, 200, page.text.slice(0, 200));
    assert.equal(page.text.includes('2027年节假日安排尚未导入'), banner, `${user}: banner ${banner}`);
  }
});

test('an extension that ends inside the Spring Festival window', async () => {
  const r = await srv.api('apr', 'POST', `/api/v1/cases/${plain.id}/events`, { event: 'extend', on: DEC, reason: '需要调取档案' });
  assert.equal(r.status, 200, r.text);
  extended = r.body;
  // 40 working days: the provisional calendar rests 2-05 and 2-08..2-10 (补假), no 调休.
  assert.equal(extended.due_on, '2027-02-19');
  assert.equal(extended.due_provisional, true);
  const again = await srv.api('reg', 'POST', '/api/v1/cases', registration({ received_on: '2026-12-18', content: '第二件' }));
  assert.equal(again.status, 201);
  plain = again.body;
});

test('bad notices change nothing: unreadable line, wrong weekday, a year out of order, not admin', async () => {
  const before = sqlite(srv.db, 'select count(*) from calendar_years; select count(*) from audit_log;');
  const bad = NOTICE_2027.replace('五、端午节：6月9日（周三）放假，共1天。', '五、端午节：六月初九放假。');
  let r = await srv.api('adm', 'POST', '/api/v1/calendar', bad, { 'Content-Type': 'text/plain' });
  assertError(r, 422, 'invalid', '第11行');
  r = await srv.api('adm', 'POST', '/api/v1/calendar', NOTICE_2027.replace('9月15日（周三）', '9月15日（周四）'), { 'Content-Type': 'text/plain' });
  assertError(r, 422, 'invalid', '周四');
  const year2029 = ['year 2029', 'notice 国办发明电〔2028〕1号', 'holiday 2029-01-01 元旦', 'holiday 2029-02-13 春节',
    'holiday 2029-04-04 清明节', 'holiday 2029-05-01 劳动节', 'holiday 2029-06-16 端午节', 'holiday 2029-09-22 中秋节',
    'holiday 2029-10-01 国庆节', ''].join('\n');
  r = await srv.api('adm', 'POST', '/api/v1/calendar', year2029, { 'Content-Type': 'text/plain' });
  assertError(r, 422, 'invalid', '请先导入 2027 年的安排');
  r = await srv.api('off', 'POST', '/api/v1/calendar', NOTICE_2027, { 'Content-Type': 'text/plain' });
  assertError(r, 403, 'forbidden');
  assert.equal(sqlite(srv.db, 'select count(*) from calendar_years; select count(*) from audit_log;'), before);
});

test('preview: the pasted notice parsed into days, nothing saved', async () => {
  const r = await srv.api('adm', 'POST', '/api/v1/calendar?preview=1', NOTICE_2027, { 'Content-Type': 'text/plain' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.saved, false);
  assert.equal(r.body.year, 2027);
  assert.equal(r.body.notice, '国办发明电〔2026〕99号');
  assert.equal(r.body.was_provisional, true);
  const off = r.body.days.filter((d) => !d.workday).length, work = r.body.days.filter((d) => d.workday).length;
  assert.deepEqual([off, work], [3 + 8 + 3 + 5 + 1 + 1 + 7, 6]);
  assert.ok(r.body.days.some((d) => d.date === '2027-01-31' && d.workday && d.name === '春节调休上班'));
  assert.equal((await srv.api('adm', 'GET', '/api/v1/calendar')).body.official_through, 2026);
});

test('import: the year replaces the provisional one and every open case is recomputed in the same call', async () => {
  const r = await srv.api('adm', 'POST', '/api/v1/calendar', NOTICE_2027, { 'Content-Type': 'text/plain' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.saved, true);
  assert.equal(r.body.was_provisional, true);
  assert.equal(r.body.open_cases_recomputed, 2);
  // The extended case moves by one day (the make-up Saturday 2-20 now counts); the others keep theirs.
  assert.deepEqual(r.body.moved.map((m) => [m.case_id, m.before, m.after, m.days]),
    [[extended.id, '2027-02-19', '2027-02-20', 1]]);
  const stored = sqlite(srv.db, `select id||' '||due_on||' '||due_provisional from cases order by id;`).trim().split('\n');
  assert.deepEqual(stored, [`${extended.id} 2027-02-20 0`, `${plain.id} 2027-01-18 0`]);
  const c = await srv.api('reg', 'GET', `/api/v1/cases/${extended.id}`);
  assert.equal(c.body.due_on, '2027-02-20');
  assert.equal(c.body.due_provisional, false);
  const status = await srv.api('reg', 'GET', '/api/v1/calendar');
  assert.equal(status.body.official_through, 2027);
  assert.equal(status.body.notice_missing_for, null);
  const page = await srv.api('adm', 'GET', '/admin/users');
  assert.ok(!page.text.includes('节假日安排尚未导入'), 'no banner once the notice is imported');
  const audit = sqlite(srv.db, `select action||' '||target||' '||detail from audit_log where action like 'calendar.%';`);
  assert.match(audit, /calendar\.add 2027 国办发明电〔2026〕99号；在办案件 2 件重新计算，到期日变动 1 件/);
});

test('the same year again: refused unless replacing on purpose', async () => {
  let r = await srv.api('adm', 'POST', '/api/v1/calendar', NOTICE_2027, { 'Content-Type': 'text/plain' });
  assertError(r, 422, 'invalid', '已经导入');
  r = await srv.api('adm', 'POST', '/api/v1/calendar?replace=1', NOTICE_2027, { 'Content-Type': 'text/plain' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.replaced, true);
  assert.deepEqual(r.body.moved, []);
});

test('after an upgrade, open cases stored without a due date get theirs at start-up', async () => {
  sqlite(srv.db, `update cases set due_on=NULL, due_provisional=0 where id=${plain.id};`);
  srv.child.kill('SIGTERM');
  await srv.exited;
  srv.tokens.clear();
  await srv.spawn();
  assert.equal(sqlite(srv.db, `select due_on from cases where id=${plain.id};`).trim(), '2027-01-18');
});
