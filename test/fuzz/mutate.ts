/**
 * The mutation side of the fuzzer: a seeded PRNG, the named mutators, and `generateCase`, which
 * turns (seed, case index) into one mutated evidence tree — always the same tree for the same
 * pair, so any failing case can be replayed from the two numbers printed with it.
 *
 * A case picks one file of the example evidence and applies 1–3 mutators to its bytes. Most
 * mutators work on the text of that file; the `tree-*` ones also change the tree around it
 * (a second copy of the file, a deleted neighbour, a dangling symlink, the file moved or renamed).
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { TreeOp } from './protocol.js';

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a 32-bit state, good enough spread for picking mutations, and trivially seedable. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi], both included. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }
}

/** FNV-1a over the parts, then a murmur-style finaliser: the seed of one case's PRNG. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Cases

export interface CorpusFile {
  /** Path relative to the evidence directory, '/' separated. */
  rel: string;
  data: Uint8Array;
}

export interface FuzzCase {
  seed: string;
  index: number;
  /** The corpus file the case started from. */
  file: string;
  /** Where the mutated file is written (the same path unless a tree mutator moved it). */
  target: string;
  /** The mutated file. */
  data: Uint8Array;
  mutators: string[];
  /** Other changes to the tree (the original's deletion when it moved, copies, symlinks…). */
  extra: TreeOp[];
}

/** Everything written into the evidence directory for a case: the extra operations, then the file. */
export function caseOps(c: Pick<FuzzCase, 'target' | 'data' | 'extra'>): TreeOp[] {
  return [...c.extra, { op: 'write', rel: c.target, data: c.data }];
}

export function generateCase(seed: string, index: number, corpus: readonly CorpusFile[]): FuzzCase {
  const rng = new Rng(hashSeed('kitei-fuzz', seed, index));
  const base = rng.pick(corpus);
  const ctx: MutationContext = { rng, corpus, file: base, target: base.rel, extra: [] };
  let data: Buffer = Buffer.from(base.data);
  const names: string[] = [];
  const count = rng.range(1, 3);
  for (let i = 0; i < count; i++) {
    const m = rng.pick(MUTATORS);
    data = m.apply(data, ctx);
    names.push(m.name);
  }
  return { seed, index, file: base.rel, target: ctx.target, data: new Uint8Array(data), mutators: names, extra: ctx.extra };
}

// ---------------------------------------------------------------------------------------------
// Mutators

export interface MutationContext {
  rng: Rng;
  corpus: readonly CorpusFile[];
  file: CorpusFile;
  /** Where the mutated file will be written; tree mutators may move it. */
  target: string;
  extra: TreeOp[];
}

export interface Mutator {
  name: string;
  apply(data: Buffer, ctx: MutationContext): Buffer;
}

const text = (data: Buffer) => data.toString('utf8');
const bytes = (s: string) => Buffer.from(s, 'utf8');
/** Lines with their terminators, so that joining them gives the text back. */
const linesOf = (s: string) => s.split(/(?<=\n)/);

/** A mutator that rewrites the text of the file. */
function onText(name: string, fn: (s: string, ctx: MutationContext) => string): Mutator {
  return { name, apply: (data, ctx) => bytes(fn(text(data), ctx)) };
}

