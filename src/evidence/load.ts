import type { OnProgress } from '../core/progress.js';
import path from 'node:path';
import { appendAll } from '../core/arrays.js';
import { listYamlFiles } from '../core/files.js';
import { DEFAULT_LIMITS, type InputLimits } from '../core/limits.js';
import { findPersonalNumbers, maskedNumber } from '../core/personal-number.js';
import type { Finding } from '../core/findings.js';
import { problemFinding } from '../core/problems.js';
import { displayPath } from '../core/paths.js';
import { formatPointer, parsePointer, type PositionedFile } from '../core/source.js';
import { parseEvidenceText, readFileHead, readYamlText, type FastReader, type ParsedYaml } from '../core/yaml-file.js';
import { parseIndexedYaml } from '../core/indexed-yaml.js';
import { parseInPieces, pieceChars } from '../core/record-chunks.js';
import { describeErrors, errorPointer, type SchemaSet } from '../schema/registry.js';
import { markInvalid, recordsOf, type EvidenceDocument } from './document.js';
import { checkDates } from './chronology.js';
import { checkIdsAndReferences } from './references.js';
import { parseWareki } from './wareki.js';

export interface EvidenceSet {
  dir: string;
  files: string[];
  documents: EvidenceDocument[];
  /** Every problem found while reading: syntax, envelope, schema, ids, references. */
  problems: Finding[];
  /**
   * Registers whose evidence cannot be relied on as a whole: a file of theirs could not be parsed
   * or its envelope is broken. Nothing is judged against them (no dangling references, no rules
   * reading them): partial data would give false verdicts.
   */
  unreadableRegisters: Set<string>;
  /** Registers referenced by the evidence that have no evidence file (already reported). */
  missingRegisters: Set<string>;
  /**
   * Registers whose only evidence is an unfilled `kitei init` template (`template: true`, no
   * records): not filled in yet, so neither judged nor referred to (src/check.ts).
   */
  templateRegisters: Set<string>;
}

export interface LoadOptions {
  limits?: InputLimits;
  /** Read links that point outside the evidence directory (refused by default). */
  followSymlinks?: boolean;
  /**
   * Threads that read the evidence and evaluate the rules (`--jobs`): when more than 1,
   * `kitei check` shares both between this thread and worker threads (src/threads/). Unset: 1.
   */
  jobs?: number;
  /** Told after each file is read and checked (files so far, of how many, records so far). */
  onProgress?: OnProgress;
}

/** One evidence file as listed and read (in order: the total size limit counts files in that order): its text, or why it could not be read. */
export interface EvidenceText {
  rel: string;
  abs: string;
  shown: string;
  read: { text: string } | { failed: ParsedYaml } | { error: unknown };
}

/**
 * What reading one file gave: its problems in the order they were found, the register it
 * declares when it could not be read, and its document when it has one. Depends on nothing but the
 * file, so any thread may read any file (src/threads/).
 */
export interface FileReading {
  problems: Finding[];
  unreadable?: string;
  doc?: EvidenceDocument;
}

/**
 * Loads every YAML file under `dir`. A file that cannot be read or parsed, or that breaks its
 * schema, becomes findings; the other files are still loaded. Nothing is ever written to `dir`.
 *
 * The files are read in order (the total size limit counts them in that order), each on its own
 * (`readEvidenceFile`), then checked together (`evidenceSet`: ids, references, templates).
 * src/threads/ reads the files on several threads and puts them together the same way.
 */
export async function loadEvidence(dir: string, schemas: SchemaSet, options: LoadOptions = {}): Promise<EvidenceSet> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const { files, problems, texts } = await readEvidenceTexts(dir, options);
  const readings: FileReading[] = [];
  let records = 0;
  for (let i = 0; i < texts.length; i++) {
    if (options.onProgress && i > 0) options.onProgress({ phase: 'read', files: i, of: texts.length, records });
    const reading = await readEvidenceFile(texts[i]!, schemas, limits);
    records += reading.doc?.records.length ?? 0;
    readings.push(reading);
  }
  return evidenceSet(dir, files, problems, readings, schemas);
}

