import type { NodeIndex } from '../core/yaml-index.js';
import { IndexedSourceFile } from '../core/indexed-source.js';
import { recordsOf, type EvidenceDocument, type EvidenceRecord } from '../evidence/document.js';
import type { SchemaSet } from '../schema/registry.js';
import type { PolicyEngine } from '../engine/engine.js';
import { ruleKey } from '../policy/model.js';

/**
 * An evidence document as one thread sends it to another (src/threads/): what the receiver cannot
 * rebuild from the file's text, which it already holds. The value goes as JSON text (serialising
 * and parsing it costs about half of a structured clone of the same objects), unless it holds a
 * number JSON would change (NaN, ±Infinity, -0), then as itself; the positions as the index's
 * typed arrays; the records as their count and which of them are invalid.
 */
export interface SharedDocument {
  /** The file's place in the listing (core/files.ts order). */
  file: number;
  register: string;
  capturedAt: string;
  valid: boolean;
  json?: string;
  value?: Record<string, unknown>;
  /** The records read from `value.records`, or -1 when the file had too many to be read. */
  records: number;
  /** Invalid records: index, and the wrong top-level fields (null: the whole record). */
  invalid: InvalidMark[];
  index: NodeIndex;
}

export type InvalidMark = [number, string[] | null];

/** The document in its shared form, or undefined when its positions are not an index (a file read the full way). */
export function shareDocument(file: number, doc: EvidenceDocument): SharedDocument | undefined {
  if (!(doc.source instanceof IndexedSourceFile)) return undefined;
  const safe = jsonSafe(doc.value);
  return {
    file,
    register: doc.register,
    capturedAt: doc.capturedAt,
    valid: doc.valid,
    ...(safe ? { json: JSON.stringify(doc.value) } : { value: doc.value }),
    records: doc.records.length === 0 && !doc.valid && Array.isArray(doc.value.records) && doc.value.records.length > 0 ? -1 : doc.records.length,
    invalid: invalidMarks(doc),
    index: doc.source.index,
  };
}

/** The document again, as the thread that read it holds it: `text` is the file's text, `shown` its displayed path. */
export function receiveDocument(shared: SharedDocument, shown: string, text: string): EvidenceDocument {
  const value = shared.json !== undefined ? (JSON.parse(shared.json) as Record<string, unknown>) : shared.value!;
  const records: EvidenceRecord[] = shared.records < 0 ? [] : recordsOf(value);
  markRecords(records, shared.invalid);
  const source = new IndexedSourceFile(shown, text.replace(/^\uFEFF/, ''), shared.index);
  return { source, register: shared.register, capturedAt: shared.capturedAt, value, records, valid: shared.valid };
}

/** Which records of a document are invalid, and why. */
export function invalidMarks(doc: EvidenceDocument): InvalidMark[] {
  const marks: InvalidMark[] = [];
  doc.records.forEach((r, i) => {
    if (!r.valid) marks.push([i, r.invalidFields ? [...r.invalidFields] : null]);
  });
  return marks;
}

/** Sets the records' validity to `marks` (every record not named is valid). */
export function markRecords(records: EvidenceRecord[], marks: readonly InvalidMark[]): void {
  for (const r of records) {
    r.valid = true;
    delete r.invalidFields;
  }
  for (const [i, fields] of marks) {
    const r = records[i]!;
    r.valid = false;
    if (fields) r.invalidFields = new Set(fields);
  }
}

/** Whether JSON carries the value unchanged: plain data whose numbers are finite and not -0. */
function jsonSafe(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonSafe(v[i])) return false;
        return true;
      }
      // JSON.parse makes every object an Object: one without a prototype goes as itself.
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      for (const k in v) if (!jsonSafe((v as Record<string, unknown>)[k])) return false;
      // A key `__proto__` is an own property here; JSON.parse makes it one too.
      return true;
    }
    default:
      return false;
  }
}

/** The schemas a thread validates with, by digest and register names: every thread must use the same. */
export function schemasKey(schemas: SchemaSet): string {
  return `${schemas.digest ?? ''}:${[...schemas.registers.keys()].join(',')}`;
}

/** The rules an engine evaluates, each with its version and parameters: every thread must evaluate the same. */
export function rulesKey(engine: PolicyEngine): string {
  return engine.rules.map((r) => `${ruleKey(r.rule)} ${JSON.stringify(engine.paramsOf(r))}`).join('\n');
}
