import { Temporal } from 'temporal-polyfill';
import { parseDate } from '../core/dates.js';
import type { Localized } from '../core/lang.js';

/**
 * 和暦 (Japanese era) dates. Offices write 令和4年4月1日 where the evidence schemas want
 * "2022-04-01"; the evidence loader turns every string that is entirely an era date into its ISO
 * date before validation, so policies only ever see ISO dates.
 *
 * Only Gregorian-calendar era dates are accepted: Japan adopted the Gregorian calendar on
 * 明治6年1月1日 (1873-01-01). Earlier 明治 dates are dates of the old lunisolar calendar, whose
 * conversion needs the historical tables (明治5年12月2日 was followed by 明治6年1月1日), so
 * they are refused as ambiguous rather than converted wrongly. Calendar facts (which days
 * exist, leap years, month lengths, ordering) come from Temporal, never from hand-written rules.
 */
export interface Era {
  /** 明治, 大正, 昭和, 平成, 令和 */
  name: string;
  /** The name in English reasons. */
  romaji: string;
  /** The Gregorian year of the era's first year (元年). */
  firstYear: number;
  /** The first day the era's dates are accepted (for 明治: the first Gregorian day, 明治6年1月1日). */
  from: string;
  /** The era's last day; absent for the current era. */
  until?: string;
}

export const ERAS: readonly Era[] = [
  { name: '明治', romaji: 'Meiji', firstYear: 1868, from: '1873-01-01', until: '1912-07-29' },
  { name: '大正', romaji: 'Taishō', firstYear: 1912, from: '1912-07-30', until: '1926-12-24' },
  { name: '昭和', romaji: 'Shōwa', firstYear: 1926, from: '1926-12-25', until: '1989-01-07' },
  { name: '平成', romaji: 'Heisei', firstYear: 1989, from: '1989-01-08', until: '2019-04-30' },
  { name: '令和', romaji: 'Reiwa', firstYear: 2019, from: '2019-05-01' },
];

/** The outcome for a string that is an era date: its ISO date, or why there is no such date. */
export type WarekiResult = { ok: true; iso: string } | { ok: false; reason: Localized };

// Era, year (digits or 元), 年, month, 月, day, 日; ASCII or full-width digits; optional ASCII or
// full-width spaces between the parts, none before or after.
const SP = '[ \\u3000]*';
const DIGITS = '[0-9\\uFF10-\\uFF19]+';
const WAREKI = new RegExp(`^(明治|大正|昭和|平成|令和)${SP}(${DIGITS}|元)${SP}年${SP}(${DIGITS})${SP}月${SP}(${DIGITS})${SP}日$`);

/** Whether the string is, as a whole, written as an era date (whether or not that date exists). */
export function looksLikeWareki(s: string): boolean {
  return WAREKI.test(s);
}

/**
 * Reads a string that is entirely an era date ("令和4年4月1日", "令和 4 年 4 月 1 日",
 * "令和４年４月１日", "令和元年5月1日"). Returns undefined when the string is not written as an era
 * date at all (free text that merely contains one, "R4.4.1", an ISO date); otherwise the ISO date,
 * or the reason that date does not exist: no year 0, no 2月30日, no 平成31年2月29日, nothing
 * outside the era (令和元年4月30日, 平成31年5月1日), no lunisolar 明治 date.
 */
export function parseWareki(s: string): WarekiResult | undefined {
  const m = WAREKI.exec(s);
  if (!m) return undefined;
  const era = ERAS.find((e) => e.name === m[1])!;
  const eraYear = m[2] === '元' ? 1 : toNumber(m[2]!);
  const month = toNumber(m[3]!);
  const day = toNumber(m[4]!);
  const fail = (ja: string, en: string): WarekiResult => ({ ok: false, reason: { ja, en } });

  if (eraYear === 0) return fail(`${era.name}0年はありません（最初の年は元年です）`, `there is no year 0 of ${era.romaji} (its first year is 元年)`);
  if (era.name === '明治' && eraYear < 6) {
    return fail(
      '明治5年以前の日付は旧暦（太陰太陽暦）の日付で、西暦の日付に一意に換算できません（グレゴリオ暦への改暦は明治6年1月1日 = 1873-01-01）',
      'dates before 明治6年 are dates of the old lunisolar calendar and have no unambiguous Gregorian date (Japan adopted the Gregorian calendar on 明治6年1月1日, 1873-01-01)',
    );
  }
  const year = era.firstYear + eraYear - 1;
  if (year > 9999) return fail(`${era.name}${eraYear}年（西暦${year}年）は YYYY-MM-DD で書けません`, `${era.romaji} ${eraYear} (${year}) cannot be written as YYYY-MM-DD`);
  if (month < 1 || month > 12) return fail(`${month}月はありません`, `there is no month ${month}`);
  const daysInMonth = Temporal.PlainYearMonth.from({ year, month }).daysInMonth;
  if (day < 1 || day > daysInMonth) {
    return fail(`${year}年（${era.name}${yearText(eraYear)}年）${month}月は${daysInMonth}日までです`, `${MONTHS[month - 1]} ${year} has ${daysInMonth} days`);
  }
  const iso = Temporal.PlainDate.from({ year, month, day }, { overflow: 'reject' }).toString();
  if (Temporal.PlainDate.compare(iso, era.from) < 0) {
    return fail(
      `${era.name}は ${era.from}（${toWareki(era.from)}）に始まりました。${iso} は ${toWareki(iso)} です`,
      `${era.romaji} (${era.name}) began on ${era.from}; ${iso} is ${toWareki(iso)}`,
    );
  }
  if (era.until !== undefined && Temporal.PlainDate.compare(iso, era.until) > 0) {
    return fail(
      `${era.name}は ${era.until}（${toWareki(era.until)}）で終わりました。${iso} は ${toWareki(iso)} です`,
      `${era.romaji} (${era.name}) ended on ${era.until}; ${iso} is ${toWareki(iso)}`,
    );
  }
  return { ok: true, iso };
}

/**
 * The era date of an ISO date, as offices write it: "2019-05-01" → "令和元年5月1日",
 * "2022-04-01" → "令和4年4月1日". Undefined before 1873-01-01 (no Gregorian era date exists).
 * Throws DateError for a string that is not an existing YYYY-MM-DD date.
 */
export function toWareki(iso: string): string | undefined {
  const d = parseDate(iso);
  const era = ERAS.find((e) => Temporal.PlainDate.compare(d, e.from) >= 0 && (e.until === undefined || Temporal.PlainDate.compare(d, e.until) <= 0));
  if (!era) return undefined;
  return `${era.name}${yearText(d.year - era.firstYear + 1)}年${d.month}月${d.day}日`;
}

// Names only (no locale data, so reports stay byte-identical everywhere); the calendar is Temporal's.
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function yearText(eraYear: number): string {
  return eraYear === 1 ? '元' : String(eraYear);
}

/** ASCII and full-width digits to a number. */
function toNumber(digits: string): number {
  return Number(digits.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}
