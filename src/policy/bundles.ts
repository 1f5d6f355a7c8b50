import { appendAll } from '../core/arrays.js';
import type { Catalog, CatalogEntry } from '../catalog/model.js';
import { clauseKey } from '../catalog/model.js';
import { clauseJa } from '../core/clause.js';
import type { Finding, Location } from '../core/findings.js';
import { problemFinding } from '../core/problems.js';
import { loadPolicyBundle, type PolicyBundle } from './cache.js';
import type { LoadedLookup, LoadedRule } from './model.js';

/** One extra policy directory (an organisation's own rules) and the files read from it. */
export interface ExtraPolicies {
  dir: string;
  files: string[];
  /** Whether the directory has its own clause catalog (catalog.yaml). */
  catalog: boolean;
}

/**
 * The bundled policies and any extra directories beside them, as one bundle. Each directory is
 * loaded (and cached) on its own, so the bundled policies keep their prebuilt cache entry; then
 * the extra ones are added: their rules after the bundled ones, their lookups, and their
 * catalog's clauses (an organisation's 内規第1条) to the bundled catalog. A rule id, a lookup name
 * or a clause that is already defined is an error at the later definition, which is left out.
 */
export async function loadPolicyBundles(dir: string, extraDirs: readonly string[] = []): Promise<PolicyBundle & { extra: ExtraPolicies[] }> {
  const base = await loadPolicyBundle(dir);
  if (extraDirs.length === 0) return { ...base, extra: [] };
  const rules: LoadedRule[] = [...base.policies.rules];
  const lookups: LoadedLookup[] = [...base.policies.lookups];
  const problems: Finding[] = [...base.problems];
  const clauses: CatalogEntry[] = [...(base.catalog?.clauses ?? [])];
  let catalog: Catalog | undefined = base.catalog;
  // The first definition of each rule id, lookup name and clause, for "first at …".
  const ruleAt = new Map<string, () => Location>();
  for (const r of rules) if (!ruleAt.has(r.rule.id)) ruleAt.set(r.rule.id, () => r.source.locate(`${r.pointer}/id`));
  const lookupAt = new Map(lookups.map((l) => [l.name, () => l.source.locate(`/lookups/${l.name}`)]));
  const clauseAt = new Map(clauses.map((c) => [clauseKey(c.clause), c.location]));
  const extra: ExtraPolicies[] = [];
  for (const extraDir of extraDirs) {
    const b = await loadPolicyBundle(extraDir);
    appendAll(problems, b.problems);
    extra.push({ dir: extraDir, files: b.policies.files, catalog: b.catalog !== undefined });
    const own = new Set<string>();
    for (const r of b.policies.rules) {
      const first = ruleAt.get(r.rule.id);
      // Versions of one id within the directory were judged by its loader; across directories an id is never shared.
      if (first && !own.has(r.rule.id)) {
        const at = first();
        problems.push(problemFinding('policy/duplicate-rule-id', r.source.locate(`${r.pointer}/id`), { id: r.rule.id, first: `${at.file}:${at.line}` }));
        continue;
      }
      if (!first) ruleAt.set(r.rule.id, () => r.source.locate(`${r.pointer}/id`));
      own.add(r.rule.id);
      rules.push(r);
    }
    for (const l of b.policies.lookups) {
      const first = lookupAt.get(l.name);
      if (first) {
        const at = first();
        problems.push(problemFinding('policy/bad-lookup', l.source.locate(l.pointer), { name: l.name, detail: `defined twice (first at ${at.file}:${at.line})` }));
        continue;
      }
      lookupAt.set(l.name, () => l.source.locate(l.pointer));
      lookups.push(l);
    }
    for (const c of b.catalog?.clauses ?? []) {
      const first = clauseAt.get(clauseKey(c.clause));
      if (first) {
        problems.push(problemFinding('catalog/duplicate-clause', c.location, { clause: clauseJa(c.clause), first: `${first.file}:${first.line}` }));
        continue;
      }
      clauseAt.set(clauseKey(c.clause), c.location);
      clauses.push(c);
    }
    // Without a bundled catalog (--policies of one's own), the first extra catalog is the frame.
    catalog ??= b.catalog;
  }
  return {
    policies: { files: base.policies.files, rules, lookups },
    ...(catalog ? { catalog: { ...catalog, clauses } } : {}),
    problems,
    extra,
  };
}
