import { clauseEn, clauseJa } from '../core/clause.js';
import type { Lang } from '../core/lang.js';
import type { Explanation } from '../explain.js';
import { findingToJson } from './json.js';
import { formatParam } from './text.js';

const L = {
  ja: {
    clauses: '条項（規程の文言）',
    quote: 'ルールが引用する文言',
    version: (v: number, from?: string, until?: string) => `第${v}版  施行期間 ${from ?? '—'}〜${until ?? ''}`,
    register: (r: string, scope: string) => `対象台帳: ${r === '*' ? 'すべての台帳ファイル' : r}（${scope === 'register' ? '台帳ファイルごと' : 'レコードごと'}）`,
    severity: '重要度',
    when: '適用条件（CEL）',
    assertions: '検査（CEL、真なら適合）',
    forEach: '各要素について',
    at: '指す位置',
    failMessage: '不適合のとき',
    params: 'パラメータ',
    source: '出典',
    rationale: '既定値の理由',
    due: '期限（kitei due）',
    remediation: '是正',
    cases: (v: number, i: number, n: number, files: string) => `テストケース: 適合例 ${v}・不適合例 ${i}・適用外 ${n}（${files}）`,
    noCatalog: '（条項カタログがないため、規程の文言は示せません）',
  },
  en: {
    clauses: 'Clauses (the regulation\'s words)',
    quote: 'Quoted by the rule',
    version: (v: number, from?: string, until?: string) => `Version ${v}  in force ${from ?? '—'} to ${until ?? ''}`,
    register: (r: string, scope: string) => `Register: ${r === '*' ? 'every register file' : r} (${scope === 'register' ? 'per register file' : 'per record'})`,
    severity: 'Severity',
    when: 'Applies when (CEL)',
    assertions: 'Assertions (CEL; true means compliant)',
    forEach: 'for each element of',
    at: 'points at',
    failMessage: 'on failure',
    params: 'Parameters',
    source: 'source',
    rationale: 'why this default',
    due: 'Deadlines (kitei due)',
    remediation: 'Remediation',
    cases: (v: number, i: number, n: number, files: string) => `Test cases: valid ${v}, invalid ${i}, not applicable ${n} (${files})`,
    noCatalog: '(no clause catalog: the regulation\'s words cannot be shown)',
  },
} as const;

/** A rule explained for an auditor or a maintainer: clause text, logic, parameters and their sources, period, remediation. */
export function explainText(x: Explanation, lang: Lang): string {
  const t = L[lang];
  const clause = lang === 'ja' ? clauseJa : clauseEn;
  const latest = x.versions[x.versions.length - 1]!.rule;
  const out: string[] = [`${x.ruleId} — ${latest.title[lang]}`, ''];
  out.push(`${t.clauses}:`);
  if (x.clauses.length === 0) out.push(`  ${t.noCatalog}`);
  for (const e of x.clauses) out.push(`  ${clause(e.clause)}  ${lang === 'ja' ? e.text : e.summary}`);
  x.versions.forEach((loaded, i) => {
    const r = loaded.rule;
    const period = loaded.inForce ?? r.effective ?? {};
    out.push('', `■ ${t.version(r.version ?? 1, period.from, period.until)}`);
    out.push(`  ${t.quote}: ${r.quote}`);
    out.push(`  ${t.register(r.register, r.scope ?? 'record')}  ${t.severity}: ${r.severity}`);
    if (r.when) out.push(`  ${t.when}: ${r.when}`);
    const wasm = x.wasm?.[i];
    if (wasm) {
      // A Rego rule compiled to Wasm: its manifest, bundle and entrypoint, and its sources when the bundle has them.
      out.push(`  Wasm (OPA ABI ${wasm.abi}): ${wasm.bundle}  entrypoint: ${String(wasm.entrypoint)}  manifest: ${wasm.manifest}`);
      out.push(`  input.registers: ${wasm.reads.join(', ')}  personal: ${wasm.personal}`);
      out.push(`  ${t.failMessage}: ${r.message[lang]}`);
      for (const src of wasm.rego) out.push(`  --- ${src.path}`, ...src.text.trimEnd().split('\n').map((l) => `  | ${l}`));
    } else out.push(`  ${t.assertions}:`);
    for (const a of r.assertions) {
      out.push(`    ${a.id}: ${a.expr}`);
      if (a.forEach) out.push(`      ${t.forEach}: ${a.forEach}`);
      if (a.at) out.push(`      ${t.at}: ${a.at}`);
      out.push(`      ${t.failMessage}: ${(a.message ?? r.message)[lang]}`);
    }
    const params = Object.entries(r.parameters ?? {});
    if (params.length > 0) {
      out.push(`  ${t.params}:`);
      for (const [name, p] of params) {
        out.push(`    ${name} = ${formatParam(p.default, lang)}${p.unit ? ` ${p.unit}` : ''} (${p.type}) — ${p.description[lang]}`);
        out.push(`      ${t.source}: ${p.source.clause ? `${clause(p.source.clause)} ` : ''}「${p.source.quote}」`);
        if (p.source.rationale) out.push(`      ${t.rationale}: ${p.source.rationale[lang]}`);
      }
    }
    if (r.due?.length) {
      out.push(`  ${t.due}:`);
      for (const d of r.due) out.push(`    ${d.id}: ${d.date} — ${d.label[lang]}`);
    }
    out.push(`  ${t.remediation}: ${r.remediation[lang]}`);
  });
  out.push('', t.cases(x.cases.valid, x.cases.invalid, x.cases.notApplicable, x.cases.files.join(', ') || '—'));
  return out.join('\n') + '\n';
}

export function explainJson(x: Explanation): string {
  return (
    JSON.stringify(
      {
        formatVersion: 1,
        ruleId: x.ruleId,
        clauses: x.clauses.map((e) => ({ ...e.clause, ja: clauseJa(e.clause), en: clauseEn(e.clause), text: e.text, summary: e.summary })),
        versions: x.versions.map(({ rule, source, inForce }, i) => ({ ...rule, version: rule.version ?? 1, inForce: inForce ?? rule.effective ?? {}, file: source.path, ...(x.wasm?.[i] ? { wasm: x.wasm[i] } : {}) })),
        cases: x.cases,
        problems: x.problems.map(findingToJson),
      },
      null,
      2,
    ) + '\n'
  );
}
