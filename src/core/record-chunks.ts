import type { IndexedYaml, NodeIndex } from './yaml-index.js';

/**
 * Splitting one large register file into pieces that parse on their own, and putting the pieces
 * back together as the value and index that reading the whole file gives: what parsing a piece
 * leaves behind (js-yaml's events) then dies young, bounded by the piece, not by the file. (Files
 * that kitei's own scanner reads, core/scanned-yaml.ts, are read whole: it leaves nothing behind.)
 *
 * A register file is an envelope (`register:`, `capturedAt:`) and then `records:`, a block
 * sequence. The file is cut only at the start of a line that begins a record, at the records'
 * indentation: the first piece is the envelope with the first records (a register file of its own),
 * each other piece a run of records (a block sequence at the same indentation, which YAML reads as
 * the root). A file is not cut at all when `records:` is not the last top-level key written as a
 * block sequence, or when any line after it starts left of the records or at their indentation
 * without a `-` (a document marker, another key, a scalar that would continue over the cut): such
 * files are read whole. A piece that does not parse, or needs the full way, makes the caller read
 * the file whole too, so a cut never decides what a file means; test/unit/record-chunks.test.ts
 * holds the merged result to the whole file's over the example evidence and fuzzed cuts.
 */

/**
 * About how much of a large file each piece holds (a piece is a run of whole records). Small
 * enough that what parsing a piece leaves behind dies young (at 100k records, peak memory fell
 * from 560 MiB with whole files to about 400 MiB), large enough that the pieces cost nothing.
 */
export const DEFAULT_PIECE_CHARS = 128 * 1024;

/** `KITEI_PIECE_CHARS`: the size of the pieces large files are cut into (a tuning and testing aid). */
export function pieceChars(): number {
  const v = Number(process.env.KITEI_PIECE_CHARS);
  return Number.isSafeInteger(v) && v > 0 ? v : DEFAULT_PIECE_CHARS;
}

/** A piece of YAML text to read the fast way, and how deep it may nest. */
export interface PieceTask {
  text: string;
  maxDepth: number;
}

/**
 * A file's value and index, read by `run` in pieces of about `pieceChars` when it is large, or
 * undefined when it must be read the full way. If one piece cannot be read fast, the whole file is
 * tried at once, as if it had not been cut.
 */
export function parseInPieces(text: string, maxDepth: number, pieceChars: number, run: (task: PieceTask) => IndexedYaml | null): IndexedYaml | undefined {
  const cuts = recordCuts(text, pieceChars);
  if (cuts) {
    const starts = [0, ...cuts];
    const pieces: IndexedYaml[] = [];
    for (let i = 0; i < starts.length; i++) {
      // Records after the first piece sit one level less deep in their piece than in the file.
      const piece = run({ text: text.slice(starts[i]!, starts[i + 1] ?? text.length), maxDepth: i === 0 ? maxDepth : maxDepth - 1 });
      if (!piece) break;
      pieces.push(piece);
    }
    if (pieces.length === starts.length) {
      const merged = mergePieces(pieces.map((parsed, i) => ({ offset: starts[i]!, parsed })));
      if (merged) return merged;
    }
  }
  return run({ text, maxDepth }) ?? undefined;
}

