import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';
import { collectionEnd, Growable, internKey, MAPPING, NONE, NotFast, notFast, place, resolvePlain, SCALAR, SEQUENCE, KEY_NUMBER, KEY_OTHER, KEY_STRING, type Frame, type IndexedYaml } from './yaml-index.js';
import { scanYaml } from './scanned-yaml.js';

/**
 * The fast reader of evidence files: kitei's own scanner of the usual register layout
 * (core/scanned-yaml.ts) first, and for what it leaves, js-yaml's event parser (`parseEvents`, the
 * first half of its `load`) and, in one pass over its events, the plain JavaScript value together
 * with a compact index of where each node is (`NodeIndex`, core/yaml-index.ts). No YAML document
 * is built or kept.
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


const TAB_INDENT = /^[ \t?:-]*\t/m;
const DOCUMENT_END = /^\.\.\.(?:[ \t\r#]|$)/m;

/**
 * Parses one evidence file into its value and index, or returns undefined when it must be read
 * the full way (see above). `maxDepth` is the nesting limit: deeper files are left to the full
 * way, which reports them.
 */
export function parseIndexedYaml(text: string, maxDepth: number): IndexedYaml | undefined {
  return scanYaml(text, maxDepth) ?? readWithJsYaml(text, maxDepth);
}

/** `parseIndexedYaml` with js-yaml alone (what kitei's own scanner leaves to it, and the tests' reference for that scanner). */
export function readWithJsYaml(text: string, maxDepth: number): IndexedYaml | undefined {
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
