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

/** A reporter is a pure function from a result to the text of one output format. */
export type Reporter = (result: CheckResult, ctx: ReportContext) => string;
