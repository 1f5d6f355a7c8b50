import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';

/**
 * The fast reader of evidence files: js-yaml's event parser (`parseEvents`, the first half of its
 * `load`) and, in one pass over its events, the plain JavaScript value together with a compact
 * index of where each node is (`NodeIndex`). No YAML document is built or kept.
 *
 * The value must be exactly what the `yaml` package's Document gives with `toJS()` (YAML 1.2 core
 * schema, as `SourceFile` parses): the constructor here resolves plain scalars with `yaml`'s own
 * core-schema rules and turns keys into property names as `yaml`'s toJS does, rather than using
 * js-yaml's CORE_SCHEMA. The positions must be `yaml`'s node ranges. Whatever this reader does not
 * reproduce exactly (anchors, aliases, tags, directives, keys that are not scalars or would
 * collide as property names, nesting past the limit, more or fewer than one document) or any
 * error of js-yaml's makes it return `undefined`, and the caller reads the file the full way:
 * those files are rare (and every file with a problem is among them), so the full way keeps its
 * exact problems and positions, and valid files are fast. test/unit/fast-yaml.test.ts holds the
 * two readers to the same values and positions over the example evidence and fuzzed mutations.
 */

// The CommonJS build: on this machine it parses 2–3× faster than the ESM one (as bench/child.mjs
// also measures).
const jsYaml = createRequire(import.meta.url)('js-yaml') as typeof JsYaml;
const { parseEvents, getScalarValue } = jsYaml;
// As module constants, which the compiler folds, rather than property reads in the loop.
const EV_DOCUMENT = jsYaml.EVENT_ID.DOCUMENT;
const EV_SEQUENCE = jsYaml.EVENT_ID.SEQUENCE;
const EV_MAPPING = jsYaml.EVENT_ID.MAPPING;
const EV_SCALAR = jsYaml.EVENT_ID.SCALAR;
const EV_ALIAS = jsYaml.EVENT_ID.ALIAS;
const EV_POP = jsYaml.EVENT_ID.POP;
const PLAIN = jsYaml.SCALAR_STYLE.PLAIN;
const SINGLE_QUOTED = jsYaml.SCALAR_STYLE.SINGLE_QUOTED;
const DOUBLE_QUOTED = jsYaml.SCALAR_STYLE.DOUBLE_QUOTED;
const LITERAL_BLOCK = jsYaml.SCALAR_STYLE.LITERAL_BLOCK;
const FOLDED_BLOCK = jsYaml.SCALAR_STYLE.FOLDED_BLOCK;
const FLOW = jsYaml.COLLECTION_STYLE.FLOW;

const NONE = -1;
/** Node kinds in `NodeIndex.kind`. */
export const SCALAR = 0;
export const MAPPING = 1;
export const SEQUENCE = 2;
/** What a mapping key resolved to, in `NodeIndex.keyType`: `yaml` finds keys differently by type. */
export const KEY_STRING = 0;
export const KEY_NUMBER = 1;
export const KEY_OTHER = 2;

/**
 * Where every node of one file is, in flat typed arrays (node 0 is the root; children of a
 * collection are contiguous in `children`, in source order). About 30 bytes a node.
 */
export interface NodeIndex {
  count: number;
  kind: Uint8Array;
  /** Start offset of the node as `yaml` gives it (`range[0]`), or -1 when it is not known here (an empty node). */
  start: Int32Array;
  /**
   * Where the node's text ends (exclusive; a flow collection's closing bracket included), or -1
   * when not known here (an empty node). Trailing blanks are trimmed when a region is made of it.
   */
  end: Int32Array;
  /** Start offset of the key of a mapping entry (-1 for an item of a sequence and for the root). */
  keyStart: Int32Array;
  /** `String(key)` of a mapping entry, as `yaml`'s `locate` compares it (undefined for items). */
  keys: (string | undefined)[];
  keyType: Uint8Array;
  /** For a collection: where its children begin in `children`, and how many there are. */
  firstChild: Int32Array;
  childCount: Int32Array;
  children: Int32Array;
}

export interface IndexedYaml {
  value: unknown;
  index: NodeIndex;
}

