#!/usr/bin/env node
// Dump the working-day status of every day in a range according to the
// independent npm package `chinese-days` (used to cross-check workflow/calendar/*.cal).
//
// Usage: node chinese_days_dump.mjs FROM TO        (dates YYYY-MM-DD, inclusive)
// Output: one line per day, "YYYY-MM-DD yes" (working day) or "YYYY-MM-DD no".
//
// The package is resolved from the current working directory's node_modules
// (or NODE_PATH), e.g.:
//   cd /tmp/cd && node /work/main/tests/calendar/chinese_days_dump.mjs 2010-01-01 2026-12-31

import { createRequire } from 'node:module';

// chinese-days parses 'YYYY-MM-DD' strings as UTC midnight but reads them back
// (and builds its own holiday tables) with local-time getters, so in time zones
// west of UTC every answer would be shifted by a day. Pin the process to UTC
// before the package is loaded.
process.env.TZ = 'UTC';

function usage(msg) {
  if (msg) process.stderr.write(`chinese_days_dump: ${msg}\n`);
  process.stderr.write('usage: node chinese_days_dump.mjs FROM TO   (dates YYYY-MM-DD)\n');
  process.exit(2);
}

function parseDay(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  if (!m) usage(`not a YYYY-MM-DD date: ${s}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    usage(`not a real date: ${s}`);
  }
  return ms;
}

function fmt(ms) {
  const t = new Date(ms);
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(t.getUTCFullYear(), 4)}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}`;
}

const args = process.argv.slice(2);
if (args.length !== 2) usage('expected exactly two arguments');
const from = parseDay(args[0]);
const to = parseDay(args[1]);
if (from > to) usage('FROM is after TO');

const require = createRequire(process.cwd() + '/');
let cd;
try {
  cd = require('chinese-days');
} catch (e) {
  process.stderr.write(
    "chinese_days_dump: cannot load 'chinese-days' (install it in the current directory " +
      `or put it on NODE_PATH): ${e.message}\n`,
  );
  process.exit(3);
}
const isWorkday = cd.isWorkday ?? cd.default?.isWorkday;
if (typeof isWorkday !== 'function') {
  process.stderr.write("chinese_days_dump: 'chinese-days' has no isWorkday function\n");
  process.exit(3);
}

const DAY = 24 * 60 * 60 * 1000;
const out = [];
for (let ms = from; ms <= to; ms += DAY) {
  const day = fmt(ms);
  out.push(`${day} ${isWorkday(day) ? 'yes' : 'no'}`);
}
process.stdout.write(out.join('\n') + '\n');
