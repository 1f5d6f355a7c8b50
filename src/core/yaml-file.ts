import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Alias, Node } from 'yaml';
import { decodeUtf8, firstBareCarriageReturn, firstForbiddenCharacter } from './encoding.js';
import type { Finding, Location } from './findings.js';
import { fileType } from './files.js';
import { DEFAULT_LIMITS, formatSize, type InputLimits } from './limits.js';
import { fileProblemCode, problemFinding, type FileKind, type FileProblem, type ProblemCode, type ProblemValue } from './problems.js';
import { IndexedSourceFile } from './indexed-source.js';
import { readWithJsYaml } from './indexed-yaml.js';
import { scanYaml } from './scanned-yaml.js';
import type { IndexedYaml } from './yaml-index.js';
import { SourceFile, yamlPackage, type PositionedFile } from './source.js';

/**
 * One YAML file read. Policy and rule-test files (and the catalog) come with a `SourceFile`, their
 * YAML document; an evidence file with a `PositionedFile` that is usually an `IndexedSourceFile`
 * (read the fast way: see core/indexed-yaml.ts).
 */
export interface ParsedYaml<S extends PositionedFile = SourceFile> {
  source: S;
  /** The plain JavaScript value, or undefined when the file could not be read or parsed. */
  value: unknown;
  problems: Finding[];
  /**
   * The first bytes of the file as Latin-1, also when it could not be read whole or decoded: enough
   * to see which register an evidence file declares, so that what depends on it is not judged.
   */
  head: string;
}

/** Which family of problem codes a file's problems get: evidence, policy (and the catalog beside it), or rule tests. */
export type YamlKind = FileKind;

export interface ReadOptions {
  limits?: InputLimits;
  /** Bytes still allowed in this run (the evidence's total limit); decreased by each file read. */
  budget?: { remaining: number };
}

const HEAD_BYTES = 64 * 1024;

/**
 * Reads and parses one YAML file. Nothing about its bytes can stop the run: every way a file can
 * be wrong (not a regular file, too large, too slow, not UTF-8, control characters, syntax,
 * aliases, nesting) becomes a finding with its position, and the file is then not judged.
 */
export async function readYamlFile(absPath: string, shownPath: string, kind: 'policy' | 'tests' | 'config', options?: ReadOptions): Promise<ParsedYaml>;
export async function readYamlFile(absPath: string, shownPath: string, kind: YamlKind, options?: ReadOptions): Promise<ParsedYaml<PositionedFile>>;
export async function readYamlFile(absPath: string, shownPath: string, kind: YamlKind, options: ReadOptions = {}): Promise<ParsedYaml<PositionedFile>> {
  const read = await readYamlText(absPath, shownPath, kind, options);
  return 'failed' in read ? read.failed : parseYamlText(read.text, shownPath, kind, options.limits);
}

/**
 * The first half of `readYamlFile`: the file's text, decoded, or the problem that kept it from
 * being read (a ParsedYaml with no value). Evidence read on several threads parses the text with
 * `parseEvidenceText`.
 */
export async function readYamlText(absPath: string, shownPath: string, kind: YamlKind, options: ReadOptions = {}): Promise<{ text: string } | { failed: ParsedYaml }> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const unreadable = (problem: FileProblem, values: Record<string, ProblemValue>, head = '', at?: Location, code?: ProblemCode): { failed: ParsedYaml } => {
    const source = new SourceFile(shownPath, '');
    return { failed: { source, value: undefined, head, problems: [problemFinding(code ?? fileProblemCode(kind, problem), at ?? source.start(), values)] } };
  };
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    handle = await open(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return unreadable('unreadable', { detail: (e as NodeJS.ErrnoException).code ?? 'error' });
  }
  let bytes: Buffer;
  try {
    const st = await handle.stat();
    if (!st.isFile()) return unreadable('not-a-regular-file', { type: fileType(st) });
    if (st.size > limits.fileBytes) {
      return unreadable('too-large', { size: formatSize(st.size), limit: formatSize(limits.fileBytes) }, await readHead(handle));
    }
    if (options.budget) {
      if (st.size > options.budget.remaining) {
        return unreadable('too-large', { limit: formatSize(limits.totalBytes) }, await readHead(handle), undefined, 'evidence/total-too-large');
      }
      options.budget.remaining -= st.size;
    }
    bytes = await handle.readFile({ signal: AbortSignal.timeout(limits.readTimeoutMs) });
    // The file may have grown since it was measured.
    if (bytes.length > limits.fileBytes) return unreadable('too-large', { size: formatSize(bytes.length), limit: formatSize(limits.fileBytes) }, latin1Head(bytes));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.name === 'AbortError' || err.name === 'TimeoutError') return unreadable('read-timeout', { seconds: limits.readTimeoutMs / 1000 });
    return unreadable('unreadable', { detail: err.code ?? 'error' });
  } finally {
    await handle.close().catch(() => undefined);
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    return unreadable('encoding', { bytes: decoded.bytes, hint: decoded.hint }, latin1Head(bytes), { file: shownPath, pointer: '', line: decoded.line, column: decoded.column });
  }
  return { text: decoded.text };
}

