import { isDate } from '../core/dates.js';
import type { Finding } from '../core/findings.js';
import { problemFinding } from '../core/problems.js';
import { parsePointer } from '../core/source.js';
import { forEachDate, type Shape } from '../schema/shape.js';
import { markInvalid, type EvidenceDocument } from './document.js';

/**
 * Dates that are plainly typing errors: an act or document dated after the register was captured
 * (nobody can record tomorrow's act today; deadlines and expiries are marked `x-kitei-planned`),
 * and an end before its start (`x-kitei-not-before`). Each is a problem at the later field's
 * value, and the record is then not judged, nor anything that reads that field (like any invalid
 * record). Order that a clause gives (a permission before the act it permits) is the rules' to judge.
 */
export function checkDates(doc: EvidenceDocument, shape: Shape, problems: Finding[]): void {
  const capturedAt = isDate(doc.capturedAt) ? doc.capturedAt : undefined;
  for (const rec of doc.records) {
    forEachDate(shape, rec.value, (date, role, pointer, holder) => {
      if (!isDate(date)) return;
      // Where and how the field is named are worked out only for a problem: most dates are fine.
      const field = () => parsePointer(pointer()).join('.');
      const at = () => doc.source.locateValue(rec.pointer + pointer());
      if (capturedAt && !role.planned && date > capturedAt) {
        problems.push({ ...problemFinding('evidence/date-after-capture', at(), { field: field(), date, capturedAt }), recordId: rec.id });
        markInvalid(rec, parsePointer(pointer())[0]!);
      }
      for (const other of role.notBefore ?? []) {
        const otherDate = holder[other];
        if (typeof otherDate === 'string' && isDate(otherDate) && date < otherDate) {
          problems.push({ ...problemFinding('evidence/date-order', at(), { field: field(), date, other, otherDate }), recordId: rec.id });
          markInvalid(rec, parsePointer(pointer())[0]!);
        }
      }
    });
  }
}
