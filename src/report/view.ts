import { ARTICLE_HEADINGS } from '../core/articles.js';
import type { Severity } from '../core/findings.js';
import type { Lang, Localized } from '../core/lang.js';
import type { FindingJson, ReportModel, RuleJson } from './model.js';

/**
 * What several reporters share, computed from the model in one place (the way Spectral's
 * formatters share groupBySource and getSummary): which findings are listed, their grouping by
 * article, the remediation of a finding, the levels of severity in CI terms.
 */

/** The findings reports list one by one: failures and errors (passes and n/a are counted). */
export function shownFindings(model: ReportModel): FindingJson[] {
  return model.findings.filter((f) => f.outcome === 'fail' || f.outcome === 'error');
}

/**
 * kitei's own notices: input findings that fail nothing but must be seen, such as the registers a
 * new evidence repository has not filled in yet (`evidence/templates`).
 */
export function noticeFindings(model: ReportModel): FindingJson[] {
  return model.findings.filter((f) => f.outcome === 'not_applicable' && f.ruleId.startsWith('kitei/'));
}

export interface ArticleGroup {
  /** Another set of rules (an organisation's 内規) the article belongs to; absent for the regulation's own. */
  regulation?: string;
  article: number;
  heading: Localized | undefined;
  findings: FindingJson[];
}

/**
 * Findings grouped by the article of their primary clause, articles in order; problems reading
 * the inputs (no clause) apart. Within a group the findings keep the model's order.
 */
export function groupByArticle(findings: readonly FindingJson[]): { inputs: FindingJson[]; articles: ArticleGroup[] } {
  const inputs: FindingJson[] = [];
  const byArticle = new Map<string, { regulation?: string; article: number; findings: FindingJson[] }>();
  for (const f of findings) {
    const first = f.clauses[0];
    if (!first) {
      inputs.push(f);
      continue;
    }
    const key = `${first.regulation ?? ''}\0${first.article}`;
    const group = byArticle.get(key);
    if (group) group.findings.push(f);
    else byArticle.set(key, { ...(first.regulation !== undefined ? { regulation: first.regulation } : {}), article: first.article, findings: [f] });
  }
  // The regulation's articles first, in order; then each organisation's own rules.
  const articles = [...byArticle.values()]
    .sort((a, b) => (a.regulation ?? '').localeCompare(b.regulation ?? '') || a.article - b.article)
    .map((g) => ({ ...g, heading: g.regulation === undefined ? ARTICLE_HEADINGS[g.article] : undefined }));
  return { inputs, articles };
}

/** An article's heading as reports print it: 第16条（PC 端末の安全管理） / Art. 16 (Security of PC terminals). */
export function articleTitle(group: Pick<ArticleGroup, 'article' | 'heading'> & { regulation?: string }, lang: Lang): string {
  if (group.regulation !== undefined) return lang === 'ja' ? `${group.regulation}第${group.article}条` : `${group.regulation} Art. ${group.article}`;
  return lang === 'ja' ? `第${group.article}条（${group.heading?.ja ?? ''}）` : `Art. ${group.article} (${group.heading?.en ?? ''})`;
}

/** What to do about a failure: its rule's remediation (problems reading the inputs say it in their message). */
export function remediationOf(f: FindingJson, rule: RuleJson | undefined, lang: Lang): string | undefined {
  if (f.outcome !== 'fail' || !rule) return undefined;
  return rule.remediation[lang] || undefined;
}

/** The clauses of a finding or rule in one language, the primary first. */
export function clausesText(clauses: readonly Localized[], lang: Lang): string {
  return clauses.map((c) => c[lang]).join(lang === 'ja' ? '・' : ', ');
}

/** Where a finding is, as file:line:column ('-' for a finding about no file). */
export function whereText(f: FindingJson): string {
  return f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '-';
}

/** Rules by id, for reporters that show a rule's metadata next to its findings. */
export function rulesById(model: ReportModel): Map<string, RuleJson> {
  return new Map(model.rules.map((r) => [r.id, r]));
}

/** Severity in CI terms (SARIF level, GitHub command): critical and high stop a merge, medium warns, low notes. */
export type CiLevel = 'error' | 'warning' | 'note';
export function ciLevel(severity: Severity): CiLevel {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';
}

export const OUTCOME_LABELS: Record<Lang, Record<FindingJson['outcome'], string>> = {
  ja: { pass: '適合', fail: '不適合', not_applicable: '適用外', error: 'エラー', waived: '例外承認' },
  en: { pass: 'pass', fail: 'fail', not_applicable: 'n/a', error: 'error', waived: 'waived' },
};

export { ROLE_LABELS } from '../core/roles.js';

/** The findings a waiver accepts, listed in their own section of each report. */
export function waivedFindings(model: ReportModel): FindingJson[] {
  return model.findings.filter((f) => f.outcome === 'waived');
}

/** Whether a report shows waiver counts: a waiver folder was read, or something is waived. */
export function showsWaivers(model: ReportModel): boolean {
  return model.waivers !== undefined || model.summary.total.waived > 0;
}
