// End-to-end: the annual report pages (domain.md §5; /reports, /reports/cases, /reports/stats)
// in headless Debian Chromium, as the office (公开办) of a supervising agency:
//   a. the roll-up of the year: table 3 with its merged header, the check holding, table 4, the
//      charts, the narrative and the per-agency breakdown; no lock form for a roll-up;
//   b. a figure drills down to exactly its cases, each linking to its case;
//   c. the picker switched to the subordinate agency: its own figures, no breakdown; XLSX/DOCX;
//   d. locking the year (with a reason): an event dated in it is refused on the case page with
//      the message naming the year; unlocked, the same event is recorded;
//   e. the statistics of a quarter.
//
//   cd tests/e2e && node --test reports.test.mjs
//
// The cases are seeded through the HTTP API (Bearer tokens) in the year before last, so the
// year picker has to be used (it opens on last year). Same harness as flow.test.mjs
// (harness.mjs); screenshots: tests/artifacts/e2e/reports-NN-name.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { h, start, stop, actor, look, submit, act, stateOf, step, assertNoProblems, download, ogi, TODAY } from './harness.mjs';

const PARENT = { code: 'A1', name: '示例市人民政府办公室', pattern: '示府办依申〔{year}〕第{seq}号' };
const CHILD = { code: 'B1', name: '示例市自然资源局', pattern: '示自然资依申〔{year}〕第{seq}号' };
const USERS = {  // all of the supervising office A1: they see B1's cases too
  registrar: { name: 'dengji', password: 'registrar-pass-1' },
  handler: { name: 'chengban', password: 'handler-pass-1' },
  approver: { name: 'qianfa', password: 'approver-pass-1' },
  office: { name: 'gongkaiban', password: 'office-pass-1' },
};
const Y = Number(TODAY.slice(0, 4)) - 2;  // the report year: not the picker's default (last year)
const d = (md, year = Y) => `${year}-${md}`;
const LOCK_REASON = `${Y}年度报告已于${Y + 1}年1月发布`;
const UNLOCK_REASON = '补录遗漏的答复决定';

// Cases: [agency, applicant type, name, channel, received_on, events [[role, event, on, fields]]]
const reply = (outcome, on) => [
  ['handler', 'decide', on[0], { outcome, reasons: '经审查，依法作出答复。' }],
  ['approver', 'approve', on[1]],
  ['handler', 'deliver', on[2], { method: 'post' }],
];
const CASES = {
  a1: ['A1', 'natural_person', '赵一', 'post', d('03-04'), reply('disclosed', [d('03-15'), d('03-16'), d('03-18')])],
  a2: ['A1', 'commercial_enterprise', '某商贸有限公司', 'online', d('04-08'), [
    ...reply('not_held', [d('04-22'), d('04-23'), d('04-24')]),
    ['handler', 'remedy_filed', d('05-20'), { kind: 'reconsideration' }],
    ['handler', 'remedy_decided', d('07-15'), { remedy: 1, result: 'upheld' }]]],  // 1 = its first remedy
  a3: ['A1', 'natural_person', '钱三', 'in_person', d('06-03'), [['handler', 'withdraw', d('06-12')]]],
  a4: ['A1', 'natural_person', '孙四', 'online', d('10-14'), reply('disclosed', [d('10-28'), d('10-29'), d('10-30')])],
  b1: ['B1', 'natural_person', '李五', 'online', d('03-11'), reply('disclosed', [d('03-20'), d('03-21'), d('03-22')])],
  b2: ['B1', 'research_institution', '某大学研究院', 'post', d('11-04'),
    reply('withheld_state_secret', [d('11-18'), d('11-19'), d('11-20')])],
  b3: ['B1', 'legal_service_org', '某律师事务所', 'post', d('12-09'), []],  // open at the end of the year
  b4: ['B1', 'natural_person', '周六', 'post', d('12-16', Y - 1),  // carried in, concluded in Y
    reply('partially_disclosed', [d('01-06'), d('01-07'), d('01-08')])],
};

// The expected tables (domain.md §5), non-zero cells only; totals are added below.
const COLUMNS = ['natural_person', 'commercial_enterprise', 'research_institution', 'social_welfare_org',
  'legal_service_org', 'other_org', 'total'];
