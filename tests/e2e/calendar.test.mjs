// End-to-end: the calendar's edge (issue 12) in headless Debian Chromium, on a pinned day in late
// December with no notice for the next year:
//   a. a registrar registers an application; the case page shows a due date in the provisional
//      year, marked 暂定 with the reason; the receipt reads whole, with its clause;
//   b. the 公开办 sees the warning banner, the registrar does not;
//   c. an administrator pastes the State Council's notice, sees the parsed days, confirms; the
//      page says how many open cases were recomputed; the banner is gone, the due date official.
//
//   cd tests/e2e && node --test calendar.test.mjs
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { h, start, stop, actor, look, submit, step, openTab, repo } from './harness.mjs';

const AGENCY = { code: 'A1', name: '示例市人民政府办公室', pattern: '示府办依申〔{year}〕第{seq}号', letterPrefix: '示府办' };
const USERS = {
  registrar: { name: 'dengji', password: 'registrar-pass-1' },
  office: { name: 'gongkaiban', password: 'office-pass-1' },
  admin: { name: 'guanli', password: 'admin-pass-1' },
};
const TODAY = '2026-12-21';
const BANNER = '2027年节假日安排尚未导入';
// An invented 2027 arrangement written as the notices are (not an official text), shared with the API test.
const NOTICE = readFileSync(path.join(repo, 'tests/fixtures/notice-2027-invented.txt'), 'utf8');

before(() => start({ agency: AGENCY, users: USERS, shotPrefix: 'calendar-', today: TODAY }));
after(stop);

const actors = {};
let casePath;

step('registrar: a case received today has a provisional due date, explained', async () => {
  const { page } = (actors.registrar = await actor('registrar'));
  assert.ok(!(await page.locator('.banner').count()), 'no banner for a registrar');
  await page.goto(`${h.base}/cases/new`);
  await page.selectOption('select[name=channel]', 'in_person');
  await page.fill('input[name=name]', '王晓明');
  await page.fill('input[name=id_number]', '11010519491231002X');
  await page.fill('textarea[name=content]', '本区2026年老旧小区改造项目的资金安排');
  await submit(page, page.locator('#save'));
  if (await page.locator('#duplicates').isVisible()) await submit(page, page.locator('#save'));
  casePath = new URL(page.url()).pathname;
  assert.match(casePath, /^\/cases\/\d+$/);
  // 2026-12-21 + 20 working days: 8 in December, 元旦 on 1 January, then 12 more.
  assert.equal(await page.locator('#due-on').innerText(), '2027-01-19');
  assert.match(await page.locator('p.due').innerText(), /2027-01-19（暂定：2027年节假日安排公布前按法定节假日推算）/);
  await look(page, 'case-provisional');
  const receipt = page.locator('#letters tr.letter[data-kind=receipt] a[href$="format=html"]');
  const tab = await openTab(page, receipt);
  const text = await tab.locator('body').innerText();
  assert.match(text, /答复期限截至2027年1月19日（该日期系在国务院办公厅公布当年节假日安排前按法定节假日推算/);
  assert.ok(!text.includes('截至。'));
  await look(tab, 'receipt-provisional');
  await tab.close();
});

step('office: the banner warns on every page', async () => {
  const { page } = (actors.office = await actor('office'));
  for (const p of ['/', '/cases', casePath]) {
    await page.goto(`${h.base}${p}`);
    assert.match(await page.locator('.banner').innerText(), new RegExp(BANNER));
  }
  await look(page, 'office-banner');
});

step('admin: paste the notice, check the parsed days, confirm', async () => {
  const { page } = (actors.admin = await actor('admin'));
  assert.match(await page.locator('.banner').innerText(), new RegExp(BANNER));
  await page.goto(`${h.base}/admin/calendar`);
  assert.match(await page.locator('h1').innerText(), /2027 年（暂定）/);
  await look(page, 'calendar-provisional');
  await page.fill('textarea[name=text]', NOTICE);
  await submit(page, page.locator('button[name=action][value=preview]'));
  const preview = page.locator('section.preview');
  assert.match(await preview.locator('h2').innerText(), /2027 年节假日安排（国办发明电〔2026〕99号）/);
  assert.equal(await preview.locator('tbody tr').count(), 3 + 8 + 3 + 5 + 1 + 1 + 7 + 6);
  assert.match(await preview.innerText(), /2027-01-31（周日）\s+调休上班\s+春节调休上班/);
  await look(page, 'calendar-preview');
  await submit(page, preview.locator('button[name=action][value=import]'));
  assert.match(await page.locator('p.ok').innerText(), /已导入 2027 年日历（国办发明电〔2026〕99号），取代按法定节假日推算的暂定安排；1 件在办案件的到期日已重新计算，均无变动/);
  assert.ok(!(await page.locator('.banner').count()), 'the banner is gone');
  await look(page, 'calendar-imported');
});

step('registrar: the due date is official now', async () => {
  const { page } = actors.registrar;
  await page.goto(`${h.base}${casePath}`);
  assert.equal(await page.locator('#due-on').innerText(), '2027-01-19');
  assert.ok(!(await page.locator('p.due').innerText()).includes('暂定'));
  await look(page, 'case-official');
});
