import { assertAsOf, judgedDocuments, loadRules, unavailableRegisters, type CheckOptions } from './check.js';
import type { Finding } from './core/findings.js';
import { sortFindings } from './core/findings.js';
import { compareDue, type DueItem } from './engine/due.js';
import { loadEvidence } from './evidence/load.js';
import { defaultWaiversDir, loadWaivers, waiverExpiries } from './waivers/load.js';

export interface DueOptions extends Omit<CheckOptions, 'params'> {
  /** The last day of the window (inclusive). */
  until: string;
  /** Also list obligations whose date is before the as-of date. */
  overdue: boolean;
}

export interface DueResult {
  asOf: string;
  until: string;
  evidence: { dir: string; files: string[] };
  items: DueItem[];
  /** Input problems: what could not be read is not in the list. */
  problems: Finding[];
}

/**
 * `kitei due`: the obligations the rules in force derive from the evidence (their `due`
 * entries), within a window after the as-of date, in date order. Pure like `check`.
 */
export async function dueDates(options: DueOptions): Promise<DueResult> {
  assertAsOf(options.asOf);
  assertAsOf(options.until);
  const loaded = await loadRules(options);
  const evidence = await loadEvidence(options.evidenceDir, loaded.schemas, options.input);
  // Waivers fall due too: by their expiry the failure must be remedied or the waiver renewed.
  const waiversDir = options.waivers?.dir ?? defaultWaiversDir(options.evidenceDir);
  const waivers = waiversDir !== undefined ? await loadWaivers(waiversDir, loaded.schemas, options.input) : undefined;
  const items = [...loaded.engine.due(judgedDocuments(evidence), options.asOf, new Set([...unavailableRegisters(loaded.engine, evidence), ...evidence.templateRegisters])), ...(waivers ? waiverExpiries(waivers) : [])]
    .filter((d) => d.date <= options.until && (options.overdue || d.date >= options.asOf))
    .sort(compareDue);
  return {
    asOf: options.asOf,
    until: options.until,
    evidence: { dir: options.evidenceDir, files: evidence.files },
    items,
    problems: sortFindings([...loaded.problems, ...evidence.problems, ...(waivers?.problems ?? [])]),
  };
}
