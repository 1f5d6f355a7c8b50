import { eastAsianWidth } from 'get-east-asian-width';
import { SEVERITIES, type Finding } from '../core/findings.js';
import type { Lang } from '../core/lang.js';
import { findingToJson, type FindingJson, type Period, type Reporter, type ReportModel, type RuleJson } from './model.js';
import { articleTitle, groupByArticle, remediationOf, shownFindings } from './view.js';
import { appendAll } from '../core/arrays.js';
const L = {
  ja: {
    title: 'kitei 規程適合チェック',
    asOf: '基準日',
    evidence: '証跡',
    policies: 'ポリシー',
    files: 'ファイル',
    records: 'レコード',
    rules: 'ルール',
    inputs: '証跡・ポリシーの読み込みの問題',
    noArticle: '条項なし',
    nothing: '不適合・エラーはありません。',
    summary: '集計',
    severity: '重要度',
    total: '合計',
    params: 'パラメータ',
    fix: '是正',
    applied: (asOf: string) => `適用したルールの版とパラメータ（基準日 ${asOf} に施行中の版）`,
    version: (v: number) => `第${v}版`,
    period: (p: Period) => (p.from || p.until ? `（${p.from ?? ''}〜${p.until ?? ''}）` : ''),
    digest: '入力のダイジェスト（マニフェスト）',
    others: (n: number) => `ほか ${n} ルール: いずれも第1版、パラメータなし`,
    items: (n: number) => `${n} 件`,
    outcome: { pass: '適合', fail: '不適合', not_applicable: '適用外', error: 'エラー' },
    result: (fail: number, err: number, failOn: string, code: number) =>
      `結果: 不適合 ${fail} 件、エラー ${err} 件（失敗とする重要度: ${failOn} 以上）→ 終了コード ${code}`,
  },
  en: {
    title: 'kitei compliance check',
    asOf: 'As of',
    evidence: 'Evidence',
    policies: 'Policies',
    files: 'files',
    records: 'records',
    rules: 'rules',
    inputs: 'Problems reading evidence and policies',
    noArticle: 'No clause',
    nothing: 'No failures and no errors.',
    summary: 'Summary',
    severity: 'severity',
    total: 'total',
    params: 'parameters',
    fix: 'fix',
    applied: (asOf: string) => `Rule versions and parameters applied (the versions in force on ${asOf})`,
    version: (v: number) => `version ${v}`,
    period: (p: Period) => (p.from && p.until ? ` (${p.from} to ${p.until})` : p.from ? ` (from ${p.from})` : p.until ? ` (until ${p.until})` : ''),
    digest: 'Manifest digest',
    others: (n: number) => `${n} other rules: all version 1, no parameters`,
    items: (n: number) => `${n} items`,
    outcome: { pass: 'pass', fail: 'fail', not_applicable: 'n/a', error: 'error' },
    result: (fail: number, err: number, failOn: string, code: number) =>
      `Result: ${fail} failures, ${err} errors (failing at severity ${failOn} or above) → exit code ${code}`,
  },
} as const;

/**
 * The text report: failures and errors grouped by article (input problems first), each with
 * file:line:column, its message and remediation, then the summary table, the rule versions and
 * parameters applied, the manifest digest and the result. Passes and n/a are counted, not listed.
 */
