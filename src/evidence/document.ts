import type { SourceFile } from '../core/source.js';

/** One record of a register, as loaded from its evidence file. */
export interface EvidenceRecord {
  /** The record's `id` (every register's records have one). */
  id: string;
  /** JSON pointer of the record inside its file, e.g. `/records/3`. */
  pointer: string;
  value: Record<string, unknown>;
  /** False when the record breaks its schema: it is reported, and rules skip it. */
  valid: boolean;
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
