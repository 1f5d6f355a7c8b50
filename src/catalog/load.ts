import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clauseEn, clauseJa, type Clause } from '../core/clause.js';
import type { Finding } from '../core/findings.js';
import { displayPath } from '../core/paths.js';
import { problemFinding } from '../core/problems.js';
import { readYamlFile } from '../core/yaml-file.js';
import { unfoldJa, CATALOG_FILE } from '../policy/load.js';
import type { LoadedRule } from '../policy/model.js';
import { schemaProblems, shippedValidator } from '../schema/registry.js';
import { ancestors, clauseKey, type Catalog, type CatalogEntry } from './model.js';

/** The catalog schema ships with kitei, like the policy schema. */
export const CATALOG_SCHEMA_PATH = fileURLToPath(new URL('../../schemas/catalog.schema.json', import.meta.url));


type RawEntry = Omit<CatalogEntry, 'location'>;
interface RawCatalog {
  regulation: Catalog['regulation'];
  clauses: RawEntry[];
  supplementary: Catalog['supplementary'];
}

/**
 * Reads `catalog.yaml` from a policies directory. A directory without one (a user's own policy
 * set) has no catalog: checks run, coverage cannot. A broken catalog is reported, not used.
 */
export async function loadCatalog(policiesDir: string): Promise<{ catalog?: Catalog; problems: Finding[] }> {
  const abs = path.join(policiesDir, CATALOG_FILE);
  if (!existsSync(abs)) return { problems: [] };
  const shown = displayPath(abs);
  const parsed = await readYamlFile(abs, shown, 'policy');
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const validate = await shippedValidator(CATALOG_SCHEMA_PATH);
  if (!validate(parsed.value)) return { problems: schemaProblems(validate, parsed.source, 'catalog/schema') };
  const raw = parsed.value as RawCatalog;
  const problems: Finding[] = [];
  const seen = new Map<string, CatalogEntry>();
  const clauses: CatalogEntry[] = [];
  raw.clauses.forEach((e, i) => {
    const location = parsed.source.locate(`/clauses/${i}/clause`);
    const entry: CatalogEntry = { ...e, text: unfoldJa(e.text), location, ...(e.reason ? { reason: { ja: unfoldJa(e.reason.ja), en: e.reason.en } } : {}) };
    const first = seen.get(clauseKey(e.clause));
    if (first) {
      problems.push(problemFinding('catalog/duplicate-clause', location, { clause: clauseJa(e.clause), first: `${first.location.file}:${first.location.line}` }));
      return;
    }
    seen.set(clauseKey(e.clause), entry);
    clauses.push(entry);
  });
  return { catalog: { regulation: raw.regulation, clauses, supplementary: raw.supplementary, file: shown }, problems };
}

/**
 * Holds the catalog and the rules to each other, both ways: every rule cites clauses that exist
 * and are marked automated; every automated clause has a rule (citing it, or the paragraph it is
 * an item of); every amendment of a cited clause is matched by a rule version from its date.
 * Also fixes each rule's period in force: never before the regulation or its clauses took effect.
 */
export function bindCatalog(catalog: Catalog, rules: LoadedRule[]): Finding[] {
  const problems: Finding[] = [];
  const byKey = new Map(catalog.clauses.map((e) => [clauseKey(e.clause), e]));
  // The dates some version of each rule id is in force from: an amendment needs one on its date.
  const versionStarts = new Set(rules.map((r) => `${r.rule.id}@${r.rule.effective?.from ?? ''}`));
  const cited = new Set<string>();
  // Every version of a rule cites the same clause: report a missing version once per rule and clause.
  const unversioned = new Set<string>();
  for (const loaded of rules) {
    const { rule, source, pointer } = loaded;
    let from = catalog.regulation.enforcedOn;
    rule.clauses.forEach((c, i) => {
      const entry = byKey.get(clauseKey(c));
      // Located only for a problem: a policy file loaded from the cache is then not parsed at all.
      const at = () => source.locate(`${pointer}/clauses/${i}`);
      if (!entry) return void problems.push(problemFinding('catalog/unknown-clause', at(), { rule: rule.id, clause: both(c) }));
      cited.add(clauseKey(c));
      if (entry.status !== 'automated') problems.push(problemFinding('catalog/not-automated', at(), { rule: rule.id, clause: both(c), status: entry.status }));
      if (entry.effective && entry.effective.from > from) from = entry.effective.from;
      for (const a of entry.amended ?? []) {
        const key = `${rule.id}|${clauseKey(c)}|${a.on}`;
        if (versionStarts.has(`${rule.id}@${a.on}`) || unversioned.has(key)) continue;
        unversioned.add(key);
        problems.push(problemFinding('catalog/amendment-not-versioned', at(), { rule: rule.id, clause: both(c), on: a.on, by: a.by }));
      }
    });
    const own = rule.effective ?? {};
    loaded.inForce = { from: own.from && own.from > from ? own.from : from, ...(own.until ? { until: own.until } : {}) };
  }
  for (const e of catalog.clauses) {
    if (e.status !== 'automated') continue;
    const covered = cited.has(clauseKey(e.clause)) || ancestors(e.clause).some((a) => cited.has(clauseKey(a)));
    if (!covered) problems.push(problemFinding('catalog/no-rule', e.location, { clause: both(e.clause) }));
  }
  return problems;
}

function both(c: Clause) {
  return { ja: clauseJa(c), en: clauseEn(c) };
}