/** `key: value` lines (sequence entries `- key: value` too), by line index. */
const VALUE_LINE = /^(\s*(?:-\s+)*)([^\s#:'"][^:#]*?):([ \t]+)(\S.*?)(\r?\n?)$/;
/** `key:` lines that open a nested block. */
const PARENT_LINE = /^(\s*(?:-\s+)*)([^\s#:'"][^:#]*?):[ \t]*(\r?\n?)$/;

function valueLines(lines: readonly string[]): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (VALUE_LINE.test(l)) out.push(i);
  });
  return out;
}

/** Replaces the value on one random `key: value` line (or appends a line when there is none). */
function replaceValue(s: string, rng: Rng, make: (old: string, indent: string) => string): string {
  const lines = linesOf(s);
  const candidates = valueLines(lines);
  if (candidates.length === 0) return s + `extra: ${make('', '')}\n`;
  const i = rng.pick(candidates);
  const m = VALUE_LINE.exec(lines[i]!)!;
  const indent = ' '.repeat(m[1]!.length + 2);
  lines[i] = `${m[1]}${m[2]}:${m[3]}${make(m[4]!, indent)}${m[5]}`;
  return lines.join('');
}

/** A random position in the text, biased to the end of a line (inside a value). */
function somewhere(s: string, rng: Rng): number {
  if (s.length === 0) return 0;
  if (rng.chance(0.5)) {
    const lines = linesOf(s);
    const i = rng.int(lines.length);
    let offset = 0;
    for (let k = 0; k < i; k++) offset += lines[k]!.length;
    return offset + lines[i]!.replace(/\r?\n$/, '').length;
  }
  // Do not split a surrogate pair: the lone half would become U+FFFD when encoded.
  let p = rng.int(s.length + 1);
  if (p > 0 && p < s.length && /[\uDC00-\uDFFF]/.test(s[p]!)) p--;
  return p;
}

function insertAt(s: string, pos: number, piece: string): string {
  return s.slice(0, pos) + piece + s.slice(pos);
}

const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0xfe],
  [0x80],
  [0xc0, 0xaf], // overlong '/'
  [0xed, 0xa0, 0x80], // an encoded surrogate
  [0xe3, 0x81], // a truncated three-byte sequence
  [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
  [0x83, 0x65, 0x83, 0x58, 0x83, 0x67], // テスト in Shift_JIS
  [0x8e, 0xa5, 0xfc, 0xfc],
];

const TYPE_VALUES: readonly string[] = [
  '{}', '[]', '{a: 1}', '[1, 2]', '[[]]', '{{}}', 'null', '~', '42', '-1', '0', '-0', '3.14', '1e309', '-1e309', '.nan', '.inf', '-.inf',
  '0x1F', '0o17', 'true', 'false', 'TRUE', 'yes', 'no', '"42"', "''", '""', '"2026-02-30"', '2026-11-20', '"2026-11-20T00:00:00Z"',
  '"令和元年4月30日"', '"令和5年3月15日"', '平成31年2月29日', '"明治5年12月2日"', '9007199254740993', '123456789012345678901234567890',
  '!!binary aGVsbG8=', '!!str 5', '!!int "x"', '!!float abc', '!!set {a, b}', '!!omap [a: 1]', '!foo bar', '!!timestamp 2026-01-01',
  '!!null x', '!!map [1]', '!!seq {a: 1}', '"\\uD800"', '"\\x00"', '"\\u202E"', '? a', '- x', '|\n  block\n  text', '>-\n  folded',
];

const BLOCK_VALUES = (indent: string): readonly string[] => [
  `\n${indent}a: 1\n${indent}b: [x]`,
  `\n${indent}- 1\n${indent}- {}`,
  `\n${indent}- - - deep`,
  `\n${indent}id: X-001`,
];

