import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Severity } from '../core/findings.js';
import type { Lang } from '../core/lang.js';
import { displayPath } from '../core/paths.js';

/**
 * The reproducibility manifest: which bytes a run judged, with which settings. Every report
 * carries it (the JSON in full, the others its digest), so an auditor holding a report can tell
 * whether it was made from the evidence and policies in front of them.
 *
 * The check computes the inputs' part (`InputManifest`: a sha256 per evidence, policy, catalog
 * and schema file); the report adds kitei's version, the fail-on threshold and the language,
 * and one digest over everything that decides the findings and the exit code.
 */

/** One file of the inputs: its path relative to its directory ('/' separators) and its sha256 (hex). */
export interface FileDigest {
  path: string;
  /** null when the file could not be read again after the check (removed meanwhile, unreadable). */
  sha256: string | null;
}

export interface InputManifest {
  asOf: string;
  /** The --param overrides (only those; the values every rule ran with are in the report's rules). */
  params: Record<string, Record<string, unknown>>;
  evidence: { dir: string; files: FileDigest[] };
  policies: { dir: string; files: FileDigest[] };
  /** The clause catalog beside the policies (path relative to the policies directory), when there is one. */
  catalog: FileDigest | null;
  schemas: { dir: string; files: FileDigest[] };
  /** The waiver files (src/waivers/), when the run read any. */
  waivers?: { dir: string; files: FileDigest[] };
  /** Extra policy directories (kitei.config.yaml `policies`), each with its own catalog when it has one. */
  extraPolicies?: ExtraPoliciesManifest[];
}

export interface ExtraPoliciesManifest {
  dir: string;
  files: FileDigest[];
  catalog: FileDigest | null;
}

/** The manifest as reports show it (docs/json-format.md): the inputs, and the settings that decide the result. */
export interface Manifest extends InputManifest {
  kitei: string;
  language: Lang;
  failOn: Severity;
  /** `sha256:` and the hex sha256 of manifestText(): one value to compare two runs by. */
  digest: string;
}

export interface InputFiles {
  asOf: string;
  params?: Record<string, Record<string, unknown>>;
  evidenceDir: string;
  /** Evidence files as the loader listed them (regular files only), relative to evidenceDir. */
  evidenceFiles: readonly string[];
  policiesDir: string;
  policyFiles: readonly string[];
  schemasDir: string;
  /** The waiver files read, relative to waiversDir (none: no waivers member). */
  waiversDir?: string;
  waiverFiles?: readonly string[];
  /** Extra policy directories and their policy files (relative to each directory). */
  extraPolicies?: readonly { dir: string; files: readonly string[]; catalog: boolean }[];
}

/**
 * Hashes every input file of a check. The files are read again, after the evaluation, from the
 * paths the loaders listed: only regular files are listed, so nothing read here can block. A
 * file changed between the evaluation and this hash would show a digest that does not match what
 * was judged; the window is the evaluation's duration, and a CI checkout does not change under it.
 */
export async function inputManifest(input: InputFiles): Promise<InputManifest> {
  // Files are hashed a few at a time (most are small: the cost is the open, not the hash); the order is the listing's.
  const digests = async (dir: string, files: readonly string[]) => {
    const sorted = [...files].sort();
    const out: FileDigest[] = new Array(sorted.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < sorted.length; i = next++) out[i] = { path: sorted[i]!, sha256: await sha256File(path.join(dir, sorted[i]!)) };
    };
    await Promise.all(Array.from({ length: Math.min(16, sorted.length) }, worker));
    return out;
  };
  // The configuration's schema judges no input: what the configuration changed is in the settings (params, extra policies).
  const schemaFiles = await readdir(input.schemasDir).then((names) => names.filter((n) => n.endsWith('.schema.json') && n !== 'config.schema.json')).catch(() => []);
  const waiverFiles = input.waiversDir !== undefined && (input.waiverFiles?.length ?? 0) > 0 ? { dir: input.waiversDir, files: input.waiverFiles! } : undefined;
  const [evidence, policies, catalog, schemas, policiesDir, schemasDir, waivers] = await Promise.all([
    digests(input.evidenceDir, input.evidenceFiles),
    digests(input.policiesDir, input.policyFiles),
    sha256File(path.join(input.policiesDir, 'catalog.yaml')),
    digests(input.schemasDir, schemaFiles),
    realDisplayPath(input.policiesDir),
    realDisplayPath(input.schemasDir),
    waiverFiles ? digests(waiverFiles.dir, waiverFiles.files) : undefined,
  ]);
  const extraPolicies = await Promise.all(
    (input.extraPolicies ?? []).map(async (e) => {
      const catalog = e.catalog ? await sha256File(path.join(e.dir, 'catalog.yaml')) : null;
      return { dir: await realDisplayPath(e.dir), files: await digests(e.dir, e.files), catalog: catalog !== null ? { path: 'catalog.yaml', sha256: catalog } : null };
    }),
  );
  return {
    asOf: input.asOf,
    params: normalise(input.params ?? {}),
    evidence: { dir: input.evidenceDir, files: evidence },
    policies: { dir: policiesDir, files: policies },
    catalog: catalog !== null ? { path: 'catalog.yaml', sha256: catalog } : null,
    schemas: { dir: schemasDir, files: schemas },
    ...(waiverFiles && waivers ? { waivers: { dir: waiverFiles.dir, files: waivers } } : {}),
    ...(extraPolicies.length > 0 ? { extraPolicies } : {}),
  };
}

