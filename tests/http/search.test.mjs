// Search finds what people quote (issue 15 §1): the case number in the forms people type, a
// letter's number, an ID number, a credit code, a phone number, names and words from two
// characters — in the API and on the page, within the agencies the user may see, masked in lists.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, registration, loginForm, PASSWORD } from './helpers.mjs';

const srv = useServer({
  users: [
    { name: 'reg', roles: ['registrar', 'handler'] },
    { name: 'breg', agency: 'B2', roles: ['registrar'] },
  ],
});

// GB 11643 and GB 32100 check characters, computed here independently of the program.
function residentId(body17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body17 + '10X98765432'[sum % 11];
}
function creditCode(body17) {
  const cs = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...body17].reduce((s, ch, i) => s + cs.indexOf(ch) * w[i], 0);
  return body17 + cs[(31 - (sum % 31)) % 31];
}

const PEOPLE = [
  { name: '王五', id_number: residentId('11010119800101123'), phone: '13800001111', content: '申请公开本区养老机构补贴的发放名单' },
  { name: '李小龙', id_number: residentId('44030519900215456'), phone: '0592-5550123', content: '申请公开某路拓宽工程的规划许可文件' },
];
const ORG = { type: 'commercial_enterprise', name: '某某科技有限公司',
  credit_code: creditCode('91350200MA2XYW123'), phone: '13900002222' };
const cases = [];

before(async () => {
  await srv.ensureStarted();
  // A first case pushes the others to sequence numbers above 1 (第1号 is in every agency).
  for (const [i, p] of PEOPLE.entries()) {
    const r = await srv.api('reg', 'POST', '/api/v1/cases', registration({
      received_on: '2024-03-0' + (i + 1),
      content: p.content,
      applicant: { name: p.name, id_number: p.id_number, phone: p.phone },
    }));
    assert.equal(r.status, 201, r.text);
    cases.push(r.body);
  }
  const body = registration({ received_on: '2024-03-04', content: '申请公开企业信用修复的办理依据', applicant: ORG });
  delete body.applicant.id_type;
  delete body.applicant.id_number;
  const r = await srv.api('reg', 'POST', '/api/v1/cases', body);
  assert.equal(r.status, 201, r.text);
  cases.push(r.body);
  // Another agency's case with the same words and sequence number: never found from A1.
  const b = await srv.api('breg', 'POST', '/api/v1/cases', registration({
    agency: 'B2', received_on: '2024-03-05', content: PEOPLE[0].content,
    applicant: { name: PEOPLE[0].name, id_number: PEOPLE[0].id_number, phone: PEOPLE[0].phone },
  }));
  assert.equal(b.status, 201, b.text);
});

// A staff page as the browser gets it (the login form's session cookie).
const cookies = new Map();
async function page(user, p) {
  if (!cookies.has(user)) {
    const login = await srv.request('POST', '/login', await loginForm(srv, { username: user, password: PASSWORD }));
    assert.equal(login.status, 303, login.text);
    cookies.set(user, /^ogi_session=([^;]*)/.exec(login.headers.getSetCookie().find((c) => c.startsWith('ogi_session=')))[1]);
  }
  return srv.request('GET', p, { headers: { Cookie: `ogi_session=${cookies.get(user)}` } });
}

