import type { CheckResult } from '../check.js';
import type { Severity } from '../core/findings.js';
import type { Lang } from '../core/lang.js';

export interface ReportContext {
  lang: Lang;
  failOn: Severity;
  exitCode: number;
  /** kitei's version, printed so an auditor can reproduce the run. */
  version: string;
}

/**
 * A reporter is a pure function from a result to the text of one output format: one string, or
 * pieces written one after another (a large report is never one string).
 */
export type Reporter = (result: CheckResult, ctx: ReportContext) => string | Iterable<string>;

/** The whole text of a report, for callers that want it in memory (tests, small reports). */
export function reportText(output: string | Iterable<string>): string {
  return typeof output === 'string' ? output : [...output].join('');
}
