// End-to-end: the letters (文书) of a case and their templates, in headless Debian Chromium
// (docs/letters.md, docs/api.md "Letters" and "Letter templates"):
//   a. a handler's events issue numbered letters; an approver previews the reply before signing
//      (no number yet), signs it, prints the frozen HTML and downloads the DOCX and "print all";
//   b. the approver corrects (更正) the reply: a new version with a new number, the old one marked;
//   c. an administrator edits the receipt template: a broken template is refused naming the line,
//      a valid one is previewed and saved, and applies to later letters only (issued ones frozen);
//   d. an administrator without a case role gets no letters (403).
//
//   cd tests/e2e && node --test letters.test.mjs
//
// Same harness as flow.test.mjs (harness.mjs); screenshots: tests/artifacts/e2e/letters-NN-name.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { h, start, stop, actor, look, submit, act, stateOf, step, assertNoProblems, openTab, download } from './harness.mjs';

const AGENCY = { code: 'A1', name: '示例市人民政府办公室', pattern: '示府办依申〔{year}〕第{seq}号', letterPrefix: '示府办' };
const USERS = {
  registrar: { name: 'dengji', password: 'registrar-pass-1' },
  handler: { name: 'chengban', password: 'handler-pass-1' },
  approver: { name: 'qianfa', password: 'approver-pass-1' },
  admin: { name: 'guanli', password: 'admin-pass-1' },
};
const FIRST = { name: '王晓明', id: '11010519491231002X', content: '2023年度本市老旧小区改造项目的资金安排及实施方案' };
const SECOND = { name: '李红梅', id: '330106198504120038', content: '本区2024年道路养护工程的招标文件及中标结果' };
const CASE_RE = /示府办依申〔\d{4}〕第\d+号/;
const letterRe = (abbr) => new RegExp(`^示府办依申${abbr}〔\\d{4}〕\\d+号$`);
const REASONS = '所申请信息属于可以公开的政府信息，现予提供。';
const CORRECTION_ITEMS = ['申请人联系地址', '所需信息的具体年度范围'];
const REISSUE_REASON = '答复书中获取方式表述有误';
const ADDED = '请妥善保管本回执，查询办理进度时请出示。';
const NOTE = '增加保管回执的提示';

before(() => start({ agency: AGENCY, users: USERS, shotPrefix: 'letters-' }));
after(stop);

const actors = {};
const first = {}, second = {};  // { id, number }
const reply = {};  // { id, number } of the signed reply, then of its corrected version

// Register an application through the form; the case page it lands on.
async function register(page, who) {
  await page.goto(`${h.base}/cases/new`);
  await page.selectOption('select[name=channel]', 'in_person');
  await page.fill('input[name=name]', who.name);
  await page.fill('input[name=id_number]', who.id);
  await page.fill('textarea[name=content]', who.content);
  await page.selectOption('select[name=form]', 'paper');
  await page.selectOption('select[name=delivery]', 'post');
  await submit(page, page.locator('#save'));
  if (await page.locator('#duplicates').isVisible()) await submit(page, page.locator('#save'));
  const url = new URL(page.url());
  assert.match(url.pathname, /^\/cases\/\d+$/, `registration should land on the case page, got ${page.url()}`);
  const number = (await page.locator('h1').innerText()).match(CASE_RE)?.[0];
  assert.ok(number, 'the case page shows the case number');
  return { id: url.pathname.split('/').pop(), number };
}

// The rows of the letters table: [{ kind, title, number, superseded, text, html, docx }].
async function letterRows(page) {
  return page.locator('#letters tr.letter').evaluateAll((trs) => trs.map((tr) => ({
    kind: tr.dataset.kind,
    title: tr.cells[0].innerText.trim(),
    number: tr.cells[1].innerText.trim(),
    superseded: tr.classList.contains('superseded'),
    text: tr.innerText,
    html: tr.querySelector('a[href$="format=html"]')?.getAttribute('href'),
    docx: tr.querySelector('a[href$="format=docx"]')?.getAttribute('href'),
  })));
}

function letterRow(page, number) {
  return page.locator('#letters tr.letter').filter({ has: page.locator(`td:text-is("${number}")`) });
}

