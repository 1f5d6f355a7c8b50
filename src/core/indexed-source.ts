import type { Location } from './findings.js';
import { KEY_NUMBER, KEY_STRING, MAPPING, SCALAR, SEQUENCE, type NodeIndex } from './yaml-index.js';
import { formatPointer, parsePointer, regionEnd, SourceFile, type PositionedFile } from './source.js';

/** Above this many entries, a mapping's keys are looked up through a Map built on first use. */
const LINEAR_LOOKUP = 16;

/**
 * An evidence file read the fast way (core/indexed-yaml.ts): its text, the index of where each
 * node is, and a table of line starts built on the first position asked for. `locate` and
 * `locateValue` give exactly what `SourceFile`'s give for the same text (the same lookup rules,
 * over the index instead of a YAML document). The few positions the index does not know (empty
 * nodes, whose place `yaml` derives from the tokens around them) are asked of a `SourceFile` of
 * the same text, parsed then, once.
 */
export class IndexedSourceFile implements PositionedFile {
  private lineStarts: Int32Array | undefined;
  private full: SourceFile | undefined;
  private bigMaps: Map<number, Map<string, number>> | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly index: NodeIndex,
  ) {}

  /** Line and column (1-based) of a character offset in the file (as yaml's LineCounter gives them). */
  position(offset: number): { line: number; column: number } {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (offset < starts[mid]!) high = mid;
      else low = mid + 1;
    }
    if (starts[low] === offset) return { line: low + 1, column: 1 };
    if (low === 0) return { line: 0, column: offset };
    return { line: low, column: offset - starts[low - 1]! + 1 };
  }

  /**
   * The position of what a JSON pointer names: the key of a mapping entry, a sequence item itself;
   * for something absent, the nearest existing ancestor, which the returned pointer names.
   */
  locate(pointer: string): Location {
    const ix = this.index;
    const found: string[] = [];
    let node = 0;
    let anchor = 0;
    let isEntry = false;
    for (const seg of parsePointer(pointer)) {
      const kind = ix.kind[node];
      let child = -1;
      if (kind === MAPPING) {
        child = this.entry(node, seg);
        if (child < 0) break;
        isEntry = true;
      } else if (kind === SEQUENCE) {
        const i = /^\d+$/.test(seg) ? Number(seg) : -1;
        if (i < 0 || i >= ix.childCount[node]!) break;
        child = ix.children[ix.firstChild[node]! + i]!;
        isEntry = false;
      } else break;
      anchor = node = child;
      found.push(seg);
    }
    // No node at all (an empty document) is the start of the file, as for yaml's null contents.
    const offset = ix.count === 0 ? 0 : isEntry ? ix.keyStart[anchor]! : ix.start[anchor]!;
    // A position or a collection's end this index does not know is asked of the full way.
    if (offset < 0 || (ix.count > 0 && ix.kind[anchor] !== SCALAR && ix.end[anchor]! < 0)) return this.fullSource().locate(pointer);
    return { file: this.path, pointer: formatPointer(found), ...this.position(offset), ...this.regionEnd(offset, ix.count === 0 ? undefined : ix.end[anchor]) };
  }

  /** The position of a value itself (not of its key, as `locate` gives for a mapping entry). */
  locateValue(pointer: string): Location {
    const node = this.valueAt(pointer);
    if (node === undefined) return this.locate(pointer);
    const offset = this.index.start[node]!;
    if (offset < 0 || (this.index.kind[node] !== SCALAR && this.index.end[node]! < 0)) return this.fullSource().locateValue(pointer);
    return { file: this.path, pointer, ...this.position(offset), ...this.regionEnd(offset, this.index.end[node]) };
  }

  /** The end of a region starting at `start` whose node's text ends at `end` (core/source.ts regionEnd). */
  private regionEnd(start: number, end: number | undefined): { endLine: number; endColumn: number } | Record<string, never> {
    const e = regionEnd(this.text, start, end);
    if (e === undefined) return {};
    const p = this.position(e);
    return { endLine: p.line, endColumn: p.column };
  }

  /** Location of the start of the file (for problems that concern the whole file). */
  start(): Location {
    return { file: this.path, pointer: '', line: 1, column: 1 };
  }

  /**
   * The node a pointer names exactly, found as yaml's `Document.getIn` finds it (what
   * `SourceFile.valueNode` does): a segment of digits is a number, which names a mapping entry
   * only when its key is that number; a sequence takes a string segment as `Number(segment)`.
   */
  private valueAt(pointer: string): number | undefined {
    const ix = this.index;
    if (ix.count === 0) return undefined;
    let node = 0;
    for (const seg of parsePointer(pointer)) {
      const key: string | number = /^\d+$/.test(seg) ? Number(seg) : seg;
      const kind = ix.kind[node];
      if (kind === MAPPING) {
        const first = ix.firstChild[node]!;
        const end = first + ix.childCount[node]!;
        let child = -1;
        for (let c = first; c < end; c++) {
          const k = ix.children[c]!;
          if (typeof key === 'number' ? ix.keyType[k] === KEY_NUMBER && Number(ix.keys[k]) === key : ix.keyType[k] === KEY_STRING && ix.keys[k] === key) {
            child = k;
            break;
          }
        }
        if (child < 0) return undefined;
        node = child;
      } else if (kind === SEQUENCE) {
        let idx: unknown = key;
        if (idx && typeof idx === 'string') idx = Number(idx);
        if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0 || idx >= ix.childCount[node]!) return undefined;
        node = ix.children[ix.firstChild[node]! + idx]!;
      } else return undefined;
    }
    return node;
  }

  /** The first entry of mapping `node` whose key is `seg` as text, or -1. */
  private entry(node: number, seg: string): number {
    const ix = this.index;
    const first = ix.firstChild[node]!;
    const count = ix.childCount[node]!;
    if (count > LINEAR_LOOKUP) {
      this.bigMaps ??= new Map();
      let byKey = this.bigMaps.get(node);
      if (byKey === undefined) {
        byKey = new Map();
        for (let c = first; c < first + count; c++) {
          const k = ix.children[c]!;
          const name = ix.keys[k]!;
          if (!byKey.has(name)) byKey.set(name, k);
        }
        this.bigMaps.set(node, byKey);
      }
      return byKey.get(seg) ?? -1;
    }
    for (let c = first; c < first + count; c++) {
      const k = ix.children[c]!;
      if (ix.keys[k] === seg) return k;
    }
    return -1;
  }

  private fullSource(): SourceFile {
    return (this.full ??= new SourceFile(this.path, this.text));
  }
}

/** Offsets where lines start: 0, and after every line feed (as yaml's LineCounter records them). */
function lineStartsOf(text: string): Int32Array {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  const starts = new Int32Array(n);
  let k = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}
