import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { fiscalYear, parseDate, todayInJapan } from '../../src/core/dates.js';
import { LIBRARY, registerLibrary } from '../../src/engine/cel/functions.js';
import { missingFields, normName, normPlace } from '../../src/engine/cel/text.js';

const env = new Environment({ enableOptionalTypes: true });
registerLibrary(env);
env.registerVariable('d', 'string');
const cel = (expr: string, d = '') => env.evaluate(expr, { d });

describe('date functions (as policies call them)', () => {
  it('daysBetween counts calendar days, negative backwards, across leap days', () => {
    expect(cel('daysBetween("2024-02-28", "2024-03-01")')).toBe(2n);
    expect(cel('daysBetween("2023-02-28", "2023-03-01")')).toBe(1n);
    expect(cel('daysBetween("2026-11-24", "2026-11-20")')).toBe(-4n);
  });
  it('monthsBetween counts whole months only', () => {
    expect(cel('monthsBetween("2024-01-31", "2024-02-29")')).toBe(1n);
    expect(cel('monthsBetween("2024-01-31", "2024-02-28")')).toBe(0n);
    expect(cel('monthsBetween("2025-11-24", "2026-11-24")')).toBe(12n);
    expect(cel('monthsBetween("2025-11-25", "2026-11-24")')).toBe(11n);
  });
  it('yearsBetween counts whole years (6 years of レセプト retention)', () => {
    expect(cel('yearsBetween("2020-04-01", "2026-03-31")')).toBe(5n);
    expect(cel('yearsBetween("2020-04-01", "2026-04-01")')).toBe(6n);
  });
  it('addMonths clamps to the end of a shorter month; addYears moves Feb 29 to Feb 28', () => {
    expect(cel('addMonths("2024-01-31", 1)')).toBe('2024-02-29');
    expect(cel('addMonths("2023-01-31", 1)')).toBe('2023-02-28');
    expect(cel('addMonths("2026-11-24", -12)')).toBe('2025-11-24');
    expect(cel('addYears("2024-02-29", 1)')).toBe('2025-02-28');
    expect(cel('addDays("2026-12-31", 1)')).toBe('2027-01-01');
  });
  it('fiscalYear runs April to March', () => {
    expect(cel('fiscalYear("2025-03-31")')).toBe(2024n);
    expect(cel('fiscalYear("2025-04-01")')).toBe(2025n);
    expect(cel('fiscalYearStart(2025)')).toBe('2025-04-01');
    expect(cel('fiscalYearEnd(2025)')).toBe('2026-03-31');
    expect(fiscalYear('2026-01-15')).toBe(2025);
  });
  it('isDate rejects dates that do not exist and other shapes', () => {
    expect(cel('isDate("2024-02-29")')).toBe(true);
    expect(cel('isDate("2023-02-29")')).toBe(false);
    expect(cel('isDate("2023-2-1")')).toBe(false);
    expect(() => parseDate('2026-02-30')).toThrow(/no such date/);
  });
  it('maxDate / minDate compare as dates and fail on an empty list', () => {
    expect(cel('maxDate(["2025-06-01", "2026-01-15", "2025-12-31"])')).toBe('2026-01-15');
    expect(cel('minDate(["2025-06-01", "2026-01-15"])')).toBe('2025-06-01');
    expect(() => cel('maxDate([])')).toThrow(/empty list/);
  });
  it('a date function given a malformed date is an evaluation error, not a wrong answer', () => {
    expect(() => cel('daysBetween(d, "2026-01-01")', '2026/01/01')).toThrow(/YYYY-MM-DD/);
  });
  it('todayInJapan uses Japan time (UTC+9) for the default as-of date', () => {
    expect(todayInJapan(new Date('2026-11-23T15:30:00Z'))).toBe('2026-11-24');
    expect(todayInJapan(new Date('2026-11-23T14:30:00Z'))).toBe('2026-11-23');
  });
});

describe('retention calendar functions (第22条)', () => {
  it('monthEnd gives the last day of the month, leap years included', () => {
    expect(cel('monthEnd("2024-02-10")')).toBe('2024-02-29');
    expect(cel('monthEnd("2025-02-10")')).toBe('2025-02-28');
    expect(cel('monthEnd("2026-11-30")')).toBe('2026-11-30');
  });
  it('mediaDisposalMonth gives the February or August the union media data are disposed of in', () => {
    expect(cel('mediaDisposalMonth("2026-01-15")')).toBe('2026-08-01');
    expect(cel('mediaDisposalMonth("2026-02-20")')).toBe('2026-02-01');
    expect(cel('mediaDisposalMonth("2026-05-31")')).toBe('2026-08-01');
    expect(cel('mediaDisposalMonth("2026-06-01")')).toBe('2027-02-01');
    expect(cel('mediaDisposalMonth("2026-12-31")')).toBe('2027-08-01');
    expect(cel('monthEnd(mediaDisposalMonth("2027-02-28"))')).toBe('2027-02-28');
  });
  it('a malformed date is an evaluation error', () => {
    expect(() => cel('mediaDisposalMonth(d)', '2026/01/15')).toThrow(/YYYY-MM-DD/);
    expect(() => cel('monthEnd(d)', '2026-02-30')).toThrow(/no such date/);
  });
});