/** Lists the evidence files and reads them in order, counting each against the total size limit. */
export async function readEvidenceTexts(dir: string, options: LoadOptions = {}): Promise<{ files: string[]; problems: Finding[]; texts: EvidenceText[] }> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const listing = await listYamlFiles(dir, 'evidence', { followSymlinks: options.followSymlinks ?? false });
  const budget = { remaining: limits.totalBytes };
  const texts: EvidenceText[] = [];
  for (const rel of listing.files) {
    const abs = path.join(dir, rel);
    const shown = displayPath(abs);
    const read = await readYamlText(abs, shown, 'evidence', { limits, budget }).catch((error: unknown) => ({ error }));
    texts.push({ rel, abs, shown, read });
  }
  return { files: listing.files, problems: [...listing.problems], texts };
}

/**
 * Everything about one file that needs no other file: parse (large files in pieces), control
 * characters and 個人番号, the envelope, 和暦 dates, the schema, dates in order.
 */
export async function readEvidenceFile(t: Pick<EvidenceText, 'abs' | 'shown' | 'read'>, schemas: SchemaSet, limits: InputLimits): Promise<FileReading> {
  const problems: Finding[] = [];
  try {
    if ('error' in t.read) throw t.read.error;
    const parsed = 'failed' in t.read ? t.read.failed : parseEvidenceText(t.read.text, t.shown, limits, parseHere);
    appendAll(problems, parsed.problems);
    appendAll(problems, personalNumbersIn(parsed.source));
    if (parsed.problems.length > 0) {
      const declared = declaredRegister(parsed.head, schemas);
      return { problems, ...(declared ? { unreadable: declared } : {}) };
    }
    const doc = toDocument(parsed.source, parsed.value, schemas, problems, limits);
    if (doc?.valid) checkDates(doc, schemas.registers.get(doc.register)!.recordShape, problems);
    return { problems, ...(doc ? { doc } : {}) };
  } catch (e) {
    // Every way a file can be wrong is meant to be a problem above; should one still escape,
    // it costs this file, not the run.
    problems.push(problemFinding('evidence/unprocessable', { file: t.shown, pointer: '', line: 1, column: 1 }, { detail: (e as Error).message.split('\n')[0]! }));
    const declared = declaredRegister(await readFileHead(t.abs), schemas);
    return { problems, ...(declared ? { unreadable: declared } : {}) };
  }
}

/**
 * The evidence from its files' readings, in file order: their problems and documents, then what
 * needs all of them (templates, unique ids, references), which may mark records invalid.
 */
export function evidenceSet(dir: string, files: string[], problems: Finding[], readings: readonly FileReading[], schemas: SchemaSet): EvidenceSet {
  const documents: EvidenceDocument[] = [];
  const unreadableRegisters = new Set<string>();
  for (const r of readings) {
    appendAll(problems, r.problems);
    if (r.unreadable) unreadableRegisters.add(r.unreadable);
    if (r.doc) documents.push(r.doc);
  }
  for (const d of documents) if (!d.valid) unreadableRegisters.add(d.register);
  const templateRegisters = templatesOf(documents, problems);
  // A reference into a register not filled in yet is not dangling: its records are still to come.
  const references = checkIdsAndReferences(documents, schemas, new Set([...unreadableRegisters, ...templateRegisters]));
  appendAll(problems, references.problems);
  return { dir, files, documents, problems, unreadableRegisters, missingRegisters: references.missing, templateRegisters };
}

/**
 * Registers that are still `kitei init` templates: every file of theirs says `template: true` and
 * none has records. The mark on a file with records changes nothing (its records are judged) and
 * is reported, so that a forgotten mark never hides real evidence.
 */
function templatesOf(documents: EvidenceDocument[], problems: Finding[]): Set<string> {
  const marked = new Set<string>();
  const filled = new Set<string>();
  for (const d of documents) {
    if (d.valid && d.value.template === true && d.records.length === 0) marked.add(d.register);
    else filled.add(d.register);
    if (d.value.template === true && d.records.length > 0) problems.push(problemFinding('evidence/template-with-records', d.source.locate('/template'), { register: d.register }));
  }
  const templates = new Set([...marked].filter((r) => !filled.has(r)));
  for (const d of documents) if (templates.has(d.register)) d.template = true;
  return templates;
}