const idOfLetter = (href) => href.match(/^\/api\/v1\/letters\/(\d+)\?format=html$/)?.[1];

// The text of a letter's print page, with its 文号 (the first centred line) and addressee.
async function letterText(tab) {
  return {
    title: (await tab.locator('h1.title').innerText()).trim(),
    number: (await tab.locator('p.centre').first().innerText()).trim(),
    addressee: (await tab.locator('p.left').first().innerText()).trim(),
    body: await tab.locator('body').innerText(),
  };
}

function assertDocx(file, what) {
  assert.ok(file.bytes.length > 1000, `${what}: a DOCX of some size, got ${file.bytes.length} bytes`);
  assert.equal(file.bytes.subarray(0, 2).toString('latin1'), 'PK', `${what}: a DOCX is a zip file starting with "PK"`);
  assert.match(file.name, /\.docx$/, `${what}: file name ${file.name}`);
}

// ---------------------------------------------------------------------------------------------

step('a. events issue numbered letters; the approver previews, signs, prints and downloads the reply', async () => {
  const { page: reg } = (actors.registrar = await actor('registrar'));
  Object.assign(first, await register(reg, FIRST));
  const [receipt] = await letterRows(reg);
  assert.equal(receipt?.kind, 'receipt', 'registration issues the receipt');
  assert.match(receipt.number, letterRe('收'));

  const { page } = (actors.handler = await actor('handler'));
  await page.goto(`${h.base}/cases/${first.id}`);
  await act(page, 'request_correction', async (f) => {
    await f.locator('textarea[name=items]').fill(CORRECTION_ITEMS.join('\n'));
  }, { shot: false });
  assert.equal(await stateOf(page), '待申请人补正');
  let rows = await letterRows(page);
  const notice = rows.find((r) => r.kind === 'correction_notice');
  assert.ok(notice, `request_correction issues a correction notice; rows: ${JSON.stringify(rows)}`);
  assert.match(notice.number, letterRe('补'));
  // its print page lists the items asked for, numbered
  const noticeTab = await openTab(page, letterRow(page, notice.number).locator('a:text-is("打印")'));
  const noticeText = await letterText(noticeTab);
  assert.equal(noticeText.number, notice.number);
  for (const item of CORRECTION_ITEMS) assert.ok(noticeText.body.includes(item), `the correction notice lists "${item}"`);
  await noticeTab.close();

  await act(page, 'correction_received', undefined, { shot: false });
  assert.equal(await stateOf(page), '办理中');
  assert.equal(await page.locator('#preview-reply').count(), 0, 'no reply preview before a decision');
  await act(page, 'decide', async (f) => {
    await f.locator('select[name=outcome]').selectOption('disclosed');
    await f.locator('textarea[name=reasons]').fill(REASONS);
    await f.locator('input[name=provision]').fill('随本答复书邮寄提供');
    await f.locator('textarea[name=documents]').fill('某项目批复.pdf');
  }, { shot: false });
  assert.equal(await stateOf(page), '待签发');
  rows = await letterRows(page);
  assert.ok(!rows.some((r) => r.kind === 'reply'), 'deciding issues no reply yet');

  // The approver previews the reply as signing would issue it: no number yet.
  const { page: ap } = (actors.approver = await actor('approver'));
  await ap.goto(`${h.base}/cases/${first.id}`);
  const previewLink = ap.locator('#preview-reply');
  assert.ok(await previewLink.isVisible(), 'the approver is offered the reply preview on a decided case');
  const preview = await openTab(ap, previewLink);
  assert.equal(new URL(preview.url()).pathname, `/api/v1/cases/${first.id}/reply-preview`);
  const pv = await letterText(preview);
  assert.equal(pv.title, '政府信息公开申请答复书');
  assert.match(pv.number, /签发时编号/, 'the preview has no number yet');
  assert.equal(pv.addressee, `${FIRST.name}：`);
  assert.ok(pv.body.includes('第三十六条第二项'), 'the preview cites the legal basis of 予以公开');
  assert.ok(pv.body.includes(REASONS), "the preview carries the handler's reasons");
  assert.ok(pv.body.includes(FIRST.content), 'the preview quotes the content requested');
  await look(preview, 'reply-preview');
  await preview.close();

  await act(ap, 'approve', undefined, { shot: false });
  assert.equal(await stateOf(ap), '已签发待送达');
  assert.equal(await ap.locator('#preview-reply').count(), 0, 'no preview once signed');
  rows = await letterRows(ap);
  const replies = rows.filter((r) => r.kind === 'reply');
  assert.equal(replies.length, 1, `signing issues one reply; rows: ${JSON.stringify(rows)}`);
  assert.equal(replies[0].title, '政府信息公开申请答复书');
  // the preview used no number: the first reply of the year is number 1
  assert.match(replies[0].number, letterRe('复'));
  assert.match(replies[0].number, /〔\d{4}〕1号$/, 'previewing must not use up a number');
  Object.assign(reply, { id: idOfLetter(replies[0].html), number: replies[0].number });
  assert.ok(reply.id, `the 打印 link points at the letter's print page: ${replies[0].html}`);
  const numbers = rows.map((r) => r.number);
  assert.equal(new Set(numbers).size, numbers.length, `every letter has its own number: ${numbers}`);
  await ap.locator('#letters').scrollIntoViewIfNeeded();
  await look(ap, 'case-letters');

  const printed = await openTab(ap, letterRow(ap, reply.number).locator('a:text-is("打印")'));
  assert.equal(new URL(printed.url()).pathname, `/api/v1/letters/${reply.id}`);
  const pt = await letterText(printed);
  assert.equal(pt.title, '政府信息公开申请答复书');
  assert.equal(pt.number, reply.number, 'the printed reply shows its number');
  assert.ok(pt.body.includes('第三十六条第二项'));
  assert.ok(pt.body.includes('以纸质形式、通过邮寄方式'), 'the reply states the form and delivery asked for');
  assert.ok(pt.body.includes(AGENCY.name), 'the reply is signed by the agency');
  await look(printed, 'reply-printed');
  await printed.close();

  assertDocx(await download(ap, letterRow(ap, reply.number).locator('a:text-is("DOCX")')), 'reply DOCX');
  assertDocx(await download(ap, ap.locator('#print-all')), 'all letters DOCX');
  assert.equal(new URL(ap.url()).pathname, `/cases/${first.id}`, 'downloading leaves the case page in place');
});

