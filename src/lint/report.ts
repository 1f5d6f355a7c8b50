import type { Lang } from '../core/lang.js';
import { findingToJson, JSON_FORMAT_VERSION } from '../report/json.js';
import { findingLines } from '../report/text.js';
import { VERSION } from '../cli/version.js';
import type { LintResult } from './lint.js';

/** 2 policies or schemas that cannot be loaded, 1 any lint finding, else 0. */
export function lintExitCode(result: Pick<LintResult, 'findings' | 'problems'>): number {
  if (result.problems.length > 0) return 2;
  return result.findings.length > 0 ? 1 : 0;
}

const L = {
  ja: {
    problems: 'ポリシー・スキーマの読み込みの問題:',
    noRegulation: '規程の本文が見つからないため、引用は照合していません（--regulation で指定できます）。',
    tally: (dir: string, files: number, rules: number, n: number, code: number) => `${dir}: ${files} ファイル、${rules} ルール、指摘 ${n} 件 → 終了コード ${code}`,
  },
  en: {
    problems: 'Problems loading the policies or schemas:',
    noRegulation: 'The regulation text was not found, so quotes were not checked (see --regulation).',
    tally: (dir: string, files: number, rules: number, n: number, code: number) => `${dir}: ${files} files, ${rules} rules, ${n} findings → exit code ${code}`,
  },
} as const;

export function formatLint(result: LintResult, lang: Lang, code: number): string {
  const t = L[lang];
  const lines = result.findings.flatMap((f) => findingLines(f, lang));
  if (result.problems.length > 0) lines.push('', t.problems, ...result.problems.flatMap((f) => findingLines(f, lang)));
  if (!result.regulation) lines.push(t.noRegulation);
  lines.push(t.tally(result.policies.dir, result.policies.files.length, result.policies.rules, result.findings.length, code));
  return lines.join('\n') + '\n';
}

export function lintJson(result: LintResult, code: number): string {
  return (
    JSON.stringify(
      {
        formatVersion: JSON_FORMAT_VERSION,
        tool: { name: 'kitei', version: VERSION },
        policies: result.policies,
        quotesChecked: result.regulation !== undefined,
        exitCode: code,
        findings: result.findings.map(findingToJson),
        problems: result.problems.map(findingToJson),
      },
      null,
      2,
    ) + '\n'
  );
}
