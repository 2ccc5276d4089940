import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8093';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
async function login(user) {
  const ctx = await b.newContext({ viewport: { width: 1366, height: 900 } });
  const p = await ctx.newPage();
  await p.goto(base + '/login');
  await p.fill('input[name=username]', user);
  await p.fill('input[name=password]', 'demo-pass-2026');
  await p.click('button[type=submit]');
  await p.waitForLoadState('networkidle');
  return p;
}
const h = await login('chengban');
await h.goto(base + '/cases/2');
const link = null;
const href = '/cases/2';
console.log('case', href);
await h.goto(base + href);
const rc = h.locator('details.action[data-event="request_correction"]');
await rc.locator('summary').click();
await rc.locator('textarea[name=items]').fill('请明确所需信息的名称');
await rc.locator('button[type=submit]').click();
await h.waitForLoadState('networkidle');
console.log('deadlines:', (await h.locator('.running').innerText()).replace(/\s+/g, ' '));
await h.screenshot({ path: '/tmp/walk/shots/1-after-correction.png', fullPage: true });
const lapse = h.locator('details.action[data-event="correction_lapsed"]');
if (await lapse.count()) {
  await lapse.locator('summary').click();
  await lapse.locator('button[type=submit]').click();
  await h.waitForLoadState('networkidle');
  console.log('lapse error:', await h.locator('p.error').innerText().catch(() => 'none'));
}
const r = await login('dengji');
await r.goto(base + href);
const sv = r.locator('details.action[data-event="serve_notice"]');
console.log('serve form present:', await sv.count());
await sv.locator('summary').click();
console.log('serve fields:', (await sv.innerText()).replace(/\s+/g, ' '));
await sv.locator('select[name=method]').selectOption('post');
await sv.locator('button[type=submit]').click();
await r.waitForLoadState('networkidle');
console.log('deadlines after service:', (await r.locator('.running').innerText()).replace(/\s+/g, ' '));
await r.screenshot({ path: '/tmp/walk/shots/2-after-service.png', fullPage: true });
const a = await login('admin');
await a.goto(base + '/admin/agencies');
console.log('agencies page:', (await a.locator('main, body').first().innerText()).slice(0, 600).replace(/\s+/g, ' '));
await a.screenshot({ path: '/tmp/walk/shots/3-agencies.png', fullPage: true });
await b.close();
