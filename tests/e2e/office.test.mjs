// A day at the office (issue 15), in Chromium on the demo data, each role at 1366×768 with the
// layout checks at 1024×768 too: 我的待办 per role (§2), feedback and confirmation (§3), complete
// records (§4), Chinese and Beijing time (§5; every page is walked by chinese.test.mjs), print and
// pictures (§6), layout (§7). Search forms are covered by tests/http/search.test.mjs.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { h, start, stop, actor, look, submit, act, step, facts } from './harness.mjs';

const PASSWORD = 'demo-pass-2026';
const users = {
  registrar: { name: 'dengji', password: PASSWORD }, handler: { name: 'chengban', password: PASSWORD },
  approver: { name: 'qianfa', password: PASSWORD }, office: { name: 'gongkaiban', password: PASSWORD },
  admin: { name: 'admin', password: PASSWORD }, auditor: { name: 'jiandu', password: PASSWORD },
};
const WIDE = { width: 1366, height: 768 };
const NARROW = { width: 1024, height: 768 };
const tabs = {};
const day = {};  // what one step leaves for the next

before(() => start({ demo: true, users, shotPrefix: 'office-' }));
after(async () => { for (const t of Object.values(tabs)) await t.context.close().catch(() => {}); await stop(); });

async function as(role, viewport = WIDE) {
  const key = `${role}@${viewport.width}`;
  if (!tabs[key]) tabs[key] = await actor(role, { viewport });
  const { page } = tabs[key];
  await page.goto(`${h.base}/`);
  return page;
}
const queue = (page, key) => page.locator(`section.group.${key}`);
async function openFirst(page, key) {
  const link = queue(page, key).locator('tbody a').first();
  const number = await link.innerText();
  await submit(page, link);
  return number;
}
const history = (page) => page.locator('table.history tbody tr').evaluateAll((rows) =>
  rows.map((r) => [...r.cells].map((c) => c.innerText.trim())));

step('登记员: 我的待办 is the desk\'s work; registration fits one screen, focuses the name, names what decides the receipt date', async () => {
  const page = await as('registrar');
  assert.match(await queue(page, 'desk').locator('h2').innerText(), /^待登记（补正材料、缴费、送达）/);
  assert.equal(await page.locator('section.group').count(), 1, 'one queue for the front desk');
  await look(page, 'registrar-dashboard');
  await page.goto(`${h.base}/cases/new`);
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'name', 'autofocus on the first field');
  const save = await page.locator('#save').boundingBox();
  assert.ok(save.y + save.height <= WIDE.height, `the 登记 button is on the first screen (bottom at ${save.y + save.height} px)`);
  const channels = await page.locator('#channel option').allInnerTexts();
  assert.ok(channels.includes('邮寄（以签收日为收到日）'), channels.join(' | '));
  assert.ok(channels.includes('当面提交（以提交日为收到日）'), channels.join(' | '));
  // the two columns: applicant on the left, receipt and application on the right
  const left = await page.locator('fieldset.applicant').boundingBox();
  const right = await page.locator('fieldset.receipt').boundingBox();
  assert.ok(right.x > left.x + left.width - 1 && Math.abs(right.y - left.y) < 5, 'two columns');
  await look(page, 'register-one-screen');
});

step('登记员: every error at once in a summary that links to its field; what was typed stays', async () => {
  const page = await as('registrar');
  await page.goto(`${h.base}/cases/new`);
  await page.fill('#name', '钱多多');
  await page.fill('#phone', '电话一三八');
  await page.selectOption('#channel', 'post');
  await page.fill('#received_on', '2099-01-01');
  await page.fill('#content', '申请公开本市2026年度道路维修计划');
  h.allowConsole = /status of 422/;
  await submit(page, page.locator('#save'));
  h.allowConsole = null;
  const items = page.locator('#error-summary li');
  assert.equal(await items.count(), 2, await page.locator('#error-summary').innerText());
  const texts = await items.allInnerTexts();
  assert.ok(texts.some((t) => t.startsWith('联系电话：')) && texts.some((t) => t.startsWith('收到申请日期：2099-01-01 晚于今天')), texts.join(' | '));
  for (const t of texts) {
    const label = t.split('：')[0];
    assert.equal(t.split(label).length - 1, 1, `the label is said once: ${t}`);
  }
  assert.equal(await page.inputValue('#name'), '钱多多');
  assert.equal(await page.inputValue('#content'), '申请公开本市2026年度道路维修计划');
  await items.filter({ hasText: '联系电话' }).locator('a').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'phone');
  await look(page, 'register-error-summary', { expectError: true });
});

