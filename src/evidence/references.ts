import type { Finding, Location } from '../core/findings.js';
import { problemFinding } from '../core/problems.js';
import { forEachReference } from '../schema/shape.js';
import type { SchemaSet } from '../schema/registry.js';
import type { EvidenceDocument } from './document.js';

/**
 * Ids must be unique within a register (across all its files), and every reference the schema
 * marks with `x-kitei-ref` must name an existing record. Both use one id index per register,
 * built once: no nested scans.
 */
export function checkIdsAndReferences(documents: EvidenceDocument[], schemas: SchemaSet): Finding[] {
  const problems: Finding[] = [];
  const ids = new Map<string, Map<string, Location>>();
  for (const doc of documents) {
    const seen = ids.get(doc.register) ?? new Map<string, Location>();
    ids.set(doc.register, seen);
    for (const rec of doc.records) {
      if (typeof rec.value.id !== 'string') continue;
      const here = doc.source.locate(`${rec.pointer}/id`);
      const first = seen.get(rec.value.id);
      if (first) {
        problems.push(problemFinding('evidence/duplicate-id', here, { id: rec.value.id, register: doc.register, first: `${first.file}:${first.line}` }));
        rec.valid = false;
      } else seen.set(rec.value.id, here);
    }
  }
  for (const doc of documents) {
    const shape = schemas.registers.get(doc.register)!.recordShape;
    for (const rec of doc.records) {
      forEachReference(shape, rec.value, (register, id, pointer) => {
        if (typeof id !== 'string') return;
        // A reference into a register with no evidence at all is reported once as a missing register.
        const target = ids.get(register);
        if (target && target.has(id)) return;
        if (!target && !schemas.registers.has(register)) return;
        problems.push({
          ...problemFinding('evidence/dangling-reference', doc.source.locate(rec.pointer + pointer), { id, register }),
          recordId: rec.id,
        });
      });
    }
  }
  return problems;
}
