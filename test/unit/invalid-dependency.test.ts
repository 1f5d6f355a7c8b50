import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkWith, loadRules, type Loaded } from '../../src/check.js';
import { DEFAULT_CASE_AS_OF } from '../../src/rule-tests/load.js';
import { BASE_FIXTURE, makeTree, REPO } from '../harness/tree.js';

/**
 * No verdicts from partial data, across registers: a record that breaks its schema is reported
 * once, and a rule on another record that reads it gives "not evaluated" for that record, never
 * a false failure. Tried on every record of every register that other registers refer to.
 */
const SCHEMAS = path.join(REPO, 'schemas');

/**
 * The registers that some register refers to (x-kitei-ref in the schemas), and the organisation
 * register, which rules read through holds() / holderOn() to judge who acted.
 */
function referencedRegisters(): string[] {
  const out = new Set<string>(['organization']);
  for (const name of readdirSync(SCHEMAS)) {
    for (const m of readFileSync(path.join(SCHEMAS, name), 'utf8').matchAll(/"x-kitei-ref":\s*"([A-Za-z]+)"/g)) out.add(m[1]!);
  }
  return [...out].sort();
}

/** The base file of a register. */
function baseFile(register: string): { name: string; doc: { records: Record<string, unknown>[] } } {
  for (const name of readdirSync(BASE_FIXTURE)) {
    const doc = parse(readFileSync(path.join(BASE_FIXTURE, name), 'utf8')) as { register: string; records: Record<string, unknown>[] };
    if (doc.register === register) return { name, doc };
  }
  throw new Error(`no base file for ${register}`);
}

let loaded: Loaded;
beforeAll(async () => {
  loaded = await loadRules({});
});

describe('an invalid record gives no false verdict on the records that depend on it', () => {
  it('the base organisation has no failures to start from', async () => {
    const r = await checkWith(loaded, { evidenceDir: BASE_FIXTURE, asOf: DEFAULT_CASE_AS_OF });
    expect(r.findings.filter((f) => f.outcome === 'fail' || f.outcome === 'error').map((f) => `${f.ruleId} ${f.recordId ?? ''}`)).toEqual([]);
  });

  for (const register of referencedRegisters()) {
    it(`${register}: each record broken in every field but its id`, async () => {
      const { name, doc } = baseFile(register);
      let dependents = 0;
      for (let i = 0; i < doc.records.length; i++) {
        const broken = structuredClone(doc);
        const record = broken.records[i]!;
        // A nested list is the wrong type for every field of every register.
        for (const key of Object.keys(record)) if (key !== 'id') record[key] = [[]];
        const dir = makeTree({}, BASE_FIXTURE);
        writeFileSync(path.join(dir, name), stringify(broken));
        const r = await checkWith(loaded, { evidenceDir: dir, asOf: DEFAULT_CASE_AS_OF });
        const verdicts = r.findings.filter((f) => !f.ruleId.startsWith('kitei/'));
        expect(verdicts.filter((f) => f.outcome === 'fail').map((f) => `${f.ruleId} ${f.recordId ?? ''}: ${f.message.en}`), `${register} ${String(record.id)}`).toEqual([]);
        expect(verdicts.filter((f) => f.outcome === 'error' && f.code !== 'rule/invalid-dependency').map((f) => `${f.ruleId}: ${f.message.en}`)).toEqual([]);
        for (const f of verdicts.filter((x) => x.code === 'rule/invalid-dependency')) {
          expect(f.message.en).toContain(`${register} ${String(record.id)} (`);
          dependents++;
        }
      }
      if (register === 'staff' || register === 'organization') expect(dependents).toBeGreaterThan(0);
    });
  }

  it('one broken term of a role: acts judged against that role are not evaluated, acts of other roles are', async () => {
    const { name, doc } = baseFile('organization');
    const broken = structuredClone(doc);
    const auditor = broken.records.find((r) => r.id === 'systemAuditor')! as { appointments: Record<string, unknown>[] };
    auditor.appointments[0]!.from = '2016-13-01';
    const dir = makeTree({}, BASE_FIXTURE);
    writeFileSync(path.join(dir, name), stringify(broken));
    const r = await checkWith(loaded, { evidenceDir: dir, asOf: DEFAULT_CASE_AS_OF });
    const byAuditor = r.findings.filter((f) => f.ruleId === 'audit-report');
    expect(byAuditor.map((f) => f.code)).toEqual(['rule/invalid-dependency']);
    expect(byAuditor[0]!.message.en).toContain('organization systemAuditor (');
    // The report to the data protection manager reads another role: still judged.
    expect(r.findings.filter((f) => f.ruleId === 'account-application-review').every((f) => f.outcome === 'pass')).toBe(true);
    expect(r.findings.filter((f) => f.outcome === 'fail')).toEqual([]);
  });

  it('a record a lookup cannot place (its key field is wrong): every rule reading that lookup is not evaluated, none errs', async () => {
    const { name, doc } = baseFile('training');
    const broken = structuredClone(doc);
    broken.records.find((r) => r.id === 'TR-001')!.staff = [[]];
    const dir = makeTree({}, BASE_FIXTURE);
    writeFileSync(path.join(dir, name), stringify(broken));
    const r = await checkWith(loaded, { evidenceDir: dir, asOf: DEFAULT_CASE_AS_OF });
    // trainingByStaff groups the training records by staff: TR-001 may belong to anyone.
    const attended = r.findings.filter((f) => f.ruleId === 'training-attended-yearly' && f.outcome !== 'not_applicable');
    expect(attended.length).toBeGreaterThan(0);
    expect(attended.every((f) => f.code === 'rule/invalid-dependency' && f.message.en.includes('training TR-001 ('))).toBe(true);
    expect(r.findings.filter((f) => f.code === 'rule/evaluation-error').map((f) => `${f.ruleId} ${f.recordId ?? ''}: ${f.message.en}`)).toEqual([]);
    expect(r.findings.filter((f) => f.outcome === 'fail')).toEqual([]);
  });

  it('a verdict that reads only the valid fields of an invalid record is still given', async () => {
    const { name, doc } = baseFile('staff');
    const broken = structuredClone(doc);
    const s010 = broken.records.find((r) => r.id === 'S-010')!;
    s010.department = [[]];
    const dir = makeTree({}, BASE_FIXTURE);
    writeFileSync(path.join(dir, name), stringify(broken));
    const r = await checkWith(loaded, { evidenceDir: dir, asOf: DEFAULT_CASE_AS_OF });
    const hiring = r.findings.filter((f) => f.ruleId === 'account-created-on-hiring');
    expect(hiring.length).toBeGreaterThan(0);
    expect(hiring.every((f) => f.outcome === 'pass')).toBe(true);
  });
});
