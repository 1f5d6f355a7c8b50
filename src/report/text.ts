import { displayWidth, padEnd, padStart } from '../core/width.js';
import { SEVERITIES, type Finding } from '../core/findings.js';
import type { Lang } from '../core/lang.js';
import { findingToJson, type FindingJson, type OverrideJson, type Period, type Reporter, type ReportModel, type RuleJson } from './model.js';
import { articleTitle, groupByArticle, noticeFindings, remediationOf, ROLE_LABELS, showsWaivers, shownFindings, waivedFindings } from './view.js';
import type { WaiverOutcome } from '../waivers/apply.js';
import { appendAll } from '../core/arrays.js';
import { baselineLines, baselineMark } from './baseline-text.js';
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
    outcome: { pass: '適合', fail: '不適合', not_applicable: '適用外', error: 'エラー', waived: '例外承認' },
    result: (fail: number, err: number, waived: number, failOn: string, code: number) =>
      `結果: 不適合 ${fail} 件、エラー ${err} 件${waived > 0 ? `、例外承認済み ${waived} 件` : ''}（失敗とする重要度: ${failOn} 以上）→ 終了コード ${code}`,
    waived: '例外承認済みの不適合（不合格としない）',
    waiverLine: (id: string, by: string, role: string, on: string, until: string) => `例外承認 ${id}（${on} ${role} ${by} 承認、${until} まで）`,
    waivers: (dir: string) => `例外承認の状況（${dir}）`,
    noWaivers: '例外承認はありません。',
    waiverStatus: { applied: '適用', expiring: '期限間近', stale: '対象なし', expired: '期限切れ', 'not-yet-approved': '承認日前', invalid: '無効' },
    waiverRow: (w: WaiverOutcome, status: string, scope: string) => `${w.id}  ${status}  ${w.rule}${w.assertion ? `/${w.assertion}` : ''}  ${scope}  ${w.matched} 件  期限 ${w.expiresOn}（${w.daysLeft >= 0 ? `残り ${w.daysLeft} 日` : `${-w.daysLeft} 日経過`}）  ${w.location.file}:${w.location.line}`,
    scopeRecords: (ids: string[]) => `対象 ${ids.join(', ')}`,
    scopeRegister: (r: string) => `台帳 ${r} 全体`,
    overrides: 'パラメータの変更とその理由',
    overrideRow: (o: OverrideJson, value: string, dflt: string) => `${o.rule}.${o.param} = ${value}（既定 ${dflt}）  ${o.source === 'config' ? '設定ファイル' : 'コマンドライン（--param）'}`,
    reason: (reason: string, by: string, on?: string) => `理由: ${reason}（決定: ${by}${on ? ` ${on}` : ''}）`,
    noReason: '理由の記録なし（--param で指定）',
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
    outcome: { pass: 'pass', fail: 'fail', not_applicable: 'n/a', error: 'error', waived: 'waived' },
    result: (fail: number, err: number, waived: number, failOn: string, code: number) =>
      `Result: ${fail} failures, ${err} errors${waived > 0 ? `, ${waived} waived` : ''} (failing at severity ${failOn} or above) → exit code ${code}`,
    waived: 'Waived failures (not failing the run)',
    waiverLine: (id: string, by: string, role: string, on: string, until: string) => `waiver ${id} (approved on ${on} by ${by}, ${role}; until ${until})`,
    waivers: (dir: string) => `Waivers (${dir})`,
    noWaivers: 'No waivers.',
    waiverStatus: { applied: 'applied', expiring: 'expiring', stale: 'stale', expired: 'expired', 'not-yet-approved': 'not yet approved', invalid: 'invalid' },
    waiverRow: (w: WaiverOutcome, status: string, scope: string) => `${w.id}  ${status}  ${w.rule}${w.assertion ? `/${w.assertion}` : ''}  ${scope}  ${w.matched} matched  expires ${w.expiresOn} (${w.daysLeft >= 0 ? `${w.daysLeft} days left` : `${-w.daysLeft} days ago`})  ${w.location.file}:${w.location.line}`,
    scopeRecords: (ids: string[]) => `records ${ids.join(', ')}`,
    scopeRegister: (r: string) => `all of register ${r}`,
    overrides: 'Parameter overrides and their reasons',
    overrideRow: (o: OverrideJson, value: string, dflt: string) => `${o.rule}.${o.param} = ${value} (default ${dflt})  ${o.source === 'config' ? 'configuration file' : 'command line (--param)'}`,
    reason: (reason: string, by: string, on?: string) => `reason: ${reason} (decided by ${by}${on ? ` on ${on}` : ''})`,
    noReason: 'no reason recorded (given with --param)',
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
  lines.push(`${t.evidence}: ${model.evidence.dir} (${model.evidence.files.length} ${t.files}, ${model.evidence.records} ${t.records})  ${t.policies}: ${model.policies.files.length + (model.policies.extra ?? []).reduce((n, e) => n + e.files.length, 0)} ${t.files}, ${model.policies.rules} ${t.rules}`);
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
  const notices = noticeFindings(model);
  if (notices.length > 0) appendAll(lines, [`■ ${ctx.lang === 'ja' ? 'お知らせ' : 'Notices'}`, ...notices.map((f) => `  ${f.message[ctx.lang]}`), '']);
  appendAll(lines, waiverLines(model, ctx.lang, rules));
  appendAll(lines, baselineLines(model, ctx.lang, (f) => findingJsonLines(f, ctx.lang)));

  const s = model.summary;
  const cols = showsWaivers(model) ? (['pass', 'fail', 'not_applicable', 'error', 'waived'] as const) : (['pass', 'fail', 'not_applicable', 'error'] as const);
  lines.push(`${t.summary}`);
  // 例外承認 is wider than the other headings: its column is too.
  const row = (label: string, cells: (string | number)[]) => '  ' + padEnd(label, 10) + cells.map((c, i) => padStart(String(c), i === 4 ? 10 : 8)).join('');
  lines.push(row(t.severity, cols.map((c) => t.outcome[c])));
  for (const sev of SEVERITIES) lines.push(row(sev, cols.map((c) => s.bySeverity[sev][c])));
  lines.push(row(t.total, cols.map((c) => s.total[c])));
  lines.push('');
  if (model.rules.length > 0) appendAll(lines, [...appliedLines(model, ctx.lang), '']);
  appendAll(lines, overrideLines(model, ctx.lang));
  if (model.manifest) lines.push(`${t.digest}: ${model.manifest.digest}`);
  lines.push(t.result(s.total.fail, s.total.error, s.total.waived ?? 0, model.failOn, model.exitCode));
  return lines.join('\n') + '\n';
};

