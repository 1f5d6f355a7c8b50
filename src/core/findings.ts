import type { Clause } from './clause.js';
import type { Localized } from './lang.js';

/**
 * `waived`: a failure that a waiver in force on the as-of date accepts (src/waivers/): reported
 * with its waiver, counted apart, never failing the run.
 */
export type Outcome = 'pass' | 'fail' | 'not_applicable' | 'error' | 'waived';
export const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'not_applicable', 'error', 'waived'];

/** Zero findings of every outcome: where counts per outcome start. */
export function noOutcomes(): Record<Outcome, number> {
  return { pass: 0, fail: 0, not_applicable: 0, error: 0, waived: 0 };
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';
/** Most severe first: the order reports list them in. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Where a finding points: an evidence or policy file, a JSON pointer into it, and its 1-based position. */
export interface Location {
  file: string;
  pointer: string;
  line: number;
  column: number;
  /**
   * Where the region the finding is about ends (1-based; the column is that of the character
   * after it, as in SARIF): the end of the YAML node's text (a mapping entry's value, a record, a
   * scalar; trailing blanks left out), from the reader that located it (core/source.ts
   * `regionEnd`). Where the node has no text of its own (an empty value), the end of the line
   * it starts on (core/line-ends.ts). Absent where the file could not be read.
   */
  endLine?: number;
  endColumn?: number;
}

export interface Finding {
  /** A policy rule id, or a reserved `kitei/…` id for problems reading evidence or policies. */
  ruleId: string;
  /** The assertion inside the rule that produced this finding, when there is one. */
  assertion?: string;
  /** The clauses the rule enforces, the primary one first. */
  clauses?: Clause[];
  outcome: Outcome;
  severity: Severity;
  message: Localized;
  /** Stable error code for `error` findings (e.g. `evidence/yaml-syntax`). */
  code?: string;
  /** Id of the evidence record the finding is about, never a personal name. */
  recordId?: string;
  location?: Location;
  /** Parameter values the rule used, so every report shows the numbers it applied. */
  params?: Record<string, unknown>;
  /** For a waived finding: the waiver that accepts it. */
  waiver?: WaiverRef;
}

/** What a waived finding shows of its waiver (ids and dates; no names). */
export interface WaiverRef {
  id: string;
  /** The waiver file and the waiver's place in it. */
  location?: Location;
  approvedBy: string;
  /** The role the approver held on the approval date (organisation register id). */
  role: string;
  approvedOn: string;
  expiresOn: string;
  justification: string;
}

/**
 * Deterministic order: file, line, column, rule id, assertion, outcome. Findings equal on all of
 * these keep the order the engine produced them in (records in file order, forEach elements in
 * list order: 第12条第3項第9号 before 第11号), which is itself deterministic; the sort is stable.
 */
export function compareFindings(a: Finding, b: Finding): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const byPos = (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  if (byPos !== 0) return byPos;
  return cmp(a.ruleId, b.ruleId) || cmp(a.assertion ?? '', b.assertion ?? '') || cmp(a.outcome, b.outcome);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}
