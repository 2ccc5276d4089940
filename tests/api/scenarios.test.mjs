// Replays every ../shared/scenarios/*.json through the HTTP API (contract.md "Scenario files"):
// one server per file, each case registered and then each of its events posted; every event must
// answer 200 and every `expect_due_on` must match the case's due_on. (`expect`, the annual tables,
// belongs to the report endpoint and is not checked here.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Server, SHARED_DIR, pool } from './helpers.mjs';

const dir = path.join(SHARED_DIR, 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('the scenario folder has files', () => {
  assert.ok(files.length > 0, `no scenario files in ${dir}`);
});

const NOT_REGISTRATION = new Set(['ref', 'events', 'expect_due_on', 'expect']);
const ROLES = ['registrar', 'handler', 'approver', 'office'];

// Replays one case; returns a list of problems (empty when all is well).
async function replay(srv, user, k, index) {
  const label = `case ${k.ref ?? index + 1}`;
  const problems = [];
  const body = Object.fromEntries(Object.entries(k).filter(([key]) => !NOT_REGISTRATION.has(key)));
  const reg = await srv.api(user, 'POST', '/api/v1/cases', body);
  if (reg.status !== 201) return [`${label}: register → ${reg.status} ${reg.text}`];
  const id = reg.body.id;
  let c = reg.body;
  const consultationIds = [];
  const remedyIds = [];
  const learn = (list, ids) => {
    for (const x of list) if (!ids.includes(x.id)) ids.push(x.id);
  };
  for (const [n, e] of (k.events ?? []).entries()) {
    const payload = { ...e };
    if ('consultation' in e) {
      payload.consultation = consultationIds[e.consultation - 1];
      if (payload.consultation === undefined) {
        problems.push(`${label} event ${n + 1} (${e.event}): no consultation #${e.consultation} was returned`);
        break;
      }
    }
    if ('remedy' in e) {
      payload.remedy = remedyIds[e.remedy - 1];
      if (payload.remedy === undefined) {
        problems.push(`${label} event ${n + 1} (${e.event}): no remedy #${e.remedy} was returned`);
        break;
      }
    }
    const r = await srv.api(user, 'POST', `/api/v1/cases/${id}/events`, payload);
    if (r.status !== 200) {
      problems.push(`${label} event ${n + 1} ${JSON.stringify(e)} → ${r.status} ${r.text}`);
      break;
    }
    c = r.body;
    learn(c.consultations ?? [], consultationIds);
    learn(c.remedies ?? [], remedyIds);
  }
  if (k.expect_due_on !== undefined && problems.length === 0) {
    const shown = await srv.api(user, 'GET', `/api/v1/cases/${id}`);
    if (shown.status !== 200) problems.push(`${label}: GET → ${shown.status} ${shown.text}`);
    else if (shown.body.due_on !== k.expect_due_on)
      problems.push(`${label}: due_on ${shown.body.due_on} (${shown.body.due_note ?? shown.body.due_explanation ?? ''}), expected ${k.expect_due_on}`);
    if (c.due_on !== k.expect_due_on && shown.body?.due_on === k.expect_due_on)
      problems.push(`${label}: the last event answered due_on ${c.due_on}, GET answers ${shown.body.due_on}`);
  }
  return problems;
}

describe('scenarios', { concurrency: true }, () => {
  for (const file of files) {
    test(file, async () => {
      const scenario = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      const agency = scenario.agency;
      assert.ok(agency?.code && agency?.name, `${file}: agency.code and agency.name`);
      const user = 'scenario';
      const srv = new Server({
        agencies: [{ code: agency.code, name: agency.name }],
        users: [{ name: user, agency: agency.code, roles: ROLES }],
      });
      try {
        await srv.ensureStarted();
        const cases = scenario.cases ?? [];
        assert.ok(cases.length > 0, `${file} has no cases`);
        // Cases are independent: replay a few at a time, each case's events in order.
        const results = await pool(cases, 6, (k, i) => replay(srv, user, k, i));
        const problems = results.flat();
        const withDue = cases.filter((k) => k.expect_due_on !== undefined).length;
        assert.deepEqual(problems, [],
          `${file}: ${problems.length} problem(s) in ${cases.length} cases (${withDue} with expect_due_on):\n${problems.join('\n')}`);
        // Everything was stored: one row per case, one per event plus the registration.
        const events = cases.reduce((n, k) => n + (k.events?.length ?? 0), 0);
        const counts = srv.counts(['cases', 'case_events']);
        assert.equal(counts.cases, cases.length);
        assert.equal(counts.case_events, cases.length + events);
      } finally {
        await srv.stop();
      }
    });
  }
});
