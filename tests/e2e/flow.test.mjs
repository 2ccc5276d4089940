// End-to-end: headless Debian Chromium drives the staff web UI through one whole case, each
// actor in its own browser context, logging in through the /login form.
//
//   cd tests/e2e && npm ci --no-audit --no-fund && node --test
//
// Needs: the Debian package `chromium` (/usr/bin/chromium; override with CHROMIUM) and the built
// program (OGI_BIN, default <repo>/build/ogi). No browser is ever downloaded. For screenshots a
// person can read, also `fonts-noto-cjk` (else Chinese shows as boxes) and, optionally,
// `chromium-l10n` (Chinese date inputs and file pickers); the test passes without them.
// Screenshots of every page visited: tests/artifacts/e2e/NN-name.png (git-ignored).
// The run fails on any console error, uncaught page error, HTTP 5xx, failed sub-resource, or an
// unexpected element with class "error". Shared helpers: harness.mjs (letters.test.mjs uses them too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { h, start, stop, actor, look, submit, act, facts, stateOf, step, watch, assertNoProblems, openTab } from './harness.mjs';

const AGENCY = { code: 'A1', name: '示例市人民政府办公室', pattern: '示府办依申〔{year}〕第{seq}号' };
const USERS = {
  registrar: { name: 'dengji', password: 'registrar-pass-1' },
  handler: { name: 'chengban', password: 'handler-pass-1' },
  approver: { name: 'qianfa', password: 'approver-pass-1' },
};
const APPLICANT = '王晓明';
const BAD_ID = '110105194912310021';
const GOOD_ID = '11010519491231002X';
const CONTENT = '2023年度本市老旧小区改造项目的资金安排及实施方案';
const NUMBER_RE = /示府办依申〔\d{4}〕第\d+号/;

before(() => start({ agency: AGENCY, users: USERS }));
after(stop);

// ---------------------------------------------------------------------------------------------
// The story

let caseId, caseNumber;
const actors = {};