const TAB_INDENT = /^[ \t?:-]*\t/m;
const DOCUMENT_END = /^\.\.\.(?:[ \t\r#]|$)/m;

/** Raised inside the walk: this file is read the full way. */
class NotFast extends Error {}

const notFast = (): never => {
  throw new NotFast();
};

interface Frame {
  node: number;
  kind: number;
  /** Written in flow style (`[…]`, `{…}`): its text ends at its closing bracket. */
  flow: boolean;
  value: Record<string, unknown> | unknown[];
  /** Where its children begin on the stack of placed nodes (`Growable.pending`). */
  base: number;
  /** For a mapping: the key waiting for its value. */
  key: string | undefined;
  keyString: string;
  keyType: number;
  keyStart: number;
}

/**
 * Parses one evidence file into its value and index, or returns undefined when it must be read
 * the full way (see above). `maxDepth` is the nesting limit: deeper files are left to the full
 * way, which reports them.
 */
export function parseIndexedYaml(text: string, maxDepth: number): IndexedYaml | undefined {
  // yaml refuses tabs in indentation where js-yaml may take them as separating space (a tab
  // before a line's content, or after its `-`, `?` or `:`): such a file is read the full way.
  if (text.includes('\t') && TAB_INDENT.test(text)) return undefined;
  // A document end marker (`...`) before any content ends an empty document for yaml (the rest
  // is then a second document, which it reports) where js-yaml skips it.
  if ((text.startsWith('...') || text.includes('\n...')) && DOCUMENT_END.test(text)) return undefined;
  let events: JsYaml.Event[];
  try {
    // js-yaml's parser recurses; its own limit stops it well before the stack does. Its depth
    // counts a little differently from ours, hence the margin: files near the limit are decided
    // by the full way.
    events = parseEvents(text, { maxDepth: maxDepth + 8 });
  } catch {
    return undefined;
  }
  try {
    return build(text, events, maxDepth);
  } catch (e) {
    if (e instanceof NotFast) return undefined;
    throw e;
  }
}

class Growable {
  kind = new Uint8Array(1024);
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  keyStart = new Int32Array(1024);
  keyType = new Uint8Array(1024);
  firstChild = new Int32Array(1024);
  childCount = new Int32Array(1024);
  keys: (string | undefined)[] = [];
  count = 0;
  children = new Int32Array(1024);
  childrenLength = 0;
  pending = new Int32Array(256);
  pendingLength = 0;

  add(kind: number, start: number): number {
    const n = this.count++;
    if (n === this.kind.length) this.grow();
    this.kind[n] = kind;
    this.start[n] = start;
    this.end[n] = NONE;
    this.keyStart[n] = NONE;
    this.keys.push(undefined);
    return n;
  }

  private grow(): void {
    const size = this.kind.length * 2;
    const more = <T extends Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.kind = more(this.kind);
    this.start = more(this.start);
    this.end = more(this.end);
    this.keyStart = more(this.keyStart);
    this.keyType = more(this.keyType);
    this.firstChild = more(this.firstChild);
    this.childCount = more(this.childCount);
  }

  /** A node placed in the collection being read: its children are the top of this stack. */
  place(node: number): void {
    if (this.pendingLength === this.pending.length) {
      const b = new Int32Array(this.pending.length * 2);
      b.set(this.pending);
      this.pending = b;
    }
    this.pending[this.pendingLength++] = node;
  }

  /** Closes a collection: its children, from `base` on the stack, are moved to `children`. */
  close(node: number, base: number): void {
    const count = this.pendingLength - base;
    const need = this.childrenLength + count;
    if (need > this.children.length) {
      const b = new Int32Array(Math.max(need, this.children.length * 2));
      b.set(this.children.subarray(0, this.childrenLength));
      this.children = b;
    }
    this.firstChild[node] = this.childrenLength;
    this.childCount[node] = count;
    this.children.set(this.pending.subarray(base, this.pendingLength), this.childrenLength);
    this.childrenLength = need;
    this.pendingLength = base;
  }

  done(): NodeIndex {
    const n = this.count;
    return {
      count: n,
      kind: this.kind.slice(0, n),
      start: this.start.slice(0, n),
      end: this.end.slice(0, n),
      keyStart: this.keyStart.slice(0, n),
      keys: this.keys,
      keyType: this.keyType.slice(0, n),
      firstChild: this.firstChild.slice(0, n),
      childCount: this.childCount.slice(0, n),
      children: this.children.slice(0, this.childrenLength),
    };
  }
}

function build(text: string, events: JsYaml.Event[], maxDepth: number): IndexedYaml {
  const ix = new Growable();
  const stack: Frame[] = [];
  let documents = 0;
  const rootBox: { value: unknown } = { value: undefined };
  // End of the last scalar read: where the search for a block scalar's header starts.
  let lastEnd = 0;

  for (let i = 0; i < events.length; i++) {
    const ev = events[i]!;
    switch (ev.type) {
      case EV_DOCUMENT:
        if (++documents > 1 || ev.directives.length > 0) notFast();
        break;
      case EV_SCALAR: {
        if (ev.anchorStart !== NONE || ev.tagStart !== NONE) notFast();
        const style = ev.style;
        const raw = ev.valueStart === NONE ? '' : getScalarValue(text, ev);
        const quoted = style === SINGLE_QUOTED || style === DOUBLE_QUOTED;
        const value = style === PLAIN ? resolvePlain(raw) : raw;
        // js-yaml takes `\U00110000` (past U+10FFFF); yaml reports it.
        if (style === DOUBLE_QUOTED && !ev.fast && badLongEscape(text, ev.valueStart, ev.valueEnd)) notFast();
        const top = stack[stack.length - 1];
        if (top !== undefined && top.kind === MAPPING && top.key === undefined) {
          // A key. An empty one (`: x`, `? `) is left to the full way.
          if (ev.valueStart === NONE) notFast();
          // yaml reports an implicit key whose `:` is more than 1024 characters after its start
          // (js-yaml does not). Measured to the next `:` within reach, which for an explicit key
          // (`? …`) may be further or absent: such a file is merely read the full way.
          const keyEnd = quoted ? ev.valueEnd + 1 : ev.valueEnd;
          const reach = ev.valueStart + 1000;
          if (keyEnd > reach) notFast();
          if (text.charCodeAt(keyEnd) !== 58) {
            let p = keyEnd;
            while (p < reach && p < text.length && text.charCodeAt(p) !== 58) p++;
            if (p === reach) notFast();
          }
          const name = typeof value === 'string' ? internKey(value) : String(value);
          top.key = value === null ? '' : name;
          top.keyString = name;
          top.keyType = typeof value === 'string' ? KEY_STRING : typeof value === 'number' ? KEY_NUMBER : KEY_OTHER;
          top.keyStart = quoted ? ev.valueStart - 1 : ev.valueStart;
          lastEnd = quoted ? ev.valueEnd + 1 : ev.valueEnd;
          if (style === LITERAL_BLOCK || style === FOLDED_BLOCK) {
            top.keyStart = blockHeader(text, ev.valueStart, lastEnd);
            if (top.keyStart === NONE) notFast();
          }
          break;
        }
        let start: number;
        if (ev.valueStart === NONE) start = NONE;
        else if (quoted) start = ev.valueStart - 1;
        else if (style === LITERAL_BLOCK || style === FOLDED_BLOCK) start = blockHeader(text, ev.valueStart, lastEnd);
        else start = ev.valueStart;
        if (ev.valueStart !== NONE) lastEnd = quoted ? ev.valueEnd + 1 : ev.valueEnd;
        const node = ix.add(SCALAR, start);
        if (ev.valueStart !== NONE) ix.end[node] = lastEnd;
        place(ix, stack, rootBox, node, value);
        break;
      }
      case EV_SEQUENCE:
      case EV_MAPPING: {
        if (ev.anchorStart !== NONE || ev.tagStart !== NONE) notFast();
        const top = stack[stack.length - 1];
        // A collection as a key is a complex key: the full way reports it.
        if (top !== undefined && top.kind === MAPPING && top.key === undefined) notFast();
        if (stack.length >= maxDepth) notFast();
        const kind = ev.type === EV_MAPPING ? MAPPING : SEQUENCE;
        const node = ix.add(kind, ev.start);
        stack.push({ node, kind, flow: ev.style === FLOW, value: kind === MAPPING ? {} : [], base: ix.pendingLength, key: undefined, keyString: '', keyType: KEY_STRING, keyStart: NONE });
        lastEnd = ev.start;
        break;
      }
      case EV_ALIAS:
        notFast();
        break;
      case EV_POP: {
        const frame = stack.pop();
        if (frame === undefined) break; // the end of the document
        if (frame.key !== undefined) notFast();
        ix.end[frame.node] = collectionEnd(text, ix, frame);
        ix.close(frame.node, frame.base);
        place(ix, stack, rootBox, frame.node, frame.value);
        break;
      }
    }
  }
  // No document (an empty file, only comments): the full way says what it is.
  if (documents !== 1 || stack.length > 0) notFast();
  return { value: rootBox.value === undefined ? null : rootBox.value, index: ix.done() };
}

/**
 * One string per distinct key: js-yaml slices a new string for every occurrence of a key, and a
 * register repeats the same few dozen keys in every record (a million copies of `id` at a million
 * records). Bounded, so that a file of unique keys cannot grow it without limit.
 */
const KEYS = new Map<string, string>();
function internKey(key: string): string {
  const known = KEYS.get(key);
  if (known !== undefined) return known;
  if (KEYS.size < 4096 && key.length <= 64) KEYS.set(key, key);
  return key;
}

/**
 * Where a collection's text ends (as core/source.ts `nodeEnd` has it): a block collection's last
 * item's end, a flow collection's closing bracket (found past blanks, commas and comments); -1
 * when that is not known here (an empty last value, a flow pair mapping `[a: b]` with no brace of
 * its own), and the region is then found the full way. Called before the collection is closed:
 * its children are the top of the stack of placed nodes.
 */
function collectionEnd(text: string, ix: Growable, frame: Frame): number {
  const end = ix.pendingLength > frame.base ? ix.end[ix.pending[ix.pendingLength - 1]!]! : NONE;
  if (!frame.flow) return end;
  // After the last item (or the opening bracket), past blanks, commas and comments.
  if (end === NONE && ix.pendingLength > frame.base) return NONE;
  const close = frame.kind === MAPPING ? 125 : 93; // } ]
  for (let p = end === NONE ? ix.start[frame.node]! + 1 : end; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c === close) return p + 1;
    if (c === 35) {
      while (p < text.length && text.charCodeAt(p) !== 10) p++;
      continue;
    }
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 44) break;
  }
  return NONE;
}

