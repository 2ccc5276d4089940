// Letters (docs/letters.md): which event issues which letter, their 文号 ({prefix}依申{kind}〔{year}〕{seq}号,
// per agency, kind and year, no gaps, no duplicates), the frozen DOCX/HTML bytes, the remedy notice
// on both sides of 2024-01-01, template administration, corrections (reissue), print-all and access.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Server, ogi, assertError, registration, TODAY } from './helpers.mjs';

// Agencies with the letter settings of `ogi agency add` (--letter-prefix, --reconsideration-body, --court).
const AGENCIES = [
  { code: 'A1', name: '测试机关', pattern: '测〔{year}〕第{seq}号', prefix: '测试办',
    body: '测试市人民政府', court: '测试市中级人民法院' },
  { code: 'B2', name: '另一机关', pattern: '另〔{year}〕第{seq}号', prefix: '另办' },
  // Only the numbering test uses C3, so its counters start at 1 there.
  { code: 'C3', name: '编号机关', pattern: '编〔{year}〕第{seq}号', prefix: '编办' },
];

class LetterServer extends Server {
  async start() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'ogi-api-'));
    this.db = path.join(this.dir, 'ogi.db');
    this.portFile = path.join(this.dir, 'port');
    await ogi(['init', '--db', this.db]);
    for (const a of this.agencies) {
      const args = ['agency', 'add', '--db', this.db, '--code', a.code, '--name', a.name, '--pattern', a.pattern];
      if (a.prefix) args.push('--letter-prefix', a.prefix);
      if (a.body) args.push('--reconsideration-body', a.body);
      if (a.court) args.push('--court', a.court);
      await ogi(args);
    }
    for (const u of this.users) await this.addUser(u);
    await this.spawn();
  }
}

const srv = new LetterServer({
  agencies: AGENCIES,
  users: [
    { name: 'reg', roles: ['registrar'] },
    { name: 'hdl', roles: ['handler'] },
    { name: 'apr', roles: ['approver'] },
    { name: 'off', roles: ['office'] },
    { name: 'adm', roles: ['admin'] },
    { name: 'breg', agency: 'B2', roles: ['registrar', 'handler', 'approver', 'office'] },
    { name: 'c3', agency: 'C3', roles: ['registrar', 'handler', 'approver'] },
  ],
});
before(async () => {
  await srv.ensureStarted();
});
after(async () => {
  await srv.stop();
});

const KINDS = { receipt: '收', correction_notice: '补', extension_notice: '延', consultation_letter: '征',
  third_party_notice: '告', fee_notice: '费', lapse_notice: '止', reply: '复', delivery_proof: '送' };

