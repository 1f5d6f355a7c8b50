import type { PositionedFile } from '../core/source.js';

/** One record of a register, as loaded from its evidence file. */
export interface EvidenceRecord {
  /** The record's `id` (every register's records have one). */
  id: string;
  /** JSON pointer of the record inside its file, e.g. `/records/3`. */
  pointer: string;
  value: Record<string, unknown>;
  /** False when the record breaks its schema (or repeats an id): it is reported, and rules skip it. */
  valid: boolean;
  /**
   * For an invalid record, the top-level fields that are wrong; '' stands for the record as a
   * whole. Absent on an invalid record means the whole record. Rules on other records may read
   * its other fields; a verdict that reads a wrong one is not given (see engine/cel/taint.ts).
   */
  invalidFields?: Set<string>;
}

/** The record as a whole, in `invalidFields`. */
const WHOLE_RECORD: ReadonlySet<string> = new Set(['']);

/**
 * Marks a record invalid: `field` is the top-level field that is wrong, or '' for the record as a
 * whole. A record already wrong as a whole stays so.
 */
export function markInvalid(rec: EvidenceRecord, field: string): void {
  if (rec.valid || rec.invalidFields) (rec.invalidFields ??= new Set()).add(field);
  rec.valid = false;
}

/** The wrong fields of an invalid record ('' = all of them). */
export function wrongFieldsOf(rec: EvidenceRecord): ReadonlySet<string> {
  return rec.invalidFields ?? WHOLE_RECORD;
}

/** One evidence file: a register of a declared kind, captured on a declared date. */
export interface EvidenceDocument {
  /** Where its findings point: positions by JSON pointer (no YAML document is kept for evidence). */
  source: PositionedFile;
  register: string;
  capturedAt: string;
  value: Record<string, unknown>;
  records: EvidenceRecord[];
  /** False when the envelope (register, capturedAt, records) itself is broken. */
  valid: boolean;
  /**
   * A template `kitei init` wrote and nobody has filled in yet: `template: true` in the envelope
   * and no records. Nothing is judged against it (src/check.ts); a register with records is
   * judged whatever its mark says.
   */
  template?: boolean;
}

/**
 * The records of a register's value, as the reader builds them: each with its id (or `#index`
 * when it has none) and its pointer; one that is not a mapping is invalid and reads as `{}`.
 */
export function recordsOf(value: Record<string, unknown>): EvidenceRecord[] {
  return (Array.isArray(value.records) ? (value.records as unknown[]) : []).map((r, i) => ({
    id: typeof (r as { id?: unknown } | null)?.id === 'string' ? (r as { id: string }).id : `#${i}`,
    pointer: `/records/${i}`,
    value: (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>,
    valid: typeof r === 'object' && r !== null,
  }));
}
