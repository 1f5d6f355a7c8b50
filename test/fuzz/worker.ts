/**
 * The fuzzer's worker thread: loads the rules once, keeps its own copy of the example evidence
 * in a temporary directory, and for each job writes the case into it, runs the check (twice when
 * asked), renders every report, checks the invariants, and puts the tree back. The parent
 * terminates the thread when a job takes too long, so a hang cannot stall the run.
 */
import { lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { checkWith, DEFAULT_POLICIES_DIR, loadRules, type CheckResult } from '../../src/check.js';
import { nativeMismatches } from '../../src/engine/cel/native.js';
import { exitCode } from '../../src/exit-code.js';
import { buildReportModel, REPORTERS, reportText } from '../../src/report/index.js';
import type { FromWorker, Job, ToWorker, TreeOp, Verdict, WorkerInit } from './protocol.js';
import { errorSignature, firstDifference } from './signature.js';

Error.stackTraceLimit = 25;
// The yaml package warns (process.emitWarning) about keys it has to stringify; here that is noise.
process.removeAllListeners('warning');
const port = parentPort!;
const init = workerData as WorkerInit;
const post = (m: FromWorker) => port.postMessage(m);

const loaded = await loadRules({});
if (loaded.problems.length > 0) {
  post({ type: 'fatal', message: `the shipped policies do not load cleanly: ${loaded.problems.map((p) => `${p.code} ${p.message.en}`).join('; ')}` });
} else {
  const base = await mkdtemp(path.join(tmpdir(), 'kitei-fuzz-'));
  const treeDir = path.join(base, 'evidence');
  const aloneDir = path.join(base, 'alone');
  const pristine = new Map(init.corpus.map((f) => [f.rel, Buffer.from(f.data)] as const));
  const pristineTop = new Set([...pristine.keys()].map((rel) => rel.split('/')[0]!));
  await writeTree(treeDir, pristine);
  await mkdir(aloneDir, { recursive: true });
  const pristineListing = (await listing(treeDir)).map((e) => e.split(' ')[0]).join('\n');

  port.on('message', (msg: ToWorker) => {
    void runJob(msg.job).then((verdict) => post({ type: 'done', id: msg.job.id, verdict }));
  });
  post({ type: 'ready', dirs: { base, tree: treeDir, alone: aloneDir } });

  async function runJob(job: Job): Promise<Verdict> {
    const dir = job.alone ? aloneDir : treeDir;
    const contents = new Map<string, Buffer>(job.alone ? [] : pristine);
    try {
      await applyOps(dir, job.ops, contents);
    } catch (e) {
      await restore(dir, job);
      return { ok: false, kind: 'harness', message: `the fuzzer could not write the case: ${describe(e)}`, detail: (e as Error)?.stack, signature: errorSignature('harness', e) };
    }
    const before = await listing(dir);
    let verdict: Verdict;
    try {
      verdict = await examine(dir, contents, job.twice);
    } catch (e) {
      verdict = { ok: false, kind: 'exception', message: describe(e), detail: (e as Error)?.stack, signature: errorSignature('exception', e) };
    }
    const after = await listing(dir);
    if (verdict.ok && after.join('\n') !== before.join('\n')) {
      const d = firstDifference(before.join('\n'), after.join('\n'));
      verdict = { ok: false, kind: 'wrote-evidence', message: 'the check changed the evidence directory', detail: d, signature: 'wrote-evidence' };
    }
    await restore(dir, job);
    return verdict;
  }

  async function restore(dir: string, job: Job): Promise<void> {
    if (job.alone) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      return;
    }
    for (const op of job.ops) {
      const top = op.rel.split('/')[0]!;
      await rm(path.join(dir, pristineTop.has(top) ? op.rel : top), { recursive: true, force: true });
      const original = pristine.get(op.rel);
      if (original) await writeFile(path.join(dir, op.rel), original);
    }
    // Anything else out of place (it should not be): start again from a fresh copy.
    if ((await listing(dir)).map((e) => e.split(' ')[0]).join('\n') !== pristineListing) {
      await rm(dir, { recursive: true, force: true });
      await writeTree(dir, pristine);
    }
  }
}

async function writeTree(dir: string, files: ReadonlyMap<string, Buffer>): Promise<void> {
  for (const [rel, data] of files) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), data);
  }
}

async function applyOps(dir: string, ops: readonly TreeOp[], contents: Map<string, Buffer>): Promise<void> {
  for (const op of ops) {
    const p = path.join(dir, op.rel);
    await rm(p, { recursive: true, force: true });
    contents.delete(op.rel);
    if (op.op === 'delete') continue;
    await mkdir(path.dirname(p), { recursive: true });
    if (op.op === 'write') {
      await writeFile(p, op.data);
      contents.set(op.rel, Buffer.from(op.data));
    } else if (op.op === 'symlink') await symlink(op.target, p);
    else if (op.op === 'fifo') execFileSync('mkfifo', [p]);
    else await mkdir(p, { recursive: true });
  }
}

/** Every entry below `dir` (symlinks not followed) with its type, size and modification time. */
async function listing(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    const names = (await readdir(path.join(dir, rel))).sort();
    for (const name of names) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(path.join(dir, r));
      const type = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : st.isFIFO() ? 'fifo' : 'file';
      out.push(`${r} ${type} ${st.size} ${st.mtimeMs}`);
      if (type === 'dir') await walk(r);
    }
  };
  await walk('');
  return out;
}

/** The YAML files the loader must list: regular files with a YAML name, outside hidden folders. */
async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(r);
    }
  };
  await walk('');
  return out.sort();
}

interface Rendered {
  json: string;
  textJa: string;
  textEn: string;
}

