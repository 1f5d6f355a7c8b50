import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, kitei } from '../harness/cli.js';
import { BASE_FIXTURE, makeTree } from '../harness/tree.js';

/** 和暦 dates in evidence, through the real command: offices may write 令和元年5月7日 for "2019-05-07". */
const AS_OF = '2026-11-24';

/** A copy of the base organisation whose first contract's signedOn is written `signedOn`; where that value is. */
function withSignedOn(signedOn: string): { dir: string; line: number; column: number } {
  const lines = readFileSync(path.join(BASE_FIXTURE, 'contracts.yaml'), 'utf8').split('\n');
  const at = lines.findIndex((l) => /^\s*signedOn: /.test(l));
  expect(at).toBeGreaterThanOrEqual(0);
  lines[at] = lines[at]!.replace(/signedOn: .*$/, `signedOn: ${signedOn}`);
  const dir = makeTree({ 'contracts.yaml': lines.join('\n') }, BASE_FIXTURE);
  return { dir, line: at + 1, column: lines[at]!.indexOf(signedOn) + 1 };
}

describe('kitei check with 和暦 dates in the evidence', () => {
  it('a contract signed on 令和元年5月7日 checks clean', () => {
    const { dir } = withSignedOn('令和元年5月7日');
    const text = kitei(['check', dir, '--as-of', AS_OF]);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('結果: 不適合 0 件、エラー 0 件');
    const report = json(kitei(['check', dir, '--as-of', AS_OF, '--format', 'json', '--include', 'pass']));
    expect(report.findings.filter((f) => f.outcome === 'fail' || f.outcome === 'error')).toEqual([]);
    // The contract was judged (its rules passed), not skipped.
    expect(report.findings.some((f) => f.recordId === 'C-001' && f.outcome === 'pass')).toBe(true);
  });
  it('gives exactly the report of the same date written "2019-05-07" (but for the manifest: the bytes differ)', () => {
    const report = (signedOn: string) => {
      const { dir } = withSignedOn(signedOn);
      const run = kitei(['check', dir, '--as-of', AS_OF, '--format', 'json']);
      const { manifest, ...rest } = JSON.parse(run.stdout.split(dir).join('<dir>')) as { manifest: { digest: string } };
      return { code: run.code, report: rest, digest: manifest.digest };
    };
    const wareki = report('令和元年5月7日');
    const iso = report('"2019-05-07"');
    expect(wareki.report).toEqual(iso.report);
    expect(wareki.code).toBe(iso.code);
    expect(wareki.digest).not.toBe(iso.digest);
  });
  it('令和元年4月30日 (still 平成) exits 2 with the string\'s file, line and column', () => {
    const { dir, line, column } = withSignedOn('令和元年4月30日');
    const run = kitei(['check', dir, '--as-of', AS_OF]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`contracts.yaml:${line}:${column}  エラー  high  kitei/evidence-invalid-date`);
    expect(run.stdout).toContain('和暦の日付 "令和元年4月30日" は正しくありません: 令和は 2019-05-01（令和元年5月1日）に始まりました。2019-04-30 は 平成31年4月30日 です。');
    expect(run.stdout).not.toContain('kitei/schema-format'); // one clear finding, not two
    const en = kitei(['check', dir, '--as-of', AS_OF, '--lang', 'en']);
    expect(en.code).toBe(2);
    expect(en.stdout).toContain(`contracts.yaml:${line}:${column}  error  high  kitei/evidence-invalid-date`);
    expect(en.stdout).toContain('Invalid Japanese-era (和暦) date "令和元年4月30日": Reiwa (令和) began on 2019-05-01; 2019-04-30 is 平成31年4月30日.');
  });
  it('kitei validate reports it the same way', () => {
    const { dir, line, column } = withSignedOn('"平成31年2月29日"');
    const run = kitei(['validate', dir]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`contracts.yaml:${line}:${column}`);
    expect(run.stdout).toContain('kitei/evidence-invalid-date');
    expect(run.stdout).toContain('2019年（平成31年）2月は28日までです');
  });
});
