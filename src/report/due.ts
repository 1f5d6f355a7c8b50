import { clauseEn, clauseJa } from '../core/clause.js';
import type { Lang } from '../core/lang.js';
import type { DueResult } from '../due.js';
import { findingToJson } from './json.js';
import { findingLines, padEnd, displayWidth } from './text.js';

export interface DueContext {
  lang: Lang;
  within: string;
  exitCode: number;
}

const L = {
  ja: {
    title: (asOf: string, until: string, within: string) => `kitei due — 基準日 ${asOf} から ${within}（${until} まで）の期限`,
    overdue: '期限超過',
    none: '期間内の期限はありません。',
    count: (n: number) => `${n} 件`,
    problems: '証跡・ポリシーの読み込みの問題（読めなかったものは一覧にありません）:',
  },
  en: {
    title: (asOf: string, until: string, within: string) => `kitei due — obligations within ${within} of ${asOf} (until ${until})`,
    overdue: 'OVERDUE',
    none: 'Nothing falls due in the window.',
    count: (n: number) => `${n} obligations`,
    problems: 'Problems reading evidence or policies (what could not be read is not listed):',
  },
} as const;

/** Upcoming obligations, one line each in date order: date, clause, what, where it comes from. */
export function dueText(result: DueResult, ctx: DueContext): string {
  const t = L[ctx.lang];
  const lines = [t.title(result.asOf, result.until, ctx.within), ''];
  const clause = ctx.lang === 'ja' ? clauseJa : clauseEn;
  const clauses = result.items.map((d) => d.clauses.slice(0, 1).map(clause).join(''));
  const cw = Math.max(0, ...clauses.map(displayWidth)) + 2;
  result.items.forEach((d, i) => {
    const late = d.date < result.asOf ? ` ${t.overdue}` : '';
    lines.push(`  ${d.date}${late}  ${padEnd(clauses[i]!, cw)}${d.label[ctx.lang]}`);
    lines.push(`  ${' '.repeat(10)}  ${' '.repeat(cw)}${d.ruleId}/${d.dueId}${d.recordId ? ` ${d.recordId}` : ''}  ${d.location ? `${d.location.file}:${d.location.line}:${d.location.column}` : ''}`);
  });
  if (result.items.length === 0) lines.push(t.none);
  if (result.problems.length > 0) lines.push('', t.problems, ...result.problems.flatMap((f) => findingLines(f, ctx.lang)));
  lines.push('', t.count(result.items.length));
  return lines.join('\n') + '\n';
}

export function dueJson(result: DueResult, ctx: DueContext): string {
  return (
    JSON.stringify(
      {
        formatVersion: 1,
        asOf: result.asOf,
        until: result.until,
        exitCode: ctx.exitCode,
        evidence: result.evidence,
        items: result.items.map((d) => ({
          date: d.date,
          overdue: d.date < result.asOf,
          ruleId: d.ruleId,
          dueId: d.dueId,
          clauses: d.clauses.map((c) => ({ ...c, ja: clauseJa(c), en: clauseEn(c) })),
          label: d.label,
          ...(d.recordId ? { recordId: d.recordId } : {}),
          location: d.location ?? null,
        })),
        problems: result.problems.map(findingToJson),
      },
      null,
      2,
    ) + '\n'
  );
}
