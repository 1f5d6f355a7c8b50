import type { Clause } from '../core/clause.js';
import type { Location } from '../core/findings.js';
import type { Localized } from '../core/lang.js';

/**
 * The clause catalog (policies/catalog.yaml): every article, paragraph and item of the
 * regulation and its supplementary provisions, each either enforced by rules (`automated`) or
 * stated to be beyond evidence (`organizational`, `informational`) with the reason.
 */
export type ClauseStatus = 'automated' | 'organizational' | 'informational';
export const CLAUSE_STATUSES: readonly ClauseStatus[] = ['automated', 'organizational', 'informational'];

export interface CatalogEntry {
  clause: Clause;
  heading?: string;
  /** The regulation's words for this clause. */
  text: string;
  summary: string;
  status: ClauseStatus;
  reason?: Localized;
  /** When the clause took effect, if later than the regulation (附則). */
  effective?: { from: string; by: number };
  /** Amendments of the clause's wording (附則): rules citing it need a version from each date. */
  amended?: { on: string; by: number; note?: Localized }[];
  location: Location;
}

export interface SupplementaryProvision {
  number: number;
  text: string;
  summary: string;
  effective: string;
  affects: 'all' | Clause[];
}

export interface Catalog {
  regulation: { title: string; titleEn: string; enforcedOn: string };
  clauses: CatalogEntry[];
  supplementary: SupplementaryProvision[];
  file: string;
}

export function clauseKey(c: Clause): string {
  return `${c.regulation !== undefined ? `${c.regulation}:` : ''}${c.article}-${c.paragraph ?? ''}-${c.item ?? ''}`;
}

/** The clauses a citation of `c` also covers: a rule citing 第12条第3項 enforces its items. */
export function ancestors(c: Clause): Clause[] {
  const out: Clause[] = [];
  const reg = c.regulation !== undefined ? { regulation: c.regulation } : {};
  if (c.item !== undefined) out.push(c.paragraph !== undefined ? { ...reg, article: c.article, paragraph: c.paragraph } : { ...reg, article: c.article });
  if (c.paragraph !== undefined) out.push({ ...reg, article: c.article });
  return out;
}
