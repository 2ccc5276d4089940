// `ogi serve` as an operator meets it: a configuration file with command-line overrides, the
// deadline sweep and its webhook reminder against a sink this test starts, and a clean stop on
// SIGTERM. Real server, real SQLite file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ogi, OGI_BIN, PASSWORD, TODAY } from './helpers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(fn, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('config file, sweep with webhook reminder, SIGTERM stops cleanly', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ogi-serve-'));
  try {
    const db = path.join(dir, 'ogi.db');
    await ogi(['init', '--db', db]);
    await ogi(['agency', 'add', '--db', db, '--code', 'A1', '--name', '测试机关', '--pattern', '测〔{year}〕第{seq}号']);
    await ogi(['user', 'add', '--db', db, '--agency', 'A1', '--name', 'h', '--roles', 'registrar,handler', '--password-stdin'],
      { input: PASSWORD + '\n' });

    // The webhook sink.
    const hooks = [];
    const sink = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hooks.push({ url: req.url, body });
        res.writeHead(204).end();
      });
    });
    await new Promise((r) => sink.listen(0, '127.0.0.1', r));
    const sinkPort = sink.address().port;

    const portFile = path.join(dir, 'port');
    const config = path.join(dir, 'ogi.properties');
    writeFileSync(config, [
      `ogi.db = ${db}`,
      'ogi.listen = 127.0.0.1:1',            // overridden on the command line below
      'ogi.session.minutes = 7',
      'ogi.sweep-seconds = 1',
      `ogi.notify.webhook.url = http://127.0.0.1:${sinkPort}/hook`,
      '',
    ].join('\n'));
    const child = spawn(OGI_BIN, ['serve', '--config', config, '--listen', '127.0.0.1:0', '--port-file', portFile],
      { env: { ...process.env, OGI_TODAY: TODAY }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
    const port = await waitFor(() => existsSync(portFile) && Number(readFileSync(portFile, 'utf8')), 15000, 'port file');
    const base = `http://127.0.0.1:${port}`;

    // Session lifetime from the file: 7 minutes.
    const login = await (await fetch(base + '/api/v1/session', { method: 'POST', body: JSON.stringify({ username: 'h', password: PASSWORD }) })).json();
    const lifetime = login.expires_at - Math.floor(Date.now() / 1000);
    assert.ok(lifetime > 6 * 60 && lifetime <= 7 * 60, `session lifetime ${lifetime}s`);
    const auth = { Authorization: `Bearer ${login.token}`, 'Content-Type': 'application/json' };

    // An application received long ago is overdue: the sweep raises an alert and posts the reminder.
    const reg = await fetch(base + '/api/v1/cases', { method: 'POST', headers: auth, body: JSON.stringify({
      applicant: { type: 'natural_person', name: '张三' }, channel: 'post', received_on: '2026-09-01', content: '申请公开某文件' }) });
    assert.equal(reg.status, 201);
    const c = await reg.json();
    await waitFor(() => hooks.some((h) => h.body.includes(c.number)), 10000, 'webhook reminder');
    const hook = JSON.parse(hooks.find((h) => h.body.includes(c.number)).body);
    assert.equal(hook.subject, `【政府信息公开】期限提醒 ${c.number}`);
    assert.match(hook.text, /答复期限已于 2026-09-29 届满/);
    const alerts = await (await fetch(base + '/api/v1/alerts', { headers: auth })).json();
    assert.equal(alerts.filter((a) => a.case_id === c.id && a.kind === 'reply').length, 1, 'one alert, however often the sweep runs');
    const after = await (await fetch(base + `/api/v1/cases/${c.id}`, { headers: auth })).json();
    assert.equal(after.state, 'registered', 'the sweep never concludes a case');

    // SIGTERM: a request in flight completes, then the process exits 0.
    const inflight = fetch(base + '/api/v1/cases', { headers: auth });
    child.kill('SIGTERM');
    const r = await inflight.catch(() => null);
    if (r) assert.equal(r.status, 200);
    const { code, signal } = await exited;
    assert.equal(signal, null, log);
    assert.equal(code, 0, log);
    assert.match(log, /stopping/);
    sink.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('listening beyond loopback without a trusted proxy: a warning at start; with one, none', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ogi-serve-'));
  try {
    const db = path.join(dir, 'ogi.db');
    await ogi(['init', '--db', db]);
    const start = async (extra) => {
      const portFile = path.join(dir, `port${extra.length}`);
      const child = spawn(OGI_BIN, ['serve', '--db', db, '--listen', '0.0.0.0:0', '--port-file', portFile, ...extra],
        { env: { ...process.env, OGI_TODAY: TODAY }, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      await waitFor(() => existsSync(portFile) && readFileSync(portFile, 'utf8').trim(), 15000, 'the port file');
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
      return err;
    };
    assert.match(await start([]), /warning: listening on 0\.0\.0\.0 without --trusted-proxy: .*must sit behind/);
    assert.doesNotMatch(await start(['--trusted-proxy', '172.17.0.1']), /warning: listening/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
