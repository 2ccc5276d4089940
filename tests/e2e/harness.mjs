// Shared harness of the end-to-end tests (*.test.mjs): a real `ogi serve` on a fresh database,
// headless Debian Chromium (playwright-core, never a downloaded browser), one browser context per
// actor logging in through the /login form, screenshots of every page visited, and a record of
// every console error, uncaught page error, HTTP 5xx, failed sub-resource or unexpected element
// with class "error" (any of which fails the run).
//
// `node --test` runs each test file in its own process, so the state below is per file. Each file
// gives its own screenshot prefix; it clears only its own old screenshots, so files running side
// by side keep each other's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
export const OGI = process.env.OGI_BIN || path.join(repo, 'build/ogi');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = path.join(repo, 'tests/artifacts/e2e');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The mutable state of this file's run.
export const h = {
  tmp: null, db: null, server: null, serverLog: '', base: null, browser: null,
  users: {},          // role -> { name, password }
  problems: [],       // every console error, page error, 5xx, failed resource, unexpected .error
  shot: 0,
  shotPrefix: '',
  allowConsole: null, // a console error the current step expects
  stopped: false,     // a failed step makes the later ones skip (each story is one sequence)
};

// "Today" of the server and of every command: pinned, never the wall clock (OGI_TEST_TODAY; CI runs
// the suite a second time with a date after the last official calendar year).
export const TODAY = process.env.OGI_TEST_TODAY || '2026-11-27';

function childEnv() {
  return { ...process.env, OGI_TODAY: h.today || TODAY };
}

// The program may be rebuilt under us: wait briefly for it to reappear.
async function waitForBinary() {
  for (let i = 0; i < 60 && !fs.existsSync(OGI); i++) await sleep(1000);
  assert.ok(fs.existsSync(OGI), `ogi program not found at ${OGI} (set OGI_BIN)`);
}

export function ogi(args, input) {
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

async function startServer() {
  const portFile = path.join(h.tmp, 'port');
  let server;
  for (let i = 0; i < 30; i++) {  // ETXTBSY while relinking: retry
    try {
      server = spawn(OGI, ['serve', '--db', h.db, '--listen', '127.0.0.1:0', '--port-file', portFile],
        { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      await new Promise((ok, bad) => { server.once('spawn', ok); server.once('error', bad); });
      break;
    } catch (e) {
      if (i === 29) throw e;
      await sleep(1000);
    }
  }
  h.server = server;
  server.stdout.on('data', (d) => { h.serverLog += d; });
  server.stderr.on('data', (d) => { h.serverLog += d; });
  let exited = null;
  server.on('exit', (code, sig) => { exited = `exit ${code ?? sig}`; });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exited) break;
    const port = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    if (port) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (r.ok) { h.base = `http://127.0.0.1:${port}`; return; }
      } catch { /* not yet */ }
    }
    await sleep(100);
  }
  throw new Error(`server did not become healthy (${exited ?? 'timeout'}):\n${h.serverLog}`);
}

// A fresh database with one agency and the given users (role -> { name, password, roles? }),
// the server on it, and the browser. `shotPrefix` names this file's screenshots.
// `today`: this file's own pinned day instead of TODAY.
// `demo`: the program's own demo data (`ogi demo`: agencies, staff of every role, cases in every
// state) instead of `agency` and `users`.
export async function start({ agency, users, shotPrefix = '', today = null, demo = false }) {
  h.today = today;
  await waitForBinary();
  h.users = users;
  h.shotPrefix = shotPrefix;
  h.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ogi-e2e-'));
  h.db = path.join(h.tmp, 'ogi.db');
  fs.mkdirSync(SHOTS, { recursive: true });
  const mine = new RegExp(`^${shotPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\d+-.*\\.png$`);
  for (const f of fs.readdirSync(SHOTS)) if (mine.test(f)) fs.rmSync(path.join(SHOTS, f));

  ogi(['init', '--db', h.db]);
  if (demo) {
    ogi(['demo', '--db', h.db]);
    await startServer();
    await launchBrowser();
    return;
  }
  const extra = [];
  if (agency.letterPrefix) extra.push('--letter-prefix', agency.letterPrefix);
  ogi(['agency', 'add', '--db', h.db, '--code', agency.code, '--name', agency.name, '--pattern', agency.pattern, ...extra]);
  for (const [role, u] of Object.entries(users))
    ogi(['user', 'add', '--db', h.db, '--agency', agency.code, '--name', u.name, '--roles', u.roles ?? role, '--password-stdin',
      '--display', u.display ?? u.name], u.password + '\n');
  await startServer();
  await launchBrowser();
}

async function launchBrowser() {
  h.browser = await chromium.launch({
    executablePath: CHROMIUM,
    // A clerk's browser is Chinese: with Debian's chromium-l10n installed, date inputs and file
    // pickers read as they would for them (without it Chromium falls back to English, harmlessly).
    env: { ...process.env, LANGUAGE: 'zh_CN' },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      '--lang=zh-CN'],
  });
}

