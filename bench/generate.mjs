#!/usr/bin/env node
// Realistic evidence at N records, for the benchmark (issue 9, item 1).
//
//   node bench/generate.mjs --records 100000 [--out DIR] [--from evidence] [--check]
//
// The committed example (evidence/*.yaml) is copy 0, byte for byte. Every further copy repeats
// the records of the per-department registers with
//   - every record id renumbered into its own range (S-001 → S-1001 in copy 1, S-2001 in copy 2 …,
//     so the schemas' id patterns still hold), and every reference to it inside the copy rewritten
//     the same way, so each copy is a self-contained, consistent organisation unit;
//   - every value that must be unique per person or thing (login ids, the contractor's staff codes,
//     certificate serials, host names) made unique per copy, consistently inside the copy, so two
//     records that shared a value in the example still share it in their copy;
//   - the organisation-wide registers (organization, roles) kept single, and so are the records
//     they point to (the appointed officers in staff): the copies keep pointing at them, which is
//     what the rules expect ("reviewed by the data protection manager" …). Records that belong to
//     an officer personally (their accounts and training) are not copied either: an officer has
//     one login per system whatever the size of the union.
// The copies are taken from the record's own text (comments, quoting, 和暦 dates and all), so the
// generated files read like the example. Nothing is random: the same N gives the same bytes.
//
// As a module: `generate({ records, out, from })` → { dir, files, bytes, records, copies, perCopy }.
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';

export const EXAMPLE_DIR = fileURLToPath(new URL('../evidence/', import.meta.url));

/** Registers an organisation has one of, whatever its size: rules name their records by fixed ids. */
export const SINGLE_REGISTERS = new Set(['organization', 'roles']);

/** Fields whose value identifies one person or thing, so it must differ between copies. */
export const UNIQUE_FIELDS = ['loginId', 'personCode', 'serial', 'hostname'];

/**
 * Fields that say whose record it is: a record of these registers whose owner is an officer (a
 * record kept single) is not copied. An officer's second active login per system would break
 * "one active account per holder"; a second copy of their training record is merely redundant.
 */
export const OWNER_FIELDS = { accounts: 'holder', training: 'staff' };

