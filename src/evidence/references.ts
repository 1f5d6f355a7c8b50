import type { Finding, Location } from '../core/findings.js';
import { problemFinding } from '../core/problems.js';
import { referenceWalker, type ReferenceVisitor } from '../schema/shape.js';
import type { SchemaSet } from '../schema/registry.js';
import { markInvalid, type EvidenceDocument, type EvidenceRecord } from './document.js';

/**
 * Ids must be unique within a register (across all its files), and every reference the schema
 * marks with `x-kitei-ref` must name an existing record. Both use one id index per register,
 * built once: no nested scans.
 */
export function checkIdsAndReferences(documents: EvidenceDocument[], schemas: SchemaSet, unreadable: ReadonlySet<string> = new Set()): { problems: Finding[]; missing: Set<string> } {
  const problems: Finding[] = [];
  // Registers referenced but with no evidence at all: reported once, at the first reference.
  const missing = new Set<string>();
  // Where each id was first seen: the file and the record, located only when the id repeats.
  const ids = new Map<string, Map<string, { doc: EvidenceDocument; pointer: string }>>();
  const idAt = (doc: EvidenceDocument, pointer: string): Location => doc.source.locate(`${pointer}/id`);
  for (const doc of documents) {
    const seen = ids.get(doc.register) ?? new Map<string, { doc: EvidenceDocument; pointer: string }>();
    ids.set(doc.register, seen);
    for (const rec of doc.records) {
      if (typeof rec.value.id !== 'string') continue;
      const first = seen.get(rec.value.id);
      if (first) {
        const at = idAt(first.doc, first.pointer);
        problems.push(problemFinding('evidence/duplicate-id', idAt(doc, rec.pointer), { id: rec.value.id, register: doc.register, first: `${at.file}:${at.line}` }));
        // Which of the two is meant is unknown: every field of the repeat is in doubt.
        markInvalid(rec, '');
      } else seen.set(rec.value.id, { doc, pointer: rec.pointer });
    }
  }
  for (const doc of documents) {
    const walk = referenceWalker(schemas.registers.get(doc.register)!.recordShape);
    if (!walk) continue;
    // One visitor for the document, the record being walked in `rec` (this runs for every record).
    let rec: EvidenceRecord;
    const visit: ReferenceVisitor = (register, id, pointer) => {
      if (typeof id !== 'string') return;
      // A register that could not be read, or has no evidence at all, is reported as such
      // (once); its ids are unknown, so references into it are not judged.
      const target = ids.get(register);
      if (unreadable.has(register)) return;
      if (!target) {
        if (schemas.registers.has(register) && !missing.has(register)) {
          missing.add(register);
          problems.push(problemFinding('evidence/register-missing', doc.source.locate(rec.pointer + pointer()), { register }));
        }
        return;
      }
      if (target.has(id)) return;
      problems.push({
        ...problemFinding('evidence/dangling-reference', doc.source.locate(rec.pointer + pointer()), { id, register }),
        recordId: rec.id,
      });
    };
    for (rec of doc.records) walk(rec.value, visit);
  }
  return { problems, missing };
}
