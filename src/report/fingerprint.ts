import { createHash } from 'node:crypto';
import type { FindingJson } from './model.js';

/**
 * What identifies a finding across runs, whatever lines move: the rule, the assertion, the
 * record and the element within the record (its JSON pointer below the record, the record's
 * index left out, so reordering the records keeps it), and the problem code. Findings about no
 * record (a whole register file, an input problem) add the file as the report names it.
 * docs/json-format.md, "Finding identity", gives the recipe; SARIF carries it as
 * partialFingerprints["kitei/v1"], `--baseline` and `kitei diff` compare by it.
 */
export function fingerprintOf(f: FindingJson): string {
  const pointer = f.location?.pointer ?? '';
  const element = f.recordId ? pointer.replace(/^\/records\/\d+/, '') : pointer;
  const parts = [f.ruleId, f.assertion ?? '', f.recordId ?? '', element, f.code ?? '', f.recordId ? '' : (f.location?.file ?? '')];
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex');
}

/**
 * Each finding's identity within its list: the fingerprint, and for the second and later
 * findings with the same fingerprint `:2`, `:3`… in list order (as SARIF's
 * primaryLocationLineHash counts them), so two lists compare finding by finding.
 */
export function identities(findings: readonly FindingJson[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const fp = fingerprintOf(f);
    const n = (seen.get(fp) ?? 0) + 1;
    seen.set(fp, n);
    return n === 1 ? fp : `${fp}:${n}`;
  });
}