const ROWS_2021 = ['1', '2', '3.1', '3.2', '3.3.1', '3.3.2', '3.3.3', '3.3.4', '3.3.5', '3.3.6', '3.3.7', '3.3.8',
  '3.4.1', '3.4.2', '3.4.3', '3.5.1', '3.5.2', '3.5.3', '3.5.4', '3.5.5', '3.6.1', '3.6.2', '3.6.3', '3.7', '4'];
function table(nonZero) {
  const t = {};
  for (const row of ROWS_2021) {
    const cells = COLUMNS.slice(0, 6).map((c) => nonZero[row]?.[c] ?? 0);
    t[row] = [...cells, cells.reduce((a, b) => a + b, 0)];
  }
  return t;
}
const ROLLUP = table({  // A1 + B1
  1: { natural_person: 4, commercial_enterprise: 1, research_institution: 1, legal_service_org: 1 },  // a1 a3 a4 b1, a2, b2, b3
  2: { natural_person: 1 },                    // b4
  3.1: { natural_person: 3 },                  // a1 a4 b1
  3.2: { natural_person: 1 },                  // b4
  '3.3.1': { research_institution: 1 },        // b2
  '3.4.1': { commercial_enterprise: 1 },       // a2
  '3.6.3': { natural_person: 1 },              // a3 (withdrawn)
  3.7: { natural_person: 5, commercial_enterprise: 1, research_institution: 1 },
  4: { legal_service_org: 1 },                 // b3
});
const CHILD_ONLY = table({  // B1
  1: { natural_person: 1, research_institution: 1, legal_service_org: 1 },  // b1, b2, b3
  2: { natural_person: 1 },
  3.1: { natural_person: 1 },
  3.2: { natural_person: 1 },
  '3.3.1': { research_institution: 1 },
  3.7: { natural_person: 2, research_institution: 1 },
  4: { legal_service_org: 1 },
});

before(async () => {
  await start({ agency: PARENT, users: USERS, shotPrefix: 'reports-' });
  // The subordinate agency, added while the server runs (it reads agencies and users per request).
  ogi(['agency', 'add', '--db', h.db, '--code', CHILD.code, '--name', CHILD.name, '--pattern', CHILD.pattern,
    '--parent', PARENT.code]);
});
after(stop);

const seeded = {};  // key -> { id, number, name, agency }
const actors = {};
const tok = {};     // role -> API token

// ---------------------------------------------------------------------------------------------
// Helpers

