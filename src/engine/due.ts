import type { Clause } from '../core/clause.js';
import type { Location } from '../core/findings.js';
import type { Localized } from '../core/lang.js';

/** An obligation falling due, derived from the evidence by a rule's `due` entry (`kitei due`). */
export interface DueItem {
  ruleId: string;
  /** The `due` entry's id inside the rule. */
  dueId: string;
  /** The deadline (YYYY-MM-DD). */
  date: string;
  clauses: Clause[];
  label: Localized;
  recordId?: string;
  location?: Location;
}

/** Deterministic order: date, then rule, entry, file position. */
export function compareDue(a: DueItem, b: DueItem): number {
  const k = (d: DueItem) => [d.date, d.ruleId, d.dueId, d.location?.file ?? '', String(d.location?.line ?? 0).padStart(8, '0'), String(d.location?.column ?? 0).padStart(8, '0')].join('\u0000');
  const ka = k(a);
  const kb = k(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