async function readHead(handle: import('node:fs/promises').FileHandle): Promise<string> {
  const buf = Buffer.alloc(HEAD_BYTES);
  const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0).catch(() => ({ bytesRead: 0 }));
  return latin1Head(buf.subarray(0, bytesRead));
}

/** The first bytes of a file as Latin-1 ('' when it cannot be opened), for a file whose reading failed. */
export async function readFileHead(absPath: string): Promise<string> {
  try {
    const handle = await open(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      return (await handle.stat()).isFile() ? await readHead(handle) : '';
    } finally {
      await handle.close().catch(() => undefined);
    }
  } catch {
    return '';
  }
}

function latin1Head(bytes: Buffer): string {
  return bytes.subarray(0, HEAD_BYTES).toString('latin1');
}

/**
 * Parses YAML text that is already decoded. Only the first problem is reported: the ones after
 * it are usually its cascade, and the file is not judged anyway.
 *
 * Evidence is read the fast way (kitei's own scanner, core/scanned-yaml.ts, then js-yaml's events,
 * core/indexed-yaml.ts) when it can be; a file that cannot (every
 * file with a problem, and files with anchors, tags, directives, complex keys…) is read as a YAML
 * document, as policies always are, so that its problems are the same in both cases.
 */
export function parseYamlText(text: string, shownPath: string, kind: 'policy' | 'tests' | 'config', limits?: InputLimits): ParsedYaml;
export function parseYamlText(text: string, shownPath: string, kind: YamlKind, limits?: InputLimits): ParsedYaml<PositionedFile>;
export function parseYamlText(text: string, shownPath: string, kind: YamlKind, limits: InputLimits = DEFAULT_LIMITS): ParsedYaml<PositionedFile> {
  text = text.replace(/^\uFEFF/, '');
  // parseEvidenceText gives the whole text to the scanner first; what it leaves goes to js-yaml
  // (not to the scanner again, as parseIndexedYaml would).
  if (kind === 'evidence') return parseEvidenceText(text, shownPath, limits, readWithJsYaml);
  return parseDocumentText(text, shownPath, kind, limits);
}

/** Reads text that kitei's scanner left, the fast way (in pieces: core/record-chunks.ts); undefined when it must be read the full way. */
export type FastReader = (text: string, maxDepth: number) => IndexedYaml | undefined;

/** `parseYamlText` for an evidence file whose fast reading is done by `read` (large files in pieces). */
export function parseEvidenceText(text: string, shownPath: string, limits: InputLimits, read: FastReader): ParsedYaml<PositionedFile> {
  text = text.replace(/^\uFEFF/, '');
  // kitei's own scanner checks every character as it reads (a text it reads has none refused),
  // so the separate character checks run only for what it leaves.
  const scanned = scanYaml(text, limits.depth);
  if (scanned) return fastParsed(text, shownPath, scanned);
  if (fastReadable(text)) {
    const fast = read(text, limits.depth);
    if (fast) return fastParsed(text, shownPath, fast);
  }
  return parseDocumentText(text, shownPath, 'evidence', limits);
}

/**
 * Whether the fast way may read the text: the checks on characters come first either way
 * (parseDocumentText repeats them for a file that fails them: it reports them).
 */
export function fastReadable(text: string): boolean {
  return !firstForbiddenCharacter(text) && firstBareCarriageReturn(text) < 0;
}

