import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../core/findings.js';
import { listYamlFiles } from '../../core/files.js';
import { displayPath } from '../../core/paths.js';
import { problemFinding } from '../../core/problems.js';
import { readYamlFile } from '../../core/yaml-file.js';
import { appendAll } from '../../core/arrays.js';
import { unfoldJa } from '../../policy/load.js';
import type { LoadedRule, Parameter, Rule } from '../../policy/model.js';
import { schemaProblems, shippedValidator, type SchemaSet } from '../../schema/registry.js';
import { checkParameter } from '../cel/parameters.js';
import type { ParamOverrides } from '../cel/compile.js';
import { readBundle } from './bundle.js';
import type { WasmHost } from './host.js';
import { KITEI_BUILTINS, sdkBuiltinNames } from './builtins.js';

export const WASM_MANIFEST_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/wasm-manifest.schema.json', import.meta.url));

/** A kitei manifest for an OPA bundle: `<name>.kitei.yaml` in a policies directory. */
export const WASM_MANIFEST_NAME = /\.kitei\.ya?ml$/i;

/** A rule as a manifest declares it: a policy rule's metadata, the entrypoint in place of assertions. */
export interface WasmRuleSpec extends Omit<Rule, 'assertions' | 'when' | 'due'> {
  entrypoint: string | number;
  reads?: string[];
  personal?: boolean;
}

interface Manifest {
  bundle: string;
  rules: WasmRuleSpec[];
}

/** A rule evaluated by an entrypoint of a loaded OPA module. */
export interface WasmRule {
  loaded: LoadedRule;
  /** The module's key in the host, and the bundle as reports name it. */
  key: string;
  bundle: string;
  entrypoint: string | number;
  /** Registers the rule's verdict depends on: its own and those its manifest lists (not evaluated when one is unavailable). */
  reads: Set<string>;
  /**
   * Registers the input carries whole (input.registers, input.byId): only those the manifest lists.
   * Every evaluation carries them, so a rule on its own records alone carries none (at 5,880
   * terminals, carrying the register made each evaluation 23 ms instead of 0.03 ms).
   */
  carries: Set<string>;
  personal: boolean;
  params: Record<string, unknown>;
  abi: string;
  entrypoints: Record<string, number>;
  builtins: string[];
  rego: { path: string; text: string }[];
  manifest: string;
}

/**
 * Finds the kitei manifests in the policy directories, reads the bundle each names, loads its
 * module once in the Wasm host and checks what kitei relies on: the ABI exports, the entrypoints
 * named, the builtins it declares (those neither the SDK nor kitei provides refuse the bundle),
 * the registers and parameters. Every problem is a coded finding at the manifest's position,
 * naming the bundle; a refused bundle contributes no rule and stops nothing else.
 */