step('b. the approver corrects the reply: a new number, the old one marked as replaced', async () => {
  const { page: hd } = actors.handler;
  await hd.goto(`${h.base}/cases/${first.id}`);
  assert.ok(await letterRow(hd, reply.number).isVisible());
  assert.equal(await hd.locator('#letters details.reissue').count(), 0, 'a handler may not correct letters');

  const { page } = actors.approver;
  const row = letterRow(page, reply.number);
  await row.locator('details.reissue summary').click();
  await row.locator('input[name=reason]').fill(REISSUE_REASON);
  await submit(page, row.locator('details.reissue button[type=submit]'));
  const url = new URL(page.url());
  assert.equal(url.pathname, `/cases/${first.id}`);
  assert.equal(url.searchParams.get('error'), null, `the correction was refused: ${url.searchParams.get('error')}`);

  const rows = await letterRows(page);
  const old = rows.find((r) => r.number === reply.number);
  assert.ok(old, 'the replaced reply stays in the table');
  assert.ok(old.superseded, 'the replaced reply is marked superseded');
  assert.match(old.text, /已更正/);
  assert.equal(await letterRow(page, reply.number).locator('details.reissue').count(), 0,
    'a replaced letter cannot be corrected again');
  const current = rows.filter((r) => r.kind === 'reply' && !r.superseded);
  assert.equal(current.length, 1, `one current reply; rows: ${JSON.stringify(rows)}`);
  assert.match(current[0].number, letterRe('复'));
  assert.notEqual(current[0].number, reply.number, 'the corrected reply has a new number');
  assert.ok(current[0].text.includes(`更正原因：${REISSUE_REASON}`), `the new row gives the reason: ${current[0].text}`);
  assert.ok(!old.text.includes(REISSUE_REASON), 'the reason belongs to the new version, not the old one');
  await page.locator('#letters').scrollIntoViewIfNeeded();
  await look(page, 'case-letters-corrected');

  const tab = await openTab(page, letterRow(page, current[0].number).locator('a:text-is("打印")'));
  assert.equal((await letterText(tab)).number, current[0].number, 'the corrected reply prints its new number');
  await tab.close();
  const oldTab = await openTab(page, letterRow(page, reply.number).locator('a:text-is("打印")'));
  assert.equal((await letterText(oldTab)).number, reply.number, 'the replaced reply still prints as issued');
  await oldTab.close();
});