// An id-like token: S-001, INC-0012, DK-001 … (not a part of a longer token such as MKS-RM-001).
const TOKEN = /(?<![\w.-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?![\w-])/g;
const UNIQUE_LINE = new RegExp(`^(\\s*(?:- )?(?:${UNIQUE_FIELDS.join('|')}):[ \\t]+)(.*?)([ \\t]+#.*)?$`);

/** Reads the example: per file, its header text, its records' values and each record's own text. */
export function readExample(from = EXAMPLE_DIR) {
  const files = [];
  for (const rel of listYaml(from)) {
    const text = readFileSync(path.join(from, rel), 'utf8');
    const value = parse(text);
    if (!value || typeof value !== 'object' || !Array.isArray(value.records)) throw new Error(`${rel}: not a register file`);
    const { header, chunks } = splitRecords(text, value.records);
    files.push({ rel, register: value.register, header, records: value.records, chunks });
  }
  return files;
}

function listYaml(dir, prefix = '') {
  const out = [];
  for (const name of readdirSync(path.join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(path.join(dir, rel)).isDirectory()) out.push(...listYaml(dir, rel));
    else if (/\.ya?ml$/.test(name)) out.push(rel);
  }
  return out;
}

/**
 * Splits a register file into the text before its first record and one text per record (from its
 * `- ` to the next one, comments included). Files whose records are not a plain block sequence
 * at the end of the file fall back to the records re-serialised.
 */
function splitRecords(text, records) {
  const lines = text.split(/(?<=\n)/);
  const at = lines.findIndex((l) => /^records:\s*(#.*)?$/.test(l.trimEnd()));
  const first = lines.findIndex((l, i) => i > at && /^\s*- /.test(l));
  if (at >= 0 && first > at) {
    const indent = /^(\s*)- /.exec(lines[first])[1];
    const starts = [];
    let plain = true;
    for (let i = first; i < lines.length && plain; i++) {
      if (lines[i].startsWith(`${indent}- `)) starts.push(i);
      else if (/^\S/.test(lines[i]) && !lines[i].startsWith('#')) plain = false;
    }
    if (plain && starts.length === records.length) {
      const header = lines.slice(0, first).join('');
      const chunks = starts.map((s, k) => lines.slice(s, starts[k + 1] ?? lines.length).join(''));
      if (!chunks.at(-1).endsWith('\n')) chunks[chunks.length - 1] += '\n';
      return { header, chunks };
    }
  }
  const head = stringify({ ...Object.fromEntries(Object.entries(parse(text)).filter(([k]) => k !== 'records')), records: [] }).replace(/records: \[\]\n$/, 'records:\n');
  return { header: head, chunks: records.map((r) => stringify({ records: [r] }).replace(/^records:\n/, '')) };
}

/**
 * Works out what each copy repeats and how: the records copied, the ids renumbered (with the
 * width of their numbers), and each record's text as a template of literal parts, ids and
 * unique values.
 */
export function plan(files) {
  const single = new Set();
  const idsOf = new Map();
  for (const f of files) for (const r of f.records) if (r && typeof r.id === 'string') idsOf.set(r.id, f.register);
  // Officers and other records the single registers point at stay single.
  for (const f of files) {
    if (!SINGLE_REGISTERS.has(f.register)) continue;
    for (const r of f.records) if (r && typeof r.id === 'string') single.add(r.id);
    for (const c of f.chunks) for (const t of c.match(TOKEN) ?? []) if (idsOf.has(t)) single.add(t);
  }
  const kept = (f, r) => {
    if (SINGLE_REGISTERS.has(f.register)) return false;
    if (!r || typeof r.id !== 'string' || single.has(r.id)) return false;
    const owner = OWNER_FIELDS[f.register];
    return !(owner && single.has(r[owner]));
  };
  // Renumbering: per prefix, copy c adds c × 10^(widest number of that prefix).
  const renumber = new Map();
  const width = new Map();
  for (const id of idsOf.keys()) {
    const m = /^(.*-)(\d+)$/.exec(id);
    if (m) width.set(m[1], Math.max(width.get(m[1]) ?? 0, m[2].length));
  }
  for (const f of files) {
    for (const r of f.records) {
      if (!kept(f, r)) continue;
      const m = /^(.*-)(\d+)$/.exec(r.id);
      if (!m) throw new Error(`${f.rel}: record id ${r.id} has no number to renumber`);
      renumber.set(r.id, { prefix: m[1], n: Number(m[2]), scale: 10 ** width.get(m[1]) });
    }
  }
  const out = files.map((f) => {
    const templates = [];
    f.records.forEach((r, k) => {
      if (kept(f, r)) templates.push(template(f.chunks[k], renumber));
    });
    return { ...f, templates };
  });
  const perCopy = out.reduce((n, f) => n + f.templates.length, 0);
  const base = files.reduce((n, f) => n + f.records.length, 0);
  return { files: out, base, perCopy, renumbered: renumber.size };
}

/** A record's text as [literal, {id}, literal, {unique}, …]. */
function template(chunk, renumber) {
  const parts = [];
  let lit = '';
  for (const line of chunk.split(/(?<=\n)/)) {
    const u = UNIQUE_LINE.exec(line.replace(/\r?\n$/, ''));
    if (u && u[2] !== '') {
      lit += u[1];
      parts.push(lit, { unique: u[2] });
      lit = (u[3] ?? '') + line.slice(line.replace(/\r?\n$/, '').length);
      continue;
    }
    let last = 0;
    for (const m of line.matchAll(TOKEN)) {
      const r = renumber.get(m[0]);
      if (!r) continue;
      lit += line.slice(last, m.index);
      parts.push(lit, { id: r });
      lit = '';
      last = m.index + m[0].length;
    }
    lit += line.slice(last);
  }
  parts.push(lit);
  return parts;
}

/** A unique value for copy c: the same in every record of the copy, quoting kept. */
function uniqueValue(v, c) {
  const q = v[0];
  if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) return `${v.slice(0, -1)}-c${c}${q}`;
  return `${v}-c${c}`;
}

function render(parts, c) {
  let s = '';
  for (const p of parts) {
    if (typeof p === 'string') s += p;
    else if (p.id) s += p.id.prefix + String(c * p.id.scale + p.id.n);
    else s += uniqueValue(p.unique, c);
  }
  return s;
}

/** How many copies give about `records` records: the example itself, then whole copies. */
export function copiesFor(records, base, perCopy) {
  if (!(records > base)) return 1;
  return 1 + Math.max(0, Math.round((records - base) / perCopy));
}

/** Writes the generated tree; returns what it wrote. */
export function generate({ records, out, from = EXAMPLE_DIR } = {}) {
  const p = plan(readExample(from));
  const copies = copiesFor(records ?? p.base, p.base, p.perCopy);
  const dir = out ?? mkdtempSync(path.join(tmpdir(), 'kitei-bench-'));
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  let total = 0;
  const files = [];
  for (const f of p.files) {
    const target = path.join(dir, f.rel);
    mkdirSync(path.dirname(target), { recursive: true });
    const fd = openSync(target, 'w');
    let buf = f.header + f.chunks.join('');
    let n = f.records.length;
    const flush = () => {
      if (buf) bytes += writeSync(fd, buf);
      buf = '';
    };
    for (let c = 1; c < copies; c++) {
      for (const t of f.templates) {
        buf += render(t, c);
        n++;
        if (buf.length > 1 << 20) flush();
      }
    }
    flush();
    closeSync(fd);
    total += n;
    files.push({ file: f.rel, register: f.register, records: n });
  }
  return { dir, files, bytes, records: total, copies, perCopy: p.perCopy, base: p.base };
}

function argValue(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args) {
  if (args.includes('--help')) {
    console.log('usage: node bench/generate.mjs [--records N] [--out DIR] [--from DIR] [--check [--policies DIR] [--schemas DIR]]');
    return;
  }
  const records = Number(argValue(args, '--records') ?? 0) || undefined;
  const out = argValue(args, '--out');
  if (out && existsSync(out) && readdirSync(out).length > 0) throw new Error(`--out ${out}: not empty`);
  const t0 = performance.now();
  const g = generate({ records, out: out && path.resolve(out), from: path.resolve(argValue(args, '--from') ?? EXAMPLE_DIR) });
  const ms = performance.now() - t0;
  console.log(`${g.dir}: ${g.records} records in ${g.files.length} files, ${g.bytes} bytes (${(g.bytes / 2 ** 20).toFixed(1)} MiB); ` +
    `${g.copies} copies (the example's ${g.base} records, then ${g.perCopy} per copy); ${(ms / 1000).toFixed(1)} s`);
  if (args.includes('--check')) {
    const dirs = { policiesDir: argValue(args, '--policies'), schemasDir: argValue(args, '--schemas') };
    const counts = await countOutcomes(g.dir, g.bytes, dirs);
    console.log(`kitei check --as-of 2026-11-24: ${Object.entries(counts.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const [rule, n] of Object.entries(counts.failsByRule)) console.log(`  fail  ${rule}: ${n}`);
  }
}

/** Runs the check in this process and counts the outcomes (and the fails per rule). */
export async function countOutcomes(dir, bytes = Infinity, { asOf = '2026-11-24', policiesDir, schemasDir } = {}) {
  const { check } = await import('../dist/check.js');
  const { DEFAULT_LIMITS } = await import('../dist/core/limits.js');
  const size = Math.max(DEFAULT_LIMITS.totalBytes, Number.isFinite(bytes) ? bytes * 2 : 0);
  const limits = { ...DEFAULT_LIMITS, fileBytes: size, totalBytes: size, recordsPerFile: Number.MAX_SAFE_INTEGER };
  const result = await check({ evidenceDir: dir, asOf, input: { limits }, ...(policiesDir ? { policiesDir } : {}), ...(schemasDir ? { schemasDir } : {}) });
  const outcomes = { pass: 0, fail: 0, not_applicable: 0, error: 0 };
  const failsByRule = {};
  for (const f of result.findings) {
    outcomes[f.outcome] = (outcomes[f.outcome] ?? 0) + 1;
    if (f.outcome === 'fail' || f.outcome === 'error') {
      const key = `${f.outcome === 'error' ? 'error ' : ''}${f.ruleId}${f.assertion ? `/${f.assertion}` : ''}`;
      failsByRule[key] = (failsByRule[key] ?? 0) + 1;
    }
  }
  return { outcomes, failsByRule, records: result.evidence.records };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
