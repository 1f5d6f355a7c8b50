import { SEVERITIES, type Finding, type Outcome, type Severity } from '../core/findings.js';

export type Counts = Record<Outcome, number>;
export interface Summary {
  bySeverity: Record<Severity, Counts>;
  total: Counts;
}

const zero = (): Counts => ({ pass: 0, fail: 0, not_applicable: 0, error: 0 });

/** Pass / fail / n.a. / error counts per severity: the last thing every report shows. */
export function summarize(findings: readonly Finding[]): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, zero()])) as Record<Severity, Counts>;
  const total = zero();
  for (const f of findings) {
    bySeverity[f.severity][f.outcome]++;
    total[f.outcome]++;
  }
  return { bySeverity, total };
}