step('registrar registers an application, corrects a wrong ID check digit, prints the receipt', async () => {
  const { page } = (actors.registrar = await actor('registrar'));
  await look(page, 'registrar-dashboard');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('header.top nav a:has-text("登记申请")')]);
  assert.equal(new URL(page.url()).pathname, '/cases/new');
  await look(page, 'register-empty');

  // With JavaScript the applicant type shows only its own identity fields.
  assert.ok(await page.locator('#id_number').isVisible());
  assert.ok(!(await page.locator('#credit_code').isVisible()));
  await page.selectOption('select[name=type]', 'commercial_enterprise');
  assert.ok(await page.locator('#credit_code').isVisible(), 'an organisation gets the credit code field');
  assert.ok(!(await page.locator('#id_number').isVisible()));
  await page.selectOption('select[name=type]', 'natural_person');

  await page.selectOption('select[name=channel]', 'in_person');
  assert.equal(await page.inputValue('select[name=type]'), 'natural_person');
  assert.equal(await page.inputValue('select[name=id_type]'), 'resident_id');
  await page.fill('input[name=name]', APPLICANT);
  await page.fill('input[name=id_number]', BAD_ID);
  await page.fill('input[name=phone]', '13800138000');
  await page.fill('textarea[name=content]', CONTENT);
  // Inline hint (JavaScript) before anything is sent.
  const hint = page.locator('#id_hint');
  await assert.doesNotReject(hint.filter({ hasText: '校验位不正确' }).waitFor({ timeout: 3000 }));
  assert.match(await hint.getAttribute('class'), /\bbad\b/);
  await look(page, 'register-bad-id-hint');

  // The server refuses it and says why, re-rendering the form with status 422 (which Chromium
  // logs as a failed resource: the one console error this test expects).
  h.allowConsole = /status of 422/;
  await submit(page, page.locator('#save'));
  h.allowConsole = null;
  // GOV.UK error summary: focused, one link per problem, each to its field; the label once.
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary', 'the summary takes the focus');
  const err = summary.locator('li');
  assert.equal(await err.count(), 1, 'the server should show one error message');
  const msg = await err.innerText();
  assert.match(msg, /^证件号码：/, `error should name the field once: ${msg}`);
  assert.ok(!/证件号码.*证件号码/.test(msg), `the label is not repeated: ${msg}`);
  assert.match(await err.getAttribute('data-field'), /(^|\.)id_number$/);
  await err.locator('a').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'id_number', 'the link leads to the field');
  assert.equal(await page.getAttribute('#id_number', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('input[name=name]'), APPLICANT, 'the form keeps what was typed');
  assert.equal(await page.inputValue('textarea[name=content]'), CONTENT);
  assert.equal(await page.inputValue('select[name=channel]'), 'in_person');
  await look(page, 'register-server-error', { expectError: true });

  await page.fill('input[name=id_number]', GOOD_ID);
  await hint.filter({ hasText: '校验通过' }).waitFor({ timeout: 3000 });
  // The registrar names the 承办人 (issue 15 §2): the case goes to that handler's 我的待办.
  await page.selectOption('#assignee', USERS.handler.name);
  await submit(page, page.locator('#save'));
  if (await page.locator('#duplicates').isVisible()) {
    await look(page, 'register-duplicates');
    await submit(page, page.locator('#save'));
  }
  const url = new URL(page.url());
  assert.match(url.pathname, /^\/cases\/\d+$/, `registration should land on the case page, got ${page.url()}`);
  caseId = url.pathname.split('/').pop();
  caseNumber = (await page.locator('h1').innerText()).match(NUMBER_RE)?.[0];
  assert.ok(caseNumber, 'the case page shows the case number');
  assert.match(await page.locator('p.ok').innerText(), new RegExp(`已登记，编号 ${caseNumber}`));
  assert.equal(await stateOf(page), '已登记待审核');
  const shown = await facts(page);
  assert.equal(shown['申请人'], `${APPLICANT}（自然人）`);
  assert.equal(shown['证件号码'], GOOD_ID);
  assert.equal(shown['电话'], '13800138000');
  assert.equal(shown['提交方式'], '当面提交');
  assert.equal(shown['申请内容'], CONTENT);
  for (const absent of ['统一社会信用代码', '地址', '邮箱', '答复类型', '办结日期'])
    assert.ok(!(absent in shown), `empty "${absent}" should not be shown: ${JSON.stringify(shown)}`);
  assert.ok(!(await page.locator('section.consultations').isVisible()), 'no consultations table before any consultation');
  await look(page, 'case-registered');

  // Registration issued the receipt letter, numbered: one row in the case's letters table.
  const receiptRow = page.locator('#letters tr.letter[data-kind="receipt"]');
  assert.equal(await receiptRow.count(), 1, 'registration issues one receipt letter');
  const receiptNumber = (await receiptRow.locator('td:nth-child(2)').innerText()).trim();
  assert.match(receiptNumber, /依申收〔\d{4}〕\d+号$/, `the receipt has a 文号: ${receiptNumber}`);

  // The printed receipt is that frozen letter (print HTML of templates/letters/receipt.mustache).
  const receipt = await openTab(page, page.locator('#print-receipt'));
  assert.equal(new URL(receipt.url()).pathname, `/cases/${caseId}/receipt`);
  assert.match(await receipt.locator('h1.title').innerText(), /申请接收回执/);
  assert.equal((await receipt.locator('p.centre').first().innerText()).trim(), receiptNumber);
  assert.equal((await receipt.locator('p.left').first().innerText()).trim(), `${APPLICANT}：`);
  const text = await receipt.locator('body').innerText();
  assert.ok(text.includes(caseNumber), `the receipt names the case number ${caseNumber}`);
  assert.ok(text.includes(AGENCY.name), `the receipt names the agency ${AGENCY.name}`);
  assert.ok(text.includes(CONTENT), 'the receipt quotes the content requested');
  await look(receipt, 'receipt');
  await receipt.close();
});

step('the registration form works without JavaScript', async () => {
  const context = await h.browser.newContext({
    locale: 'zh-CN', viewport: { width: 1280, height: 900 }, javaScriptEnabled: false,
    storageState: await actors.registrar.context.storageState(),
  });
  context.setDefaultTimeout(5000);
  const page = await context.newPage();
  watch(page, 'registrar-nojs');
  await page.goto(`${h.base}/cases/new`);
  for (const f of ['#id_number', '#credit_code', 'select[name=channel]', 'textarea[name=content]'])
    assert.ok(await page.locator(f).isVisible(), `${f} is reachable without JavaScript`);
  await look(page, 'register-no-javascript');
  await context.close();
});

