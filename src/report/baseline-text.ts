import { appendAll } from '../core/arrays.js';
import type { Lang } from '../core/lang.js';
import type { FindingJson, ReportModel } from './model.js';

/**
 * How the text report shows a comparison with a baseline (`check --baseline`): a mark on each
 * new finding, the counts, and the findings resolved since the baseline in a section of their own.
 */
const L = {
  ja: {
    mark: '（新規）',
    title: (file: string, asOf: string, digest: string | null) => `前回との比較（ベースライン ${file}、基準日 ${asOf}、${digest ?? 'マニフェストなし'}）`,
    counts: (c: { new: number; unchanged: number; resolved: number }) => `新規 ${c.new} 件、変わらず ${c.unchanged} 件、解消 ${c.resolved} 件`,
    failOnNew: '終了コードは新規の不適合だけで決めます（--fail-on-new。エラーは引き続き終了コード 2）',
    resolved: '■ 解消した所見（ベースラインにあり、今回はないもの）',
  },
  en: {
    mark: ' (new)',
    title: (file: string, asOf: string, digest: string | null) => `Compared with the baseline ${file} (as of ${asOf}, ${digest ?? 'no manifest'})`,
    counts: (c: { new: number; unchanged: number; resolved: number }) => `${c.new} new, ${c.unchanged} unchanged, ${c.resolved} resolved`,
    failOnNew: 'The exit code counts only new failures (--fail-on-new; errors still exit 2)',
    resolved: '■ Resolved (in the baseline, not in this run)',
  },
} as const;

/** The mark after a finding's outcome: 不適合（新規） / fail (new). */
export function baselineMark(f: FindingJson, lang: Lang): string {
  return f.baseline === 'new' ? L[lang].mark : '';
}

/** The comparison's lines (none without a baseline), each resolved finding drawn by `findingLines`. */
export function baselineLines(model: ReportModel, lang: Lang, findingLines: (f: FindingJson) => string[]): string[] {
  const b = model.baseline;
  if (!b) return [];
  const t = L[lang];
  const out = [t.title(b.file, b.asOf, b.digest), `  ${t.counts(b.counts)}`];
  if (b.failOnNew) out.push(`  ${t.failOnNew}`);
  out.push('');
  if (b.resolved.length > 0) {
    out.push(t.resolved);
    for (const f of b.resolved) appendAll(out, findingLines(f));
    out.push('');
  }
  return out;
}

/** The comparison in one line, for summaries (Markdown): 前回との比較（基準日 … のベースライン）: 新規 1 件、… */
export function baselineCounts(model: ReportModel, lang: Lang): string | undefined {
  const b = model.baseline;
  if (!b) return undefined;
  const head = lang === 'ja' ? `前回との比較（基準日 ${b.asOf} のベースライン）` : `Compared with the baseline (as of ${b.asOf})`;
  return `${head}: ${L[lang].counts(b.counts)}${b.failOnNew ? (lang === 'ja' ? '（終了コードは新規の不適合だけで決める）' : ' (the exit code counts only new failures)') : ''}`;
}
