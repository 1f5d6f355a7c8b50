import { createRequire } from 'node:module';
import type { Ajv2020, Options } from 'ajv/dist/2020.js';

// ajv and ajv-formats are CommonJS and cost ~0.1 s to load: they are required on first use, so
// a run served by the precompiled validators (./precompiled.ts) never loads them.
const require = createRequire(import.meta.url);

/** Annotations our schemas carry for kitei; ajv's strict mode must be told they are intended. */
export const KITEI_KEYWORDS = ['x-kitei-ref', 'x-kitei-personal', 'x-kitei-planned', 'x-kitei-not-before'];

/**
 * The one definition of how kitei's schemas are compiled: at run time (`newAjv()`) and at build
 * time into standalone validators (`newAjv({ code: { source: true, esm: true } })`). The
 * precompiled manifest records it, and validators built with other options are not used.
 */
export const AJV_OPTIONS: Readonly<Options> = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true };

/**
 * `format: date` (RFC 3339 full-date: YYYY-MM-DD, a month 01–12 and a day that month has, by the
 * leap-year rule of RFC 3339 appendix C), exactly as ajv-formats defines it — the schema format's
 * own definition; kitei's calendar arithmetic stays Temporal's (core/dates.ts) — without its
 * regular expression: that one builds a match and three strings for every date it checks, about
 * 30 MB of garbage at 100,000 records. Self-contained
 * (no reference outside its body), because the standalone validators carry its source text
 * (src/schema/standalone.ts); test/unit/date-format.test.ts holds it to ajv-formats' verdicts.
 */
export function isFullDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  let year = 0;
  let month = 0;
  let day = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (i < 4) year = year * 10 + d;
    else if (i < 7) month = month * 10 + d;
    else day = day * 10 + d;
  }
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/**
 * Where the standalone validators find their formats: ajv-formats' own, with `date` replaced by
 * `isFullDate` (src/schema/standalone.ts defines `kiteiFormats` at the top of the module).
 */
const STANDALONE_FORMATS = 'kiteiFormats';

/** ajv with kitei's options, the ajv-formats formats (`date` as `isFullDate`) and the `x-kitei-*` keywords. */
export function newAjv(extra: Options = {}): Ajv2020 {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const { Name } = require('ajv') as typeof import('ajv');
  const addFormats = require('ajv-formats') as (ajv: Ajv2020) => Ajv2020;
  // Generated code names the formats object; ajv-formats keeps a name given here.
  const code = extra.code?.source ? { ...extra.code, formats: new Name(STANDALONE_FORMATS) } : extra.code;
  const ajv = new Ajv2020({ ...AJV_OPTIONS, ...extra, ...(code ? { code } : {}) });
  addFormats(ajv);
  const date = (require('ajv-formats/dist/formats') as { fullFormats: { date: { compare: (a: string, b: string) => number | undefined } } }).fullFormats.date;
  ajv.addFormat('date', { type: 'string', validate: isFullDate, compare: date.compare });
  for (const k of KITEI_KEYWORDS) ajv.addKeyword(k);
  return ajv;
}

/** The top of the standalone module: the formats object its code refers to (`STANDALONE_FORMATS`). */
export function standaloneFormatsSource(): string {
  return `const ${STANDALONE_FORMATS} = { ...require("ajv-formats/dist/formats").fullFormats, date: { type: "string", validate: ${isFullDate.toString()}, compare: require("ajv-formats/dist/formats").fullFormats.date.compare } };\n`;
}

/**
 * What compiled code depends on besides the schema bytes: the versions of ajv and ajv-formats
 * (whose `formats` the generated code imports) and the options. Read from the packages'
 * package.json, without loading them.
 */
export function compilerKey(): { ajv: string; ajvFormats: string; options: string } {
  const version = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;
  // The standalone module carries isFullDate's source (not hashed here: its text differs between
  // tsc's build and the tests' transpiler); `npm run build` regenerates the module with it.
  return { ajv: version('ajv'), ajvFormats: version('ajv-formats'), options: JSON.stringify({ ...AJV_OPTIONS, keywords: KITEI_KEYWORDS, formats: 'ajv-formats, date: isFullDate' }) };
}
