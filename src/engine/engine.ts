import type { Finding, Outcome } from '../core/findings.js';
import type { EvidenceDocument } from '../evidence/document.js';
import type { LoadedRule } from '../policy/model.js';
import type { DueItem } from './due.js';

export interface RuleRun {
  ruleId: string;
  /** The version of the rule applied (the one in force on the as-of date). */
  version: number;
  /** Records (or register files) the rule was evaluated on, whatever the outcome. */
  evaluated: number;
  /** How many findings of each outcome the rule gave, kept or not (see EvaluateOptions.keep). */
  outcomes: Record<Outcome, number>;
}

export interface EvaluateOptions {
  /**
   * The outcomes whose findings are returned; the others are only counted (RuleRun.outcomes).
   * Passes are most of a run's findings and no report shows them by default, so not building
   * them (nor locating them in the evidence) saves most of the evaluation's memory. Default: all.
   */
  keep?: ReadonlySet<Outcome>;
  /**
   * Registers not filled in yet (`kitei init` templates): a rule reading one is not applicable,
   * with a finding that says so, instead of judging an empty register.
   */
  templates?: ReadonlySet<string>;
}

/**
 * A way of evaluating policies over loaded evidence. The CEL engine evaluates the YAML policy
 * files; a second engine (Rego compiled to Wasm elsewhere) plugs in beside it behind this
 * interface. Engines never read files or the clock: they get documents and the as-of date.
 */
export interface PolicyEngine {
  readonly name: string;
  /** The rules this engine will evaluate (after loading and compiling succeeded). */
  readonly rules: readonly LoadedRule[];
  /** The parameter values a rule runs with (its defaults, with this run's overrides). */
  paramsOf(rule: LoadedRule): Record<string, unknown>;
  /** Registers these rules read. */
  readonly registers: ReadonlySet<string>;
  /**
   * Evaluates every rule; a rule that reads one of the `unavailable` registers (evidence that
   * could not be read, or none at all) is not evaluated and yields one `error` finding saying so.
   */
  evaluate(documents: EvidenceDocument[], asOf: string, unavailable?: ReadonlySet<string>, options?: EvaluateOptions): { findings: Finding[]; runs: RuleRun[] };
  /** The deadlines the rules in force derive from the evidence, unsorted. */
  due(documents: EvidenceDocument[], asOf: string, unavailable?: ReadonlySet<string>): DueItem[];
}