/** Puts a value read into the collection being read (or makes it the root), and its node into the index. */
function place(ix: Growable, stack: Frame[], root: { value: unknown }, node: number, value: unknown): void {
  const top = stack[stack.length - 1];
  if (top === undefined) {
    root.value = value;
    return;
  }
  ix.place(node);
  if (top.kind === SEQUENCE) {
    (top.value as unknown[]).push(value);
    return;
  }
  const key = top.key!;
  ix.keys[node] = top.keyString;
  ix.keyType[node] = top.keyType;
  ix.keyStart[node] = top.keyStart;
  top.key = undefined;
  const map = top.value as Record<string, unknown>;
  // Two keys that are one property name (`1` and "1", `null` and ""): yaml keeps the last one
  // or reports a duplicate, depending on the keys; the full way decides.
  if (Object.prototype.hasOwnProperty.call(map, key)) notFast();
  // As yaml's toJS: a `__proto__` key is an own property, not the prototype.
  if (key === '__proto__') Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

/**
 * Where `yaml` starts a block scalar (its `|` or `>` header); js-yaml gives the start of its
 * content, the line after the header. Between the end of the node read before it and the header
 * there are only indicators and spaces (anchors and tags are not read here); anything else is
 * left unknown (-1) and found the full way when asked.
 */
function blockHeader(text: string, contentStart: number, lastEnd: number): number {
  // The header line ends just before the content's line.
  let lineEnd = contentStart - 1;
  if (lineEnd < 0 || text.charCodeAt(lineEnd) !== 10) return NONE;
  if (lineEnd > 0 && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
  const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1;
  for (let p = Math.max(lineStart, lastEnd); p < lineEnd; p++) {
    const c = text.charCodeAt(p);
    if (c === 124 || c === 62) return p; // | >
    if (c !== 32 && c !== 9 && c !== 58 && c !== 45 && c !== 63) return NONE; // space tab : - ?
  }
  return NONE;
}

/** Whether a double-quoted scalar has a `\\U` escape that is not a code point (or may not be). */
function badLongEscape(text: string, start: number, end: number): boolean {
  const i = text.indexOf('\\U', start);
  if (i < 0 || i >= end) return false;
  const re = /\\U([0-9a-fA-F]{0,8})/g;
  re.lastIndex = start;
  for (let m = re.exec(text); m !== null && m.index < end; m = re.exec(text)) {
    if (m[1]!.length !== 8 || parseInt(m[1]!, 16) > 0x10ffff) return true;
  }
  return false;
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * A plain scalar as the `yaml` package resolves it in the YAML 1.2 core schema (its tags
 * nullTag, boolTag, intOct, int, intHex, floatNaN, floatExp, float, in that order; anything
 * else is a string). So `no`, `yes`, `on` and unquoted dates stay strings, `0o17` is 15, `017`
 * is 17 and `-0` is -0.
 */
export function resolvePlain(s: string): unknown {
  const n = s.length;
  if (n === 0) return null;
  const c = s.charCodeAt(0);
  // Dispatch on the first character: each rule of the schema can only match strings starting
  // with some characters (most values start with none of them).
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    // 0-9 + - .
    if (INT.test(s)) return parseInt(s, 10);
    if (c === 48 && n > 2) {
      const x = s.charCodeAt(1);
      if (x === 111 && INT_OCT.test(s)) return parseInt(s.substring(2), 8); // 0o
      if (x === 120 && INT_HEX.test(s)) return parseInt(s.substring(2), 16); // 0x
    }
    if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : c === 45 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (FLOAT_EXP.test(s)) return parseFloat(s);
    if (FLOAT.test(s)) return parseFloat(s);
    return s;
  }
  if (c === 126 || c === 110 || c === 78) return NULL.test(s) ? null : s; // ~ n N
  if (c === 116 || c === 84 || c === 102 || c === 70) return BOOL.test(s) ? c === 116 || c === 84 : s; // t T f F
  return s;
}
