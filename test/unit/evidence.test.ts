import { describe, expect, it } from 'vitest';
import { validateEvidence } from '../../src/check.js';
import { BASE_FIXTURE, makeTree, snapshot } from '../harness/tree.js';

const summary = (fs: Awaited<ReturnType<typeof validateEvidence>>['findings']) =>
  fs.map((f) => `${f.code} ${f.location?.file.split('/').pop()}:${f.location?.line}:${f.location?.column}`);

describe('loading evidence: every failure to read is a finding, and the other files are still checked', () => {
  it('a YAML syntax error gives its line, and the other registers still load', async () => {
    const dir = makeTree({ 'media.yaml': 'register: media\ncapturedAt: "2026-11-20"\nrecords:\n  - id: M-001\n    type: [usb\n' }, BASE_FIXTURE);
    const r = await validateEvidence({ evidenceDir: dir });
    expect(summary(r.findings)).toEqual(['evidence/yaml-syntax media.yaml:6:1']);
    const base = await validateEvidence({ evidenceDir: BASE_FIXTURE });
    expect(r.files).toHaveLength(base.files.length);
    expect(r.records).toBe(base.records - 1); // the base records minus the unreadable media file's one
  });
  it('an empty file, an unknown register kind and a file without one', async () => {
    const dir = makeTree({ 'empty.yaml': '', 'odd.yml': 'register: printers\nrecords: []\n', 'nokind.yaml': 'capturedAt: "2026-11-20"\nrecords: []\n', 'list.yaml': '- 1\n- 2\n' }, BASE_FIXTURE);
    const r = await validateEvidence({ evidenceDir: dir });
    expect(summary(r.findings)).toEqual([
      'evidence/empty-file empty.yaml:1:1',
      'evidence/not-a-register list.yaml:1:1',
      'evidence/missing-register-kind nokind.yaml:1:1',
      'evidence/unknown-register odd.yml:1:1',
    ]);
    // What a file that is not a register says is not printed; a near miss of a known kind is named.
    expect(r.findings[3]!.message.en).toMatch(/^Unknown register kind\. \(known: accounts, assets, /);
    expect(r.findings[3]!.message.en).not.toContain('printers');
    const typo = await validateEvidence({ evidenceDir: makeTree({ 'x.yaml': 'register: termnals\nrecords: []\n' }) });
    expect(typo.findings[0]!.message.ja).toMatch(/^未知の台帳の種類です。terminals のことですか？ （既知: /);
    expect(typo.findings[0]!.message.en).toMatch(/^Unknown register kind\. Did you mean terminals\? \(known: /);
  });
  it('schema violations point at the offending node, in Japanese and English', async () => {
    const dir = makeTree({
      'terminals.yaml': `register: terminals
capturedAt: "2026-11-20"
records:
  - id: T-001
    hostname: PC1
    kind: tablet
    ownership: union
    connectedToLan: "yes"
    status: active
    colour: red
  - id: T-002
    kind: laptop
    ownership: union
    connectedToLan: true
    status: active
`,
    }, BASE_FIXTURE);
    const r = await validateEvidence({ evidenceDir: dir });
    expect(summary(r.findings)).toEqual([
      'evidence/schema terminals.yaml:6:5',
      'evidence/schema terminals.yaml:8:5',
      'evidence/schema terminals.yaml:10:5',
      'evidence/schema terminals.yaml:11:5',
    ]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['kitei/schema-enum', 'kitei/schema-type', 'kitei/schema-additionalProperties', 'kitei/schema-required']);
    // A record is named by its register and id, and the finding carries the id.
    expect(r.findings[2]!.message.en).toBe('terminals T-001: colour: unknown field "colour"');
    expect(r.findings[2]!.message.ja).toBe('terminals T-001: colour: 未知の項目 "colour" があります');
    expect(r.findings[2]!.recordId).toBe('T-001');
    expect(r.findings[3]!.message.en).toMatch(/^terminals T-002: /);
    expect(r.findings[3]!.message.ja).toContain('hostname');
  });
  it('unquoted YAML 1.1 surprises are caught: a date must be a string, "no" stays a string', async () => {
    const dir = makeTree({ 'media.yaml': 'register: media\ncapturedAt: 2026-11-20\nrecords:\n  - id: M-001\n    type: usb\n    containsPersonalInfo: no\n    purpose: blank\n    status: stored\n    registeredOn: "2026-01-01"\n' }, BASE_FIXTURE);
    const r = await validateEvidence({ evidenceDir: dir });
    // YAML 1.2: 2026-11-20 is a plain string (valid date); `no` is the string "no", not false.
    expect(summary(r.findings)).toEqual(['evidence/schema media.yaml:6:5']);
    expect(r.findings[0]!.message.en).toContain('boolean');
  });
  it('a date that does not exist is an error at its line', async () => {
    const dir = makeTree({ 'media.yaml': 'register: media\ncapturedAt: "2026-02-30"\nrecords: []\n' }, BASE_FIXTURE);
    const r = await validateEvidence({ evidenceDir: dir });
    expect(summary(r.findings)).toEqual(['evidence/schema media.yaml:2:1']);
  });
  it('duplicate ids (across files of the same register) and dangling references', async () => {
    const dir = makeTree({
      'more/terminals-2.yaml': `register: terminals
capturedAt: "2026-11-20"
records:
  - id: T-001
    hostname: PC9
    kind: desktop
    ownership: union
    connectedToLan: true
    status: active
    assignedTo: S-999
`,
    }, BASE_FIXTURE);
    const r = await validateEvidence({ evidenceDir: dir });
    // Files are read in sorted order: more/terminals-2.yaml first, so the base file's T-001 is the duplicate.
    expect(summary(r.findings)).toEqual(['evidence/dangling-reference terminals-2.yaml:10:5', 'evidence/duplicate-id terminals.yaml:4:5']);
    expect(r.findings[1]!.message.en).toMatch(/Id "T-001" is used twice in register terminals \(first at .*more\/terminals-2.yaml:4\)/);
    expect(r.findings[0]!.message.en).toBe('Reference "S-999" does not exist in register staff.');
    expect(r.findings[0]!.recordId).toBe('T-001');
  });
  it('a register that is referenced but has no evidence is reported once, at the first reference', async () => {
    const dir = makeTree({}, BASE_FIXTURE);
    const { rmSync } = await import('node:fs');
    rmSync(`${dir}/roles.yaml`);
    const r = await validateEvidence({ evidenceDir: dir });
    expect(summary(r.findings)).toEqual(['evidence/register-missing accounts.yaml:9:5']);
    expect(r.findings[0]!.message.en).toBe('No evidence file for register roles; the rules on it cannot be evaluated.');
  });
  it('never writes into the evidence directory', async () => {
    const dir = makeTree({}, BASE_FIXTURE);
    const before = snapshot(dir);
    await validateEvidence({ evidenceDir: dir });
    expect(snapshot(dir)).toEqual(before);
  });
  it('a missing directory is a usage error, not a crash', async () => {
    await expect(validateEvidence({ evidenceDir: '/nonexistent/kitei' })).rejects.toThrow(/directory not found/);
  });
});
