// Sessions: POST/DELETE /api/v1/session, bearer tokens, throttling, GET /api/v1/me.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertError, PASSWORD } from './helpers.mjs';

const srv = useServer({
  users: [
    { name: 'alice', roles: ['registrar', 'handler'] },
    { name: 'locked', roles: ['handler'] },
    { name: 'bob', agency: 'B2', roles: ['office', 'auditor'] },
  ],
});

const login = (username, password) => srv.request('POST', '/api/v1/session', { body: { username, password } });

test('login with the right password gives a 64-hex token', async () => {
  const r = await login('alice', PASSWORD);
  assert.equal(r.status, 200, r.text);
  assert.match(r.body.token, /^[0-9a-f]{64}$/);
});

test('wrong password → 401, unknown user → 401 with the same message', async () => {
  const wrong = await login('alice', 'not-the-password');
  assertError(wrong, 401, 'unauthenticated');
  assert.equal(wrong.body.token, undefined);
  const unknown = await login('nobody-here', 'whatever-pass');
  assertError(unknown, 401, 'unauthenticated');
  assert.equal(unknown.body.error.message, wrong.body.error.message, 'unknown user must not be told apart');
});

test('malformed login body → 400', async () => {
  const r = await srv.request('POST', '/api/v1/session', { body: '{"username": "alice", ', headers: { 'Content-Type': 'application/json' } });
  assertError(r, 400, 'malformed');
});

test('throttling: after 5 wrong passwords the owner still gets in, after a delay (no lockout)', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await login('locked', `wrong-password-${i}`);
    assertError(r, 401, 'unauthenticated');
  }
  const t0 = Date.now();
  const r = await login('locked', PASSWORD);
  assert.equal(r.status, 200, r.text);
  assert.ok(Date.now() - t0 >= 1000, 'the attempt after five failures waits at least a second');
  assert.match(r.body.token, /^[0-9a-f]{64}$/);
  // Another account from the same address is not locked by those five.
  const other = await login('bob', PASSWORD);
  assert.equal(other.status, 200, other.text);
});

test('missing or invalid bearer on GET /api/v1/cases → 401', async () => {
  assertError(await srv.request('GET', '/api/v1/cases'), 401, 'unauthenticated');
  assertError(await srv.request('GET', '/api/v1/cases', { token: 'f'.repeat(64) }), 401, 'unauthenticated');
  assertError(await srv.request('GET', '/api/v1/cases', { token: 'not-a-token' }), 401, 'unauthenticated');
  assertError(await srv.request('GET', '/api/v1/cases', { headers: { Authorization: 'Bearer ' } }), 401, 'unauthenticated');
  const basic = Buffer.from(`alice:${PASSWORD}`).toString('base64');
  assertError(await srv.request('GET', '/api/v1/cases', { headers: { Authorization: `Basic ${basic}` } }), 401, 'unauthenticated');
  // The right token works.
  const token = (await login('alice', PASSWORD)).body.token;
  const ok = await srv.request('GET', '/api/v1/cases', { token });
  assert.equal(ok.status, 200, ok.text);
});

test('logout: DELETE /api/v1/session, then the token → 401', async () => {
  const token = (await login('alice', PASSWORD)).body.token;
  const other = (await login('alice', PASSWORD)).body.token;
  assert.equal((await srv.request('GET', '/api/v1/me', { token })).status, 200);
  const out = await srv.request('DELETE', '/api/v1/session', { token });
  assert.equal(out.status, 200, out.text);
  assertError(await srv.request('GET', '/api/v1/me', { token }), 401, 'unauthenticated');
  assertError(await srv.request('GET', '/api/v1/cases', { token }), 401, 'unauthenticated');
  assertError(await srv.request('DELETE', '/api/v1/session', { token }), 401, 'unauthenticated');
  // Only that session ended.
  assert.equal((await srv.request('GET', '/api/v1/me', { token: other })).status, 200);
});

test('each login gives a different token', async () => {
  const tokens = new Set();
  for (let i = 0; i < 4; i++) {
    const r = await login('alice', PASSWORD);
    assert.equal(r.status, 200, r.text);
    assert.match(r.body.token, /^[0-9a-f]{64}$/);
    tokens.add(r.body.token);
  }
  assert.equal(tokens.size, 4);
});

test('GET /api/v1/me tells who is logged in', async () => {
  const token = (await login('alice', PASSWORD)).body.token;
  const r = await srv.request('GET', '/api/v1/me', { token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.username, 'alice');
  assert.equal(r.body.agency, 'A1');
  assert.deepEqual([...r.body.roles].sort(), ['handler', 'registrar']);
  assert.deepEqual(r.body.agencies, ['A1']);
  const b = await srv.request('GET', '/api/v1/me', { token: (await login('bob', PASSWORD)).body.token });
  assert.equal(b.status, 200, b.text);
  assert.equal(b.body.username, 'bob');
  assert.equal(b.body.agency, 'B2');
  assert.deepEqual([...b.body.roles].sort(), ['auditor', 'office']);
  assertError(await srv.request('GET', '/api/v1/me'), 401, 'unauthenticated');
});
