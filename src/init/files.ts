/**
 * The texts `kitei init` writes besides the register templates: the configuration, the CI
 * workflow, the editor settings and the waivers folder's README. Pure functions of their options.
 */

/** kitei.config.yaml, commented; `asOf` only for the example snapshot (see EXAMPLE_AS_OF). */
export function configFile(asOf?: string): string {
  const pinned = asOf === undefined ? [] : [
    '# 基準日を固定する。例示の証跡は 2026-11-20 に取得したスナップショットで、今日を基準日にすると、',
    '# 暦が進むにつれて証跡の鮮度や保存期間の期限が切れて不適合になる。自組織の証跡に置き換えたらこの行を削除する',
    '# （既定は今日・日本時間）。',
    '# The as-of date is pinned: the example evidence is a snapshot captured on 2026-11-20; checked as of',
    '# today, its freshness and retention deadlines would fail as the calendar moves. Delete this line once',
    '# the evidence is your own (the default is today in Japan).',
    `asOf: "${asOf}"`,
    '',
  ];
  return [
    '# yaml-language-server: $schema=node_modules/kitei/schemas/config.schema.json',
    '# kitei の設定 / kitei configuration',
    '# kitei check はカレントディレクトリのこのファイルを読む（別のファイルは --config FILE）。',
    '# コマンドラインのオプションはこのファイルより優先し、相対パスはこのファイルのフォルダから解決する。',
    '# kitei check reads this file from the working directory (another one with --config FILE).',
    '# Command-line options override it; relative paths resolve against the folder of this file.',
    '',
    '# 証跡（台帳）のディレクトリ / the evidence (registers) directory',
    'evidence: evidence',
    '# 出力の言語 ja | en / language of the output',
    'lang: ja',
    '# この重要度以上の不適合で終了コード 1（critical | high | medium | low） / exit 1 on failures at or above this severity',
    'failOn: low',
    '# 出力形式（text, json, sarif, github, junit, markdown, html, csv, ndjson） / report formats',
    'formats: [text]',
    '# 組織独自のルール（内規）のポリシーディレクトリ。kitei のルールに追加される（ID の重複はエラー）',
    "# extra policy folders (the organisation's own rules), added to kitei's own (a clashing rule id is an error)",
    'policies: []',
    '# パラメータの変更。キーは <ルールID>.<パラメータ名>、値・理由・決定者を添える。レポートに理由とともに載る',
    '# parameter overrides keyed <rule-id>.<parameter>, each with its value, reason and who decided it (listed in every report)',
    '#   terminal-screen-lock.maxIdleMinutes:',
    '#     value: 3',
    '#     reason: 窓口端末は来客の目に触れるため、規程の 5 分より短くする',
    '#     decidedBy: データ保護管理者',
    '#     decidedOn: "2026-04-01"',
    'params: {}',
    ...(pinned.length > 0 ? ['', ...pinned.slice(0, -1)] : []),
    '',
  ].join('\n');
}

/** Where the workflow gets kitei: the npm registry, or a tarball committed beside the evidence. */
const INSTALL_STEP = [
  '      # kitei をインストールする（package.json に記載された版） / install kitei (the version in package.json)',
  '      # package.json がなければ、リポジトリに置いた kitei-x.y.z.tgz から / without a package.json, from a committed kitei-x.y.z.tgz',
  '      - name: Install kitei',
  '        run: |',
  '          if [ -f package-lock.json ]; then npm ci --no-audit --no-fund',
  '          elif [ -f package.json ]; then npm install --no-audit --no-fund',
  '          else npm install --no-save --no-audit --no-fund "$(ls kitei-*.tgz | tail -1)"',
  '          fi',
];

/**
 * .github/workflows/kitei.yml: on push, pull requests, every morning (deadlines pass without a
 * commit) and by hand with an as-of date. With `action` (`owner/kitei@v1`) the reusable action
 * runs the check; otherwise the same steps are inline.
 */
