import type { Lang } from '../core/lang.js';
import { findingLines, padEnd } from '../report/text.js';
import type { MutantResult, MutationKind, MutationReport } from './mutate.js';

/**
 * The exit code of `kitei test --mutate`: 2 unreadable cases or policies, else 0. Surviving
 * mutants are reported, not failed on (yet): the score is a measure the maintainers watch.
 */
export function mutateExitCode(report: MutationReport): number {
  return report.problems.length > 0 ? 2 : 0;
}

const percent = (s: number) => `${(s * 100).toFixed(1)}%`;

const KIND: Record<Lang, Record<MutationKind, string>> = {
  ja: {
    'flip-comparison': '比較の反転',
    boundary: '境界の変更',
    'flip-logic': '&& と || の入替え',
    'negate-has': 'has() の否定',
    'remove-not': '! の削除',
    'param-plus-one': 'パラメータを既定値+1に',
    'param-minus-one': 'パラメータを既定値−1に',
    'drop-when': 'when の削除（true に）',
  },
  en: {
    'flip-comparison': 'comparison flipped',
    boundary: 'boundary moved',
    'flip-logic': '&& and || swapped',
    'negate-has': 'has() negated',
    'remove-not': '! removed',
    'param-plus-one': 'parameter set to its default + 1',
    'param-minus-one': 'parameter set to its default − 1',
    'drop-when': 'when dropped (true)',
  },
};

const L = {
  ja: {
    title: 'kitei test --mutate — ルールの変異テスト',
    header: (w: number) => `  ${padEnd('ルール', w)} スコア   殺した/変異体（型エラーで除外）  ケース`,
    survivors: '生き残った変異体（どのケースも判定が変わらない変更）:',
    failing: (n: number) => `（失敗する ${n} ケースは除外）`,
    problems: 'テストケース・ポリシーの読み込みの問題:',
    result: (r: MutationReport, code: number) =>
      `結果: 変異体 ${r.total.mutants}（型エラーで除外 ${r.total.notCompiled}）中 ${r.total.killed} を検出、${r.total.survived} が生存 → スコア ${percent(r.total.score)}、${(r.elapsedMs / 1000).toFixed(1)} 秒 → 終了コード ${code}`,
  },
  en: {
    title: 'kitei test --mutate — mutation testing of the rules',
    header: (w: number) => `  ${padEnd('rule', w)} score    killed/mutants (not type-checked)  cases`,
    survivors: 'Surviving mutants (changes no case notices):',
    failing: (n: number) => `(${n} failing cases left out)`,
    problems: 'Problems reading test cases or policies:',
    result: (r: MutationReport, code: number) =>
      `Result: ${r.total.killed} of ${r.total.mutants - r.total.notCompiled} mutants killed (${r.total.notCompiled} did not type-check), ${r.total.survived} survived → score ${percent(r.total.score)}, ${(r.elapsedMs / 1000).toFixed(1)} s → exit code ${code}`,
  },
} as const;

/** One surviving mutant: where, what was changed, and the expression before and after. */
export function survivorLines(m: MutantResult, lang: Lang): string[] {
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  const what = m.mutation.kind === 'drop-when' ? '' : ` ${flat(m.mutation.original)} → ${m.mutation.replacement || (lang === 'ja' ? '（削除）' : '(removed)')}`;
  return [
    `  ${m.location.file}:${m.location.line}:${m.location.column}  ${m.ruleId}${m.version > 1 ? `@${m.version}` : ''} ${m.target}: ${KIND[lang][m.mutation.kind]}${what}`,
    `      - ${flat(m.expression)}`,
    `      + ${flat(m.mutant)}`,
  ];
}

export function formatMutationReport(report: MutationReport, lang: Lang, code: number): string {
  const t = L[lang];
  const width = Math.max(6, ...report.rules.map((r) => r.ruleId.length)) + 2;
  const lines: string[] = [t.title, '', t.header(width)];
  for (const r of report.rules) {
    const mark = r.survived > 0 ? '✗' : '✓';
    const counts = `${r.killed}/${r.mutants - r.notCompiled}${r.notCompiled > 0 ? ` (${r.notCompiled})` : ''}`;
    lines.push(`${mark} ${padEnd(r.ruleId, width)} ${padEnd(percent(r.score), 8)} ${padEnd(counts, 33)} ${r.cases}${r.failingCases > 0 ? ` ${t.failing(r.failingCases)}` : ''}`);
  }
  if (report.survivors.length > 0) lines.push('', t.survivors, ...report.survivors.flatMap((m) => survivorLines(m, lang)));
  if (report.problems.length > 0) lines.push('', t.problems, ...report.problems.flatMap((f) => findingLines(f, lang)));
  lines.push('', t.result(report, code));
  return lines.join('\n') + '\n';
}

/** `--format json`: the report as it is (positions 1-based, score 0–1). */
export function formatMutationJson(report: MutationReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
