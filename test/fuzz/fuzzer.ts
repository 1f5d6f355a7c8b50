/**
 * The fuzzer's driver: generates the cases of a seed, runs them on worker threads, groups the
 * failures by signature, shrinks the first case of each group, and formats the report. Used by
 * the test (`fuzz.test.ts`, a bounded run inside `npm test`) and by `npm run fuzz` (`cli.ts`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { minimise, type Budget, type Minimal } from './minimise.js';
import { caseOps, generateCase, type CorpusFile, type FuzzCase } from './mutate.js';
import { FuzzWorker } from './pool.js';
import type { FailureKind } from './protocol.js';
import { isUtf8, visible } from './signature.js';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const EVIDENCE_DIR = path.join(REPO, 'evidence');
/** The example evidence is a snapshot of 2026-11-20, checked as of 2026-11-24 (as `npm run check` does). */
export const AS_OF = '2026-11-24';

export interface FuzzOptions {
  seed: string;
  /** How many cases, from index `first`. */
  cases: number;
  first: number;
  /** Run this one case index only (to replay a failure). */
  only?: number;
  workers: number;
  /** The hang bound: one case (two checks and their reports) must finish within it. */
  timeoutMs: number;
  /** The budget for shrinking each distinct failure, and how many distinct failures to shrink. */
  minimise: Budget & { failures: number };
  log?: (line: string) => void;
}

export interface FailureClass {
  signature: string;
  kind: FailureKind;
  message: string;
  detail?: string;
  count: number;
  first: FuzzCase;
  /** A few more cases that failed the same way (index and mutators), to show its variety. */
  others: { index: number; file: string; mutators: string[]; tree: string[] }[];
  minimal?: Minimal;
}

export interface FuzzReport {
  options: FuzzOptions;
  ran: number;
  mutations: number;
  ms: number;
  failures: FailureClass[];
  workerStarts: number;
}

