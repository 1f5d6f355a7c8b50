import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, kitei } from '../harness/cli.js';
import { sarifErrors } from '../harness/sarif.js';
import { makeTree, REPO } from '../harness/tree.js';

/**
 * Waivers (src/waivers/apply.ts), on copies of the committed evidence with one induced failure:
 * terminal T-001 locks after 10 minutes (terminal-screen-lock, 第16条第2項). A waiver in force
 * turns it into `waived` and the run passes; every way a waiver can be wrong is a finding at the
 * waiver's own line, and the failure then stays a failure.
 */
const AS_OF = '2026-11-24';
const terminals = readFileSync(path.join(REPO, 'evidence/terminals.yaml'), 'utf8').replace('idleMinutes: 5', 'idleMinutes: 10');

interface WaiverFields {
  id?: string;
  rule?: string;
  assertion?: string;
  scope?: string;
  approvedBy?: string;
  approvedOn?: string;
  expiresOn?: string;
  justification?: string;
}

/** A waiver file with one waiver; each line's number is known to the tests (see `line`). */
function waiverFile(w: WaiverFields = {}): string {
  return [
    '# yaml-language-server: $schema=../../schemas/waivers.schema.json',
    'register: waivers',
    'records:',
    `  - id: ${w.id ?? 'W-001'}`, // line 4
    `    rule: ${w.rule ?? 'terminal-screen-lock'}`, // 5
    ...(w.assertion ? [`    assertion: ${w.assertion}`] : []),
    '    scope:',
    `      ${w.scope ?? 'records: [T-001]'}`,
    `    justification: ${w.justification ?? '基幹システム専用端末のため更改（2027年3月予定）まで画面ロックの時間を短縮できない'}`,
    '    risk: 離席時に第三者が画面を見る可能性がある',
    '    compensatingMeasure: 施錠された執務室に置き、離席時は手動でロックする運用を徹底する',
    `    approvedBy: ${w.approvedBy ?? 'S-002'}`,
    `    approvedOn: "${w.approvedOn ?? '2026-10-01'}"`,
    `    expiresOn: "${w.expiresOn ?? '2027-03-31'}"`,
    '    documentRef: 稟議書 2026-045',
    '',
  ].join('\n');
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function line(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

/** A repository: a copy of the committed evidence with `evidence` changed, and `waivers/terminals.yaml`. */
function repo(waivers: string | undefined, evidence: Record<string, string> = { 'evidence/terminals.yaml': terminals }) {
  const root = makeTree({});
  cpSync(path.join(REPO, 'evidence'), path.join(root, 'evidence'), { recursive: true });
  for (const [rel, text] of Object.entries({ ...evidence, ...(waivers !== undefined ? { 'waivers/terminals.yaml': waivers } : {}) })) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const check = (root: string, ...args: string[]) => kitei(['check', 'evidence', '--as-of', AS_OF, ...args], root);
const findings = (run: ReturnType<typeof kitei>) => json(run).findings as (ReturnType<typeof json>['findings'][number] & { waiver?: { id: string; approvedBy: string; role: string; expiresOn: string; justification: string } })[];

describe('a waiver in force', () => {
  it('turns the failure it covers into waived, with its waiver, and the run exits 0', () => {
    const root = repo(waiverFile());
    // Without the waiver, the failure fails the run.
    expect(check(repo(undefined)).code).toBe(1);
    const run = check(root, '--format', 'json');
    expect(run.code).toBe(0);
    const report = json(run) as ReturnType<typeof json> & { formatVersion: number; summary: { total: Record<string, number> }; waivers: { list: { id: string; status: string; matched: number; role: string }[] } };
    expect(report.formatVersion).toBe(3);
    const waived = findings(run).filter((f) => f.outcome === 'waived');
    expect(waived).toHaveLength(1);
    expect(waived[0]).toMatchObject({ ruleId: 'terminal-screen-lock', recordId: 'T-001', severity: 'high', location: { file: 'evidence/terminals.yaml', line: 16, column: 7 } });
    expect(waived[0]!.waiver).toMatchObject({ id: 'W-001', approvedBy: 'S-002', role: 'dataProtectionManager', expiresOn: '2027-03-31' });
    expect(report.summary.total.waived).toBe(1);
    expect(report.summary.total.fail).toBe(0);
    expect(report.waivers.list).toEqual([expect.objectContaining({ id: 'W-001', status: 'applied', matched: 1, role: 'dataProtectionManager' })]);
  });

  it('shows the waived failure in its own section of the text report, with who approved it until when', () => {
    const run = check(repo(waiverFile()));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      [
        '■ 例外承認済みの不適合（不合格としない）',
        '  evidence/terminals.yaml:16:7  例外承認  high  terminal-screen-lock  第16条第2項・第5条第10号',
        '      端末 T-001 の画面ロックまでの時間が 10 分です（1〜5 分であること）',
        '      例外承認 W-001（2026-10-01 データ保護管理者 S-002 承認、2027-03-31 まで）: 基幹システム専用端末のため更改（2027年3月予定）まで画面ロックの時間を短縮できない',
        '',
        '■ 例外承認の状況（waivers）',
        '  W-001  適用  terminal-screen-lock  対象 T-001  1 件  期限 2027-03-31（残り 127 日）  waivers/terminals.yaml:4',
      ].join('\n'),
    );
    expect(run.stdout).toContain('結果: 不適合 0 件、エラー 0 件、例外承認済み 1 件（失敗とする重要度: low 以上）→ 終了コード 0');
  });

  it('is a suppressed result in SARIF (valid against the OASIS schema) and a skipped test case in JUnit', () => {
    const root = repo(waiverFile());
    const sarif = JSON.parse(check(root, '--format', 'sarif').stdout) as { runs: { results: { ruleId: string; suppressions?: { kind: string; justification: string; properties: Record<string, string> }[] }[] }[] };
    expect(sarifErrors(sarif), JSON.stringify(sarifErrors(sarif))).toEqual([]);
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === 'terminal-screen-lock')!;
    expect(result.suppressions).toEqual([expect.objectContaining({ kind: 'external', justification: expect.stringContaining('基幹システム専用端末'), properties: expect.objectContaining({ waiver: 'W-001', approvedBy: 'S-002', role: 'dataProtectionManager' }) })]);
    const junit = check(root, '--format', 'junit').stdout;
    expect(junit).toMatch(/<skipped message="例外承認 W-001（2027-03-31 まで）: 端末 T-001 の画面ロックまでの時間が 10 分です/);
  });

  it('flags a waiver that expires within --warn-expiry as expiring, still applied', () => {
    const run = check(repo(waiverFile({ expiresOn: '2026-12-10' })), '--warn-expiry', '30d', '--format', 'json');
    expect(run.code).toBe(0);
    expect((json(run) as unknown as { waivers: { list: { status: string; daysLeft: number }[] } }).waivers.list[0]).toMatchObject({ status: 'expiring', daysLeft: 16 });
  });
});

describe('a waiver that cannot be applied is a finding at its own line, and the failure stays', () => {
  const problem = (waivers: string, ruleId: string, asOf = AS_OF) => {
    const run = kitei(['check', 'evidence', '--as-of', asOf, '--format', 'json'], repo(waivers));
    const fs = findings(run);
    const found = fs.filter((f) => f.ruleId === ruleId);
    expect(found, JSON.stringify(fs.filter((f) => f.ruleId.startsWith('kitei/')).map((f) => f.ruleId))).toHaveLength(1);
    // The failure it would have covered is a failure again.
    expect(fs.some((f) => f.ruleId === 'terminal-screen-lock' && f.outcome === 'fail' && f.recordId === 'T-001')).toBe(true);
    return { run, found: found[0]! };
  };

  it('past its expiry: the failure comes back, and the waiver is reported', () => {
    const text = waiverFile();
    const { run, found } = problem(text, 'kitei/waiver-expired', '2027-04-01');
    expect(run.code).toBe(1);
    expect(found).toMatchObject({ outcome: 'fail', severity: 'low', code: 'waiver/expired', recordId: 'W-001', location: { file: 'waivers/terminals.yaml', line: line(text, 'expiresOn'), column: 5 } });
    expect(found.message.ja).toBe('例外承認 W-001 は 2027-03-31 に期限が切れています。対象の不適合は不適合として報告します。是正するか、改めて承認を得てください。');
  });

  it('approved by someone without the role that may approve it', () => {
    const text = waiverFile({ approvedBy: 'S-004' });
    const { run, found } = problem(text, 'kitei/waiver-approver-not-authorised');
    expect(run.code).toBe(2);
    expect(found).toMatchObject({ outcome: 'error', location: { line: line(text, 'approvedBy'), column: 5 } });
    expect(found.message.ja).toBe('例外承認 W-001 の承認者 S-004 は、承認日 2026-10-01 に承認できる役割（データ保護管理者）にありませんでした（その日の就任者: データ保護管理者 S-002）。');
  });

  it('approved by someone not on the staff', () => {
    const text = waiverFile({ approvedBy: 'S-999' });
    expect(problem(text, 'kitei/waiver-approver-unknown').found.location).toMatchObject({ line: line(text, 'approvedBy') });
  });

  it('whose scope names a record that does not exist, at that record id', () => {
    const text = waiverFile({ scope: 'records: [T-001, T-999]' });
    const { found } = problem(text, 'kitei/waiver-unknown-record');
    expect(found.location).toMatchObject({ line: line(text, 'T-999'), column: text.split('\n')[line(text, 'T-999') - 1]!.indexOf('T-999') + 1 });
    expect(found.message.en).toBe('Waiver W-001 covers record T-999, which register terminals does not have.');
  });

  it('for a rule that may not be waived', () => {
    const text = waiverFile({ rule: 'retention-personal-number', scope: 'register: dataSets' });
    const run = kitei(['check', 'evidence', '--as-of', AS_OF, '--format', 'json'], repo(text));
    expect(findings(run).filter((f) => f.ruleId === 'kitei/waiver-not-waivable').map((f) => f.location?.line)).toEqual([line(text, 'rule:')]);
  });

  it('for longer than the maximum term, and with a placeholder for a justification', () => {
    expect(problem(waiverFile({ approvedOn: '2026-01-01', expiresOn: '2027-06-30' }), 'kitei/waiver-too-long').found.message.en).toBe(
      'Waiver W-001 is not applied: its term (2026-01-01 to 2027-06-30, 545 days) exceeds the maximum of 365 days.',
    );
    problem(waiverFile({ justification: 'なしなしなしなしなしなしなしなしなしなしなし' }), 'kitei/waiver-placeholder-justification');
  });

  it('for a rule that does not exist, or an assertion the rule does not have', () => {
    problem(waiverFile({ rule: 'terminal-screen-lok' }), 'kitei/waiver-unknown-rule');
    problem(waiverFile({ assertion: 'idle' }), 'kitei/waiver-unknown-assertion');
  });

  it('approved after the as-of date: not in force yet', () => {
    problem(waiverFile({ approvedOn: '2026-12-01' }), 'kitei/waiver-not-yet-approved');
  });
});

describe('waivers that need attention', () => {
  it('a stale waiver (its failure was fixed) is reported so that it is removed', () => {
    const text = waiverFile();
    const run = kitei(['check', 'evidence', '--as-of', AS_OF, '--format', 'json'], repo(text, {}));
    const stale = findings(run).filter((f) => f.ruleId === 'kitei/waiver-stale');
    expect(stale.map((f) => [f.outcome, f.location?.line])).toEqual([['fail', line(text, 'id: W-001')]]);
    expect(run.code).toBe(1);
  });

  it('contract rules are waived by the 理事長 (the policy file says so), not by the データ保護管理者', () => {
    const contracts = readFileSync(path.join(REPO, 'evidence/contracts.yaml'), 'utf8').replace('unionSignatory: S-001', 'unionSignatory: S-002');
    const w = (by: string) => waiverFile({ rule: 'contract-confidentiality-signatories', scope: 'records: [C-001]', approvedBy: by });
    const byManager = kitei(['check', 'evidence', '--as-of', AS_OF, '--format', 'json'], repo(w('S-002'), { 'evidence/terminals.yaml': terminals, 'evidence/contracts.yaml': contracts }));
    expect(findings(byManager).map((f) => f.ruleId)).toContain('kitei/waiver-approver-not-authorised');
    const byChairman = kitei(['check', 'evidence', '--as-of', AS_OF, '--format', 'json'], repo(w('S-001'), { 'evidence/terminals.yaml': terminals, 'evidence/contracts.yaml': contracts }));
    const waived = findings(byChairman).filter((f) => f.outcome === 'waived');
    expect(waived.map((f) => [f.ruleId, f.recordId, f.waiver?.role])).toEqual([['contract-confidentiality-signatories', 'C-001', 'chairman']]);
  });

  it('kitei due lists each waiver\'s expiry at its line', () => {
    const text = waiverFile();
    const run = kitei(['due', 'evidence', '--as-of', AS_OF, '--within', '6m', '--format', 'json'], repo(text));
    const items = (JSON.parse(run.stdout) as { items: { ruleId: string; date: string; recordId?: string; location?: { file: string; line: number } }[] }).items.filter((i) => i.ruleId === 'kitei/waiver');
    expect(items).toEqual([expect.objectContaining({ date: '2027-03-31', recordId: 'W-001', location: expect.objectContaining({ file: 'waivers/terminals.yaml', line: line(text, 'expiresOn') }) })]);
  });
});
