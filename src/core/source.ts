import { createRequire } from 'node:module';
import type * as YamlPackage from 'yaml';
import type { Document, LineCounter, Node, Pair } from 'yaml';
import type { Location } from './findings.js';
import { minOf } from './arrays.js';

let yamlLoaded: typeof YamlPackage | undefined;

/**
 * The `yaml` package, loaded on first use (about 30 ms): a check whose evidence is all read the
 * fast way (core/indexed-yaml.ts) and whose policies come from the cache never needs it.
 */
export function yamlPackage(): typeof YamlPackage {
  return (yamlLoaded ??= createRequire(import.meta.url)('yaml') as typeof YamlPackage);
}

/**
 * What a finding needs of the file it points into: the path shown, the text, and positions. An
 * evidence file is an `IndexedSourceFile` (core/indexed-source.ts: read the fast way, no YAML
 * document kept) unless it could not be read that way; policy, catalog and rule-test files are a
 * `SourceFile`, whose YAML nodes also place positions inside CEL expressions (`scalarValueOffset`).
 */
export interface PositionedFile {
  /** Path as shown in reports: relative to the directory the user named, with '/' separators. */
  readonly path: string;
  readonly text: string;
  /** Line and column (1-based) of a character offset in the file. */
  position(offset: number): { line: number; column: number };
  /**
   * The position of the node a JSON pointer names: the key of a mapping entry, a sequence item
   * itself; for something absent, the nearest existing ancestor, which the returned pointer names.
   */
  locate(pointer: string): Location;
  /** The position of a value itself (not of its key, as `locate` gives for a mapping entry). */
  locateValue(pointer: string): Location;
  /** Location of the start of the file (for problems that concern the whole file). */
  start(): Location;
}

/**
 * A parsed YAML file that remembers where every node came from. This is the one place that
 * turns a JSON pointer into a 1-based line and column: rule results, ajv's instancePath and
 * policy-loading errors all go through `locate`.
 */
export class SourceFile implements PositionedFile {
  readonly lineCounter: LineCounter;
  readonly doc: Document.Parsed;

  constructor(
    /** Path as shown in reports: relative to the directory the user named, with '/' separators. */
    readonly path: string,
    readonly text: string,
  ) {
    const { LineCounter, parseDocument } = yamlPackage();
    this.lineCounter = new LineCounter();
    // YAML 1.2 core schema: `no` stays a string, unquoted dates stay strings.
    this.doc = parseDocument(text, { version: '1.2', schema: 'core', lineCounter: this.lineCounter, uniqueKeys: true, prettyErrors: false });
  }

  /** Line and column (1-based) of a character offset in the file. */
  position(offset: number): { line: number; column: number } {
    const p = this.lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  }

  /**
   * The position of the node a JSON pointer names. A pointer into a mapping points at the key
   * (`idleMinutes:`), which is the line a person looks for. When the pointer names something
   * that is absent (a missing field), the nearest existing ancestor is used, and the returned
   * pointer says which node that was.
   */
  locate(pointer: string): Location {
    const { isMap, isScalar, isSeq } = yamlPackage();
    const segments = parsePointer(pointer);
    let node: unknown = this.doc.contents;
    let anchor: Node | Pair | null = (this.doc.contents as Node | null) ?? null;
    const found: string[] = [];
    for (const seg of segments) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) ? String(p.key.value) === seg : String(p.key) === seg);
        if (!pair) break;
        anchor = pair;
        node = pair.value;
      } else if (isSeq(node)) {
        const i = /^\d+$/.test(seg) ? Number(seg) : -1;
        const item = node.items[i];
        if (item === undefined) break;
        anchor = item as Node;
        node = item;
      } else break;
      found.push(seg);
    }
    const offset = rangeStart(anchor);
    const { line, column } = this.position(offset);
    return { file: this.path, pointer: formatPointer(found), line, column, ...this.regionEnd(offset, rangeEnd(anchor)) };
  }

  /** The end of a region starting at `start` whose node's text ends at `end` (see regionEnd). */
  regionEnd(start: number, end: number | undefined): { endLine: number; endColumn: number } | Record<string, never> {
    const e = regionEnd(this.text, start, end);
    if (e === undefined) return {};
    const p = this.position(e);
    return { endLine: p.line, endColumn: p.column };
  }

  /** The YAML node a pointer names exactly, or undefined when it is absent. */
  valueNode(pointer: string): Node | undefined {
    const node = this.doc.getIn(parsePointer(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s)), true);
    return node && typeof node === 'object' && 'range' in (node as object) ? (node as Node) : undefined;
  }

  /** The position of a value itself (not of its key, as `locate` gives for a mapping entry). */
  locateValue(pointer: string): Location {
    const node = this.valueNode(pointer);
    const start = node?.range?.[0];
    if (start === undefined) return this.locate(pointer);
    return { file: this.path, pointer, ...this.position(start), ...this.regionEnd(start, nodeEnd(node)) };
  }

  /** Location of the start of the file (for problems that concern the whole file). */
  start(): Location {
    return { file: this.path, pointer: '', line: 1, column: 1 };
  }
}