async function found(q, user = 'reg') {
  const r = await srv.api(user, 'GET', `/api/v1/cases?per_page=50&q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, `${q}: ${r.text}`);
  return r.body.items.map((x) => x.id);
}

test('the case number in every form people type finds exactly its case', async () => {
  const c = cases[1];
  assert.match(c.number, /^测〔2024〕第2号$/);
  for (const q of [c.number, '测[2024]第2号', '测【2024】第2号', '测(2024)第2号', '测（2024）第2号', '测2024第2号',
    ' 测〔2024〕第2号 ', '2024-2', '2024年第2号', '２０２４－２', '第2号', '2号'])
    assert.deepEqual(await found(q), [c.id], q);
  assert.deepEqual(await found('第99号'), [], 'no 99th case');
  assert.deepEqual(await found('测〔2023〕第2号'), [], 'another year');
});

test('a letter number finds the case it was issued on', async () => {
  const c = cases[2];
  const letters = await srv.api('reg', 'GET', `/api/v1/cases/${c.id}/letters`);
  assert.equal(letters.status, 200, letters.text);
  const receipt = letters.body.find((l) => l.kind === 'receipt');
  assert.ok(receipt, letters.text);
  assert.match(receipt.number, /〔2024〕/);
  assert.deepEqual(await found(receipt.number), [c.id], receipt.number);
  assert.deepEqual(await found(receipt.number.replace('〔', '[').replace('〕', ']')), [c.id]);
  assert.deepEqual(await found(receipt.number.replace('〔', '').replace('〕', '')), [c.id]);
});

test('an ID number, a credit code and a phone number find their case; lists stay masked', async () => {
  assert.deepEqual(await found(PEOPLE[0].id_number), [cases[0].id]);
  assert.deepEqual(await found(PEOPLE[1].id_number.toLowerCase()), [cases[1].id]);
  assert.deepEqual(await found(ORG.credit_code), [cases[2].id]);
  assert.deepEqual(await found('13800001111'), [cases[0].id]);
  assert.deepEqual(await found('138-0000-1111'), [cases[0].id]);
  assert.deepEqual(await found('+86 138 0000 1111'), [cases[0].id]);
  assert.deepEqual(await found('0592-5550123'), [cases[1].id]);
  const r = await srv.api('reg', 'GET', `/api/v1/cases?q=${PEOPLE[0].id_number}`);
  assert.ok(!r.text.includes(PEOPLE[0].id_number), 'the full ID number is not in the list');
  assert.ok(!r.text.includes('13800001111'), 'the phone number is not in the list');
  const listing = await page('reg', `/cases?q=${PEOPLE[0].id_number}`);
  assert.equal(listing.status, 200);
  const rows = /<tbody>([\s\S]*?)<\/tbody>/.exec(listing.text)?.[1] ?? '';
  assert.ok(rows.includes(PEOPLE[0].name), listing.text.slice(0, 300));
  assert.ok(!rows.includes(PEOPLE[0].id_number.slice(6, 14)), 'the list masks the ID number');
});

test('names and words of two characters or more', async () => {
  assert.deepEqual(await found('王五'), [cases[0].id]);
  assert.deepEqual(await found('养老'), [cases[0].id]);
  assert.deepEqual(await found('拓宽'), [cases[1].id]);
  assert.deepEqual(await found('李小龙'), [cases[1].id]);
  assert.deepEqual(await found('养老机构'), [cases[0].id]);
  assert.deepEqual(await found('李'), [cases[1].id], 'one character: the start of a name');
  assert.deepEqual(await found('老机'), [cases[0].id], 'any two adjacent characters');
  assert.deepEqual(await found('老补'), [], 'not adjacent');
  assert.deepEqual((await found('申请')).sort(), cases.map((c) => c.id).sort(), 'a common word');
});

test("another agency's cases are never found", async () => {
  assert.deepEqual(await found(PEOPLE[0].id_number, 'breg').then((x) => x.length), 1);
  const mine = await found(PEOPLE[0].id_number, 'breg');
  assert.ok(!mine.includes(cases[0].id));
  assert.deepEqual(await found(cases[1].number, 'breg'), []);
});

test('the page says what was searched, and what to try when nothing is found', async () => {
  const hit = await page('reg', `/cases?q=${encodeURIComponent('第2号')}`);
  assert.equal(hit.status, 200);
  assert.match(hit.text, /按各年度第2号申请查找，共 1 件/);
  assert.ok(!hit.text.includes('没有找到相符的案件'));
  const miss = await page('reg', `/cases?q=${encodeURIComponent('2024-99')}`);
  assert.match(miss.text, /按申请编号 2024年第99号查找，共 0 件/);
  assert.match(miss.text, /没有找到相符的案件。可以试试/);
  const phone = await page('reg', '/cases?q=13800001111');
  assert.match(phone.text, /按联系电话查找，共 1 件/);
});
