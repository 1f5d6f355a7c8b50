import type { CheckResult } from '../check.js';
import { noOutcomes, OUTCOMES, SEVERITIES, type Finding, type Outcome, type Severity } from '../core/findings.js';
import { ruleKey } from '../policy/model.js';

export type Counts = Record<Outcome, number>;
export interface Summary {
  bySeverity: Record<Severity, Counts>;
  total: Counts;
}

const zero = (): Counts => noOutcomes();

/**
 * Pass / fail / n.a. / error counts per severity: the last thing every report shows. Rule
 * outcomes come from the rules' runs, which count every finding whether it was kept or not
 * (passes usually are not); problems reading the inputs (`kitei/…`) are counted from the findings.
 */
export function summarize(result: Pick<CheckResult, 'findings' | 'runs' | 'rules'>): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, zero()])) as Record<Severity, Counts>;
  const total = zero();
  const add = (severity: Severity, outcome: Outcome, n: number) => {
    bySeverity[severity][outcome] += n;
    total[outcome] += n;
  };
  const severityOf = new Map(result.rules.map((r) => [ruleKey(r.rule), r.rule.severity]));
  for (const run of result.runs) {
    const severity = severityOf.get(`${run.ruleId}@${run.version}`);
    if (severity === undefined) continue;
    for (const o of OUTCOMES) add(severity, o, run.outcomes[o]);
  }
  for (const f of result.findings) if (isProblem(f)) add(f.severity, f.outcome, 1);
  return { bySeverity, total };
}

/** A finding about the inputs (an unreadable file, a schema error), not a rule's verdict. */
export function isProblem(f: Finding): boolean {
  return f.ruleId.startsWith('kitei/');
}
