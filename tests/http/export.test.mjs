// Exports are complete (issue 18, finding 8): the cases CSV holds every visible case, also past
// the list's counting cap (1,000+), each exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, ogi } from './helpers.mjs';

const srv = useServer({
  agencies: [{ code: 'G01', name: '生成机关G01', pattern: 'G01依申〔{year}〕第{seq}号' }, { code: 'B2', name: '另一机关', pattern: '另〔{year}〕第{seq}号' }],
  users: [{ name: 'exp', agency: 'G01', roles: ['registrar'] }, { name: 'other', agency: 'B2', roles: ['registrar'] }],
});

test('cases.csv exports every row past the counting cap', async () => {
  await srv.ensureStarted();
  await ogi(['demo', 'generate', '--db', srv.db, '--cases', '1600', '--agencies', '1']);
  const r = await srv.api('exp', 'GET', '/api/v1/cases.csv');
  assert.equal(r.status, 200, r.text.slice(0, 200));
  const lines = r.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines.length, 1 + 1600);
  const numbers = new Set(lines.slice(1).map((l) => l.split(',')[0]));
  assert.equal(numbers.size, 1600, 'each case once');
  // streamed: sent in chunks as the pages are read, not built whole first
  assert.equal(r.headers.get('transfer-encoding'), 'chunked');
  assert.equal(r.headers.get('content-length'), null);
  const list = await srv.api('exp', 'GET', '/api/v1/cases?per_page=10');
  assert.ok(list.status === 200);
  // another agency's user sees none of them
  const other = await srv.api('other', 'GET', '/api/v1/cases.csv');
  assert.equal(other.status, 200);
  assert.equal(other.text.replace(/^\uFEFF/, '').trim().split('\r\n').length, 1);
  // a page number out of range is refused, not multiplied into an overflow
  const far = await srv.api('exp', 'GET', '/api/v1/cases?page=3000000000');
  assert.equal(far.status, 422);
});
