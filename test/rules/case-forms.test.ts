import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES_DIR } from '../../src/check.js';
import { loadRuleTests } from '../../src/rule-tests/load.js';
import { RuleTestRunner } from '../../src/rule-tests/run.js';

/**
 * The two forms of a rule case (policies/tests/): the patch form, which states only what it
 * changes in the base organisation and names where each failure is (`record`, `at`), and the
 * full form, which writes a register file's text and gives lines and columns in it. Each case
 * here is written to a copy of the shipped policies and run by the runner `kitei test` uses, so
 * the verdicts and the problems are those a maintainer sees.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kitei-case-forms-'));
  cpSync(DEFAULT_POLICIES_DIR, dir, { recursive: true });
  rmSync(path.join(dir, 'tests'), { recursive: true });
  cpSync(path.join(DEFAULT_POLICIES_DIR, 'tests', 'base'), path.join(dir, 'tests', 'base'), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the cases of one `rules:` body (YAML, indented as under `rules:`) and returns each case's problems. */
async function run(body: string): Promise<{ loadProblems: string[]; results: { name: string; ok: boolean; problems: string[] }[] }> {
  writeFileSync(path.join(dir, 'tests', 'cases.yaml'), `asOf: "2026-11-24"\nrules:\n${body}`);
  const set = await loadRuleTests(dir);
  const runner = new RuleTestRunner(set, { policiesDir: dir });
  try {
    const results = [];
    for (const c of set.cases) {
      const r = await runner.runCase(c);
      results.push({ name: c.name, ok: r.ok, problems: r.problems.map((p) => p.en) });
    }
    return { loadProblems: set.problems.map((p) => `${p.location?.line}:${p.location?.column} ${p.code}`), results };
  } finally {
    runner.dispose();
  }
}

