import { collectionEnd, Growable, internKey, KEY_NUMBER, KEY_OTHER, KEY_STRING, MAPPING, NONE, NotFast, notFast, place, resolvePlain, SCALAR, SEQUENCE, type Frame, type IndexedYaml } from './yaml-index.js';

/**
 * kitei's own scanner for the layout registers are written in, tried before js-yaml
 * (core/indexed-yaml.ts): block mappings and sequences, keys and scalars on one line each (plain,
 * single- or double-quoted without escapes), flow collections of those over one or several lines,
 * comments, blank lines, CRLF. It reads each line once, with no events in between, into the same
 * value and index (core/yaml-index.ts) that the js-yaml reader builds: at 100k records that reader
 * spent about twice as long parsing as this one does reading.
 *
 * It accepts only what it reads exactly and gives up (undefined) on everything else, so that the
 * js-yaml reader, and after it the `yaml` Document, decides: tabs, document markers and
 * directives, anchors, aliases and tags, block scalars (`|`, `>`), scalars over several lines,
 * escapes, `?` and `:` entries, compact nested sequences (`- - a`), empty flow entries and
 * trailing commas, a flow collection as the root, and whatever is not YAML at all (a line that
 * is neither a key nor an item where one is due, bad indentation, text after a closing quote or
 * bracket). test/unit/fast-yaml.test.ts holds this scanner's value and index to the js-yaml
 * reader's, array for array, and both to the `yaml` Document, over all the repository's evidence
 * and fuzzed mutations of it.
 *
 * Any text may be given (without its BOM): one with a character evidence refuses, or a bare CR,
 * is left to the full way like everything else the scanner does not read (see `refused`), so a
 * text it reads has passed those checks too, without a second pass over it.
 */
export function scanYaml(text: string, maxDepth: number): IndexedYaml | undefined {
  // Tabs separate differently in yaml and js-yaml (see indexed-yaml.ts); left to them.
  if (text.includes('\t')) return undefined;
  try {
    return new Scanner(text, maxDepth).run();
  } catch (e) {
    if (e instanceof NotFast) return undefined;
    throw e;
  }
}

const SPACE = 32;
const LF = 10;
const CR = 13;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const QUESTION = 63;
const COMMA = 44;
const SINGLE = 39;
const DOUBLE = 34;
const OPEN_SEQ = 91;
const CLOSE_SEQ = 93;
const OPEN_MAP = 123;
const CLOSE_MAP = 125;

/** Characters that cannot begin a plain scalar (YAML 1.2 c-indicator, less `-?:`, decided by what follows). */
const INDICATOR = new Uint8Array(128);
for (const c of ',[]{}#&*!|>\'"%@`') INDICATOR[c.charCodeAt(0)] = 1;

/** Ends a plain scalar in a flow collection: `,[]{}`. */
const FLOW_STOP = new Uint8Array(128);
for (const c of ',[]{}') FLOW_STOP[c.charCodeAt(0)] = 1;

/**
 * A key as `build` (core/indexed-yaml.ts) records it: its property name (`''` for a null key), its
 * `String(key)` as `yaml` compares it, and the type it resolved to.
 */
interface KnownKey {
  /** The key's characters in the file. */
  text: string;
  property: string;
  name: string;
  type: number;
}

function knownKey(text: string, value: unknown): KnownKey {
  const name = typeof value === 'string' ? internKey(value) : String(value);
  return { text, property: value === null ? '' : name, name, type: typeof value === 'string' ? KEY_STRING : typeof value === 'number' ? KEY_NUMBER : KEY_OTHER };
}

/**
 * The plain keys read lately, by a hash of their characters (one per slot, the last one read):
 * a register repeats the same few dozen keys in every record, and a key found here costs neither
 * a string nor a lookup by string.
 */
const KEY_SLOTS = 4096;
const MAX_KEPT_KEY = 64;
const KEY_TABLE: (KnownKey | undefined)[] = new Array<KnownKey | undefined>(KEY_SLOTS).fill(undefined);

/**
 * Characters the scanner does not read: those evidence refuses (core/encoding.ts
 * `firstForbiddenCharacter`: C0 and C1 controls, U+FFFE, U+FFFF, lone surrogates), CR and tab
 * inside a line, and, to stay on the safe side, NEL, every surrogate (an emoji is read by
 * js-yaml) and a BOM after the start. A text with any of them is left to the full checks, which
 * report what must be reported; so a text the scanner reads needs no other character check.
 */