async function token(role) {
  const u = h.users[role];
  const r = await fetch(`${h.base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: u.name, password: u.password }),
  });
  assert.equal(r.status, 200, `login of ${u.name} through the API`);
  return (await r.json()).token;
}

async function api(tok, method, url, body) {
  const r = await fetch(`${h.base}${url}`, {
    method, headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, text, body: text ? JSON.parse(text) : undefined };
}

// Table 3 as shown: { row: [7 figures] } read from the drill-down links, which must cover every
// figure cell (and name this year and agency).
async function shownTable3(page, agency) {
  const cells = await page.locator('#table3 td').evaluateAll((tds) => tds.map((td) => ({
    text: td.innerText.trim(), href: td.querySelector('a')?.getAttribute('href') ?? null,
    row: td.dataset.row, column: td.dataset.column,
  })));
  assert.ok(cells.length > 0, 'table 3 has figure cells');
  const t = {};
  for (const c of cells) {
    // every figure but 0 is a link to its cases (issue 15 §7: a 0 leads nowhere)
    assert.equal(Boolean(c.href), c.text !== '0', `cell "${c.text}" (${c.row}, ${c.column}): link ${c.href}`);
    if (c.href) {
      const u = new URL(c.href, h.base);
      assert.equal(u.pathname, '/reports/cases');
      assert.equal(u.searchParams.get('year'), String(Y), `drill-down link of year ${Y}: ${c.href}`);
      assert.equal(u.searchParams.get('agency'), agency, `drill-down link of agency "${agency}": ${c.href}`);
      assert.equal(u.searchParams.get('row'), c.row);
      assert.equal(u.searchParams.get('column'), c.column);
    }
    const col = COLUMNS.indexOf(c.column);
    assert.ok(col >= 0, `a known column: ${c.column}`);
    (t[c.row] ??= Array(7).fill(null))[col] = Number(c.text);
  }
  return t;
}

async function openReport(page, agencyCode) {
  await page.selectOption('#report-year', String(Y));
  await page.selectOption('#report-agency', agencyCode);
  await submit(page, page.locator('form[action="/reports"] button[type=submit]'));
  const url = new URL(page.url());
  assert.equal(url.pathname, '/reports');
  assert.equal(url.searchParams.get('year'), String(Y));
  assert.equal(url.searchParams.get('agency'), agencyCode);
}

// ---------------------------------------------------------------------------------------------

step('seed: eight cases of two agencies (A1 supervising B1) through the API', async () => {
  for (const role of ['registrar', 'handler', 'approver']) tok[role] = await token(role);
  const me = await api(tok.registrar, 'GET', '/api/v1/me');
  assert.deepEqual(me.body.agencies, ['A1', 'B1'], 'the supervising office sees its subordinate agency');
  for (const [key, [agency, type, name, channel, received_on, events]] of Object.entries(CASES)) {
    const r = await api(tok.registrar, 'POST', '/api/v1/cases', {
      agency, applicant: { type, name }, channel, received_on, content: `申请公开${name}所涉事项的相关政府信息`,
    });
    assert.equal(r.status, 201, `register ${key}: ${r.text}`);
    let c = r.body;
    for (const [role, event, on, fields = {}] of events) {
      const body = { event, on, ...fields };
      if ('remedy' in fields) body.remedy = c.remedies[fields.remedy - 1]?.id;
      const e = await api(tok[role], 'POST', `/api/v1/cases/${c.id}/events`, body);
      assert.equal(e.status, 200, `${key}: ${event} on ${on}: ${e.text}`);
      c = e.body;
    }
    seeded[key] = { id: c.id, number: c.number, name, agency };
  }
  assert.equal(seeded.b3.number.startsWith('示自然资依申'), true, `B1's number pattern: ${seeded.b3.number}`);
});

