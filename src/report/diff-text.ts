import type { Lang } from '../core/lang.js';
import type { Cause, Changed, Difference, ReportDiff, RuleVersion } from './diff.js';
import type { FindingJson, Period } from './model.js';
import { formatParam } from './text.js';
import { clausesText, OUTCOME_LABELS, whereText } from './view.js';

const period = (p: Period) => (p.from && p.until ? ` (${p.from} to ${p.until})` : p.from ? ` (from ${p.from})` : p.until ? ` (until ${p.until})` : '');

/** `kitei diff` as text: the two reports, what differs between their inputs, then the new, resolved and changed findings with their causes. */
const L = {
  ja: {
    title: 'kitei 差分',
    side: (name: string, file: string, asOf: string, digest: string | null) => `${name}: ${file}（基準日 ${asOf}、${digest ?? 'マニフェストなし'}）`,
    inputs: '入力の違い',
    noInputs: '  （マニフェスト・ルールの一覧に違いはありません）',
    noManifest: '  どちらかのレポートにマニフェストがないため、ファイルの違いは分かりません',
    asOf: (a: string, b: string) => `基準日: ${a} → ${b}`,
    kitei: (a: string, b: string) => `kitei の版: ${a} → ${b}`,
    kind: { evidence: '証跡', policy: 'ポリシー', catalog: '条項カタログ', schema: 'スキーマ', setting: '設定' },
    change: { added: '追加', removed: '削除', changed: '変更' },
    rule: (id: string, a: string, b: string) => `ルール ${id}: ${a} → ${b}`,
    param: (id: string, name: string, a: string, b: string) => `パラメータ ${id}.${name}: ${a} → ${b}`,
    version: (v: RuleVersion | null) => (v ? `第${v.version}版（${v.effective.from ?? ''}〜${v.effective.until ?? ''}）` : '適用なし'),
    counts: (c: ReportDiff['counts']) => `新規 ${c.new} 件、解消 ${c.resolved} 件、変更 ${c.changed} 件、変わらず ${c.unchanged} 件`,
    new: '■ 新規（B にあり、A にないもの）',
    resolved: '■ 解消（A にあり、B にないもの）',
    changed: '■ 変更（同じ所見で、結果・重要度・メッセージ・パラメータが異なるもの）',
    differs: '違い',
    difference: { outcome: '結果', severity: '重要度', message: 'メッセージ', params: 'パラメータ' } as Record<Difference, string>,
    causes: '原因',
    unknown: '2 つのレポートからは分かりません',
    sep: '、',
    cause: {
      evidence: (n: number, own: boolean | null, file?: string) =>
        `証跡の変更（${n} ファイル${own === true ? `。この所見のファイル ${file} を含む` : own === false ? `。この所見のファイル ${file} は変わっていない` : ''}）`,
      ruleVersion: (a: string, b: string) => `ルールの版の変更（${a} → ${b}）`,
      params: (names: string[]) => `パラメータの変更（${names.join('、')}）`,
      policy: (file: string) => `ポリシー ${file} の変更`,
      asOf: (a: string, b: string) => `基準日の移動（${a} → ${b}）`,
      kitei: (a: string, b: string) => `kitei の版の変更（${a} → ${b}）`,
    },
    result: (n: number, code: number) => `結果: B の新たな不適合 ${n} 件 → 終了コード ${code}`,
  },
  en: {
    title: 'kitei diff',
    side: (name: string, file: string, asOf: string, digest: string | null) => `${name}: ${file} (as of ${asOf}, ${digest ?? 'no manifest'})`,
    inputs: 'What differs between the inputs',
    noInputs: '  (the manifests and rule lists do not differ)',
    noManifest: '  One of the reports has no manifest: file changes are not known',
    asOf: (a: string, b: string) => `as-of date: ${a} → ${b}`,
    kitei: (a: string, b: string) => `kitei's version: ${a} → ${b}`,
    kind: { evidence: 'evidence', policy: 'policy', catalog: 'clause catalog', schema: 'schema', setting: 'setting' },
    change: { added: 'added', removed: 'removed', changed: 'changed' },
    rule: (id: string, a: string, b: string) => `rule ${id}: ${a} → ${b}`,
    param: (id: string, name: string, a: string, b: string) => `parameter ${id}.${name}: ${a} → ${b}`,
    version: (v: RuleVersion | null) => (v ? `version ${v.version}${period(v.effective)}` : 'not applied'),
    counts: (c: ReportDiff['counts']) => `${c.new} new, ${c.resolved} resolved, ${c.changed} changed, ${c.unchanged} unchanged`,
    new: '■ New (in B, not in A)',
    resolved: '■ Resolved (in A, not in B)',
    changed: '■ Changed (the same finding with another outcome, severity, message or parameters)',
    differs: 'differs',
    difference: { outcome: 'outcome', severity: 'severity', message: 'message', params: 'parameters' } as Record<Difference, string>,
    causes: 'causes',
    unknown: 'not shown by the two reports',
    sep: '; ',
    cause: {
      evidence: (n: number, own: boolean | null, file?: string) =>
        `evidence changed (${n} ${n === 1 ? 'file' : 'files'}${own === true ? `, this finding's file ${file} among them` : own === false ? `; this finding's file ${file} is unchanged` : ''})`,
      ruleVersion: (a: string, b: string) => `rule version changed (${a} → ${b})`,
      params: (names: string[]) => `parameters changed (${names.join(', ')})`,
      policy: (file: string) => `policy ${file} changed`,
      asOf: (a: string, b: string) => `as-of date moved (${a} → ${b})`,
      kitei: (a: string, b: string) => `kitei's version changed (${a} → ${b})`,
    },
    result: (n: number, code: number) => `Result: ${n} failures in B that A did not have → exit code ${code}`,
  },
} as const;

