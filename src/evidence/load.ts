import path from 'node:path';
import type { Finding } from '../core/findings.js';
import { problemFinding } from '../core/problems.js';
import { displayPath } from '../core/paths.js';
import { formatPointer, type SourceFile } from '../core/source.js';
import { readYamlFile } from '../core/yaml-file.js';
import { describeErrors, errorPointer, type SchemaSet } from '../schema/registry.js';
import type { EvidenceDocument, EvidenceRecord } from './document.js';
import { listYamlFiles } from './files.js';
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
}

/**
 * Loads every YAML file under `dir`. A file that cannot be read or parsed, or that breaks its
 * schema, becomes findings; the other files are still loaded. Nothing is ever written to `dir`.
 */
export async function loadEvidence(dir: string, schemas: SchemaSet): Promise<EvidenceSet> {
  const files = await listYamlFiles(dir);
  const documents: EvidenceDocument[] = [];
  const problems: Finding[] = [];
  const unreadableRegisters = new Set<string>();
  for (const rel of files) {
    const parsed = await readYamlFile(path.join(dir, rel), displayPath(path.join(dir, rel)), 'evidence');
    problems.push(...parsed.problems);
    if (parsed.problems.length > 0) {
      const declared = /^register:\s*["']?([A-Za-z][A-Za-z0-9]*)/m.exec(parsed.source.text);
      if (declared) unreadableRegisters.add(declared[1]!);
      continue;
    }
    const doc = toDocument(parsed.source, parsed.value, schemas, problems);
    if (doc) documents.push(doc);
  }
  for (const d of documents) if (!d.valid) unreadableRegisters.add(d.register);
  const references = checkIdsAndReferences(documents, schemas, unreadableRegisters);
  problems.push(...references.problems);
  return { dir, files, documents, problems, unreadableRegisters, missingRegisters: references.missing };
}

function toDocument(source: EvidenceDocument['source'], value: unknown, schemas: SchemaSet, problems: Finding[]): EvidenceDocument | undefined {
  if (value === null || value === undefined) {
    problems.push(problemFinding('evidence/empty-file', source.start()));
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(problemFinding('evidence/not-a-register', source.locate('')));
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  if (obj.register === undefined) {
    problems.push(problemFinding('evidence/missing-register-kind', source.locate('')));
    return undefined;
  }
  const kind = schemas.registers.get(String(obj.register));
  if (!kind) {
    problems.push(problemFinding('evidence/unknown-register', source.locate('/register'), { kind: String(obj.register), known: [...schemas.registers.keys()].join(', ') }));
    return undefined;
  }
  const invalidRecords = new Set<number>();
  let envelopeValid = true;
  const invalidDates = eraDatesToIso(obj, source, problems);
  for (const pointer of invalidDates) {
    const m = /^\/records\/(\d+)/.exec(pointer);
    if (m) invalidRecords.add(Number(m[1]));
    else envelopeValid = false;
  }
  if (!kind.validate(obj)) {
    for (const { error, message } of describeErrors(kind.validate.errors ?? [])) {
      const pointer = errorPointer(error);
      const m = /^\/records\/(\d+)/.exec(pointer);
      if (m) invalidRecords.add(Number(m[1]));
      else envelopeValid = false;
      // An era date that does not exist has its own finding; the schema's "not a date" would repeat it.
      if (invalidDates.has(pointer)) continue;
      const where = pointer === '' ? '' : `${pointer}: `;
      const detail = { ja: where + message.ja, en: where + message.en };
      problems.push(problemFinding('evidence/schema', source.locate(pointer), { detail }, { ruleId: `kitei/schema-${error.keyword}` }));
    }
  }
  const rawRecords = Array.isArray(obj.records) ? obj.records : [];
  const records: EvidenceRecord[] = rawRecords.map((r, i) => ({
    id: typeof (r as { id?: unknown })?.id === 'string' ? (r as { id: string }).id : `#${i}`,
    pointer: `/records/${i}`,
    value: (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>,
    valid: envelopeValid && !invalidRecords.has(i) && typeof r === 'object' && r !== null,
  }));
  return { source, register: kind.kind, capturedAt: String(obj.capturedAt ?? ''), value: obj, records, valid: envelopeValid };
}

/**
 * Rewrites, in the freshly parsed value (the loader's own copy), every string that is entirely a
 * 和暦 date (令和4年4月1日) into its ISO date, so that the schemas and the policies only ever see
 * "YYYY-MM-DD". Mapping keys are left alone, and so are source positions: they come from the YAML
 * nodes, not from the values. An era date that does not exist (令和元年4月30日) becomes an
 * `evidence/invalid-date` finding at the string itself and is left as written; its pointer is
 * returned so that the caller treats its record as invalid without a second, schema finding.
 */
function eraDatesToIso(root: Record<string, unknown>, source: SourceFile, problems: Finding[]): Set<string> {
  const invalid = new Set<string>();
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
  const walk = (container: unknown[] | Record<string, unknown>) => {
    const entries: [string | number, unknown][] = Array.isArray(container) ? container.map((x, i) => [i, x]) : Object.entries(container);
    for (const [key, v] of entries) {
      path.push(key);
      if (typeof v === 'string') (container as Record<string | number, unknown>)[key] = convert(v);
      else if (Array.isArray(v) || isPlainObject(v)) walk(v as unknown[] | Record<string, unknown>);
      path.pop();
    }
  };
  walk(root);
  return invalid;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
