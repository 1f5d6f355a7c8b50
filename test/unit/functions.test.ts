import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { fiscalYear, parseDate, todayInJapan } from '../../src/core/dates.js';
import { LIBRARY, registerLibrary } from '../../src/engine/cel/functions.js';

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
