import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportDiff } from '../../src/report/diff.js';
import { kitei } from '../harness/cli.js';
import { REPO } from '../harness/tree.js';

/**
 * `kitei diff A.json B.json`: new, resolved and changed findings between two saved reports, and
 * for each the causes the two reports show (rule version, parameters, evidence, as-of date).
 */
function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'kitei-diff-'));
  cpSync(path.join(REPO, 'evidence'), path.join(dir, 'evidence'), { recursive: true });
  return dir;
}

function edit(dir: string, file: string, from: RegExp, to: string) {
  const p = path.join(dir, 'evidence', file);
  const text = readFileSync(p, 'utf8');
  expect(text).toMatch(from);
  writeFileSync(p, text.replace(from, to));
}

const save = (dir: string, out: string, ...args: string[]) => expect(kitei(['check', 'evidence', '--format', 'json', '--output', out, ...args], dir).code).not.toBe(2);
const diff = (dir: string, ...args: string[]) => kitei(['diff', 'a.json', 'b.json', ...args], dir);
const diffJson = (dir: string) => JSON.parse(diff(dir, '--format', 'json').stdout) as ReportDiff;

describe('kitei diff', () => {
  it('attributes the findings changed on 2022-04-01 to the amended rule version (附則 3) and the as-of date', () => {
    const dir = setup();
    // On the committed evidence, retention-receipt-data (version 1 until 2022-03-31, version 2 from 2022-04-01 under
    // 附則 3) has no finding on either date: its data sets were all disposed of on time. The retention of DS-001 is
    // therefore made to start a year early (2015-04-30: retention ended 2021-04-30, disposal deadline 2021-05-31, still
    // held on both dates), so that the rule fails on both dates and the change of version is actually attributed.
    edit(dir, 'dataSets.yaml', /(id: DS-001, .*periodStart: )"2016-04-30"/, '$1"2015-04-30"');
    save(dir, 'a.json', '--as-of', '2022-03-31');
    save(dir, 'b.json', '--as-of', '2022-04-01');
    const d = diffJson(dir);
    expect(d.inputs.rules).toEqual([{ id: 'retention-receipt-data', a: { version: 1, effective: { from: '2016-07-26', until: '2022-03-31' } }, b: { version: 2, effective: { from: '2022-04-01' } }, params: [] }]);
    expect(d.inputs.files).toEqual([]);
    const retention = d.changed.filter((c) => c.b.ruleId === 'retention-receipt-data');
    expect(retention.map((c) => [c.b.recordId, c.b.assertion, c.differs, c.causes])).toEqual([
      [
        'DS-001',
        'not-overdue',
        ['message'],
        [
          { kind: 'rule-version', ruleId: 'retention-receipt-data', a: { version: 1, effective: { from: '2016-07-26', until: '2022-03-31' } }, b: { version: 2, effective: { from: '2022-04-01' } } },
          { kind: 'as-of', a: '2022-03-31', b: '2022-04-01' },
        ],
      ],
    ]);
    // Every other change is the date's alone (messages naming the as-of date, a fiscal year that ended).
    expect(d.changed.filter((c) => c.b.ruleId !== 'retention-receipt-data').every((c) => c.causes.length === 1 && c.causes[0]!.kind === 'as-of')).toBe(true);
    expect(d.counts).toEqual({ new: 2, resolved: 2, changed: 71, unchanged: 3, newFailures: 2 });
    // New failures on 2022-04-01 (an on-site audit and a training now overdue): exit 1.
    const text = diff(dir);
    expect(text.code).toBe(1);
    const lines = text.stdout.split('\n');
    expect(lines.slice(0, 9)).toEqual([
      'kitei 差分',
      `  A: a.json（基準日 2022-03-31、${d.a.digest}）`,
      `  B: b.json（基準日 2022-04-01、${d.b.digest}）`,
      '',
      '入力の違い',
      '  基準日: 2022-03-31 → 2022-04-01',
      '  ルール retention-receipt-data: 第1版（2016-07-26〜2022-03-31） → 第2版（2022-04-01〜）',
      '',
      '新規 2 件、解消 2 件、変更 71 件、変わらず 3 件',
    ]);
    const at = lines.findIndex((l) => l.startsWith('  evidence/dataSets.yaml:') && l.includes('retention-receipt-data'));
    expect(lines.slice(at, at + 5)).toEqual([
      '  evidence/dataSets.yaml:11:108  retention-receipt-data  第22条第1項第1号',
      '      A: 不適合  high  レセプトデータ DS-001 は保存期間満了日 2021-04-30 から 31 日の廃棄期限 2021-05-31 を過ぎて、2022-03-31 現在も保存されています（引き続き保存する必要があれば第22条第2項により改めて保存期間を定めること）',
      '      B: 不適合  high  レセプトデータ DS-001 は保存期間満了日 2021-04-30 から 31 日の廃棄期限 2021-05-31 を過ぎて、2022-04-01 現在も保存されています（引き続き保存する必要があれば第22条第2項により改めて保存期間を定めること）',
      '      違い: メッセージ',
      '      原因: ルールの版の変更（第1版（2016-07-26〜2022-03-31） → 第2版（2022-04-01〜））、基準日の移動（2022-03-31 → 2022-04-01）',
    ]);
    expect(lines.at(-2)).toBe('結果: B の新たな不適合 2 件 → 終了コード 1');
    const en = diff(dir, '--lang', 'en').stdout;
    expect(en).toContain('      causes: rule version changed (version 1 (2016-07-26 to 2022-03-31) → version 2 (from 2022-04-01)); as-of date moved (2022-03-31 → 2022-04-01)\n');
  });

  it('on the committed evidence as it is, the changes of 2022-04-01 are the date\'s: no finding of the amended rule', () => {
    const dir = setup();
    save(dir, 'a.json', '--as-of', '2022-03-31');
    save(dir, 'b.json', '--as-of', '2022-04-01');
    const d = diffJson(dir);
    expect(d.inputs.rules.map((r) => r.id)).toEqual(['retention-receipt-data']);
    expect([...d.new, ...d.resolved].map((x) => x.finding.ruleId).concat(d.changed.map((c) => c.b.ruleId))).not.toContain('retention-receipt-data');
    expect(d.counts).toEqual({ new: 2, resolved: 2, changed: 70, unchanged: 3, newFailures: 2 });
  });

  it('names a changed parameter', () => {
    const dir = setup();
    edit(dir, 'terminals.yaml', /idleMinutes: 5/, 'idleMinutes: 10');
    save(dir, 'a.json', '--as-of', '2026-11-24');
    save(dir, 'b.json', '--as-of', '2026-11-24', '--param', 'terminal-screen-lock.maxIdleMinutes=9');
    const d = diffJson(dir);
    expect(d.counts).toEqual({ new: 0, resolved: 0, changed: 1, unchanged: 0, newFailures: 0 });
    expect(d.changed[0]!.differs).toEqual(['message', 'params']);
    expect(d.changed[0]!.causes).toEqual([{ kind: 'params', ruleId: 'terminal-screen-lock', names: ['maxIdleMinutes'] }]);
    const text = diff(dir, '--lang', 'en');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').filter((l) => /^ {2}parameter |^ {6}(A|B|differs|causes):/.test(l))).toEqual([
      '  parameter terminal-screen-lock.maxIdleMinutes: 5 → 9',
      '      A: fail  high  Terminal T-001 locks after 10 minutes (must be 1 to 5)',
      '      B: fail  high  Terminal T-001 locks after 10 minutes (must be 1 to 9)',
      '      A: maxIdleMinutes=5',
      '      B: maxIdleMinutes=9',
      '      differs: message; parameters',
      '      causes: parameters changed (maxIdleMinutes)',
    ]);
  });

  it('names the changed evidence files and whether the finding\'s own file is one of them', () => {
    const dir = setup();
    edit(dir, 'terminals.yaml', /idleMinutes: 5/, 'idleMinutes: 10');
    save(dir, 'a.json', '--as-of', '2026-11-24');
    // T-001 fixed, T-003 broken; media.yaml changed too (a comment).
    edit(dir, 'terminals.yaml', /idleMinutes: 10/, 'idleMinutes: 5');
    const file = path.join(dir, 'evidence/terminals.yaml');
    const text = readFileSync(file, 'utf8');
    const t3 = text.indexOf('  - id: T-003\n');
    writeFileSync(file, text.slice(0, t3) + text.slice(t3).replace(/idleMinutes: 5/, 'idleMinutes: 9'));
    appendFileSync(path.join(dir, 'evidence/media.yaml'), '# 見直し済み\n');
    save(dir, 'b.json', '--as-of', '2026-11-24');
    const d = diffJson(dir);
    expect(d.inputs.files.map((c) => [c.kind, c.name, c.change])).toEqual([
      ['evidence', 'media.yaml', 'changed'],
      ['evidence', 'terminals.yaml', 'changed'],
    ]);
    expect(d.new.map((x) => [x.finding.recordId, x.causes])).toEqual([['T-003', [{ kind: 'evidence', files: ['media.yaml', 'terminals.yaml'], ownFile: true, file: 'terminals.yaml' }]]]);
    expect(d.resolved.map((x) => x.finding.recordId)).toEqual(['T-001']);
    const run = diff(dir);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('      原因:'))).toEqual([
      '      原因: 証跡の変更（2 ファイル。この所見のファイル terminals.yaml を含む）',
      '      原因: 証跡の変更（2 ファイル。この所見のファイル terminals.yaml を含む）',
    ]);
    // Only media.yaml changes between B and a third report: T-003 stays, unchanged.
    appendFileSync(path.join(dir, 'evidence/media.yaml'), '# もう一度\n');
    save(dir, 'c.json', '--as-of', '2026-11-24');
    const same = JSON.parse(kitei(['diff', 'b.json', 'c.json', '--format', 'json'], dir).stdout) as ReportDiff;
    expect([same.counts, same.exitCode]).toEqual([{ new: 0, resolved: 0, changed: 0, unchanged: 1, newFailures: 0 }, 0]);
  });

  it('refuses what is not a kitei JSON report (exit 2), and has help in both languages', () => {
    const dir = setup();
    writeFileSync(path.join(dir, 'a.json'), '[]');
    const run = kitei(['diff', 'a.json', 'b.json'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^kitei: a\.json: not a kitei JSON report of format 2 or 3 \(not an object\)/);
    const missing = kitei(['diff', 'nothing.json', 'a.json'], dir);
    expect([missing.code, missing.stderr]).toEqual([2, 'kitei: A nothing.json: cannot read the saved report (ENOENT)\n']);
    const help = kitei(['diff', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('保存した 2 つの JSON レポートを比べ');
    expect(kitei(['diff', '--help', '--lang', 'en']).stdout).toContain('compare two saved JSON reports');
    expect(kitei(['--help']).stdout).toContain('  diff [オプション] <a-json> <b-json>');
  });
});