step('c. the administrator edits the receipt template: errors name the line, a saved version applies to later letters only', async () => {
  const { page } = (actors.admin = await actor('admin'));
  await submit(page, page.locator('header.top nav a:has-text("文书模板")'));
  assert.equal(new URL(page.url()).pathname, '/admin/templates');
  // one Chinese name per template (issue 15 §5), no two alike
  for (const [name, title] of [['receipt', '申请接收回执'], ['reply_disclosed', '政府信息公开申请答复书：予以公开'],
    ['correction_notice', '补正告知书'], ['_signature', '落款（公用片段）']])
    assert.equal(await page.locator(`table.templates a[href="/admin/templates/${name}"]:text-is("${title}")`).count(), 1, `the list offers ${title}`);
  const titles = await page.locator('table.templates a').allInnerTexts();
  assert.equal(new Set(titles).size, titles.length, `every template has its own name: ${titles.join(' | ')}`);
  const receiptRow = page.locator('table.templates tr').filter({ has: page.locator('a[href="/admin/templates/receipt"]') });
  assert.match(await receiptRow.innerText(), /随系统发布/, 'the receipt template is still the shipped one');
  await look(page, 'templates');

  await submit(page, page.locator('table.templates a[href="/admin/templates/receipt"]'));
  assert.equal(new URL(page.url()).pathname, '/admin/templates/receipt');
  const body = page.locator('textarea[name=body]');
  const shipped = await body.inputValue();
  assert.match(shipped, /^\^ \{\{agency\.letterhead\}\}\r?\n# 政府信息公开申请接收回执/, 'the editor holds the receipt template (发文机关标志, then the title)');
  const lines = shipped.replace(/\r\n/g, '\n').split('\n');
  const at = lines.findIndex((l) => l.startsWith('{{> _signature}}'));
  assert.ok(at > 3, 'the receipt ends with the signature partial');
  // the saved versions ("第N版 · author · time · note"); the shipped version is listed after them
  const versions = page.locator('section.card:has(h2:text-is("历史版本")) li').filter({ hasText: /^\s*第\d+版/ });
  assert.equal(await versions.count(), 0, 'no saved versions yet');

  // An unknown field on the line before the signature: refused, naming that line.
  const broken = [...lines];
  broken[at - 1] += '{{case.nosuch}}';
  await body.fill(broken.join('\n'));
  await page.fill('input[name=note]', '错误的修改');
  h.allowConsole = /status of 422/;  // the page is re-rendered with 422
  await submit(page, page.locator('#save'));
  h.allowConsole = null;
  const error = page.locator('#template-error');
  assert.ok(await error.isVisible(), 'the error is shown');
  const msg = await error.innerText();
  assert.ok(msg.includes(`receipt.mustache 第${at}行`), `the error names receipt.mustache line ${at}: ${msg}`);
  assert.match(msg, /未知字段/);
  assert.match(msg, /case\.nosuch/);
  assert.ok((await body.inputValue()).includes('{{case.nosuch}}'), 'the editor keeps what was typed');
  assert.equal(await versions.count(), 0, 'nothing was saved');
  assert.match(await page.locator('main').innerText(), /当前为随系统发布的版本/);
  await look(page, 'template-error', { expectError: true });

  // A valid change: one more sentence before the signature.
  const changed = [...lines];
  changed.splice(at, 0, ADDED);
  await body.fill(changed.join('\n'));
  await page.fill('input[name=note]', NOTE);
  const preview = await openTab(page, page.locator('#preview'));
  assert.equal(new URL(preview.url()).pathname, '/admin/templates/receipt/preview');
  const pv = await letterText(preview);
  assert.equal(pv.title, '政府信息公开申请接收回执');
  assert.ok(pv.body.includes(ADDED), 'the preview shows the changed template');
  assert.equal(pv.addressee, '张三：', 'the preview is of the sample case');
  assert.ok(pv.body.includes('示例依申〔2024〕第12号'), 'the preview names the sample case number');
  await look(preview, 'template-preview');
  await preview.close();
  assert.equal(await versions.count(), 0, 'previewing saves nothing');

  await submit(page, page.locator('#save'));
  assert.equal(new URL(page.url()).pathname, '/admin/templates/receipt');
  assert.match(await page.locator('p.ok').innerText(), /已保存为第1版/);
  assert.equal(await versions.count(), 1);
  const v1 = await versions.first().innerText();
  assert.match(v1, /第1版/);
  assert.ok(v1.includes(USERS.admin.name), `the version names its author: ${v1}`);
  assert.ok(v1.includes(NOTE), `the version carries the note: ${v1}`);
  assert.ok((await body.inputValue()).includes(ADDED), 'the editor shows the saved version');
  await look(page, 'template-saved');

  // A new registration gets the new receipt; the first case's receipt stays as issued.
  const { page: reg } = actors.registrar;
  Object.assign(second, await register(reg, SECOND));
  const newer = await openTab(reg, reg.locator('#print-receipt'));
  assert.equal(new URL(newer.url()).pathname, `/cases/${second.id}/receipt`);
  const nt = await letterText(newer);
  assert.equal(nt.addressee, `${SECOND.name}：`);
  assert.ok(nt.body.includes(second.number), 'the new receipt names its case');
  assert.ok(nt.body.includes(ADDED), 'a receipt issued after the change has the added sentence');
  await look(newer, 'receipt-after-change');
  await newer.close();

  await reg.goto(`${h.base}/cases/${first.id}/receipt`);
  const ot = await letterText(reg);
  assert.equal(ot.addressee, `${FIRST.name}：`);
  assert.ok(ot.body.includes(first.number), 'the first receipt names its case');
  assert.ok(!ot.body.includes(ADDED), 'a receipt issued before the change is frozen');

  // The letters record which template version made them.
  const list = async (id) => (await reg.request.get(`${h.base}/api/v1/cases/${id}/letters`)).json();
  assert.equal((await list(first.id)).find((l) => l.kind === 'receipt')?.template_version, 0);
  assert.equal((await list(second.id)).find((l) => l.kind === 'receipt')?.template_version, 1);
});

step('d. an administrator without a case role gets no letters', async () => {
  // No page of the UI links there; the browser's own session asks (cookie, as a page would).
  const { page } = actors.admin;
  const get = (url) => page.request.get(`${h.base}${url}`);
  const html = await get(`/api/v1/letters/${reply.id}?format=html`);
  assert.equal(html.status(), 403, 'the letter print page is refused');
  const text = await html.text();
  assert.match(text, /"forbidden"/);
  assert.ok(!text.includes(reply.number) && !text.includes(FIRST.name), `nothing of the letter is shown: ${text}`);
  for (const url of [`/api/v1/letters/${reply.id}?format=docx`, `/api/v1/letters/${reply.id}`,
    `/api/v1/cases/${first.id}/letters`, `/api/v1/cases/${first.id}/letters.docx`])
    assert.equal((await get(url)).status(), 403, `GET ${url} is refused`);
});

step("d. … nor the case's receipt page", async () => {
  const { page } = actors.admin;
  const res = await page.request.get(`${h.base}/cases/${first.id}/receipt`);
  const text = await res.text();
  assert.ok(!text.includes(FIRST.name) && !text.includes(FIRST.content),
    `/cases/${first.id}/receipt shows an administrator without a case role the applicant and the request ` +
    `(HTTP ${res.status()}):\n${text.slice(0, 600)}`);
  assert.equal(res.status(), 403, 'the receipt page is refused');
});

test('no console errors, page errors, 5xx or unexpected error boxes anywhere', () => {
  assertNoProblems('end of run');
});
