import { rulesByClause } from '../../catalog/coverage.js';
import type { ClauseStatus } from '../../catalog/model.js';
import type { Clause } from '../../core/clause.js';
import { ARTICLE_HEADINGS } from '../../core/articles.js';
import { noOutcomes, OUTCOMES, SEVERITIES, type Severity } from '../../core/findings.js';
import type { Lang, Localized } from '../../core/lang.js';
import type { CatalogClauseJson, FindingJson, ReportModel, RuleJson } from '../model.js';
import type { Counts } from '../summary.js';
import { groupByArticle, rulesById, shownFindings, type ArticleGroup } from '../view.js';

/**
 * What the HTML report shows, computed once from the model: the clause table's rows with their
 * counts and marks, the clause map's cells (the same rows, by article), the failures by article
 * and the bars drawn from them, the errors. The page and its pictures only render this, so the
 * pictures and the tables cannot disagree.
 */

/**
 * How a clause stands in this run, as its cell in the clause map and its row in the clause table
 * show it.
 */
export type ClauseMark = 'pass' | 'fail' | 'waived' | 'error' | 'not_applicable' | 'organizational' | 'informational';
export const CLAUSE_MARKS: readonly ClauseMark[] = ['pass', 'fail', 'waived', 'error', 'not_applicable', 'organizational', 'informational'];

/** Exit code 0, 1 or 2 in words. */
export type Verdict = 'ok' | 'fail' | 'error';

export interface ClauseRow extends CatalogClauseJson {
  /** The row's anchor, which the clause map's cell links to. */
  anchor: string;
  /** The rules in force that check it: citing it, or (inherited) the paragraph or article it belongs to. */
  rules: { id: string; inherited: boolean }[];
  /** The outcomes of those rules in this run, added up. */
  counts: Counts;
  mark: ClauseMark;
}

export interface ArticleRows {
  article: number;
  heading: Localized | undefined;
  rows: ClauseRow[];
}

export interface FailureBar {
  /** null: failures about no clause (problems found in the evidence itself). */
  article: number | null;
  heading: Localized | undefined;
  bySeverity: Record<Severity, number>;
  total: number;
}

export interface HtmlView {
  lang: Lang;
  model: ReportModel;
  verdict: Verdict;
  /** Absent when the saved report has no catalog. */
  clauses?: { rows: ClauseRow[]; articles: ArticleRows[]; marks: Record<ClauseMark, number> };
  /** Failures (not errors), those about no clause apart. */
  failures: { inputs: FindingJson[]; articles: ArticleGroup[] };
  bars: FailureBar[];
  errors: FindingJson[];
  rules: Map<string, RuleJson>;
}

export function buildHtmlView(model: ReportModel, lang: Lang): HtmlView {
  const shown = shownFindings(model);
  const failures = groupByArticle(shown.filter((f) => f.outcome === 'fail'));
  const clauses = model.catalog ? clauseRows(model.catalog.clauses, model.rules) : undefined;
  return {
    lang,
    model,
    verdict: model.exitCode === 0 ? 'ok' : model.exitCode === 1 ? 'fail' : 'error',
    ...(clauses ? { clauses } : {}),
    failures,
    bars: failureBars(failures, clauses?.articles.filter((a) => a.rows.some((r) => r.status === 'automated')).map((a) => a.article) ?? []),
    errors: shown.filter((f) => f.outcome === 'error'),
    rules: rulesById(model),
  };
}

/** The anchor of a clause's row: clause-16-p2, clause-5-i10, clause-12-p3-i2. */
export function clauseAnchor(c: Clause): string {
  return `clause-${c.article}${c.paragraph !== undefined ? `-p${c.paragraph}` : ''}${c.item !== undefined ? `-i${c.item}` : ''}`;
}

function clauseRows(catalog: readonly CatalogClauseJson[], rules: readonly RuleJson[]): NonNullable<HtmlView['clauses']> {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const cited = rulesByClause(catalog, rules);
  const rows = catalog.map((entry, i): ClauseRow => {
    const ruleList = cited[i]!;
    const counts: Counts = noOutcomes();
    for (const { id } of ruleList) for (const o of OUTCOMES) counts[o] += byId.get(id)?.outcomes[o] ?? 0;
    return { ...entry, anchor: clauseAnchor(entry.clause), rules: ruleList, counts, mark: markOf(entry.status, counts) };
  });
  const articles: ArticleRows[] = [];
  for (const row of rows) {
    const last = articles[articles.length - 1];
    if (last && last.article === row.clause.article) last.rows.push(row);
    else articles.push({ article: row.clause.article, heading: ARTICLE_HEADINGS[row.clause.article], rows: [row] });
  }
  const marks = Object.fromEntries(CLAUSE_MARKS.map((m) => [m, rows.filter((r) => r.mark === m).length])) as Record<ClauseMark, number>;
  return { rows, articles, marks };
}

/**
 * A failure anywhere makes the clause fail; then an error; then a waived failure; then a pass; an
 * automated clause with none of these is not applicable in this run.
 */
function markOf(status: ClauseStatus, counts: Counts): ClauseMark {
  if (status !== 'automated') return status;
  if (counts.fail > 0) return 'fail';
  if (counts.error > 0) return 'error';
  if (counts.waived > 0) return 'waived';
  if (counts.pass > 0) return 'pass';
  return 'not_applicable';
}

/** One bar per article with automated clauses (and any other article with failures), then failures about no clause. */
function failureBars(failures: HtmlView['failures'], articles: readonly number[]): FailureBar[] {
  const count = (findings: readonly FindingJson[]) => {
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const f of findings) bySeverity[f.severity]++;
    return { bySeverity, total: findings.length };
  };
  // Bars are the regulation's articles: an organisation's own rules (内規第N条) are listed with the findings only.
  const withFailures = new Map(failures.articles.filter((g) => g.regulation === undefined).map((g) => [g.article, g.findings]));
  const all = [...new Set([...articles, ...withFailures.keys()])].sort((a, b) => a - b);
  const bars: FailureBar[] = all.map((article) => ({ article, heading: ARTICLE_HEADINGS[article], ...count(withFailures.get(article) ?? []) }));
  if (failures.inputs.length > 0) bars.push({ article: null, heading: undefined, ...count(failures.inputs) });
  return bars;
}
