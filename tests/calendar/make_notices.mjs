#!/usr/bin/env node
// Regenerate tests/calendar/notices/YYYY.txt: for each year, the State Council General Office's
// holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) in the published pattern, written
// from the project's own workflow/calendar/YYYY.cal, so that notice_test.cpp can check that
// parse_notice reads each text back to exactly the .cal's days.
//
// The texts follow the published pattern, not the published words: the wording varies by year as
// the real notices do (星期X up to 2024, 周X from 2025 with markers on every date; 农历 markers in
// the 春节 item from 2023; 放假调休 / 放假; 与周末连休 and 补休 where the days allow; 不调休; the
// year written in the 元旦 item; an item broken across lines). The signing date is a placeholder
// (1 December of the year before). Comment lines of the .cal are not carried over.
//
// Usage: node tests/calendar/make_notices.mjs [FIRST_YEAR LAST_YEAR]   (default 2015 2026)
// No npm packages; writes the files next to this script, in notices/.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CAL_DIR = path.resolve(HERE, '..', '..', 'workflow', 'calendar');
const OUT_DIR = path.join(HERE, 'notices');

function die(msg) {
  process.stderr.write(`make_notices: ${msg}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length !== 0 && args.length !== 2) die('usage: node make_notices.mjs [FIRST_YEAR LAST_YEAR]');
const [first, last] = args.length ? args.map(Number) : [2015, 2026];
if (!Number.isInteger(first) || !Number.isInteger(last) || first > last) die(`bad years: ${args}`);

// Days are UTC day numbers (days since 1970-01-01).
const DAY_MS = 86400000;
const dayOf = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / DAY_MS;
const parts = (n) => {
  const t = new Date(n * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), w: t.getUTCDay() };
};
const weekend = (n) => parts(n).w === 0 || parts(n).w === 6;
const WEEKDAY = '日一二三四五六';
const CN = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const cnNumber = (n) => (n <= 10 ? CN[n] : (n >= 20 ? CN[Math.floor(n / 10)] : '') + '十' + CN[n % 10]);
const lunarDay = (d) => (d <= 10 ? '初' + CN[d] : d === 20 ? '二十' : d === 30 ? '三十' : cnNumber(d));

// 正月初一 of the years whose 春节 item carries 农历 markers, and the length of the 腊月 before it
// (needed only for a day before 除夕).
const LUNAR_NEW_YEAR = {
  2023: ['2023-01-22', 30],
  2024: ['2024-02-10', 30],
  2025: ['2025-01-29', 29],
  2026: ['2026-02-17', 29],
};
function lunarLabel(n, year) {
  const [day, lastMonth] = LUNAR_NEW_YEAR[year];
  const k = n - dayOf(day);
  if (k === -1) return '农历除夕';
  return k < -1 ? '农历腊月' + lunarDay(lastMonth + k + 1) : '农历正月' + lunarDay(k + 1);
}

// The wording of a year's notice, as the published notices of that period word it.
function style(year) {
  return {
    week: year >= 2025 ? '周' : '星期',
    markOff: year >= 2025, // weekday markers on the days off too
    lunar: year in LUNAR_NEW_YEAR, // 农历 markers in the 春节 item
    joinWeekend: (year >= 2014 && year <= 2019) || year === 2024, // "6月18日放假，与周末连休"
    restDay: year <= 2017, // "4月5日放假，4月6日（星期一）补休"
    restFirst: year <= 2015, // 补休 rather than 与周末连休 when both fit
    oneDay: year >= 2025 ? '放假1天，不调休' : year <= 2015 ? '放假' : '放假，共1天',
    newYearYear: year >= 2020 && year <= 2023, // "2021年1月1日至3日放假"
    otherYearBare: year === 2019, // "12月30日至1月1日": the reader puts December in the year before
    wrap: { 2018: ['国庆节', '，'], 2020: ['春节', '。'], 2022: ['劳动节', '至'] }[year],
    blankLines: year % 2 === 0,
    epidemic: year >= 2021 && year <= 2023,
  };
}

function readCal(year) {
  const cal = { year: 0, notice: '', festivals: [] };
  const byName = new Map();
  const festival = (name) => {
    if (!byName.has(name)) {
      byName.set(name, { name, off: [], work: [] });
      cal.festivals.push(byName.get(name));
    }
    return byName.get(name);
  };
  const file = path.join(CAL_DIR, `${year}.cal`);
  fs.readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const [kw, arg, ...rest] = line.split(/\s+/);
    const name = rest.join(' ');
    if (kw === 'year') cal.year = Number(arg);
    else if (kw === 'notice') cal.notice = [arg, ...rest].join(' ');
    else if (kw === 'holiday') {
      const [a, b = a] = arg.split('..');
      for (let n = dayOf(a); n <= dayOf(b); n++) festival(name).off.push(n);
    } else if (kw === 'workday') festival(name.replace(/调休上班$/, '')).work.push(dayOf(arg));
    else die(`${file}:${i + 1}: unknown statement '${kw}'`);
  });
  if (cal.year !== year) die(`${file}: year ${cal.year}`);
  for (const f of cal.festivals) f.off.sort((a, b) => a - b), f.work.sort((a, b) => a - b);
  const firstDay = (f) => (f.off.length ? f.off[0] : f.work[0]);
  cal.festivals.sort((a, b) => firstDay(a) - firstDay(b));
  return cal;
}

function item(f, year, st) {
  const withYear = (n) => parts(n).y !== year && !st.otherYearBare;
  const marker = (n, lunar, weekday) => {
    const ps = [];
    if (lunar && st.lunar && f.name === '春节') ps.push(lunarLabel(n, year));
    if (weekday) ps.push(st.week + WEEKDAY[parts(n).w]);
    return ps.length ? `（${ps.join('、')}）` : '';
  };
  const date = (n, force = false) => {
    const t = parts(n);
    return `${force || withYear(n) ? t.y + '年' : ''}${t.m}月${t.d}日`;
  };
  const yearFirst = f.name === '元旦' && st.newYearYear;
  const off = (n) => date(n, yearFirst && n === f.off[0]) + marker(n, true, st.markOff);
  const span = (a, b) => {
    if (a === b) return off(a);
    const [s, e] = [parts(a), parts(b)];
    let end = `${e.d}日`;
    if (e.y !== s.y && !st.otherYearBare) end = date(b, true);
    else if (e.m !== s.m || e.y !== s.y) end = `${e.m}月${e.d}日`;
    return off(a) + '至' + end + marker(b, true, st.markOff);
  };
  const runs = [];
  for (const n of f.off) {
    if (runs.length && runs.at(-1)[1] === n - 1) runs.at(-1)[1] = n;
    else runs.push([n, n]);
  }
  const allWeekend = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i).every(weekend);
  const monday = (n) => `${date(n)}（${st.week}一）补休`;
  let text = '';
  if (runs.length === 1 && f.work.length === 0) {
    const [a, b] = runs[0];
    const ends = parts(b).w === 1 && b > a && allWeekend(a, b - 1); // weekend, then Monday
    const fixed = { 元旦: [1, 1], 劳动节: [5, 1] }[f.name];
    const fday = fixed && f.off.find((n) => parts(n).m === fixed[0] && parts(n).d === fixed[1]);
    const weekdays = f.off.filter((n) => !weekend(n));
    let [lo, hi] = [weekdays[0], weekdays[0]];
    while (weekdays.length === 1 && weekend(lo - 1)) lo--;
    while (weekdays.length === 1 && weekend(hi + 1)) hi++;
    const join = st.joinWeekend && weekdays.length === 1 && lo === a && hi === b && a < b;
    if (st.restDay && ends && fday !== undefined && weekend(fday)) {
      const before = fday > a ? `（与${date(a)}周${WEEKDAY[parts(a).w]}连休）` : '';
      text = `${date(fday)}放假，${monday(b)}${before}`;
    } else if (st.restDay && st.restFirst && ends) text = `${date(a)}放假，${monday(b)}`;
    else if (join) text = `${date(weekdays[0])}放假，与周末连休`;
    else if (st.restDay && ends) text = `${date(a)}放假，${monday(b)}`;
    else if (a === b) text = `${off(a)}${st.oneDay}`;
  }
  if (!text && runs.length) {
    const spans = runs.map(([a, b]) => span(a, b)).join('、');
    text = `${spans}${f.work.length ? '放假调休' : '放假'}，共${f.off.length}天`;
  }
  const work = f.work.map((n) => date(n) + marker(n, false, true)).join('、');
  return `${f.name}：${[text, work && work + '上班'].filter(Boolean).join('。')}。`;
}

function notice(cal) {
  const { year } = cal;
  const st = style(year);
  const names = [...new Set(cal.festivals.flatMap((f) => f.name.split('、')))];
  const list = names.length > 1 ? names.slice(0, -1).join('、') + '和' + names.at(-1) : names[0];
  const items = cal.festivals.map((f, i) => {
    const text = `${cnNumber(i + 1)}、${item(f, year, st)}`;
    if (!st.wrap || st.wrap[0] !== f.name) return text;
    const at = text.indexOf(st.wrap[1], text.indexOf('：')) + st.wrap[1].length;
    return text.slice(0, at) + '\n' + text.slice(at);
  });
  const gap = st.blankLines ? [''] : [];
  return [
    `国务院办公厅关于${year}年部分节假日安排的通知`,
    cal.notice,
    '',
    '各省、自治区、直辖市人民政府，国务院各部委、各直属机构：',
    `经国务院批准，现将${year}年${list}放假调休日期的具体安排通知如下。`,
    ...gap,
    ...items,
    ...gap,
    `节假日期间，各地区、各部门要妥善安排好值班和安全、保卫${st.epidemic ? '、疫情防控' : ''}等工作，` +
      '遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。',
    '',
    '国务院办公厅',
    `${year - 1}年12月1日`,
    '',
  ].join('\n');
}

fs.mkdirSync(OUT_DIR, { recursive: true });
for (let year = first; year <= last; year++) {
  const file = path.join(OUT_DIR, `${year}.txt`);
  fs.writeFileSync(file, notice(readCal(year)));
  process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
}
