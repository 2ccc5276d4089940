// Replays every ../shared/scenarios/*.json through the HTTP API (contract.md "Scenario files"):
// one server per file, each case registered and then each of its events posted; every event must
// answer 200 and every `expect_due_on` must match the case's due_on. (`expect`, the annual tables,
// is checked against the report endpoint in reports.test.mjs.) The replay itself is
// replayCase/replayScenario in helpers.mjs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Server, SHARED_DIR, SCENARIO_ROLES, SERVED_BY_EVENT, replayScenario, scenarioFiles } from './helpers.mjs';

const dir = path.join(SHARED_DIR, 'scenarios');
const files = scenarioFiles();

test('the scenario folder has files', () => {
  assert.ok(files.length > 0, `no scenario files in ${dir}`);
});

describe('scenarios', { concurrency: true }, () => {
  for (const { file, scenario } of files) {
    test(file, async () => {
      const agency = scenario.agency;
      assert.ok(agency?.code && agency?.name, `${file}: agency.code and agency.name`);
      const user = 'scenario';
      const srv = new Server({
        agencies: [{ code: agency.code, name: agency.name }],
        users: [{ name: user, agency: agency.code, roles: SCENARIO_ROLES }],
      });
      try {
        await srv.ensureStarted();
        const cases = scenario.cases ?? [];
        assert.ok(cases.length > 0, `${file} has no cases`);
        const { problems } = await replayScenario(srv, user, scenario);
        const withDue = cases.filter((k) => k.expect_due_on !== undefined).length;
        assert.deepEqual(problems, [],
          `${file}: ${problems.length} problem(s) in ${cases.length} cases (${withDue} with expect_due_on):\n${problems.join('\n')}`);
        // Everything was stored: one row per case, one per event plus the registration and the
        // service recorded for each notice.
        const events = cases.reduce((n, k) => n + (k.events ?? []).reduce((m, e) => m + (SERVED_BY_EVENT[e.event] ? 2 : 1), 0), 0);
        const counts = srv.counts(['cases', 'case_events']);
        assert.equal(counts.cases, cases.length);
        assert.equal(counts.case_events, cases.length + events);
      } finally {
        await srv.stop();
      }
    });
  }
});