// The 文号 of a letter: {prefix}依申{kind}〔{year}〕{seq}号 → seq, or fails.
function seqOf(number, prefix, kind, year) {
  const re = new RegExp(`^${prefix}依申${KINDS[kind]}〔${year}〕([1-9]\\d*)号$`);
  const m = re.exec(number);
  assert.ok(m, `${kind} number ${JSON.stringify(number)} should match ${re}`);
  return Number(m[1]);
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

// The entries of a zip archive (central directory), inflated: {name: Buffer}.
function unzip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  assert.ok(eocd >= 0, 'zip: end of central directory not found');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = {};
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'zip: central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    assert.equal(buf.readUInt32LE(local), 0x04034b50, `zip: local header of ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + csize);
    out[name] = method === 0 ? Buffer.from(data) : inflateRawSync(data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

// The text of a DOCX's main part (tags removed, so runs split mid-number still read as one).
function docxText(buf) {
  assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK', 'a DOCX is a zip archive');
  const files = unzip(buf);
  assert.ok(files['word/document.xml'], `word/document.xml in ${Object.keys(files)}`);
  return files['word/document.xml'].toString('utf8').replace(/<[^>]*>/g, '');
}

async function register(user, body) {
  const r = await srv.api(user, 'POST', '/api/v1/cases', body);
  assert.equal(r.status, 201, `register: ${r.text}`);
  return r.body;
}

async function ev(user, id, event, on, fields = {}) {
  const r = await srv.api(user, 'POST', `/api/v1/cases/${id}/events`, { event, on, ...fields });
  assert.equal(r.status, 200, `${event} on ${on} by ${user}: ${r.status} ${r.text}`);
  return r.body;
}

async function letters(user, caseId) {
  const r = await srv.api(user, 'GET', `/api/v1/cases/${caseId}/letters`);
  assert.equal(r.status, 200, `letters of ${caseId}: ${r.text}`);
  assert.ok(Array.isArray(r.body), r.text);
  for (const l of r.body) {
    assert.equal(typeof l.id, 'number');
    assert.ok(l.kind in KINDS, `kind ${l.kind}`);
    assert.equal(typeof l.number, 'string');
    assert.match(l.issued_on, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(l.sha256, /^[0-9a-f]{64}$/);
    assert.equal(typeof l.title, 'string');
    assert.equal(typeof l.template, 'string');
    assert.equal(typeof l.template_version, 'number');
    assert.equal(typeof l.issued_by, 'string');
    assert.ok('supersedes' in l && 'superseded_by' in l, JSON.stringify(l));
  }
  return r.body;
}

async function meta(user, lid) {
  const r = await srv.api(user, 'GET', `/api/v1/letters/${lid}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

async function html(user, lid) {
  const r = await srv.api(user, 'GET', `/api/v1/letters/${lid}?format=html`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') || '', /text\/html/);
  return r.text;
}

async function docx(user, lid) {
  const r = await srv.api(user, 'GET', `/api/v1/letters/${lid}?format=docx`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') || '', /wordprocessingml/);
  assert.equal(r.buf.subarray(0, 2).toString('latin1'), 'PK');
  return r.buf;
}

// The one current letter of `kind` among `list` (fails if none or several).
function only(list, kind) {
  const xs = list.filter((l) => l.kind === kind && !l.superseded_by);
  assert.equal(xs.length, 1, `exactly one current ${kind}: ${JSON.stringify(list.map((l) => [l.kind, l.number]))}`);
  return xs[0];
}

const kinds = (list) => list.map((l) => l.kind);

// Registered, decided and (optionally) approved case; returns {c, letters}.
async function decided(user, received, decideOn, outcome, extra = {}) {
  const c = await register(user, registration({ received_on: received, ...extra }));
  await ev(user === 'c3' ? 'c3' : 'hdl', c.id, 'decide', decideOn, { outcome, reasons: '经审查作出决定' });
  return c;
}

let firstCase; // registered by test 1: its receipt is the first A1 receipt of 2024
let firstReceipt;
let walked; // the case of test 2 (delivered; reply, third_party_notice, delivery_proof issued)

test('register issues one receipt: 文号 seq 1, SHA-256 of the frozen DOCX, HTML names the applicant and case', async () => {
  const c = await register('reg', registration({ received_on: '2024-03-01', applicant: { name: '张回执' } }));
  firstCase = c;
  const list = await letters('reg', c.id);
  assert.deepEqual(kinds(list), ['receipt']);
  const l = list[0];
  firstReceipt = l;
  assert.equal(seqOf(l.number, '测试办', 'receipt', 2024), 1);
  assert.equal(l.number, '测试办依申收〔2024〕1号');
  assert.equal(l.issued_on, '2024-03-01', 'the letter is dated on the event date');
  assert.equal(l.issued_by, 'reg');
  assert.equal(l.template, 'receipt');
  assert.equal(l.supersedes, null);
  assert.equal(l.superseded_by, null);
  assert.equal(l.title, '申请接收回执');

  // GET /letters/{id} gives the same meta.
  assert.deepEqual(await meta('hdl', l.id), l);

  const bytes = await docx('reg', l.id);
  assert.equal(sha256(bytes), l.sha256, 'sha256 is the SHA-256 of the DOCX bytes');
  const text = docxText(bytes);
  assert.ok(text.includes(l.number), 'DOCX carries the 文号');
  assert.ok(text.includes('张回执'), 'DOCX carries the applicant name');

  const page = await html('reg', l.id);
  assert.ok(page.includes(l.number), 'HTML carries the 文号');
  assert.ok(page.includes('张回执'), 'HTML carries the applicant name');
  assert.ok(page.includes('2024年3月1日'), 'dates are written the Chinese way');
  assert.ok(page.includes('2024年3月29日'), 'the receipt gives the reply due date');
  // the print view's one script is the program's own (its 打印 button); none from the letter
  assert.deepEqual([...page.matchAll(/<script[^>]*>/gi)].map((m) => m[0]), ['<script src="/static/app.js" defer>'], 'a print page has no other scripts');
  assert.ok(page.includes('id="print"'), 'the 打印 button');

  // A second registration gets seq 2; downloading twice gives identical bytes.
  const c2 = await register('reg', registration({ received_on: '2024-03-02', applicant: { name: '李回执' } }));
  const l2 = only(await letters('reg', c2.id), 'receipt');
  assert.equal(l2.number, '测试办依申收〔2024〕2号');
  assert.notEqual(l2.sha256, l.sha256);
  assert.ok(!(await html('reg', l2.id)).includes('张回执'));
  assert.equal(sha256(await docx('reg', l.id)), l.sha256);

  // The receipt states the case number (申请编号为…), which is allocated in the same transaction.
  assert.ok(page.includes(`申请编号为${c.number}`), `receipt HTML carries the case number ${c.number}`);
  assert.ok(text.includes(c.number), `receipt DOCX carries the case number ${c.number}`);
});

test('walk: correction, consultation, extension, decision, reply preview, approval, delivery', async () => {
  let c = await register('reg', registration({ received_on: '2024-03-01', applicant: { name: '王流程' } }));
  const id = c.id;
  walked = c;
  const items = ['请提供身份证件复印件', '请明确所需信息的名称', '请写明信息的形成时间'];
  c = await ev('hdl', id, 'request_correction', '2024-03-04', { items, days: 15 });
  let list = await letters('hdl', id);
  assert.deepEqual(kinds(list), ['receipt', 'correction_notice']);
  const corr = only(list, 'correction_notice');
  seqOf(corr.number, '测试办', 'correction_notice', 2024);
  assert.equal(corr.issued_on, '2024-03-04');
  assert.equal(corr.issued_by, 'hdl');
  const corrPage = await html('hdl', corr.id);
  for (const it of items) assert.ok(corrPage.includes(it), `correction notice lists ${it}`);
  assert.ok(corrPage.includes(corr.number));
  assert.ok(corrPage.includes('王流程'));
  assert.ok(corrPage.includes(`申请编号：${c.number}`), 'the correction notice names the case number');
  // The period runs from service (domain.md §6), unknown when the notice is issued: no end date.
  assert.ok(corrPage.includes('自收到本告知书之日起15个工作日内'), 'the period, from service');
  assert.ok(!corrPage.includes('截至'), 'no end date before service is recorded');
  assert.equal(sha256(await docx('hdl', corr.id)), corr.sha256);

  // correction_received issues nothing
  await ev('reg', id, 'correction_received', '2024-03-11');
  assert.equal((await letters('hdl', id)).length, 2, 'correction_received issues no letter');

  c = await ev('hdl', id, 'consult', '2024-03-12', { party: 'third_party', name: '某某建设有限公司' });
  list = await letters('hdl', id);
  const cons = only(list, 'consultation_letter');
  seqOf(cons.number, '测试办', 'consultation_letter', 2024);
  assert.equal(cons.template, 'consultation_third_party');
  assert.equal(cons.issued_on, '2024-03-12');
  assert.ok((await html('hdl', cons.id)).includes('某某建设有限公司'), 'the consultation letter is addressed to the third party');

  await ev('hdl', id, 'consultation_replied', '2024-03-20', { consultation: c.consultations[0].id, opinion: 'object' });
  assert.equal((await letters('hdl', id)).length, 3, 'consultation_replied issues no letter');

  await ev('apr', id, 'extend', '2024-03-21', { reason: '需要征求意见、汇总材料' });
  list = await letters('hdl', id);
  const ext = only(list, 'extension_notice');
  seqOf(ext.number, '测试办', 'extension_notice', 2024);
  assert.equal(ext.issued_by, 'apr');
  const extPage = await html('apr', ext.id);
  assert.ok(extPage.includes('需要征求意见、汇总材料'), 'the extension notice gives the reason');
  assert.ok(extPage.includes('2024年4月17日'), 'the former due date');
  assert.ok(extPage.includes('2024年5月16日'), 'the extended due date (20 working days on)');

  // Not decided yet: no preview.
  assertError(await srv.api('hdl', 'GET', `/api/v1/cases/${id}/reply-preview`), 409, 'conflict');

  await ev('hdl', id, 'decide', '2024-03-26', { outcome: 'disclosed', reasons: '经审查，属于可以公开的政府信息' });
  const before = await letters('hdl', id);
  assert.equal(before.length, 4, 'decide issues no letter');
  const prev = await srv.api('apr', 'GET', `/api/v1/cases/${id}/reply-preview`);
  assert.equal(prev.status, 200, prev.text);
  assert.match(prev.headers.get('content-type') || '', /text\/html/);
  assert.ok(prev.text.includes('签发时编号'), 'the preview has no number yet');
  assert.ok(prev.text.includes('王流程'));
  assert.ok(prev.text.includes('经审查，属于可以公开的政府信息'), 'the preview carries the reasons');
  const prevDocx = await srv.api('apr', 'GET', `/api/v1/cases/${id}/reply-preview?format=docx`);
  assert.equal(prevDocx.status, 200, prevDocx.text);
  assert.ok(docxText(prevDocx.buf).includes('签发时编号'));
  assert.equal((await letters('hdl', id)).length, 4, 'a preview issues nothing');

  await ev('apr', id, 'approve', '2024-03-27');
  list = await letters('hdl', id);
  assert.deepEqual(kinds(list).slice(4).sort(), ['reply', 'third_party_notice'],
    'approve issues the reply and (objection + disclosed) the Art 32 notice');
  const reply = only(list, 'reply');
  assert.equal(seqOf(reply.number, '测试办', 'reply', 2024) >= 1, true);
  assert.equal(reply.template, 'reply_disclosed');
  assert.equal(reply.issued_on, '2024-03-27');
  assert.equal(reply.issued_by, 'apr');
  const replyPage = await html('hdl', reply.id);
  assert.ok(replyPage.includes(reply.number));
  assert.ok(!replyPage.includes('签发时编号'), 'the issued reply has its number');
  const tpn = only(list, 'third_party_notice');
  seqOf(tpn.number, '测试办', 'third_party_notice', 2024);
  assert.ok((await html('hdl', tpn.id)).includes('某某建设有限公司'), 'the notice is addressed to the objecting party');
  assertError(await srv.api('apr', 'GET', `/api/v1/cases/${id}/reply-preview`), 409, 'conflict');

  await ev('reg', id, 'deliver', '2024-03-28', { method: 'post', tracking: 'EMS1234567890' });
  list = await letters('hdl', id);
  const proof = only(list, 'delivery_proof');
  seqOf(proof.number, '测试办', 'delivery_proof', 2024);
  assert.equal(proof.issued_on, '2024-03-28');
  const proofPage = await html('reg', proof.id);
  assert.ok(proofPage.includes(reply.number), `the delivery proof names the reply ${reply.number}`);
  assert.ok(proofPage.includes('EMS1234567890'));
  assert.equal(list.length, 7);
  assert.equal(new Set(list.map((l) => l.number)).size, 7, 'every letter has its own number');
  assert.equal(new Set(list.map((l) => l.id)).size, 7);
  assertError(await srv.api('apr', 'GET', `/api/v1/cases/${id}/reply-preview`), 409, 'conflict');
  await ev('off', id, 'archive', '2024-04-01');
  assert.equal((await letters('off', id)).length, 7, 'archive issues no letter');
});

test('third party agreed: approve issues only the reply', async () => {
  let c = await register('reg', registration({ received_on: '2024-04-01', applicant: { name: '同意方' } }));
  c = await ev('hdl', c.id, 'consult', '2024-04-02', { party: 'third_party', name: '同意公司' });
  await ev('hdl', c.id, 'consultation_replied', '2024-04-03', { consultation: c.consultations[0].id, opinion: 'agree' });
  await ev('hdl', c.id, 'decide', '2024-04-08', { outcome: 'disclosed' });
  await ev('apr', c.id, 'approve', '2024-04-09');
  assert.deepEqual(kinds(await letters('hdl', c.id)), ['receipt', 'consultation_letter', 'reply']);
});

test('fee path: fee_notice letter with the amount; fee_lapsed → lapse_notice', async () => {
  const c = await register('reg', registration({ received_on: '2024-05-06', applicant: { name: '周费用' } }));
  await ev('apr', c.id, 'fee_notice', '2024-05-07', { method: 'per_page', pages: 150 });
  let list = await letters('hdl', c.id);
  const fee = only(list, 'fee_notice');
  seqOf(fee.number, '测试办', 'fee_notice', 2024);
  assert.equal(fee.issued_on, '2024-05-07');
  const page = await html('hdl', fee.id);
  assert.ok(page.includes('人民币1700元'), 'pages 31–100 at 10, 101–150 at 20: 1700 yuan');
  assert.ok(page.includes('150页'));
  assert.ok(!page.includes('截至'), 'the 20 days run from service: no end date on the notice');
  await ev('reg', c.id, 'serve_notice', '2024-05-08', { method: 'electronic' });
  assert.equal((await letters('hdl', c.id)).length, 2, 'recording service issues no letter');
  await ev('hdl', c.id, 'fee_lapsed', '2024-06-05');
  list = await letters('hdl', c.id);
  assert.deepEqual(kinds(list), ['receipt', 'fee_notice', 'lapse_notice']);
  const lapse = only(list, 'lapse_notice');
  assert.equal(lapse.template, 'lapse_fee');
  seqOf(lapse.number, '测试办', 'lapse_notice', 2024);
  assert.equal(lapse.issued_on, '2024-06-05');
  const lapsePage = await html('hdl', lapse.id);
  assert.ok(lapsePage.includes('2024年5月7日'), 'the lapse notice names the fee notice date');
  assert.ok(lapsePage.includes('已于2024年5月8日电子送达'), 'and its service');
  assert.ok(lapsePage.includes('缴费期限自送达之日起计算，截至2024年6月4日'), 'and the end of the period from service');
});

test('correction lapse → lapse_notice (lapse_correction); a too-early lapse (409) issues nothing', async () => {
  const c = await register('reg', registration({ received_on: '2024-04-01', applicant: { name: '孙补正' } }));
  await ev('hdl', c.id, 'request_correction', '2024-04-02', { items: ['请明确所需信息的名称'] });
  const unserved = await srv.api('hdl', 'POST', `/api/v1/cases/${c.id}/events`, { event: 'correction_lapsed', on: '2024-05-24' });
  assertError(unserved, 409, 'not_allowed');
  await ev('reg', c.id, 'serve_notice', '2024-04-02', { method: 'direct' });
  const early = await srv.api('hdl', 'POST', `/api/v1/cases/${c.id}/events`, { event: 'correction_lapsed', on: '2024-04-24' });
  assertError(early, 409, 'not_allowed');
  assert.deepEqual(kinds(await letters('hdl', c.id)), ['receipt', 'correction_notice']);
  await ev('hdl', c.id, 'correction_lapsed', '2024-04-25');
  const list = await letters('hdl', c.id);
  assert.deepEqual(kinds(list), ['receipt', 'correction_notice', 'lapse_notice']);
  const lapse = only(list, 'lapse_notice');
  assert.equal(lapse.template, 'lapse_correction');
  assert.equal(lapse.issued_on, '2024-04-25');
  const page = await html('hdl', lapse.id);
  assert.ok(page.includes('2024年4月2日'), 'names the correction notice date');
  assert.ok(page.includes('补正期限'));
});

test('remedy notice: reconsideration first for refusals dated 2024-01-01 or later; either/or before and for disclosures', async () => {
  const old = await decided('reg', '2023-12-01', '2023-12-28', 'withheld_process_info', { applicant: { name: '旧法' } });
  const neu = await decided('reg', '2023-12-20', '2023-12-28', 'withheld_process_info', { applicant: { name: '新法' } });
  const dis = await decided('reg', '2024-01-02', '2024-01-10', 'disclosed', { applicant: { name: '公开' } });
  const part = await decided('reg', '2024-01-02', '2024-01-10', 'partially_disclosed', { applicant: { name: '部分' } });
  await ev('apr', old.id, 'approve', '2023-12-29');
  await ev('apr', neu.id, 'approve', '2024-01-02');
  await ev('apr', dis.id, 'approve', '2024-01-11');
  await ev('apr', part.id, 'approve', '2024-01-11');

  const replyOf = async (c) => only(await letters('hdl', c.id), 'reply');
  const rOld = await replyOf(old);
  const rNew = await replyOf(neu);
  const rDis = await replyOf(dis);
  const rPart = await replyOf(part);
  assert.equal(rOld.issued_on, '2023-12-29');
  seqOf(rOld.number, '测试办', 'reply', 2023);
  seqOf(rNew.number, '测试办', 'reply', 2024);
  assert.equal(rOld.template, 'reply_withheld_process_info');

  const either = (page, who) => {
    assert.ok(page.includes('六十日'), `${who}: 60 days for reconsideration`);
    assert.ok(page.includes('六个月'), `${who}: 6 months for litigation`);
    assert.ok(page.includes('也可以'), `${who}: offered as alternatives`);
    assert.ok(!page.includes('第二十三条'), `${who}: no Art 23`);
    assert.ok(!page.includes('应当先'), `${who}: not reconsideration first`);
    assert.ok(page.includes('测试市人民政府'), `${who}: the agency's reconsideration body`);
    assert.ok(page.includes('测试市中级人民法院'), `${who}: the agency's court`);
  };
  const first = (page, who) => {
    assert.ok(page.includes('行政复议法》第二十三条'), `${who}: cites Art 23 of the 行政复议法`);
    assert.ok(page.includes('应当先'), `${who}: reconsideration comes first`);
    assert.ok(page.includes('测试市人民政府'), `${who}: the agency's reconsideration body`);
    assert.ok(!page.includes('六个月内向测试市中级人民法院'), `${who}: no direct litigation offered`);
    assert.ok(!page.includes('也可以自收到本答复之日起六个月'), `${who}: no either/or`);
  };
  either(await html('hdl', rOld.id), 'withheld, 2023-12-29');
  first(await html('hdl', rNew.id), 'withheld, 2024-01-02');
  either(await html('hdl', rDis.id), 'disclosed, 2024');
  first(await html('hdl', rPart.id), 'partially disclosed, 2024');
  // The DOCX says the same.
  assert.ok(docxText(await docx('hdl', rNew.id)).includes('应当先'));
  assert.ok(!docxText(await docx('hdl', rOld.id)).includes('应当先'));
});

test('numbering: parallel approvals get seq 1..N; a rejected event issues nothing and leaves no gap', async () => {
  const N = 12;
  const cases = await Promise.all(Array.from({ length: N }, (_, i) =>
    decided('c3', '2024-02-01', '2024-02-05', 'disclosed', { agency: 'C3', applicant: { name: `并发${i}` } })));
  const results = await Promise.all(cases.map((c) => srv.api('c3', 'POST', `/api/v1/cases/${c.id}/events`,
    { event: 'approve', on: '2024-02-06' })));
  for (const r of results) assert.equal(r.status, 200, r.text);
  const replies = [];
  for (const c of cases) replies.push(only(await letters('c3', c.id), 'reply'));
  const seqs = replies.map((l) => seqOf(l.number, '编办', 'reply', 2024)).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: N }, (_, i) => i + 1), `reply seqs: ${seqs}`);
  // receipts of C3 are 1..N too, separately from replies
  const receipts = [];
  for (const c of cases) receipts.push(only(await letters('c3', c.id), 'receipt'));
  assert.deepEqual(receipts.map((l) => seqOf(l.number, '编办', 'receipt', 2024)).sort((a, b) => a - b),
    Array.from({ length: N }, (_, i) => i + 1));

  // Approving twice: 409, no letter.
  const again = await srv.api('c3', 'POST', `/api/v1/cases/${cases[0].id}/events`, { event: 'approve', on: '2024-02-07' });
  assertError(again, 409, 'not_allowed');
  assert.deepEqual(kinds(await letters('c3', cases[0].id)), ['receipt', 'reply']);
  // Approving an undecided case: 409, no letter.
  const open = await register('c3', registration({ agency: 'C3', received_on: '2024-02-01', applicant: { name: '未决' } }));
  const early = await srv.api('c3', 'POST', `/api/v1/cases/${open.id}/events`, { event: 'approve', on: '2024-02-07' });
  assert.equal(early.status, 409, early.text);
  assert.deepEqual(kinds(await letters('c3', open.id)), ['receipt']);
  // A refused field (422) issues nothing either.
  const bad = await srv.api('c3', 'POST', `/api/v1/cases/${open.id}/events`, { event: 'extend', on: '2024-02-07', reason: '' });
  assert.ok(bad.status === 422 || bad.status === 400, `extend without a reason: ${bad.status} ${bad.text}`);
  assert.deepEqual(kinds(await letters('c3', open.id)), ['receipt']);

  // A stale If-Match (409 conflict) on an event that issues a letter: no letter, no number used.
  const cur = await srv.api('c3', 'GET', `/api/v1/cases/${open.id}`);
  const stale = await srv.request('POST', `/api/v1/cases/${open.id}/events`, { token: await srv.token('c3'),
    headers: { 'If-Match': String(cur.body.version + 7) },
    body: { event: 'consult', on: '2024-02-07', party: 'third_party', name: '丙公司' } });
  assertError(stale, 409, 'conflict');
  assert.deepEqual(kinds(await letters('c3', open.id)), ['receipt']);
  await ev('c3', open.id, 'consult', '2024-02-07', { party: 'agency', name: '市某局' });
  const cl = only(await letters('c3', open.id), 'consultation_letter');
  assert.equal(cl.number, '编办依申征〔2024〕1号', 'the refused consult used no number');
  assert.equal(cl.template, 'consultation_agency');
  assert.ok((await html('c3', cl.id)).includes('市某局'));
  await ev('c3', open.id, 'consultation_replied', '2024-02-08', {
    consultation: (await srv.api('c3', 'GET', `/api/v1/cases/${open.id}`)).body.consultations[0].id, opinion: 'none' });

  // The next reply continues without a gap.
  await ev('c3', open.id, 'decide', '2024-02-08', { outcome: 'disclosed' });
  assert.equal((await letters('c3', open.id)).length, 2);
  await ev('c3', open.id, 'approve', '2024-02-09');
  const next = only(await letters('c3', open.id), 'reply');
  assert.equal(next.number, `编办依申复〔2024〕${N + 1}号`);
  // Other kinds in the same agency and year start at 1.
  await ev('c3', open.id, 'deliver', '2024-02-10', { method: 'direct' });
  assert.equal(only(await letters('c3', open.id), 'delivery_proof').number, '编办依申送〔2024〕1号');
  // A new year starts again at 1.
  const y25 = await decided('c3', '2025-03-03', '2025-03-04', 'disclosed', { agency: 'C3', applicant: { name: '新年' } });
  await ev('c3', y25.id, 'approve', '2025-03-05');
  const l25 = await letters('c3', y25.id);
  assert.equal(only(l25, 'receipt').number, '编办依申收〔2025〕1号');
  assert.equal(only(l25, 'reply').number, '编办依申复〔2025〕1号');
});