step('承办人: only the cases assigned to me that need me, most urgent first; 补正 restates the content, with history', async () => {
  const page = await as('handler');
  const mine = queue(page, 'mine');
  assert.match(await mine.locator('h2').innerText(), /^我承办的待办案件/);
  const who = await mine.locator('tbody td.who:nth-child(5)').allInnerTexts();
  assert.ok(who.length > 0 && who.every((w) => w === '陈承办'), who.join(','));
  await look(page, 'handler-dashboard');
  // the case waiting for its correction (the registrar or the handler records what came in)
  await page.goto(`${h.base}/cases?state=awaiting_correction`);
  await submit(page, page.locator('table tbody a').first());
  day.corrected = new URL(page.url()).pathname;
  assert.match(await page.locator('#next-step').innerText(), /下一步：登记员/);
  await act(page, 'correction_received', async (f) => {
    await f.locator('[name=supplied]').fill('补充了营业执照复印件和联系电话');
    await f.locator('[name=content]').fill('申请公开本市2025年度政府采购合同清单（补正后）');
  });
  const rows = await history(page);
  const line = rows.find((r) => r[1] === '收到补正材料');
  assert.ok(line && line[2].includes('补正材料：补充了营业执照复印件') && line[2].includes('申请内容：申请公开本市2025年度政府采购合同清单（补正后）'), JSON.stringify(line));
  const shown = await facts(page);
  assert.equal(shown['申请内容'], '申请公开本市2025年度政府采购合同清单（补正后）');
  assert.match(shown['原申请内容'] ?? '', /（补正前）$/, 'the registered content is still shown');
  // search finds the corrected words
  await page.goto(`${h.base}/cases?q=${encodeURIComponent('政府采购合同清单')}`);
  assert.ok(await page.locator(`table tbody a[href="${day.corrected}"]`).count() === 1, 'found by the corrected content');
  await look(page, 'handler-search-corrected');
});

step('签发人: 待我签发; 签发 shows the reply as a 样稿 and the 签发意见 before it is numbered; then says what it issued', async () => {
  const page = await as('approver');
  assert.match(await queue(page, 'to_sign').locator('h2').innerText(), /^待我签发/);
  day.signed = await openFirst(page, 'to_sign');
  day.signedPath = new URL(page.url()).pathname;
  const box = page.locator('details.action[data-event="approve"]');
  await box.locator('summary').click();
  await box.locator('[name=remarks]').fill('同意，按期送达');
  await submit(page, box.locator('button[type=submit]'));
  assert.equal(await page.locator('h1').innerText(), '请确认：签发答复');
  assert.match(await page.locator('#confirm-step').innerText(), /签发意见\s*同意，按期送达/);
  assert.match(await page.locator('#confirm-step').innerText(), /将出具：政府信息公开申请答复书/);
  const frame = page.frameLocator('iframe.draft-frame');
  await frame.locator('#draft-banner').waitFor();
  assert.match(await frame.locator('body').innerText(), /样稿[\s\S]*（确认后编号）/);
  await look(page, 'approver-confirm');
  await submit(page, page.locator('#confirm'));
  const done = await page.locator('#done').innerText();
  assert.match(done, /^已办理：签发答复，已出具政府信息公开申请答复书 .+〔\d{4}〕\d+号。$/, done);
  assert.match(await page.locator('#next-step').innerText(), /下一步：登记员\s*送达答复书并登记送达/);
  assert.ok((await history(page)).some((r) => r[1] === '签发答复' && r[2] === '签发意见：同意，按期送达'));
  // the print view: 打印 and 返回; the 落款 keeps with the last paragraph
  const [print] = await Promise.all([page.context().waitForEvent('page'), page.locator('tr.letter[data-kind=reply] a', { hasText: '打印' }).click()]);
  await print.waitForLoadState('load');
  assert.ok(await print.locator('#print').isVisible(), '打印');
  assert.equal(await print.locator('#back').getAttribute('href'), `${day.signedPath}#letters`);
  assert.equal(await print.locator('.closing .signature').count(), 1);
  assert.equal(await print.locator('#draft-banner').count(), 0, 'an issued letter is no 样稿');
  await look(print, 'approver-print-view');
  await submit(print, print.locator('#back'));
  assert.equal(new URL(print.url()).pathname, day.signedPath);
  await print.close();
});

step('登记员: 送达 asks to confirm, then the history shows the method, tracking number and date', async () => {
  const page = await as('registrar');
  await page.goto(`${h.base}${day.signedPath}`);
  await act(page, 'deliver', async (f) => {
    await f.locator('[name=method]').selectOption('post');
    await f.locator('[name=tracking]').fill('EMS1234567890CN');
  });
  const line = (await history(page)).find((r) => r[1] === '送达答复');
  assert.ok(line && /方式：邮寄/.test(line[2]) && line[2].includes('邮件单号：EMS1234567890CN') && /^\d{4}-\d\d-\d\d$/.test(line[0]), JSON.stringify(line));
});