export function diffText(d: ReportDiff, lang: Lang): string {
  const t = L[lang];
  const lines = [t.title, `  ${t.side('A', d.a.file, d.a.asOf, d.a.digest)}`, `  ${t.side('B', d.b.file, d.b.asOf, d.b.digest)}`, '', t.inputs];
  const inputs: string[] = [];
  if (d.a.asOf !== d.b.asOf) inputs.push(t.asOf(d.a.asOf, d.b.asOf));
  if (d.a.kitei !== d.b.kitei) inputs.push(t.kitei(d.a.kitei, d.b.kitei));
  for (const c of d.inputs.files) inputs.push(`${t.kind[c.kind]} ${c.name}: ${t.change[c.change]}`);
  for (const r of d.inputs.rules) {
    if (r.a?.version !== r.b?.version || r.a?.effective.from !== r.b?.effective.from || r.a?.effective.until !== r.b?.effective.until) inputs.push(t.rule(r.id, t.version(r.a), t.version(r.b)));
    for (const p of r.params) inputs.push(t.param(r.id, p.name, formatParam(p.a, lang), formatParam(p.b, lang)));
  }
  for (const l of inputs) lines.push(`  ${l}`);
  if (inputs.length === 0) lines.push(t.noInputs);
  if (!d.inputs.manifests) lines.push(t.noManifest);
  lines.push('', t.counts(d.counts), '');
  const section = (title: string, body: string[]) => {
    if (body.length > 0) lines.push(title, ...body, '');
  };
  section(t.new, d.new.flatMap((x) => [...findingHead(x.finding, lang), causeLine(x.causes, lang)]));
  section(t.resolved, d.resolved.flatMap((x) => [...findingHead(x.finding, lang), causeLine(x.causes, lang)]));
  section(t.changed, d.changed.flatMap((c) => changedLines(c, lang)));
  lines.push(t.result(d.counts.newFailures, d.exitCode));
  return lines.join('\n') + '\n';
}

function findingHead(f: FindingJson, lang: Lang): string[] {
  const clause = f.clauses.length ? `  ${clausesText(f.clauses, lang)}` : '';
  return [`  ${whereText(f)}  ${OUTCOME_LABELS[lang][f.outcome] ?? f.outcome}  ${f.severity}  ${f.ruleId}${clause}`, `      ${f.message[lang]}`];
}

function changedLines(c: Changed, lang: Lang): string[] {
  const t = L[lang];
  const clause = c.b.clauses.length ? `  ${clausesText(c.b.clauses, lang)}` : '';
  const state = (f: FindingJson) => `${OUTCOME_LABELS[lang][f.outcome] ?? f.outcome}  ${f.severity}  ${f.message[lang]}`;
  const params = (f: FindingJson) => Object.entries(f.params ?? {}).map(([k, v]) => `${k}=${formatParam(v, lang)}`).join(', ');
  const out = [`  ${whereText(c.b)}  ${c.b.ruleId}${clause}`, `      A: ${state(c.a)}`, `      B: ${state(c.b)}`];
  if (c.differs.includes('params')) out.push(`      A: ${params(c.a)}`, `      B: ${params(c.b)}`);
  out.push(`      ${t.differs}: ${c.differs.map((x) => t.difference[x]).join(t.sep)}`, causeLine(c.causes, lang));
  return out;
}

function causeLine(causes: readonly Cause[], lang: Lang): string {
  const t = L[lang];
  const text = causes.map((c) => {
    switch (c.kind) {
      case 'evidence':
        return t.cause.evidence(c.files.length, c.ownFile, c.file);
      case 'rule-version':
        return t.cause.ruleVersion(t.version(c.a), t.version(c.b));
      case 'params':
        return t.cause.params(c.names);
      case 'policy':
        return t.cause.policy(c.file);
      case 'as-of':
        return t.cause.asOf(c.a, c.b);
      case 'kitei':
        return t.cause.kitei(c.a, c.b);
    }
  });
  return `      ${t.causes}: ${text.length ? text.join(t.sep) : t.unknown}`;
}

/** `kitei diff --format json`: the comparison as it is (docs/json-format.md, "Comparing two reports"). */
export function diffJson(d: ReportDiff): string {
  return JSON.stringify(d, null, 2) + '\n';
}