test('templates: a saved version is used for new letters only; issued letters stay frozen; broken templates are refused', async () => {
  const oldBytes = await docx('reg', firstReceipt.id);
  const oldHtml = await html('reg', firstReceipt.id);
  assert.equal(sha256(oldBytes), firstReceipt.sha256);

  // Reading templates: admin and office; others 403.
  const list = await srv.api('adm', 'GET', '/api/v1/templates');
  assert.equal(list.status, 200, list.text);
  const names = list.body.map((t) => t.name);
  for (const n of ['receipt', 'reply_disclosed', 'delivery_proof', '_remedy']) assert.ok(names.includes(n), n);
  assert.equal(list.body.find((t) => t.name === 'receipt').version, 0, 'shipped templates are version 0');
  assertError(await srv.api('hdl', 'GET', '/api/v1/templates'), 403, 'forbidden');
  const cur = await srv.api('adm', 'GET', '/api/v1/templates/receipt');
  assert.equal(cur.status, 200, cur.text);
  assert.equal(typeof cur.body.body, 'string');
  assert.ok(cur.body.body.includes('{{letter.number}}'));
  assert.deepEqual(cur.body.versions, []);
  assertError(await srv.api('adm', 'GET', '/api/v1/templates/nosuch'), 404, 'not_found');

  const MARK = '本回执由测试模板第一版生成。';
  const changed = cur.body.body.replace('如需查询办理进度', `${MARK}\n如需查询办理进度`);
  assert.notEqual(changed, cur.body.body);

  // Preview renders the unsaved body; nothing is saved.
  const pv = await srv.api('adm', 'POST', '/api/v1/templates/receipt/preview', { body: changed });
  assert.equal(pv.status, 200, pv.text);
  assert.ok(pv.text.includes(MARK));
  assertError(await srv.api('hdl', 'POST', '/api/v1/templates/receipt/preview', { body: changed }), 403, 'forbidden');

  // Only an admin saves.
  assertError(await srv.api('off', 'PUT', '/api/v1/templates/receipt', { body: changed, note: 'x' }), 403, 'forbidden');
  assertError(await srv.api('apr', 'PUT', '/api/v1/templates/receipt', { body: changed, note: 'x' }), 403, 'forbidden');
  const put = await srv.api('adm', 'PUT', '/api/v1/templates/receipt', { body: changed, note: '增加说明' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.version, 1);
  assert.equal(put.body.name, 'receipt');

  const after1 = await srv.api('off', 'GET', '/api/v1/templates/receipt');
  assert.equal(after1.status, 200, after1.text);
  assert.equal(after1.body.version, 1);
  assert.equal(after1.body.body, changed);
  assert.equal(after1.body.versions.length, 1);
  assert.equal(after1.body.versions[0].version, 1);
  assert.equal(after1.body.versions[0].author, 'adm');
  assert.equal(after1.body.versions[0].note, '增加说明');
  const list2 = await srv.api('adm', 'GET', '/api/v1/templates');
  assert.equal(list2.body.find((t) => t.name === 'receipt').version, 1);

  // The issued receipt is frozen.
  const again = (await letters('reg', firstCase.id))[0];
  assert.equal(again.sha256, firstReceipt.sha256);
  assert.equal(again.template_version, firstReceipt.template_version);
  assert.ok(Buffer.compare(await docx('reg', firstReceipt.id), oldBytes) === 0, 'DOCX bytes unchanged');
  assert.equal(await html('reg', firstReceipt.id), oldHtml, 'HTML unchanged');
  assert.ok(!oldHtml.includes(MARK));

  // A new registration uses version 1.
  const c = await register('reg', registration({ received_on: '2024-06-03', applicant: { name: '新模板' } }));
  const rec = only(await letters('reg', c.id), 'receipt');
  assert.equal(rec.template, 'receipt');
  assert.equal(rec.template_version, 1);
  const page = await html('reg', rec.id);
  assert.ok(page.includes(MARK), 'the new receipt uses the saved version');
  assert.ok(page.includes('新模板'));
  assert.ok(docxText(await docx('reg', rec.id)).includes(MARK));

  // Broken templates: 422 naming the line; nothing saved.
  const lines = changed.split('\n');
  const unknownField = [...lines.slice(0, 2), `{{case.nosuch}}${lines[2]}`, ...lines.slice(3)].join('\n');
  let r = await srv.api('adm', 'PUT', '/api/v1/templates/receipt', { body: unknownField, note: 'broken' });
  assertError(r, 422, 'invalid', '第3行');
  assert.ok(r.body.error.message.includes('case.nosuch'), r.body.error.message);

  const unclosed = [...lines.slice(0, 4), '{{#applicant.is_org}}单位', ...lines.slice(4)].join('\n');
  r = await srv.api('adm', 'PUT', '/api/v1/templates/receipt', { body: unclosed, note: 'broken' });
  assertError(r, 422, 'invalid', '第5行');

  const openTag = ['# 标题', '= {{letter.number}}', '< {{applicant.name}}：', '正文', '{{case.number', '尾'].join('\n');
  r = await srv.api('adm', 'PUT', '/api/v1/templates/receipt', { body: openTag });
  assertError(r, 422, 'invalid', '第5行');

  // A field of another kind is unknown here (fee.amount is for fee notices).
  r = await srv.api('adm', 'PUT', '/api/v1/templates/receipt', { body: '# 回执\n\n\n\n\n\n人民币{{fee.amount}}元' });
  assertError(r, 422, 'invalid', '第7行');

  r = await srv.api('adm', 'POST', '/api/v1/templates/receipt/preview', { body: unknownField });
  assertError(r, 422, 'invalid', '第3行');

  const after2 = await srv.api('adm', 'GET', '/api/v1/templates/receipt');
  assert.equal(after2.body.version, 1, 'a refused template changes nothing');
  assert.equal(after2.body.body, changed);
  assert.deepEqual(after2.body.versions.map((v) => v.version), [1]);
  const c2 = await register('reg', registration({ received_on: '2024-06-04', applicant: { name: '仍是第一版' } }));
  const rec2 = only(await letters('reg', c2.id), 'receipt');
  assert.equal(rec2.template_version, 1);
  assert.ok((await html('reg', rec2.id)).includes(MARK));
});

test('reissue: approver corrects the reply with a reason; old one marked replaced; rules', async () => {
  const list = await letters('apr', walked.id);
  const old = only(list, 'reply');
  const oldBytes = await docx('apr', old.id);

  assertError(await srv.api('hdl', 'POST', `/api/v1/letters/${old.id}/reissue`, { reason: '更正错字' }), 403, 'forbidden');
  assertError(await srv.api('breg', 'POST', `/api/v1/letters/${old.id}/reissue`, { reason: '更正错字' }), 403, 'forbidden');
  assertError(await srv.api('apr', 'POST', `/api/v1/letters/${old.id}/reissue`, { reason: '' }), 422, 'invalid', 'reason');
  assertError(await srv.api('apr', 'POST', `/api/v1/letters/${old.id}/reissue`, { reason: '   ' }), 422, 'invalid', 'reason');
  assertError(await srv.api('apr', 'POST', `/api/v1/letters/${old.id}/reissue`, {}), 422, 'invalid', 'reason');
  assert.equal((await letters('apr', walked.id)).length, list.length, 'refused reissues change nothing');

  const r = await srv.api('apr', 'POST', `/api/v1/letters/${old.id}/reissue`, { reason: '更正答复书中的错字' });
  assert.equal(r.status, 201, r.text);
  const neu = r.body;
  assert.notEqual(neu.id, old.id);
  assert.equal(neu.kind, 'reply');
  assert.notEqual(neu.number, old.number);
  assert.equal(neu.supersedes, old.id);
  assert.equal(neu.superseded_by, null);
  assert.equal(neu.reason, '更正答复书中的错字');
  assert.equal(neu.issued_by, 'apr');
  assert.equal(neu.template, old.template);
  // dated today (OGI_TODAY), numbered in today's year
  assert.equal(neu.issued_on, TODAY);
  seqOf(neu.number, '测试办', 'reply', Number(TODAY.slice(0, 4)));
  assert.match(neu.sha256, /^[0-9a-f]{64}$/);
  assert.equal(sha256(await docx('apr', neu.id)), neu.sha256);
  assert.ok((await html('apr', neu.id)).includes(neu.number));

  const oldNow = await meta('apr', old.id);
  assert.equal(oldNow.superseded_by, neu.id);
  assert.equal(oldNow.sha256, old.sha256, 'the old letter stays as it was');
  assert.ok(Buffer.compare(await docx('apr', old.id), oldBytes) === 0);

  const after = await letters('apr', walked.id);
  assert.equal(after.length, list.length + 1);
  assert.equal(only(after, 'reply').id, neu.id, 'the new letter is the current reply');

  assertError(await srv.api('apr', 'POST', `/api/v1/letters/${old.id}/reissue`, { reason: '再次更正' }), 409, 'conflict');
  assertError(await srv.api('apr', 'POST', `/api/v1/letters/${neu.id}/reissue`, { reason: '' }), 422, 'invalid');
  assertError(await srv.api('hdl', 'POST', `/api/v1/letters/${neu.id}/reissue`, { reason: '更正' }), 403, 'forbidden');
  assert.equal((await letters('apr', walked.id)).length, list.length + 1);

  // Office may correct too; the chain continues.
  const r2 = await srv.api('off', 'POST', `/api/v1/letters/${neu.id}/reissue`, { reason: '再次更正' });
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.body.supersedes, neu.id);
  assert.notEqual(r2.body.number, neu.number);
  assert.equal((await meta('off', neu.id)).superseded_by, r2.body.id);
  assertError(await srv.api('apr', 'POST', '/api/v1/letters/999999/reissue', { reason: 'x' }), 403, 'forbidden');

  // Six concurrent corrections of the same letter: exactly one wins, the others 409; one new number.
  const rec = only(after, 'receipt');
  const rs = await Promise.all(Array.from({ length: 6 }, (_, i) =>
    srv.api(i % 2 ? 'apr' : 'off', 'POST', `/api/v1/letters/${rec.id}/reissue`, { reason: `并发更正${i}` })));
  assert.deepEqual(rs.map((x) => x.status).sort(), [201, 409, 409, 409, 409, 409], rs.map((x) => x.text).join('\n'));
  const won = rs.find((x) => x.status === 201).body;
  const final = await letters('apr', walked.id);
  assert.equal(final.filter((l) => l.kind === 'receipt').length, 2);
  assert.equal((await meta('apr', rec.id)).superseded_by, won.id);
  assert.equal(new Set(final.map((l) => l.number)).size, final.length, 'no number used twice');
});

