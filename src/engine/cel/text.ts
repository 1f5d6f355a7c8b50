/**
 * Text as the regulation judges it. Two questions come up in many rules:
 *
 * - Is this text a provision at all? A contract item, a clause reference, a reason or a
 *   justification that is blank (Japanese spacing included) or only a placeholder such as 「なし」,
 *   「未定」, a dash or "TBD" provides nothing: `isProvision` says so, once, for every rule.
 * - Do two names (or codes) name the same thing? People write a company with or without 株式会社
 *   or ㈱, letters and digits full- or half-width, with stray spaces, and a place with or without
 *   its 府・県・市. `normName` and `normPlace` give the form names are compared in; reports keep
 *   the text as written.
 */
import { remembered } from '../../core/remembered.js';

/** How many texts each remembered text function keeps (src/core/remembered.ts). */
const TEXTS = 20_000;

/** NFKC (full-width letters and digits, ㈱ → (株), U+3000 → space), lower case, no white space, one hyphen. */
const comparable = remembered((text) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212\uFE63]/gu, '-')
    .replace(/\s+/gu, ''),
  TEXTS,
);

/**
 * Words that stand in for a provision without being one, in comparable form. 該当なし is here:
 * the function is used only on fields that must state something (a contract's clause, a reason,
 * a record's reference), where "not applicable" means the thing is not there. Fields where
 * 該当なし is a legitimate answer (an audit finding's summary, the highlights of a report) are not
 * judged with it.
 */
const PLACEHOLDERS = new Set([
  'なし', '無し', '無', 'ナシ', 'ない', '特になし', '特に無し', '該当なし', '該当無し', '該当せず', '非該当',
  '記載なし', '記載無し', '規定なし', '定めなし', '条項なし',
  '未定', '未記入', '未記載', '未入力', '未作成', '未設定', '未決定', '未確認', '未', '空欄', '空白', '不明', '不詳',
  '後日', '後日記入', '追って', '追記予定', '別途', '調整中', '検討中', '作成中', '確認中', '準備中', '予定',
  'tbd', 'tba', 'tbc', 'todo', 'fixme', 'n/a', 'na', 'none', 'nil', 'null', 'undefined', 'unknown', 'blank', 'dummy',
  'x', 'xx', 'xxx', '○○', '〇〇', '●●', '××',
]);

