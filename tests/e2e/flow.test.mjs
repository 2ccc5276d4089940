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
// unexpected element with class "error".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const OGI = process.env.OGI_BIN || path.join(repo, 'build/ogi');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(repo, 'tests/artifacts/e2e');

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

// ---------------------------------------------------------------------------------------------
// Server and database

let tmp, db, server, serverLog = '', base, browser;
const problems = [];  // every console error, page error, 5xx, failed resource, unexpected .error
let shot = 0;
let allowConsole = null;  // a console error the current step expects
let stopped = false;  // a failed step makes the later ones skip (the story is one sequence)

function childEnv() {
  const env = { ...process.env };
  delete env.OGI_TODAY;  // the whole flow happens on the real today
  return env;
}

// The program may be rebuilt under us: wait briefly for it to reappear.
async function waitForBinary() {
  for (let i = 0; i < 60 && !fs.existsSync(OGI); i++) await sleep(1000);
  assert.ok(fs.existsSync(OGI), `ogi program not found at ${OGI} (set OGI_BIN)`);
}

function ogi(args, input) {
  let r;
  // A spawn error (ENOENT, ETXTBSY while the program is being relinked) is retried for a while.
  for (let i = 0; i < 30; i++) {
    r = spawnSync(OGI, args, { input, env: childEnv(), encoding: 'utf8', timeout: 30_000 });
    if (!r.error || r.error.code === 'ETIMEDOUT') break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  }
  assert.equal(r.status, 0, `ogi ${args.join(' ')} failed (${r.error ?? r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startServer() {
  const portFile = path.join(tmp, 'port');
  server = spawn(OGI, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--port-file', portFile],
    { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  let exited = null;
  server.on('exit', (code, sig) => { exited = `exit ${code ?? sig}`; });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exited) break;
    const port = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    if (port) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (r.ok) { base = `http://127.0.0.1:${port}`; return; }
      } catch { /* not yet */ }
    }
    await sleep(100);
  }
  throw new Error(`server did not become healthy (${exited ?? 'timeout'}):\n${serverLog}`);
}

before(async () => {
  await waitForBinary();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ogi-e2e-'));
  db = path.join(tmp, 'ogi.db');
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.rmSync(path.join(SHOTS, f));

  ogi(['init', '--db', db]);
  ogi(['agency', 'add', '--db', db, '--code', AGENCY.code, '--name', AGENCY.name, '--pattern', AGENCY.pattern]);
  for (const [role, u] of Object.entries(USERS))
    ogi(['user', 'add', '--db', db, '--agency', AGENCY.code, '--name', u.name, '--roles', role, '--password-stdin'],
      u.password + '\n');
  await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // A clerk's browser is Chinese: with Debian's chromium-l10n installed, date inputs and file
    // pickers read as they would for them (without it Chromium falls back to English, harmlessly).
    env: { ...process.env, LANGUAGE: 'zh_CN' },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      '--lang=zh-CN'],
  });
});

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await Promise.race([new Promise((r) => server.once('exit', r)), sleep(5000)]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Browser helpers

function watch(page, who) {
  if (page.__watched) return;
  page.__watched = true;
  page.on('console', (m) => {
    if (m.type() === 'error' && !(allowConsole && allowConsole.test(m.text()))) problems.push(`[${who}] console error on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`[${who}] page error on ${page.url()}: ${e.message}`));
  page.on('response', (r) => {
    const st = r.status();
    if (st >= 500) problems.push(`[${who}] HTTP ${st} for ${r.request().method()} ${r.url()}`);
    else if (st >= 400 && r.request().resourceType() !== 'document')
      problems.push(`[${who}] HTTP ${st} for sub-resource ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`[${who}] request failed ${r.url()}: ${r.failure()?.errorText}`));
}

async function actor(role) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  context.on('page', (p) => watch(p, role));
  context.setDefaultTimeout(5000);  // a missing element fails fast, keeping a failed run short
  const page = await context.newPage();
  watch(page, role);
  const u = USERS[role];
  await page.goto(`${base}/login`);
  await look(page, `${role}-login`);
  await page.fill('input[name=username]', u.name);
  await page.fill('input[name=password]', u.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action="/login"] button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, '/', `${role}: login should land on the dashboard, got ${page.url()}`);
  assert.match(await page.locator('header.top .who').innerText(), /退出/);
  return { context, page };
}

// Screenshot the page as it is now, then check it shows no unexpected error box.
async function look(page, name, { expectError = false } = {}) {
  await page.waitForLoadState('load');
  shot += 1;
  const file = path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const errors = page.locator('.error:visible');
  if (!expectError) {
    const n = await errors.count();
    if (n) problems.push(`unexpected .error on ${page.url()} (${name}): ${(await errors.allInnerTexts()).join(' | ')}`);
  }
  assertNoProblems(name);
  return file;
}

