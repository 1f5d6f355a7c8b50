import type { Lang } from '../core/lang.js';
import { findingLines, padEnd } from '../report/text.js';
import type { RuleTestReport } from './run.js';

/** The exit code of `kitei test`: 2 unreadable cases or policies, 1 a failing case or a rule lacking cases, else 0. */
export function testExitCode(report: RuleTestReport): number {
  if (report.problems.length > 0) return 2;
  return report.results.some((r) => !r.ok) || report.lacking.length > 0 || report.unknownRules.length > 0 ? 1 : 0;
}

const L = {
  ja: {
    title: 'kitei test — ルールのテストケース',
    counts: (v: number, i: number, n: number) => `適合例 ${v}・不適合例 ${i}・適用外 ${n}`,
    lacking: 'ケースが足りないルール（適合例と不適合例の両方が必要）:',
    noValid: '適合例がありません',
    noInvalid: '不適合例がありません',
    unknown: 'ポリシーにないルールのケース:',
    problems: 'テストケース・ポリシーの読み込みの問題:',
    kind: { valid: '適合例', invalid: '不適合例', notApplicable: '適用外の例' },
    result: (cases: number, failed: number, lacking: number, code: number) => `結果: ${cases} ケース中 ${cases - failed} 成功・${failed} 失敗、ケース不足 ${lacking} ルール → 終了コード ${code}`,
  },
  en: {
    title: 'kitei test — rule test cases',
    counts: (v: number, i: number, n: number) => `valid ${v} · invalid ${i} · not applicable ${n}`,
    lacking: 'Rules lacking cases (each needs a valid and an invalid one):',
    noValid: 'no valid case',
    noInvalid: 'no invalid case',
    unknown: 'Cases for rules no policy defines:',
    problems: 'Problems reading test cases or policies:',
    kind: { valid: 'valid', invalid: 'invalid', notApplicable: 'not applicable' },
    result: (cases: number, failed: number, lacking: number, code: number) => `Result: ${cases - failed} of ${cases} cases passed, ${failed} failed; ${lacking} rules lack cases → exit code ${code}`,
  },
} as const;

export function formatTestReport(report: RuleTestReport, lang: Lang, code: number): string {
  const { problems } = report;
  const t = L[lang];
  const lines: string[] = [t.title, ''];
  const width = Math.max(0, ...report.rules.map((r) => r.ruleId.length)) + 2;
  for (const r of report.rules) {
    lines.push(`  ${r.failed > 0 ? '✗' : '✓'} ${padEnd(r.ruleId, width)} ${t.counts(r.counts.valid, r.counts.invalid, r.counts.notApplicable)}`);
    for (const res of report.results.filter((x) => x.case.ruleId === r.ruleId && !x.ok)) {
      lines.push(`      ✗ ${t.kind[res.case.kind]}「${res.case.name}」 ${res.case.file}:${res.case.line}`);
      for (const p of res.problems) lines.push(`          ${p[lang]}`);
    }
  }
  if (report.lacking.length > 0) {
    lines.push('', t.lacking);
    for (const l of report.lacking) lines.push(`  ${l.ruleId}: ${[!l.valid ? t.noValid : '', !l.invalid ? t.noInvalid : ''].filter(Boolean).join(lang === 'ja' ? '、' : ', ')}`);
  }
  if (report.unknownRules.length > 0) lines.push('', t.unknown, ...report.unknownRules.map((id) => `  ${id}`));
  if (problems.length > 0) lines.push('', t.problems, ...problems.flatMap((f) => findingLines(f, lang)));
  const failed = report.results.filter((r) => !r.ok).length;
  lines.push('', t.result(report.results.length, failed, report.lacking.length, code));
  return lines.join('\n') + '\n';
}
