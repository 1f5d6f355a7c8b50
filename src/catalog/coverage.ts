import { clauseEn, clauseJa, compareClauses, type Clause } from '../core/clause.js';
import type { RuleRun } from '../engine/engine.js';
import type { LoadedRule } from '../policy/model.js';
import { ancestors, clauseKey, type Catalog, type CatalogEntry, type ClauseStatus } from './model.js';

export interface CoverageRule {
  id: string;
  /** Cited through the paragraph or article this clause belongs to (第12条第3項 for its items). */
  inherited: boolean;
  /** Records (or register files) the rule evaluated in the check, when one was run. */
  evaluated?: number;
}

export interface CoverageRow {
  entry: CatalogEntry;
  rules: CoverageRule[];
  /** Automated with at least one rule, or not automated with a stated reason. */
  accounted: boolean;
}

export interface Coverage {
  rows: CoverageRow[];
  /** Rule citations of clauses the catalog does not have. */
  unknownCitations: { ruleId: string; clause: string }[];
  totals: Record<ClauseStatus, number> & { clauses: number; unaccounted: number; rules: number };
}

/** The clause table: each clause with its status and the rules that enforce it. */
export function buildCoverage(catalog: Catalog, rules: readonly LoadedRule[], runs?: readonly RuleRun[]): Coverage {
  const evaluated = runs ? new Map(runs.map((r) => [r.ruleId, r.evaluated])) : undefined;
  const known = new Set(catalog.clauses.map((e) => clauseKey(e.clause)));
  const unknownCitations: Coverage['unknownCitations'] = [];
  for (const { rule } of rules) {
    for (const c of rule.clauses) {
      if (!known.has(clauseKey(c)) && !unknownCitations.some((u) => u.ruleId === rule.id && u.clause === clauseJa(c))) unknownCitations.push({ ruleId: rule.id, clause: clauseJa(c) });
    }
  }
  const cited = rulesByClause(catalog.clauses, rules.map(({ rule }) => rule));
  const rows = catalog.clauses.map((entry, i): CoverageRow => {
    const list = cited[i]!.map((r) => ({ ...r, ...(evaluated ? { evaluated: evaluated.get(r.id) ?? 0 } : {}) }));
    const accounted = entry.status === 'automated' ? list.length > 0 : entry.reason !== undefined;
    return { entry, rules: list, accounted };
  });
  rows.sort((a, b) => compareClauses(a.entry.clause, b.entry.clause));
  const count = (s: ClauseStatus) => rows.filter((r) => r.entry.status === s).length;
  return {
    rows,
    unknownCitations,
    totals: {
      automated: count('automated'),
      organizational: count('organizational'),
      informational: count('informational'),
      clauses: rows.length,
      unaccounted: rows.filter((r) => !r.accounted).length + unknownCitations.length,
      rules: new Set(rules.map((r) => r.rule.id)).size,
    },
  };
}

/**
 * The rules that enforce each clause, in the order of `entries`: those citing it directly (ids
 * sorted), then, for an automated clause, those citing the paragraph or article it belongs to (a
 * rule citing 第12条第3項 enforces its items). Shared by `kitei coverage` and the HTML report's
 * clause table, which counts a rule's outcomes toward every clause listed here.
 */
export function rulesByClause(entries: readonly Pick<CatalogEntry, 'clause' | 'status'>[], rules: readonly { id: string; clauses: readonly Clause[] }[]): CoverageRule[][] {
  const citing = new Map<string, Set<string>>();
  for (const rule of rules) for (const c of rule.clauses) citing.set(clauseKey(c), (citing.get(clauseKey(c)) ?? new Set()).add(rule.id));
  return entries.map((entry) => {
    const direct = [...(citing.get(clauseKey(entry.clause)) ?? [])].sort();
    const viaParent = entry.status === 'automated' ? ancestors(entry.clause).flatMap((a) => [...(citing.get(clauseKey(a)) ?? [])]).filter((id) => !direct.includes(id)) : [];
    return [...direct.map((id) => ({ id, inherited: false })), ...[...new Set(viaParent)].sort().map((id) => ({ id, inherited: true }))];
  });
}

export function clauseLabels(entry: CatalogEntry) {
  return { ja: clauseJa(entry.clause), en: clauseEn(entry.clause) };
}