/** Brackets around, and punctuation after, a placeholder: 「未定」, (なし), なし。 */
const WRAPPING = /^[「『（(【［\[〔<＜"']+|[」』）)】］\]〕>＞"'。．.、,，!！]+$/gu;

/** Only punctuation, symbols, dashes or the prolonged-sound mark: "-", "―", "ー", "...", "…", "?", "・", "〃". */
const ONLY_MARKS = /^[\p{P}\p{S}ー]*$/u;

/**
 * Whether a text is a provision: not empty after trimming (any Unicode white space, the
 * full-width space included), not only dashes or other marks, and not a placeholder. Where a
 * field may legitimately answer that nothing applies (a topic of a report: 「該当なし」), the
 * caller names the answers it accepts.
 */
export function isProvision(text: unknown, accepted: readonly string[] = []): boolean {
  if (typeof text !== 'string') return false;
  // The usual question (nothing accepted besides provisions) is remembered per text.
  return accepted.length > 0 ? judgedProvision(text, accepted) : provision(text);
}

const provision = remembered((text) => judgedProvision(text, []), TEXTS);

function judgedProvision(text: string, accepted: readonly string[]): boolean {
  const s = comparable(text);
  const bare = s.replace(WRAPPING, '');
  if (accepted.some((a) => comparable(a).replace(WRAPPING, '') === bare && bare !== '')) return true;
  if (ONLY_MARKS.test(s)) return false;
  return !PLACEHOLDERS.has(bare);
}

/** The legal form of a company, before or after its name. */
const LEGAL_FORMS = [
  '株式会社', '有限会社', '合同会社', '合資会社', '合名会社', '相互会社',
  '一般社団法人', '一般財団法人', '公益社団法人', '公益財団法人', '社会福祉法人', '医療法人', '特定非営利活動法人', 'npo法人',
  '(株)', '(有)', '(同)', '(資)', '(名)', '(社)', '(財)', '(医)',
];
const ENGLISH_FORM = /[\s,]+(?:co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|incorporated|corp\.?|corporation|k\.\s?k\.?|llc)$/iu;

/**
 * The form in which names and codes are compared: NFKC, lower case, without white space, with
 * one hyphen, and without a company's legal form (株式会社テスト保守 = ㈱テスト保守 = テスト保守).
 */
export function normName(text: string): string {
  return normNameOf(text);
}

const normNameOf = remembered((text) => {
  let s = text.normalize('NFKC').trim().replace(ENGLISH_FORM, '');
  s = comparable(s);
  for (let again = true; again; ) {
    again = false;
    for (const form of LEGAL_FORMS) {
      if (s.length > form.length && s.startsWith(form)) {
        s = s.slice(form.length);
        again = true;
      }
      if (s.length > form.length && s.endsWith(form)) {
        s = s.slice(0, -form.length);
        again = true;
      }
    }
  }
  return s;
}, TEXTS);

/**
 * Places the regulation names, in every form they are ordinarily written: the remote backup in
 * 大阪 (第22条第1項第3号) and the vendor's servers in 多摩市 (第14条第2項). A place starting with one
 * of the prefixes is in that place (大阪府大阪市北区 is in 大阪).
 */
const NAMED_PLACES: { place: string; names: string[]; prefixes: string[] }[] = [
  {
    place: '大阪',
    names: ['大阪', '大阪府', '大阪市', 'おおさか', 'おおさかふ', 'おおさかし', 'オオサカ', 'osaka', 'osaka-fu', 'osakafu', 'osaka-shi', 'osakashi', 'osakaprefecture', 'osakacity'],
    prefixes: ['大阪府', '大阪市'],
  },
  {
    place: '多摩',
    names: ['多摩', '多摩市', 'たま', 'たまし', 'タマ', 'タマシ', 'tama', 'tama-shi', 'tamashi', 'tamacity'],
    prefixes: ['東京都多摩市', '多摩市'],
  },
];
const PLACE_SUFFIX = /(?:都|道|府|県|市|区|町|村|-?prefecture|-?city|-fu|-ken|-to|-shi)$/u;

/**
 * The form in which place names are compared: as `normName`, a place the regulation names in
 * its one form (大阪府 = 大阪市 = 大阪 = Osaka), and otherwise without its administrative suffix
 * (京都府 = 京都, 横浜市 = 横浜).
 */
export function normPlace(text: string): string {
  const s = normName(text);
  for (const p of NAMED_PLACES) {
    if (p.names.some((n) => comparable(n) === s) || p.prefixes.some((x) => s.startsWith(comparable(x)))) return p.place;
  }
  const bare = s.replace(PLACE_SUFFIX, '');
  return bare.length >= 2 ? bare : s;
}

/**
 * The names (of those given) of the fields an object lacks: absent, a text that is not a
 * provision, or an empty list (or a list with no provision in it).
 */
export function missingFields(value: unknown, names: readonly string[], accepted: readonly string[] = []): string[] {
  const get = (k: string): unknown => {
    if (value instanceof Map) return value.get(k);
    if (typeof value === 'object' && value !== null) return (value as Record<string, unknown>)[k];
    return undefined;
  };
  const present = (v: unknown): boolean => {
    if (v === undefined || v === null) return false;
    if (typeof v === 'string') return isProvision(v, accepted);
    if (Array.isArray(v)) return v.some((x) => present(x));
    return true;
  };
  return names.filter((k) => !present(get(k)));
}