export async function loadWasmRules(dirs: readonly string[], schemas: SchemaSet, host: WasmHost, overrides: ParamOverrides = {}): Promise<{ rules: WasmRule[]; problems: Finding[]; files: string[] }> {
  const rules: WasmRule[] = [];
  const problems: Finding[] = [];
  const files: string[] = [];
  let validate: Awaited<ReturnType<typeof shippedValidator>> | undefined;
  let provided: Set<string> | undefined;
  for (const dir of dirs) {
    const listing = await listYamlFiles(dir, 'policy');
    for (const rel of listing.files.filter((f) => WASM_MANIFEST_NAME.test(f))) {
      const abs = path.join(dir, rel);
      const shown = displayPath(abs);
      files.push(rel);
      const parsed = await readYamlFile(abs, shown, 'policy');
      if (parsed.problems.length > 0) {
        appendAll(problems, parsed.problems);
        continue;
      }
      validate ??= await shippedValidator(WASM_MANIFEST_SCHEMA_PATH);
      if (!validate(parsed.value)) {
        appendAll(problems, schemaProblems(validate, parsed.source, 'policy/schema'));
        continue;
      }
      const { source } = parsed;
      const manifest = parsed.value as Manifest;
      const bundleAbs = path.join(path.dirname(abs), manifest.bundle);
      const bundle = displayPath(bundleAbs);
      const at = source.locate('/bundle');
      let read: Awaited<ReturnType<typeof readBundle>>;
      try {
        read = await readBundle(bundleAbs);
      } catch (e) {
        problems.push(problemFinding('policy/wasm-bundle', at, { bundle, detail: (e as Error).message }));
        continue;
      }
      if (!WebAssembly.validate(read.wasm)) {
        problems.push(problemFinding('policy/wasm-bundle', at, { bundle, detail: { ja: '正しい WebAssembly モジュールではありません', en: 'not a valid WebAssembly module' } }));
        continue;
      }
      const key = bundleAbs;
      const r = host.load(key, read.wasm, read.data);
      if (!r.ok) {
        problems.push(problemFinding(r.error.startsWith('not an OPA') || r.error.includes('ABI') ? 'policy/wasm-not-opa' : 'policy/wasm-bundle', at, { bundle, detail: r.error }));
        continue;
      }
      if (!('entrypoints' in r)) continue;
      provided ??= new Set([...sdkBuiltinNames(), ...Object.keys(KITEI_BUILTINS)]);
      const unsupported = r.builtins.filter((b) => !provided!.has(b)).sort();
      if (unsupported.length > 0) {
        problems.push(problemFinding('policy/wasm-unsupported-builtins', at, { bundle, builtins: unsupported.join(', ') }));
        continue;
      }
      const abi = `${r.abi.major}.${r.abi.minor ?? '?'}`;
      manifest.rules.forEach((spec, i) => {
        const pointer = `/rules/${i}`;
        const numbers = Object.values(r.entrypoints);
        const known = typeof spec.entrypoint === 'number' ? numbers.includes(spec.entrypoint) : spec.entrypoint in r.entrypoints;
        if (!known) {
          problems.push(problemFinding('policy/wasm-entrypoint', source.locate(`${pointer}/entrypoint`), { bundle, entrypoint: String(spec.entrypoint), known: Object.entries(r.entrypoints).map(([n, k]) => `${n} (${k})`).join(', ') }));
          return;
        }
        const unknownRegisters = [spec.register, ...(spec.reads ?? [])].filter((k) => !schemas.registers.has(k));
        if (unknownRegisters.length > 0) {
          problems.push(problemFinding('policy/unknown-register', source.locate(`${pointer}/register`), { kind: unknownRegisters.join(', ') }));
          return;
        }
        const params = parameterValues(spec, overrides[spec.id] ?? {}, (p) => source.locate(`${pointer}/parameters/${p}/default`), problems);
        if (!params) return;
        const { entrypoint, reads, personal, ...meta } = spec;
        const rule: Rule = { ...meta, quote: unfoldJa(meta.quote), title: ja(meta.title), message: ja(meta.message), remediation: ja(meta.remediation), assertions: [] };
        rules.push({
          loaded: { rule, source, pointer },
          key,
          bundle,
          entrypoint,
          reads: new Set([spec.register, ...(reads ?? [])]),
          carries: new Set(reads ?? []),
          personal: personal === true,
          params,
          abi,
          entrypoints: r.entrypoints,
          builtins: r.builtins,
          rego: read.rego,
          manifest: shown,
        });
      });
    }
  }
  return { rules, problems, files };
}

function ja(t: { ja: string; en: string }) {
  return { ja: unfoldJa(t.ja), en: t.en };
}

/** Defaults with this run's overrides, each checked against its declared type (as for CEL rules). */
function parameterValues(spec: WasmRuleSpec, overrides: Record<string, unknown>, at: (name: string) => ReturnType<typeof problemFinding>['location'], problems: Finding[]): Record<string, unknown> | undefined {
  const declared: Record<string, Parameter> = spec.parameters ?? {};
  const values: Record<string, unknown> = {};
  let ok = true;
  for (const [name, p] of Object.entries(declared)) {
    const v = name in overrides ? overrides[name] : p.default;
    const bad = checkParameter(p.type, v);
    if (bad) {
      ok = false;
      problems.push(problemFinding('policy/bad-parameter', name in overrides ? undefined : at(name), { name: `${spec.id}.${name}`, type: p.type, value: JSON.stringify(v) }));
    } else values[name] = v;
  }
  for (const name of Object.keys(overrides)) {
    if (!(name in declared)) {
      ok = false;
      problems.push(problemFinding('policy/unknown-parameter', undefined, { rule: spec.id, name }));
    }
  }
  return ok ? values : undefined;
}