export function workflowFile(action?: string): string {
  const head = [
    '# kitei の規程適合チェック / kitei compliance check',
    '# 証跡の変更時、プルリクエスト、毎朝（コミットがなくても期限は来る）、手動（基準日を指定可）で実行する。',
    '# Runs on every push and pull request, every morning (deadlines pass without a commit), and by hand with an as-of date.',
    'name: kitei',
    'on:',
    '  push:',
    '  pull_request:',
    '  schedule:',
    "    - cron: '0 22 * * *' # 毎朝 7:00 JST / 07:00 in Japan",
    '  workflow_dispatch:',
    '    inputs:',
    '      as-of:',
    "        description: '基準日 YYYY-MM-DD（空なら今日・日本時間） / as-of date (empty: today in Japan)'",
    '        required: false',
    '        default: ""',
    'permissions:',
    '  contents: read',
    '  security-events: write # SARIF を code scanning へ / upload SARIF to code scanning',
    'jobs:',
    '  check:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-node@v4',
    '        with:',
    '          node-version: 20',
  ];
  if (action !== undefined) {
    return [
      ...head,
      ...INSTALL_STEP,
      '      - name: kitei check',
      `        uses: ${action}`,
      '        with:',
      '          evidence: evidence',
      '          as-of: ${{ inputs.as-of }}',
      '',
    ].join('\n');
  }
  return [
    ...head,
    ...INSTALL_STEP,
    '      # 設定は kitei.config.yaml。SARIF（code scanning）と github（行への注記）を reports/ に書く',
    '      # settings come from kitei.config.yaml; SARIF (code scanning) and github (line annotations) go to reports/',
    '      - name: kitei check',
    '        id: check',
    '        env:',
    '          AS_OF: ${{ inputs.as-of }}',
    '        run: |',
    '          mkdir -p reports',
    '          set +e',
    '          npx kitei check ${AS_OF:+--as-of "$AS_OF"} --format sarif --format github --format json --output-dir reports',
    '          code=$?',
    '          set -e',
    '          # github 形式はワークフローコマンド：ログに出すと行への注記になる / workflow commands: annotations when printed',
    '          cat reports/github-annotations.txt 2>/dev/null || true',
    '          echo "exit-code=$code" >> "$GITHUB_OUTPUT"',
    '      - name: Upload SARIF to code scanning',
    '        if: always() && hashFiles(\'reports/findings.sarif\') != \'\'',
    '        continue-on-error: true # code scanning が使えないリポジトリでは省く / skipped where code scanning is not available',
    '        uses: github/codeql-action/upload-sarif@v3',
    '        with:',
    '          sarif_file: reports/findings.sarif',
    '          category: kitei',
    '      - name: Upload reports',
    '        if: always()',
    '        uses: actions/upload-artifact@v4',
    '        with:',
    '          name: kitei-reports',
    '          path: reports/',
    '      - name: Result',
    '        run: exit ${{ steps.check.outputs.exit-code }}',
    '',
  ].join('\n');
}

/** .vscode/settings.json: every register file and the waivers mapped to the installed package's schema. */
export function vscodeSettings(kinds: readonly string[]): string {
  const schemas: Record<string, string | string[]> = {};
  for (const kind of kinds) schemas[`./node_modules/kitei/schemas/${kind}.schema.json`] = `evidence/${kind}.yaml`;
  schemas['./node_modules/kitei/schemas/waivers.schema.json'] = 'waivers/*.yaml';
  schemas['./node_modules/kitei/schemas/config.schema.json'] = 'kitei.config.yaml';
  return JSON.stringify({ 'yaml.schemas': schemas }, null, 2) + '\n';
}

/** waivers/README.md: what a waiver is, with an example (a README is never read as a waiver register). */
export function waiversReadme(): string {
  return `# 例外承認（ウェイバー） / Waivers

規程に合わないことが分かっているが、今は是正できない記録を、期限を付けて例外として承認する。
このフォルダの YAML ファイル（\`register: waivers\`）を \`kitei check\` が読み、承認が有効な間は
対象の不適合を「例外承認（waived）」として報告する（不適合として数えない）。

- 承認者（\`approvedBy\`）は職員台帳の ID。承認日にそのルールを承認できる役割にあった者でなければ適用しない。
- 有効期間は承認日から 365 日以内（\`--waiver-max-days\`）。期限を過ぎると不適合に戻り、期限切れ自体も所見になる。
- 対象の不適合がなくなった（是正済みの）例外承認は「対象なし」として報告される。削除すること。
- 理由（\`justification\`）、残るリスク（\`risk\`）、代替措置（\`compensatingMeasure\`）を具体的に書く。
- 形式は kitei の \`schemas/waivers.schema.json\`（エディタは .vscode/settings.json で検証する）。

A waiver accepts, until a date, a failure that is known and cannot be remedied now. \`kitei check\`
reads the YAML files of this folder (\`register: waivers\`); while a waiver is in force, the failures
it covers are reported as waived, not failed. The approver must be on the staff register and hold a
role allowed to approve the rule on the day of approval; a waiver lasts at most 365 days from its
approval; an expired waiver turns its failures back into failures and is reported itself; a waiver
that matches no failure any more is reported as stale. Schema: \`schemas/waivers.schema.json\`.

## 例 / Example (\`waivers/terminals.yaml\`)

\`\`\`yaml
# yaml-language-server: $schema=../node_modules/kitei/schemas/waivers.schema.json
register: waivers
records:
  - id: W-001
    rule: terminal-screen-lock
    scope:
      records: [T-001]
    justification: T-001 はレセプト点検システム専用の端末で、ベンダーの動作保証が画面ロック 10 分以上に限られる。2027年3月のシステム更改までは設定を 5 分以内に短縮できない。
    risk: 離席時に 10 分間、第三者が画面を見る、または操作する可能性がある。
    compensatingMeasure: 端末を施錠された審査室に置き、入室者を審査担当者に限る。離席時は手動でロックする運用を週次の巡回で確認する。
    approvedBy: S-002
    approvedOn: "2026-10-01"
    expiresOn: "2027-03-31"
    documentRef: 稟議書 2026-045
\`\`\`
`;
}