/** `records:` as a top-level key with its block sequence below it (nothing after the colon but a comment). */
const RECORDS_KEY = /^records:[ ]*(?:#[^\n]*)?\r?$/m;

/**
 * Offsets (ascending, each the start of a line) at which `text` may be cut so that each piece
 * holds about `chunkChars` characters, or undefined when the file is not to be cut.
 */
export function recordCuts(text: string, chunkChars: number): number[] | undefined {
  if (text.length <= chunkChars) return undefined;
  const key = RECORDS_KEY.exec(text);
  if (!key) return undefined;
  let indent = -1;
  const cuts: number[] = [];
  let last = 0;
  let pos = text.indexOf('\n', key.index);
  while (pos !== -1 && pos < text.length) {
    const lineStart = pos + 1;
    const next = text.indexOf('\n', lineStart);
    const lineEnd = next === -1 ? text.length : next;
    pos = next;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    const c = i < lineEnd ? text.charCodeAt(i) : -1;
    // Blank lines and comments belong to no record.
    if (c === -1 || c === 13 || c === 35) continue;
    const column = i - lineStart;
    const dash = c === 45 && (i + 1 === lineEnd || [32, 13].includes(text.charCodeAt(i + 1)));
    if (indent < 0) {
      // The first record fixes the indentation of all of them.
      if (!dash) return undefined;
      indent = column;
      continue;
    }
    if (column > indent) continue;
    if (column < indent || !dash) return undefined;
    if (lineStart - last >= chunkChars) {
      cuts.push(lineStart);
      last = lineStart;
    }
  }
  return cuts.length > 0 ? cuts : undefined;
}

/** One piece read: where it starts in the file, and its value and index (offsets relative to the piece). */
export interface ParsedPiece {
  offset: number;
  parsed: IndexedYaml;
}

/**
 * The file's value and index from its pieces, as reading it whole gives them: the first piece's
 * envelope, with the records of every piece in order under `records`.
 */
export function mergePieces(pieces: readonly ParsedPiece[]): IndexedYaml | undefined {
  const [head, ...rest] = pieces;
  if (!head) return undefined;
  const value = head.parsed.value as Record<string, unknown> | null;
  if (value === null || typeof value !== 'object' || !Array.isArray(value.records)) return undefined;
  const hx = head.parsed.index;
  const recordsNode = childByKey(hx, 0, 'records');
  if (recordsNode < 0 || rest.some((p) => !Array.isArray(p.parsed.value) || p.parsed.index.count === 0)) return undefined;

  // Every piece after the first loses its root (the sequence standing for `records`).
  let count = hx.count;
  let childrenLength = hx.children.length + hx.childCount[recordsNode]!;
  for (const p of rest) {
    count += p.parsed.index.count - 1;
    childrenLength += p.parsed.index.children.length + p.parsed.index.childCount[0]!;
  }
  const out: NodeIndex = {
    count,
    kind: new Uint8Array(count),
    start: new Int32Array(count),
    end: new Int32Array(count),
    keyStart: new Int32Array(count),
    keys: hx.keys.slice(),
    keyType: new Uint8Array(count),
    firstChild: new Int32Array(count),
    childCount: new Int32Array(count),
    children: new Int32Array(childrenLength),
  };
  out.kind.set(hx.kind);
  out.start.set(hx.start);
  out.end.set(hx.end);
  out.keyStart.set(hx.keyStart);
  out.keyType.set(hx.keyType);
  out.firstChild.set(hx.firstChild);
  out.childCount.set(hx.childCount);
  out.children.set(hx.children);
  // The records' children are gathered at the end of `children`, after every piece's own
  // (their first block, and each later piece's root block, stay behind unused).
  const recordChildren: Int32Array[] = [hx.children.subarray(hx.firstChild[recordsNode]!, hx.firstChild[recordsNode]! + hx.childCount[recordsNode]!)];
  const records = value.records as unknown[];
  let nodeBase = hx.count;
  let childBase = hx.children.length;
  for (const p of rest) {
    const px = p.parsed.index;
    // Node n of the piece (n ≥ 1) becomes nodeBase + n - 1.
    const shift = nodeBase - 1;
    for (let n = 1; n < px.count; n++) {
      const m = shift + n;
      out.kind[m] = px.kind[n]!;
      out.start[m] = px.start[n]! < 0 ? px.start[n]! : px.start[n]! + p.offset;
      out.end[m] = px.end[n]! < 0 ? px.end[n]! : px.end[n]! + p.offset;
      out.keyStart[m] = px.keyStart[n]! < 0 ? px.keyStart[n]! : px.keyStart[n]! + p.offset;
      out.keyType[m] = px.keyType[n]!;
      out.firstChild[m] = px.firstChild[n]! + childBase;
      out.childCount[m] = px.childCount[n]!;
      out.keys.push(px.keys[n]);
    }
    for (let c = 0; c < px.children.length; c++) out.children[childBase + c] = px.children[c]! + shift;
    recordChildren.push(out.children.subarray(childBase + px.firstChild[0]!, childBase + px.firstChild[0]! + px.childCount[0]!));
    childBase += px.children.length;
    nodeBase += px.count - 1;
    for (const r of p.parsed.value as unknown[]) records.push(r);
  }
  out.firstChild[recordsNode] = childBase;
  for (const block of recordChildren) {
    out.children.set(block, childBase);
    childBase += block.length;
  }
  out.childCount[recordsNode] = childBase - out.firstChild[recordsNode]!;
  // The records sequence ends where its last record does, and so does the file's root mapping
  // (records is its last entry): where the last piece's root ends, or unknown as it is there.
  const last = rest[rest.length - 1];
  if (last) {
    const lastEnd = last.parsed.index.end[0]!;
    out.end[recordsNode] = lastEnd < 0 ? lastEnd : lastEnd + last.offset;
    out.end[0] = out.end[recordsNode]!;
  }
  return { value, index: out };
}

/** The entry of mapping `node` whose key is `key`, or -1. */
function childByKey(ix: NodeIndex, node: number, key: string): number {
  const first = ix.firstChild[node]!;
  for (let c = first; c < first + ix.childCount[node]!; c++) if (ix.keys[ix.children[c]!] === key) return ix.children[c]!;
  return -1;
}
