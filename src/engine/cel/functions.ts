import { Optional, type Environment } from '@marcbachmann/cel-js';
import { createRequire } from 'node:module';
import type { RE2JS } from '@bufbuild/re2';
import * as dates from '../../core/dates.js';
import { actedAs, holderOn, holds, termIndexOn, type RoleContext } from './roles.js';
import { isProvision, missingFields, normName, normPlace } from './text.js';

/**
 * The function library policies may call, beyond CEL's standard ones. Dates are ISO strings
 * (they compare correctly with < and <=); integers are CEL ints (BigInt in JavaScript).
 * Each entry documents itself: `kitei functions` and the policy guide are generated from this.
 */
export interface LibraryFunction {
  signature: string;
  description: { ja: string; en: string };
  /** The function, given what the policies were loaded with (the regulation's date in force). */
  handler: (ctx: LibraryContext) => (...args: never[]) => unknown;
}

/** What library functions may depend on besides their arguments: fixed when the policies are compiled. */
export type LibraryContext = RoleContext;

const regexCache = new Map<string, RE2JS>();
// RE2 (twenty modules) is loaded on the first pattern, through its CommonJS build so that
// compiling stays synchronous: the shipped policies have no pattern, so most runs never load it.
const require = createRequire(import.meta.url);
let RE2: typeof RE2JS | undefined;

/** Compiles (once) an RE2 pattern: linear-time matching, no catastrophic backtracking. */
export function compileRegex(pattern: string): RE2JS {
  let re = regexCache.get(pattern);
  if (!re) {
    RE2 ??= (require('@bufbuild/re2') as { RE2JS: typeof RE2JS }).RE2JS;
    re = new RE2(pattern);
    regexCache.set(pattern, re);
  }
  return re;
}