/** Tokens that look like record ids or references: S-001, INC-0012, R-SOMU … */
const ID_TOKEN = /\b[A-Z]{1,5}-[A-Z0-9]*[0-9A-Z][A-Z0-9-]*\b/g;
/** `id: X` lines. */
const ID_LINE = /^(\s*(?:-\s+)?)id:([ \t]+)(["']?)([^"'\s#]+)\3/;

function idsIn(s: string): string[] {
  const out: string[] = [];
  for (const l of linesOf(s)) {
    const m = ID_LINE.exec(l);
    if (m) out.push(m[4]!);
  }
  return out;
}

/** Blocks of lines, one per record: from a `  - ` line at the records' indentation to the next. */
function recordBlocks(lines: readonly string[]): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  let indent = -1;
  lines.forEach((l, i) => {
    const m = /^(\s*)- /.exec(l);
    if (m && (indent === -1 || m[1]!.length === indent)) {
      if (indent === -1) indent = m[1]!.length;
      if (start >= 0) out.push([start, i]);
      start = i;
    } else if (start >= 0 && /^\S/.test(l)) {
      out.push([start, i]);
      start = -1;
    }
  });
  if (start >= 0) out.push([start, lines.length]);
  return out;
}

const FULLWIDTH = (s: string) => s.replace(/[0-9A-Za-z-]/g, (c) => (c === '-' ? '－' : String.fromCodePoint(c.codePointAt(0)! + 0xfee0)));

const UNICODE_PIECES = {
  combining: ['\u0301', '\u0308\u0308\u0308', '\u20dd', '\u0337', 'e\u0301', '\u3099', '\u0301'.repeat(200)],
  bidi: ['\u202e', '\u202d', '\u200f', '\u200e', '\u2066', '\u2069', '\u061c', '\u202e\u2066abc\u2069'],
  invisible: ['\u200b', '\u200c', '\u200d', '\ufeff', '\u2028', '\u2029', '\u0085', '\u00a0', '\u3000', '\u00ad', '\u2060', '\ufffe', '\uffff'],
  emoji: ['😀', '👨‍👩‍👧‍👦', '🇯🇵', '🏳️‍🌈', '𠮷', '𝕂𝕚𝕥𝕖𝕚', '\u{10ffff}', '\u{e0001}', '🙇‍♂️'],
};

function randomUnicode(rng: Rng): string {
  const group = rng.pick(Object.values(UNICODE_PIECES));
  return rng.pick(group);
}

function deepValue(rng: Rng): string {
  const depth = rng.pick([64, 200, 1000, 3000, 5000]);
  switch (rng.int(4)) {
    case 0:
      return '['.repeat(depth) + ']'.repeat(depth);
    case 1:
      return '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
    case 2:
      return '['.repeat(depth) + '{'.repeat(depth) + '}'.repeat(depth) + ']'.repeat(depth);
    default:
      // Unbalanced: deep and never closed.
      return '['.repeat(depth);
  }
}

/** A deeply indented block: `a:\n  a:\n    a: …` (quadratic in bytes, so shallower). */
function deepBlock(rng: Rng, indent: string): string {
  const depth = rng.pick([50, 200, 600]);
  const seq = rng.chance(0.5);
  const parts: string[] = [];
  for (let d = 0; d < depth; d++) parts.push(`\n${indent}${' '.repeat(2 * d)}${seq ? '- ' : 'a:'}`);
  parts.push(' x');
  return parts.join('');
}

function aliasBomb(rng: Rng): string {
  const width = rng.range(5, 10);
  const depth = rng.range(4, 12);
  const out = [`bomb0: &b0 [${Array.from({ length: width }, () => '"lol"').join(', ')}]`];
  for (let d = 1; d < depth; d++) out.push(`bomb${d}: &b${d} [${Array.from({ length: width }, () => `*b${d - 1}`).join(', ')}]`);
  return out.join('\n') + '\n';
}

/** Inserts top-level lines after the `register:` line (or at the top). */
function insertTopLevel(s: string, piece: string): string {
  const lines = linesOf(s);
  const i = lines.findIndex((l) => /^register:/.test(l));
  lines.splice(i + 1, 0, piece.endsWith('\n') ? piece : piece + '\n');
  return lines.join('');
}

const SPECIAL_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '<<', '1', 'null', '""', '? [a, b]', '"id"', 'ID', 'id ', '"\\u0000"', 'ｉｄ'];
const REGISTER_VALUES = ['{a: 1}', '[terminals]', 'null', '__proto__', 'constructor', 'toString', '""', '42', 'true', 'terminals ', '"terminals\\u0000"', 'Terminals', 'ｔｅｒｍｉｎａｌｓ', '*TODO', '&r [*r]', '!!binary dGVybWluYWxz'];
const ENVELOPE_KEYS = ['register', 'capturedAt', 'records'];

