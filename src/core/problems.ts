import type { Finding, Location, Severity } from './findings.js';
import type { Localized } from './lang.js';

/**
 * Everything a user can fix in the inputs has a stable code and a message template in both
 * languages. These become `error` findings (with a reserved `kitei/…` rule id) so that every
 * reporter shows them next to the policy findings, with file, line and column.
 */
export const PROBLEMS = {
  'evidence/unreadable': { ja: 'ファイルを読み込めません: {detail}', en: 'Cannot read the file: {detail}' },
  'evidence/yaml-syntax': { ja: 'YAML の構文エラー: {detail}', en: 'YAML syntax error: {detail}' },
  'evidence/empty-file': { ja: 'ファイルが空です。register と capturedAt と records を記載してください。', en: 'The file is empty; it must declare register, capturedAt and records.' },
  'evidence/not-a-register': { ja: '証跡ファイルの最上位はマッピング（register, capturedAt, records）でなければなりません。', en: 'An evidence file must be a mapping with register, capturedAt and records at the top level.' },
  'evidence/missing-register-kind': { ja: 'register（台帳の種類）が記載されていません。', en: 'The file does not declare its register kind (register).' },
  'evidence/unknown-register': { ja: '未知の台帳の種類です: "{kind}"（既知: {known}）', en: 'Unknown register kind "{kind}" (known: {known})' },
  'evidence/schema': { ja: '{detail}', en: '{detail}' },
  'evidence/duplicate-id': { ja: 'ID "{id}" が台帳 {register} 内で重複しています（最初の定義: {first}）。', en: 'Id "{id}" is used twice in register {register} (first at {first}).' },
  'evidence/dangling-reference': { ja: '参照先 "{id}" が台帳 {register} に存在しません。', en: 'Reference "{id}" does not exist in register {register}.' },
  'evidence/register-missing': { ja: '台帳 {register} の証跡がありません。この台帳に対するルールを評価できません。', en: 'No evidence file for register {register}; the rules on it cannot be evaluated.' },
  'evidence/invalid-date': { ja: '和暦の日付 "{value}" は正しくありません: {reason}。', en: 'Invalid Japanese-era (和暦) date "{value}": {reason}.' },
  'policy/unreadable': { ja: 'ポリシーファイルを読み込めません: {detail}', en: 'Cannot read the policy file: {detail}' },
  'policy/yaml-syntax': { ja: 'ポリシーの YAML 構文エラー: {detail}', en: 'Policy YAML syntax error: {detail}' },
  'policy/schema': { ja: 'ポリシーの形式が不正です: {detail}', en: 'Invalid policy: {detail}' },
  'policy/duplicate-rule-id': { ja: 'ルール ID "{id}" が重複しています（最初の定義: {first}）。同じ ID は、版（version）が異なり施行期間（effective）が重ならない場合だけ使えます。', en: 'Rule id "{id}" is defined twice (first at {first}). An id may repeat only as another version with an effective period that does not overlap.' },
  'policy/unknown-register': { ja: 'ルールの対象台帳 "{kind}" のスキーマがありません。', en: 'The rule applies to register "{kind}", which has no schema.' },
  'policy/cel-syntax': { ja: 'CEL 式の構文エラー: {detail}', en: 'CEL syntax error: {detail}' },
  'policy/cel-type': { ja: 'CEL 式の型エラー: {detail}', en: 'CEL type error: {detail}' },
  'policy/cel-not-bool': { ja: '条件式は bool を返さなければなりません（実際: {type}）。', en: 'A condition must return bool (it returns {type}).' },
  'policy/unsafe-regex': { ja: '.matches() はバックトラッキング正規表現のため使用できません。regexMatch(文字列, パターン) を使ってください。', en: '.matches() uses backtracking regular expressions and is not allowed; use regexMatch(text, pattern).' },
  'policy/bad-regex': { ja: '正規表現が不正です: {detail}', en: 'Invalid regular expression: {detail}' },
  'policy/personal-data': { ja: 'メッセージに個人情報の項目 "{field}" を埋め込むことはできません。ID を使ってください。', en: 'Messages may not include the personal-data field "{field}"; use the record id instead.' },
  'policy/bad-parameter': { ja: 'パラメータ {name} の値が型 {type} に合いません: {value}', en: 'Parameter {name} does not match its type {type}: {value}' },
  'policy/unknown-parameter': { ja: 'ルール {rule} にパラメータ {name} はありません。', en: 'Rule {rule} has no parameter {name}.' },
  'policy/bad-lookup': { ja: 'ルックアップ {name} の定義が不正です: {detail}', en: 'Lookup {name} is invalid: {detail}' },
  'catalog/missing': { ja: '条項カタログ {file} がありません。', en: 'The clause catalog {file} is missing.' },
  'catalog/schema': { ja: '条項カタログの形式が不正です: {detail}', en: 'Invalid clause catalog: {detail}' },
  'catalog/duplicate-clause': { ja: '{clause} がカタログに2回あります（最初: {first}）。', en: '{clause} is catalogued twice (first at {first}).' },
  'catalog/unknown-clause': { ja: 'ルール {rule} が引用する {clause} は条項カタログにありません。', en: 'Rule {rule} cites {clause}, which is not in the clause catalog.' },
  'catalog/not-automated': { ja: 'ルール {rule} が {clause} を検査していますが、カタログでは「{status}」です。automated にしてください。', en: 'Rule {rule} enforces {clause}, which the catalog marks "{status}"; mark it automated.' },
  'catalog/no-rule': { ja: '{clause} はカタログで automated ですが、検査するルールがありません。', en: '{clause} is marked automated in the catalog, but no rule enforces it.' },
  'catalog/amendment-not-versioned': { ja: '{clause} は {on} に改正（附則第{by}項）されましたが、ルール {rule} にはその日から施行の版がありません。', en: '{clause} was amended on {on} (supplementary provision {by}), but rule {rule} has no version in force from that day.' },
  'tests/yaml-syntax': { ja: 'テストケースの YAML 構文エラー: {detail}', en: 'Test case YAML syntax error: {detail}' },
  'tests/schema': { ja: 'テストケースの形式が不正です: {detail}', en: 'Invalid test case file: {detail}' },
  'tests/unknown-rule': { ja: 'テストケースのルール {rule} はポリシーにありません。', en: 'The test cases are for rule {rule}, which no policy defines.' },
  'rule/not-evaluated': { ja: 'このルールは台帳 {registers} の証跡を読めない（またはない）ため評価していません。', en: 'This rule was not evaluated: the evidence of register {registers} could not be read or is missing.' },
  'rule/evaluation-error': { ja: 'ルールの評価に失敗しました: {detail}', en: 'The rule could not be evaluated: {detail}' },
} as const satisfies Record<string, Localized>;