export const LIBRARY: LibraryFunction[] = [
  {
    signature: 'isDate(string): bool',
    description: { ja: 'YYYY-MM-DD 形式の実在する日付か', en: 'Whether the string is an existing YYYY-MM-DD date' },
    handler: () => (s: string) => dates.isDate(s),
  },
  {
    signature: 'daysBetween(string, string): int',
    description: { ja: '第1引数から第2引数までの日数（前なら負）', en: 'Days from the first date to the second (negative if earlier)' },
    handler: () => (a: string, b: string) => BigInt(dates.daysBetween(a, b)),
  },
  {
    signature: 'monthsBetween(string, string): int',
    description: { ja: '第1引数から第2引数までの満月数', en: 'Whole months from the first date to the second' },
    handler: () => (a: string, b: string) => BigInt(dates.monthsBetween(a, b)),
  },
  {
    signature: 'yearsBetween(string, string): int',
    description: { ja: '第1引数から第2引数までの満年数', en: 'Whole years from the first date to the second' },
    handler: () => (a: string, b: string) => BigInt(dates.yearsBetween(a, b)),
  },
  {
    signature: 'addDays(string, int): string',
    description: { ja: '日付に日数を加える', en: 'Adds days to a date' },
    handler: () => (d: string, n: bigint) => dates.addDays(d, Number(n)),
  },
  {
    signature: 'addMonths(string, int): string',
    description: { ja: '日付に月数を加える（月末は丸める：1月31日+1か月=2月末日）', en: 'Adds months, clamping to the month end (Jan 31 + 1 month = end of Feb)' },
    handler: () => (d: string, n: bigint) => dates.addMonths(d, Number(n)),
  },
  {
    signature: 'addYears(string, int): string',
    description: { ja: '日付に年数を加える（2月29日は2月28日に丸める）', en: 'Adds years (Feb 29 becomes Feb 28 in common years)' },
    handler: () => (d: string, n: bigint) => dates.addYears(d, Number(n)),
  },
  {
    signature: 'fiscalYear(string): int',
    description: { ja: '日付が属する年度（4月〜翌3月）', en: 'The fiscal year (April to March) a date falls in' },
    handler: () => (d: string) => BigInt(dates.fiscalYear(d)),
  },
  {
    signature: 'fiscalYearStart(int): string',
    description: { ja: '年度の初日（4月1日）', en: 'First day of a fiscal year (April 1)' },
    handler: () => (fy: bigint) => dates.fiscalYearStart(Number(fy)),
  },
  {
    signature: 'fiscalYearEnd(int): string',
    description: { ja: '年度の末日（翌年3月31日）', en: 'Last day of a fiscal year (March 31 of the next year)' },
    handler: () => (fy: bigint) => dates.fiscalYearEnd(Number(fy)),
  },
  {
    signature: 'monthEnd(string): string',
    description: { ja: '日付が属する月の末日', en: 'The last day of the month a date falls in' },
    handler: () => (d: string) => dates.monthEnd(d),
  },
  {
    signature: 'mediaDisposalMonth(string): string',
    description: {
      ja: '当健保保有の電子媒体のデータの廃棄月の初日（YYYY-MM-01）：保存期間満了日から、2月・8月のうち直近の廃棄月（満了日がその前の直近2か月なら次の廃棄月）（第22条第1項第2号）',
      en: 'First day (YYYY-MM-01) of the month in which data on the union\'s own media whose retention ends on the date is disposed of: the nearest February or August, or the next one when the date falls in the two months before it (Art. 22(1)(2))',
    },
    handler: () => (d: string) => dates.mediaDisposalMonth(d),
  },
  {
    signature: 'maxDate(list<string>): string',
    description: { ja: '日付の一覧のうち最も遅いもの（空なら評価エラー）', en: 'The latest of a list of dates (an error if empty)' },
    handler: () => (ds: string[]) => extreme(ds, 1),
  },
  {
    signature: 'minDate(list<string>): string',
    description: { ja: '日付の一覧のうち最も早いもの（空なら評価エラー）', en: 'The earliest of a list of dates (an error if empty)' },
    handler: () => (ds: string[]) => extreme(ds, -1),
  },
  {
    signature: 'regexMatch(string, string): bool',
    description: { ja: '第1引数が RE2 正規表現（第2引数）に部分一致するか（線形時間）', en: 'Whether the text contains a match of the RE2 pattern (linear time)' },
    handler: () => (text: string, pattern: string) => compileRegex(pattern).test(text),
  },
  {
    signature: 'provided(string): bool',
    description: {
      ja: '文字列が規定・記載として中身のあるものか：前後の空白（全角空白を含む）を除いて空でなく、記号（「-」「―」「ー」「…」など）だけでなく、「なし」「未定」「該当なし」「TBD」「N/A」などの仮置きでないこと。契約の事項・条項、理由、根拠、記録の番号を判定するルールはすべてこれを使う',
      en: 'Whether a text is a provision with substance: not empty once trimmed (the full-width space included), not only marks ("-", "―", "ー", "…"), and not a placeholder such as なし, 未定, 該当なし, TBD or N/A. Every rule judging a contract item or clause, a reason, a justification or a record reference uses it',
    },
    handler: () => (s: string) => isProvision(s),
  },
  {
    signature: 'provided(string, list<string>): bool',
    description: {
      ja: 'provided(string) と同じ。ただし第2引数の答え（「該当なし」など）は、その項目では正当な記載として認める（正規化して比べる）',
      en: 'As provided(string), but the answers in the list (such as 該当なし) are accepted as legitimate for that field (compared in normal form)',
    },
    handler: () => (s: string, accepted: string[]) => isProvision(s, accepted),
  },
  {
    signature: 'missing(dyn, list<string>): list<string>',
    description: {
      ja: 'オブジェクトの項目のうち、記載がないもの（ない、provided でない文字列、空のリスト）の名前の一覧（与えた順）',
      en: 'The names (in the order given) of the fields an object lacks: absent, a text that is not provided(), or an empty list',
    },
    handler: () => (v: unknown, names: string[]) => missingFields(v, names),
  },
  {
    signature: 'missing(dyn, list<string>, list<string>): list<string>',
    description: {
      ja: 'missing(dyn, list<string>) と同じ。ただし第3引数の答え（「該当なし」など）は記載ありとする',
      en: 'As missing(dyn, list<string>), but the answers in the third list (such as 該当なし) count as present',
    },
    handler: () => (v: unknown, names: string[], accepted: string[]) => missingFields(v, names, accepted),
  },
  {
    signature: 'normName(string): string',
    description: {
      ja: '名前・コードを比べるための形：NFKC（全角英数字は半角に）、小文字、空白なし、ハイフンの統一、会社の法人格（株式会社・㈱・(株)・有限会社など）を除く。比較にだけ使い、レポートには書かれたとおりの文字列を出す',
      en: 'The form names and codes are compared in: NFKC (full-width letters and digits become half-width), lower case, no white space, one hyphen, and no legal form of a company (株式会社, ㈱, (株), 有限会社…). Used only in comparisons; reports show the text as written',
    },
    handler: () => (s: string) => normName(s),
  },
  {
    signature: 'normPlace(string): string',
    description: {
      ja: '地名を比べるための形：normName に加え、規程が名指す地名は一つの形に（大阪府・大阪市・大阪・Osaka → 大阪、多摩市 → 多摩）、その他は都・道・府・県・市・区・町・村を除く',
      en: 'The form place names are compared in: as normName, and a place the regulation names in one form (大阪府, 大阪市, 大阪, Osaka → 大阪; 多摩市 → 多摩), others without their 都・道・府・県・市・区・町・村',
    },
    handler: () => (s: string) => normPlace(s),
  },
  {
    signature: 'holderOn(dyn, string, string): optional<string>',
    description: {
      ja: '役割（第2引数：dataProtectionManager など）にその日（第3引数）就任していた者の職員ID。第1引数は byId.organization。誰も就任していなければ値なし。行為者を判定するルールはすべて、現任者ではなく行為の日の就任者と比べる',
      en: 'The staff id of whoever held the role (second argument, e.g. dataProtectionManager) on the date (third argument); the first argument is byId.organization. No value when nobody did. Every rule judging who acted compares with the holder on the act\'s date, not today\'s',
    },
    handler: (ctx) => (roles: unknown, role: string, date: string) => {
      const h = holderOn(roles, role, date, ctx);
      return h === undefined ? Optional.none() : Optional.of(h);
    },
  },
  {
    signature: 'holds(dyn, string, string, string): bool',
    description: {
      ja: '職員（第3引数）が役割（第2引数）にその日（第4引数）就任していたか。第1引数は byId.organization',
      en: 'Whether the staff member (third argument) held the role (second argument) on the date (fourth argument); the first argument is byId.organization',
    },
    handler: (ctx) => (roles: unknown, role: string, staffId: string, date: string) => holds(roles, role, staffId, date, ctx),
  },
  {
    signature: 'actedAs(dyn, string, string, string): bool',
    description: {
      ja: '行為（第4引数の日付）が、その日に役割（第2引数）に就任していた職員（第3引数）によるものか。規程の施行日より前の行為は役割がまだなかったため判定せず true。署名者・承認者・確認者などを判定するルールはすべてこれを使う',
      en: 'Whether an act on the date (fourth argument) was done by the staff member (third argument) holding the role (second argument) that day; true for an act before the regulation came into force, when the role did not exist yet. Every rule judging a signatory, approver, reviewer or confirmer uses it',
    },
    handler: (ctx) => (roles: unknown, role: string, staffId: string, date: string) => actedAs(roles, role, staffId, date, ctx),
  },
  {
    signature: 'termOn(list<dyn>, string): int',
    description: {
      ja: '任命の履歴（appointments）のうち、その日を含む任期の位置（0から）。なければ -1',
      en: 'The index (from 0) of the term in a list of appointments that covers the date, or -1',
    },
    handler: () => (terms: unknown[], date: string) => BigInt(termIndexOn(terms, date)),
  },
  {
    signature: 'otherIds(list<dyn>, string, int): string',
    description: {
      ja: '記録の一覧（第1引数）のうち、id が第2引数でないものの id を最大 第3引数 件、「, 」でつないだ文字列。残りは「… (+件数)」。重複の群を示すメッセージ用：群が大きくても一件あたり一定の手間で済む',
      en: 'The ids of the records in the list (first argument) other than the second argument, at most the third argument of them, joined with ", ", the rest as "… (+count)". For messages naming a group of duplicates: a constant cost per record however large the group',
    },
    handler: () => (records: unknown[], self: string, n: bigint) => otherIds(records, self, Number(n)),
  },
  {
    signature: 'keys(dyn): list<string>',
    description: { ja: 'オブジェクトに記載されている項目名の一覧（ソート済み）', en: 'Names of the fields present in an object, sorted' },
    handler: () => (v: unknown) => presentKeys(v),
  },
];

