import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, identities } from '../../src/report/fingerprint.js';
import type { FindingJson } from '../../src/report/model.js';

/** The fingerprint is the recipe docs/json-format.md gives ("Finding identity"), and nothing else. */
const base: FindingJson = {
  ruleId: 'terminal-screen-lock',
  assertion: 'idle-time',
  outcome: 'fail',
  severity: 'high',
  clauses: [],
  message: { ja: 'a', en: 'a' },
  recordId: 'T-007',
  location: { file: 'evidence/terminals.yaml', pointer: '/records/6/screenLock/idleMinutes', line: 123, column: 7 },
  params: { maxIdleMinutes: 5 },
};
const sha = (parts: string[]) => createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex');

describe('fingerprintOf', () => {
  it('is the sha256 of rule, assertion, record, element below the record, code (and the file for findings about no record)', () => {
    expect(fingerprintOf(base)).toBe(sha(['terminal-screen-lock', 'idle-time', 'T-007', '/screenLock/idleMinutes', '', '']));
    const file: FindingJson = { ruleId: 'kitei/evidence-yaml-syntax', outcome: 'error', severity: 'high', code: 'evidence/yaml-syntax', clauses: [], message: base.message, location: { file: 'evidence/x.yaml', pointer: '', line: 3, column: 1 } };
    expect(fingerprintOf(file)).toBe(sha(['kitei/evidence-yaml-syntax', '', '', '', 'evidence/yaml-syntax', 'evidence/x.yaml']));
  });

  it('ignores lines, the record\'s index, the message, severity and parameters', () => {
    const moved = { ...base, severity: 'low' as const, message: { ja: 'b', en: 'b' }, params: { maxIdleMinutes: 3 }, location: { ...base.location!, pointer: '/records/40/screenLock/idleMinutes', line: 900, column: 9 } };
    expect(fingerprintOf(moved)).toBe(fingerprintOf(base));
    expect(fingerprintOf({ ...base, recordId: 'T-008' })).not.toBe(fingerprintOf(base));
    expect(fingerprintOf({ ...base, location: { ...base.location!, pointer: '/records/6/screenLock/method' } })).not.toBe(fingerprintOf(base));
  });

  it('numbers repeated fingerprints in list order', () => {
    const fp = fingerprintOf(base);
    expect(identities([base, { ...base }, { ...base, recordId: 'T-001' }])).toEqual([fp, `${fp}:2`, fingerprintOf({ ...base, recordId: 'T-001' })]);
  });
});
