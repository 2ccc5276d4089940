// Registration and every event of contract.md's table, each done by a user holding only a role the
// table names; the case JSON of contract.md after each step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertError, registration, TODAY, addDays } from './helpers.mjs';

const srv = useServer({
  users: [
    { name: 'reg', roles: ['registrar'] },
    { name: 'hdl', roles: ['handler'] },
    { name: 'apr', roles: ['approver'] },
    { name: 'off', roles: ['office'] },
    { name: 'allr', roles: ['registrar', 'handler', 'approver', 'office'] },
    { name: 'breg', agency: 'B2', roles: ['registrar', 'handler'] },
  ],
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/;

// The case JSON of contract.md ("Read").
function assertCaseShape(c) {
  assert.equal(typeof c.id, 'number');
  assert.ok(Number.isInteger(c.id) && c.id > 0);
  assert.equal(typeof c.number, 'string');
  assert.equal(typeof c.agency, 'string');
  assert.equal(typeof c.state, 'string');
  assert.equal(typeof c.applicant, 'object');
  assert.equal(typeof c.applicant.type, 'string');
  assert.equal(typeof c.applicant.name, 'string');
  assert.equal(typeof c.channel, 'string');
  assert.match(c.received_on, DATE);
  assert.ok('due_on' in c, 'due_on present');
  if (c.due_on === null) assert.equal(typeof c.due_note, 'string');
  else assert.match(c.due_on, DATE);
  for (const k of ['outcome', 'concluded_on', 'on_time']) assert.ok(k in c, `${k} present`);
  assert.ok(c.outcome === null || typeof c.outcome === 'string');
  assert.ok(c.concluded_on === null || DATE.test(c.concluded_on));
  assert.ok(c.on_time === null || typeof c.on_time === 'boolean');
  assert.ok(Array.isArray(c.consultations));
  for (const k of c.consultations) {
    assert.equal(typeof k.id, 'number');
    assert.ok(['third_party', 'agency'].includes(k.party));
    assert.match(k.sent_on, DATE);
    assert.ok(k.replied_on === null || DATE.test(k.replied_on));
  }
  assert.ok(Array.isArray(c.remedies));
  for (const r of c.remedies) {
    assert.equal(typeof r.id, 'number');
    assert.ok(['reconsideration', 'litigation', 'litigation_after_reconsideration'].includes(r.kind));
    assert.match(r.filed_on, DATE);
    assert.ok(r.result === null || ['upheld', 'corrected', 'other'].includes(r.result));
  }
  assert.ok(Array.isArray(c.history));
  for (const h of c.history) {
    assert.equal(typeof h.event, 'string');
    assert.match(h.on, DATE);
    assert.equal(typeof h.by, 'string');
    assert.match(h.at, TIMESTAMP);
  }
}

async function register(user, body) {
  const r = await srv.api(user, 'POST', '/api/v1/cases', body);
  assert.equal(r.status, 201, `register: ${r.text}`);
  assertCaseShape(r.body);
  return r.body;
}

// Posts an event as `user`; asserts 200 and returns the case.
async function ev(user, id, event, on, fields = {}) {
  const r = await srv.api(user, 'POST', `/api/v1/cases/${id}/events`, { event, on, ...fields });
  assert.equal(r.status, 200, `${event} on ${on} by ${user}: ${r.status} ${r.text}`);
  assertCaseShape(r.body);
  assert.equal(r.body.id, id);
  const last = r.body.history.at(-1);
  assert.deepEqual([last.event, last.on, last.by], [event, on, user], 'history records the event');
  return r.body;
}

async function show(user, id) {
  const r = await srv.api(user, 'GET', `/api/v1/cases/${id}`);
  assert.equal(r.status, 200, r.text);
  assertCaseShape(r.body);
  return r.body;
}

let first;

test('register: 201, first number of the year, due date 20 working days on', async () => {
  const body = registration();
  const c = await register('reg', body);
  first = c;
  assert.equal(c.number, '测〔2024〕第1号');
  assert.equal(c.agency, 'A1');
  assert.equal(c.state, 'registered');
  assert.equal(c.channel, 'post');
  assert.equal(c.received_on, '2024-03-01');
  assert.equal(c.due_on, '2024-03-29');
  assert.equal(c.outcome, null);
  assert.equal(c.concluded_on, null);
  assert.equal(c.on_time, null);
  assert.deepEqual(c.consultations, []);
  assert.deepEqual(c.remedies, []);
  assert.equal(c.history.length, 1);
  assert.equal(c.history[0].event, 'register');
  assert.equal(c.history[0].on, '2024-03-01');
  assert.equal(c.history[0].by, 'reg');
  assert.deepEqual(
    { type: c.applicant.type, name: c.applicant.name, id_type: c.applicant.id_type, id_number: c.applicant.id_number,
      phone: c.applicant.phone, address: c.applicant.address, email: c.applicant.email },
    body.applicant);
  // GET answers the same case.
  const again = await show('reg', c.id);
  assert.equal(again.number, c.number);
  assert.equal(again.due_on, '2024-03-29');
  assert.deepEqual(again.history, c.history);
});

test('register: only the Art 29 minimum is required; agency defaults to the user\'s only agency', async () => {
  const c = await register('hdl', {
    applicant: { type: 'natural_person', name: '李四' }, channel: 'in_person', received_on: '2024-03-04',
    content: '申请公开某道路改造工程的立项批复',
  });
  assert.equal(c.agency, 'A1');
  assert.match(c.number, /^测〔2024〕第\d+号$/);
  assert.notEqual(c.number, first.number);
  assert.equal(c.state, 'registered');
  assert.equal(c.due_on, '2024-04-01');
  // Organisations give a credit code; office users may register too.
  const org = await register('off', {
    agency: 'A1', applicant: { type: 'commercial_enterprise', name: '某某科技有限公司', credit_code: '91350100M000100Y43' },
    channel: 'online', received_on: '2024-03-05', content: '申请公开企业资质审批结果',
  });
  assert.equal(org.applicant.type, 'commercial_enterprise');
  assert.equal(org.applicant.credit_code, '91350100M000100Y43');
  assert.equal(org.channel, 'online');
});

test('numbers: unique per agency and year', async () => {
  const y25 = await register('reg', registration({ received_on: '2025-02-10' }));
  assert.equal(y25.number, '测〔2025〕第1号');
  const y25b = await register('reg', registration({ received_on: '2025-02-11' }));
  assert.equal(y25b.number, '测〔2025〕第2号');
  const b = await register('breg', registration({ agency: 'B2', received_on: '2024-03-01' }));
  assert.equal(b.agency, 'B2');
  assert.equal(b.number, '另〔2024〕第1号');
  const list = await srv.api('allr', 'GET', '/api/v1/cases?per_page=200');
  assert.equal(list.status, 200, list.text);
  const numbers = list.body.items.map((x) => x.number);
  assert.equal(new Set(numbers).size, numbers.length, `duplicate numbers: ${numbers}`);
  assert.ok(list.body.items.every((x) => x.agency === 'A1'), 'A1 users see only A1 cases');
});

test('happy path through every step, each by a user with only the role contract.md names', async () => {
  let c = await register('reg', registration({ received_on: '2024-03-01', applicant: { name: '王五' } }));
  const id = c.id;
  assert.equal(c.due_on, '2024-03-29');

  c = await ev('hdl', id, 'request_correction', '2024-03-04', { items: ['请提供身份证件复印件', '请明确所需信息的名称'], days: 15 });
  assert.equal(c.state, 'awaiting_correction');

  c = await ev('reg', id, 'correction_received', '2024-03-11');
  assert.equal(c.state, 'processing');
  assert.equal(c.due_on, '2024-04-09', 'the clock restarts on the corrected application');

  c = await ev('hdl', id, 'consult', '2024-03-12', { party: 'third_party', name: '某某建设有限公司' });
  assert.equal(c.state, 'processing');
  assert.equal(c.consultations.length, 1);
  const k = c.consultations[0];
  assert.equal(k.party, 'third_party');
  assert.equal(k.sent_on, '2024-03-12');
  assert.equal(k.replied_on, null);

  c = await ev('hdl', id, 'consultation_replied', '2024-03-20', { consultation: k.id, opinion: 'agree' });
  assert.equal(c.consultations[0].id, k.id);
  assert.equal(c.consultations[0].replied_on, '2024-03-20');
  assert.equal(c.due_on, '2024-04-17', 'six working days of consultation are not counted');

  c = await ev('apr', id, 'extend', '2024-03-21', { reason: '需要征求意见、汇总材料' });
  assert.equal(c.state, 'processing');
  assert.equal(c.due_on, '2024-05-16', 'extended by 20 working days');

  c = await ev('apr', id, 'fee_notice', '2024-03-22', { method: 'per_page', pages: 80 });
  assert.equal(c.state, 'awaiting_fee');
  assert.equal(c.fee?.amount, 500, `per page, 80 pages: 50 × 10 yuan; got ${JSON.stringify(c.fee)}`);

  c = await ev('reg', id, 'fee_paid', '2024-03-25');
  assert.equal(c.state, 'processing');
  assert.equal(c.due_on, '2024-05-17', 'the fee period (one working day) is not counted');

  c = await ev('hdl', id, 'decide', '2024-03-26', { outcome: 'disclosed', reasons: '经审查，属于可以公开的政府信息' });
  assert.equal(c.state, 'decided');
  assert.equal(c.concluded_on, null);

  c = await ev('apr', id, 'approve', '2024-03-27');
  assert.equal(c.state, 'approved');
  assert.equal(c.concluded_on, null);

  c = await ev('reg', id, 'deliver', '2024-03-28', { method: 'post', tracking: 'EMS1234567890' });
  assert.equal(c.state, 'delivered');
  assert.equal(c.outcome, 'disclosed');
  assert.equal(c.concluded_on, '2024-03-28');
  assert.equal(c.on_time, true);

  c = await ev('off', id, 'archive', '2024-04-01');
  assert.equal(c.state, 'archived');

  c = await ev('off', id, 'remedy_filed', '2024-04-10', { kind: 'reconsideration' });
  assert.equal(c.state, 'archived');
  assert.equal(c.remedies.length, 1);
  const rem = c.remedies[0];
  assert.equal(rem.kind, 'reconsideration');
  assert.equal(rem.filed_on, '2024-04-10');
  assert.equal(rem.result, null);

  c = await ev('off', id, 'remedy_decided', '2024-06-03', { remedy: rem.id, result: 'upheld' });
  assert.equal(c.remedies[0].id, rem.id);
  assert.equal(c.remedies[0].result, 'upheld');

  c = await show('hdl', id);
  assert.deepEqual(c.history.map((h) => h.event), ['register', 'request_correction', 'correction_received', 'consult',
    'consultation_replied', 'extend', 'fee_notice', 'fee_paid', 'decide', 'approve', 'deliver', 'archive',
    'remedy_filed', 'remedy_decided']);
  assert.deepEqual(c.history.map((h) => h.by), ['reg', 'hdl', 'reg', 'hdl', 'hdl', 'apr', 'apr', 'reg', 'hdl', 'apr',
    'reg', 'off', 'off', 'off']);
  assert.equal(c.state, 'archived');
  assert.equal(c.outcome, 'disclosed');
  assert.equal(c.concluded_on, '2024-03-28');
  assert.equal(c.on_time, true);
  assert.equal(c.due_on, '2024-05-17');
});

test('second path: agency consultation, handler-side steps, several remedies', async () => {
  let c = await register('allr', registration({ received_on: '2024-06-03', applicant: { name: '赵六' } }));
  const id = c.id;
  c = await ev('hdl', id, 'consult', '2024-06-04', { party: 'agency', name: '市自然资源局' });
  const k1 = c.consultations[0].id;
  c = await ev('hdl', id, 'consult', '2024-06-05', { party: 'third_party', name: '某某公司' });
  assert.equal(c.consultations.length, 2);
  const k2 = c.consultations.find((x) => x.id !== k1).id;
  c = await ev('hdl', id, 'consultation_replied', '2024-06-12', { consultation: k2, opinion: 'object' });
  assert.equal(c.consultations.find((x) => x.id === k2).replied_on, '2024-06-12');
  assert.equal(c.consultations.find((x) => x.id === k1).replied_on, null);
  c = await ev('hdl', id, 'consultation_replied', '2024-06-13', { consultation: k1, opinion: 'none' });
  c = await ev('apr', id, 'fee_notice', '2024-06-14', { method: 'per_application', amount: 100 });
  assert.equal(c.fee?.amount, 100);
  c = await ev('hdl', id, 'fee_paid', '2024-06-17');
  c = await ev('hdl', id, 'decide', '2024-06-18', { outcome: 'partially_disclosed', reasons: '部分涉及商业秘密' });
  c = await ev('allr', id, 'approve', '2024-06-19');
  c = await ev('hdl', id, 'deliver', '2024-06-20', { method: 'electronic' });
  assert.equal(c.state, 'delivered');
  assert.equal(c.outcome, 'partially_disclosed');
  assert.equal(c.concluded_on, '2024-06-20');
  assert.equal(c.on_time, true);
  // Remedies on a delivered, not archived case; handler may record them too.
  c = await ev('hdl', id, 'remedy_filed', '2024-07-01', { kind: 'litigation' });
  c = await ev('off', id, 'remedy_filed', '2024-07-02', { kind: 'litigation_after_reconsideration' });
  assert.equal(c.remedies.length, 2);
  const [r1, r2] = c.remedies;
  assert.notEqual(r1.id, r2.id);
  c = await ev('hdl', id, 'remedy_decided', '2024-09-01', { remedy: r2.id, result: 'corrected' });
  assert.equal(c.remedies.find((r) => r.id === r2.id).result, 'corrected');
  assert.equal(c.remedies.find((r) => r.id === r1.id).result, null);
  c = await ev('hdl', id, 'archive', '2024-09-02');
  assert.equal(c.state, 'archived');
  c = await ev('off', id, 'remedy_decided', '2024-10-08', { remedy: r1.id, result: 'other' });
  assert.equal(c.remedies.find((r) => r.id === r1.id).result, 'other');
});

test('correction_lapsed: only after the correction period from service; ends the case as no_correction', async () => {
  let c = await register('reg', registration({ received_on: '2024-04-01', applicant: { name: '孙七' } }));
  const id = c.id;
  c = await ev('hdl', id, 'request_correction', '2024-04-02', { items: ['请明确所需信息的名称'] });
  assert.equal(c.state, 'awaiting_correction');
  // Not served yet: the period has no end and no lapse can be recorded, however late.
  const sub = c.deadlines.find((d) => d.kind === 'correction');
  assert.equal(sub.due_on, null);
  assert.equal(sub.awaiting_service, true);
  const unserved = await srv.api('hdl', 'POST', `/api/v1/cases/${id}/events`, { event: 'correction_lapsed', on: '2024-06-03' });
  assertError(unserved, 409, 'not_allowed');
  assert.match(unserved.body.error.message, /尚未登记送达/);
  // Signed for on 2024-04-03, recorded on 04-08 and dated back; not before the notice.
  assertError(await srv.api('reg', 'POST', `/api/v1/cases/${id}/events`, { event: 'serve_notice', on: '2024-04-01', method: 'post' }),
    422, 'invalid', 'on');
  c = await ev('reg', id, 'serve_notice', '2024-04-03', { method: 'post' });
  assert.equal(c.correction.served_on, '2024-04-03');
  // 15 working days from 2024-04-03 (清明 04-04..06 off, Sunday 04-07 worked) run to 2024-04-25.
  assert.equal(c.deadlines.find((d) => d.kind === 'correction').due_on, '2024-04-25');
  const early = await srv.api('hdl', 'POST', `/api/v1/cases/${id}/events`, { event: 'correction_lapsed', on: '2024-04-25' });
  assertError(early, 409, 'not_allowed');
  assert.match(early.body.error.message, /2024-04-25/);
  c = await ev('hdl', id, 'correction_lapsed', '2024-04-26');
  assert.equal(c.state, 'closed');
  assert.equal(c.outcome, 'no_correction');
  assert.equal(c.concluded_on, '2024-04-26');
  c = await ev('off', id, 'archive', '2024-04-26');
  assert.equal(c.state, 'archived');
  assert.equal(c.outcome, 'no_correction');
});

test('fee_lapsed: only after 20 working days; ends the case as fee_unpaid', async () => {
  let c = await register('reg', registration({ received_on: '2024-05-06', applicant: { name: '周八' } }));
  const id = c.id;
  c = await ev('apr', id, 'fee_notice', '2024-05-07', { method: 'per_page', pages: 150 });
  assert.equal(c.state, 'awaiting_fee');
  assert.equal(c.fee?.amount, 70 * 10 + 50 * 20, `pages 31–100 at 10, 101–150 at 20; got ${JSON.stringify(c.fee)}`);
  assertError(await srv.api('hdl', 'POST', `/api/v1/cases/${id}/events`, { event: 'fee_lapsed', on: '2024-07-01' }), 409, 'not_allowed');
  // Entered the applicant's mailbox on 05-08: 20 working days (Saturday 05-11 worked) run to 06-04.
  c = await ev('hdl', id, 'serve_notice', '2024-05-08', { method: 'electronic' });
  assert.equal(c.fee.served_on, '2024-05-08');
  const early = await srv.api('hdl', 'POST', `/api/v1/cases/${id}/events`, { event: 'fee_lapsed', on: '2024-06-04' });
  assertError(early, 409, 'not_allowed');
  c = await ev('hdl', id, 'fee_lapsed', '2024-06-05');
  assert.equal(c.state, 'closed');
  assert.equal(c.outcome, 'fee_unpaid');
  assert.equal(c.concluded_on, '2024-06-05');
});

test('withdraw: ends the case as withdrawn; remedies may follow on a closed case', async () => {
  let c = await register('reg', registration({ received_on: '2024-03-04', applicant: { name: '吴九' } }));
  const id = c.id;
  c = await ev('reg', id, 'withdraw', '2024-03-05');
  assert.equal(c.state, 'closed');
  assert.equal(c.outcome, 'withdrawn');
  assert.equal(c.concluded_on, '2024-03-05');
  c = await ev('off', id, 'remedy_filed', '2024-03-20', { kind: 'reconsideration' });
  assert.equal(c.state, 'closed');
  assert.equal(c.remedies.length, 1);
  // A handler may withdraw too, from a later state.
  let d = await register('reg', registration({ received_on: '2024-03-04', applicant: { name: '郑十' } }));
  d = await ev('hdl', d.id, 'decide', '2024-03-06', { outcome: 'not_held', reasons: '经检索，本机关未制作或者获取该信息' });
  d = await ev('hdl', d.id, 'withdraw', '2024-03-07');
  assert.equal(d.state, 'closed');
  assert.equal(d.outcome, 'withdrawn');
  assert.equal(d.concluded_on, '2024-03-07');
});

test('a fresh case accepts request_correction, consult, extend, fee_notice, decide and withdraw directly', async () => {
  const steps = [
    ['hdl', 'request_correction', { items: ['请提供联系方式'] }, 'awaiting_correction'],
    ['hdl', 'consult', { party: 'third_party', name: '某第三方' }, 'processing'],
    ['apr', 'extend', { reason: '情况复杂' }, 'registered'],
    ['apr', 'fee_notice', { method: 'per_application', amount: 200 }, 'awaiting_fee'],
    ['hdl', 'decide', { outcome: 'already_public', reasons: '已在政府网站公开' }, 'decided'],
    ['reg', 'withdraw', {}, 'closed'],
  ];
  for (const [user, event, fields, state] of steps) {
    const c = await register('reg', registration({ received_on: '2024-07-01', applicant: { name: '钱一' } }));
    const after = await ev(user, c.id, event, '2024-07-02', fields);
    if (event === 'extend') assert.ok(['registered', 'processing'].includes(after.state), after.state);
    else assert.equal(after.state, state, event);
  }
});

test('event "on" defaults to today', async () => {
  const c = await register('reg', registration({ received_on: addDays(TODAY, -7), applicant: { name: '冯二' } }));
  const r = await srv.api('reg', 'POST', `/api/v1/cases/${c.id}/events`, { event: 'withdraw' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.history.at(-1).on, TODAY);
  assert.equal(r.body.concluded_on, TODAY);
});
