// Several `ogi serve` on one database (the scale-out of docs/operations.md; on PostgreSQL in
// the api_pg run, on one SQLite file in the api run): clients spread over two servers register
// cases and decide and approve them at the same time. Every case and reply letter must be
// there, with unique, gapless numbers, and the audit chain must be one unbroken chain.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useServer, Server, registration, pool, sqlite, ogi } from './helpers.mjs';

const srv = useServer({ users: [{ name: 'w', roles: ['registrar', 'handler', 'approver'] }] });
let second;

after(async () => {
  if (second) {
    second.db = null;  // the database is the first server's: it drops it
    await second.stop();
  }
});

test('two servers, twelve clients: every case and letter, numbers unique and gapless', async () => {
  await srv.ensureStarted();
  second = new Server();
  second.dir = mkdtempSync(path.join(tmpdir(), 'ogi-api-'));
  second.db = srv.db;
  second.portFile = path.join(second.dir, 'port');
  await second.spawn();
  second.ready = Promise.resolve();
  const servers = [srv, second];
  const PER_CLIENT = 8;
  const acknowledged = [];
  await pool([...Array(12).keys()], 12, async (k) => {
    const s = servers[k % 2];
    for (let i = 0; i < PER_CLIENT; i++) {
      const r = await s.api('w', 'POST', '/api/v1/cases', registration({ content: `申请公开第${k}-${i}号文件` }));
      assert.equal(r.status, 201, r.text);
      const other = servers[(k + i) % 2];  // the events go to either server
      const d = await other.api('w', 'POST', `/api/v1/cases/${r.body.id}/events`,
        { event: 'decide', on: '2024-03-20', outcome: 'disclosed', reasons: '经审查予以公开' });
      assert.equal(d.status, 200, d.text);
      const a = await other.api('w', 'POST', `/api/v1/cases/${r.body.id}/events`, { event: 'approve', on: '2024-03-21' });
      assert.equal(a.status, 200, a.text);
      acknowledged.push(r.body.id);
    }
  });
  const n = 12 * PER_CLIENT;
  assert.equal(acknowledged.length, n);
  const seqs = sqlite(srv.db, "SELECT seq FROM cases c JOIN agencies a ON a.id=c.agency_id WHERE a.code='A1' AND c.year=2024 ORDER BY seq;")
    .trim().split('\n').map(Number);
  assert.deepEqual(seqs, [...Array(n).keys()].map((i) => i + 1), 'case numbers 1..n, each once');
  const kinds = sqlite(srv.db, 'SELECT DISTINCT kind FROM letters ORDER BY kind;').trim().split('\n');
  for (const kind of kinds) {
    const ls = sqlite(srv.db, `SELECT seq FROM letters WHERE kind='${kind}' AND year=2024 ORDER BY seq;`).trim().split('\n').map(Number);
    assert.deepEqual(ls, [...Array(ls.length).keys()].map((i) => i + 1), `${kind} letter numbers gapless`);
    assert.equal(ls.length, n, `one ${kind} letter per case`);
  }
  const events = Number(sqlite(srv.db, 'SELECT count(*) FROM case_events;').trim());
  assert.equal(events, 3 * n, 'register, decide and approve of every case');
  const out = await ogi(['audit', 'verify', '--db', srv.db]);
  assert.match(out, /audit trail intact/);
});
