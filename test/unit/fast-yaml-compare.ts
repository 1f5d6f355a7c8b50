/**
 * The comparison behind test/unit/fast-yaml.test.ts (also usable from a script for long runs):
 * one text read the fast way (parseYamlText, kind 'evidence') and the full way
 * (parseDocumentText: the `yaml` Document, as every file was read before), and every difference
 * between them that a user could see.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { formatPointer, type PositionedFile } from '../../src/core/source.js';
import { IndexedSourceFile } from '../../src/core/indexed-source.js';
import { fastReadable, parseDocumentText, parseYamlText } from '../../src/core/yaml-file.js';
import { DEFAULT_LIMITS } from '../../src/core/limits.js';
import { readWithJsYaml } from '../../src/core/indexed-yaml.js';
import { scanYaml } from '../../src/core/scanned-yaml.js';
import type { NodeIndex } from '../../src/core/yaml-index.js';

export type Outcome =
  /** Read the fast way, with the same value and positions as the full way. */
  | 'fast'
  /** Read the full way (a problem, or something the fast way leaves to it). */
  | 'fallback';

export interface Comparison {
  outcome: Outcome;
  /** What differs; empty when nothing does. */
  differences: string[];
  /** How many pointers were compared (fast files). */
  pointers: number;
  /** Whether kitei's own scanner read the text (and gave exactly what the js-yaml reader gives). */
  scanned: boolean;
}

/** Every pointer into a value: each key and each item, recursively, in document order. */
export function pointersOf(value: unknown, limit = 200_000): string[] {
  const out: string[] = [''];
  const path: (string | number)[] = [];
  const walk = (v: unknown): void => {
    if (out.length >= limit) return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        path.push(i);
        out.push(formatPointer(path));
        walk(item);
        path.pop();
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        path.push(k);
        out.push(formatPointer(path));
        walk(item);
        path.pop();
      }
    }
  };
  walk(value);
  return out;
}

/**
 * Equality that also sees what toEqual and isDeepStrictEqual let pass: the order of keys (it is
 * the order of messages and reports), -0, and the prototype of every mapping.
 */
export function sameValue(a: unknown, b: unknown, at = ''): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return `${at || '/'}: ${show(a)} ≠ ${show(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${at || '/'}: sequence ≠ mapping`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${at || '/'}: another prototype`;
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.join('\u0000') !== kb.join('\u0000')) return `${at || '/'}: keys ${JSON.stringify(ka).slice(0, 200)} ≠ ${JSON.stringify(kb).slice(0, 200)}`;
  for (const k of ka) {
    const d = sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`);
    if (d) return d;
  }
  return undefined;
}

function show(v: unknown): string {
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  return (JSON.stringify(v) ?? String(v)).slice(0, 80);
}

/** A few pointers to what is absent, beside each present one (the nearest-ancestor rule). */
function absentPointers(pointers: readonly string[]): string[] {
  const out = ['/records/999999', '/register/x', '/nope', '/records/0/nope/deeper', '/records/-1', '/records/01', '/records/1e1', '/records/'];
  for (let i = 0; i < pointers.length; i += 7) out.push(`${pointers[i]}/absent`, `${pointers[i]}/0`);
  return out;
}

export function compareReaders(text: string, name = 'evidence/x.yaml', limits = DEFAULT_LIMITS): Comparison {
  const full = parseDocumentText(text, name, 'evidence', limits);
  const fast = parseYamlText(text, name, 'evidence', limits);
  const differences: string[] = [];
  // The scanner is given any text without its BOM, and reads only text whose characters pass.
  const unmarked = text.replace(/^\uFEFF/, '');
  const scanned = compareScanner(unmarked, limits.depth, differences);
  if (scanned && !fastReadable(unmarked)) differences.push('the scanner read a text with characters evidence refuses');
  if (!(fast.source instanceof IndexedSourceFile)) {
    // The fast way gave up: the result is the full way's, problem for problem.
    const a = JSON.stringify({ problems: fast.problems, value: fast.value ?? null });
    const b = JSON.stringify({ problems: full.problems, value: full.value ?? null });
    if (a !== b) differences.push(`fallback differs: ${a.slice(0, 300)} ≠ ${b.slice(0, 300)}`);
    return { outcome: 'fallback', differences, pointers: 0, scanned };
  }
  if (full.problems.length > 0) {
    differences.push(`read the fast way, but the full way reports ${full.problems.map((p) => `${p.code} at ${p.location?.line}:${p.location?.column}`).join(', ')}`);
    return { outcome: 'fast', differences, pointers: 0, scanned };
  }
  const d = sameValue(fast.value, full.value);
  if (d) differences.push(`value: ${d}`);
  const pointers = pointersOf(full.value);
  comparePositions(fast.source, full.source, [...pointers, ...absentPointers(pointers)], differences);
  return { outcome: 'fast', differences, pointers: pointers.length, scanned };
}

