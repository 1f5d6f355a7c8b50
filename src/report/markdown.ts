import { SEVERITIES } from '../core/findings.js';
import type { Lang } from '../core/lang.js';
import { baselineCounts } from './baseline-text.js';
import type { FindingJson, Reporter, ReportModel, RuleJson } from './model.js';
import { articleTitle, clausesText, groupByArticle, OUTCOME_LABELS, remediationOf, ROLE_LABELS, rulesById, shownFindings, showsWaivers, waivedFindings, whereText } from './view.js';

/**
 * Markdown (GitHub-flavoured) for an issue, a pull request comment, a wiki, or the job summary of
 * a GitHub Actions run: the verdict, counts by severity, the failures grouped by article (clause,
 * record, file:line:column, message, remediation), problems reading the inputs, and the manifest
 * digest. Every string from the evidence or the policies is escaped so that it shows as text:
 * no markup, link, image or HTML can be injected through a record.
 */
const L = {
  ja: {
    title: 'kitei 規程適合チェック',
    asOf: '基準日',
    evidence: '証跡',
    policies: 'ポリシー',
    counts: (files: number, records: number) => `${files} ファイル、${records} レコード`,
    rules: (files: number, rules: number) => `${files} ファイル、${rules} ルール`,
    result: (fail: number, err: number) => `不適合 ${fail} 件、エラー ${err} 件`,
    exit: (code: number, failOn: string) => `終了コード ${code}（失敗とする重要度: ${failOn} 以上）`,
    verdict: '結果',
    digest: '入力のダイジェスト（マニフェスト）',
    summary: '集計',
    severity: '重要度',
    total: '合計',
    inputs: '証跡・ポリシーの読み込みの問題',
    nothing: '不適合・エラーはありません。',
    record: 'レコード',
    fix: '是正',
    params: 'パラメータ',
    waived: '例外承認済みの不適合（不合格としない）',
    waiver: (id: string, by: string, on: string, until: string) => `例外承認 ${id}（${on} ${by} 承認、${until} まで）`,
    omitted: (n: number) => `ほか ${n} 件は、GitHub のジョブサマリーの上限（1 MiB）のため省略しました。すべては JSON・SARIF などのレポートにあります。`,
  },
  en: {
    title: 'kitei compliance check',
    asOf: 'As of',
    evidence: 'Evidence',
    policies: 'Policies',
    counts: (files: number, records: number) => `${files} files, ${records} records`,
    rules: (files: number, rules: number) => `${files} files, ${rules} rules`,
    result: (fail: number, err: number) => `${fail} failures, ${err} errors`,
    exit: (code: number, failOn: string) => `exit code ${code} (failing at severity ${failOn} or above)`,
    verdict: 'Result',
    digest: 'Manifest digest',
    summary: 'Summary',
    severity: 'Severity',
    total: 'Total',
    inputs: 'Problems reading evidence and policies',
    nothing: 'No failures and no errors.',
    record: 'record',
    fix: 'Fix',
    params: 'Parameters',
    waived: 'Waived failures (not failing the run)',
    waiver: (id: string, by: string, on: string, until: string) => `waiver ${id} (approved on ${on} by ${by}; until ${until})`,
    omitted: (n: number) => `${n} more left out: a GitHub job summary holds at most 1 MiB. The JSON and SARIF reports list them all.`,
  },
} as const;

export const markdownReporter: Reporter = (model, ctx) => markdownPieces(model, ctx.lang);

/**
 * The report in pieces (a heading, a finding, a table), so that a caller with a size limit can
 * stop in time. `maxBytes` (the job summary's limit) leaves findings out past it, saying how many.
 */
