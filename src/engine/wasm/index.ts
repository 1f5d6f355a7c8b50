import path from 'node:path';
import type { Finding } from '../../core/findings.js';
import type { LoadedRule } from '../../policy/model.js';
import type { SchemaSet } from '../../schema/registry.js';
import type { ParamOverrides } from '../cel/compile.js';
import type { PolicyEngine } from '../engine.js';
import { createWasmEngine } from './engine.js';
import { DEFAULT_WASM_LIMITS, WasmHost, type WasmLimits } from './host.js';
import { loadWasmRules, type WasmRule } from './load.js';

export { compositeEngine } from './engine.js';

/** The Wasm rules of each loaded rule (for `explain`): the bundle, entrypoint, ABI and Rego sources. */
const wasmRuleOf = new WeakMap<LoadedRule, WasmRule>();

export function wasmRule(rule: LoadedRule): WasmRule | undefined {
  return wasmRuleOf.get(rule);
}

/**
 * The Wasm engine for the manifests in `dirs` (none: no engine, no worker started). `files` are
 * the manifests and bundles of the first directory, relative to it, for the run's manifest.
 */
export async function loadWasmEngine(dirs: readonly string[], schemas: SchemaSet, overrides: ParamOverrides = {}, limits: Partial<WasmLimits> = {}): Promise<{ engine?: PolicyEngine; rules: LoadedRule[]; problems: Finding[]; files: string[] }> {
  const host = new WasmHost({ ...DEFAULT_WASM_LIMITS, ...wasmLimitsFromEnv(), ...limits });
  const { rules, problems, files } = await loadWasmRules(dirs, schemas, host, overrides);
  for (const r of rules) wasmRuleOf.set(r.loaded, r);
  const first = path.resolve(dirs[0] ?? '.');
  const bundles = [...new Set(rules.map((r) => r.key))].map((k) => path.relative(first, k).split(path.sep).join('/')).filter((rel) => !rel.startsWith('..'));
  if (rules.length === 0) host.close();
  return { ...(rules.length > 0 ? { engine: createWasmEngine(rules, schemas, host) } : {}), rules: rules.map((r) => r.loaded), problems, files: [...files, ...bundles].sort() };
}

/** KITEI_WASM_TIMEOUT_MS and KITEI_WASM_MAX_PAGES tune the limits of one evaluation. */
function wasmLimitsFromEnv(): Partial<WasmLimits> {
  const out: Partial<WasmLimits> = {};
  const t = Number(process.env.KITEI_WASM_TIMEOUT_MS);
  if (Number.isInteger(t) && t > 0) out.timeoutMs = t;
  const p = Number(process.env.KITEI_WASM_MAX_PAGES);
  if (Number.isInteger(p) && p > 0) out.maxPages = p;
  return out;
}

/** Parameter overrides without those of the given rules (each engine checks its own rules' overrides). */
export function withoutRules(params: ParamOverrides, rules: readonly LoadedRule[]): ParamOverrides {
  const ids = new Set(rules.map((r) => r.rule.id));
  return Object.fromEntries(Object.entries(params).filter(([id]) => !ids.has(id)));
}