/**
 * The fast reader of a file kitei's own scanner did not read whole (core/yaml-file.ts
 * `parseEvidenceText`): in pieces of whole records when the file is large
 * (core/record-chunks.ts), so that js-yaml's events are bounded by the piece, not by the file;
 * each piece is tried by the scanner first.
 */
const parseHere: FastReader = (text, maxDepth) => parseInPieces(text, maxDepth, pieceChars(), (task) => parseIndexedYaml(task.text, task.maxDepth) ?? null);

/**
 * A 個人番号 anywhere in an evidence file (a value, a key, a comment) is a failure at its exact
 * position, whatever else is wrong with the file. The message shows it masked, as every output does.
 */
function personalNumbersIn(source: PositionedFile): Finding[] {
  return findPersonalNumbers(source.text).map((n) => ({
    ...problemFinding('evidence/personal-number', { file: source.path, pointer: '', ...source.position(n.index) }, { masked: maskedNumber(n.text) }, { ruleId: 'kitei/personal-number-in-evidence' }),
    outcome: 'fail' as const,
  }));
}

/** The register a file declares in its first lines, when it is one kitei knows. */
function declaredRegister(head: string, schemas: SchemaSet): string | undefined {
  const m = /^register:[ \t]*["']?([A-Za-z][A-Za-z0-9]*)/m.exec(head);
  return m && schemas.registers.has(m[1]!) ? m[1] : undefined;
}

/** The known name within two edits of `name` (case ignored), if exactly one is nearest. */
function nearestName(name: string, known: string[]): string | undefined {
  if (name.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
    else if (d === bestDistance) best = undefined;
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** A value's kind in words, for messages that must not quote what a file holds. */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'sequence';
  if (typeof v === 'object') return 'mapping';
  return typeof v;
}

function toDocument(source: EvidenceDocument['source'], value: unknown, schemas: SchemaSet, problems: Finding[], limits: InputLimits): EvidenceDocument | undefined {
  if (value === null || value === undefined) {
    problems.push(problemFinding('evidence/empty-file', source.start()));
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(problemFinding('evidence/not-a-register', source.locate('')));
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  if (obj.register === undefined || obj.register === null) {
    problems.push(problemFinding('evidence/missing-register-kind', source.locate('')));
    return undefined;
  }
  // The header is read before anything else uses it: a mapping where a name belongs must not
  // reach String() (a `toString` key would run) nor print as "[object Object]".
  if (typeof obj.register !== 'string') {
    problems.push(problemFinding('evidence/bad-register-kind', source.locate('/register'), { type: kindOf(obj.register) }));
    return undefined;
  }
  const kind = schemas.registers.get(obj.register);
  if (!kind) {
    // What the file says is not quoted back: a file that is not a register is never printed.
    // A typo of a known kind is named instead.
    const near = nearestName(obj.register, [...schemas.registers.keys()]);
    const hint = near ? { ja: `${near} のことですか？ `, en: `Did you mean ${near}? ` } : '';
    problems.push(problemFinding('evidence/unknown-register', source.locate('/register'), { hint, known: [...schemas.registers.keys()].join(', ') }));
    return undefined;
  }
  if (Array.isArray(obj.records) && obj.records.length > limits.recordsPerFile) {
    problems.push(problemFinding('evidence/too-many-records', source.locate('/records'), { count: obj.records.length, limit: limits.recordsPerFile }));
    return { source, register: kind.kind, capturedAt: '', value: obj, records: [], valid: false };
  }
  const records = recordsOf(obj);
  // Each error inside a record marks the top-level field it is in ('' for the record as a whole):
  // the engine lets rules read the rest, and stops any verdict that reads a wrong one. An error
  // outside the records breaks the envelope.
  let envelopeValid = true;
  const markAt = (pointer: string, missing?: string): void => {
    const [top, index, field] = parsePointer(pointer);
    const rec = top === 'records' && index !== undefined ? records[Number(index)] : undefined;
    if (rec) markInvalid(rec, field ?? missing ?? '');
    else envelopeValid = false;
  };
  const invalidDates = eraDatesToIso(obj, source, problems);
  for (const pointer of invalidDates) markAt(pointer);
  if (!kind.validate(obj)) {
    for (const { error, message } of describeErrors(kind.validate.errors ?? [])) {
      const pointer = errorPointer(error);
      const m = /^\/records\/(\d+)/.exec(pointer);
      markAt(pointer, error.keyword === 'required' ? String((error.params as { missingProperty?: unknown }).missingProperty ?? '') : undefined);
      // An era date that does not exist has its own finding; the schema's "not a date" would repeat it.
      if (invalidDates.has(pointer)) continue;
      // Inside a record, the record is named by its register and id (`staff S-012: hiredOn: …`),
      // which is how people find it; the file position is on the finding anyway.
      const id = m ? records[Number(m[1])]?.value.id : undefined;
      const below = m ? pointer.slice(m[0].length).replace(/^\//, '') : pointer;
      const named = typeof id === 'string' ? id : undefined;
      const where = named !== undefined ? `${kind.kind} ${named}: ${below === '' ? '' : `${below}: `}` : pointer === '' ? '' : `${pointer}: `;
      const detail = { ja: where + message.ja, en: where + message.en };
      problems.push({ ...problemFinding('evidence/schema', source.locate(pointer), { detail }, { ruleId: `kitei/schema-${error.keyword}` }), ...(named !== undefined ? { recordId: named } : {}) });
    }
  }
  // A broken envelope leaves no record to rely on.
  if (!envelopeValid) for (const rec of records) markInvalid(rec, '');
  return { source, register: kind.kind, capturedAt: typeof obj.capturedAt === 'string' ? obj.capturedAt : '', value: obj, records, valid: envelopeValid };
}

/**
 * Rewrites, in the freshly parsed value (the loader's own copy), every string that is entirely a
 * 和暦 date (令和4年4月1日) into its ISO date, so that the schemas and the policies only ever see
 * "YYYY-MM-DD". Mapping keys are left alone, and so are source positions: they come from the YAML
 * nodes, not from the values. An era date that does not exist (令和元年4月30日) becomes an
 * `evidence/invalid-date` finding at the string itself and is left as written; its pointer is
 * returned so that the caller treats its record as invalid without a second, schema finding.
 */
function eraDatesToIso(root: Record<string, unknown>, source: PositionedFile, problems: Finding[]): Set<string> {
  const invalid = new Set<string>();
  if (!mayHoldEraDates(source.text)) return invalid;
  const path: (string | number)[] = [];
  const convert = (v: string): string => {
    const r = parseWareki(v);
    if (r === undefined) return v;
    if (r.ok) return r.iso;
    const pointer = formatPointer(path);
    invalid.add(pointer);
    problems.push(problemFinding('evidence/invalid-date', source.locateValue(pointer), { value: v, reason: r.reason }));
    return v;
  };
  const visit = (container: Record<string | number, unknown>, key: string | number): void => {
    const v = container[key];
    if (typeof v === 'string') {
      // Every era date names its era with a kanji (令和…年): most strings are settled by one test.
      if (v.length >= 6 && v.includes('年')) {
        path.push(key);
        container[key] = convert(v);
        path.pop();
      }
    } else if (Array.isArray(v) || isPlainObject(v)) {
      path.push(key);
      walk(v as unknown[] | Record<string, unknown>);
      path.pop();
    }
  };
  const walk = (container: unknown[] | Record<string, unknown>) => {
    if (Array.isArray(container)) for (let i = 0; i < container.length; i++) visit(container as unknown as Record<number, unknown>, i);
    // for…in, not Object.keys: no array per mapping (the values are plain objects, whose only
    // enumerable properties are their own).
    else for (const key in container) visit(container, key);
  };
  walk(root);
  return invalid;
}

/**
 * Whether any string of a file's value can be an era date: every era date names its era with a
 * kanji (令和…年), written as such or, in a double-quoted scalar, as an escape (`\u5E74`). A file
 * with neither (14 of the 31 files of the benchmark's evidence, 40% of its bytes) is not walked.
 */
function mayHoldEraDates(text: string): boolean {
  return text.includes('年') || text.includes('\\u') || text.includes('\\U');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
