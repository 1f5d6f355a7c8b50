import { DEFAULT_POLICIES_DIR, loadRules } from './check.js';
import { clauseKey, type CatalogEntry } from './catalog/model.js';
import type { Finding } from './core/findings.js';
import { UsageError } from './core/problems.js';
import type { LoadedRule } from './policy/model.js';
import { loadRuleTests } from './rule-tests/load.js';
import { wasmRule } from './engine/wasm/index.js';

/** What `explain` shows of a rule that is an entrypoint of an OPA Wasm bundle. */
export interface WasmExplanation {
  manifest: string;
  bundle: string;
  entrypoint: string | number;
  abi: string;
  reads: string[];
  personal: boolean;
  /** The Rego sources the bundle carries, when it has them. */
  rego: { path: string; text: string }[];
}

export interface Explanation {
  ruleId: string;
  /** Every version of the rule, oldest first. */
  versions: LoadedRule[];
  /** The catalog entries of the clauses the rule cites (when the policies have a catalog). */
  clauses: CatalogEntry[];
  /** How many test cases the rule has in policies/tests/, and where. */
  cases: { valid: number; invalid: number; notApplicable: number; files: string[] };
  problems: Finding[];
  /** For a Wasm rule, per version (same order as `versions`): its bundle and entrypoint. */
  wasm?: (WasmExplanation | undefined)[];
}

/** `kitei explain RULE_ID`: what a rule enforces and how, from the policy files and the catalog. */
export async function explainRule(ruleId: string, options: { policiesDir?: string; schemasDir?: string; extraPolicyDirs?: string[] }): Promise<Explanation> {
  const policiesDir = options.policiesDir ?? DEFAULT_POLICIES_DIR;
  const loaded = await loadRules({ policiesDir, extraPolicyDirs: options.extraPolicyDirs ?? [], ...(options.schemasDir ? { schemasDir: options.schemasDir } : {}) });
  const versions = loaded.engine.rules.filter((r) => r.rule.id === ruleId).sort((a, b) => (a.rule.version ?? 1) - (b.rule.version ?? 1));
  if (versions.length === 0) {
    const ids = [...new Set(loaded.engine.rules.map((r) => r.rule.id))];
    const near = ids.filter((id) => id.includes(ruleId) || ruleId.includes(id) || id.split('-')[0] === ruleId.split('-')[0]).sort().slice(0, 5);
    throw new UsageError(`no rule "${ruleId}"${near.length ? ` (did you mean: ${near.join(', ')}?)` : ''}; \`kitei rules\` lists them`);
  }
  const byKey = new Map((loaded.catalog?.clauses ?? []).map((e) => [clauseKey(e.clause), e]));
  const cited = [...new Map(versions.flatMap((v) => v.rule.clauses).map((c) => [clauseKey(c), c])).values()];
  const clauses = cited.map((c) => byKey.get(clauseKey(c))).filter((e): e is CatalogEntry => e !== undefined);
  const tests = await loadRuleTests(policiesDir, { ruleId });
  const mine = tests.cases.filter((c) => c.ruleId === ruleId);
  return {
    ruleId,
    versions,
    clauses,
    cases: {
      valid: mine.filter((c) => c.kind === 'valid').length,
      invalid: mine.filter((c) => c.kind === 'invalid').length,
      notApplicable: mine.filter((c) => c.kind === 'notApplicable').length,
      files: [...new Set(mine.map((c) => c.file))],
    },
    problems: loaded.problems,
    ...(versions.some((v) => wasmRule(v)) ? { wasm: versions.map((v) => wasmOf(v)) } : {}),
  };
}

function wasmOf(rule: LoadedRule): WasmExplanation | undefined {
  const w = wasmRule(rule);
  return w && { manifest: w.manifest, bundle: w.bundle, entrypoint: w.entrypoint, abi: w.abi, reads: [...w.reads].sort(), personal: w.personal, rego: w.rego };
}