step('承办人: 归档 records 档号 and 保管期限', async () => {
  const page = await as('handler');
  await page.goto(`${h.base}${day.signedPath}`);
  await act(page, 'archive', async (f) => {
    await f.locator('[name=file_number]').fill('2026-依申请公开-0010');
    await f.locator('[name=retention]').selectOption('y30');
  });
  const line = (await history(page)).find((r) => r[1] === '归档');
  assert.ok(line && line[2] === '档号：2026-依申请公开-0010；保管期限：定期30年', JSON.stringify(line));
  assert.equal(await page.locator('h1 .badge').getAttribute('class'), 'badge stage-archiving');
});

step('公开办: the unassigned and the overdue of the agency; assigning says so', async () => {
  const page = await as('office');
  assert.match(await queue(page, 'unassigned').locator('h2').innerText(), /^未指定承办人的案件/);
  assert.match(await queue(page, 'overdue').locator('h2').innerText(), /^本机关超期案件/);
  // red only for late or due within 3 working days
  for (const row of await queue(page, 'unassigned').locator('tbody tr').all()) {
    const days = await row.locator('td').nth(6).innerText();
    const n = /剩余 (\d+) 个工作日/.exec(days)?.[1];
    if (n) assert.equal((await row.getAttribute('class')).includes('urgent'), Number(n) <= 3, `${days}: red only within 3 working days`);
  }
  await openFirst(page, 'unassigned');
  await page.locator('#assign-form select').selectOption({ label: '陈承办' });
  await submit(page, page.locator('#assign-form button'));
  assert.equal(await page.locator('#done').innerText(), '已指定承办人：陈承办');
  assert.equal(await page.locator('#assignee').innerText(), '陈承办');
  await look(page, 'office-assigned');
});

step('监督员: the supervised agencies\' overdue cases, read only; the audit page in Chinese and Beijing time', async () => {
  const page = await as('auditor');
  assert.match(await queue(page, 'supervised').locator('h2').innerText(), /^所监督机关的超期案件（只读）/);
  await openFirst(page, 'supervised');
  assert.equal(await page.locator('details.action').count(), 0, 'read only');
  await page.goto(`${h.base}/audit`);
  const first = await page.locator('table tbody tr').first().locator('td').allInnerTexts();
  assert.match(first[0], /^\d{4}-\d\d-\d\d \d\d:\d\d$/, `Beijing time without a zone letter: ${first[0]}`);
  const text = await page.locator('main').innerText();
  assert.ok(!/\b(login|case\.event|ip=)/.test(text), 'no codes');
  await look(page, 'auditor-audit');
});

step('管理员: adding a user without a role is refused and keeps what was typed', async () => {
  const page = await as('admin');
  await page.goto(`${h.base}/admin/users`);
  const form = page.locator('form[action="/admin/users"]');
  await form.locator('[name=username]').fill('xinren');
  await form.locator('[name=display_name]').fill('新来的承办人');
  await form.locator('[name=password]').fill('a-long-password-1');
  h.allowConsole = /status of 422/;
  await submit(page, form.locator('button[type=submit]'));
  h.allowConsole = null;
  assert.match(await page.locator('p.error').innerText(), /角色/);
  assert.equal(await page.inputValue('form[action="/admin/users"] [name=username]'), 'xinren');
  assert.equal(await page.inputValue('form[action="/admin/users"] [name=display_name]'), '新来的承办人');
  await look(page, 'admin-user-refused', { expectError: true });
});

step('the report opens on the latest year with data; zeros are not links; the agency select shows its whole text; the diagram is Graphviz\'s', async () => {
  for (const viewport of [WIDE, NARROW]) {
    const page = await as('office', viewport);
    await page.goto(`${h.base}/reports`);
    const year = Number(await page.inputValue('#report-year'));
    const links = await page.locator('#table3 td a').allInnerTexts();
    assert.ok(links.length > 0, `${year}: the year shown has data`);
    assert.ok(links.every((t) => t !== '0'), 'a 0 is not a link');
    const cut = await page.locator('#report-agency').evaluate((s) => s.scrollWidth > s.clientWidth + 1);
    assert.equal(cut, false, `the agency select is not cut off at ${viewport.width} px`);
    await look(page, `report-${viewport.width}`);
  }
  const page = await as('office');
  await page.goto(`${h.base}/admin/workflow`);
  assert.equal(await page.locator('.diagram svg g.graph').count(), 1, 'laid out by Graphviz');
  assert.match(await page.locator('#diagram-legend').innerText(), /↻/);
  await page.goto(`${h.base}${day.corrected}`);
  assert.match(await page.locator('#timeline-legend').innerText(), /周末、节假日（不计）[\s\S]*到期/);
  await look(page, 'timeline-legend');
});