export function* markdownPieces(model: ReportModel, lang: Lang, maxBytes = Infinity): Iterable<string> {
  const t = L[lang];
  const total = model.summary.total;
  let head = `# ${t.title}\n\n`;
  head += `- ${t.asOf}: ${model.asOf}\n`;
  const counts = t.counts(model.evidence.files.length, model.evidence.records);
  head += `- ${t.evidence}: ${code(model.evidence.dir)}${lang === 'ja' ? `（${counts}）` : ` (${counts})`}\n`;
  head += `- ${t.policies}: ${t.rules(model.policies.files.length, model.policies.rules)}\n`;
  head += `- ${t.verdict}: **${t.result(total.fail, total.error)}** → ${t.exit(model.exitCode, model.failOn)}\n`;
  if (model.manifest) head += `- ${t.digest}: ${code(model.manifest.digest)}\n`;
  const compared = baselineCounts(model, lang);
  if (compared) head += `- ${text(compared)}\n`;
  head += `\n## ${t.summary}\n\n`;
  const cols = showsWaivers(model) ? (['pass', 'fail', 'not_applicable', 'error', 'waived'] as const) : (['pass', 'fail', 'not_applicable', 'error'] as const);
  head += `| ${t.severity} | ${cols.map((c) => OUTCOME_LABELS[lang][c]).join(' | ')} |\n|---|${cols.map(() => '--:').join('|')}|\n`;
  for (const s of SEVERITIES) head += `| ${s} | ${cols.map((c) => model.summary.bySeverity[s][c]).join(' | ')} |\n`;
  head += `| **${t.total}** | ${cols.map((c) => `**${total[c]}**`).join(' | ')} |\n`;
  head += overridesTable(model, lang);
  yield head;

  let budget = maxBytes - Buffer.byteLength(head) - 1024;
  const shown = shownFindings(model);
  const waived = waivedFindings(model);
  if (shown.length === 0) {
    yield `\n${t.nothing}\n`;
    if (waived.length === 0) return;
  }
  const rules = rulesById(model);
  const { inputs, articles } = groupByArticle(shown);
  const sections = [
    ...(inputs.length ? [{ title: t.inputs, findings: inputs }] : []),
    ...articles.map((g) => ({ title: articleTitle(g, lang), findings: g.findings })),
    ...(waived.length ? [{ title: t.waived, findings: waived }] : []),
  ];
  let left = shown.length + waived.length;
  for (const section of sections) {
    const heading = `\n## ${text(section.title)}\n\n`;
    let first = true;
    for (const f of section.findings) {
      const item = findingItem(f, rules.get(f.ruleId), lang);
      const piece = (first ? heading : '') + item;
      budget -= Buffer.byteLength(piece);
      if (budget < 0) {
        yield `\n> ${t.omitted(left)}\n`;
        return;
      }
      yield piece;
      first = false;
      left--;
    }
  }
}

/** The parameters changed from their defaults and why (kitei.config.yaml), as a table; '' when none was. */
function overridesTable(model: ReportModel, lang: Lang): string {
  if (!model.overrides?.length) return '';
  const h = lang === 'ja'
    ? { title: 'パラメータの変更とその理由', cols: ['パラメータ', '値', '既定値', '理由', '決定', '指定'], config: '設定ファイル', cli: '--param', none: '（記録なし）' }
    : { title: 'Parameter overrides and their reasons', cols: ['Parameter', 'Value', 'Default', 'Reason', 'Decided', 'Given in'], config: 'configuration', cli: '--param', none: '(none recorded)' };
  let out = `\n## ${h.title}\n\n| ${h.cols.join(' | ')} |\n|${h.cols.map(() => '---').join('|')}|\n`;
  for (const o of model.overrides) {
    const decided = o.decidedBy !== undefined ? text(`${o.decidedBy}${o.decidedOn ? ` ${o.decidedOn}` : ''}`) : '';
    out += `| ${code(`${o.rule}.${o.param}`)} | ${code(JSON.stringify(o.value))} | ${code(JSON.stringify(o.default))} | ${text(o.reason ?? h.none)} | ${decided} | ${o.source === 'config' ? h.config : h.cli} |\n`;
  }
  return out;
}

/** One finding as a list item: verdict, severity, clause, rule, record, place; then message, parameters, remediation. */
function findingItem(f: FindingJson, rule: RuleJson | undefined, lang: Lang): string {
  const t = L[lang];
  const head = [
    `**${OUTCOME_LABELS[lang][f.outcome]}**`,
    f.severity,
    ...(f.clauses.length ? [text(clausesText(f.clauses, lang))] : []),
    code(f.ruleId),
    ...(f.recordId ? [`${t.record} ${text(f.recordId)}`] : []),
    ...(f.code ? [code(f.code)] : []),
    code(whereText(f)),
  ].join(' · ');
  const lines = [`- ${head}`, `  ${text(f.message[lang])}`];
  if (f.outcome === 'fail' && f.params && Object.keys(f.params).length) lines.push(`  ${t.params}: ${Object.entries(f.params).map(([k, v]) => code(`${k}=${JSON.stringify(v)}`)).join(', ')}`);
  const fix = remediationOf(f, rule, lang);
  if (fix) lines.push(`  ${t.fix}: ${text(fix)}`);
  if (f.waiver) lines.push(`  ${text(t.waiver(f.waiver.id, `${ROLE_LABELS[lang][f.waiver.role] ?? f.waiver.role} ${f.waiver.approvedBy}`, f.waiver.approvedOn, f.waiver.expiresOn))}: ${text(f.waiver.justification)}`);
  // Two trailing spaces: a line break within the list item.
  return lines.join('  \n') + '\n';
}

/**
 * Text shown as text: every character that could start markup (emphasis, code, links, images,
 * HTML, tables, strikethrough, entities) is backslash-escaped, line breaks become spaces, and a
 * start that would read as a heading, list or quote is escaped too.
 */
export function text(s: string): string {
  return s
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]<>|~&!{}]/g, '\\$&')
    .replace(/^([-+#>=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** A code span that holds any text: fenced with more backticks than it contains in a row. */
export function code(s: string): string {
  const flat = s.replace(/\r\n|\r|\n/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || flat.startsWith(' ') || flat.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
