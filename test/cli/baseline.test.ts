import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/report/fingerprint.js';
import type { FindingJson, ReportModel } from '../../src/report/model.js';
import { kitei } from '../harness/cli.js';
import { sarifErrors } from '../harness/sarif.js';
import { REPO } from '../harness/tree.js';

/**
 * `kitei check --baseline PREVIOUS.json` on a copy of the committed evidence with one induced
 * failure (terminal T-001 locking after 10 minutes): the failure moved down the file keeps its
 * fingerprint and is `unchanged`; fixed, it is `resolved`; another failure is `new`; and
 * `--fail-on-new` exits 1 only for that one.
 */
const AS_OF = '2026-11-24';

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'kitei-baseline-'));
  cpSync(path.join(REPO, 'evidence'), path.join(dir, 'evidence'), { recursive: true });
  return dir;
}

/** terminals.yaml with one terminal's idleMinutes set. */
function setIdle(dir: string, id: string, minutes: number) {
  const file = path.join(dir, 'evidence/terminals.yaml');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(`  - id: ${id}\n`);
  const at = text.indexOf('idleMinutes: ', start);
  writeFileSync(file, text.slice(0, at) + text.slice(at).replace(/^idleMinutes: \d+/, `idleMinutes: ${minutes}`));
}

/** Moves T-001 below T-002: the record goes 19 lines down and becomes /records/1. */
function moveDown(dir: string) {
  const file = path.join(dir, 'evidence/terminals.yaml');
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf('  - id: T-001\n');
  const b = text.indexOf('  - id: T-002\n');
  const c = text.indexOf('  - id: T-003\n');
  writeFileSync(file, text.slice(0, a) + text.slice(b, c) + text.slice(a, b) + text.slice(c));
}

const check = (dir: string, ...args: string[]) => kitei(['check', 'evidence', '--as-of', AS_OF, ...args], dir);
const model = (run: { stdout: string }) => JSON.parse(run.stdout) as ReportModel;
const failures = (m: ReportModel) => m.findings.filter((f) => f.outcome === 'fail');
const compared = (text: string) => text.split('\n').filter((l) => /^(前回との比較|  新規 \d+ 件|  終了コードは|Compared with|  \d+ new)/.test(l));