function refused(c: number): boolean {
  return c < 32 || (c >= 127 && (c <= 159 || (c >= 0xd800 && (c <= 0xdfff || c === 0xfeff || c >= 0xfffe))));
}

/** The hash setPlainKey finds a key by. */
function keyHash(text: string, start: number, end: number): number {
  let h = 0;
  for (let k = start; k < end; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) | 0;
  return h;
}

/** A string that is not a slice of a longer one (V8 slices strings of 13 characters or more). */
function flat(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

class Scanner {
  private readonly n: number;
  private readonly ix = new Growable();
  private readonly stack: Frame[] = [];
  /** Frames to reuse, by depth. */
  private readonly frames: Frame[] = [];
  /** The indentation of each block collection on `stack` (-1 for flow collections). */
  private readonly indents: number[] = [];
  private readonly root: { value: unknown } = { value: undefined };
  private started = false;
  /** A key or item read with nothing after it: its value is on the lines below, or it is null. */
  private pending = false;
  /** The value of the last quoted scalar read. */
  private quotedValue = '';
  /** The hash of the plain key `plainKeyColon` found last (for `setPlainKey`). */
  private lastKeyHash = 0;
  /** Where the next backslash is (n when none): found once, not per double-quoted scalar. */
  private nextBackslash = -1;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    this.n = text.length;
  }

  run(): IndexedYaml {
    const { text, n } = this;
    let p = 0;
    while (p < n) {
      let i = p;
      while (text.charCodeAt(i) === SPACE) i++;
      let nl = text.indexOf('\n', i);
      if (nl < 0) nl = n;
      // A CR is a line end only before its LF (a CR at the very end is a bare one).
      const lineEnd = nl > i && nl < n && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      // Blank lines and comment lines belong to nothing.
      if (i >= lineEnd || text.charCodeAt(i) === HASH) {
        this.comment(i, lineEnd);
        p = nl + 1;
        continue;
      }
      p = this.line(i, i - p, lineEnd, nl);
    }
    // No content at all: the full way says what the file is.
    if (!this.started) notFast();
    if (this.pending) this.placeEmpty();
    while (this.stack.length > 0) this.closeTop();
    return { value: this.root.value, index: this.ix.done() };
  }

  /** One line with content at `i` (column `col`); returns where the next line starts. */
  private line(i: number, col: number, lineEnd: number, nl: number): number {
    const { stack, indents } = this;
    if (stack.length === 0) {
      // Content after the root collection ended.
      if (this.started) notFast();
      this.started = true;
      return this.openBlock(i, col, lineEnd, nl);
    }
    if (this.pending) {
      this.pending = false;
      const top = stack.length - 1;
      // Deeper: the value is a block collection. At the same column, a `-` starts a sequence that
      // is the value of a mapping's key (the compact form, `key:` then `- item` under it).
      if (col > indents[top]! || (col === indents[top]! && stack[top]!.kind === MAPPING && this.isDash(i, lineEnd))) {
        return this.openBlock(i, col, lineEnd, nl);
      }
      this.placeEmpty();
    }
    for (;;) {
      const top = stack.length - 1;
      // Content left of the root collection.
      if (top < 0) notFast();
      const indent = indents[top]!;
      // Deeper than the collection it is in, after a complete value: a scalar continued over
      // several lines, or bad indentation.
      if (col > indent) notFast();
      if (col < indent) {
        this.closeTop();
        continue;
      }
      if (stack[top]!.kind === MAPPING) return this.entry(i, lineEnd, nl);
      if (this.isDash(i, lineEnd)) return this.item(i, col, lineEnd, nl);
      // A compact sequence ends at the next key of the mapping it belongs to.
      if (top > 0 && indents[top - 1] === col && stack[top - 1]!.kind === MAPPING) {
        this.closeTop();
        continue;
      }
      notFast();
    }
  }

  /** `-` followed by a space or the end of the line: an item of a block sequence. */
  private isDash(i: number, lineEnd: number): boolean {
    return this.text.charCodeAt(i) === DASH && (i + 1 === lineEnd || this.text.charCodeAt(i + 1) === SPACE);
  }

  /** A block collection whose first entry is on this line. */
  private openBlock(i: number, col: number, lineEnd: number, nl: number): number {
    if (this.isDash(i, lineEnd)) {
      this.push(SEQUENCE, i, col);
      return this.item(i, col, lineEnd, nl);
    }
    this.push(MAPPING, i, col);
    return this.entry(i, lineEnd, nl);
  }

  /** An item of the sequence on top, at its `-`. */
  private item(i: number, col: number, lineEnd: number, nl: number): number {
    const text = this.text;
    let j = i + 1;
    while (text.charCodeAt(j) === SPACE) j++;
    if (j >= lineEnd || text.charCodeAt(j) === HASH) {
      this.comment(j, lineEnd);
      this.pending = true;
      return nl + 1;
    }
    // `- - a`: a sequence in a sequence on one line.
    if (this.isDash(j, lineEnd)) notFast();
    // `- key: value`: a mapping that starts after the dash, at that column. A plain key is read
    // once: the scan that finds its colon also takes its hash.
    const c = text.charCodeAt(j);
    if (c === DOUBLE || c === SINGLE) {
      if (this.quotedKeyAhead(j, lineEnd)) {
        this.push(MAPPING, j, col + (j - i));
        return this.entry(j, lineEnd, nl);
      }
    } else if (c !== OPEN_SEQ && c !== OPEN_MAP && this.plainFirst(j, false)) {
      const colon = this.plainKeyColon(j, lineEnd);
      if (colon >= 0) {
        this.push(MAPPING, j, col + (j - i));
        return this.afterKey(this.usePlainKey(j, colon), lineEnd, nl);
      }
    }
    return this.value(j, lineEnd, nl);
  }

  /** An entry of the mapping on top, at its key. */
  private entry(i: number, lineEnd: number, nl: number): number {
    return this.afterKey(this.blockKey(i, lineEnd), lineEnd, nl);
  }

  /** What follows a key's `:` (at `j`): a value on the line, or nothing and the value below. */
  private afterKey(j: number, lineEnd: number, nl: number): number {
    const text = this.text;
    while (text.charCodeAt(j) === SPACE) j++;
    if (j >= lineEnd || text.charCodeAt(j) === HASH) {
      this.comment(j, lineEnd);
      this.pending = true;
      return nl + 1;
    }
    return this.value(j, lineEnd, nl);
  }

  /** Whether the quoted scalar at `j` is an implicit key (followed by `: ` or `:` at the end of the line). */
  private quotedKeyAhead(j: number, lineEnd: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(j);
    let k = text.indexOf(c === DOUBLE ? '"' : "'", j + 1);
    if (c === SINGLE) while (k >= 0 && k < lineEnd && text.charCodeAt(k + 1) === SINGLE) k = text.indexOf("'", k + 2);
    if (k < 0 || k >= lineEnd) return false;
    k++;
    while (text.charCodeAt(k) === SPACE) k++;
    return text.charCodeAt(k) === COLON && (k + 1 === lineEnd || text.charCodeAt(k + 1) === SPACE);
  }

  /**
   * The colon of the plain key at `i` (`: ` or `:` at the end of the line, before any comment), or
   * -1 when the line holds no such key; the hash of the characters before it is left in `lastKeyHash`.
   */
  private plainKeyColon(i: number, lineEnd: number): number {
    const text = this.text;
    let h = 0;
    for (let k = i; k < lineEnd; k++) {
      const d = text.charCodeAt(k);
      if (d === COLON) {
        if (k + 1 === lineEnd || text.charCodeAt(k + 1) === SPACE) {
          this.lastKeyHash = h;
          return k;
        }
      } else if (d === HASH && text.charCodeAt(k - 1) === SPACE) return -1;
      else if (refused(d)) notFast();
      h = (Math.imul(h, 31) + d) | 0;
    }
    return -1;
  }

  /** Records the plain key from `i` to its colon for the mapping on top; returns the position after the colon. */
  private usePlainKey(i: number, colon: number): number {
    const text = this.text;
    let end = colon;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    this.setPlainKey(i, end, colon, end === colon ? this.lastKeyHash : keyHash(text, i, end));
    return colon + 1;
  }

  /** Reads the key of a block mapping's entry at `i`; returns the position after its `:`. */
  private blockKey(i: number, lineEnd: number): number {
    const text = this.text;
    const c = text.charCodeAt(i);
    let colon: number;
    if (c === DOUBLE || c === SINGLE) {
      colon = this.quoted(i, lineEnd);
      while (text.charCodeAt(colon) === SPACE) colon++;
      if (text.charCodeAt(colon) !== COLON || (colon + 1 !== lineEnd && text.charCodeAt(colon + 1) !== SPACE)) notFast();
      this.setKey(i, colon, this.quotedValue);
      return colon + 1;
    }
    if (!this.plainFirst(i, false)) notFast();
    colon = this.plainKeyColon(i, lineEnd);
    // A scalar, or a comment, where a key is due.
    if (colon < 0) notFast();
    return this.usePlainKey(i, colon);
  }

  /** A quoted key read for the mapping on top, as core/indexed-yaml.ts `build` records it. */
  private setKey(start: number, colon: number, value: string): void {
    this.useKey(start, colon, knownKey(value, value));
  }

  /** A plain key, `start` to `end`, found in the keys already read (without slicing it) or resolved. */
  private setPlainKey(start: number, end: number, colon: number, hash: number): void {
    const text = this.text;
    const length = end - start;
    if (length > MAX_KEPT_KEY) {
      const raw = text.slice(start, end);
      this.useKey(start, colon, knownKey(raw, resolvePlain(raw)));
      return;
    }
    const slot = (hash ^ (hash >>> 12)) & (KEY_SLOTS - 1);
    let known = KEY_TABLE[slot];
    if (known === undefined || known.text.length !== length || !text.startsWith(known.text, start)) {
      // A copy of its own, not a slice that would keep this file's text alive in the table.
      const raw = flat(text.slice(start, end));
      known = KEY_TABLE[slot] = knownKey(raw, resolvePlain(raw));
    }
    this.useKey(start, colon, known);
  }

  private useKey(start: number, colon: number, known: KnownKey): void {
    // yaml refuses an implicit key whose `:` is more than 1024 characters from its start.
    if (colon - start >= 1000) notFast();
    const top = this.stack[this.stack.length - 1]!;
    top.key = known.property;
    top.keyString = known.name;
    top.keyType = known.type;
    top.keyStart = start;
  }

  /** A value that starts on this line at `j` (block context); returns where the next line starts. */
  private value(j: number, lineEnd: number, nl: number): number {
    const text = this.text;
    const c = text.charCodeAt(j);
    if (c === DOUBLE || c === SINGLE) {
      const end = this.quoted(j, lineEnd);
      this.scalar(j, end, this.quotedValue);
      return this.restOfLine(end);
    }
    if (c === OPEN_SEQ || c === OPEN_MAP) {
      const indent = this.indents[this.indents.length - 1]!;
      return this.restOfLine(this.flow(j, indent));
    }
    if (!this.plainFirst(j, false)) notFast();
    let end = lineEnd;
    for (let k = j; k < lineEnd; k++) {
      const d = text.charCodeAt(k);
      // Everything this loop looks for is below `;`; the characters refused, also above DEL.
      if (d < 59) {
        // `a: b: c` or `- a: b: c`: not YAML.
        if (d === COLON) {
          if (k + 1 === lineEnd || text.charCodeAt(k + 1) === SPACE) notFast();
        } else if (d === HASH) {
          if (text.charCodeAt(k - 1) === SPACE) {
            this.comment(k, lineEnd);
            end = k;
            break;
          }
        } else if (d < 32) notFast();
      } else if (d >= 127 && refused(d)) notFast();
    }
    while (text.charCodeAt(end - 1) === SPACE) end--;
    this.scalar(j, end, resolvePlain(text.slice(j, end)));
    return nl + 1;
  }

  /** After a value that ended at `k`: only spaces and a comment may follow on its line. */
  private restOfLine(k: number): number {
    const text = this.text;
    const from = k;
    while (text.charCodeAt(k) === SPACE) k++;
    const c = text.charCodeAt(k);
    if (c === HASH && k > from) {
      const end = this.lineEndAt(k);
      this.comment(k, end);
      return end >= this.n ? this.n : text.charCodeAt(end) === CR ? end + 2 : end + 1;
    }
    if (k >= this.n) return k;
    if (c === LF) return k + 1;
    if (c === CR && text.charCodeAt(k + 1) === LF) return k + 2;
    return notFast();
  }

  /**
   * Whether a plain scalar may start at `i`: not an indicator, and `-`, `?`, `:` only when a
   * character that cannot end the scalar follows (in a flow collection, `,[]{}` end it).
   */
  private plainFirst(i: number, flow: boolean): boolean {
    const text = this.text;
    const c = text.charCodeAt(i);
    if (c < 128 && INDICATOR[c] === 1) return false;
    if (c === DASH || c === QUESTION || c === COLON) {
      const d = text.charCodeAt(i + 1);
      if (d === SPACE || d === LF || d === CR || Number.isNaN(d)) return false;
      if (flow && d < 128 && FLOW_STOP[d] === 1) return false;
    }
    return true;
  }

  /**
   * A quoted scalar on one line at `i`; sets `quotedValue` and returns the position after its
   * closing quote. Over several lines, or with an escape, it is left to js-yaml.
   */
  private quoted(i: number, lineEnd: number): number {
    const text = this.text;
    if (text.charCodeAt(i) === DOUBLE) {
      const q = text.indexOf('"', i + 1);
      if (q < 0 || q >= lineEnd) notFast();
      if (this.nextBackslash < i) {
        this.nextBackslash = text.indexOf('\\', i);
        if (this.nextBackslash < 0) this.nextBackslash = this.n;
      }
      if (this.nextBackslash < q) notFast();
      this.checkCharacters(i + 1, q);
      this.quotedValue = text.slice(i + 1, q);
      return q + 1;
    }
    let from = i + 1;
    let value: string | undefined;
    for (;;) {
      const q = text.indexOf("'", from);
      if (q < 0 || q >= lineEnd) notFast();
      this.checkCharacters(from, q);
      if (text.charCodeAt(q + 1) === SINGLE) {
        // '' is one quote.
        value = (value ?? '') + text.slice(from, q + 1);
        from = q + 2;
        continue;
      }
      this.quotedValue = value === undefined ? text.slice(from, q) : value + text.slice(from, q);
      return q + 1;
    }
  }

  /** Where the line holding `k` ends (before its CR LF or LF). */
  private lineEndAt(k: number): number {
    const nl = this.text.indexOf('\n', k);
    if (nl < 0) return this.n;
    return nl > k && this.text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
  }

  /** A comment from `k` (its `#`) to the end of its line: nothing to read, but its characters are checked. */
  private comment(k: number, lineEnd: number): void {
    this.checkCharacters(k, lineEnd);
  }

  /** Gives up on a character refused in evidence (see `refused`) from `from` to `to`. */
  private checkCharacters(from: number, to: number): void {
    const text = this.text;
    for (let k = from; k < to; k++) {
      const d = text.charCodeAt(k);
      if (d < 32 || (d >= 127 && refused(d))) notFast();
    }
  }

  /**
   * A flow collection at `j` (`[` or `{`), possibly over several lines, each indented deeper than
   * `outer`, the block collection it is in. Returns the position after its closing bracket.
   */
  private flow(j: number, outer: number): number {
    const text = this.text;
    const isMap = text.charCodeAt(j) === OPEN_MAP;
    const close = isMap ? CLOSE_MAP : CLOSE_SEQ;
    const frame = this.push(isMap ? MAPPING : SEQUENCE, j, -1);
    frame.flow = true;
    let k = this.flowSpace(j + 1, outer);
    if (text.charCodeAt(k) !== close) {
      for (;;) {
        if (isMap) k = this.flowSpace(this.flowKey(k), outer);
        k = this.flowSpace(this.flowValue(k, outer), outer);
        const c = text.charCodeAt(k);
        if (c === close) break;
        if (c !== COMMA) notFast();
        k = this.flowSpace(k + 1, outer);
        // A trailing comma (`[a, ]`) or an empty entry (`[a, , b]`).
        const d = text.charCodeAt(k);
        if (d === COMMA || d === CLOSE_MAP || d === CLOSE_SEQ) notFast();
      }
    }
    this.ix.end[frame.node] = k + 1;
    this.closeTop();
    return k + 1;
  }

  /** Skips spaces, line breaks and comments inside a flow collection; each new line must be deeper than `outer`. */
  private flowSpace(k: number, outer: number): number {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(k);
      if (c === SPACE) k++;
      else if (c === LF || (c === CR && text.charCodeAt(k + 1) === LF)) {
        k += c === CR ? 2 : 1;
        const lineStart = k;
        while (text.charCodeAt(k) === SPACE) k++;
        const d = text.charCodeAt(k);
        const blank = d === LF || d === CR || d === HASH;
        if (!blank && k - lineStart <= outer) notFast();
      } else if (c === HASH) {
        const before = text.charCodeAt(k - 1);
        if (before !== SPACE && before !== LF) notFast();
        const end = this.lineEndAt(k);
        this.comment(k, end);
        k = end;
      } else return k;
    }
  }

  /** The key of a flow mapping's entry at `k`; returns the position after its `:`. */
  private flowKey(k: number): number {
    const text = this.text;
    const c = text.charCodeAt(k);
    let colon: number;
    if (c === DOUBLE || c === SINGLE) {
      colon = this.quoted(k, this.lineEndAt(k));
      while (text.charCodeAt(colon) === SPACE) colon++;
      if (text.charCodeAt(colon) !== COLON) notFast();
      this.setKey(k, colon, this.quotedValue);
    } else {
      if (!this.plainFirst(k, true)) notFast();
      for (colon = k; ; colon++) {
        const d = text.charCodeAt(colon);
        if (d === COLON) {
          const e = text.charCodeAt(colon + 1);
          if (e === SPACE || e === LF || e === CR) break;
        } else if (d === LF || d === CR || Number.isNaN(d) || (d < 128 && FLOW_STOP[d] === 1) || (d === HASH && text.charCodeAt(colon - 1) === SPACE)) {
          notFast(); // a key with no value, over two lines, or not a key
        } else if (refused(d)) notFast();
      }
      let end = colon;
      while (text.charCodeAt(end - 1) === SPACE) end--;
      this.setPlainKey(k, end, colon, keyHash(text, k, end));
    }
    // Only `: ` or `:` at the end of the line (not `"a":b`, which is left to js-yaml).
    const e = text.charCodeAt(colon + 1);
    if (e !== SPACE && e !== LF && e !== CR) notFast();
    return colon + 1;
  }

  /** A value in a flow collection at `k`; returns the position after it. */
  private flowValue(k: number, outer: number): number {
    const text = this.text;
    const c = text.charCodeAt(k);
    if (c === OPEN_SEQ || c === OPEN_MAP) return this.flow(k, outer);
    if (c === DOUBLE || c === SINGLE) {
      const end = this.quoted(k, this.lineEndAt(k));
      this.scalar(k, end, this.quotedValue);
      return end;
    }
    if (!this.plainFirst(k, true)) notFast();
    let stop = k;
    for (; ; stop++) {
      const d = text.charCodeAt(stop);
      if (d === COLON) {
        // `[a: b]` (a pair) or `{a: b: c}`.
        const e = text.charCodeAt(stop + 1);
        if (e === SPACE || e === LF || e === CR || Number.isNaN(e) || (e < 128 && FLOW_STOP[e] === 1)) notFast();
      } else if (d === LF || d === CR || Number.isNaN(d) || (d === HASH && text.charCodeAt(stop - 1) === SPACE)) break;
      else if (d < 128 && FLOW_STOP[d] === 1) {
        if (d === OPEN_SEQ || d === OPEN_MAP) notFast();
        break;
      } else if (refused(d)) notFast();
    }
    let end = stop;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    this.scalar(k, end, resolvePlain(text.slice(k, end)));
    return stop;
  }

  private scalar(start: number, end: number, value: unknown): void {
    const node = this.ix.add(SCALAR, start);
    this.ix.end[node] = end;
    place(this.ix, this.stack, this.root, node, value);
  }

  /** The null of a key or item with nothing after it (no position: nothing is written). */
  private placeEmpty(): void {
    place(this.ix, this.stack, this.root, this.ix.add(SCALAR, NONE), null);
  }

  private push(kind: number, start: number, indent: number): Frame {
    const depth = this.stack.length;
    if (depth >= this.maxDepth) notFast();
    const node = this.ix.add(kind, start);
    const value = kind === MAPPING ? {} : [];
    // The frames of closed collections are used again (one per depth, not one per collection).
    let frame = this.frames[depth];
    if (frame === undefined) {
      frame = this.frames[depth] = { node, kind, flow: false, value, base: this.ix.pendingLength, key: undefined, keyString: '', keyType: KEY_STRING, keyStart: NONE };
    } else {
      frame.node = node;
      frame.kind = kind;
      frame.flow = false;
      frame.value = value;
      frame.base = this.ix.pendingLength;
      frame.key = undefined;
      frame.keyStart = NONE;
    }
    this.stack.push(frame);
    this.indents.push(indent);
    return frame;
  }

  /** Closes the collection on top and places it in the one below (or makes it the root). */
  private closeTop(): void {
    const frame = this.stack.pop()!;
    this.indents.pop();
    if (!frame.flow) this.ix.end[frame.node] = collectionEnd(this.text, this.ix, frame);
    this.ix.close(frame.node, frame.base);
    place(this.ix, this.stack, this.root, frame.node, frame.value);
  }
}
