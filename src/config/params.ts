import type { Finding, Location } from '../core/findings.js';
import { problemFinding } from '../core/problems.js';
import type { ParamOverrides } from '../engine/cel/compile.js';
import { checkParameter } from '../engine/cel/parameters.js';
import type { LoadedRule } from '../policy/model.js';

/**
 * Parameter overrides written in the configuration are checked against the rules here, so that a
 * misspelt rule or parameter, or a value of the wrong type, is reported at its line in the
 * configuration (the compiler knows no position for a value from outside the policies). Those
 * overrides are left out; the others, and every override without a position (`--param`), go on
 * to the compiler as they are.
 */
export function checkPositionedOverrides(rules: readonly LoadedRule[], params: ParamOverrides, sites: Readonly<Record<string, Location>>): { params: ParamOverrides; problems: Finding[] } {
  const problems: Finding[] = [];
  const kept: ParamOverrides = {};
  for (const [ruleId, values] of Object.entries(params)) {
    const versions = rules.filter((r) => r.rule.id === ruleId);
    for (const [name, value] of Object.entries(values)) {
      const site = sites[`${ruleId}.${name}`];
      const declared = versions.map((r) => r.rule.parameters?.[name]).find((p) => p !== undefined);
      if (site && !declared) {
        problems.push(problemFinding('config/unknown-parameter', site, { rule: ruleId, name }));
        continue;
      }
      const bad = site && declared ? checkParameter(declared.type, value) : undefined;
      if (site && declared && bad) {
        problems.push(problemFinding('config/bad-parameter', site, { name: `${ruleId}.${name}`, type: declared.type, value: JSON.stringify(value) }));
        continue;
      }
      kept[ruleId] = { ...(kept[ruleId] ?? {}), [name]: value };
    }
  }
  return { params: kept, problems };
}