test('reissue keeps the addressee: each objecting third party keeps its own notice; delivery names the current reply', async () => {
  let c = await register('reg', registration({ received_on: '2024-07-01', applicant: { name: '两方' } }));
  c = await ev('hdl', c.id, 'consult', '2024-07-02', { party: 'third_party', name: '甲置业有限公司' });
  c = await ev('hdl', c.id, 'consult', '2024-07-02', { party: 'third_party', name: '乙建设有限公司' });
  for (const k of c.consultations)
    await ev('hdl', c.id, 'consultation_replied', '2024-07-05', { consultation: k.id, opinion: 'object' });
  await ev('hdl', c.id, 'decide', '2024-07-08', { outcome: 'disclosed' });
  await ev('apr', c.id, 'approve', '2024-07-09');
  let list = await letters('hdl', c.id);
  const notices = list.filter((l) => l.kind === 'third_party_notice');
  assert.equal(notices.length, 2, 'one Art 32 notice per objecting third party');
  const addressee = (page) => {
    const m = /class="left">([^<]*)</.exec(page);
    assert.ok(m, 'the letter has an addressee line');
    return m[1];
  };
  const to = [];
  for (const n of notices) to.push(addressee(await html('hdl', n.id)));
  assert.deepEqual([...to].sort(), ['乙建设有限公司：', '甲置业有限公司：'].sort());

  // The reply corrected before delivery: the delivery proof names the current reply.
  const reply = only(list, 'reply');
  const r = await srv.api('apr', 'POST', `/api/v1/letters/${reply.id}/reissue`, { reason: '更正错字' });
  assert.equal(r.status, 201, r.text);
  await ev('reg', c.id, 'deliver', '2024-07-10', { method: 'electronic' });
  list = await letters('hdl', c.id);
  const page = await html('hdl', only(list, 'delivery_proof').id);
  assert.ok(page.includes(r.body.number), `delivery proof names the current reply ${r.body.number}`);
  assert.ok(!page.includes(reply.number), `delivery proof does not name the replaced ${reply.number}`);

  // Each corrected Art 32 notice goes to the same third party as the notice it replaces.
  for (const [i, n] of notices.entries()) {
    const x = await srv.api('apr', 'POST', `/api/v1/letters/${n.id}/reissue`, { reason: '更正日期' });
    assert.equal(x.status, 201, x.text);
    assert.equal(x.body.kind, 'third_party_notice');
    assert.equal(addressee(await html('hdl', x.body.id)), to[i],
      `the corrected notice of ${to[i]} is addressed to the same third party`);
  }
});

