/**
 * What both fast readers of evidence build (core/scanned-yaml.ts, kitei's own scanner of the
 * usual register layout, and core/indexed-yaml.ts, js-yaml's event parser for everything else it
 * can read): the plain JavaScript value and the compact index of where each node is
 * (`NodeIndex`), with the same rules for keys, duplicates and plain scalars, so that the two give
 * identical results for a text both read.
 */

/** An offset that is not known here. */
export const NONE = -1;
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

/** Raised inside the walk: this file is read the full way. */
export class NotFast extends Error {}

export const notFast = (): never => {
  throw new NotFast();
};

export interface Frame {
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

export class Growable {
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
    // A loop, not set(subarray(…)): a collection has a few children, and a view object per
    // collection was a fifth of what reading a register allocated.
    const { children, pending } = this;
    for (let i = 0, to = this.childrenLength; i < count; i++) children[to + i] = pending[base + i]!;
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

/**
 * One string per distinct key: js-yaml slices a new string for every occurrence of a key, and a
 * register repeats the same few dozen keys in every record (a million copies of `id` at a million
 * records). Bounded, so that a file of unique keys cannot grow it without limit.
 */
const KEYS = new Map<string, string>();
export function internKey(key: string): string {
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
export function collectionEnd(text: string, ix: Growable, frame: Frame): number {
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
export function place(ix: Growable, stack: Frame[], root: { value: unknown }, node: number, value: unknown): void {
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
