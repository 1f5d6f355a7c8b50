import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding, Location } from '../core/findings.js';
import { problemFinding } from '../core/problems.js';
import { displayPath } from '../core/paths.js';
import { readYamlFile } from '../core/yaml-file.js';
import { appendAll } from '../core/arrays.js';
import { listYamlFiles } from '../core/files.js';
import { schemaProblems, shippedValidator } from '../schema/registry.js';
import type { LoadedLookup, LoadedRule, Lookup, PolicySet, Rule } from './model.js';

/** The policy schema ships with kitei itself; it is not taken from the user's --schemas directory. */
export const POLICY_SCHEMA_PATH = fileURLToPath(new URL('../../schemas/policy.schema.json', import.meta.url));


/**
 * Reads every policy file under `dir` and validates it against the policy schema. A file with
 * problems contributes none of its rules: a half-loaded policy must never be used.
 */
export async function loadPolicies(dir: string): Promise<{ policies: PolicySet; problems: Finding[] }> {
  const validate = await shippedValidator(POLICY_SCHEMA_PATH);
  const listing = await listYamlFiles(dir, 'policy');
  const files = listing.files.filter(isPolicyFile);
  const rules: LoadedRule[] = [];
  const lookups: LoadedLookup[] = [];
  const problems: Finding[] = listing.problems.filter((p) => isPolicyFile(path.posix.relative(displayPath(dir), p.location?.file ?? '')));
  const ruleIds = new Map<string, { at: Location; rule: Rule }[]>();
  const lookupNames = new Map<string, Location>();
  for (const rel of files) {
    const parsed = await readYamlFile(path.join(dir, rel), displayPath(path.join(dir, rel)), 'policy');
    if (parsed.problems.length > 0) {
      appendAll(problems, parsed.problems);
      continue;
    }
    const { source, value } = parsed;
    if (!validate(value)) {
      appendAll(problems, schemaProblems(validate, source, 'policy/schema'));
      continue;
    }
    const doc = value as { rules: Rule[]; lookups?: Record<string, Lookup>; waiverApprovers?: string[] };
    doc.rules.forEach(unfoldJapanese);
    // The file's approvers are the default of its rules (the 理事長 for every contract rule).
    if (doc.waiverApprovers) for (const rule of doc.rules) rule.waiverApprovers ??= doc.waiverApprovers;
    for (const [name, lookup] of Object.entries(doc.lookups ?? {})) {
      const pointer = `/lookups/${name}`;
      const first = lookupNames.get(name);
      if (first) {
        problems.push(problemFinding('policy/bad-lookup', source.locate(pointer), { name, detail: `defined twice (first at ${first.file}:${first.line})` }));
        continue;
      }
      lookupNames.set(name, source.locate(pointer));
      lookups.push({ name, lookup, source, pointer });
    }
    doc.rules.forEach((rule, i) => {
      const pointer = `/rules/${i}`;
      const here = source.locate(`${pointer}/id`);
      const earlier = ruleIds.get(rule.id) ?? [];
      // The same id may appear again only as another version in force over another period.
      const clash = earlier.find((e) => (e.rule.version ?? 1) === (rule.version ?? 1) || overlaps(e.rule.effective, rule.effective));
      if (clash) {
        problems.push(problemFinding('policy/duplicate-rule-id', here, { id: rule.id, first: `${clash.at.file}:${clash.at.line}` }));
        return;
      }
      ruleIds.set(rule.id, [...earlier, { at: here, rule }]);
      rules.push({ rule, source, pointer });
    });
  }
  return { policies: { files, rules, lookups }, problems };
}

/** The clause catalog and the rule test cases live beside the policies but are not policy files. */
export const CATALOG_FILE = 'catalog.yaml';
export const TESTS_DIR = 'tests';

function isPolicyFile(rel: string): boolean {
  // `<name>.kitei.yaml` is the manifest of an OPA Wasm bundle (src/engine/wasm/load.ts).
  return rel !== CATALOG_FILE && !rel.startsWith(`${TESTS_DIR}/`) && !/\.kitei\.ya?ml$/i.test(rel);
}

/** Whether two effective periods (open-ended where a bound is missing) share a day. */
function overlaps(a: Rule['effective'] = {}, b: Rule['effective'] = {}): boolean {
  return (a.from ?? '') <= (b.until ?? '9999-12-31') && (b.from ?? '') <= (a.until ?? '9999-12-31');
}

/**
 * YAML's folded style (`>-`) joins wrapped lines with a space, which is right for English and
 * wrong for Japanese: 「保管し、 その所在を」. A single space between two full-width characters
 * is therefore removed from the Japanese texts and the quotes of a rule.
 */
export function unfoldJa(text: string): string {
  return text.replace(/([^\x00-\x7F]) (?=[^\x00-\x7F])/gu, '$1');
}

function unfoldJapanese(rule: Rule): void {
  rule.quote = unfoldJa(rule.quote);
  for (const t of [rule.title, rule.message, rule.remediation, ...rule.assertions.map((a) => a.message), ...(rule.due ?? []).map((d) => d.label)]) if (t) t.ja = unfoldJa(t.ja);
  for (const p of Object.values(rule.parameters ?? {})) {
    p.source.quote = unfoldJa(p.source.quote);
    p.description.ja = unfoldJa(p.description.ja);
    if (p.source.rationale) p.source.rationale.ja = unfoldJa(p.source.rationale.ja);
  }
}