test('print all: current letters as one DOCX, replaced letters left out', async () => {
  const list = await letters('hdl', walked.id);
  const r = await srv.api('hdl', 'GET', `/api/v1/cases/${walked.id}/letters.docx`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') || '', /application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document/);
  assert.match(r.headers.get('content-disposition') || '', /attachment/);
  assert.equal(r.buf.subarray(0, 2).toString('latin1'), 'PK');
  const text = docxText(r.buf);
  const current = list.filter((l) => !l.superseded_by);
  const replaced = list.filter((l) => l.superseded_by);
  assert.ok(replaced.length >= 1, 'the reissue test left a replaced reply');
  for (const l of current) assert.ok(text.includes(l.number), `print-all contains ${l.kind} ${l.number}`);
  // A replaced letter's number appears only where a current letter quotes it (the delivery proof names
  // the reply it delivered), never as a letter of its own.
  const count = (s, sub) => s.split(sub).length - 1;
  const currentTexts = [];
  for (const l of current) currentTexts.push(docxText(await docx('hdl', l.id)));
  for (const l of replaced)
    assert.equal(count(text, l.number), currentTexts.reduce((n, t) => n + count(t, l.number), 0),
      `print-all leaves out the replaced ${l.number}`);
  assert.ok(replaced.some((l) => count(text, l.number) === 0), 'a replaced reply that nothing quotes is absent');
  // Office and approver may print too.
  assert.equal((await srv.api('off', 'GET', `/api/v1/cases/${walked.id}/letters.docx`)).status, 200);
});

test('access: other agency 403, admin-only 403, no token 401, bad format 422, an unknown letter as a foreign one', async () => {
  const list = await letters('hdl', walked.id);
  const l = list[0];
  const cid = walked.id;
  for (const p of [`/api/v1/cases/${cid}/letters`, `/api/v1/letters/${l.id}`, `/api/v1/letters/${l.id}?format=docx`,
    `/api/v1/letters/${l.id}?format=html`, `/api/v1/cases/${cid}/letters.docx`, `/api/v1/cases/${cid}/reply-preview`]) {
    const r = await srv.api('breg', 'GET', p);
    assertError(r, 403, 'forbidden');
    assert.ok(!r.text.includes('王流程'), `no content leaks on ${p}`);
  }
  for (const p of [`/api/v1/cases/${cid}/letters`, `/api/v1/letters/${l.id}`, `/api/v1/letters/${l.id}?format=docx`,
    `/api/v1/cases/${cid}/letters.docx`])
    assertError(await srv.api('adm', 'GET', p), 403, 'forbidden');
  for (const [m, p] of [['GET', `/api/v1/cases/${cid}/letters`], ['GET', `/api/v1/letters/${l.id}?format=docx`],
    ['GET', `/api/v1/cases/${cid}/letters.docx`], ['GET', '/api/v1/templates'], ['POST', `/api/v1/letters/${l.id}/reissue`]]) {
    const r = await srv.request(m, p, m === 'POST' ? { body: { reason: 'x' } } : {});
    assertError(r, 401, 'unauthenticated');
  }
  const bad = await srv.request('GET', `/api/v1/letters/${l.id}?format=docx`, { token: 'f'.repeat(64) });
  assertError(bad, 401, 'unauthenticated');

  assertError(await srv.api('hdl', 'GET', `/api/v1/letters/${l.id}?format=pdf`), 422, 'invalid', 'format');
  assertError(await srv.api('hdl', 'GET', '/api/v1/letters/abc'), 404, 'not_found');
  // an unknown letter or case answers as one of another agency does: nothing tells them apart
  const foreignLetter = await srv.api('breg', 'GET', `/api/v1/letters/${l.id}`);
  for (const p of ['/api/v1/letters/999999', '/api/v1/letters/999999?format=docx']) {
    const r = await srv.api('breg', 'GET', p);
    assertError(r, 403, 'forbidden');
    assert.equal(r.text, foreignLetter.text, p);
  }
  const foreignCase = await srv.api('breg', 'GET', `/api/v1/cases/${cid}/letters`);
  for (const p of ['/api/v1/cases/999999/letters', '/api/v1/cases/999999/letters.docx']) {
    const r = await srv.api('breg', 'GET', p);
    assertError(r, 403, 'forbidden');
    assert.equal(r.text, foreignCase.text, p);
  }
  // B2 reads its own letters.
  const b = await register('breg', registration({ agency: 'B2', received_on: '2024-03-01', applicant: { name: '另机关' } }));
  const bl = only(await letters('breg', b.id), 'receipt');
  assert.equal(bl.number, '另办依申收〔2024〕1号', 'each agency numbers its own letters');
  assertError(await srv.api('hdl', 'GET', `/api/v1/letters/${bl.id}?format=html`), 403, 'forbidden');
});

test('values are escaped: HTML has no markup from case data, DOCX XML stays well-formed', async () => {
  const c = await register('reg', registration({ received_on: '2024-08-01',
    applicant: { name: '<script>alert(1)</script>' }, content: 'A & B <b>粗</b> "引号"' }));
  const l = only(await letters('reg', c.id), 'receipt');
  const page = await html('reg', l.id);
  assert.doesNotMatch(page, /<script>alert/i);
  assert.equal([...page.matchAll(/<script/gi)].length, 1, 'only the print button\'s own script');
  assert.doesNotMatch(page, /<b>粗/);
  assert.ok(page.includes('&amp;') && page.includes('&lt;b&gt;'), 'escaped as entities');
  const xml = unzip(await docx('reg', l.id))['word/document.xml'].toString('utf8');
  assert.ok(!xml.includes('<b>粗'), 'no raw markup in document.xml');
  assert.ok(xml.includes('A &amp; B'), 'ampersand escaped in document.xml');
});

test('a changed partial (_remedy) reaches replies issued later only', async () => {
  const before = await decided('reg', '2024-08-01', '2024-08-05', 'withheld_internal_affairs', { applicant: { name: '部分前' } });
  await ev('apr', before.id, 'approve', '2024-08-06');
  const oldReply = only(await letters('hdl', before.id), 'reply');
  const cur = await srv.api('adm', 'GET', '/api/v1/templates/_remedy');
  assert.equal(cur.status, 200, cur.text);
  const MARK = '（救济途径告知第一版）';
  const put = await srv.api('adm', 'PUT', '/api/v1/templates/_remedy', { body: `${cur.body.body}${MARK}`, note: '标记' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.version, 1);
  const after = await decided('reg', '2024-08-01', '2024-08-05', 'withheld_internal_affairs', { applicant: { name: '部分后' } });
  await ev('apr', after.id, 'approve', '2024-08-06');
  const newReply = only(await letters('hdl', after.id), 'reply');
  const page = await html('hdl', newReply.id);
  assert.ok(page.includes(MARK), 'the new reply uses the saved partial');
  assert.ok(page.includes('应当先'), 'and still the reconsideration-first text');
  assert.ok(!(await html('hdl', oldReply.id)).includes(MARK), 'the earlier reply is frozen');
  assert.equal(sha256(await docx('hdl', oldReply.id)), oldReply.sha256);
});

test('saved templates survive a restart', async () => {
  const name = 'restart';
  const before = await srv.api('adm', 'GET', '/api/v1/templates/receipt');
  assert.equal(before.body.version, 1);
  srv.child.kill('SIGTERM');
  await srv.exited;
  srv.tokens.clear();
  await srv.spawn();
  const again = await srv.api('adm', 'GET', '/api/v1/templates/receipt');
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.version, 1);
  assert.equal(again.body.body, before.body.body);
  const c = await register('reg', registration({ received_on: '2024-09-02', applicant: { name } }));
  const rec = only(await letters('reg', c.id), 'receipt');
  assert.equal(rec.template_version, 1);
  assert.ok((await html('reg', rec.id)).includes('本回执由测试模板第一版生成。'));
  // Issued letters are still there, unchanged.
  assert.equal(sha256(await docx('reg', firstReceipt.id)), firstReceipt.sha256);
});

test('PUT template: a body that is not a string is refused and nothing is saved', async () => {
  const before = await srv.api('adm', 'GET', '/api/v1/templates/receipt');
  const r = await srv.api('adm', 'PUT', '/api/v1/templates/receipt', { body: 5, note: '数字' });
  assert.ok(r.status === 400 || r.status === 422, `body 5: expected 400/422, got ${r.status} ${r.text}`);
  const after = await srv.api('adm', 'GET', '/api/v1/templates/receipt');
  assert.equal(after.body.version, before.body.version, 'no version saved');
  assert.equal(after.body.body, before.body.body);
});

test('earlier template versions stay readable: ?version=N, 0 = the shipped file; bad versions refused', async () => {
  const cur = await srv.api('adm', 'GET', '/api/v1/templates/receipt');
  assert.equal(cur.status, 200, cur.text);
  assert.ok(cur.body.versions.length >= 1, 'a version was saved by an earlier test');
  const shipped = await srv.api('adm', 'GET', '/api/v1/templates/receipt?version=0');
  assert.equal(shipped.status, 200, shipped.text);
  assert.equal(shipped.body.version, 0);
  const fs = await import('node:fs');
  const file = fs.readFileSync(`${process.env.OGI_SOURCE_DIR}/templates/letters/receipt.mustache`, 'utf8');
  assert.equal(shipped.body.body, file, 'version 0 is the shipped file, not the current text');
  assert.notEqual(shipped.body.body, cur.body.body);
  const v1 = await srv.api('adm', 'GET', '/api/v1/templates/receipt?version=1');
  assert.equal(v1.status, 200, v1.text);
  assert.equal(v1.body.version, 1);
  assert.ok(v1.body.body.includes('本回执由测试模板第一版生成。'));
  assertError(await srv.api('adm', 'GET', '/api/v1/templates/receipt?version=99'), 404, 'not_found');
  assertError(await srv.api('adm', 'GET', '/api/v1/templates/receipt?version=x'), 422, 'invalid');
  // restoring = saving the old text as a new version
  const restored = await srv.api('adm', 'PUT', '/api/v1/templates/receipt', { body: shipped.body.body, note: '恢复发布版本' });
  assert.equal(restored.status, 200, restored.text);
  const now = await srv.api('adm', 'GET', '/api/v1/templates/receipt');
  assert.equal(now.body.body, file);
  assert.equal(now.body.version, restored.body.version);
});

test('letters read well when the applicant left form and delivery open (Art 29 gaps are not refusals)', async () => {
  const body = registration({ received_on: '2024-05-06' });
  delete body.form;
  delete body.delivery;
  const c = await register('reg', body);
  const receipt = only(await letters('reg', c.id), 'receipt');
  const page = await html('reg', receipt.id);
  assert.ok(!page.includes('形式：；') && !page.includes('方式：。'), 'no empty "形式：" / "方式：" in the receipt');
  assert.ok(page.includes('申请公开2024年某项目的批复文件'), 'the content is still stated');
  await ev('hdl', c.id, 'decide', '2024-05-10', { outcome: 'disclosed' });
  await ev('apr', c.id, 'approve', '2024-05-11');
  const reply = only(await letters('apr', c.id), 'reply');
  const text = await html('apr', reply.id);
  assert.ok(!text.includes('以形式') && !text.includes('通过方式'), 'no empty form/way in the reply');
  assert.ok(text.includes('提供上述政府信息'));
});