/** Options from the environment (KITEI_FUZZ_*), over the given defaults. */
export function optionsFromEnv(defaults: FuzzOptions, env: NodeJS.ProcessEnv = process.env): FuzzOptions {
  const num = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (it is "${raw}")`);
    return n;
  };
  const only = env.KITEI_FUZZ_CASE;
  return {
    ...defaults,
    seed: env.KITEI_FUZZ_SEED || defaults.seed,
    cases: num('KITEI_FUZZ_CASES', defaults.cases),
    first: num('KITEI_FUZZ_FIRST', defaults.first),
    workers: Math.max(1, num('KITEI_FUZZ_WORKERS', defaults.workers)),
    timeoutMs: num('KITEI_FUZZ_TIMEOUT_MS', defaults.timeoutMs),
    ...(only !== undefined && only !== '' ? { only: num('KITEI_FUZZ_CASE', 0) } : {}),
  };
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/** The example evidence: every YAML file below evidence/, sorted by path. */
export function loadCorpus(dir = EVIDENCE_DIR): CorpusFile[] {
  const out: CorpusFile[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const p = path.join(dir, r);
      if (statSync(p).isDirectory()) walk(r);
      else if (/\.ya?ml$/i.test(name)) out.push({ rel: r, data: new Uint8Array(readFileSync(p)) });
    }
  };
  walk('');
  return out;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const corpus = loadCorpus();
  const init = { corpus: corpus.map((f) => ({ rel: f.rel, data: f.data })), asOf: AS_OF };
  const indices = options.only !== undefined ? [options.only] : Array.from({ length: options.cases }, (_, i) => options.first + i);
  const pool = Array.from({ length: Math.min(options.workers, Math.max(1, indices.length)) }, () => new FuzzWorker(init));
  const classes = new Map<string, FailureClass>();
  let next = 0;
  let ran = 0;
  let mutations = 0;
  const every = Math.max(1, Math.round(indices.length / 20));

  const lane = async (worker: FuzzWorker) => {
    while (next < indices.length) {
      const index = indices[next++]!;
      const c = generateCase(options.seed, index, corpus);
      const v = await worker.run({ ops: caseOps(c), alone: false, twice: true }, options.timeoutMs);
      ran++;
      mutations += c.mutators.length;
      if (!v.ok) {
        const known = classes.get(v.signature);
        if (known) {
          known.count++;
          const other = index < known.first.index ? known.first : c;
          if (index < known.first.index) known.first = c;
          if (known.others.length < 8) known.others.push({ index: other.index, file: other.file, mutators: other.mutators, tree: other.extra.map((e) => `${e.op} ${e.rel}`) });
        } else {
          classes.set(v.signature, { signature: v.signature, kind: v.kind, message: v.message, ...(v.detail ? { detail: v.detail } : {}), count: 1, first: c, others: [] });
          log(`case ${index} (${c.file}: ${c.mutators.join(', ')}): ${v.kind}: ${v.message}`);
        }
      }
      if (ran % every === 0) log(`${ran}/${indices.length} cases, ${classes.size} distinct failures, ${Math.round((Date.now() - started) / 1000)} s`);
    }
  };

  try {
    await Promise.all(pool.map(lane));
    const failures = [...classes.values()].sort((a, b) => a.first.index - b.first.index);
    const shrinker = pool[0]!;
    for (const f of failures.slice(0, options.minimise.failures)) {
      log(`shrinking case ${f.first.index} (${f.signature})`);
      f.minimal = await minimise((job) => shrinker.run(job, options.timeoutMs), f.first, f.signature, options.minimise, () => shrinker.stop());
    }
    return { options, ran, mutations, ms: Date.now() - started, failures, workerStarts: pool.reduce((n, w) => n + w.starts, 0) };
  } finally {
    await Promise.all(pool.map((w) => w.stop()));
  }
}

/** How to run one case again, as a command line. */
export function replayCommand(seed: string, index: number): string {
  return `KITEI_FUZZ_SEED=${shellQuote(seed)} KITEI_FUZZ_CASE=${index} npm run fuzz`;
}

function shellQuote(s: string): string {
  return /^[\w.-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function formatReport(r: FuzzReport): string {
  const o = r.options;
  const range = o.only !== undefined ? `case ${o.only}` : `cases ${o.first}–${o.first + o.cases - 1}`;
  const head = `kitei fuzz: seed ${o.seed}, ${range}: ${r.ran} cases (${r.mutations} mutations) in ${(r.ms / 1000).toFixed(1)} s on ${o.workers} worker(s), hang bound ${o.timeoutMs} ms`;
  if (r.failures.length === 0) return `${head}\nno failures`;
  const out = [head, `${r.failures.length} distinct failure(s):`];
  r.failures.forEach((f, i) => {
    const c = f.first;
    out.push('');
    out.push(`[${i + 1}] ${f.kind}: ${f.message}`);
    out.push(`    ${f.count} of ${r.ran} cases; signature: ${f.signature}`);
    out.push(`    first: seed ${c.seed}, case ${c.index}; evidence file ${c.file}${c.target !== c.file ? ` written as ${c.target}` : ''}; mutators: ${c.mutators.join(', ')}`);
    if (c.extra.length > 0) out.push(`    tree: ${c.extra.map((e) => `${e.op} ${e.rel}${e.op === 'symlink' ? ` -> ${e.target}` : ''}`).join('; ')}`);
    out.push(`    replay: ${replayCommand(c.seed, c.index)}`);
    if (f.detail) out.push(indent(f.detail.split('\n').slice(0, 14).join('\n'), '    | '));
    out.push(...describeMinimal(f.minimal));
    if (f.others.length > 0) {
      out.push(`    other cases like it:`);
      for (const o of [...f.others].sort((a, b) => a.index - b.index)) out.push(`      case ${o.index}: ${o.file}: ${o.mutators.join(', ')}${o.tree.length > 0 ? ` (${o.tree.join('; ')})` : ''}`);
    }
  });
  return out.join('\n');
}

function describeMinimal(m: Minimal | undefined): string[] {
  if (!m) return ['    (not shrunk: over the limit of failures to shrink)'];
  if (m.treeOnly) return ['    minimal reproducer: the tree changes above, on the example evidence as it is (the mutated file does not matter)'];
  const text = Buffer.from(m.data).toString('utf8');
  const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const where = m.alone ? `${m.target}, alone in an otherwise empty evidence directory` : `${m.target}, among the example evidence (with the tree changes above)`;
  const out = m.reproduced
    ? [`    minimal reproducer (${where}; ${lines} line(s), ${m.data.length} bytes; ${m.tries} tries):`]
    : [`    did not happen again when replayed (in the same worker, then in a fresh one): it depends on the thread's state. The case's file, unshrunk (${where}; ${lines} line(s), ${m.data.length} bytes):`];
  const shown = visible(text);
  out.push(`      ${shown.length > 4000 ? `${shown.slice(0, 4000)}… (${shown.length - 4000} more characters)` : shown}`);
  if (!isUtf8(m.data)) {
    out.push(`      (not valid UTF-8; U+FFFD above marks the bad bytes) bytes, ${m.data.length <= 600 ? 'hex' : 'base64'}:`);
    const b = Buffer.from(m.data);
    const enc = m.data.length <= 600 ? b.toString('hex').replace(/(..)(?!$)/g, '$1 ') : b.toString('base64');
    out.push(`      ${enc.length > 4000 ? `${enc.slice(0, 4000)}…` : enc}`);
  }
  return out;
}

function indent(s: string, prefix: string): string {
  return s
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}