/**
 * The waived failures, each with its waiver (who approved it in which role, until when, why), and
 * what became of every waiver read: applied, expiring, stale, expired, not yet approved, invalid.
 */
function waiverLines(model: ReportModel, lang: Lang, rules: Map<string, RuleJson>): string[] {
  const t = L[lang];
  const out: string[] = [];
  const waived = waivedFindings(model);
  if (waived.length > 0) {
    out.push(`■ ${t.waived}`);
    for (const f of waived) appendAll(out, findingJsonLines(f, lang, rules.get(f.ruleId)));
    out.push('');
  }
  if (model.waivers) {
    out.push(`■ ${t.waivers(model.waivers.dir)}`);
    if (model.waivers.list.length === 0) out.push(`  ${t.noWaivers}`);
    for (const w of model.waivers.list) {
      const scope = w.scope.records ? t.scopeRecords(w.scope.records) : t.scopeRegister(w.scope.register ?? '');
      out.push(`  ${t.waiverRow(w, t.waiverStatus[w.status], scope)}`);
    }
    out.push('');
  }
  return out;
}

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

/** The parameters changed from their defaults, each with why and who decided (kitei.config.yaml), or that --param gave it. */
function overrideLines(model: ReportModel, lang: Lang): string[] {
  const t = L[lang];
  if (!model.overrides?.length) return [];
  const out = [`■ ${t.overrides}`];
  for (const o of model.overrides) {
    out.push(`  ${t.overrideRow(o, formatParam(o.value, lang), formatParam(o.default, lang))}`);
    out.push(`      ${o.reason !== undefined ? t.reason(o.reason, o.decidedBy ?? '', o.decidedOn) : t.noReason}`);
  }
  out.push('');
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
  const out = [`  ${where}  ${t.outcome[f.outcome]}${baselineMark(f, lang)}  ${f.severity}  ${f.ruleId}${clause}`, `      ${f.message[lang]}`];
  if (f.waiver) out.push(`      ${t.waiverLine(f.waiver.id, f.waiver.approvedBy, ROLE_LABELS[lang][f.waiver.role] ?? f.waiver.role, f.waiver.approvedOn, f.waiver.expiresOn)}: ${f.waiver.justification}`);
  if (f.outcome === 'fail' && f.params) out.push(`      ${t.params}: ${Object.entries(f.params).map(([k, v]) => `${k}=${formatParam(v, lang)}`).join(', ')}`);
  const fix = remediationOf(f, rule, lang);
  if (fix) out.push(`      ${t.fix}: ${fix.replace(/\r?\n/g, '\n        ')}`);
  return out.filter((l) => !/: $/.test(l));
}

export { displayWidth, padEnd, padStart };
