#!/usr/bin/env node
// Reference for festivals_test.sh: the festival dates of each year according to the npm package
// `chinese-days` (its lunar table and its own solar-term formula), a different source from the
// `lunar-javascript` package that generated workflow/calendar/festivals.tsv.
//
// Usage: node festivals_check.mjs FIRST_YEAR LAST_YEAR
// Output: one tab-separated line per year, the same columns as festivals.tsv:
//   YEAR  spring  qingming  duanwu  zhongqiu
// where spring is the day chinese-days calls 正月初一 (non-leap month), duanwu 五月初五, zhongqiu
// 八月十五 and qingming the day its 清明 (pure_brightness) term falls on. Every day of the
// Gregorian year is converted, so a field is the one matching day, "none" when no day matches, or
// "many:D1,D2" when several do.
//
// The package is resolved from the current working directory's node_modules (or NODE_PATH), e.g.:
//   cd /tmp/cd && node /work/main/tests/calendar/festivals_check.mjs 2010 2060

import { createRequire } from 'node:module';

// chinese-days parses 'YYYY-MM-DD' strings as UTC midnight but reads them back with local-time
// getters (in time zones west of UTC the solar terms come out a day early or not at all). Pin the
// process to UTC before the package is loaded.
process.env.TZ = 'UTC';

function usage(msg) {
  if (msg) process.stderr.write(`festivals_check: ${msg}\n`);
  process.stderr.write('usage: node festivals_check.mjs FIRST_YEAR LAST_YEAR\n');
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length !== 2) usage('expected exactly two arguments');
const first = Number(args[0]);
const last = Number(args[1]);
if (!Number.isInteger(first) || !Number.isInteger(last) || first > last || first < 1901 || last > 2099) {
  usage(`bad year range: ${args.join(' ')}`);
}

const require = createRequire(process.cwd() + '/');
let cd;
try {
  cd = require('chinese-days');
} catch (e) {
  process.stderr.write(
    "festivals_check: cannot load 'chinese-days' (install it in the current directory " +
      `or put it on NODE_PATH): ${e.message}\n`,
  );
  process.exit(3);
}
const getLunarDate = cd.getLunarDate ?? cd.default?.getLunarDate;
const getSolarTerms = cd.getSolarTerms ?? cd.default?.getSolarTerms;
if (typeof getLunarDate !== 'function' || typeof getSolarTerms !== 'function') {
  process.stderr.write("festivals_check: 'chinese-days' lacks getLunarDate or getSolarTerms\n");
  process.exit(3);
}

const p = (n, w = 2) => String(n).padStart(w, '0');
const DAY = 24 * 60 * 60 * 1000;
const field = (list) => (list.length === 1 ? list[0] : list.length === 0 ? 'none' : `many:${list.join(',')}`);

const out = [];
for (let y = first; y <= last; y++) {
  const found = { spring: [], duanwu: [], zhongqiu: [] };
  for (let ms = Date.UTC(y, 0, 1); ms < Date.UTC(y + 1, 0, 1); ms += DAY) {
    const t = new Date(ms);
    const day = `${p(t.getUTCFullYear(), 4)}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}`;
    const l = getLunarDate(day);
    if (l.date !== day) {
      process.stderr.write(`festivals_check: chinese-days echoed ${l.date} for ${day} (time zone?)\n`);
      process.exit(4);
    }
    if (l.isLeap) continue;
    if (l.lunarMon === 1 && l.lunarDay === 1) found.spring.push(day);
    if (l.lunarMon === 5 && l.lunarDay === 5) found.duanwu.push(day);
    if (l.lunarMon === 8 && l.lunarDay === 15) found.zhongqiu.push(day);
  }
  // 清明 is always in early April; ask for the terms of March to May and keep every 清明 found.
  const qingming = getSolarTerms(`${y}-03-01`, `${y}-05-31`)
    .filter((s) => s.term === 'pure_brightness')
    .map((s) => s.date);
  out.push([y, field(found.spring), field(qingming), field(found.duanwu), field(found.zhongqiu)].join('\t'));
}
process.stdout.write(out.join('\n') + '\n');
