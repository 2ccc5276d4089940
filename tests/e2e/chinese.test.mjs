// Chinese only, Beijing time (issue 15 §5, §7): every page each role can reach from its
// navigation, walked in Chromium at 1366×768 and 1024×768 on the demo data. A page fails on a
// visible ASCII word outside a short allowlist (file formats, units), on a UTC time, and — at
// 1024 px — on a short table cell whose word is broken over two lines ("自然/人").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { h, start, stop, actor, watch, assertNoProblems } from './harness.mjs';

const PASSWORD = 'demo-pass-2026';
const ROLES = {
  registrar: 'dengji', handler: 'chengban', approver: 'qianfa', office: 'gongkaiban', admin: 'admin', auditor: 'jiandu',
};
const users = Object.fromEntries(Object.entries(ROLES).map(([role, name]) => [role, { name, password: PASSWORD }]));
// What may be written in Latin letters on a Chinese screen: file formats and units.
const ALLOWED = new Set(['DOCX', 'XLSX', 'CSV', 'PDF', 'OFD', 'ZIP', 'JPG', 'JPEG', 'PNG', 'TXT', 'DOC', 'XLS', 'KB', 'MB', 'SVG', 'ICS']);

before(() => start({ demo: true, users, shotPrefix: 'chinese-' }));
after(stop);

// Visible Latin words of the page (every <details> opened first), with where they are.
function latinWords(page) {
  return page.evaluate(() => {
    document.querySelectorAll('details').forEach((d) => { d.open = true; });
    const found = [];
    const shown = (el) => {
      const box = el.tagName === 'OPTION' || el.tagName === 'OPTGROUP' ? el.closest('select') : el;
      if (!box) return false;
      const st = getComputedStyle(box);
      return st.display !== 'none' && st.visibility !== 'hidden' && box.getClientRects().length > 0;
    };
    const scan = (text, el) => {
      for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9_./:=-]*[A-Za-z0-9]|[A-Za-z]{2,}/g))
        found.push(`${m[0]}（${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}：${text.trim().slice(0, 40)}）`);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n; (n = walker.nextNode());) {
      const el = n.parentElement;
      if (!el || el.closest('script, style, .login, .latin-ok') || !shown(el)) continue;
      scan(n.textContent, el);
    }
    for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], optgroup'))
      if (shown(el)) for (const a of ['placeholder', 'title', 'aria-label', 'label']) if (el.getAttribute(a)) scan(el.getAttribute(a), el);
    for (const el of document.querySelectorAll('input[type=submit], input[type=button]'))
      if (shown(el) && el.value) scan(el.value, el);
    return [document.title, found];
  });
}

// Short table cells (one word, no blank) whose text wraps other than after a bracket or a mark
// ("（三）/不予公开" is how the official table prints it; "自然/人" is broken).
function brokenCells(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const c of document.querySelectorAll('td, th')) {
      const t = c.innerText.trim();
      if (!t || t.length > 10 || /\s/.test(t) || !c.getClientRects().length) continue;
      const chars = [];
      const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
      for (let n; (n = walker.nextNode());)
        for (let i = 0; i < n.textContent.length; i++) {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          const box = r.getBoundingClientRect();
          if (box.width) chars.push([n.textContent[i], box.top]);
        }
      for (let i = 1; i < chars.length; i++)
        if (chars[i][1] - chars[i - 1][1] > 8 && !/[）)、，。：；]/.test(chars[i - 1][0]) && !/[（(]/.test(chars[i][0])) {
          bad.push(t);
          break;
        }
    }
    return bad;
  });
}

// The same-origin pages linked from this one that a person opens (no downloads, no logout).
function links(page) {
  return page.evaluate(() => [...document.querySelectorAll('a[href]')]
    .map((a) => new URL(a.getAttribute('href'), location.href))
    .filter((u) => u.origin === location.origin)
    .filter((u) => !/format=(docx|xlsx|csv)|\.docx$|\/attachments\//.test(u.href) && u.pathname !== '/logout')
    .filter((u) => !u.pathname.startsWith('/api/') || u.searchParams.get('format') === 'html' || u.pathname.endsWith('/reply-preview'))
    .map((u) => u.pathname + u.search));
}

async function walk(role, viewport, limit) {
  h.problems.length = 0;  // this walk's own
  const { context, page } = await actor(role, { viewport });
  watch(page, role);
  const seen = new Set();
  const perPath = new Map();
  const queue = ['/'];
  const problems = [];
  let pages = 0;
  while (queue.length && pages < limit) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    // a few of each kind of page: 3 case pages, 3 lists, ...
    const kind = new URL(url, h.base).pathname.replace(/\/\d+/g, '/N');
    if ((perPath.get(kind) ?? 0) >= 3) continue;
    perPath.set(kind, (perPath.get(kind) ?? 0) + 1);
    const res = await page.goto(h.base + url);
    if (!res || res.status() >= 400) { problems.push(`${url}: HTTP ${res?.status()}`); continue; }
    if (!(res.headers()['content-type'] ?? '').startsWith('text/html')) continue;
    pages += 1;
    const [title, words] = await latinWords(page);
    for (const w of words) if (!ALLOWED.has(w.split('（')[0])) problems.push(`${url}（${title}）: ${w}`);
    const text = await page.locator('body').innerText();
    const utc = /\d{4}-\d\d-\d\dT\d\d:\d\d/.exec(text);
    if (utc) problems.push(`${url}: UTC time ${utc[0]}`);
    if (viewport.width <= 1024)
      for (const c of await brokenCells(page)) problems.push(`${url}: at ${viewport.width} px the cell “${c}” breaks inside its word`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 1) problems.push(`${url}: at ${viewport.width} px the page scrolls sideways by ${wide} px`);
    for (const l of await links(page)) if (!seen.has(l)) queue.push(l);
  }
  await context.close();
  assertNoProblems(`${role} walk`);
  return { pages, problems };
}

for (const viewport of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }]) {
  for (const role of Object.keys(ROLES)) {
    test(`${role} at ${viewport.width}: every page reached from the navigation speaks Chinese, in Beijing time`, async () => {
      const { pages, problems } = await walk(role, viewport, viewport.width === 1366 ? 45 : 25);
      assert.ok(pages >= 3, `${role} reached only ${pages} pages`);
      assert.deepEqual(problems, [], `${role} at ${viewport.width} px:\n  ${problems.join('\n  ')}`);
    });
  }
}