function fastParsed(text: string, shownPath: string, fast: IndexedYaml): ParsedYaml<PositionedFile> {
  return { source: new IndexedSourceFile(shownPath, text, fast.index), value: fast.value, problems: [], head: text.slice(0, HEAD_BYTES) };
}

/** The full way: a YAML document (`SourceFile`), its problems and `toJS()`. */
export function parseDocumentText(text: string, shownPath: string, kind: YamlKind, limits: InputLimits = DEFAULT_LIMITS): ParsedYaml {
  text = text.replace(/^\uFEFF/, '');
  const head = text.slice(0, HEAD_BYTES);
  const failed = (problem: FileProblem, offset: number, values: Record<string, ProblemValue> = {}, source?: SourceFile): ParsedYaml => {
    const where = positionIn(text, offset);
    const src = source ?? new SourceFile(shownPath, '');
    return { source: src, value: undefined, head, problems: [problemFinding(fileProblemCode(kind, problem), { file: shownPath, pointer: '', ...where }, values)] };
  };
  const forbidden = firstForbiddenCharacter(text);
  if (forbidden) return failed('control-character', forbidden.index, { char: forbidden.char });
  const cr = firstBareCarriageReturn(text);
  if (cr >= 0) return failed('cr-line-endings', cr);

  let source: SourceFile;
  try {
    source = new SourceFile(shownPath, text);
  } catch (e) {
    return failed('unprocessable', 0, { detail: (e as Error).message.split('\n')[0]! });
  }
  const err = source.doc.errors[0];
  if (err) {
    // Nesting past the limit is reported as such whatever error the parser met first: whether the
    // parser runs out of stack on it (RESOURCE_EXHAUSTION) depends on how warm the JIT is, and the
    // same file must give the same problem in every run.
    const deep = tooDeepOffset(text, limits.depth);
    if (deep !== undefined) return failed('too-deep', deep, { limit: limits.depth }, source);
    if (err.code === 'RESOURCE_EXHAUSTION') return failed('too-deep', err.pos[0], { limit: limits.depth }, source);
    return failed('yaml-syntax', err.pos[0], { detail: firstLine(err.message) }, source);
  }
  const structural = checkStructure(source, kind, limits);
  if (structural) return failed(structural.problem, structural.offset, structural.values, source);
  try {
    // Aliases are bounded above, so yaml's own alias count need not stop anything.
    return { source, value: source.doc.toJS({ maxAliasCount: -1 }), problems: [], head };
  } catch (e) {
    return failed('unprocessable', 0, { detail: (e as Error).message.split('\n')[0]! }, source);
  }
}

interface StructureProblem {
  problem: FileProblem;
  offset: number;
  values?: Record<string, ProblemValue>;
}

/**
 * One iterative walk over the parsed nodes (no recursion: nesting is what it measures) that
 * enforces the limits toJS and every later tree walk rely on: nesting depth, keys that are text,
 * and aliases. Evidence refuses anchors and aliases altogether; a register is data typed by
 * people and a reviewer reading its diff cannot see what an alias expands to. Policy and test
 * files may use them, but every alias must name an earlier anchor outside itself, and aliases may
 * not add more than `limits.aliasExpansion` nodes to the file (an "alias bomb").
 * The walk is in post-order, children left to right, so an alias's anchor (always earlier and,
 * once cycles are refused, never an ancestor) is complete when the alias is met.
 */
