import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { BASE_FIXTURE, makeTree } from '../harness/tree.js';

const org = readFileSync(path.join(BASE_FIXTURE, 'organization.yaml'), 'utf8');

describe('evaluation', () => {
  it('register-scoped findings point into the file even when earlier records were skipped as invalid', async () => {
    const broken = org
      .replace('holder: S-002, from: "2016-07-26" }] }', 'holder: S-002, from: "2016-07-26" }], extra: 1 }')
      .replace('holder: S-004, from', 'holder: S-010, from');
    const r = await check({ evidenceDir: makeTree({ 'organization.yaml': broken }, BASE_FIXTURE), asOf: '2026-11-24' });
    const officer = r.findings.find((f) => f.ruleId === 'org-data-protection-officer' && f.outcome === 'fail')!;
    expect(officer.location).toMatchObject({ pointer: '/records/2/appointments/0/holder', line: 6 });
  });
  it('a rule that cannot be evaluated on a record is an error finding for that record, and the run goes on', async () => {
    const policies = makeTree({
      'p.yaml': `rules:
  - id: duty-named
    clauses: [{ article: 5, item: 4 }]
    quote: 付与されたアクセス権限を越えた操作を行わない。
    title: { ja: 業務, en: Duty }
    message: { ja: "{{record.id}}", en: "{{record.id}}" }
    remediation: { ja: x, en: x }
    severity: high
    register: accounts
    assertions:
      - id: named
        expr: byId.roles[record.duty].name != ""
`,
    });
    const accounts = readFileSync(path.join(BASE_FIXTURE, 'accounts.yaml'), 'utf8').replace('duty: R-TEKIYO', 'duty: R-NONE');
    const r = await check({ evidenceDir: makeTree({ 'accounts.yaml': accounts }, BASE_FIXTURE), policiesDir: policies, asOf: '2026-11-24' });
    expect(r.findings.map((f) => `${f.ruleId} ${f.outcome} ${f.location?.line}`)).toEqual(['duty-named error 4', 'kitei/evidence-dangling-reference error 9']);
    expect(r.findings[0]!.message.en).toBe('The rule could not be evaluated: named: No such key: R-NONE');
  });
  it('an unreadable register is not judged: no false dangling references, and rules reading it say they were not evaluated', async () => {
    const staff = readFileSync(path.join(BASE_FIXTURE, 'staff.yaml'), 'utf8').replace('    department: 総務課\n', '    department: 総務課: 課\n');
    const r = await check({ evidenceDir: makeTree({ 'staff.yaml': staff }, BASE_FIXTURE), asOf: '2026-11-24' });
    const problems = r.findings.filter((f) => f.outcome === 'error' || f.outcome === 'fail');
    expect(problems.filter((f) => f.ruleId.startsWith('kitei/')).map((f) => f.ruleId)).toEqual(['kitei/evidence-yaml-syntax']);
    expect(problems.filter((f) => f.outcome === 'fail')).toEqual([]);
    const notEvaluated = problems.filter((f) => f.code === 'rule/not-evaluated');
    expect(notEvaluated.map((f) => f.ruleId)).toContain('account-disabled-on-retirement');
    expect(notEvaluated[0]!.message.en).toBe('This rule was not evaluated: the evidence of register staff could not be read or is missing.');
    expect(notEvaluated[0]!.clauses?.length).toBeGreaterThan(0);
    // Rules that do not read the staff register are still evaluated.
    expect(r.findings.some((f) => f.ruleId === 'terminal-screen-lock' && f.outcome === 'pass')).toBe(true);
    expect(r.runs.find((x) => x.ruleId === 'account-disabled-on-retirement')!.evaluated).toBe(0);
  });
  it('the same inputs give identical findings', async () => {
    const a = await check({ evidenceDir: BASE_FIXTURE, asOf: '2026-11-24' });
    const b = await check({ evidenceDir: BASE_FIXTURE, asOf: '2026-11-24' });
    expect(JSON.stringify(a.findings)).toBe(JSON.stringify(b.findings));
  });
});