step('handler sees the case on the dashboard and finds it by search', async () => {
  const { page } = (actors.handler = await actor('handler'));
  const row = page.locator(`section.group tr:has(a:text-is("${caseNumber}"))`);
  assert.equal(await row.count(), 1, 'the dashboard lists the new case in one group');
  assert.match(await row.innerText(), new RegExp(APPLICANT));
  assert.ok((await page.locator('section.stages a.stat').count()) > 0, 'the dashboard shows the state counts');
  await look(page, 'handler-dashboard');

  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('header.top nav a:has-text("案件查询")')]);
  await look(page, 'search-all');
  await page.fill('input[name=q]', APPLICANT);
  await submit(page, page.locator('form.filters button[type=submit]'));
  assert.equal(new URL(page.url()).searchParams.get('q'), APPLICANT);
  const hit = page.locator(`table a:text-is("${caseNumber}")`);
  assert.equal(await hit.count(), 1, `search for ${APPLICANT} should find ${caseNumber}`);
  await look(page, 'search-found');
  await submit(page, hit);
  assert.equal(new URL(page.url()).pathname, `/cases/${caseId}`);
  await look(page, 'handler-case');
});

step('handler: correction, consultation, decision', async () => {
  const { page } = actors.handler;
  await act(page, 'request_correction', async (f) => {
    await f.locator('textarea[name=items]').fill('申请人联系地址\n所需信息的具体年度范围');
  });
  assert.equal(await stateOf(page), '待申请人补正');
  await look(page, 'after-request-correction');

  await act(page, 'correction_received');
  assert.equal(await stateOf(page), '办理中');
  await look(page, 'after-correction-received');

  await act(page, 'consult', async (f) => {
    await f.locator('select[name=party]').selectOption('third_party');
    await f.locator('input[name=name]').fill('示例市某建设工程有限公司');
  });
  assert.match(await page.locator('section.consultations').innerText(), /第三方\s+示例市某建设工程有限公司/);
  assert.ok(await page.locator('section.consultations').isVisible(), 'the consultations table is shown');
  await look(page, 'after-consult');

  await act(page, 'consultation_replied', async (f) => {
    const sel = f.locator('select[name=consultation]');
    const options = await sel.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.equal(options.length, 1, 'the open consultation is offered');
    await sel.selectOption(options[0]);
    await f.locator('select[name=opinion]').selectOption('agree');
  });
  assert.match(await page.locator('section.consultations').innerText(), /同意公开/);
  await look(page, 'after-consultation-replied');

  await act(page, 'decide', async (f) => {
    await f.locator('select[name=outcome]').selectOption('disclosed');
    await f.locator('textarea[name=reasons]').fill('所申请信息属于可以公开的政府信息，第三方同意公开。');
    // Art 36(2): how, where and when it is provided, and what is provided (required for 予以公开)
    await f.locator('input[name=provision]').fill('随本答复书以电子邮件发送');
    await f.locator('textarea[name=documents]').fill('某项目环评批复.pdf');
  });
  assert.equal(await stateOf(page), '待签发');
  assert.match(await page.locator('#outcome').innerText(), /予以公开/);
  await look(page, 'after-decide');
});

step('approver signs the reply', async () => {
  const { page } = (actors.approver = await actor('approver'));
  await look(page, 'approver-dashboard');
  await page.goto(`${h.base}/cases/${caseId}`);
  await look(page, 'approver-case');
  await act(page, 'approve');
  assert.equal(await stateOf(page), '已签发待送达');
  await look(page, 'after-approve');
});

step('handler delivers and archives; the history lists every step', async () => {
  const { page } = actors.handler;
  await page.goto(`${h.base}/cases/${caseId}`);
  await act(page, 'deliver', async (f) => {
    await f.locator('select[name=method]').selectOption('direct');
  });
  assert.equal(await stateOf(page), '已送达办结');
  await look(page, 'after-deliver');

  await act(page, 'archive');
  assert.equal(await stateOf(page), '已归档');
  const shown = await facts(page);
  assert.equal(shown['答复类型'], '予以公开（第三十六条第二项）');
  assert.match(shown['办结日期'], /^\d{4}-\d\d-\d\d 按时$/);
  assert.equal(shown['申请内容'], CONTENT);
  const history = await page.locator('table.history tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(history.map((s) => s.trim()),
    ['登记申请', '指定承办人', '告知补正', '收到补正材料', '征求意见', '收到征求意见答复', '拟定答复', '签发答复', '送达答复', '归档']);
  await look(page, 'case-archived');

  await page.goto(`${h.base}/cases?state=archived`);
  assert.equal(await page.locator(`table a:text-is("${caseNumber}")`).count(), 1, 'search by state finds the archived case');
  await look(page, 'search-archived');
});

test('no console errors, page errors, 5xx or unexpected error boxes anywhere', () => {
  assertNoProblems('end of run');
});