/** The manifest a report carries: the inputs, and the settings of the run that decide its result. */
export function reportManifest(inputs: InputManifest, run: { version: string; failOn: Severity; lang: Lang }): Manifest {
  const m: Omit<Manifest, 'digest'> = {
    kitei: run.version,
    asOf: inputs.asOf,
    language: run.lang,
    failOn: run.failOn,
    params: inputs.params,
    evidence: inputs.evidence,
    policies: inputs.policies,
    catalog: inputs.catalog,
    schemas: inputs.schemas,
    ...(inputs.waivers ? { waivers: inputs.waivers } : {}),
    ...(inputs.extraPolicies ? { extraPolicies: inputs.extraPolicies } : {}),
  };
  return { ...m, digest: `sha256:${createHash('sha256').update(manifestText(m), 'utf8').digest('hex')}` };
}

/**
 * The text the digest is taken over, one line per item. It holds what decides the findings and
 * the exit code: kitei's version, the as-of date, fail-on, the overrides, and each file's path
 * within its directory with its sha256. The directories themselves are left out (the same
 * evidence checked out elsewhere gives the same digest), and so is the language, which changes
 * only the wording: a report rendered again in English keeps the digest.
 */
export function manifestText(m: Omit<Manifest, 'digest' | 'language'> & { language?: Lang }): string {
  const lines = ['kitei-manifest 1', `kitei ${JSON.stringify(m.kitei)}`, `asOf ${m.asOf}`, `failOn ${m.failOn}`, `params ${canonicalJson(m.params)}`];
  const file = (kind: string, f: FileDigest) => lines.push(`${kind} ${JSON.stringify(f.path)} ${f.sha256 ?? '-'}`);
  for (const f of m.evidence.files) file('evidence', f);
  for (const f of m.policies.files) file('policy', f);
  if (m.catalog) file('catalog', m.catalog);
  for (const f of m.schemas.files) file('schema', f);
  for (const f of m.waivers?.files ?? []) file('waiver', f);
  // Only runs with extra policy directories have these lines: the digest of any other run is unchanged.
  (m.extraPolicies ?? []).forEach((e, i) => {
    for (const f of e.files) file(`extra-policy ${i + 1}`, f);
    if (e.catalog) file(`extra-catalog ${i + 1}`, e.catalog);
  });
  return lines.join('\n') + '\n';
}

/** sha256 of a file's bytes, read as a stream; null when it is not a readable regular file. */
export async function sha256File(file: string): Promise<string | null> {
  try {
    const st = await stat(file);
    if (!st.isFile()) return null;
    const hash = createHash('sha256');
    // Small files (every policy and schema, most registers) in one read; large ones streamed.
    if (st.size <= 1024 * 1024) hash.update(await readFile(file));
    else for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return null;
  }
}

/** Where a directory really is (links resolved), named as reports name files. */
export async function realDisplayPath(dir: string): Promise<string> {
  return displayPath(await realpath(dir).catch(() => dir));
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A value as it reads back from JSON (undefined members gone, non-finite numbers null). */
function normalise<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
