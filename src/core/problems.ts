import type { Finding, Location, Severity } from './findings.js';
import type { Localized } from './lang.js';

/**
 * Everything a user can fix in the inputs has a stable code and a message template in both
 * languages. These become `error` findings (with a reserved `kitei/…` rule id) so that every
 * reporter shows them next to the policy findings, with file, line and column.
 */
const OWN_PROBLEMS = {
  'evidence/empty-file': { ja: 'ファイルが空です。register と capturedAt と records を記載してください。', en: 'The file is empty; it must declare register, capturedAt and records.' },
  'evidence/not-a-register': { ja: '証跡ファイルの最上位はマッピング（register, capturedAt, records）でなければなりません。', en: 'An evidence file must be a mapping with register, capturedAt and records at the top level.' },
  'evidence/missing-register-kind': { ja: 'register（台帳の種類）が記載されていません。', en: 'The file does not declare its register kind (register).' },
  'evidence/unknown-register': { ja: '未知の台帳の種類です。{hint}（既知: {known}）', en: 'Unknown register kind. {hint}(known: {known})' },
  'evidence/schema': { ja: '{detail}', en: '{detail}' },
  'evidence/duplicate-id': { ja: 'ID "{id}" が台帳 {register} 内で重複しています（最初の定義: {first}）。', en: 'Id "{id}" is used twice in register {register} (first at {first}).' },
  'evidence/dangling-reference': { ja: '参照先 "{id}" が台帳 {register} に存在しません。', en: 'Reference "{id}" does not exist in register {register}.' },
  'evidence/register-missing': { ja: '台帳 {register} の証跡がありません。この台帳に対するルールを評価できません。', en: 'No evidence file for register {register}; the rules on it cannot be evaluated.' },
  'evidence/bad-register-kind': { ja: 'register には台帳の種類名（文字）を書きます（{type} が書かれています）。', en: 'register must name a register kind as text (it holds {type}).' },
  'evidence/too-many-records': { ja: 'レコードが多すぎるため判定しません（{count} 件、上限 {limit} 件。--max-records で変更できます）。', en: 'Too many records to be judged ({count}; the limit is {limit}, see --max-records).' },
  'evidence/total-too-large': { ja: '証跡の合計が上限 {limit} を超えるため、このファイルは読み込みません（--max-total-size で変更できます）。', en: 'The evidence exceeds the total limit of {limit}, so this file is not read (see --max-total-size).' },
  'evidence/personal-number': { ja: '個人番号（{masked}）が証跡に書かれています。証跡には個人番号を書かず、削除してください（git の履歴からも消す必要があります）。', en: 'A personal number (個人番号, {masked}) is written in the evidence. Evidence must never contain one: remove it (from the git history too).' },
  'evidence/date-after-capture': { ja: '{field} の日付 {date} が台帳の取得日 {capturedAt} より後です。入力の誤りではありませんか（予定日・期限なら、スキーマで x-kitei-planned とします）。', en: 'The date {date} of {field} is after the register was captured ({capturedAt}); is it mistyped? (A deadline or planned date is marked x-kitei-planned in the schema.)' },
  'evidence/date-order': { ja: '{field}（{date}）が {other}（{otherDate}）より前です。入力の誤りではありませんか。', en: '{field} ({date}) is before {other} ({otherDate}); is it mistyped?' },
  'evidence/templates': { ja: '未記入の台帳（kitei init のひな形、template: true）: {registers}。これらの台帳を読むルールは適用外としています。記入したら template: true の行を削除してください。', en: 'Registers not filled in yet (kitei init templates, template: true): {registers}. The rules that read them are not applicable. Delete the template: true line once a register is filled in.' },
  'evidence/template-with-records': { ja: '台帳 {register} に記録がありますが、ひな形の印（template: true）が残っています。記録を判定させるため、この行を削除してください。', en: 'Register {register} has records but still carries the template mark (template: true); delete that line so that its records are judged.' },
  'evidence/invalid-date': { ja: '和暦の日付 "{value}" は正しくありません: {reason}。', en: 'Invalid Japanese-era (和暦) date "{value}": {reason}.' },
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
  'policy/wasm-bundle': { ja: 'Wasm バンドル {bundle} を読み込めません: {detail}', en: 'Cannot load the Wasm bundle {bundle}: {detail}' },
  'policy/wasm-not-opa': { ja: 'Wasm バンドル {bundle} は OPA の Wasm モジュール（opa build -t wasm、ABI 1.x）ではありません: {detail}', en: 'The Wasm bundle {bundle} is not an OPA Wasm module (opa build -t wasm, ABI 1.x): {detail}' },
  'policy/wasm-unsupported-builtins': { ja: 'Wasm バンドル {bundle} は kitei が提供しない組み込み関数を使うため読み込みません: {builtins}', en: 'The Wasm bundle {bundle} is not loaded: it needs builtins kitei does not provide: {builtins}' },
  'policy/wasm-entrypoint': { ja: 'エントリポイント {entrypoint} は Wasm バンドル {bundle} にありません（あるもの: {known}）。', en: 'Entrypoint {entrypoint} is not in the Wasm bundle {bundle} (it has: {known}).' },
  // kitei lint: policies that load and type-check but make a rule silently wrong.
  'lint/enum-value': { ja: '"{value}" は {field} の値にありません（スキーマの値: {known}）。この比較はいつも同じ結果になります。', en: '"{value}" is not a value of {field} (the schema allows: {known}); this comparison always gives the same result.' },
  'lint/parameter-in-text': { ja: '「{text}」はパラメータ {param} の既定値を書いています。{{params.{param}}} と書けば、値を変えたとき文も変わります。', en: '"{text}" writes the default of parameter {param}; write {{params.{param}}} so that the text follows the value.' },
  'lint/unused-parameter': { ja: 'ルール {rule} のパラメータ {name} はどの式・文でも使われていません。', en: 'Parameter {name} of rule {rule} is used by no expression or text.' },
  'lint/undeclared-parameter': { ja: 'ルール {rule} は宣言していないパラメータ {name} を使っています。', en: 'Rule {rule} uses parameter {name}, which it does not declare.' },
  'lint/unknown-at-field': { ja: '{owner} の at が指す {pointer} の "{field}" は台帳 {register} のスキーマにありません。', en: 'The at of {owner} points at {pointer}, but "{field}" is not in the schema of register {register}.' },
  'lint/quote-not-in-regulation': { ja: 'ルール {rule} の引用「{fragment}」は規程の文言にありません。', en: 'The quote of rule {rule} is not the regulation\'s words: "{fragment}".' },
  'lint/when-never-false': { ja: 'ルール {rule}（版 {version}）の適用条件 when を偽にするケースがありません（適用外の例を加えてください）。', en: 'No case makes the when of rule {rule} (version {version}) false; add a not-applicable case.' },
  'lint/when-never-true': { ja: 'ルール {rule}（版 {version}）の適用条件 when を真にするケースがありません。', en: 'No case makes the when of rule {rule} (version {version}) true.' },
  'catalog/missing': { ja: '条項カタログ {file} がありません。', en: 'The clause catalog {file} is missing.' },
  'catalog/schema': { ja: '条項カタログの形式が不正です: {detail}', en: 'Invalid clause catalog: {detail}' },
  'catalog/duplicate-clause': { ja: '{clause} がカタログに2回あります（最初: {first}）。', en: '{clause} is catalogued twice (first at {first}).' },
  'catalog/unknown-clause': { ja: 'ルール {rule} が引用する {clause} は条項カタログにありません。', en: 'Rule {rule} cites {clause}, which is not in the clause catalog.' },
  'catalog/not-automated': { ja: 'ルール {rule} が {clause} を検査していますが、カタログでは「{status}」です。automated にしてください。', en: 'Rule {rule} enforces {clause}, which the catalog marks "{status}"; mark it automated.' },
  'catalog/no-rule': { ja: '{clause} はカタログで automated ですが、検査するルールがありません。', en: '{clause} is marked automated in the catalog, but no rule enforces it.' },
  'catalog/amendment-not-versioned': { ja: '{clause} は {on} に改正（附則第{by}項）されましたが、ルール {rule} にはその日から施行の版がありません。', en: '{clause} was amended on {on} (supplementary provision {by}), but rule {rule} has no version in force from that day.' },
  'config/schema': { ja: '設定ファイルの形式が不正です: {detail}', en: 'Invalid configuration: {detail}' },
  'config/unknown-key': { ja: '設定ファイルに未知の項目 "{key}" があります（使える項目: {known}）。', en: 'Unknown key "{key}" in the configuration (known keys: {known}).' },
  'config/not-found': { ja: '設定ファイル {file} がありません。', en: 'The configuration file {file} does not exist.' },
  'config/unknown-parameter': { ja: '設定の params: ルール {rule} にパラメータ {name} はありません。', en: 'Configuration params: rule {rule} has no parameter {name}.' },
  'config/bad-parameter': { ja: '設定の params: {name} の値が型 {type} に合いません: {value}', en: 'Configuration params: {name} does not match its type {type}: {value}' },
  'tests/schema': { ja: 'テストケースの形式が不正です: {detail}', en: 'Invalid test case file: {detail}' },
  'tests/unknown-rule': { ja: 'テストケースのルール {rule} はポリシーにありません。', en: 'The test cases are for rule {rule}, which no policy defines.' },
  'waiver/not-a-waiver-file': { ja: 'waivers/ のファイルは例外承認の台帳（register: waivers）でなければなりません（このファイルは {register}）。読み飛ばします。', en: 'Files in the waivers folder must be waiver registers (register: waivers); this one is {register} and is ignored.' },
  'waiver/unknown-rule': { ja: '例外承認 {waiver} のルール {rule} はポリシーにありません。', en: 'Waiver {waiver} names rule {rule}, which no policy defines.' },
  'waiver/unknown-assertion': { ja: '例外承認 {waiver} の検査項目 {assertion} はルール {rule} にありません（あるもの: {known}）。', en: 'Waiver {waiver} names assertion {assertion}, which rule {rule} does not have (it has: {known}).' },
  'waiver/not-waivable': { ja: 'ルール {rule} は例外にできません（{reason}）。例外承認 {waiver} は適用しません。', en: 'Rule {rule} cannot be waived ({reason}); waiver {waiver} is not applied.' },
  'waiver/wrong-register': { ja: '例外承認 {waiver} の対象台帳 {register} は、ルール {rule} の台帳 {ruleRegister} ではありません。', en: 'Waiver {waiver} covers register {register}, but rule {rule} applies to register {ruleRegister}.' },
  'waiver/unknown-record': { ja: '例外承認 {waiver} の対象レコード {record} は台帳 {register} にありません。', en: 'Waiver {waiver} covers record {record}, which register {register} does not have.' },
  'waiver/approver-unknown': { ja: '例外承認 {waiver} の承認者 {approver} は職員台帳にいません。', en: 'Waiver {waiver} was approved by {approver}, who is not on the staff register.' },
  'waiver/approver-not-authorised': { ja: '例外承認 {waiver} の承認者 {approver} は、承認日 {date} に承認できる役割（{roles}）にありませんでした（その日の就任者: {holders}）。', en: 'Waiver {waiver} was approved by {approver}, who on {date} held none of the roles allowed to approve it ({roles}; holders that day: {holders}).' },
  'waiver/not-evaluated': { ja: '例外承認 {waiver} の承認者を確かめられないため適用しません（台帳 {register} を読めないか、不正です）。', en: 'Waiver {waiver} is not applied: its approver cannot be verified (register {register} could not be read or is invalid).' },
  'waiver/too-long': { ja: '例外承認 {waiver} の有効期間（{approvedOn}〜{expiresOn}、{days} 日）が上限 {max} 日を超えるため適用しません。', en: 'Waiver {waiver} is not applied: its term ({approvedOn} to {expiresOn}, {days} days) exceeds the maximum of {max} days.' },
  'waiver/placeholder-justification': { ja: '例外承認 {waiver} の理由が具体的ではありません（「{text}」）。なぜ今は是正できないかを書いてください。', en: 'Waiver {waiver} gives no real justification ("{text}"); say why the failure cannot be remedied now.' },
  'waiver/expired': { ja: '例外承認 {waiver} は {expiresOn} に期限が切れています。対象の不適合は不適合として報告します。是正するか、改めて承認を得てください。', en: 'Waiver {waiver} expired on {expiresOn}; the failures it covered are reported as failures again. Remedy them or have the waiver approved again.' },
  'waiver/not-yet-approved': { ja: '例外承認 {waiver} の承認日 {approvedOn} は基準日 {asOf} より後のため、まだ適用しません。', en: 'Waiver {waiver} is approved on {approvedOn}, after the as-of date {asOf}: it is not in force yet.' },
  'waiver/stale': { ja: '例外承認 {waiver}（ルール {rule}）に当たる不適合がありません。是正済みか対象の誤りです。例外承認を削除してください。', en: 'Waiver {waiver} (rule {rule}) matches no failure: it was remedied or its scope is wrong. Remove the waiver.' },
  'rule/not-evaluated': { ja: 'このルールは台帳 {registers} の証跡を読めない（またはない）ため評価していません。', en: 'This rule was not evaluated: the evidence of register {registers} could not be read or is missing.' },
  'rule/register-template': { ja: '台帳 {registers} はまだひな形（template: true、未記入）のため、このルールは適用外です。', en: 'Not applicable: register {registers} is still a template (template: true, not filled in yet).' },
  'rule/invalid-dependency': { ja: 'このレコードの判定に必要な記録 {records} が不正なため、評価していません（その記録の問題を先に直してください）。', en: 'Not evaluated: the verdict depends on {records}, which is invalid (fix that record first).' },
  'rule/evaluation-error': { ja: 'ルールの評価に失敗しました: {detail}', en: 'The rule could not be evaluated: {detail}' },
} as const satisfies Record<string, Localized>;

