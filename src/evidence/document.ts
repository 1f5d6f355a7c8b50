import type { SourceFile } from '../core/source.js';

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

/** One evidence file: a register of a declared kind, captured on a declared date. */
export interface EvidenceDocument {
  source: SourceFile;
  register: string;
  capturedAt: string;
  value: Record<string, unknown>;
  records: EvidenceRecord[];
  /** False when the envelope (register, capturedAt, records) itself is broken. */
  valid: boolean;
}