describe('regexMatch (RE2, linear time)', () => {
  it('matches like a search, and anchors work', () => {
    expect(cel('regexMatch("KENPO-PC001", "^KENPO-PC[0-9]{3}$")')).toBe(true);
    expect(cel('regexMatch("xKENPO", "^KENPO")')).toBe(false);
  });
  it('does not backtrack catastrophically on ^(a+)+$', () => {
    const input = 'a'.repeat(5000) + '!';
    // A backtracking engine would not return from this; RE2 answers at once.
    expect(env.evaluate('regexMatch(d, "^(a+)+$")', { d: input })).toBe(false);
  });
});

describe('keys', () => {
  it('lists present fields, sorted', () => {
    expect(cel('keys({"b": 1, "a": 2})')).toEqual(['a', 'b']);
  });
});

it('every library function is documented in both languages', () => {
  for (const f of LIBRARY) {
    expect(f.description.ja.length).toBeGreaterThan(0);
    expect(f.description.en.length).toBeGreaterThan(0);
  }
});

describe('months and years agree with addMonths / addYears', () => {
  it('is negative backwards', () => {
    expect(cel('monthsBetween("2026-11-24", "2025-11-24")')).toBe(-12n);
    expect(cel('yearsBetween("2026-04-01", "2020-04-01")')).toBe(-6n);
  });
  it('a leap-day start counts a year on Feb 28', () => {
    expect(cel('yearsBetween("2024-02-29", "2025-02-28")')).toBe(1n);
  });
});

it('the policy guide documents every library function', async () => {
  const { readFile } = await import('node:fs/promises');
  const guide = await readFile(new URL('../../docs/policy-guide.md', import.meta.url), 'utf8');
  for (const f of LIBRARY) expect(guide).toContain(`\`${f.signature}\``);
});

describe('provided: a provision is text with substance (issue 8, item 5)', () => {
  const provided = (s: string) => cel('provided(d)', s);
  it('is false for text that is empty once trimmed, full-width and other Unicode spaces included', () => {
    for (const s of ['', ' ', '　', '\t\n', '\u00a0', '\u2003', '　 　']) expect(provided(s), JSON.stringify(s)).toBe(false);
  });
  it('is false for dashes and other marks alone', () => {
    for (const s of ['-', '--', 'ー', '―', '—', '‐', '－', '…', '...', '・', '?', '？', '〃', '*']) expect(provided(s), s).toBe(false);
  });
  it('is false for placeholders, however they are written', () => {
    for (const s of [
      'なし', '無し', 'ナシ', '特になし', '該当なし', '未定', '未記入', '未記載', '空欄', '不明', '検討中', '調整中', '後日',
      'TBD', 'tbd', 'ＴＢＤ', ' TBD ', 'N/A', 'n/a', 'Ｎ／Ａ', 'TODO', 'none', 'xxx',
      '（なし）', '「未定」', '(TBD)', 'なし。', '　未定　',
    ]) expect(provided(s), s).toBe(false);
  });
  it('is true for a provision, written full-width or with spaces around it', () => {
    for (const s of ['第8条', '第８条', '　第８条（秘密保持）　', '3.1', '別紙1', 'VPN と通信の暗号化', '繁忙期の入力作業を自社で賄えないため', 'なし崩しにしない旨の条項', '未定義動作の禁止（第5条）'])
      expect(provided(s), s).toBe(true);
  });
  it('accepts the answers a field names as legitimate (該当なし for a topic reported as not applicable)', () => {
    expect(cel('provided(d, ["該当なし", "特になし"])', '該当なし')).toBe(true);
    expect(cel('provided(d, ["該当なし", "特になし"])', '（該当なし）')).toBe(true);
    expect(cel('provided(d, ["該当なし"])', '-')).toBe(false);
    expect(cel('provided(d, ["該当なし"])', '未定')).toBe(false);
  });
});

