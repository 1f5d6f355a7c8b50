import { isDate } from '../core/dates.js';
import type { Finding } from '../core/findings.js';
import { problemFinding } from '../core/problems.js';
import { parsePointer } from '../core/source.js';
import { dateWalker, type DateVisitor, type Shape } from '../schema/shape.js';
import { markInvalid, type EvidenceDocument, type EvidenceRecord } from './document.js';

/**
 * Dates that are plainly typing errors: an act or document dated after the register was captured
 * (nobody can record tomorrow's act today; deadlines and expiries are marked `x-kitei-planned`),
 * and an end before its start (`x-kitei-not-before`). Each is a problem at the later field's
 * value, and the record is then not judged, nor anything that reads that field (like any invalid
 * record). Order that a clause gives (a permission before the act it permits) is the rules' to judge.
 */
export function checkDates(doc: EvidenceDocument, shape: Shape, problems: Finding[]): void {
  const walk = dateWalker(shape);
  if (!walk) return;
  const capturedAt = isDate(doc.capturedAt) ? doc.capturedAt : undefined;
  // One visitor for the whole document, the record being walked in `rec`: this runs for every
  // date of every record, and most dates are fine.
  let rec: EvidenceRecord;
  const problem = (code: 'evidence/date-after-capture' | 'evidence/date-order', pointer: () => string, values: Record<string, string>): void => {
    // Where and how the field is named are worked out only for a problem.
    const segments = parsePointer(pointer());
    problems.push({ ...problemFinding(code, doc.source.locateValue(rec.pointer + pointer()), { field: segments.join('.'), ...values }), recordId: rec.id });
    markInvalid(rec, segments[0]!);
  };
  const visit: DateVisitor = (date, role, pointer, holder) => {
    if (!isDate(date)) return;
    if (capturedAt && !role.planned && date > capturedAt) problem('evidence/date-after-capture', pointer, { date, capturedAt });
    const notBefore = role.notBefore;
    if (notBefore === undefined) return;
    for (let i = 0; i < notBefore.length; i++) {
      const other = notBefore[i]!;
      const otherDate = holder[other];
      if (typeof otherDate === 'string' && isDate(otherDate) && date < otherDate) problem('evidence/date-order', pointer, { date, other, otherDate });
    }
  };
  for (rec of doc.records) walk(rec.value, visit);
}