function assertNoProblems(where) {
  if (problems.length) assert.fail(`problems at ${where}:\n  ${problems.join('\n  ')}`);
}

async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

// Open the <details> of one action on the case page, fill its form, submit it.
async function act(page, event, fill = async () => {}) {
  const box = page.locator(`details.action[data-event="${event}"]`);
  assert.equal(await box.count(), 1, `action ${event} is not offered on ${page.url()}; offered: ` +
    (await page.locator('details.action').evaluateAll((ds) => ds.map((d) => d.dataset.event))).join(', '));
  await box.locator('summary').click();
  const form = box.locator('form');
  assert.ok(await form.locator('input[name=on]').isVisible(), `${event}: date field should be visible once opened`);
  await fill(form);
  await look(page, `form-${event}`);
  await submit(page, form.locator('button[type=submit]'));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('error'), null, `${event} was refused: ${url.searchParams.get('error')}`);
  assert.equal(url.pathname, `/cases/${caseId}`);
}

// The "申请信息" list as shown: label -> value, visible rows only.
async function facts(page) {
  const rows = await page.locator('dl.facts > div:visible').evaluateAll((ds) =>
    ds.map((d) => [d.querySelector('dt').innerText.trim(), d.querySelector('dd').innerText.trim()]));
  return Object.fromEntries(rows);
}

async function stateOf(page) {
  return (await page.locator('h1 .badge').innerText()).trim();
}

function step(name, fn) {
  test(name, async (t) => {
    if (stopped) { t.skip('an earlier step failed'); return; }
    try {
      await fn(t);
    } catch (e) {
      stopped = true;
      if (serverLog.includes('internal error')) e.message += `\nserver log:\n${serverLog}`;
      throw e;
    }
  });
}

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
  allowConsole = /status of 422/;
  await submit(page, page.locator('#save'));
  allowConsole = null;
  const err = page.locator('p.error');
  assert.equal(await err.count(), 1, 'the server should show one error message');
  const msg = await err.innerText();
  assert.match(msg, /身份证/, `error should name the ID: ${msg}`);
  assert.match(await err.getAttribute('data-field'), /(^|\.)id_number$/);
  assert.equal(await page.inputValue('input[name=name]'), APPLICANT, 'the form keeps what was typed');
  assert.equal(await page.inputValue('textarea[name=content]'), CONTENT);
  assert.equal(await page.inputValue('select[name=channel]'), 'in_person');
  await look(page, 'register-server-error', { expectError: true });

  await page.fill('input[name=id_number]', GOOD_ID);
  await hint.filter({ hasText: '校验通过' }).waitFor({ timeout: 3000 });
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

  const [receipt] = await Promise.all([page.context().waitForEvent('page'), page.click('#print-receipt')]);
  await receipt.waitForLoadState('load');
  assert.equal(new URL(receipt.url()).pathname, `/cases/${caseId}/receipt`);
  assert.match(await receipt.locator('h1').innerText(), /申请接收回执/);
  assert.equal((await receipt.locator('.doc-number').innerText()).trim(), caseNumber);
  assert.match(await receipt.locator('article').innerText(), new RegExp(APPLICANT));
  assert.match(await receipt.locator('article').innerText(), new RegExp(AGENCY.name));
  await look(receipt, 'receipt');
  await receipt.close();
});

step('the registration form works without JavaScript', async () => {
  const context = await browser.newContext({
    locale: 'zh-CN', viewport: { width: 1280, height: 900 }, javaScriptEnabled: false,
    storageState: await actors.registrar.context.storageState(),
  });
  context.setDefaultTimeout(5000);
  const page = await context.newPage();
  watch(page, 'registrar-nojs');
  await page.goto(`${base}/cases/new`);
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
  });
  assert.equal(await stateOf(page), '待签发');
  assert.match(await page.locator('#outcome').innerText(), /予以公开/);
  await look(page, 'after-decide');
});

step('approver signs the reply', async () => {
  const { page } = (actors.approver = await actor('approver'));
  await look(page, 'approver-dashboard');
  await page.goto(`${base}/cases/${caseId}`);
  await look(page, 'approver-case');
  await act(page, 'approve');
  assert.equal(await stateOf(page), '已签发待送达');
  await look(page, 'after-approve');
});

step('handler delivers and archives; the history lists every step', async () => {
  const { page } = actors.handler;
  await page.goto(`${base}/cases/${caseId}`);
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
    ['登记申请', '告知补正', '收到补正材料', '征求意见', '收到征求意见答复', '拟定答复', '签发答复', '送达答复', '归档']);
  await look(page, 'case-archived');

  await page.goto(`${base}/cases?state=archived`);
  assert.equal(await page.locator(`table a:text-is("${caseNumber}")`).count(), 1, 'search by state finds the archived case');
  await look(page, 'search-archived');
});

test('no console errors, page errors, 5xx or unexpected error boxes anywhere', () => {
  assertNoProblems('end of run');
});