function extreme(ds: string[], sign: 1 | -1): string {
  if (ds.length === 0) throw new Error('empty list of dates');
  let best = ds[0]!;
  for (const d of ds) if (dates.compareDates(d, best) * sign > 0) best = d;
  return best;
}

function presentKeys(v: unknown): string[] {
  if (v instanceof Map) return [...v.keys()].map(String).sort();
  if (typeof v === 'object' && v !== null) return Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return [];
}

export function registerLibrary(env: Environment, ctx: LibraryContext = { enforcedOn: '' }): void {
  for (const f of LIBRARY) env.registerFunction(f.signature, f.handler(ctx) as (...args: unknown[]) => unknown, { description: f.description.en });
}

/**
 * The ids of a group's records other than `self`, the first `max` of them, then "… (+k)". The
 * group is the one the record belongs to (a lookup keyed by its own key), so the others are all
 * but one; only the first max + 1 records are read, whatever the size of the group.
 */
export function otherIds(group: unknown[], self: string, max: number): string {
  const shown: string[] = [];
  for (let i = 0; i < group.length && shown.length < max; i++) {
    const r = group[i];
    const id = typeof r === 'object' && r !== null ? (r as { id?: unknown }).id : undefined;
    if (typeof id === 'string' && id !== self) shown.push(id);
  }
  const others = Math.max(0, group.length - 1);
  return shown.join(', ') + (others > shown.length ? ` … (+${others - shown.length})` : '');
}
