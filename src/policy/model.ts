import type { Clause } from '../core/clause.js';
import type { Severity } from '../core/findings.js';
import type { Localized } from '../core/lang.js';
import type { PolicySource } from './lazy-source.js';

export type ParameterType = 'int' | 'double' | 'string' | 'bool' | 'list<string>' | 'list<int>' | 'map<string, string>' | 'map<string, int>' | 'list<map<string, string>>';

export interface Parameter {
  type: ParameterType;
  default: unknown;
  unit?: string;
  description: Localized;
  source: { clause?: Clause; quote: string; rationale?: Localized };
}

export interface Assertion {
  id: string;
  expr: string;
  forEach?: string;
  at?: string;
  message?: Localized;
}

/** A deadline a rule derives from the evidence, listed by `kitei due`. */
export interface Due {
  id: string;
  date: string;
  label: Localized;
  when?: string;
  forEach?: string;
  at?: string;
}

/** A rule as written in a policy file: metadata is data, logic is CEL. */
export interface Rule {
  id: string;
  /** Versions of one id have disjoint effective periods (附則: amendments and corrections). */
  version?: number;
  clauses: Clause[];
  quote: string;
  title: Localized;
  message: Localized;
  remediation: Localized;
  severity: Severity;
  register: string;
  scope?: 'record' | 'register';
  when?: string;
  effective?: { from?: string; until?: string };
  parameters?: Record<string, Parameter>;
  assertions: Assertion[];
  due?: Due[];
  /** false: no waiver may accept this rule's failures. Default true. */
  waivable?: boolean;
  /** Roles (organisation register ids) whose holder may approve a waiver of this rule (default: the policy file's, else dataProtectionManager). */
  waiverApprovers?: string[];
}

/** Who may approve a waiver when neither the rule nor its policy file says: the データ保護管理者 (第3条第1号). */
export const DEFAULT_WAIVER_APPROVERS: readonly string[] = ['dataProtectionManager'];

/** The id and version of a rule as reports show it: `retention-receipt-data@2`. */
export function ruleKey(rule: Pick<Rule, 'id' | 'version'>): string {
  return `${rule.id}@${rule.version ?? 1}`;
}

export interface Lookup {
  register: string;
  key: string;
  when?: string;
  description: Localized;
}

/** A rule together with where it was written, so errors can point into the policy file. */
export interface LoadedRule {
  rule: Rule;
  source: PolicySource;
  /** JSON pointer of the rule inside its policy file. */
  pointer: string;
  /**
   * When the rule is in force: its own `effective` period narrowed by the dates its clauses took
   * effect (the regulation's 施行日 and 附則), filled in when the clause catalog is loaded.
   */
  inForce?: { from?: string; until?: string };
}

export interface LoadedLookup {
  name: string;
  lookup: Lookup;
  source: PolicySource;
  pointer: string;
}

export interface PolicySet {
  files: string[];
  rules: LoadedRule[];
  lookups: LoadedLookup[];
}
