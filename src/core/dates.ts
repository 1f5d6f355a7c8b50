import { Temporal } from 'temporal-polyfill';
import { remembered } from './remembered.js';

/**
 * Calendar arithmetic on evidence dates (ISO `YYYY-MM-DD`, no time zone). Temporal's PlainDate
 * is exactly this model: adding a month to 1月31日 gives the last day of February, and a date
 * that does not exist (2月30日) is rejected instead of rolling over.
 */
export class DateError extends Error {
  override readonly name = 'DateError';
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * Evaluation calls these functions hundreds of thousands of times on a few thousand distinct
 * dates, and constructing a Temporal.PlainDate was a quarter of evaluation time. So a date is
 * validated by Temporal once and remembered, with its day number (days since 1970-01-01, from
 * Date.UTC: the proleptic Gregorian calendar Temporal uses too); day arithmetic and comparison
 * then work on integers. Month and year arithmetic (clamping at month ends) stays Temporal's.
 */
interface KnownDate {
  date: Temporal.PlainDate;
  day: number;
}
const KNOWN_LIMIT = 200_000;

const know = remembered((s): KnownDate => {
  if (!ISO_DATE.test(s)) throw new DateError(`not a YYYY-MM-DD date: "${s}"`);
  let date: Temporal.PlainDate;
  try {
    date = Temporal.PlainDate.from(s, { overflow: 'reject' });
  } catch {
    throw new DateError(`no such date: "${s}"`);
  }
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const ms = new Date(Date.UTC(2000, date.month - 1, date.day)).setUTCFullYear(date.year);
  return { date, day: Math.round(ms / DAY_MS) };
}, KNOWN_LIMIT);

/** The ISO date of a day number. */
function isoOfDay(day: number): string {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) throw new DateError(`date out of range: year ${y}`);
  return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

export function parseDate(s: string): Temporal.PlainDate {
  return know(s).date;
}

export function isDate(s: string): boolean {
  try {
    know(s);
    return true;
  } catch {
    return false;
  }
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return know(to).day - know(from).day;
}

/**
 * Whole months from `from` to `to`: the largest m with addMonths(from, m) <= to, so that it
 * agrees with addMonths at month ends (2024-01-31 → 2024-02-29 is one month). Negative when
 * `to` is earlier: minus the months from `to` to `from`.
 */
export function monthsBetween(from: string, to: string): number {
  if (compareDates(to, from) < 0) return -monthsBetween(to, from);
  const a = parseDate(from);
  const b = parseDate(to);
  let m = (b.year - a.year) * 12 + (b.month - a.month);
  while (m > 0 && compareDates(addMonths(from, m), to) > 0) m--;
  return m;
}

/** Whole years from `from` to `to`, consistent with addYears (2024-02-29 → 2025-02-28 is one year). */
export function yearsBetween(from: string, to: string): number {
  const m = monthsBetween(from, to);
  return m < 0 ? -Math.floor(-m / 12) : Math.floor(m / 12);
}

export function addDays(date: string, days: number): string {
  return isoOfDay(know(date).day + days);
}

/**
 * Month and year arithmetic, remembered per (months, date) — policies add the same periods to the
 * same dates — under one key, `months|date`.
 */
const shifted = remembered((key) => {
  const bar = key.indexOf('|');
  return parseDate(key.slice(bar + 1)).add({ months: Number(key.slice(0, bar)) }, { overflow: 'constrain' }).toString();
}, KNOWN_LIMIT);

/** Adds months, clamping to the end of a shorter month (2024-01-31 + 1 month = 2024-02-29). */
export function addMonths(date: string, months: number): string {
  return shifted(`${months}|${date}`);
}

/** Adds years (2024-02-29 + 1 year = 2025-02-28): twelve months, which Temporal clamps the same way. */
export function addYears(date: string, years: number): string {
  return addMonths(date, years * 12);
}

/** The Japanese fiscal year (年度, April to March) a date falls in: 2025-03-31 is 2024年度. */
export function fiscalYear(date: string): number {
  const d = parseDate(date);
  return d.month >= 4 ? d.year : d.year - 1;
}

export function fiscalYearStart(fy: number): string {
  return `${String(fy).padStart(4, '0')}-04-01`;
}

export function fiscalYearEnd(fy: number): string {
  return `${String(fy + 1).padStart(4, '0')}-03-31`;
}

/** The last day of the month a date falls in: 2024-02-10 → 2024-02-29. */
export function monthEnd(date: string): string {
  const d = parseDate(date);
  return d.with({ day: d.daysInMonth }).toString();
}

/**
 * The months in which the disposal contractor disposes of the data on the union's own media
 * (第22条第1項第2号: 「委託業者にて2月、及び8月に廃棄する」).
 */
export const MEDIA_DISPOSAL_MONTHS: readonly number[] = [2, 8];
/** 「それぞれの廃棄月前の直近2ヶ月は直近の廃棄月ではなく次の廃棄月に廃棄する」: the months before a disposal month that wait for the next one. */
export const MEDIA_DISPOSAL_BLACKOUT_MONTHS = 2;

/**
 * The disposal month (its first day, YYYY-MM-01) of data on the union's own media whose
 * retention ends on `due` (第22条第1項第2号). The nearest disposal month on or after the due
 * month is taken, unless the due month is one of the two months just before it (Dec–Jan before
 * February, Jun–Jul before August), in which case the next disposal month is. A due date inside
 * a disposal month is not "before" it, so it is disposed of in that month:
 *
 *   due in Jan → Aug; Feb → Feb; Mar–May → Aug; Jun–Jul → Feb of the next year;
 *   Aug → Aug; Sep–Nov → Feb of the next year; Dec → Aug of the next year.
 */
export function mediaDisposalMonth(due: string): string {
  return disposalMonth(due);
}

// Remembered per date, as month arithmetic is (the same retention ends recur across records).
const disposalMonth = remembered(disposalMonthOf, KNOWN_LIMIT);

function disposalMonthOf(due: string): string {
  const d = parseDate(due);
  const dueMonth = Temporal.PlainYearMonth.from({ year: d.year, month: d.month });
  // The first disposal month on or after the due month (the due month itself counts).
  let disposal = dueMonth;
  while (!MEDIA_DISPOSAL_MONTHS.includes(disposal.month)) disposal = disposal.add({ months: 1 });
  const gap = dueMonth.until(disposal, { largestUnit: 'months' }).months;
  if (gap >= 1 && gap <= MEDIA_DISPOSAL_BLACKOUT_MONTHS) {
    do disposal = disposal.add({ months: 1 });
    while (!MEDIA_DISPOSAL_MONTHS.includes(disposal.month));
  }
  return disposal.toPlainDate({ day: 1 }).toString();
}

/** Earlier / later of two dates, compared as dates. */
export function compareDates(a: string, b: string): number {
  return Math.sign(know(a).day - know(b).day);
}

/** Today in Japan (the regulation's calendar), as the default as-of date. Only the CLI calls this. */
export function todayInJapan(now: Date = new Date()): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO('Asia/Tokyo').toPlainDate().toString();
}