function render(r: CheckResult): Rendered {
  const run = { failOn: 'low' as const, exitCode: exitCode(r.findings, 'low'), version: 'fuzz' };
  const model = (lang: 'ja' | 'en') => buildReportModel(r, { ...run, lang });
  return {
    json: reportText(REPORTERS.json(model('en'), { lang: 'en' })),
    textJa: reportText(REPORTERS.text(model('ja'), { lang: 'ja' })),
    textEn: reportText(REPORTERS.text(model('en'), { lang: 'en' })),
  };
}

async function examine(dir: string, contents: ReadonlyMap<string, Buffer>, twice: boolean): Promise<Verdict> {
  const options = { evidenceDir: dir, asOf: init.asOf };
  const differences = nativeMismatches.length;
  const first = await checkWith(loaded, options);
  // Under KITEI_CEL_VERIFY=1 every expression also ran through cel-js: the compiled CEL must have answered as it did.
  const differed = nativeMismatches[differences];
  if (differed) return { ok: false, kind: 'invariant', message: `compiled CEL answered otherwise than cel-js: ${differed.expression}`, detail: `compiled ${differed.native}, cel-js ${differed.cel}`, signature: 'invariant compiled CEL differs from cel-js' };
  const out = render(first);
  const broken = await invariants(first, dir, contents);
  if (broken) return broken;
  if (!twice) return { ok: true, findings: first.findings.length };
  const again = render(await checkWith(loaded, options));
  for (const key of ['json', 'textJa', 'textEn'] as const) {
    if (out[key] !== again[key]) {
      return { ok: false, kind: 'nondeterminism', message: `the ${key} report differs between two runs on the same tree`, detail: firstDifference(out[key], again[key]), signature: `nondeterminism ${key}` };
    }
  }
  return { ok: true, findings: first.findings.length };
}

const policyTexts = new Map<string, Buffer>();

/** What every result must satisfy: listed files, codes on errors, positions inside the file. */
async function invariants(r: CheckResult, dir: string, contents: ReadonlyMap<string, Buffer>): Promise<Verdict | undefined> {
  const fail = (what: string, detail: string): Verdict => ({ ok: false, kind: 'invariant', message: `${what}: ${detail}`, detail, signature: `invariant ${what}` });
  // Every YAML file is checked, or has a finding saying why it was not (too large, past the total…).
  const rel = (f: string) => (path.isAbsolute(f) ? path.relative(dir, f).split(path.sep).join('/') : f);
  const accounted = new Set(r.evidence.files.map(rel));
  for (const f of r.findings) if (f.outcome === 'error' && f.location) accounted.add(path.relative(dir, path.resolve(f.location.file)).split(path.sep).join('/'));
  for (const f of await yamlFiles(dir)) if (!accounted.has(f)) return fail('a YAML file was neither checked nor reported', f);

  const lines = new Map<string, LineInfo | null>();
  const infoOf = (file: string): LineInfo | null | undefined => {
    const abs = path.resolve(file);
    if (lines.has(abs)) return lines.get(abs);
    let info: LineInfo | null | undefined;
    const rel = path.relative(dir, abs).split(path.sep).join('/');
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
      const data = contents.get(rel);
      info = data ? lineInfo(data) : null; // null: in the tree but not a file we wrote (a symlink, a folder)
    } else if (abs.startsWith(DEFAULT_POLICIES_DIR + path.sep)) {
      let data = policyTexts.get(abs);
      if (!data) policyTexts.set(abs, (data = readFileSync(abs)));
      info = lineInfo(data);
    }
    lines.set(abs, info ?? null);
    return info === undefined ? undefined : info;
  };

  for (const f of r.findings) {
    const what = `${f.code ?? f.ruleId}`;
    if (f.outcome === 'error' && !f.code) return fail('an error finding has no code', `${f.ruleId}: ${f.message.en}`);
    if (f.outcome === 'error' && f.code?.startsWith('evidence/') && f.code !== 'evidence/register-missing' && !f.location) return fail('an evidence error has no location', `${what}: ${f.message.en}`);
    const loc = f.location;
    if (!loc) continue;
    const where = `${what} at ${loc.line}:${loc.column}`;
    if (!Number.isInteger(loc.line) || !Number.isInteger(loc.column) || loc.line < 1 || loc.column < 1) return fail('a location is not a positive line and column', where);
    const info = infoOf(loc.file);
    if (info === undefined) return fail('a location names a file outside the evidence and the policies', `${what} in ${loc.file}`);
    if (info === null) {
      if (loc.line !== 1 || loc.column !== 1) return fail('a location inside a file that is not a regular file', where);
      continue;
    }
    if (loc.line > info.count) return fail('a location is beyond the last line', `${where} (the file has ${info.count} lines)`);
    if (loc.column > info.maxColumn(loc.line)) return fail('a location is beyond the end of its line', `${where} (the line is ${info.maxColumn(loc.line) - 1} bytes long)`);
  }
  return undefined;
}

interface LineInfo {
  /** Lines, counting any of \n, \r\n and \r as a break. */
  count: number;
  /** One past the line's length in bytes (an upper bound for a column counted in any unit). */
  maxColumn(line: number): number;
}

function lineInfo(data: Buffer): LineInfo {
  const s = data.toString('utf8');
  const lf = s.split('\n');
  const any = s.split(/\r\n|\r|\n/);
  return {
    count: Math.max(lf.length, any.length),
    maxColumn: (line) => Math.max(Buffer.byteLength(lf[line - 1] ?? ''), Buffer.byteLength(any[line - 1] ?? '')) + 1,
  };
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message.split('\n')[0]}`;
  return `non-Error thrown: ${String(e)}`;
}
