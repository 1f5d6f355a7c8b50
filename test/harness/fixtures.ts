import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BASE_FIXTURE } from './tree.js';

/** The text of a base-fixture register file (policies/tests/base/<kind>.yaml). */
export function baseFixture(kind: string): string {
  return readFileSync(path.join(BASE_FIXTURE, `${kind}.yaml`), 'utf8');
}

/**
 * The base staff members S-001 to S-004 (chairman, data protection manager, auditor, data
 * protection officer) as record text, for rule tests that write their own S-010 or S-020
 * after them. With `withDuties: false`, S-004's duty appointment is left out.
 */
export function baseOfficers(withDuties = true): string {
  const text = baseFixture('staff');
  const officers = text.slice(text.indexOf('  - id: S-001'), text.indexOf('  - id: S-010'));
  return withDuties ? officers : officers.replace(/    duties:\n      - \{ role: R-SOMU[^\n]*\n/, '');
}
