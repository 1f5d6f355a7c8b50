/**
 * 個人番号 (My Number). Evidence describes how personal data is handled; it must never contain
 * it, and nothing kitei prints may repeat one. A personal number is 12 digits whose last is the
 * check digit defined by the ordinance under the マイナンバー法 (個人番号の指定に関する省令 第5条):
 *
 *   check = 11 − (Σ_{n=1..11} P_n × Q_n mod 11), or 0 when that remainder is 0 or 1,
 *   P_n = the n-th digit counted from the right of the first 11, Q_n = n + 1 (n ≤ 6), n − 5 (n ≥ 7).
 *
 * Written as 12 digits in a row or as three groups of four separated by spaces or hyphens, in
 * half- or full-width digits. Twelve digits that fail the check are not one (a phone number, a
 * serial number) and are left alone.
 */
const DIGIT = '[0-9\\uFF10-\\uFF19]';
const SEP = '[ \\u3000\\-\\u2010\\u2011\\u2012\\u2013\\u2212\\uFF0D]';
// A first digit not preceded by one, then the rest. The first digit is matched before looking
// behind it (rather than `(?<!DIGIT)` first): the engine then only stops at digits, and a scan of
// a whole evidence file is a third faster.
const CANDIDATE = new RegExp(`${DIGIT}(?<!${DIGIT}{2})(?:${DIGIT}{11}|${DIGIT}{3}(${SEP})${DIGIT}{4}\\1${DIGIT}{4})(?!${DIGIT})`, 'g');

/** Half-width digits only. */
function asciiDigits(text: string): string {
  return text.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30)).replace(/[^0-9]/g, '');
}

/** Whether 12 digits carry a valid check digit. */
export function isPersonalNumber(digits: string): boolean {
  const d = asciiDigits(digits);
  if (d.length !== 12) return false;
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = Number(d[11 - n]);
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  const check = r <= 1 ? 0 : 11 - r;
  return check === Number(d[11]);
}

export interface FoundNumber {
  /** Offset of the first digit in the text. */
  index: number;
  /** The number as written. */
  text: string;
}

/** Every personal number written in `text`, in order. */
export function findPersonalNumbers(text: string): FoundNumber[] {
  const out: FoundNumber[] = [];
  for (const m of text.matchAll(CANDIDATE)) if (isPersonalNumber(m[0])) out.push({ index: m.index, text: m[0] });
  return out;
}

/** How a personal number is shown: its first four digits, the rest hidden (`1234 **** ****`). */
export function maskedNumber(written: string): string {
  return `${asciiDigits(written).slice(0, 4)} **** ****`;
}

/** `text` with every personal number in it masked. Applied to everything kitei writes. */
export function maskPersonalNumbers(text: string): string {
  CANDIDATE.lastIndex = 0;
  if (!CANDIDATE.test(text)) return text;
  return text.replace(CANDIDATE, (m) => (isPersonalNumber(m) ? maskedNumber(m) : m));
}
