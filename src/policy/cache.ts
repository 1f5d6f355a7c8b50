import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../core/findings.js';
import { listYamlFiles } from '../core/files.js';
import { displayPath } from '../core/paths.js';
import type { Catalog } from '../catalog/model.js';
import { loadCatalog, CATALOG_SCHEMA_PATH } from '../catalog/load.js';
import { LazySourceFile } from './lazy-source.js';
import { loadPolicies, POLICY_SCHEMA_PATH, TESTS_DIR } from './load.js';
import type { LoadedLookup, LoadedRule, PolicySet } from './model.js';

/**
 * Policies do not change between runs; parsing them did (a third of a cold `kitei check`): YAML
 * with positions, the policy schema, the catalog. So a policy directory that loaded without a
 * problem is remembered as JSON, keyed by a digest of every byte that went into it: each policy
 * and catalog file (path and content), the policy and catalog schemas, kitei's version and this
 * cache's format. Any change gives another key, so an entry is never stale; a directory with a
 * problem is never cached, so its problems are always reported from the files themselves. The rule
 * test cases in `tests/` are not policies and are not part of the digest.
 *
 * The shipped policies' entry is built with the package (`npm run build`, in `dist/`); other
 * policy directories are cached in `$KITEI_CACHE_DIR`, else `$XDG_CACHE_HOME/kitei`, else
 * `~/.cache/kitei`. `KITEI_CACHE=off` turns the cache off. A cache that cannot be read or
 * written is simply not used.
 */
export interface PolicyBundle {
  policies: PolicySet;
  catalog?: Catalog;
  problems: Finding[];
  /** Present when the bundle came from a cache entry whose rules were compiled and linted clean (below). */
  clean?: CleanCompilation;
}

/**
 * What the build found when it compiled the cached policies' CEL (type-checked against the register
 * schemas) and ran the lints of every load: nothing to report. A run with the same schemas, the
 * same date of entry into force and no parameter overrides would find nothing either, so it may
 * list the rules without compiling them, and compile only what it evaluates (src/check.ts).
 */
export interface CleanCompilation {
  /** The digest of the register schemas compiled against (SchemaSet.digest). */
  schemas: string;
  enforcedOn: string;
}

// 2: the rule test cases left out of the digest; the record of a clean compilation.
const CACHE_FORMAT = 2;
const VERSION = (JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
/** Where `npm run build` puts the shipped policies' entry. */
export const SHIPPED_CACHE_DIR = fileURLToPath(new URL('../policy-cache/', import.meta.url));

interface Entry {
  format: number;
  files: string[];
  rules: { rule: LoadedRule['rule']; file: string; pointer: string }[];
  lookups: { name: string; lookup: LoadedLookup['lookup']; file: string; pointer: string }[];
  catalog?: Omit<Catalog, 'file'> & { file: string };
  clean?: CleanCompilation;
}

function userCacheDir(): string {
  if (process.env.KITEI_CACHE_DIR) return process.env.KITEI_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'kitei');
}

/** The digest of a policy directory, or undefined when it cannot be cached (a listing problem, a file that is not a plain file). */
export async function policyDigest(dir: string): Promise<string | undefined> {
  const listing = await listYamlFiles(dir, 'policy');
  if (listing.problems.length > 0) return undefined;
  const hash = createHash('sha256').update(`kitei ${VERSION} policy-cache ${CACHE_FORMAT}\0`);
  // Read synchronously: some sixty small files, where a promise per read costs more than the read.
  for (const extra of [POLICY_SCHEMA_PATH, CATALOG_SCHEMA_PATH]) hash.update(readFileSync(extra)).update('\0');
  // The rule test cases beside the policies (policies/tests/) are not part of them: editing a case keeps the entry.
  for (const rel of listing.files.filter((f) => !f.startsWith(`${TESTS_DIR}/`)).sort()) {
    const abs = path.join(dir, rel);
    const st = statSync(abs);
    // Only ordinary files of ordinary size: anything else goes the careful way (readYamlFile).
    if (!st.isFile() || st.size > 8 * 1024 * 1024) return undefined;
    hash.update(rel).update('\0').update(readFileSync(abs)).update('\0');
  }
  return hash.digest('hex');
}