/** Where the text of what `anchor` names ends: a mapping entry's value, or the node itself. */
function rangeEnd(anchor: Node | Pair | null): number | undefined {
  if (anchor === null) return undefined;
  return nodeEnd(yamlPackage().isPair(anchor) ? anchor.value : anchor);
}

/**
 * Where a node's own text ends: a scalar's value (an empty one has none), a flow collection's
 * closing bracket, a block collection's last item's end (not yaml's range, which runs on over a
 * comment after the last value). core/indexed-yaml.ts gives the same ends from js-yaml's events.
 */
export function nodeEnd(node: unknown): number | undefined {
  const { isMap, isPair, isScalar, isSeq } = yamlPackage();
  if (isScalar(node)) return node.range && node.range[1] > node.range[0] ? node.range[1] : undefined;
  if (isMap(node) || isSeq(node)) {
    if (node.flow) return node.range?.[1];
    const last = node.items[node.items.length - 1];
    if (last === undefined) return undefined;
    return nodeEnd(isPair(last) ? last.value : last);
  }
  return undefined;
}

/**
 * The end (exclusive) of the region a finding is about: the text of its node, trailing blanks and
 * line breaks left out, so a region ends on its last character (SARIF's endLine/endColumn, the
 * column being that of the character after it). Undefined when the node has no text of its own
 * after `start` (an empty value): the finding then gets the end of its line (core/line-ends.ts).
 * Both readers of YAML (this file's and core/indexed-source.ts) make regions with it.
 */
export function regionEnd(text: string, start: number, end: number | undefined): number | undefined {
  if (end === undefined || end < 0) return undefined;
  let e = Math.min(end, text.length);
  while (e > start) {
    const c = text.charCodeAt(e - 1);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    e--;
  }
  return e > start ? e : undefined;
}

function rangeStart(anchor: Node | Pair | null): number {
  if (anchor === null) return 0;
  if (yamlPackage().isPair(anchor)) {
    const k = anchor.key as Node | null;
    return k?.range?.[0] ?? (anchor.value as Node | null)?.range?.[0] ?? 0;
  }
  return anchor.range?.[0] ?? 0;
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function joinPointer(base: string, relative: string): string {
  if (relative === '' || relative === '/') return base;
  return base + (relative.startsWith('/') ? relative : '/' + relative);
}

/**
 * Maps a character offset inside a scalar's *value* (a CEL expression written in a policy
 * file) back to the file. Handles plain and quoted one-line scalars and block scalars (| and >),
 * which is how expressions are written; escapes inside quoted strings may shift the column.
 */
export function scalarValueOffset(file: SourceFile, node: Node, valueOffset: number): number {
  const { isScalar } = yamlPackage();
  const [start, end] = node.range ?? [0, 0];
  const src = file.text.slice(start, end);
  if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) {
    // Content starts on the line after the header; each content line is indented.
    let pos = start + src.indexOf('\n') + 1;
    let remaining = valueOffset;
    const lines = file.text.slice(pos, end).split('\n');
    const indent = minOf(lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length), Infinity);
    for (const l of lines) {
      const content = l.length >= indent ? l.slice(indent) : '';
      if (remaining <= content.length) return pos + Math.min(indent, l.length) + remaining;
      remaining -= content.length + 1;
      pos += l.length + 1;
    }
    return start;
  }
  const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
  return start + (quoted ? 1 : 0) + valueOffset;
}
