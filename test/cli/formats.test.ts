import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { FORMAT_FILES, FORMATS } from '../../src/report/formats.js';
import { kitei } from '../harness/cli.js';
import { sarifErrors } from '../harness/sarif.js';
import { parseJunit } from '../harness/junit.js';

/**
 * Each output format end to end, on the example trees and the committed evidence: what a CI
 * system or an auditor would open.
 */
const AS_OF = '2026-11-24';
const TREES = ['examples/terminal-lock-and-screen/evidence', 'examples/broken-evidence/evidence', 'evidence'];

/** `file:line:column` of every failure and error the text report lists, in order. */
const textPositions = (text: string) => [...text.matchAll(/^ {2}(\S+:\d+:\d+) {2}(?:不適合|エラー)/gm)].map((m) => m[1]);

describe('--format sarif', () => {
  for (const tree of TREES) {
    it(`${tree}: valid SARIF 2.1.0, each result where the text report says`, () => {
      const run = kitei(['check', tree, '--as-of', AS_OF, '--format', 'sarif']);
      const log = JSON.parse(run.stdout) as Log;
      expect(sarifErrors(log)).toEqual([]);
      const results = log.runs[0]!.results!;
      const text = kitei(['check', tree, '--as-of', AS_OF]).stdout;
      const located = results.filter((r) => r.locations).map((r) => {
        const p = r.locations![0]!.physicalLocation!;
        return `${decodeURIComponent(p.artifactLocation!.uri!)}:${p.region!.startLine}:${p.region!.startColumn}`;
      });
      expect(located.sort()).toEqual(textPositions(text).sort());
      for (const r of results.filter((x) => x.locations)) {
        const region = r.locations![0]!.physicalLocation!.region!;
        expect(region.endLine).toBe(region.startLine);
        expect(region.endColumn).toBeGreaterThanOrEqual(region.startColumn!);
      }
      expect(run.code).toBe(log.runs[0]!.invocations![0]!.exitCode);
    });
  }
});

describe('--format github', () => {
  it('annotations on the lines the text report names; the job summary appended to $GITHUB_STEP_SUMMARY', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitei-gh-'));
    const summary = path.join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const tree = 'examples/terminal-lock-and-screen/evidence';
    const run = kitei(['check', tree, '--as-of', AS_OF, '--format', 'github'], undefined, { GITHUB_STEP_SUMMARY: summary });
    expect(run.code).toBe(1);
    const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::'));
    const places = annotations.map((l) => /file=([^,]+),line=(\d+),col=(\d+)/.exec(l)!.slice(1).join(':'));
    expect(places.sort()).toEqual(textPositions(kitei(['check', tree, '--as-of', AS_OF]).stdout).sort());
    const markdown = kitei(['check', tree, '--as-of', AS_OF, '--format', 'markdown']).stdout;
    expect(readFileSync(summary, 'utf8')).toBe('# earlier step\n' + markdown + '\n');
    // Without the variable nothing is written anywhere but standard output.
    expect(kitei(['check', tree, '--as-of', AS_OF, '--format', 'github'], undefined, { GITHUB_STEP_SUMMARY: '' }).stdout).toBe(run.stdout);
  });
});

describe('--format junit', () => {
  for (const tree of TREES) {
    it(`${tree}: parses as XML, its counts equal the JSON report's`, () => {
      const xml = kitei(['check', tree, '--as-of', AS_OF, '--format', 'junit']).stdout;
      const doc = parseJunit(xml).testsuites;
      const json = JSON.parse(kitei(['check', tree, '--as-of', AS_OF, '--format', 'json', '--include', 'pass,not_applicable']).stdout) as { summary: { total: Record<string, number> }; findings: unknown[] };
      const total = json.summary.total;
      expect({ tests: Number(doc.tests), failures: Number(doc.failures), errors: Number(doc.errors), skipped: Number(doc.skipped) }).toEqual({
        tests: total.pass! + total.fail! + total.not_applicable! + total.error!,
        failures: total.fail,
        errors: total.error,
        skipped: total.not_applicable,
      });
      expect(Number(doc.tests)).toBe(json.findings.length);
      for (const suite of doc.testsuite) {
        expect(Number(suite.tests)).toBe(suite.testcase.length);
        expect(Number(suite.failures)).toBe(suite.testcase.filter((c) => 'failure' in c).length);
        expect(Number(suite.errors)).toBe(suite.testcase.filter((c) => 'error' in c).length);
        expect(Number(suite.skipped)).toBe(suite.testcase.filter((c) => 'skipped' in c).length);
      }
    });
  }

  it('report refuses a saved JSON without passes and n/a, saying how to get one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitei-junit-'));
    kitei(['check', 'examples/terminal-lock-and-screen/evidence', '--as-of', AS_OF, '--format', 'json', '--output', path.join(dir, 'r.json')]);
    const run = kitei(['report', path.join(dir, 'r.json'), '--format', 'junit']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('the junit format lists every rule × record, but this report lists only fail, error, waived (not pass, not_applicable)');
    expect(run.stderr).toContain('kitei check --format json --include pass,not_applicable');
  });
});

describe('--format csv', () => {
  it('BOM, CRLF, one row per listed finding; --include adds the passes and n/a', () => {
    const tree = 'examples/terminal-lock-and-screen/evidence';
    for (const include of [[], ['--include', 'pass,not_applicable']]) {
      const out = kitei(['check', tree, '--as-of', AS_OF, '--format', 'csv', ...include]).stdout;
      const json = JSON.parse(kitei(['check', tree, '--as-of', AS_OF, '--format', 'json', ...include]).stdout) as { findings: unknown[] };
      expect(out.startsWith('\uFEFF結果,')).toBe(true);
      expect(out.endsWith('\r\n')).toBe(true);
      expect(out.split('\r\n').length - 2).toBe(json.findings.length);
    }
  });
});

describe('the text report in English', () => {
  it('uses ASCII brackets in what kitei writes itself', () => {
    const out = kitei(['check', 'examples/terminal-lock-and-screen/evidence', '--as-of', AS_OF, '--lang', 'en']).stdout;
    expect(out).toContain('retention-receipt-data               version 2 (from 2022-04-01)  graceDays=31');
    const own = out.split('\n').filter((l) => !/^ {6}/.test(l)); // message and remediation lines come from the policies
    expect(own.join('\n')).not.toMatch(/[（）〜]/);
  });
});

describe('every format is deterministic', () => {
  it('two runs on the same inputs write the same bytes in every format', () => {
    const runs = [0, 1].map(() => {
      const dir = mkdtempSync(path.join(tmpdir(), 'kitei-det-'));
      kitei(['check', 'examples/broken-evidence/evidence', '--as-of', AS_OF, '--include', 'pass,not_applicable', ...FORMATS.flatMap((f) => ['--format', f]), '--output-dir', dir]);
      return Object.fromEntries(FORMATS.map((f) => [f, readFileSync(path.join(dir, FORMAT_FILES[f]))]));
    });
    expect(runs[1]).toEqual(runs[0]);
  });
});