describe('the patch form', () => {
  it('merges fields into a base record and resolves `record` + `at` to the line and column the checker reports', async () => {
    const { loadProblems, results } = await run(`
  terminal-screen-lock:
    invalid:
      - name: idle time of 6 minutes
        patch: { id: T-001, screenLock: { idleMinutes: 6 } }
        expect:
          - { assertion: idle-time, record: T-001, at: /screenLock/idleMinutes, message: 6 分 }
      - name: the same case expecting the wrong field
        patch: { id: T-001, screenLock: { idleMinutes: 6 } }
        expect:
          - { assertion: idle-time, record: T-001, at: /screenLock/method }
`);
    expect(loadProblems).toEqual([]);
    expect(results[0]).toEqual({ name: 'idle time of 6 minutes', ok: true, problems: [] });
    // The register is written out again in block style: T-001 is the first record (line 4), its
    // screenLock mapping starts on line 11, method on 12 and idleMinutes on 13, at column 7.
    expect(results[1]!.ok).toBe(false);
    expect(results[1]!.problems).toEqual([
      'a finding differs from what was expected (expected line 12:7 (T-001/screenLock/method)): terminals.yaml:13:7 fail idle-time 端末 T-001 の画面ロックまでの時間が 6 分です（1〜5 分であること）',
    ]);
  });

  it('removes a field of the patched record (`/field`), of a named record (`ID/field`), and a whole record', async () => {
    const { results } = await run(`
  terminal-screen-lock:
    invalid:
      - name: a missing screen lock is reported at its record
        remove: [ T-001/screenLock ]
        expect:
          - { assertion: configured, record: T-001 }
    notApplicable:
      - name: disposed, screen lock left out
        patch: { id: T-001, status: disposed }
        remove: [ /screenLock ]
  training-held-yearly:
    invalid:
      - name: every attendance removed but one outside the year
        patch: { id: TR-001, attendedOn: "2025-03-31" }
        remove: [ TR-002, TR-003, TR-004, TR-005 ]
        expect:
          - { assertion: held-last-fiscal-year, file: training.yaml, at: /records, message: 2025年度 }
`);
    expect(results.map((r) => [r.name, r.ok, r.problems])).toEqual([
      ['a missing screen lock is reported at its record', true, []],
      ['disposed, screen lock left out', true, []],
      ['every attendance removed but one outside the year', true, []],
    ]);
  });

  it('adds a record to a named register, changes a register’s own fields, and matches failures in any order', async () => {
    const { results } = await run(`
  terminal-screen-lock:
    invalid:
      - name: two terminals, expectations in the other order
        patch:
          - { id: T-001, screenLock: { idleMinutes: 7 } }
          - { register: terminals, id: T-009, hostname: TEST-PC009, kind: laptop, ownership: union, connectedToLan: true, status: active, screenLock: { method: password-lock, idleMinutes: 9 } }
        expect:
          - { assertion: idle-time, record: T-009, at: /screenLock/idleMinutes, message: 9 分 }
          - { assertion: idle-time, record: T-001, at: /screenLock/idleMinutes, message: 7 分 }
  evidence-freshness:
    invalid:
      - name: a register captured 93 days before
        patch: { register: roles, capturedAt: "2026-08-23" }
        expect:
          - { file: roles.yaml, at: /capturedAt, message: 93 日前 }
`);
    expect(results.map((r) => [r.name, r.ok, r.problems])).toEqual([
      ['two terminals, expectations in the other order', true, []],
      ['a register captured 93 days before', true, []],
    ]);
  });

  it('a patch or a removal that names nothing fails its case with the reason, instead of passing silently', async () => {
    const { results } = await run(`
  terminal-screen-lock:
    valid:
      - name: an id the base does not have
        patch: { id: T-099, screenLock: { idleMinutes: 3 } }
      - name: a relative removal with two patched records
        patch: [ { id: T-001, status: active }, { id: A-001, status: active } ]
        remove: [ /screenLock ]
      - name: a field that is not there
        remove: [ T-001/lanException ]
      - name: a patch of a register the case writes in full
        evidence:
          terminals: |
            register: terminals
            capturedAt: "2026-11-20"
            records: []
        patch: { register: terminals, capturedAt: "2026-11-21" }
`);
    expect(results.map((r) => r.problems[0])).toEqual([
      'patch: no record T-099 in the base organisation (a new record names its register)',
      'remove: /screenLock needs exactly one patched record (or write ID/screenLock)',
      'remove: record T-001 has no /lanException',
      'a patch changes a base register (the case writes terminals in full)',
    ]);
    expect(results.every((r) => !r.ok)).toBe(true);
  });

  it('the rule-tests schema refuses an expectation with both a line and an `at`, and one with no place at all', async () => {
    const { loadProblems } = await run(`
  terminal-screen-lock:
    invalid:
      - name: both
        expect:
          - { assertion: idle-time, line: 3, column: 1, at: /records }
      - name: neither
        expect:
          - { assertion: idle-time }
`);
    // One problem each, at the expectation (or at the `at` not allowed beside a line), nothing redundant.
    expect(loadProblems).toEqual(['8:57 tests/schema', '11:13 tests/schema']);
  });
});

describe('the full form', () => {
  it('a register written in full, with lines and columns of its own text', async () => {
    const { results } = await run(`
  terminal-screen-lock:
    invalid:
      - name: idle time of 6 minutes, written in full
        evidence:
          terminals: |
            register: terminals
            capturedAt: "2026-11-20"
            records:
              - { id: T-001, hostname: TEST-PC001, kind: desktop, ownership: union, connectedToLan: true, status: active, screenLock: { method: password-lock, idleMinutes: 6 }, screenFacesAisle: false }
        expect:
          - { assertion: idle-time, line: 4, column: 148, record: T-001 }
      - name: the same with a wrong column
        evidence:
          terminals: |
            register: terminals
            capturedAt: "2026-11-20"
            records:
              - { id: T-001, hostname: TEST-PC001, kind: desktop, ownership: union, connectedToLan: true, status: active, screenLock: { method: password-lock, idleMinutes: 6 }, screenFacesAisle: false }
        expect:
          - { assertion: idle-time, line: 4, column: 5, record: T-001 }
`);
    expect(results[0]).toEqual({ name: 'idle time of 6 minutes, written in full', ok: true, problems: [] });
    expect(results[1]!.problems).toEqual([
      'a finding differs from what was expected (expected line 4:5): terminals.yaml:4:148 fail idle-time 端末 T-001 の画面ロックまでの時間が 6 分です（1〜5 分であること）',
    ]);
  });
});