describe('kitei check --baseline', () => {
  it('keeps a moved failure unchanged, lists a fixed one as resolved and marks another new; --fail-on-new fails only on new ones', () => {
    const dir = setup();
    setIdle(dir, 'T-001', 10);
    const saved = check(dir, '--format', 'json', '--output', 'base.json');
    expect(saved.code).toBe(1);
    const base = JSON.parse(readFileSync(path.join(dir, 'base.json'), 'utf8')) as ReportModel;
    expect(failures(base).map((f) => [f.ruleId, f.recordId, f.location?.line, f.location?.pointer])).toEqual([['terminal-screen-lock', 'T-001', 16, '/records/0/screenLock/idleMinutes']]);
    expect(base.baseline).toBeUndefined();
    expect(base.findings[0]!.baseline).toBeUndefined();

    // Moved nineteen lines down and reordered: same fingerprint, unchanged.
    moveDown(dir);
    const moved = model(check(dir, '--format', 'json', '--baseline', 'base.json'));
    const [f] = failures(moved);
    expect([f!.location?.line, f!.location?.pointer, f!.baseline]).toEqual([35, '/records/1/screenLock/idleMinutes', 'unchanged']);
    expect(fingerprintOf(f!)).toBe(fingerprintOf(failures(base)[0]!));
    expect(moved.baseline).toEqual({ file: 'base.json', asOf: AS_OF, digest: base.manifest!.digest, failOnNew: false, counts: { new: 0, unchanged: 1, resolved: 0 }, resolved: [] });
    expect(moved.exitCode).toBe(1);
    const text = check(dir, '--baseline', 'base.json', '--fail-on-new');
    expect(text.code).toBe(0);
    expect(compared(text.stdout)).toEqual([
      `前回との比較（ベースライン base.json、基準日 ${AS_OF}、${base.manifest!.digest}）`,
      '  新規 0 件、変わらず 1 件、解消 0 件',
      '  終了コードは新規の不適合だけで決めます（--fail-on-new。エラーは引き続き終了コード 2）',
    ]);
    expect(text.stdout).toContain('  evidence/terminals.yaml:35:7  不適合  high  terminal-screen-lock');
    expect(check(dir, '--baseline', 'base.json').code).toBe(1);

    // Fixed: resolved, listed in its own section, `absent` in SARIF.
    setIdle(dir, 'T-001', 5);
    const fixed = check(dir, '--baseline', 'base.json', '--lang', 'en');
    expect(fixed.code).toBe(0);
    expect(compared(fixed.stdout)).toEqual([`Compared with the baseline base.json (as of ${AS_OF}, ${base.manifest!.digest})`, '  0 new, 0 unchanged, 1 resolved']);
    const resolved = fixed.stdout.split('\n');
    const at = resolved.indexOf('■ Resolved (in the baseline, not in this run)');
    expect(resolved.slice(at + 1, at + 3)).toEqual(['  evidence/terminals.yaml:16:7  fail  high  terminal-screen-lock  Art. 16(2), Art. 5 item 10', '      Terminal T-001 locks after 10 minutes (must be 1 to 5)']);
    const absent = JSON.parse(check(dir, '--baseline', 'base.json', '--format', 'sarif').stdout) as Log;
    expect(sarifErrors(absent)).toEqual([]);
    expect(absent.runs[0]!.results!.map((r) => [r.ruleId, r.baselineState, r.partialFingerprints!['kitei/v1']])).toEqual([['terminal-screen-lock', 'absent', fingerprintOf(failures(base)[0]!)]]);

    // Another failure while T-001 still fails: new; --fail-on-new exits 1.
    setIdle(dir, 'T-001', 10);
    setIdle(dir, 'T-003', 10);
    const again = check(dir, '--baseline', 'base.json', '--fail-on-new');
    expect(again.code).toBe(1);
    expect(compared(again.stdout)[1]).toBe('  新規 1 件、変わらず 1 件、解消 0 件');
    expect(again.stdout.split('\n').filter((l) => l.startsWith('  evidence/') && l.includes('terminal-screen-lock'))).toEqual([
      '  evidence/terminals.yaml:35:7  不適合  high  terminal-screen-lock  第16条第2項・第5条第10号',
      '  evidence/terminals.yaml:54:7  不適合（新規）  high  terminal-screen-lock  第16条第2項・第5条第10号',
    ]);
    // Only below --fail-on: a new high failure does not fail at critical.
    expect(check(dir, '--baseline', 'base.json', '--fail-on-new', '--fail-on', 'critical').code).toBe(0);
    const sarif = JSON.parse(check(dir, '--baseline', 'base.json', '--format', 'sarif').stdout) as Log;
    expect(sarifErrors(sarif)).toEqual([]);
    expect(sarif.runs[0]!.results!.map((r) => r.baselineState)).toEqual(['unchanged', 'new']);
    const md = check(dir, '--baseline', 'base.json', '--fail-on-new', '--format', 'markdown').stdout;
    expect(md).toContain(`- 前回との比較（基準日 ${AS_OF} のベースライン）: 新規 1 件、変わらず 1 件、解消 0 件（終了コードは新規の不適合だけで決める）\n`);
  });

  it('renders the same from the saved JSON with kitei report, and reads back reports without a baseline', () => {
    const dir = setup();
    setIdle(dir, 'T-001', 10);
    check(dir, '--format', 'json', '--output', 'base.json');
    setIdle(dir, 'T-001', 5);
    setIdle(dir, 'T-002', 10);
    check(dir, '--format', 'json', '--baseline', 'base.json', '--fail-on-new', '--output', 'now.json');
    for (const format of ['text', 'json', 'ndjson', 'sarif', 'markdown']) {
      const direct = check(dir, '--baseline', 'base.json', '--fail-on-new', '--format', format, '--lang', 'en');
      const rendered = kitei(['report', 'now.json', '--format', format, '--lang', 'en'], dir);
      expect(rendered.stdout, format).toBe(direct.stdout);
    }
    const now = JSON.parse(readFileSync(path.join(dir, 'now.json'), 'utf8')) as ReportModel;
    expect(now.exitCode).toBe(1);
    expect(now.baseline!.counts).toEqual({ new: 1, unchanged: 0, resolved: 1 });
    expect(now.baseline!.resolved.map((f: FindingJson) => f.recordId)).toEqual(['T-001']);
    // A report with a baseline is itself a baseline.
    expect(check(dir, '--baseline', 'now.json', '--fail-on-new').code).toBe(0);
  });

  it('refuses a baseline that is not a kitei JSON report, naming the file (exit 2, no stack trace)', () => {
    const dir = setup();
    writeFileSync(path.join(dir, 'notes.json'), '{"formatVersion": 2, "hello": true}');
    writeFileSync(path.join(dir, 'notes.txt'), 'not json at all');
    for (const [file, message] of [
      ['notes.json', 'kitei: notes.json: not a kitei JSON report of format '],
      ['notes.txt', 'kitei: notes.txt: not JSON'],
      ['missing.json', 'kitei: --baseline missing.json: cannot read the saved report (ENOENT)'],
    ]) {
      const run = check(dir, '--baseline', file!);
      expect(run.code, file).toBe(2);
      expect(run.stderr.split('\n')[0]).toContain(message);
      expect(run.stderr).not.toContain('internal error');
      expect(run.stdout).toBe('');
    }
    const alone = check(dir, '--fail-on-new');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe('kitei: --fail-on-new needs --baseline PREVIOUS.json (the report whose findings are not new)\n');
  });
});
