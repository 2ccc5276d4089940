// The server log (issue 6): JSON lines in a rotating file (ogi.log.file, ogi.log.rotate,
// ogi.log.keep), one access line per request naming the route pattern, never the path asked
// for, the query, the body, or any ID number, phone or name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { useServer, registration } from './helpers.mjs';

const ID_NUMBER = '11010519491231002X';
const PHONE = '13912345678';
const NAME = '欧阳日志测试';
const CONTENT = '请求公开日志测试专用文件';

const srv = useServer({
  users: [{ name: 'reg', roles: ['registrar', 'handler', 'approver'] }],
  config: { 'ogi.log.file': '${dir}/ogi.log', 'ogi.log.access': 'true', 'ogi.log.rotate': '2 K', 'ogi.log.keep': '3' },
});

// The log file goes in the server's temp folder, which exists once it has started.
test.before(async () => {
  await srv.ensureStarted();
});

function logFiles() {
  return readdirSync(srv.dir).filter((f) => /^ogi\.log(\.\d+)?$/.test(f)).map((f) => path.join(srv.dir, f));
}

test('every line is JSON with time, level and event; requests are logged by route pattern', async () => {
  const reg = await srv.api('reg', 'POST', '/api/v1/cases',
    registration({ applicant: { type: 'natural_person', name: NAME, id_type: 'resident_id', id_number: ID_NUMBER, phone: PHONE }, content: CONTENT }));
  assert.equal(reg.status, 201, reg.text);
  for (let i = 0; i < 60; i++) {
    const r = await srv.api('reg', 'GET', `/api/v1/cases/${reg.body.id}?q=${encodeURIComponent(ID_NUMBER)}`);
    assert.equal(r.status, 200);
  }
  const search = await srv.api('reg', 'GET', `/api/v1/cases?q=${encodeURIComponent(NAME)}&phone=${PHONE}`);
  assert.equal(search.status, 200);
  const lines = logFiles().flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean));
  assert.ok(lines.length > 20, `log lines: ${lines.length}`);
  let routes = 0;
  for (const line of lines) {
    const o = JSON.parse(line);
    assert.match(o.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(['info', 'warn', 'error'].includes(o.level), line);
    assert.equal(typeof o.event, 'string');
    if (o.event === 'http' && o.route === '/api/v1/cases/{id}') {
      routes++;
      assert.equal(o.status, '200');
      assert.equal(o.method, 'GET');
    }
  }
  assert.ok(routes > 0, 'the case page requests are logged by their pattern');
});

test('the log rotates at the configured size and keeps only the newest files', async () => {
  const files = logFiles();
  assert.ok(files.length >= 2, `rotated files: ${files.map((f) => path.basename(f)).join(', ')}`);
  assert.ok(files.length <= 1 + 3, `at most the current file and 3 archives: ${files.length}`);
  for (const f of files) assert.ok(readFileSync(f).length < 8 * 1024, `${f} is far beyond the 2 K rotation size`);
});

test('no ID number, phone, name, request text or query appears in any log file', async () => {
  const all = logFiles().map((f) => readFileSync(f, 'utf8')).join('\n');
  for (const secret of [ID_NUMBER, PHONE, NAME, CONTENT, '?q=', 'phone='])
    assert.ok(!all.includes(secret), `the log contains ${secret}`);
});