step('a. the roll-up of the year: merged header, the check, table 4, charts, narrative, breakdown', async () => {
  const { page } = (actors.office = await actor('office'));
  await submit(page, page.locator('header.top nav a:has-text("年度报告")'));
  assert.equal(new URL(page.url()).pathname, '/reports');
  assert.equal(await page.inputValue('#report-year'), String(Y + 1), 'the picker opens on last year');
  const agencyOptions = await page.locator('#report-agency option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(agencyOptions, ['', 'A1', 'B1'], 'the agency picker offers the roll-up and both agencies');
  await openReport(page, '');
  assert.match(await page.locator('section.report h2').innerText(), new RegExp(`${Y}年度`));

  // the official header: the check note over 3×3, 申请人情况 over the seven columns
  const note = page.locator('#table3 th[rowspan="3"][colspan="3"]');
  assert.equal(await note.count(), 1, 'the top-left header cell spans 3 rows and 3 columns');
  assert.match(await note.innerText(), /勾稽关系.*第一项加第二项之和.*等于第三项加第四项之和/);
  assert.equal(await page.locator('#table3 th[colspan="7"]').innerText(), '申请人情况');
  assert.equal(await page.locator('#table3 th[colspan="5"]').innerText(), '法人或其他组织');
  assert.equal(await page.locator('#table3 th[rowspan="2"]').count(), 2, '自然人 and 总计 span two header rows');
  assert.ok(await page.locator('#table3 th[rowspan]:not([colspan])').filter({ hasText: '三、本年度办理结果' }).count() === 1,
    'the 三、 block label spans its rows');

  assert.deepEqual(await shownTable3(page, ''), ROLLUP, 'table 3 of the roll-up (A1 + B1)');
  const check = page.locator('#check');
  assert.match(await check.innerText(), /勾稽关系成立/);
  assert.match(await check.getAttribute('class'), /\bok\b/);

  const t4 = await page.locator('#table4 td').evaluateAll((tds) => tds.map((td) => {
    const a = td.querySelector('a');
    if (a) {  // a link names the same cell as the figure
      const u = new URL(a.href);
      if (u.searchParams.get('row') !== td.dataset.row || u.searchParams.get('column') !== td.dataset.column) return `bad link ${a.href}`;
    }
    if (Boolean(a) !== (td.innerText.trim() !== '0')) return `${td.dataset.row}.${td.dataset.column}: a 0 is no link, any other figure is`;
    return `${td.dataset.row}.${td.dataset.column}=${td.innerText.trim()}`;
  }));
  assert.equal(t4.length, 15, 'table 4 has fifteen figures');
  for (const th of ['行政复议', '行政诉讼', '未经复议直接起诉', '复议后起诉', '尚未审结'])
    assert.ok(await page.locator('#table4 th').filter({ hasText: th }).count() > 0, `table 4 has the heading ${th}`);
  assert.deepEqual(t4.filter((x) => !x.endsWith('=0')), ['reconsideration.upheld=1', 'reconsideration.total=1'],
    'table 4: the one reconsideration, upheld');

  // charts: six outcome groups, twelve months, bar heights following the figures
  assert.equal(await page.locator('svg.chart').count(), 2, 'two charts');
  const bars = await page.locator('svg.chart').evaluateAll((svgs) => svgs.map((s) =>
    [...s.querySelectorAll('rect.bar')].map((r) => ({ title: r.querySelector('title')?.textContent, h: Number(r.getAttribute('height')) }))));
  assert.deepEqual(bars.map((b) => b.length), [6, 12], 'six outcome bars and twelve month bars');
  const outcome = Object.fromEntries(bars[0].map((b) => b.title.split('：')));
  assert.deepEqual(outcome, { 予以公开: '3', 部分公开: '1', 不予公开: '1', 无法提供: '1', 不予处理: '0', 其他处理: '1' });
  const month = bars[1];
  assert.deepEqual(month.map((b) => b.title), ['1月：0', '2月：0', '3月：2', '4月：1', '5月：0', '6月：1', '7月：0', '8月：0',
    '9月：0', '10月：1', '11月：1', '12月：1'], 'applications received per month');
  assert.ok(month[2].h > month[3].h && month[3].h > 0 && month[0].h === 0,
    `bar heights follow the counts: ${month.map((b) => b.h)}`);

  const narrative = await page.inputValue('#narrative');
  assert.match(narrative, new RegExp(`^${Y}年`));
  assert.match(narrative, /收到政府信息公开申请\s*7\s*件/);
  assert.match(narrative, /上年结转\s*1\s*件/);
  assert.match(narrative, /办结\s*7\s*件/);
  assert.match(narrative, /行政复议\s*1\s*件/);

  const breakdown = await page.locator('#breakdown tbody tr').evaluateAll((trs) => trs.map((tr) =>
    [...tr.cells].map((td) => td.innerText.trim())));
  assert.deepEqual(breakdown, [[PARENT.name, '4', '0', '4', '0'], [CHILD.name, '3', '1', '3', '1']],
    'the breakdown: received, carried in, concluded, carried out per agency');
  assert.equal(await page.locator('#lock-form').count(), 0, 'a roll-up of several agencies cannot be locked');
  await look(page, 'report-rollup');
});

step('b. a figure drills down to exactly its cases, each linking to its case', async () => {
  const { page } = actors.office;
  const reportUrl = page.url();
  const link = page.locator('#table3 a[href*="row=3.1&column=natural_person"]');
  assert.equal(await link.innerText(), '3');
  await submit(page, link);
  let url = new URL(page.url());
  assert.equal(url.pathname, '/reports/cases');
  assert.equal(url.searchParams.get('row'), '3.1');
  assert.equal((await page.locator('#cell-count').innerText()).trim(), '3');
  const rows = page.locator('tr.item');
  assert.equal(await rows.count(), 3, 'as many cases listed as the figure says');
  const listed = await rows.evaluateAll((trs) => trs.map((tr) => ({
    href: tr.querySelector('a')?.getAttribute('href'), number: tr.cells[0].innerText.trim(), name: tr.cells[1].innerText.trim(),
  })));
  const want = ['a1', 'a4', 'b1'].map((k) => seeded[k]);
  assert.deepEqual(listed.map((x) => x.name).sort(), want.map((x) => x.name).sort(), 'the disclosed cases of natural persons');
  for (const x of listed) {
    const c = want.find((w) => w.name === x.name);
    assert.equal(x.href, `/cases/${c.id}`, `${x.name} links to its case`);
    assert.equal(x.number, c.number);
  }
  await look(page, 'drilldown');
  await submit(page, rows.filter({ hasText: seeded.b1.name }).locator('a'));
  assert.equal(new URL(page.url()).pathname, `/cases/${seeded.b1.id}`);
  assert.match(await page.locator('h1').innerText(), new RegExp(seeded.b1.number.replace(/[〔〕]/g, '.')));

  // a figure of table 4 too: the upheld reconsideration is case a2
  await page.goto(reportUrl);
  await submit(page, page.locator('#table4 a[href*="row=reconsideration&column=upheld"]'));
  url = new URL(page.url());
  assert.equal(url.pathname, '/reports/cases');
  assert.equal((await page.locator('#cell-count').innerText()).trim(), '1');
  assert.deepEqual(await page.locator('tr.item a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    [`/cases/${seeded.a2.id}`]);
});

step('c. the subordinate agency alone: its own figures, no breakdown; XLSX and DOCX downloads', async () => {
  const { page } = actors.office;
  await page.goto(`${h.base}/reports`);
  await openReport(page, 'B1');
  assert.equal(await page.inputValue('#report-agency'), 'B1');
  assert.match(await page.locator('section.report h2').innerText(), new RegExp(CHILD.name));
  assert.deepEqual(await shownTable3(page, 'B1'), CHILD_ONLY, 'table 3 of B1 alone');
  assert.match(await page.locator('#check').innerText(), /勾稽关系成立/);
  assert.equal(await page.locator('#breakdown').count(), 0, 'no breakdown for one agency');
  assert.match(await page.inputValue('#narrative'), new RegExp(`${CHILD.name}共?收到政府信息公开申请\\s*3\\s*件`));
  // B1's drill-down of row 1 lists B1's cases only
  const b1row1 = page.locator('#table3 a[href*="row=1&column=total"]');
  assert.equal(await b1row1.innerText(), '3');

  const xlsx = await download(page, page.locator('#dl-xlsx'));
  assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'the XLSX is a zip file');
  assert.ok(xlsx.bytes.length > 2000, `an XLSX of some size: ${xlsx.bytes.length} bytes`);
  assert.match(xlsx.name, /\.xlsx$/);
  assert.ok(xlsx.name.includes(String(Y)), `the file name names the year: ${xlsx.name}`);
  const docx = await download(page, page.locator('#dl-docx'));
  assert.equal(docx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'the DOCX is a zip file');
  assert.match(docx.name, /\.docx$/);
  assert.equal(new URL(page.url()).pathname, '/reports', 'downloading leaves the report page in place');
  await look(page, 'report-child');

  await submit(page, b1row1);
  const names = await page.locator('tr.item').evaluateAll((trs) => trs.map((tr) => tr.cells[1].innerText.trim()));
  assert.deepEqual(names.sort(), ['b1', 'b2', 'b3'].map((k) => seeded[k].name).sort(), "row 1 of B1: B1's cases received in the year");
  await page.goBack();
});

step('d. the year locked: an event dated in it is refused on the case page; unlocked, it is recorded', async () => {
  const { page } = actors.office;
  await page.goto(`${h.base}/reports?year=${Y}&agency=B1`);
  const form = page.locator('#lock-form');
  assert.equal(await form.count(), 1, 'the office may lock the year of one agency');
  assert.equal(await page.locator('#lock-state').count(), 0, 'not locked yet');
  await form.locator('input[name=reason]').fill(LOCK_REASON);
  await submit(page, form.locator('button[type=submit]'));
  let url = new URL(page.url());
  assert.equal(url.pathname, '/reports');
  assert.equal(url.searchParams.get('error'), null, `locking was refused: ${url.searchParams.get('error')}`);
  const state = page.locator('#lock-state');
  assert.ok(await state.isVisible(), '#lock-state shows the lock');
  const stateText = await state.innerText();
  assert.ok(stateText.includes(LOCK_REASON), `the lock shows its reason: ${stateText}`);
  assert.ok(stateText.includes(USERS.office.name), `the lock shows who locked: ${stateText}`);
  assert.match(await form.locator('button[type=submit]').innerText(), /解锁/);
  await look(page, 'report-locked');

  // the handler tries to decide the open case b3 with a date in the locked year
  const { page: hd } = (actors.handler = await actor('handler'));
  await hd.goto(`${h.base}/cases/${seeded.b3.id}`);
  const before = await stateOf(hd);
  const decide = hd.locator('details.action[data-event="decide"]');
  await decide.locator('summary').click();
  await decide.locator('input[name=on]').fill(d('12-20'));
  await decide.locator('select[name=outcome]').selectOption('not_held');
  await decide.locator('textarea[name=reasons]').fill('经检索，本机关未制作或获取该信息。');
  await submit(hd, decide.locator('button[type=submit]'));
  url = new URL(hd.url());
  assert.equal(url.pathname, `/cases/${seeded.b3.id}`);
  const error = hd.locator('p.error');
  assert.equal(await error.count(), 1, 'the refusal is shown on the case page');
  const message = await error.innerText();
  assert.ok(message.includes(`${Y}年度已锁定`), `the message names the locked year: ${message}`);
  assert.equal(await stateOf(hd), before, 'the case did not move');
  assert.equal(await hd.locator('table.history td').filter({ hasText: d('12-20') }).count(), 0, 'nothing recorded');
  await look(hd, 'event-refused-locked', { expectError: true });
  // the API answers the same with 409
  const refused = await api(tok.handler, 'POST', `/api/v1/cases/${seeded.b3.id}/events`,
    { event: 'decide', on: d('12-20'), outcome: 'not_held', reasons: '经检索，本机关未制作或获取该信息。' });
  assert.equal(refused.status, 409, `an event in a locked year through the API: ${refused.text}`);
  assert.ok(refused.body?.error?.message?.includes(`${Y}年度已锁定`), refused.text);

  // unlock with a reason
  await page.goto(`${h.base}/reports?year=${Y}&agency=B1`);
  await form.locator('input[name=reason]').fill(UNLOCK_REASON);
  await submit(page, form.locator('button[type=submit]'));
  assert.equal(new URL(page.url()).searchParams.get('error'), null);
  assert.equal(await page.locator('#lock-state').count(), 0, 'the lock is gone');
  assert.match(await form.locator('button[type=submit]').innerText(), /锁定/);

  await hd.goto(`${h.base}/cases/${seeded.b3.id}`);
  await act(hd, 'decide', async (f) => {
    await f.locator('input[name=on]').fill(d('12-20'));
    await f.locator('select[name=outcome]').selectOption('not_held');
    await f.locator('textarea[name=reasons]').fill('经检索，本机关未制作或获取该信息。');
  }, { shot: false });
  assert.notEqual(await stateOf(hd), before, 'the decision is recorded once unlocked');
  assert.equal(await hd.locator('table.history td').filter({ hasText: d('12-20') }).count(), 1);
});

step('e. the statistics of a quarter', async () => {
  const { page } = actors.office;
  await page.goto(`${h.base}/reports/stats?quarter=${Y}Q4`);
  assert.match(await page.locator('main h2').first().innerText(), new RegExp(`${Y}-10-01 至 ${Y}-12-31`));
  assert.equal((await page.locator('#received').innerText()).trim(), '3', `received in ${Y}Q4: a4, b2, b3`);
  await look(page, 'stats-q4');
  await page.goto(`${h.base}/reports/stats?quarter=${Y}Q1`);
  assert.equal((await page.locator('#received').innerText()).trim(), '2', `received in ${Y}Q1: a1, b1`);
  const months = await page.locator('#by-month tr').evaluateAll((trs) => trs.map((tr) => [tr.cells[0].innerText.trim(), tr.cells[1].innerText.trim()]));
  assert.deepEqual(months.filter(([, n]) => n !== '0'), [[`${Y}-03`, '2']], `by month: ${JSON.stringify(months)}`);
});

test('no console errors, page errors, 5xx or unexpected error boxes anywhere', () => {
  assertNoProblems('end of run');
});
