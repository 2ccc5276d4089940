// The annual report, its drill-down, exports, access, roll-up over supervised agencies, period
// locks and period statistics (contract.md "Report" and "Scenario files"; domain.md §3 and §5).
//
// 1. Every ../shared/scenarios/*.json with `expect` is replayed through the API into its own
//    server; for each expected year the API (and `ogi report annual … --format json`) must give
//    exactly `expect` (format, every table-3 row and no other, table 4, the check, narrative_facts).
//    Every table cell is drilled into (/reports/annual/cases): the ids must be exactly the cases
//    the counting convention of domain.md §5 puts there, computed here from GET /cases/{id}.
// 2. Exports (csv, html, xlsx, docx; pdf refused) from the API and the command line.
// 3. Access and parameter errors.
// 4. Roll-up: a supervising agency with children (and a grandchild) created with --parent.
// 5. Period locks: who, reasons, conflicts, writes refused in the locked year with nothing
//    written, audit rows, the report's `locked`.
// 6. /reports/stats over a small set of cases whose working days are counted by hand from the
//    official 2024 calendar (Spring Festival and Qingming make-up days included).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CASE_TABLES, SCENARIO_ROLES, Server, TODAY, assertError, ogi, pool, replayScenario, scenarioFiles, useServer,
} from './helpers.mjs';

const COLUMNS = ['natural_person', 'commercial_enterprise', 'research_institution', 'social_welfare_org',
  'legal_service_org', 'other_org', 'total'];
const T4_GROUPS = ['reconsideration', 'litigation', 'litigation_after_reconsideration'];
const T4_COLUMNS = ['upheld', 'corrected', 'other', 'pending', 'total'];
const ROWS_COMMON_HEAD = ['1', '2', '3.1', '3.2', '3.3.1', '3.3.2', '3.3.3', '3.3.4', '3.3.5', '3.3.6', '3.3.7', '3.3.8',
  '3.4.1', '3.4.2', '3.4.3', '3.5.1', '3.5.2', '3.5.3', '3.5.4', '3.5.5'];
const ROWS = {
  2021: [...ROWS_COMMON_HEAD, '3.6.1', '3.6.2', '3.6.3', '3.7', '4'],
  2019: [...ROWS_COMMON_HEAD, '3.6', '3.7', '4'],
};
// domain.md §4: outcome → table-3 row (format 2021; 2019 folds 3.6.x into 3.6).
const OUTCOME_ROW = {
  already_public: '3.1', disclosed: '3.1', partially_disclosed: '3.2',
  withheld_state_secret: '3.3.1', withheld_law_prohibited: '3.3.2', withheld_security_stability: '3.3.3',
  withheld_third_party: '3.3.4', withheld_internal_affairs: '3.3.5', withheld_process_info: '3.3.6',
  withheld_enforcement_file: '3.3.7', withheld_admin_query: '3.3.8',
  not_held: '3.4.1', not_responsible: '3.4.1', needs_creation: '3.4.2', still_unclear: '3.4.3',
  petition: '3.5.1', duplicate: '3.5.2', publication: '3.5.3', excessive: '3.5.4', confirm_or_reissue: '3.5.5',
  no_correction: '3.6.1', fee_unpaid: '3.6.2', withdrawn: '3.6.3', other: '3.6.3',
};
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const FUTURE_YEAR = Number(TODAY.slice(0, 4)) + 1;

const annualPath = (year, agency, extra = '') =>
  `/api/v1/reports/annual?year=${year}${agency ? `&agency=${encodeURIComponent(agency)}` : ''}${extra}`;
const cellPath = (year, agency, row, column) =>
  `/api/v1/reports/annual/cases?year=${year}${agency ? `&agency=${encodeURIComponent(agency)}` : ''}` +
  `&row=${encodeURIComponent(row)}&column=${encodeURIComponent(column)}`;