/** Loads the policies and the catalog of `dir`, from the cache when an entry for exactly these bytes exists. */
export async function loadPolicyBundle(dir: string): Promise<PolicyBundle> {
  const off = process.env.KITEI_CACHE === 'off';
  const digest = off ? undefined : await policyDigest(dir).catch(() => undefined);
  if (digest) {
    for (const cacheDir of [SHIPPED_CACHE_DIR, userCacheDir()]) {
      const entry = await readEntry(path.join(cacheDir, `${digest}.json`));
      if (entry) return fromEntry(dir, entry);
    }
  }
  const { policies, problems } = await loadPolicies(dir);
  const { catalog, problems: catalogProblems } = await loadCatalog(dir);
  const all = [...problems, ...catalogProblems];
  if (digest && all.length === 0) await writeEntry(path.join(userCacheDir(), `${digest}.json`), toEntry(dir, policies, catalog)).catch(() => undefined);
  return { policies, ...(catalog ? { catalog } : {}), problems: all };
}

/**
 * Builds the entry for `dir` into `cacheDir` (the package build does this for the shipped policies).
 * `verify` compiles the loaded policies and says whether they compiled and linted clean (recorded in the entry).
 */
export async function buildPolicyCache(dir: string, cacheDir: string, verify?: (bundle: PolicyBundle) => Promise<CleanCompilation | undefined>): Promise<string> {
  const digest = await policyDigest(dir);
  if (!digest) throw new Error(`${dir}: the policies cannot be cached (a file listing problem)`);
  const { policies, problems } = await loadPolicies(dir);
  const { catalog, problems: catalogProblems } = await loadCatalog(dir);
  if (problems.length + catalogProblems.length > 0) throw new Error(`${dir}: the policies have problems; run kitei rules to see them`);
  const clean = verify ? await verify({ policies, ...(catalog ? { catalog } : {}), problems: [] }) : undefined;
  const file = path.join(cacheDir, `${digest}.json`);
  await writeEntry(file, { ...toEntry(dir, policies, catalog), ...(clean ? { clean } : {}) });
  return file;
}

/** Paths in an entry are relative to the policy directory: reports show them relative to where kitei runs. */
function relativeTo(dir: string, shown: string): string {
  return path.relative(path.resolve(dir), path.resolve(shown)).split(path.sep).join('/');
}

function toEntry(dir: string, policies: PolicySet, catalog: Catalog | undefined): Entry {
  const rel = (shown: string) => relativeTo(dir, shown);
  return {
    format: CACHE_FORMAT,
    files: policies.files,
    rules: policies.rules.map((r) => ({ rule: r.rule, file: rel(r.source.path), pointer: r.pointer })),
    lookups: policies.lookups.map((l) => ({ name: l.name, lookup: l.lookup, file: rel(l.source.path), pointer: l.pointer })),
    ...(catalog
      ? { catalog: { ...catalog, file: rel(catalog.file), clauses: catalog.clauses.map((c) => ({ ...c, location: { ...c.location, file: rel(c.location.file) } })) } }
      : {}),
  };
}

function fromEntry(dir: string, entry: Entry): PolicyBundle {
  const sources = new Map<string, LazySourceFile>();
  const source = (rel: string) => {
    let s = sources.get(rel);
    if (!s) sources.set(rel, (s = new LazySourceFile(path.join(dir, rel), displayPath(path.join(dir, rel)))));
    return s;
  };
  const shown = (rel: string) => displayPath(path.join(dir, rel));
  const policies: PolicySet = {
    files: entry.files,
    rules: entry.rules.map((r) => ({ rule: r.rule, source: source(r.file), pointer: r.pointer })),
    lookups: entry.lookups.map((l) => ({ name: l.name, lookup: l.lookup, source: source(l.file), pointer: l.pointer })),
  };
  const catalog = entry.catalog
    ? { ...entry.catalog, file: shown(entry.catalog.file), clauses: entry.catalog.clauses.map((c) => ({ ...c, location: { ...c.location, file: shown(c.location.file) } })) }
    : undefined;
  return { policies, ...(catalog ? { catalog } : {}), problems: [], ...(entry.clean ? { clean: entry.clean } : {}) };
}

async function readEntry(file: string): Promise<Entry | undefined> {
  try {
    const entry = JSON.parse(await readFile(file, 'utf8')) as Entry;
    return entry.format === CACHE_FORMAT ? entry : undefined;
  } catch {
    return undefined;
  }
}

async function writeEntry(file: string, entry: Entry): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // Written beside and renamed: a concurrent run reads a whole entry or none.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(entry));
  await rename(tmp, file);
}