function checkStructure(source: SourceFile, kind: YamlKind, limits: InputLimits): StructureProblem | undefined {
  const { isAlias, isCollection, isMap, isPair, isScalar, isSeq } = yamlPackage();
  const root = source.doc.contents as Node | null;
  if (root === null) return undefined;
  const text = source.text;
  const sizes = new Map<Node, number>();
  type Kid = { node: Node | null; key: boolean };
  interface Frame {
    node: Node;
    kids: Kid[];
    next: number;
    size: number;
  }
  const anchorProblem = (node: Node): StructureProblem | undefined => {
    if (kind !== 'evidence' || node.anchor === undefined) return undefined;
    const start = node.range?.[0] ?? 0;
    const at = text.lastIndexOf(`&${node.anchor}`, start);
    return { problem: 'alias-not-allowed', offset: at >= 0 ? at : start };
  };
  const aliasProblem = (alias: Alias): StructureProblem | { size: number } => {
    const offset = alias.range?.[0] ?? 0;
    const name = alias.source;
    const target = alias.resolve(source.doc) as Node | undefined;
    if (target === undefined) return { problem: 'unresolved-alias', offset, values: { name } };
    if (kind === 'evidence') return { problem: 'alias-not-allowed', offset };
    const [start, , end] = target.range ?? [0, 0, 0];
    if (offset >= start && offset < end) return { problem: 'recursive-alias', offset, values: { name } };
    // A scalar is one node; a collection's size is known once the walk has left it.
    const size = isCollection(target) ? sizes.get(target) : 1;
    if (size === undefined) return { problem: 'recursive-alias', offset, values: { name } };
    return { size };
  };
  // A flow sequence may hold pairs (`[a: 1]`), which become one-entry mappings.
  const pair = (p: { key: unknown; value: unknown }): Kid[] => [{ node: p.key as Node | null, key: true }, { node: p.value as Node | null, key: false }];
  const childrenOf = (node: Node): Kid[] => {
    if (isMap(node)) return node.items.flatMap(pair);
    if (isSeq(node)) return node.items.flatMap((item) => (isPair(item) ? pair(item) : [{ node: item as Node | null, key: false }]));
    return [];
  };

  const first = anchorProblem(root);
  if (first) return first;
  if (isAlias(root)) {
    const r = aliasProblem(root);
    return 'problem' in r ? r : undefined;
  }
  if (!isCollection(root)) return undefined;
  const stack: Frame[] = [{ node: root, kids: childrenOf(root), next: 0, size: 1 }];
  let expanded = 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.kids.length) {
      stack.pop();
      sizes.set(top.node, top.size);
      const parent = stack[stack.length - 1];
      if (parent) parent.size += top.size;
      continue;
    }
    const { node: child, key } = top.kids[top.next++]!;
    if (child === null || child === undefined) continue;
    const anchored = anchorProblem(child);
    if (anchored) return anchored;
    if (isAlias(child)) {
      const r = aliasProblem(child);
      if ('problem' in r) return r;
      const at = child.range?.[0] ?? 0;
      if (key && isCollection(child.resolve(source.doc))) return { problem: 'complex-key', offset: at };
      top.size += r.size;
      // What aliases add beyond the nodes written: a large file without aliases is not a bomb.
      expanded += r.size;
      if (expanded > limits.aliasExpansion) return { problem: 'alias-expansion', offset: at, values: { limit: limits.aliasExpansion } };
      continue;
    }
    if (key && !isScalar(child)) return { problem: 'complex-key', offset: child.range?.[0] ?? 0 };
    if (isCollection(child)) {
      if (stack.length >= limits.depth) return { problem: 'too-deep', offset: child.range?.[0] ?? 0, values: { limit: limits.depth } };
      stack.push({ node: child, kids: childrenOf(child), next: 0, size: 1 });
    } else {
      top.size += 1;
    }
  }
  return undefined;
}

/**
 * Where nesting first goes deeper than `limit`, found on yaml's concrete syntax tree (its parser
 * is iterative, unlike the composer that ran out of stack): the place a person should look.
 */
function tooDeepOffset(text: string, limit: number): number | undefined {
  type Token = { type: string; offset: number; value?: Token; items?: { key?: Token | null; value?: Token | null }[] };
  const stack: { token: Token; depth: number }[] = [];
  const { Parser } = yamlPackage();
  for (const doc of new Parser().parse(text) as Iterable<Token>) if (doc.value) stack.push({ token: doc.value, depth: 0 });
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token.items) continue;
    if (depth + 1 > limit) return token.offset;
    for (let i = token.items.length - 1; i >= 0; i--) {
      const item = token.items[i]!;
      if (item.value) stack.push({ token: item.value, depth: depth + 1 });
      if (item.key) stack.push({ token: item.key, depth: depth + 1 });
    }
  }
  return undefined;
}

/** 1-based line and column of a character offset, for problems found before a parse. */
function positionIn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function firstLine(message: string): string {
  // The yaml package appends "at line N, column M" and a code excerpt; our location says that.
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}