describe('missing: the fields an object lacks', () => {
  it('lists absent fields, blank or placeholder texts and empty lists, in the order asked', () => {
    const record = { a: '第3条', b: '　', c: [], d: ['-'], e: ['VPN'], f: false, g: '未定' };
    expect(missingFields(record, ['h', 'g', 'f', 'e', 'd', 'c', 'b', 'a'])).toEqual(['h', 'g', 'd', 'c', 'b']);
    expect(cel('missing({"a": "第3条", "b": "　", "g": "未定"}, ["h", "g", "b", "a"])')).toEqual(['h', 'g', 'b']);
  });
  it('takes answers to accept', () => {
    expect(cel('missing({"a": "該当なし", "b": "TBD"}, ["a", "b"], ["該当なし"])')).toEqual(['b']);
    expect(missingFields(new Map([['a', '第1条']]), ['a', 'b'])).toEqual(['b']);
  });
});

describe('normName / normPlace: names written the ordinary other way compare equal (issue 8, item 6)', () => {
  const same = (a: string, b: string) => cel('normName(d) == normName("' + b + '")', a);
  it('ignores a company\'s legal form, written any way', () => {
    for (const s of ['株式会社テスト保守', '㈱テスト保守', '(株)テスト保守', '（株）テスト保守', 'テスト保守株式会社', 'テスト保守㈱', '株式会社　テスト保守', ' テスト保守 ', 'テスト保守'])
      expect(same(s, '株式会社テスト保守'), s).toBe(true);
    expect(same('有限会社テスト', 'テスト')).toBe(true);
    expect(same('ABC Co., Ltd.', 'ＡＢＣ')).toBe(true);
    expect(same('ABC Inc.', 'abc')).toBe(true);
    expect(same('株式会社テスト保守', '株式会社テスト廃棄')).toBe(false);
  });
  it('folds width, case, white space and hyphens, and keeps the prolonged sound mark', () => {
    expect(same('ＫＥＮＰＯ－ＰＣ００１', 'KENPO-PC001')).toBe(true);
    expect(same('kenpo‐pc001', 'KENPO-PC001')).toBe(true);
    expect(same('個人情報取扱　責任者 ', '個人情報取扱責任者')).toBe(true);
    expect(normName('サーバー')).toBe('サーバー');
    expect(normName('株式会社')).toBe('株式会社');
  });
  it('normPlace puts a place the regulation names in one form', () => {
    for (const s of ['大阪', '大阪府', '大阪市', 'Osaka', 'ＯＳＡＫＡ', 'osaka-fu', 'おおさか', '大阪府大阪市北区', ' 大阪府 ']) expect(normPlace(s), s).toBe('大阪');
    for (const s of ['多摩市', '多摩', '東京都多摩市', 'Tama City']) expect(normPlace(s), s).toBe('多摩');
    expect(cel('normPlace(d) == normPlace("大阪")', '大阪府')).toBe(true);
    expect(cel('normPlace(d) == normPlace("大阪")', '京都府')).toBe(false);
  });
  it('normPlace drops an administrative suffix elsewhere, but never to a single character', () => {
    expect(normPlace('京都府')).toBe(normPlace('京都'));
    expect(normPlace('東京都')).toBe(normPlace('東京'));
    expect(normPlace('横浜市')).toBe('横浜');
    expect(normPlace('府中市')).toBe('府中');
    expect(normPlace('京都')).toBe('京都');
  });
});

describe('role holders on a date (holderOn, holds, termOn)', () => {
  const roles = new Map<string, unknown>([
    ['chairman', { appointments: [{ holder: 'S-032', from: '2013-06-20', until: '2019-06-20' }, { holder: 'S-001', from: '2019-06-21' }] }],
    ['systemAuditor', { appointments: [{ holder: 'S-033', from: '2016-07-26', until: '2020-03-31' }, { holder: 'S-003', from: '2020-05-01' }] }],
  ]);
  const renv = new Environment({ enableOptionalTypes: true });
  registerLibrary(renv);
  renv.registerVariable('roles', 'dyn');
  const run = (expr: string) => renv.evaluate(expr, { roles });
  it('names the holder of the act\'s date, on the first and last day of a term', () => {
    expect(run('holderOn(roles, "chairman", "2019-06-20").orValue("-")')).toBe('S-032');
    expect(run('holderOn(roles, "chairman", "2019-06-21").orValue("-")')).toBe('S-001');
    expect(run('holderOn(roles, "chairman", "2030-01-01").orValue("-")')).toBe('S-001');
    // A date-time is judged by its date.
    expect(run('holderOn(roles, "chairman", "2019-06-20T23:59:00+09:00").orValue("-")')).toBe('S-032');
  });
  it('gives no holder in a gap, before the first term, or for a role with no record', () => {
    expect(run('holderOn(roles, "systemAuditor", "2020-04-15").hasValue()')).toBe(false);
    expect(run('holderOn(roles, "chairman", "2013-06-19").hasValue()')).toBe(false);
    expect(run('holderOn(roles, "dataProtectionManager", "2020-01-01").hasValue()')).toBe(false);
  });
  it('holds is true only for the holder of that day; an empty id holds nothing', () => {
    expect(run('holds(roles, "chairman", "S-032", "2018-03-15")')).toBe(true);
    expect(run('holds(roles, "chairman", "S-032", "2020-03-15")')).toBe(false);
    expect(run('holds(roles, "chairman", "S-001", "2018-03-15")')).toBe(false);
    expect(run('holds(roles, "systemAuditor", "", "2020-04-15")')).toBe(false);
  });
  it('termOn gives the index of the covering term, or -1', () => {
    expect(run('termOn(roles["systemAuditor"].appointments, "2021-01-01")')).toBe(1n);
    expect(run('termOn(roles["systemAuditor"].appointments, "2020-04-15")')).toBe(-1n);
  });
});