// Temporary files for the command line's --out.
const outDir = mkdtempSync(path.join(tmpdir(), 'ogi-reports-'));
after(() => rmSync(outDir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// The counting convention of domain.md §5, from the cases as GET /cases/{id} shows them.

function rowsOfCase(c, year, format) {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const rows = [];
  const concl = c.concluded_on;
  if (c.received_on >= start && c.received_on <= end) rows.push('1');
  if (c.received_on < start && !(concl && concl < start)) rows.push('2');
  if (concl && concl >= start && concl <= end) {
    let r = OUTCOME_ROW[c.outcome];
    assert.ok(r, `case ${c.id}: unknown outcome ${c.outcome}`);
    if (format === '2019' && r.startsWith('3.6')) r = '3.6';
    rows.push(r, '3.7');
  }
  if (c.received_on <= end && !(concl && concl <= end)) rows.push('4');
  return rows;
}

// {kind, column} cells of table 4 a case counts in for `year` (one per proceeding).
function remedyCellsOfCase(c, year) {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const out = [];
  for (const m of c.remedies ?? []) {
    if (m.filed_on > end) continue;
    if (m.decided_on && m.decided_on < start) continue;
    const decidedInYear = m.decided_on && m.decided_on <= end;
    out.push({ kind: m.kind, column: decidedInYear ? m.result : 'pending' });
  }
  return out;
}

// The ids the convention puts in a table-3 cell.
function expectedTable3Ids(cases, year, format, row, column) {
  return cases
    .filter((c) => (column === 'total' || c.applicant.type === column) && rowsOfCase(c, year, format).includes(row))
    .map((c) => c.id)
    .sort((a, b) => a - b);
}

function expectedTable4Ids(cases, year, kind, column) {
  const ids = new Set();
  for (const c of cases)
    for (const cell of remedyCellsOfCase(c, year))
      if (cell.kind === kind && (column === 'total' || cell.column === column)) ids.add(c.id);
  return [...ids].sort((a, b) => a - b);
}

// Checks the report JSON against a scenario's expect for one year.
function assertMatchesExpect(body, exp, year, where) {
  assert.equal(body.year, Number(year), `${where}: year`);
  assert.equal(body.format, exp.format, `${where}: format`);
  assert.deepEqual(body.columns, COLUMNS, `${where}: columns`);
  assert.deepEqual(Object.keys(body.table3).sort(), Object.keys(exp.table3).sort(), `${where}: the row keys of table 3`);
  assert.deepEqual(Object.keys(body.table3).sort(), [...ROWS[exp.format]].sort(), `${where}: the format's row keys`);
  for (const [row, values] of Object.entries(exp.table3))
    assert.deepEqual(body.table3[row], values, `${where}: table3 row ${row}`);
  assert.deepEqual(body.table4, exp.table4, `${where}: table4`);
  assert.equal(body.check?.holds, true, `${where}: check.holds (${JSON.stringify(body.check)})`);
}

function assertNarrativeFacts(body, exp, where) {
  const received = exp.table3['1'][6];
  assert.equal(body.narrative_facts?.received, received, `${where}: narrative_facts.received = row 1 total`);
  const chanSum = Object.values(body.narrative_facts.channels ?? {}).reduce((a, b) => a + b, 0);
  assert.equal(chanSum, received, `${where}: the channels add up to the received count`);
  if (exp.narrative_facts) {
    const nf = exp.narrative_facts;
    if ('received' in nf) assert.equal(body.narrative_facts.received, nf.received, `${where}: narrative_facts.received`);
    if ('channels' in nf) assert.deepEqual(body.narrative_facts.channels, nf.channels, `${where}: narrative_facts.channels`);
    if ('on_time_rate' in nf) {
      if (nf.on_time_rate === null) assert.equal(body.narrative_facts.on_time_rate, null, `${where}: on_time_rate`);
      else assert.ok(Math.abs(body.narrative_facts.on_time_rate - nf.on_time_rate) < 1e-9,
        `${where}: on_time_rate ${body.narrative_facts.on_time_rate}, expected ${nf.on_time_rate}`);
    }
  }
  assert.ok(Array.isArray(body.intake_by_month) && body.intake_by_month.length === 12, `${where}: intake_by_month[12]`);
  assert.equal(body.intake_by_month.reduce((a, b) => a + b, 0), received, `${where}: intake_by_month adds up to row 1`);
  assert.equal(typeof body.narrative, 'string', `${where}: narrative`);
  assert.ok(body.narrative.trim().length >= 20, `${where}: narrative is too short: ${body.narrative}`);
  assert.match(body.narrative, /[\u4e00-\u9fff]{4}/, `${where}: narrative should be Chinese: ${body.narrative}`);
  assert.match(body.narrative, new RegExp(`(?<![0-9])${received}(?![0-9])`),
    `${where}: narrative should state the received count ${received}: ${body.narrative}`);
}

// ---------------------------------------------------------------------------------------------
// 1 + 2 + 3: scenarios, drill-down, exports

const withExpect = scenarioFiles().filter(({ scenario }) => scenario.expect && Object.keys(scenario.expect).length);

test('there are scenario files with expect', () => {
  assert.ok(withExpect.length > 0, 'no scenario file has `expect`');
});

for (const { file, scenario } of withExpect) {
  describe(`scenario ${file}`, () => {
    const code = scenario.agency.code;
    const user = 'scenario';
    const srv = new Server({
      agencies: [{ code, name: scenario.agency.name }],
      users: [{ name: user, agency: code, roles: SCENARIO_ROLES }],
    });
    let replay;
    let cases; // as GET /cases/{id} shows them
    before(async () => {
      await srv.ensureStarted();
      replay = await replayScenario(srv, user, scenario);
      const shown = await pool(replay.ids.filter((id) => id !== null), 8, (id) => srv.api(user, 'GET', `/api/v1/cases/${id}`));
      cases = shown.filter((r) => r.status === 200).map((r) => r.body);
    });
    after(() => srv.stop());

    test('replays through the API without problems', () => {
      assert.deepEqual(replay.problems, [], replay.problems.join('\n'));
      assert.equal(cases.length, scenario.cases.length);
    });

    for (const [year, exp] of Object.entries(scenario.expect)) {
      test(`${year}: GET /reports/annual reproduces expect`, async () => {
        const r = await srv.api(user, 'GET', annualPath(year, code));
        assert.equal(r.status, 200, r.text);
        assert.match(r.headers.get('content-type') ?? '', /application\/json/);
        assertMatchesExpect(r.body, exp, year, `API ${file} ${year}`);
        assert.deepEqual(r.body.agencies, [code]);
        assert.equal(r.body.breakdown, undefined, 'one agency: no breakdown');
        assert.equal(r.body.locked, null, 'not locked');
        assertNarrativeFacts(r.body, exp, `API ${file} ${year}`);
        // The counting convention, recomputed here from the cases, gives the same tables (this
        // guards the drill-down expectations below).
        for (const row of ROWS[exp.format])
          for (const [i, col] of COLUMNS.entries())
            assert.equal(expectedTable3Ids(cases, year, exp.format, row, col).length, exp.table3[row][i],
              `test's own convention disagrees with expect at ${row}/${col}`);
      });

      test(`${year}: ogi report annual --format json prints the same tables`, async () => {
        const out = await ogi(['report', 'annual', '--db', srv.db, '--year', String(year), '--agency', code, '--format', 'json']);
        const body = JSON.parse(out);
        assertMatchesExpect(body, exp, year, `CLI ${file} ${year}`);
        assertNarrativeFacts(body, exp, `CLI ${file} ${year}`);
        const api = await srv.api(user, 'GET', annualPath(year, code));
        assert.equal(body.narrative, api.body.narrative, 'CLI and API write the same narrative');
      });

      test(`${year}: every cell drills down to exactly its cases`, async () => {
        const cells = [];
        for (const row of ROWS[exp.format])
          for (const [i, col] of COLUMNS.entries()) cells.push({ row, col, value: exp.table3[row][i], t: 3 });
        for (const g of T4_GROUPS) for (const col of T4_COLUMNS) cells.push({ row: g, col, value: exp.table4[g][col], t: 4 });
        // The sample the brief names must be there and non-zero somewhere (demo file).
        const problems = [];
        await pool(cells, 8, async ({ row, col, value, t }) => {
          const r = await srv.api(user, 'GET', cellPath(year, code, row, col));
          if (r.status !== 200) return problems.push(`${row}/${col}: ${r.status} ${r.text}`);
          const { count, ids } = r.body;
          if (r.body.year !== Number(year)) problems.push(`${row}/${col}: year ${r.body.year}`);
          if (count !== value) problems.push(`${row}/${col}: count ${count}, cell ${value}`);
          if (!Array.isArray(ids) || ids.length !== count) return problems.push(`${row}/${col}: ids ${JSON.stringify(ids)} vs count ${count}`);
          if (new Set(ids).size !== ids.length) problems.push(`${row}/${col}: duplicate ids ${ids}`);
          const want = t === 3 ? expectedTable3Ids(cases, year, exp.format, row, col) : expectedTable4Ids(cases, year, row, col);
          const got = [...ids].sort((a, b) => a - b);
          if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${row}/${col}: ids ${got}, expected ${want}`);
        });
        assert.deepEqual(problems, [], `${problems.length} drill-down problem(s):\n${problems.join('\n')}`);
        // The union of the outcome rows is row 3.7.
        const leaves = ROWS[exp.format].filter((k) => k.startsWith('3.') && k !== '3.7');
        const union = new Set();
        for (const k of leaves) for (const id of (await srv.api(user, 'GET', cellPath(year, code, k, 'total'))).body.ids) union.add(id);
        const all = (await srv.api(user, 'GET', cellPath(year, code, '3.7', 'total'))).body.ids;
        assert.deepEqual([...union].sort((a, b) => a - b), [...all].sort((a, b) => a - b), 'outcome rows make up 3.7');
      });

      test(`${year}: exports csv, html, xlsx, docx; pdf refused`, async () => {
        const csv = await srv.api(user, 'GET', annualPath(year, code, '&format=csv'));
        assert.equal(csv.status, 200, csv.text);
        assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
        assert.match(csv.headers.get('content-disposition') ?? '', /attachment/);
        const lines = csv.text.replace(/^\uFEFF/, '').split(/\r?\n/);
        for (const row of ROWS[exp.format])
          assert.ok(lines.some((l) => l.startsWith(`table3,${row},`)), `csv has row ${row}`);
        const row1 = lines.find((l) => l.startsWith('table3,1,'));
        assert.ok(row1.endsWith(',' + exp.table3['1'].join(',')), `csv row 1 figures: ${row1}`);
        const r37 = lines.find((l) => l.startsWith('table3,3.7,'));
        assert.ok(r37.endsWith(',' + exp.table3['3.7'].join(',')), `csv row 3.7 figures: ${r37}`);
        const rc = exp.table4.reconsideration;
        const t4 = lines.find((l) => l.startsWith('table4,reconsideration,'));
        assert.ok(t4 && t4.includes(`,${rc.upheld},${rc.corrected},${rc.other},${rc.pending},${rc.total}`), `csv table 4: ${t4}`);

        const html = await srv.api(user, 'GET', annualPath(year, code, '&format=html'));
        assert.equal(html.status, 200);
        assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
        assert.ok(html.text.includes('勾稽关系'), 'html states the check relation');
        assert.match(html.text, /<table[\s>]/);
        assert.ok(html.text.includes('三、收到和处理政府信息公开申请情况'), 'html has table three');
        assert.ok(html.text.includes(`>${exp.table3['1'][6]}<`), 'html shows the row-1 total');

        for (const [fmt, type] of [['xlsx', XLSX_TYPE], ['docx', DOCX_TYPE]]) {
          const r = await srv.api(user, 'GET', annualPath(year, code, `&format=${fmt}`));
          assert.equal(r.status, 200, `${fmt}: ${r.text.slice(0, 200)}`);
          assert.equal(r.headers.get('content-type'), type, `${fmt} content type`);
          assert.equal(r.buf.subarray(0, 2).toString('latin1'), 'PK', `${fmt} is a zip`);
          assert.ok(r.buf.length > 1000, `${fmt} is not trivially small`);
          const cd = r.headers.get('content-disposition') ?? '';
          assert.match(cd, /^attachment;/, `${fmt} Content-Disposition: ${cd}`);
          assert.match(cd, new RegExp(`filename="[^"]+\\.${fmt}"`), `${fmt} filename: ${cd}`);
          assert.ok(decodeURIComponent(cd.split("UTF-8''")[1] ?? '').includes(String(year)), `${fmt} filename names the year: ${cd}`);
        }

        const pdf = await srv.api(user, 'GET', annualPath(year, code, '&format=pdf'));
        assertError(pdf, 422, pdf.body?.error?.code, 'format');
      });

      test(`${year}: the command line writes the same csv, and xlsx/docx/html files`, async () => {
        const csvFile = path.join(outDir, `${file}-${year}.csv`);
        await ogi(['report', 'annual', '--db', srv.db, '--year', String(year), '--agency', code, '--format', 'csv', '--out', csvFile]);
        const api = await srv.api(user, 'GET', annualPath(year, code, '&format=csv'));
        assert.equal(readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, ''), api.text.replace(/^\uFEFF/, ''), 'CLI csv = API csv');
        for (const fmt of ['xlsx', 'docx']) {
          const f = path.join(outDir, `${file}-${year}.${fmt}`);
          await ogi(['report', 'annual', '--db', srv.db, '--year', String(year), '--agency', code, '--format', fmt, '--out', f]);
          assert.equal(readFileSync(f).subarray(0, 2).toString('latin1'), 'PK', `CLI ${fmt}`);
        }
        const html = await ogi(['report', 'annual', '--db', srv.db, '--year', String(year), '--agency', code, '--format', 'html']);
        assert.ok(html.includes('勾稽关系') && html.includes('<table'), 'CLI html');
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Shared helpers for the hand-made cases below.

// A minimal registration body (only what the contract requires).
function minimal(agency, type, received_on, channel = 'post', name = '申请人') {
  return { agency, applicant: { type, name }, channel, received_on, content: '申请公开某项目的批复文件' };
}

async function register(srv, user, body) {
  const r = await srv.api(user, 'POST', '/api/v1/cases', body);
  assert.equal(r.status, 201, `register ${JSON.stringify(body)}: ${r.text}`);
  return r.body.id;
}

async function event(srv, user, id, body, status = 200) {
  const r = await srv.api(user, 'POST', `/api/v1/cases/${id}/events`, body);
  assert.equal(r.status, status, `case ${id} ${JSON.stringify(body)}: ${r.status} ${r.text}`);
  return r;
}

// decide (by `handler`), approve (by `approver`), deliver (by `deliverer`).
async function conclude(srv, id, { outcome, decideOn, approveOn = decideOn, deliverOn = approveOn, method = 'post',
  handler, approver = handler, deliverer = handler }) {
  await event(srv, handler, id, { event: 'decide', on: decideOn, outcome, reasons: '经审查' });
  await event(srv, approver, id, { event: 'approve', on: approveOn });
  return event(srv, deliverer, id, { event: 'deliver', on: deliverOn, method });
}

const sumRows = (a, b) => a.map((x, i) => x + b[i]);

// ---------------------------------------------------------------------------------------------
// 4: access and parameter errors

describe('access and errors', () => {
  const srv = useServer({
    users: [
      { name: 'reg', roles: ['registrar'] },
      { name: 'hdl', roles: ['handler'] },
      { name: 'apr', roles: ['approver'] },
      { name: 'off', roles: ['office'] },
      { name: 'aud', roles: ['auditor'] },
      { name: 'adm', roles: ['admin'] },
      { name: 'bee', agency: 'B2', roles: ['registrar', 'handler', 'approver', 'office'] },
    ],
  });

  test('readers: handler, approver, office, auditor get 200 for their agency', async () => {
    for (const u of ['hdl', 'apr', 'off', 'aud']) {
      const r = await srv.api(u, 'GET', annualPath(2024, 'A1'));
      assert.equal(r.status, 200, `${u}: ${r.text}`);
      assert.equal(r.body.year, 2024);
      assert.equal(r.body.format, '2021');
      assert.deepEqual(r.body.agencies, ['A1']);
      for (const row of ROWS[2021]) assert.deepEqual(r.body.table3[row], [0, 0, 0, 0, 0, 0, 0], `${u}: empty row ${row}`);
      const own = await srv.api(u, 'GET', annualPath(2024, ''));
      assert.equal(own.status, 200, `${u} without agency: ${own.text}`);
      assert.deepEqual(own.body.agencies, ['A1'], 'no agency: the own one only');
    }
    const f2019 = await srv.api('off', 'GET', annualPath(2020, 'A1'));
    assert.equal(f2019.body.format, '2019');
    assert.deepEqual(Object.keys(f2019.body.table3).sort(), [...ROWS[2019]].sort());
  });

  test('year=abc, a future year, year before 2008 → 422 naming year', async () => {
    for (const y of ['abc', '2024x', String(FUTURE_YEAR), '2007']) {
      const r = await srv.api('off', 'GET', `/api/v1/reports/annual?year=${y}&agency=A1`);
      assertError(r, 422, r.body?.error?.code, 'year');
      const c = await srv.api('off', 'GET', `/api/v1/reports/annual/cases?year=${y}&agency=A1&row=1&column=total`);
      assertError(c, 422, c.body?.error?.code, 'year');
    }
    const thisYear = await srv.api('off', 'GET', annualPath(Number(TODAY.slice(0, 4)), 'A1'));
    assert.equal(thisYear.status, 200, 'the current year is allowed');
  });

  test('registrar-only and admin-only users → 403; another agency → 403; no or bad token → 401', async () => {
    for (const u of ['reg', 'adm']) {
      const r = await srv.api(u, 'GET', annualPath(2024, 'A1'));
      assertError(r, 403, r.body?.error?.code);
      const c = await srv.api(u, 'GET', cellPath(2024, 'A1', '1', 'total'));
      assertError(c, 403, c.body?.error?.code);
      const s = await srv.api(u, 'GET', '/api/v1/reports/stats?quarter=2024Q1');
      assertError(s, 403, s.body?.error?.code);
      const x = await srv.api(u, 'GET', annualPath(2024, 'A1', '&format=xlsx'));
      assertError(x, 403, x.body?.error?.code);
    }
    for (const [u, other] of [['off', 'B2'], ['bee', 'A1']]) {
      const r = await srv.api(u, 'GET', annualPath(2024, other));
      assertError(r, 403, r.body?.error?.code);
      const c = await srv.api(u, 'GET', cellPath(2024, other, '1', 'total'));
      assertError(c, 403, c.body?.error?.code);
      const s = await srv.api(u, 'GET', `/api/v1/reports/stats?quarter=2024Q1&agency=${other}`);
      assertError(s, 403, s.body?.error?.code);
    }
    const unknown = await srv.api('off', 'GET', annualPath(2024, 'ZZ9'));
    assert.ok([403, 404].includes(unknown.status), `unknown agency: ${unknown.status}`);
    for (const p of [annualPath(2024, 'A1'), cellPath(2024, 'A1', '1', 'total'), '/api/v1/reports/stats?quarter=2024Q1',
      '/api/v1/reports/locks']) {
      const none = await srv.request('GET', p);
      assertError(none, 401, none.body?.error?.code);
      const bad = await srv.request('GET', p, { token: 'f'.repeat(64) });
      assertError(bad, 401, bad.body?.error?.code);
    }
  });

  test('drill-down: unknown row or column → 422; format-2019 rows only in 2019/2020', async () => {
    for (const [row, col, field] of [['9.9', 'total', 'row'], ['3.3.1', 'robot', 'column'], ['reconsideration', 'natural_person', 'column']]) {
      const r = await srv.api('off', 'GET', cellPath(2024, 'A1', row, col));
      assertError(r, 422, r.body?.error?.code, field);
    }
    const r36in2024 = await srv.api('off', 'GET', cellPath(2024, 'A1', '3.6', 'total'));
    assertError(r36in2024, 422, r36in2024.body?.error?.code, 'row');
    const r361in2020 = await srv.api('off', 'GET', cellPath(2020, 'A1', '3.6.1', 'total'));
    assertError(r361in2020, 422, r361in2020.body?.error?.code, 'row');
    const ok = await srv.api('off', 'GET', cellPath(2020, 'A1', '3.6', 'total'));
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.body, { year: 2020, count: 0, ids: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// 5: roll-up over supervised agencies

describe('roll-up: a supervising agency and its agencies', () => {
  // Codes sort so that the supervising agency is not first.
  const P = { code: 'P', name: '示例市人民政府办公室', pattern: '示办〔{year}〕第{seq}号' };
  const C1 = { code: 'C1', name: '示例市教育局', pattern: '示教〔{year}〕第{seq}号', parent: 'P' };
  const C2 = { code: 'C2', name: '示例市财政局', pattern: '示财〔{year}〕第{seq}号', parent: 'P' };
  const G3 = { code: 'G3', name: '示例市财政局国库中心', pattern: '示库〔{year}〕第{seq}号', parent: 'C2' };
  const X9 = { code: 'X9', name: '无关机关', pattern: '无〔{year}〕第{seq}号' };
  const ALL = ['registrar', 'handler', 'approver', 'office'];
  const srv = useServer({
    agencies: [P, C1, C2, G3, X9],
    users: [
      { name: 'pall', agency: 'P', roles: ALL },
      { name: 'c1all', agency: 'C1', roles: ALL },
      { name: 'c2off', agency: 'C2', roles: ['office'] },
      { name: 'x9all', agency: 'X9', roles: ALL },
    ],
  });
  const Y = 2024;

  before(async () => {
    const u = 'pall';
    const done = (id, outcome, on = '2024-03-15') => conclude(srv, id, { outcome, decideOn: on, handler: u });
    // P: one disclosed, one still open
    await done(await register(srv, u, minimal('P', 'natural_person', '2024-03-01')), 'disclosed');
    await register(srv, u, minimal('P', 'commercial_enterprise', '2024-11-20'));
    // C1: not held; open; received 2023 and concluded 2024 (row 2)
    await done(await register(srv, u, minimal('C1', 'natural_person', '2024-03-04', 'online')), 'not_held');
    await register(srv, u, minimal('C1', 'research_institution', '2024-12-02'));
    await done(await register(srv, u, minimal('C1', 'social_welfare_org', '2023-12-20')), 'already_public', '2024-01-10');
    // C2: withdrawn; disclosed and then a reconsideration still pending
    const w = await register(srv, u, minimal('C2', 'other_org', '2024-05-06'));
    await event(srv, u, w, { event: 'withdraw', on: '2024-05-08' });
    const d = await register(srv, u, minimal('C2', 'natural_person', '2024-06-03'));
    await done(d, 'partially_disclosed', '2024-06-20');
    await event(srv, u, d, { event: 'remedy_filed', on: '2024-07-01', kind: 'reconsideration' });
    // G3 (below C2): a petition
    await done(await register(srv, u, minimal('G3', 'legal_service_org', '2024-08-01')), 'petition', '2024-08-05');
    // X9 is not below P: must never count
    const x = await register(srv, 'x9all', minimal('X9', 'natural_person', '2024-04-01'));
    await conclude(srv, x, { outcome: 'disclosed', decideOn: '2024-04-10', handler: 'x9all' });
  });

  test('without agency: the sum over P, C1, C2, G3 with a breakdown per agency', async () => {
    const all = await srv.api('pall', 'GET', annualPath(Y, ''));
    assert.equal(all.status, 200, all.text);
    assert.deepEqual([...all.body.agencies].sort(), ['C1', 'C2', 'G3', 'P']);
    assert.equal(all.body.check.holds, true);
    // by hand: 7 received in 2024, 1 carried in, 6 concluded, 2 carried out
    assert.equal(all.body.table3['1'][6], 7, 'row 1');
    assert.equal(all.body.table3['2'][6], 1, 'row 2');
    assert.equal(all.body.table3['3.7'][6], 6, 'row 3.7');
    assert.equal(all.body.table3['4'][6], 2, 'row 4');
    assert.deepEqual(all.body.table3['3.1'], [1, 0, 0, 1, 0, 0, 2], 'row 3.1');
    assert.deepEqual(all.body.table3['3.5.1'], [0, 0, 0, 0, 1, 0, 1], 'row 3.5.1 (the grandchild)');
    assert.equal(all.body.table4.reconsideration.pending, 1);
    assert.equal(all.body.narrative_facts.received, 7);

    // element-wise sum of each agency's own report
    const own = {};
    for (const a of ['P', 'C1', 'C2', 'G3']) {
      const r = await srv.api('pall', 'GET', annualPath(Y, a));
      assert.equal(r.status, 200, `${a}: ${r.text}`);
      assert.deepEqual(r.body.agencies, [a]);
      assert.equal(r.body.breakdown, undefined, `${a}: single agency, no breakdown`);
      own[a] = r.body;
    }
    assert.equal(own.G3.table3['3.5.1'][6], 1, 'G3 alone has its petition');
    assert.equal(own.P.table3['1'][6], 2, 'P alone: its own two cases');
    for (const row of ROWS[2021]) {
      const sum = Object.values(own).map((b) => b.table3[row]).reduce(sumRows);
      assert.deepEqual(all.body.table3[row], sum, `row ${row} = sum of the agencies`);
    }
    for (const g of T4_GROUPS)
      for (const col of T4_COLUMNS) {
        const sum = Object.values(own).reduce((n, b) => n + b.table4[g][col], 0);
        assert.equal(all.body.table4[g][col], sum, `table4 ${g}/${col}`);
      }

    assert.ok(Array.isArray(all.body.breakdown), 'breakdown present');
    assert.deepEqual(all.body.breakdown.map((b) => b.agency).sort(), ['C1', 'C2', 'G3', 'P']);
    for (const b of all.body.breakdown) {
      const a = own[b.agency];
      assert.deepEqual(b.table3, a.table3, `breakdown ${b.agency} table3`);
      assert.deepEqual(b.table4, a.table4, `breakdown ${b.agency} table4`);
      assert.equal(b.name, [P, C1, C2, G3].find((x) => x.code === b.agency).name, `breakdown ${b.agency} name`);
    }
    // drill-down over the roll-up
    const cell = await srv.api('pall', 'GET', cellPath(Y, '', '1', 'total'));
    assert.equal(cell.body.count, 7);
    // CLI --agency P: P alone
    const cli = JSON.parse(await ogi(['report', 'annual', '--db', srv.db, '--year', String(Y), '--agency', 'P', '--format', 'json']));
    assert.deepEqual(cli.table3, own.P.table3);
  });

  test('the roll-up title names the supervising agency', async () => {
    const all = await srv.api('pall', 'GET', annualPath(Y, ''));
    const problems = [];
    if (!all.body.title.startsWith(P.name)) problems.push(`title should start with ${P.name}: ${all.body.title}`);
    if (!all.body.narrative.includes(P.name)) problems.push(`narrative should name ${P.name}: ${all.body.narrative}`);
    for (const f of ['html', 'csv']) {
      const r = await srv.api('pall', 'GET', annualPath(Y, '', `&format=${f}`));
      assert.equal(r.status, 200);
      if (r.text.includes(`${C1.name}及所属机关`)) problems.push(`${f} names ${C1.name} as the supervising agency`);
    }
    assert.deepEqual(problems, []);
  });

  test('with agency=C1: only C1', async () => {
    const r = await srv.api('pall', 'GET', annualPath(Y, 'C1'));
    assert.deepEqual(r.body.agencies, ['C1']);
    assert.equal(r.body.table3['1'][6], 2);
    assert.equal(r.body.table3['2'][6], 1);
    assert.deepEqual(r.body.table3['3.4.1'], [1, 0, 0, 0, 0, 0, 1]);
    assert.equal(r.body.title, C1.name);
  });

  test("a child's users see their own subtree only; never P's report", async () => {
    const c1 = await srv.api('c1all', 'GET', annualPath(Y, ''));
    assert.equal(c1.status, 200, c1.text);
    assert.deepEqual(c1.body.agencies, ['C1']);
    assert.equal(c1.body.breakdown, undefined);
    assert.equal(c1.body.table3['1'][6], 2);
    for (const [u, a] of [['c1all', 'P'], ['c1all', 'C2'], ['c2off', 'P'], ['c2off', 'C1'], ['x9all', 'P'], ['x9all', 'G3']]) {
      const r = await srv.api(u, 'GET', annualPath(Y, a));
      assertError(r, 403, r.body?.error?.code);
      const c = await srv.api(u, 'GET', cellPath(Y, a, '1', 'total'));
      assertError(c, 403, c.body?.error?.code);
    }
    // C2 supervises G3: its roll-up is C2 + G3
    const c2 = await srv.api('c2off', 'GET', annualPath(Y, ''));
    assert.equal(c2.status, 200, c2.text);
    assert.deepEqual([...c2.body.agencies].sort(), ['C2', 'G3']);
    assert.equal(c2.body.table3['1'][6], 3);
    assert.deepEqual(c2.body.breakdown.map((b) => b.agency).sort(), ['C2', 'G3']);
    const g3 = await srv.api('c2off', 'GET', annualPath(Y, 'G3'));
    assert.equal(g3.status, 200);
    assert.equal(g3.body.table3['1'][6], 1);
  });
});

// ---------------------------------------------------------------------------------------------
// 6: period locks

describe('period locks', () => {
  const srv = useServer({
    users: [
      { name: 'off', roles: ['office'] },
      { name: 'all', roles: ['registrar', 'handler', 'approver', 'office'] },
      { name: 'hdl', roles: ['registrar', 'handler', 'approver'] },
      { name: 'aud', roles: ['auditor'] },
      { name: 'adm', roles: ['admin'] },
      { name: 'bee', agency: 'B2', roles: ['registrar', 'handler', 'approver', 'office'] },
    ],
  });
  const REASON = '2024年度报告已于2025年1月20日发布';
  const UNREASON = '更正2024年度一件误登记的案件';
  let x; // A1, received 2024
  let y; // A1, received 2025

  before(async () => {
    x = await register(srv, 'hdl', registration2('2024-03-01'));
    y = await register(srv, 'hdl', registration2('2025-03-03'));
  });
  function registration2(received_on, agency = 'A1') {
    return minimal(agency, 'natural_person', received_on, 'post', '李四');
  }

  test('only the office locks; a reason is required; years are checked', async () => {
    for (const u of ['hdl', 'aud', 'adm']) {
      const r = await srv.api(u, 'POST', '/api/v1/reports/locks', { agency: 'A1', year: 2024, locked: true, reason: REASON });
      assertError(r, 403, r.body?.error?.code);
    }
    for (const reason of [undefined, '', '   ']) {
      const body = { agency: 'A1', year: 2024, locked: true };
      if (reason !== undefined) body.reason = reason;
      const r = await srv.api('off', 'POST', '/api/v1/reports/locks', body);
      assertError(r, 422, r.body?.error?.code, 'reason');
    }
    const fut = await srv.api('off', 'POST', '/api/v1/reports/locks', { agency: 'A1', year: FUTURE_YEAR, locked: true, reason: REASON });
    assertError(fut, 422, fut.body?.error?.code, 'year');
    const other = await srv.api('off', 'POST', '/api/v1/reports/locks', { agency: 'B2', year: 2024, locked: true, reason: REASON });
    assertError(other, 403, other.body?.error?.code);
    const list = await srv.api('off', 'GET', '/api/v1/reports/locks');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, [], 'nothing locked by the refused attempts');
    assert.equal(srv.counts(['period_locks']).period_locks, 0);
  });

  test('lock 2024: listed, shown on the report, second lock 409', async () => {
    const r = await srv.api('off', 'POST', '/api/v1/reports/locks', { agency: 'A1', year: 2024, locked: true, reason: REASON });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { agency: 'A1', year: 2024, locked: true });
    const again = await srv.api('off', 'POST', '/api/v1/reports/locks', { agency: 'A1', year: 2024, locked: true, reason: REASON });
    assertError(again, 409, again.body?.error?.code);
    const list = await srv.api('hdl', 'GET', '/api/v1/reports/locks');
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 1);
    assert.equal(list.body[0].agency, 'A1');
    assert.equal(list.body[0].year, 2024);
    assert.equal(list.body[0].reason, REASON);
    assert.equal(list.body[0].locked_by, 'off');
    const rep = await srv.api('off', 'GET', annualPath(2024, 'A1'));
    assert.ok(rep.body.locked && typeof rep.body.locked === 'object', `locked: ${JSON.stringify(rep.body.locked)}`);
    assert.equal(rep.body.locked.reason, REASON);
    assert.equal(rep.body.locked.locked_by, 'off');
    assert.equal((await srv.api('off', 'GET', annualPath(2025, 'A1'))).body.locked, null, '2025 not locked');
    assert.equal((await srv.api('bee', 'GET', annualPath(2024, 'B2'))).body.locked, null, 'B2 not locked');
  });

  test('while 2024 is locked: registering or acting in 2024 → 409 and nothing is written', async () => {
    const before = srv.counts([...CASE_TABLES, 'letters']);
    const xBefore = (await srv.api('hdl', 'GET', `/api/v1/cases/${x}`)).body;
    const reg = await srv.api('hdl', 'POST', '/api/v1/cases', registration2('2024-05-06'));
    assertError(reg, 409, reg.body?.error?.code, '2024');
    for (const e of [
      { event: 'decide', on: '2024-03-05', outcome: 'disclosed', reasons: '经审查' },
      { event: 'request_correction', on: '2024-03-04', items: ['请明确信息名称'] },
      { event: 'withdraw', on: '2024-03-06' },
    ]) {
      const r = await srv.api('hdl', 'POST', `/api/v1/cases/${x}/events`, e);
      assertError(r, 409, r.body?.error?.code, '2024');
    }
    assert.deepEqual(srv.counts([...CASE_TABLES, 'letters']), before, 'no row written');
    const xAfter = (await srv.api('hdl', 'GET', `/api/v1/cases/${x}`)).body;
    assert.deepEqual(xAfter.history, xBefore.history, 'history unchanged');
    assert.equal(xAfter.state, xBefore.state);
    assert.equal(xAfter.outcome, null);
    const list = await srv.api('hdl', 'GET', '/api/v1/cases');
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.total, 2, 'no new case listed');
  });

  test('while 2024 is locked: other years and other agencies work', async () => {
    const z = await register(srv, 'hdl', registration2('2025-04-01'));
    assert.ok(z > 0);
    await conclude(srv, y, { outcome: 'disclosed', decideOn: '2025-03-10', handler: 'hdl' });
    const b = await register(srv, 'bee', registration2('2024-05-06', 'B2'));
    await event(srv, 'bee', b, { event: 'withdraw', on: '2024-05-07' });
    const rep = await srv.api('off', 'GET', annualPath(2025, 'A1'));
    assert.equal(rep.body.table3['1'][6], 2, '2025: two received');
    assert.equal(rep.body.table3['3.1'][6], 1, '2025: one disclosed');
  });

  test('unlock needs office and a reason; then 2024 works again; second unlock 409', async () => {
    const h = await srv.api('hdl', 'POST', '/api/v1/reports/locks', { agency: 'A1', year: 2024, locked: false, reason: UNREASON });
    assertError(h, 403, h.body?.error?.code);
    const nr = await srv.api('off', 'POST', '/api/v1/reports/locks', { agency: 'A1', year: 2024, locked: false });
    assertError(nr, 422, nr.body?.error?.code, 'reason');
    const still = await srv.api('hdl', 'POST', `/api/v1/cases/${x}/events`, { event: 'withdraw', on: '2024-03-06' });
    assertError(still, 409, still.body?.error?.code, '2024');

    const u = await srv.api('off', 'POST', '/api/v1/reports/locks', { agency: 'A1', year: 2024, locked: false, reason: UNREASON });
    assert.equal(u.status, 200, u.text);
    assert.deepEqual(u.body, { agency: 'A1', year: 2024, locked: false });
    const again = await srv.api('off', 'POST', '/api/v1/reports/locks', { agency: 'A1', year: 2024, locked: false, reason: UNREASON });
    assertError(again, 409, again.body?.error?.code);
    assert.deepEqual((await srv.api('off', 'GET', '/api/v1/reports/locks')).body, []);
    assert.equal((await srv.api('off', 'GET', annualPath(2024, 'A1'))).body.locked, null);

    const r = await conclude(srv, x, { outcome: 'not_held', decideOn: '2024-03-05', handler: 'hdl' });
    assert.equal(r.body.outcome, 'not_held');
    await register(srv, 'hdl', registration2('2024-05-06'));
    const rep = await srv.api('off', 'GET', annualPath(2024, 'A1'));
    assert.equal(rep.body.table3['1'][6], 2);
    assert.equal(rep.body.table3['3.4.1'][6], 1);
  });

  test('locks and unlocks are in the audit log with their reasons', async () => {
    for (const u of ['aud', 'adm']) {
      const r = await srv.api(u, 'GET', '/api/v1/audit');
      assert.equal(r.status, 200, `${u}: ${r.text}`);
      const lock = r.body.filter((x) => x.action === 'period.lock');
      const unlock = r.body.filter((x) => x.action === 'period.unlock');
      assert.equal(lock.length, 1, `one lock row: ${JSON.stringify(lock)}`);
      assert.equal(unlock.length, 1, `one unlock row: ${JSON.stringify(unlock)}`);
      assert.ok(lock[0].detail.includes(REASON), `lock reason: ${lock[0].detail}`);
      assert.ok(unlock[0].detail.includes(UNREASON), `unlock reason: ${unlock[0].detail}`);
      for (const row of [...lock, ...unlock]) {
        assert.equal(row.actor, 'off');
        assert.ok(row.target.includes('A1') && row.target.includes('2024'), `target: ${row.target}`);
      }
    }
    const h = await srv.api('hdl', 'GET', '/api/v1/audit');
    assertError(h, 403, h.body?.error?.code);
  });
});

// ---------------------------------------------------------------------------------------------
// 7: statistics for a period

describe('statistics', () => {
  const srv = useServer({
    users: [
      { name: 'reg', roles: ['registrar'] },
      { name: 'hdl1', roles: ['handler'] },
      { name: 'hdl2', roles: ['handler'] },
      { name: 'apr', roles: ['approver'] },
      { name: 'off', roles: ['office'] },
      { name: 'breg', agency: 'B2', roles: ['registrar', 'handler', 'approver'] },
    ],
  });

  // Working days from the clock's start to the reply (the start day not counted), by hand from
  // the State Council's 2024 notice: 2024-01-01 off; Spring Festival 02-10..02-17 off with
  // 02-04 and 02-18 (Sundays) worked; Qingming 04-04..04-06 off with 04-07 (Sunday) worked.
  const PLAN = [
    // c1: 01-02 → 01-11: 3,4,5,8,9,10,11 = 7, on time (hdl1)
    { ref: 'c1', channel: 'post', received: '2024-01-02', outcome: 'disclosed', handler: 'hdl1', decide: '2024-01-10', deliver: '2024-01-11', days: 7 },
    // c2: 02-01 → 02-20: 2, 4(Sun), 5..9, 18(Sun), 19, 20 = 10, on time (hdl2)
    { ref: 'c2', channel: 'online', received: '2024-02-01', outcome: 'partially_disclosed', handler: 'hdl2', decide: '2024-02-19', deliver: '2024-02-20', method: 'electronic', days: 10 },
    // c3: 01-05 → 02-20 = 29 (due 02-02): late (hdl1)
    { ref: 'c3', channel: 'in_person', received: '2024-01-05', outcome: 'not_held', handler: 'hdl1', decide: '2024-02-19', deliver: '2024-02-20', method: 'direct', days: 29 },
    // c4: withdrawn: concluded, not a reply, no handler
    { ref: 'c4', channel: 'post', received: '2024-03-04', withdraw: '2024-03-06' },
    // c5: open
    { ref: 'c5', channel: 'post', received: '2024-03-20' },
    // c6: received 2023-12-28 → 2024-01-08: 12-29, 01-02, 3, 4, 5, 8 = 6, on time (hdl2)
    { ref: 'c6', channel: 'post', received: '2023-12-28', outcome: 'already_public', handler: 'hdl2', decide: '2024-01-05', deliver: '2024-01-08', days: 6 },
    // c7: received in Q1, concluded in Q2: 03-25 → 04-08: 26..29, 04-01..03, 04-07(Sun), 04-08 = 9 (hdl1)
    { ref: 'c7', channel: 'post', received: '2024-03-25', outcome: 'needs_creation', handler: 'hdl1', decide: '2024-04-03', deliver: '2024-04-08', days: 9 },
  ];
  const ids = {};

  before(async () => {
    for (const p of PLAN) {
      const id = await register(srv, 'reg', minimal('A1', 'natural_person', p.received, p.channel, `统计${p.ref}`));
      ids[p.ref] = id;
      if (p.withdraw) await event(srv, 'reg', id, { event: 'withdraw', on: p.withdraw });
      if (p.outcome)
        await conclude(srv, id, { outcome: p.outcome, decideOn: p.decide, handler: p.handler, approver: 'apr', deliverer: 'reg',
          deliverOn: p.deliver, method: p.method ?? 'post' });
    }
    // Another agency's case in the same quarter never counts for A1.
    const b = await register(srv, 'breg', minimal('B2', 'natural_person', '2024-02-05', 'online'));
    await conclude(srv, b, { outcome: 'disclosed', decideOn: '2024-02-06', handler: 'breg' });
  });

  test('the hand-counted working days agree with `ogi calendar due`', async () => {
    const input = PLAN.filter((p) => p.days).map((p) => `${p.received} ${p.days}`).join('\n') + '\n';
    const out = (await ogi(['calendar', 'due', '-'], { input })).trim().split('\n');
    assert.deepEqual(out, PLAN.filter((p) => p.days).map((p) => p.deliver));
    const due = (await ogi(['calendar', 'due', '2024-01-05', '20'])).trim();
    assert.equal(due, '2024-02-02', 'c3 was due on 2024-02-02');
  });

  test('the cases carry the expected on_time', async () => {
    const want = { c1: true, c2: true, c3: false, c4: null, c5: null, c6: true, c7: true };
    for (const [ref, ot] of Object.entries(want)) {
      const c = (await srv.api('off', 'GET', `/api/v1/cases/${ids[ref]}`)).body;
      assert.equal(c.on_time, ot, `${ref}: on_time ${c.on_time}`);
    }
  });

  const Q1 = {
    from: '2024-01-01',
    to: '2024-03-31',
    received: 6,
    by_channel: { post: 4, online: 1, in_person: 1 },
    by_month_channel: { '2024-01': { post: 1, in_person: 1 }, '2024-02': { online: 1 }, '2024-03': { post: 3 } },
    concluded: 5,
    replies: 4,
    on_time: 3,
    on_time_rate: 0.75,
    avg_working_days: 13, // (7 + 10 + 29 + 6) / 4
    p90_working_days: 29, // nearest rank ceil(0.9 * 4) = 4 of [6, 7, 10, 29]
    by_outcome: { disclosed: 1, partially_disclosed: 1, not_held: 1, withdrawn: 1, already_public: 1 },
    by_handler: {
      hdl1: { concluded: 2, replies: 2, on_time: 1, avg_working_days: 18 }, // c1 7, c3 29
      hdl2: { concluded: 2, replies: 2, on_time: 2, avg_working_days: 8 }, // c2 10, c6 6
    },
  };

  test('from=2024-01-01&to=2024-03-31: every figure', async () => {
    const r = await srv.api('off', 'GET', '/api/v1/reports/stats?from=2024-01-01&to=2024-03-31');
    assert.equal(r.status, 200, r.text);
    const s = r.body;
    for (const k of ['from', 'to', 'received', 'concluded', 'replies', 'on_time', 'p90_working_days'])
      assert.equal(s[k], Q1[k], `${k}: ${JSON.stringify(s[k])}`);
    assert.ok(Math.abs(s.on_time_rate - Q1.on_time_rate) < 1e-9, `on_time_rate ${s.on_time_rate}`);
    assert.ok(Math.abs(s.avg_working_days - Q1.avg_working_days) < 1e-9, `avg_working_days ${s.avg_working_days}`);
    assert.deepEqual(s.by_channel, Q1.by_channel);
    assert.deepEqual(s.by_month_channel, Q1.by_month_channel);
    assert.deepEqual(s.by_outcome, Q1.by_outcome);
    assert.deepEqual(s.by_handler, Q1.by_handler);
  });

  test('quarter=2024Q1 equals the explicit range; a handler may read it too', async () => {
    const a = await srv.api('off', 'GET', '/api/v1/reports/stats?quarter=2024Q1');
    const b = await srv.api('off', 'GET', '/api/v1/reports/stats?from=2024-01-01&to=2024-03-31');
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(a.body, b.body);
    const h = await srv.api('hdl1', 'GET', '/api/v1/reports/stats?quarter=2024Q1&agency=A1');
    assert.equal(h.status, 200);
    assert.deepEqual(h.body, b.body);
  });

  test('quarter=2024Q2: c7 concluded over the Qingming make-up day (9 working days)', async () => {
    const r = await srv.api('off', 'GET', '/api/v1/reports/stats?quarter=2024Q2');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.from, '2024-04-01');
    assert.equal(r.body.to, '2024-06-30');
    assert.equal(r.body.received, 0);
    assert.deepEqual(r.body.by_channel, {});
    assert.equal(r.body.concluded, 1);
    assert.equal(r.body.replies, 1);
    assert.equal(r.body.on_time, 1);
    assert.equal(r.body.on_time_rate, 1);
    assert.equal(r.body.avg_working_days, 9);
    assert.equal(r.body.p90_working_days, 9);
    assert.deepEqual(r.body.by_outcome, { needs_creation: 1 });
    assert.deepEqual(r.body.by_handler, { hdl1: { concluded: 1, replies: 1, on_time: 1, avg_working_days: 9 } });
  });

  test('a range with nothing concluded: null rates', async () => {
    const r = await srv.api('off', 'GET', '/api/v1/reports/stats?from=2024-03-07&to=2024-03-31');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.received, 2, 'c5 and c7');
    assert.equal(r.body.concluded, 0);
    assert.equal(r.body.on_time_rate, null);
    assert.equal(r.body.avg_working_days, null);
    assert.equal(r.body.p90_working_days, null);
  });

  test('CSV export: BOM and the figures', async () => {
    const r = await srv.api('off', 'GET', '/api/v1/reports/stats?quarter=2024Q1&format=csv');
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
    assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const lines = r.text.replace(/^\uFEFF/, '').split(/\r?\n/);
    for (const l of ['收到申请,,6', '办结,,5', '答复办结,,4', '按时答复,,3', '办结及时率,,75.0%', '平均答复用时（工作日）,,13.0',
      '答复用时第90百分位（工作日）,,29', '收到申请（渠道）,邮寄,4', '收到申请（渠道）,网络平台,1', '承办人办结,hdl1,2',
      '承办人办结,hdl2,2', '承办人平均答复用时（工作日）,hdl1,18.0'])
      assert.ok(lines.includes(l), `csv line "${l}" in:\n${lines.join('\n')}`);
  });

  test('errors: to before from, bad dates, bad quarter → 422; registrar → 403; other agency → 403', async () => {
    const r = await srv.api('off', 'GET', '/api/v1/reports/stats?from=2024-03-31&to=2024-01-01');
    assertError(r, 422, r.body?.error?.code, 'to');
    const bf = await srv.api('off', 'GET', '/api/v1/reports/stats?from=2024-13-01&to=2024-12-31');
    assertError(bf, 422, bf.body?.error?.code, 'from');
    for (const q of ['2024Q5', '2024Q0', 'Q1-2024', '24Q1']) {
      const x = await srv.api('off', 'GET', `/api/v1/reports/stats?quarter=${q}`);
      assertError(x, 422, x.body?.error?.code, 'quarter');
    }
    const reg = await srv.api('reg', 'GET', '/api/v1/reports/stats?quarter=2024Q1');
    assertError(reg, 403, reg.body?.error?.code);
    const b2 = await srv.api('off', 'GET', '/api/v1/reports/stats?quarter=2024Q1&agency=B2');
    assertError(b2, 403, b2.body?.error?.code);
  });

  test('the annual report of 2024 agrees with the statistics', async () => {
    const r = await srv.api('off', 'GET', annualPath(2024, 'A1'));
    assert.equal(r.status, 200);
    assert.equal(r.body.table3['1'][6], 6, 'received in 2024');
    assert.equal(r.body.table3['2'][6], 1, 'c6 carried in');
    assert.equal(r.body.table3['3.7'][6], 6, 'concluded in 2024');
    assert.equal(r.body.table3['4'][6], 1, 'c5 carried out');
    assert.deepEqual(r.body.narrative_facts.channels, { post: 4, online: 1, in_person: 1 });
    // on time: c1, c2, c6, c7 of the five replies in 2024
    assert.ok(Math.abs(r.body.narrative_facts.on_time_rate - 0.8) < 1e-9, `on_time_rate ${r.body.narrative_facts.on_time_rate}`);
    assert.deepEqual(r.body.intake_by_month, [2, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
