import type { Finding } from '../../core/findings.js';
import type { PolicySet } from '../../policy/model.js';
import type { SchemaSet } from '../../schema/registry.js';
import type { PolicyEngine } from '../engine.js';
import { compilePolicies, type CompiledPolicies, type ParamOverrides } from './compile.js';
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