export async function stop() {
  if (h.browser) await h.browser.close().catch(() => {});
  const server = h.server;
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await Promise.race([new Promise((r) => server.once('exit', r)), sleep(5000)]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (h.tmp) fs.rmSync(h.tmp, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Browser helpers

export function watch(page, who) {
  if (page.__watched) return;
  page.__watched = true;
  const { problems } = h;
  page.on('console', (m) => {
    if (m.type() === 'error' && !(h.allowConsole && h.allowConsole.test(m.text()))) problems.push(`[${who}] console error on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`[${who}] page error on ${page.url()}: ${e.message}`));
  page.on('response', (r) => {
    const st = r.status();
    if (st >= 500) problems.push(`[${who}] HTTP ${st} for ${r.request().method()} ${r.url()}`);
    else if (st >= 400 && r.request().resourceType() !== 'document')
      problems.push(`[${who}] HTTP ${st} for sub-resource ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    // A navigation that turns into a download (see download()) is reported as aborted: no failure.
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && page.__downloads?.has(r.url())) return;
    problems.push(`[${who}] request failed ${r.url()}: ${r.failure()?.errorText}`);
  });
}

// `viewport`: the screen (default 1280×900); the day at the office runs at 1366×768 and 1024×768.
export async function actor(role, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await h.browser.newContext({ locale: 'zh-CN', viewport });
  context.on('page', (p) => watch(p, role));
  context.setDefaultTimeout(5000);  // a missing element fails fast, keeping a failed run short
  const page = await context.newPage();
  watch(page, role);
  const u = h.users[role];
  await page.goto(`${h.base}/login`);
  await look(page, `${role}-login`);
  await page.fill('input[name=username]', u.name);
  await page.fill('input[name=password]', u.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action="/login"] button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, '/', `${role}: login should land on the dashboard, got ${page.url()}`);
  assert.match(await page.locator('header.top .who').innerText(), /退出/);
  return { context, page };
}

// Screenshot the page as it is now, then check it shows no unexpected error box.
export async function look(page, name, { expectError = false } = {}) {
  await page.waitForLoadState('load');
  h.shot += 1;
  const file = path.join(SHOTS, `${h.shotPrefix}${String(h.shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const errors = page.locator('.error:visible');
  if (!expectError) {
    const n = await errors.count();
    if (n) h.problems.push(`unexpected .error on ${page.url()} (${name}): ${(await errors.allInnerTexts()).join(' | ')}`);
  }
  assertNoProblems(name);
  return file;
}

export function assertNoProblems(where) {
  if (h.problems.length) assert.fail(`problems at ${where}:\n  ${h.problems.join('\n  ')}`);
}

export async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

// Open the <details> of one action on the case page, fill its form, submit it; the page must
// come back to the same case without an error.
export async function act(page, event, fill = async () => {}, { shot = true } = {}) {
  const casePath = new URL(page.url()).pathname;
  assert.match(casePath, /^\/cases\/\d+$/, `act(${event}) needs a case page, not ${page.url()}`);
  const box = page.locator(`details.action[data-event="${event}"]`);
  assert.equal(await box.count(), 1, `action ${event} is not offered on ${page.url()}; offered: ` +
    (await page.locator('details.action').evaluateAll((ds) => ds.map((d) => d.dataset.event))).join(', '));
  await box.locator('summary').click();
  const form = box.locator('form');
  assert.ok(await form.locator('input[name=on]').isVisible(), `${event}: date field should be visible once opened`);
  await fill(form);
  if (shot) await look(page, `form-${event}`);
  await submit(page, form.locator('button[type=submit]'));
  // A numbered or irreversible act first shows what it will issue (issue 15 §3): confirm it.
  if (new URL(page.url()).pathname === `${casePath}/events`) {
    assert.match(await page.locator('h1').innerText(), /^请确认：/, `${event}: a confirmation page`);
    confirmed.add(event);
    if (shot) await look(page, `confirm-${event}`);
    await submit(page, page.locator('#confirm'));
  }
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('error'), null, `${event} was refused: ${url.searchParams.get('error')}`);
  assert.equal(url.pathname, casePath);
  assert.match(url.searchParams.get('done') ?? '', /^已办理：/, `${event}: the page says what was done`);
  assert.ok(await page.locator('.ok').filter({ hasText: '已办理：' }).isVisible(), `${event}: feedback shown`);
}
// The events that asked for a confirmation in this run.
export const confirmed = new Set();

// The "申请信息" list as shown: label -> value, visible rows only.
export async function facts(page) {
  const rows = await page.locator('dl.facts > div:visible').evaluateAll((ds) =>
    ds.map((d) => [d.querySelector('dt').innerText.trim(), d.querySelector('dd').innerText.trim()]));
  return Object.fromEntries(rows);
}

export async function stateOf(page) {
  return (await page.locator('h1 .badge').innerText()).trim();
}

// One step of a story: once a step fails, the later ones are skipped.
export function step(name, fn) {
  test(name, async (t) => {
    if (h.stopped) { t.skip('an earlier step failed'); return; }
    try {
      await fn(t);
    } catch (e) {
      h.stopped = true;
      if (h.serverLog.includes('internal error')) e.message += `\nserver log:\n${h.serverLog}`;
      throw e;
    }
  });
}

// Follow a link that opens a new tab; the tab, loaded.
export async function openTab(page, link) {
  const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  await tab.waitForLoadState('load');
  return tab;
}

// Click a link that downloads a file; { name, url, bytes }.
export async function download(page, link) {
  const href = await link.getAttribute('href');
  assert.ok(href, 'a download link has an href');
  (page.__downloads ??= new Set()).add(new URL(href, page.url()).href);
  const [d] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const failure = await d.failure();
  assert.equal(failure, null, `download of ${d.url()} failed: ${failure}`);
  return { name: d.suggestedFilename(), url: d.url(), bytes: fs.readFileSync(await d.path()) };
}
