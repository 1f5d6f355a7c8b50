import type { Finding } from '../../core/findings.js';
import type { LoadedRule, PolicySet } from '../../policy/model.js';
import type { SchemaSet } from '../../schema/registry.js';
import type { PolicyEngine } from '../engine.js';
import { compilePolicies, defaultParameters, withParameterText, type CompiledPolicies, type ParamOverrides } from './compile.js';
import { dueCel, evaluateCel } from './evaluate.js';
import { CelModel } from './values.js';

/** The CEL engine: YAML policy files whose conditions are CEL, compiled once, run per record. */
export function createCelEngine(policies: PolicySet, schemas: SchemaSet, overrides: ParamOverrides = {}, enforcedOn = ''): { engine: PolicyEngine; problems: Finding[]; compiled: CompiledPolicies } {
  const { compiled, problems } = compilePolicies(policies, new CelModel(schemas), overrides, enforcedOn);
  const params = new Map(compiled.rules.map((r) => [r.loaded, r.shownParams]));
  const registers = new Set(compiled.rules.flatMap((r) => [...r.reads]));
  return {
    problems,
    compiled,
    engine: {
      name: 'cel',
      rules: compiled.rules.map((r) => r.loaded),
      registers,
      paramsOf: (rule) => params.get(rule) ?? {},
      evaluate: (documents, asOf, unavailable, options) => evaluateCel(compiled, documents, asOf, unavailable, options),
      due: (documents, asOf, unavailable) => dueCel(compiled, documents, asOf, unavailable),
    },
  };
}

/**
 * The CEL engine for policies known to compile clean (a clean entry of the policy cache, with
 * the same schemas and no overrides): the rules and their parameters are known without CEL, so
 * listing them (`kitei rules`, `kitei explain`) compiles nothing, and the expressions are parsed
 * and type-checked on first use (the registers the rules read, an evaluation). Should that
 * compilation find a problem after all, it is a bug in kitei, not in the policies: it throws.
 */
export function createCleanCelEngine(policies: PolicySet, schemas: SchemaSet, enforcedOn = ''): { engine: PolicyEngine; readonly compiled: CompiledPolicies } {
  const rules = policies.rules.map((r) => withParameterText(r, defaultParameters(r)));
  const params = new Map(rules.map((r) => [r, defaultParameters(r)]));
  let compiled: CompiledPolicies | undefined;
  let registers: Set<string> | undefined;
  const compile = (): CompiledPolicies => {
    if (compiled) return compiled;
    const out = compilePolicies(policies, new CelModel(schemas), {}, enforcedOn, { lazyTemplates: true });
    if (out.problems.length > 0 || out.compiled.rules.length !== rules.length) throw new Error(`the policy cache said the policies compile clean, but ${out.problems.length} problems were found`);
    // The rules the engine listed are the compiled ones (the same texts, the same objects).
    out.compiled.rules.forEach((r, i) => (r.loaded = rules[i]!));
    return (compiled = out.compiled);
  };
  return {
    get compiled() {
      return compile();
    },
    engine: {
      name: 'cel',
      rules,
      get registers() {
        return (registers ??= new Set(compile().rules.flatMap((r) => [...r.reads])));
      },
      paramsOf: (rule: LoadedRule) => params.get(rule) ?? {},
      evaluate: (documents, asOf, unavailable, options) => evaluateCel(compile(), documents, asOf, unavailable, options),
      due: (documents, asOf, unavailable) => dueCel(compile(), documents, asOf, unavailable),
    },
  };
}