const INDEX_ARRAYS = ['kind', 'start', 'end', 'keyStart', 'keyType', 'firstChild', 'childCount', 'children', 'keys'] as const;

/**
 * kitei's own scanner (core/scanned-yaml.ts) against the js-yaml reader (core/indexed-yaml.ts)
 * on the same text: when the scanner reads it, js-yaml must read it too, to the same value and
 * to the same index, node for node. Returns whether the scanner read it.
 */
export function compareScanner(text: string, depth: number, differences: string[]): boolean {
  const scanned = scanYaml(text, depth);
  if (!scanned) return false;
  const reference = readWithJsYaml(text, depth);
  if (!reference) {
    differences.push('the scanner read a text the js-yaml reader does not');
    return true;
  }
  const d = sameValue(scanned.value, reference.value);
  if (d) differences.push(`scanner value: ${d}`);
  if (scanned.index.count !== reference.index.count) differences.push(`scanner: ${scanned.index.count} nodes ≠ ${reference.index.count}`);
  for (const name of INDEX_ARRAYS) {
    const a: ArrayLike<unknown> = scanned.index[name as keyof NodeIndex] as ArrayLike<unknown>;
    const b: ArrayLike<unknown> = reference.index[name as keyof NodeIndex] as ArrayLike<unknown>;
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      if (a[i] !== b[i]) {
        differences.push(`scanner index ${name}[${i}]: ${String(a[i])} ≠ ${String(b[i])}`);
        break;
      }
    }
  }
  return true;
}

function comparePositions(fast: PositionedFile, full: PositionedFile, pointers: readonly string[], differences: string[]): void {
  for (const p of pointers) {
    if (differences.length > 20) return;
    const a = fast.locate(p);
    const b = full.locate(p);
    if (a.line !== b.line || a.column !== b.column || a.pointer !== b.pointer || a.endLine !== b.endLine || a.endColumn !== b.endColumn) {
      differences.push(`locate(${p}): ${a.pointer} ${a.line}:${a.column}-${a.endLine}:${a.endColumn} ≠ ${b.pointer} ${b.line}:${b.column}-${b.endLine}:${b.endColumn}`);
    }
    const va = fast.locateValue(p);
    const vb = full.locateValue(p);
    if (va.line !== vb.line || va.column !== vb.column || va.pointer !== vb.pointer || va.endLine !== vb.endLine || va.endColumn !== vb.endColumn) {
      differences.push(`locateValue(${p}): ${va.pointer} ${va.line}:${va.column}-${va.endLine}:${va.endColumn} ≠ ${vb.pointer} ${vb.line}:${vb.column}-${vb.endLine}:${vb.endColumn}`);
    }
  }
}

const REPO = path.resolve(import.meta.dirname, '../..');

/** Every evidence file of the repository: the example, the examples' trees, the rule tests' base (paths relative to the repository). */
export function evidenceFiles(): string[] {
  const dirs = ['evidence', 'policies/tests/base', ...readdirSync(path.join(REPO, 'examples')).map((e) => `examples/${e}/evidence`)];
  const out: string[] = [];
  for (const d of dirs) {
    let names: string[];
    try {
      names = readdirSync(path.join(REPO, d));
    } catch {
      continue;
    }
    for (const n of names.sort()) if (/\.ya?ml$/.test(n)) out.push(`${d}/${n}`);
  }
  return out;
}