export const textReporter: Reporter = (model, ctx) => {
  const t = L[ctx.lang];
  const lines: string[] = [];
  lines.push(`${t.title} — ${t.asOf}: ${model.asOf}`);
  lines.push(`${t.evidence}: ${model.evidence.dir} (${model.evidence.files.length} ${t.files}, ${model.evidence.records} ${t.records})  ${t.policies}: ${model.policies.files.length} ${t.files}, ${model.policies.rules} ${t.rules}`);
  lines.push('');

  const shown = shownFindings(model);
  const { inputs, articles } = groupByArticle(shown);
  const rules = new Map(model.rules.map((r) => [r.id, r]));
  if (inputs.length > 0) {
    lines.push(`■ ${t.inputs}`);
    for (const f of inputs) appendAll(lines, findingJsonLines(f, ctx.lang, rules.get(f.ruleId)));
    lines.push('');
  }
  for (const group of articles) {
    lines.push(`■ ${articleTitle(group, ctx.lang)}`);
    for (const f of group.findings) appendAll(lines, findingJsonLines(f, ctx.lang, rules.get(f.ruleId)));
    lines.push('');
  }
  if (shown.length === 0) lines.push(t.nothing, '');

  const s = model.summary;
  const cols = ['pass', 'fail', 'not_applicable', 'error'] as const;
  lines.push(`${t.summary}`);
  const row = (label: string, cells: (string | number)[]) => '  ' + padEnd(label, 10) + cells.map((c) => padStart(String(c), 8)).join('');
  lines.push(row(t.severity, cols.map((c) => t.outcome[c])));
  for (const sev of SEVERITIES) lines.push(row(sev, cols.map((c) => s.bySeverity[sev][c])));
  lines.push(row(t.total, cols.map((c) => s.total[c])));
  lines.push('');
  if (model.rules.length > 0) appendAll(lines, [...appliedLines(model, ctx.lang), '']);
  if (model.manifest) lines.push(`${t.digest}: ${model.manifest.digest}`);
  lines.push(t.result(s.total.fail, s.total.error, model.failOn, model.exitCode));
  return lines.join('\n') + '\n';
};

/**
 * Which version of each rule ran and with which parameter values: an auditor reproducing the
 * report needs both. Rules in their first version without parameters are counted, not listed.
 */
function appliedLines(model: ReportModel, lang: Lang): string[] {
  const t = L[lang];
  const listed = model.rules.filter((r) => r.version > 1 || r.declaredEffective || Object.keys(r.params).length > 0);
  const out = [t.applied(model.asOf)];
  const width = Math.max(0, ...listed.map((r) => displayWidth(r.id))) + 2;
  for (const r of listed) {
    const params = Object.entries(r.params).map(([k, v]) => `${k}=${formatParam(v, lang)}`).join(', ');
    out.push(`  ${padEnd(r.id, width)}${t.version(r.version)}${t.period(r.effective)}${params ? `  ${params}` : ''}`);
  }
  const others = model.rules.length - listed.length;
  if (others > 0) out.push(`  ${t.others(others)}`);
  return out;
}

/** A parameter value as one line: scalars as they are, short lists and maps inline, long structures counted. */
export function formatParam(v: unknown, lang: Lang): string {
  if (Array.isArray(v)) return v.every((x) => typeof x !== 'object') ? `[${v.join(', ')}]` : `[${L[lang].items(v.length)}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}: ${typeof x === 'object' ? '…' : String(x)}`).join(', ')}}`;
  return String(v);
}

/** A finding of another command (validate, coverage, due, rules, test) as the text report shows it. */
export function findingLines(f: Finding, lang: Lang): string[] {
  return findingJsonLines(findingToJson(f), lang);
}

function findingJsonLines(f: FindingJson, lang: Lang, rule?: RuleJson): string[] {
  const t = L[lang];
  const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '-';
  const clause = f.clauses.length ? '  ' + f.clauses.map((c) => c[lang]).join(lang === 'ja' ? '・' : ', ') : '';
  const out = [`  ${where}  ${t.outcome[f.outcome]}  ${f.severity}  ${f.ruleId}${clause}`, `      ${f.message[lang]}`];
  if (f.outcome === 'fail' && f.params) out.push(`      ${t.params}: ${Object.entries(f.params).map(([k, v]) => `${k}=${formatParam(v, lang)}`).join(', ')}`);
  const fix = remediationOf(f, rule, lang);
  if (fix) out.push(`      ${t.fix}: ${fix.replace(/\r?\n/g, '\n        ')}`);
  return out.filter((l) => !/: $/.test(l));
}

/** Display width in a terminal: 不適合 is six columns wide, not three. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += eastAsianWidth(ch.codePointAt(0)!);
  return w;
}

/** Padding by display width. */
export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(s))) + s;
}