/** The kinds of YAML file kitei reads; each has its own family of file problem codes. */
export type FileKind = 'evidence' | 'policy' | 'tests' | 'config';
export const FILE_KINDS: readonly FileKind[] = ['evidence', 'policy', 'tests', 'config'];

/**
 * Problems of reading and parsing a YAML file: the same for evidence, policy (and catalog) and
 * rule-test files, which share one reader. Each kind gets its own codes (`evidence/too-large`,
 * `policy/too-large` …) so that a CI log says at once whose file it is.
 */
const FILE_PROBLEMS = {
  unreadable: { ja: 'ファイルを読み込めません: {detail}', en: 'Cannot read the file: {detail}' },
  'not-a-regular-file': { ja: '通常のファイルではない（{type}）ため読み込みません。', en: 'Not a regular file ({type}); it is not read.' },
  'symlink-outside': { ja: 'シンボリックリンクの参照先 {target} が {root} の外にあるため読み込みません（許可するには --follow-symlinks）。', en: 'This symbolic link points outside {root} (to {target}), so it is not read (allow with --follow-symlinks).' },
  'broken-symlink': { ja: 'シンボリックリンクの参照先を解決できません（{detail}）。', en: 'The symbolic link cannot be resolved ({detail}).' },
  'too-large': { ja: 'ファイルが大きすぎるため判定しません（{size}、上限 {limit}。--max-file-size で変更できます）。', en: 'The file is too large to be judged ({size}; the limit is {limit}, see --max-file-size).' },
  'read-timeout': { ja: '{seconds} 秒以内に読み終わらなかったため判定しません。', en: 'The file could not be read within {seconds} s; it is not judged.' },
  encoding: { ja: 'UTF-8 として読めないバイト {bytes} があります。{hint}', en: 'Bytes {bytes} are not valid UTF-8. {hint}' },
  'control-character': { ja: 'YAML で使えない制御文字 {char} があります。削除してください。', en: 'The control character {char} is not allowed in YAML; remove it.' },
  'cr-line-endings': { ja: '行末が CR（\\r）だけの改行があります（古い Mac 形式）。LF または CRLF で保存してください。', en: 'A line ends with a bare CR (\\r, classic Mac line endings); save the file with LF or CRLF line endings.' },
  'yaml-syntax': { ja: 'YAML の構文エラー: {detail}', en: 'YAML syntax error: {detail}' },
  'unresolved-alias': { ja: '*{name} はエイリアスとして読まれますが、アンカー &{name} がその前にありません。文字として書くなら引用符で囲んでください（"*{name}"）。', en: '*{name} is read as an alias, but no anchor &{name} comes before it. To write it as text, quote it ("*{name}").' },
  'alias-not-allowed': { ja: '証跡ではアンカー（&）とエイリアス（*）を使えません。差分を読む人に展開後の値が見えないためです。値をそのまま書いてください（文字なら引用符で囲む）。', en: 'Anchors (&) and aliases (*) are not allowed in evidence: a reviewer reading the diff cannot see what they expand to. Write the value out (quote it if it is text).' },
  'recursive-alias': { ja: 'エイリアス *{name} が、自分を含むアンカー &{name} を参照しています（循環）。', en: 'The alias *{name} refers to the anchor &{name} that contains it (a cycle).' },
  'alias-expansion': { ja: 'エイリアスを展開すると {limit} ノードを超えます。', en: 'The aliases expand to more than {limit} nodes.' },
  'too-deep': { ja: '入れ子が深すぎます（上限 {limit} 段）。', en: 'Nested too deeply (the limit is {limit} levels).' },
  'complex-key': { ja: 'マッピングのキーは文字（スカラー）でなければなりません。', en: 'A mapping key must be a scalar (text), not a mapping or a sequence.' },
  unprocessable: { ja: 'kitei がこのファイルを処理できませんでした（内部エラー: {detail}）。判定していません。不具合として報告してください。', en: 'kitei could not process this file (internal error: {detail}); it is not judged. Please report this as a bug.' },
} as const satisfies Record<string, Localized>;

export type FileProblem = keyof typeof FILE_PROBLEMS;
type FileProblemCode = `${FileKind}/${FileProblem}`;

export const PROBLEMS: Record<FileProblemCode, Localized> & typeof OWN_PROBLEMS = {
  ...OWN_PROBLEMS,
  ...(Object.fromEntries(FILE_KINDS.flatMap((kind) => Object.entries(FILE_PROBLEMS).map(([p, text]) => [`${kind}/${p}`, text]))) as Record<FileProblemCode, Localized>),
};

export type ProblemCode = keyof typeof PROBLEMS;

/** The code of a file problem for a kind of file. */
export function fileProblemCode(kind: FileKind, problem: FileProblem): ProblemCode {
  return `${kind}/${problem}`;
}

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