describe('integer day arithmetic agrees with Temporal', () => {
  it('addDays, daysBetween, compareDates and addYears on 5,000 seeded dates, years 0010–9989 included', async () => {
    const { Temporal } = await import('temporal-polyfill');
    const { addDays, addYears, compareDates, daysBetween } = await import('../../src/core/dates.js');
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const iso = (d: InstanceType<typeof Temporal.PlainDate>) => d.toString();
    for (let i = 0; i < 5000; i++) {
      const year = i % 10 === 0 ? 10 + rnd(110) : 10 + rnd(9980);
      const a = Temporal.PlainDate.from({ year, month: 1 + rnd(12), day: 1 + rnd(31) }, { overflow: 'constrain' });
      const n = rnd(4000) - 2000;
      const b = a.add({ days: n });
      expect(addDays(iso(a), n)).toBe(iso(b));
      expect(daysBetween(iso(a), iso(b))).toBe(n);
      expect(compareDates(iso(a), iso(b))).toBe(Temporal.PlainDate.compare(a, b));
      expect(addYears(iso(a), 1)).toBe(iso(a.add({ years: 1 }, { overflow: 'constrain' })));
    }
  });
});

describe('otherIds: the rest of a group, capped', () => {
  it('names up to N others and counts the rest, reading only N + 1 records', async () => {
    const { otherIds } = await import('../../src/engine/cel/functions.js');
    const group = Array.from({ length: 9 }, (_, i) => ({ id: `A-00${i + 1}` }));
    expect(otherIds(group, 'A-001', 5)).toBe('A-002, A-003, A-004, A-005, A-006 … (+3)');
    expect(otherIds(group, 'A-004', 5)).toBe('A-001, A-002, A-003, A-005, A-006 … (+3)');
    expect(otherIds(group.slice(0, 3), 'A-002', 5)).toBe('A-001, A-003');
    const reads: number[] = [];
    const watched = new Proxy(Array.from({ length: 100_000 }, (_, i) => ({ id: `A-${i}` })), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads.push(Number(key));
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(otherIds(watched, 'A-0', 5)).toBe('A-1, A-2, A-3, A-4, A-5 … (+99994)');
    expect(reads.length).toBe(6);
  });
});

describe('acts before the regulation came into force', () => {
  const roles = new Map<string, unknown>([['chairman', { appointments: [{ holder: 'S-032', from: '2013-06-20', until: '2019-06-20' }, { holder: 'S-001', from: '2019-06-21' }] }]]);
  const eenv = new Environment({ enableOptionalTypes: true });
  registerLibrary(eenv, { enforcedOn: '2016-07-26' });
  eenv.registerVariable('roles', 'dyn');
  const run = (expr: string) => eenv.evaluate(expr, { roles });
  it('no role was held under the regulation before it; an act then is not judged by who did it', () => {
    expect(run('holds(roles, "chairman", "S-032", "2016-07-25")')).toBe(false);
    expect(run('holderOn(roles, "chairman", "2016-07-25").hasValue()')).toBe(false);
    expect(run('actedAs(roles, "chairman", "S-999", "2016-07-25")')).toBe(true);
  });
  it('from the day it came into force, actedAs is holds', () => {
    expect(run('holds(roles, "chairman", "S-032", "2016-07-26")')).toBe(true);
    expect(run('actedAs(roles, "chairman", "S-032", "2016-07-26")')).toBe(true);
    expect(run('actedAs(roles, "chairman", "S-032", "2020-03-15")')).toBe(false);
    expect(run('actedAs(roles, "chairman", "S-001", "2020-03-15")')).toBe(true);
  });
});