function astTypeSwap(s: string, rng: Rng): string | undefined {
  const doc = parseDocument(s, { version: '1.2', schema: 'core', uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, p: (string | number)[]) => {
    if (paths.length > 5000) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof k !== 'string' && typeof k !== 'number') continue;
        const child = [...p, k];
        paths.push(child);
        walk(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const child = [...p, i];
        paths.push(child);
        walk(item, child);
      });
    }
  };
  walk(doc.contents, []);
  if (paths.length === 0) return undefined;
  const p = rng.pick(paths);
  const values: unknown[] = [
    {}, [], { a: 1 }, [1, 'x'], null, 42, -1, 0, 1e308, Number.POSITIVE_INFINITY, Number.NaN, '', 'x'.repeat(2000), true, false,
    '2026-02-30', '9999-12-31', '0000-01-01', '令和元年4月30日', 'S-999', [[[[[]]]]], { id: 'X-001' }, [{ id: 'X-001' }], { records: [] },
  ];
  try {
    doc.setIn(p, doc.createNode(rng.pick(values)) as Node);
    return doc.toString();
  } catch {
    return undefined;
  }
}

export const MUTATORS: readonly Mutator[] = [
  // --- bytes
  {
    name: 'byte-flip',
    apply(data, { rng }) {
      const out = Buffer.from(data);
      if (out.length === 0) return Buffer.from([rng.int(256)]);
      for (let k = rng.range(1, 4); k > 0; k--) {
        const i = rng.int(out.length);
        out[i] = out[i]! ^ (1 << rng.int(8));
      }
      return out;
    },
  },
  {
    name: 'invalid-utf8',
    apply(data, { rng }) {
      const seq = Buffer.from(rng.pick(INVALID_UTF8));
      const pos = somewhereInBytes(data, rng);
      return rng.chance(0.5) ? Buffer.concat([data.subarray(0, pos), seq, data.subarray(pos)]) : Buffer.concat([data.subarray(0, pos), seq, data.subarray(Math.min(data.length, pos + seq.length))]);
    },
  },
  {
    name: 'control-byte',
    apply(data, { rng }) {
      const b = rng.pick([0x00, 0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c, 0x1b, 0x1f, 0x7f]);
      const pos = somewhereInBytes(data, rng);
      return Buffer.concat([data.subarray(0, pos), Buffer.from([b]), data.subarray(pos)]);
    },
  },
  {
    name: 'truncate',
    apply(data, { rng }) {
      return Buffer.from(data.subarray(0, rng.int(data.length + 1)));
    },
  },
  {
    name: 'utf16',
    apply(data, { rng }) {
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(data), 'utf16le')]);
      if (rng.chance(0.5)) return le;
      // Big-endian: swap every pair, BOM included.
      const be = Buffer.from(le);
      be.swap16();
      return be;
    },
  },
  // --- lines
  onText('line-delete', (s, { rng }) => {
    const lines = linesOf(s);
    if (lines.length === 0) return s;
    lines.splice(rng.int(lines.length), rng.pick([1, 1, 1, 2, 3, 8]));
    return lines.join('');
  }),
  onText('line-duplicate', (s, { rng }) => {
    const lines = linesOf(s);
    if (lines.length === 0) return s;
    const i = rng.int(lines.length);
    const block = lines.slice(i, i + rng.pick([1, 1, 2, 5]));
    const copy = block.map((l) => (l.endsWith('\n') ? l : l + '\n'));
    const at = rng.chance(0.7) ? i + block.length : rng.int(lines.length + 1);
    lines.splice(at, 0, ...copy);
    return lines.join('');
  }),
  onText('line-move', (s, { rng }) => {
    const lines = linesOf(s);
    if (lines.length < 2) return s;
    const [line] = lines.splice(rng.int(lines.length), 1);
    lines.splice(rng.int(lines.length + 1), 0, line!.endsWith('\n') ? line! : line! + '\n');
    return lines.join('');
  }),
  onText('indent', (s, { rng }) => {
    const lines = linesOf(s);
    if (lines.length === 0) return s;
    const i = rng.int(lines.length);
    const n = rng.pick([1, 1, 3, 5]);
    for (let k = i; k < Math.min(lines.length, i + n); k++) {
      const l = lines[k]!;
      switch (rng.int(5)) {
        case 0:
          lines[k] = ' '.repeat(rng.range(1, 4)) + l;
          break;
        case 1:
          lines[k] = l.replace(/^ {1,4}/, '');
          break;
        case 2:
          lines[k] = l.replace(/^( *)/, (sp) => '\t'.repeat(Math.max(1, sp.length >> 1)));
          break;
        case 3:
          lines[k] = l.replace(/^ /, rng.pick(['\u3000', '\u00a0', '\t']));
          break;
        default:
          lines[k] = l.replace(/^\s*/, '');
      }
    }
    return lines.join('');
  }),
  onText('crlf', (s) => s.replace(/\r?\n/g, '\r\n')),
  onText('cr-only', (s) => s.replace(/\r?\n/g, '\r')),
  onText('mixed-eol', (s, { rng }) => s.replace(/\n/g, () => rng.pick(['\n', '\n', '\r\n', '\r', '\u2028', '\u0085', '\n\n']))),
  {
    name: 'bom',
    apply(data, { rng }) {
      const bom = Buffer.from([0xef, 0xbb, 0xbf]);
      switch (rng.int(3)) {
        case 0:
          return Buffer.concat([bom, data]);
        case 1:
          return Buffer.concat([bom, bom, data]);
        default: {
          const pos = somewhereInBytes(data, rng);
          return Buffer.concat([data.subarray(0, pos), bom, data.subarray(pos)]);
        }
      }
    },
  },
  // --- types
  onText('type-swap', (s, { rng }) =>
    replaceValue(s, rng, (_old, indent) => (rng.chance(0.8) ? rng.pick(TYPE_VALUES) : rng.pick(BLOCK_VALUES(indent)))),
  ),
  onText('ast-type-swap', (s, { rng }) => astTypeSwap(s, rng) ?? replaceValue(s, rng, () => rng.pick(TYPE_VALUES))),
  onText('number-string', (s, { rng }) =>
    replaceValue(s, rng, (old) => {
      const unq = /^(["'])(.*)\1$/.exec(old);
      if (unq) return unq[2]!; // "2026-11-20" → 2026-11-20, "5" → 5
      if (/^-?\d+(\.\d+)?$/.test(old)) return rng.pick([`"${old}"`, `${old}.0`, `0${old}`, `${old}e0`, `+${old}`, `${old}_000`]);
      if (/^(true|false)$/.test(old)) return rng.pick([`"${old}"`, old.toUpperCase(), old === 'true' ? 'yes' : 'no', old === 'true' ? '1' : '0']);
      return rng.pick([`${old.length}`, '0', '1.5', 'true', 'null']);
    }),
  ),
  onText('envelope-swap', (s, { rng }) => {
    const key = rng.pick(ENVELOPE_KEYS);
    const lines = linesOf(s);
    const i = lines.findIndex((l) => l.startsWith(`${key}:`));
    const value = key === 'register' ? rng.pick(REGISTER_VALUES) : rng.pick([...TYPE_VALUES, ...REGISTER_VALUES]);
    if (i < 0) return `${key}: ${value}\n` + s;
    if (rng.chance(0.2)) {
      lines.splice(i, 1); // no envelope key at all
      return lines.join('');
    }
    lines[i] = `${key}: ${value}\n`;
    return lines.join('');
  }),
  onText('special-key', (s, { rng }) => {
    const lines = linesOf(s);
    const candidates = lines.map((l, i) => (VALUE_LINE.test(l) || PARENT_LINE.test(l) ? i : -1)).filter((i) => i >= 0);
    if (candidates.length === 0) return s;
    const i = rng.pick(candidates);
    const m = (VALUE_LINE.exec(lines[i]!) ?? PARENT_LINE.exec(lines[i]!))!;
    const key = rng.chance(0.8) ? rng.pick(SPECIAL_KEYS) : m[2]!.toLowerCase() + '_';
    lines[i] = lines[i]!.replace(m[2]!, key);
    return lines.join('');
  }),
  // --- ids and references
  onText('id-collision', (s, { rng, corpus }) => {
    const lines = linesOf(s);
    const idLines = lines.map((l, i) => (ID_LINE.test(l) ? i : -1)).filter((i) => i >= 0);
    if (idLines.length === 0) return s;
    const ownIds = idsIn(s);
    // Usually another record's id in this file; sometimes an id from another register.
    const source = rng.chance(0.75) || ownIds.length < 2 ? ownIds : idsIn(text(Buffer.from(rng.pick(corpus).data)));
    if (source.length === 0) return s;
    const i = rng.pick(idLines);
    const m = ID_LINE.exec(lines[i]!)!;
    lines[i] = lines[i]!.replace(m[0], `${m[1]}id:${m[2]}${rng.pick(source)}`);
    return lines.join('');
  }),
  onText('broken-reference', (s, { rng }) => {
    const lines = linesOf(s);
    const refs: [number, number, string][] = [];
    lines.forEach((l, i) => {
      if (ID_LINE.test(l)) return;
      for (const m of l.matchAll(ID_TOKEN)) refs.push([i, m.index, m[0]]);
    });
    if (refs.length === 0) return s;
    const [i, at, ref] = rng.pick(refs);
    const prefix = ref.split('-')[0]!;
    const replacement = rng.pick([
      `${prefix}-999999`, `${prefix}-000`, `X-001`, ref.toLowerCase(), FULLWIDTH(ref), `${ref} `, `${ref}\u200b`, `"${ref} "`, '""', 'null', `[${ref}]`, `{id: ${ref}}`,
      `${prefix}-${'9'.repeat(40)}`, `${ref}-${ref}`, '__proto__', 'constructor', `${ref}\\`,
    ]);
    const l = lines[i]!;
    lines[i] = l.slice(0, at) + replacement + l.slice(at + ref.length);
    return lines.join('');
  }),
  onText('record-duplicate', (s, { rng }) => {
    const lines = linesOf(s);
    const blocks = recordBlocks(lines);
    if (blocks.length === 0) return s;
    const [a, b] = rng.pick(blocks);
    const times = rng.pick([1, 1, 2, 50, 400]);
    const block = lines.slice(a, b).map((l) => (l.endsWith('\n') ? l : l + '\n'));
    const copies: string[] = [];
    for (let t = 0; t < times; t++) copies.push(block.join(''));
    lines.splice(b, 0, copies.join(''));
    return lines.join('');
  }),
  onText('record-delete', (s, { rng }) => {
    const lines = linesOf(s);
    const blocks = recordBlocks(lines);
    if (blocks.length === 0) return s;
    const [a, b] = rng.pick(blocks);
    lines.splice(a, b - a);
    return lines.join('');
  }),
  // --- aliases and anchors
  onText('alias-undefined', (s, { rng }) => replaceValue(s, rng, () => rng.pick(['*TODO', '*TODO', '*x', '*', '* ', '*TODO\u200b', '[*TODO]', '{a: *TODO}']))),
  onText('alias-recursive', (s, { rng }) =>
    rng.chance(0.3)
      ? insertTopLevel(s, rng.pick(['self: &r [*r]', 'self: &r {a: *r}', 'self: &r\n  a: *r']))
      : replaceValue(s, rng, (_old, indent) => rng.pick(['&r [*r]', '&r {a: *r}', '&r [1, [2, *r]]', `&r\n${indent}a: *r\n${indent}b: [*r, *r]`])),
  ),
  onText('alias-bomb', (s, { rng }) => {
    const bomb = aliasBomb(rng);
    const top = /bomb(\d+):/g;
    let last = 0;
    for (const m of bomb.matchAll(top)) last = Math.max(last, Number(m[1]));
    if (rng.chance(0.4)) return insertTopLevel(s, bomb);
    // Defined at the top, used inside a record, where the schema and the rules look.
    return replaceValue(insertTopLevel(s, bomb), rng, () => `*b${last}`);
  }),
  onText('anchor-alias', (s, { rng }) => {
    const lines = linesOf(s);
    const values = valueLines(lines);
    const parents = lines.map((l, i) => (PARENT_LINE.test(l) ? i : -1)).filter((i) => i >= 0);
    const name = `a${rng.int(1000)}`;
    if (parents.length > 0 && values.length > 0 && rng.chance(0.5)) {
      // Anchor a block (a nested mapping or sequence) and use it as some scalar's value.
      const p = rng.pick(parents);
      lines[p] = lines[p]!.replace(/:[ \t]*(\r?\n?)$/, `: &${name}$1`);
      const v = rng.pick(values);
      const m = VALUE_LINE.exec(lines[v]!)!;
      lines[v] = `${m[1]}${m[2]}:${m[3]}*${name}${m[5]}`;
      return lines.join('');
    }
    if (values.length < 2) return s;
    const a = rng.pick(values);
    const b = rng.pick(values);
    const ma = VALUE_LINE.exec(lines[a]!)!;
    lines[a] = `${ma[1]}${ma[2]}:${ma[3]}&${name} ${ma[4]}${ma[5]}`;
    const mb = VALUE_LINE.exec(lines[b]!)!;
    lines[b] = `${mb[1]}${mb[2]}:${mb[3]}*${name}${mb[5]}`;
    return lines.join('');
  }),
  // --- unicode
  onText('fullwidth-digits', (s, { rng }) => replaceValue(s, rng, (old) => FULLWIDTH(old))),
  onText('unicode-insert', (s, { rng }) => insertAt(s, somewhere(s, rng), randomUnicode(rng))),
  onText('unicode-value', (s, { rng }) =>
    replaceValue(s, rng, (old) => {
      const piece = randomUnicode(rng);
      return rng.chance(0.5) ? old + piece : `"${piece}${old.replace(/["\\]/g, '')}"`;
    }),
  ),
  onText('lone-surrogate', (s, { rng }) => replaceValue(s, rng, () => rng.pick(['"\\uD800"', '"a\\uDC00b"', '"\\uDBFF\\uDBFF"', '"\\U0010FFFF"', '"\\U00110000"', '"\\u0000"']))),
  onText('long-string', (s, { rng }) => {
    const n = rng.pick([1000, 65536, 300_000, 1_000_000]);
    const unit = rng.pick(['x', 'あ', '😀', '\u0301', ' ', 'S-001 ']);
    const long = unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    switch (rng.int(3)) {
      case 0:
        return replaceValue(s, rng, () => `"${long}"`);
      case 1:
        return insertTopLevel(s, `${long.replace(/[\s:#]/g, 'k')}: 1`);
      default:
        return insertAt(s, somewhere(s, rng), long);
    }
  }),
  // --- structure
  onText('deep-nesting', (s, { rng }) => (rng.chance(0.75) ? replaceValue(s, rng, () => deepValue(rng)) : replaceValue(s, rng, (_o, indent) => deepBlock(rng, indent)))),
  onText('multi-document', (s, { rng }) => {
    const lines = linesOf(s);
    switch (rng.int(3)) {
      case 0:
        return s + (s.endsWith('\n') ? '' : '\n') + '---\n' + s;
      case 1:
        lines.splice(rng.int(lines.length + 1), 0, '---\n');
        return lines.join('');
      default:
        lines.splice(rng.int(lines.length + 1), 0, '...\n');
        return lines.join('');
    }
  }),
  onText('directive', (s, { rng }) => rng.pick(['%YAML 1.1\n---\n', '%YAML 2.0\n---\n', '%YAML 1.2\n%YAML 1.2\n---\n', '%TAG ! tag:x,2000:\n---\n', '%FOO bar\n---\n', '%YAML 1.1\n']) + s),
  onText('tag', (s, { rng }) =>
    replaceValue(s, rng, (old) => `${rng.pick(['!!str', '!!int', '!!float', '!!bool', '!!null', '!!binary', '!!timestamp', '!!set', '!!omap', '!!pairs', '!!map', '!!seq', '!custom', '!<tag:yaml.org,2002:js/function>', '!', '!!'])} ${old}`),
  ),
  onText('syntax-char', (s, { rng }) => insertAt(s, somewhere(s, rng), rng.pick(['"', "'", '[', ']', '{', '}', ': ', '- ', '#', '&', '*', '!', '|', '>', '%', '@', '`', ',', '? ', '\t', '\\']))),
  {
    name: 'huge-file',
    apply(data, { rng }) {
      // Just past 32 MiB (the loader's default bound on one file) in comment lines, which cost
      // little to parse should a loader read them anyway.
      const line = Buffer.from(`# ${'x'.repeat(1021)}\n`);
      const target = 32 * 2 ** 20 + rng.range(1, 4096);
      const padding = Buffer.alloc(Math.max(0, target - data.length), line);
      return Buffer.concat([data, padding]);
    },
  },
  onText('empty', (_s, { rng }) => rng.pick(['', ' ', '\n\n\n', '# only a comment\n', '---\n', '---\n...\n', '~\n', '[]\n', '{}\n', '"register"\n', '42\n', 'register:\n', 'records:\n', '- register: terminals\n', '\t\n'])),
  // --- the tree around the file
  {
    name: 'tree-copy',
    apply(data, ctx) {
      // The same register in two files: every id is now duplicated across files.
      const where = ctx.rng.pick([`copy/${ctx.file.rel}`, ctx.file.rel.replace(/\.ya?ml$/, '.copy.yaml'), `zz/${ctx.file.rel.replace(/\.yaml$/, '.YML')}`]);
      ctx.extra.push({ op: 'write', rel: where, data: new Uint8Array(data) });
      return data;
    },
  },
  {
    name: 'tree-delete',
    apply(data, ctx) {
      const other = ctx.rng.pick(ctx.corpus);
      if (other.rel !== ctx.file.rel) ctx.extra.push({ op: 'delete', rel: other.rel });
      return data;
    },
  },
  {
    name: 'tree-entry',
    apply(data, ctx) {
      ctx.extra.push(ctx.rng.pick<TreeOp>([
        { op: 'symlink', rel: 'dangling.yaml', target: 'does-not-exist.yaml' },
        { op: 'symlink', rel: 'loop.yaml', target: 'loop.yaml' },
        { op: 'symlink', rel: 'dir-loop', target: '.' },
        { op: 'mkdir', rel: 'folder.yaml' },
        { op: 'fifo', rel: 'pipe.yaml' },
      ]));
      return data;
    },
  },
  {
    name: 'tree-move',
    apply(data, ctx) {
      const name = ctx.rng.pick(['sub/dir/$', 'テスト 台帳.yaml', 'a b.YML', '%41#.yaml', 'x:y.yaml', '$.yml', '-$']).replace('$', ctx.file.rel);
      if (name === ctx.target) return data;
      if (ctx.target === ctx.file.rel) ctx.extra.push({ op: 'delete', rel: ctx.file.rel });
      ctx.target = name;
      return data;
    },
  },
];

export const MUTATOR_NAMES: readonly string[] = MUTATORS.map((m) => m.name);

function somewhereInBytes(data: Buffer, rng: Rng): number {
  if (data.length === 0) return 0;
  if (rng.chance(0.5)) {
    // At the end of a random line: inside a value.
    const nl: number[] = [];
    for (let i = 0; i < data.length; i++) if (data[i] === 0x0a) nl.push(i);
    if (nl.length > 0) return rng.pick(nl);
  }
  return rng.int(data.length + 1);
}
