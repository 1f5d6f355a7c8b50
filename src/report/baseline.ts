import { severityRank } from '../core/findings.js';
import { identities } from './fingerprint.js';
import type { FindingJson, ReportModel } from './model.js';

/**
 * `kitei check --baseline PREVIOUS.json`: this run's findings that say something is wrong
 * (fail, error, and waived: a failure accepted for a while is still one) compared with a saved
 * report's by fingerprint. Each is marked `new` or `unchanged`; the baseline's that no longer
 * occur are listed as `resolved`. `--fail-on-new` lets the exit code count only new failures,
 * so an organisation that starts non-compliant can adopt kitei and still stop new problems.
 */
export type BaselineMark = 'new' | 'unchanged';

export interface BaselineJson {
  /** The baseline report as given on the command line. */
  file: string;
  asOf: string;
  /** The baseline's manifest digest; null for a report saved before kitei recorded the manifest. */
  digest: string | null;
  /** The exit code counts only new failures (--fail-on-new). */
  failOnNew: boolean;
  counts: { new: number; unchanged: number; resolved: number };
  /** The baseline's findings that no longer occur, as the baseline report holds them. */
  resolved: FindingJson[];
}

/** The outcomes compared between runs: what is wrong, whether or not a waiver accepts it for now. */
const COMPARED: ReadonlySet<string> = new Set(['fail', 'error', 'waived']);

export function isCompared(f: FindingJson): boolean {
  return COMPARED.has(f.outcome);
}

/** How a list of findings pairs with an earlier one: for each finding of `now`, the earlier one it is (or undefined); the earlier ones left over. */
export function pairFindings(before: readonly FindingJson[], now: readonly FindingJson[]): { matched: (FindingJson | undefined)[]; gone: FindingJson[] } {
  const earlier = new Map<string, FindingJson>();
  for (const [i, id] of identities(before).entries()) earlier.set(id, before[i]!);
  const matched = identities(now).map((id) => {
    const f = earlier.get(id);
    earlier.delete(id);
    return f;
  });
  return { matched, gone: [...earlier.values()] };
}

/**
 * The model with each compared finding marked and the baseline block added. With `failOnNew`
 * the exit code is 1 only for new failures at or above fail-on; an error still makes it 2.
 */
export function withBaseline(model: ReportModel, baseline: ReportModel, file: string, failOnNew: boolean): ReportModel {
  const current = model.findings.filter(isCompared);
  const { matched, gone } = pairFindings(baseline.findings.filter(isCompared), current);
  const marks = new Map<FindingJson, BaselineMark>(current.map((f, i) => [f, matched[i] ? 'unchanged' : 'new']));
  const findings = model.findings.map((f) => {
    const mark = marks.get(f);
    return mark ? { ...f, baseline: mark } : f;
  });
  const counts = { new: 0, unchanged: 0, resolved: gone.length };
  for (const mark of marks.values()) counts[mark]++;
  const block: BaselineJson = { file, asOf: baseline.asOf, digest: baseline.manifest?.digest ?? null, failOnNew, counts, resolved: gone };
  const exitCode = failOnNew ? exitCodeOnNew(findings, model.failOn, model.exitCode) : model.exitCode;
  return { ...model, exitCode, findings, baseline: block };
}

/** --fail-on-new: errors still 2; otherwise 1 only for a new failure at or above fail-on. */
function exitCodeOnNew(findings: readonly FindingJson[], failOn: ReportModel['failOn'], runCode: number): number {
  if (runCode === 2) return 2;
  const limit = severityRank(failOn);
  return findings.some((f) => f.outcome === 'fail' && f.baseline === 'new' && severityRank(f.severity) <= limit) ? 1 : 0;
}

/** Checks the shape of a saved report's baseline block (kitei report reads it back). */
export function isBaselineJson(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const b = v as Record<string, unknown>;
  const counts = b.counts as Record<string, unknown> | undefined;
  const head = typeof b.file === 'string' && typeof b.asOf === 'string' && (b.digest === null || typeof b.digest === 'string') && typeof b.failOnNew === 'boolean';
  const counted = typeof counts === 'object' && counts !== null && ['new', 'unchanged', 'resolved'].every((k) => typeof counts[k] === 'number');
  return head && counted && Array.isArray(b.resolved) && b.resolved.every(isFindingShape);
}

/** What reporters read of a resolved finding (the report's findings are checked the same way). */
function isFindingShape(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  const isObject = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  return typeof f.ruleId === 'string' && typeof f.outcome === 'string' && typeof f.severity === 'string' && Array.isArray(f.clauses) && isObject(f.message) && (f.location === null || isObject(f.location));
}