export type ProblemCode = keyof typeof PROBLEMS;

/** A value filled into a template: the same in both languages, or given per language. */
export type ProblemValue = string | number | Localized;

export function problemMessage(code: ProblemCode, values: Record<string, ProblemValue> = {}): Localized {
  const fill = (t: string, lang: keyof Localized) =>
    t.replace(/\{(\w+)\}/g, (_, k: string) => {
      const v = values[k];
      if (v === undefined) return `{${k}}`;
      return typeof v === 'object' ? v[lang] : String(v);
    });
  const t = PROBLEMS[code];
  return { ja: fill(t.ja, 'ja'), en: fill(t.en, 'en') };
}

/**
 * An input problem as a finding: outcome `error`, reserved rule id `kitei/<code>` (schema
 * violations refine it by keyword, e.g. `kitei/schema-required`).
 */
export function problemFinding(
  code: ProblemCode,
  location: Location | undefined,
  values: Record<string, ProblemValue> = {},
  options: { ruleId?: string; severity?: Severity } = {},
): Finding {
  return {
    ruleId: options.ruleId ?? `kitei/${code.replace('/', '-')}`,
    outcome: 'error',
    severity: options.severity ?? 'high',
    code,
    message: problemMessage(code, values),
    ...(location ? { location } : {}),
  };
}

/** Raised for problems that stop a whole command (bad options, unreadable directories). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
