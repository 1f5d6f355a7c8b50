import { describe, expect, it } from 'vitest';
import { addDays, addMonths, addYears, DateError, mediaDisposalMonth, monthEnd } from '../../src/core/dates.js';

/**
 * The retention calendars of 第22条: month ends, the February / August disposal months of the
 * union's own media (第22条第1項第2号), and the periods of the other items as the policies in
 * policies/retention.yaml compute them.
 */
describe('monthEnd', () => {
  it('gives the last day of every month of a common year', () => {
    const ends = ['31', '28', '31', '30', '31', '30', '31', '31', '30', '31', '30', '31'];
    ends.forEach((day, i) => {
      const m = String(i + 1).padStart(2, '0');
      expect(monthEnd(`2025-${m}-01`)).toBe(`2025-${m}-${day}`);
      expect(monthEnd(`2025-${m}-15`)).toBe(`2025-${m}-${day}`);
      expect(monthEnd(`2025-${m}-${day}`)).toBe(`2025-${m}-${day}`);
    });
  });
  it('knows leap years (divisible by 4, not by 100 unless by 400)', () => {
    expect(monthEnd('2024-02-01')).toBe('2024-02-29');
    expect(monthEnd('2024-02-29')).toBe('2024-02-29');
    expect(monthEnd('2026-02-10')).toBe('2026-02-28');
    expect(monthEnd('2000-02-10')).toBe('2000-02-29');
    expect(monthEnd('2100-02-10')).toBe('2100-02-28');
  });
  it('rejects malformed and non-existent dates', () => {
    expect(() => monthEnd('2025-02-30')).toThrow(DateError);
    expect(() => monthEnd('2025-2-1')).toThrow(DateError);
    expect(() => monthEnd('2025-02')).toThrow(DateError);
  });
});

describe('mediaDisposalMonth (第22条第1項第2号: February and August, not in the 2 months before)', () => {
  // due month → [disposal year offset, disposal month]
  const table: [number, number, number][] = [
    [1, 0, 8], // January is in the two months before February → August
    [2, 0, 2], // inside a disposal month: not "before" it → that February
    [3, 0, 8],
    [4, 0, 8],
    [5, 0, 8], // three months before August: not among the two → August
    [6, 1, 2], // June and July are the two months before August → next February
    [7, 1, 2],
    [8, 0, 8], // inside a disposal month → that August
    [9, 1, 2],
    [10, 1, 2],
    [11, 1, 2], // three months before February → February
    [12, 1, 8], // December is in the two months before February → August of the next year
  ];
  for (const [month, dy, dm] of table) {
    const m = String(month).padStart(2, '0');
    const want = `${2025 + dy}-${String(dm).padStart(2, '0')}-01`;
    it(`due in month ${month} → ${want}`, () => {
      // First day, middle and last day of the due month all give the same disposal month.
      expect(mediaDisposalMonth(`2025-${m}-01`)).toBe(want);
      expect(mediaDisposalMonth(`2025-${m}-15`)).toBe(want);
      expect(mediaDisposalMonth(monthEnd(`2025-${m}-01`))).toBe(want);
    });
  }
  it('month edges: the last day of one month and the first of the next can differ', () => {
    expect(mediaDisposalMonth('2025-01-31')).toBe('2025-08-01');
    expect(mediaDisposalMonth('2025-02-01')).toBe('2025-02-01');
    expect(mediaDisposalMonth('2025-02-28')).toBe('2025-02-01');
    expect(mediaDisposalMonth('2025-03-01')).toBe('2025-08-01');
    expect(mediaDisposalMonth('2025-05-31')).toBe('2025-08-01');
    expect(mediaDisposalMonth('2025-06-01')).toBe('2026-02-01');
    expect(mediaDisposalMonth('2025-07-31')).toBe('2026-02-01');
    expect(mediaDisposalMonth('2025-08-01')).toBe('2025-08-01');
    expect(mediaDisposalMonth('2025-08-31')).toBe('2025-08-01');
    expect(mediaDisposalMonth('2025-09-01')).toBe('2026-02-01');
    expect(mediaDisposalMonth('2025-11-30')).toBe('2026-02-01');
    expect(mediaDisposalMonth('2025-12-01')).toBe('2026-08-01');
    expect(mediaDisposalMonth('2025-12-31')).toBe('2026-08-01');
  });
  it('leap days and year ends', () => {
    expect(mediaDisposalMonth('2024-02-29')).toBe('2024-02-01');
    expect(mediaDisposalMonth('2028-02-29')).toBe('2028-02-01');
    expect(mediaDisposalMonth('2023-12-31')).toBe('2024-08-01');
    expect(mediaDisposalMonth('2099-12-31')).toBe('2100-08-01');
  });
  it('never gives a month before the due month, nor the two months just after a blackout month', () => {
    for (let d = '2024-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
      const dm = mediaDisposalMonth(d);
      expect(dm.endsWith('-01')).toBe(true);
      expect([2, 8]).toContain(Number(dm.slice(5, 7)));
      expect(monthEnd(dm) >= d).toBe(true);
      // No more than the rule's 8 months (December → August) from the due month.
      const months = (Number(dm.slice(0, 4)) - Number(d.slice(0, 4))) * 12 + Number(dm.slice(5, 7)) - Number(d.slice(5, 7));
      expect(months === 0 || months >= 3).toBe(true);
      expect(months).toBeLessThanOrEqual(8);
    }
  });
  it('rejects malformed dates', () => {
    expect(() => mediaDisposalMonth('2025-13-01')).toThrow(DateError);
    expect(() => mediaDisposalMonth('')).toThrow(DateError);
  });
});

describe('the periods of 第22条 as the retention policies compute them', () => {
  it('six years (第1項第1号) from a month end, and from a leap day', () => {
    expect(addYears('2016-04-30', 6)).toBe('2022-04-30');
    expect(addYears('2024-02-29', 6)).toBe('2030-02-28');
    expect(addYears('2020-02-29', 6)).toBe('2026-02-28');
  });
  it('10 days, 1 week and 1 month (第1項第3号), with month-end clamping', () => {
    expect(addDays('2026-11-10', 10)).toBe('2026-11-20');
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-10-31', 1)).toBe('2026-11-30');
    expect(addMonths('2026-12-31', 1)).toBe('2027-01-31');
  });
  it('two years (第1項第4号) and three years from loss of qualification (第4項)', () => {
    expect(addYears('2020-11-30', 2)).toBe('2022-11-30');
    expect(addYears('2023-03-31', 3)).toBe('2026-03-31');
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
  });
});
