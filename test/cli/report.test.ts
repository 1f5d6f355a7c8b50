import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMAT_FILES, FORMAT_NEEDS, FORMATS } from '../../src/report/formats.js';
import { kitei } from '../harness/cli.js';

/**
 * `kitei report SAVED.json --format X` renders from the saved JSON alone, byte for byte what
 * `kitei check --format X` writes for the same run: every format, both languages, a run with
 * failures, one with errors and the committed evidence. Several formats at once (--output-dir)
 * are one evaluation, each file what the single format writes.
 */
const AS_OF = '2026-11-24';
const tmp = () => mkdtempSync(path.join(tmpdir(), 'kitei-report-'));
const read = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f))]));
const formatArgs = (formats: readonly string[]) => formats.flatMap((f) => ['--format', f]);

describe('kitei report: any format from a saved JSON report, byte-identical to check', () => {
  const cases: [string, string, string[]][] = [
    ['examples/terminal-lock-and-screen/evidence', 'ja', []],
    ['examples/terminal-lock-and-screen/evidence', 'en', ['--include', 'pass,not_applicable']],
    ['examples/broken-evidence/evidence', 'en', []],
    ['evidence', 'ja', ['--include', 'pass,not_applicable']],
  ];
  for (const [evidence, lang, include] of cases) {
    it(`${evidence} --lang ${lang} ${include.join(' ')}`, () => {
      // All the formats the saved report can feed (JUnit needs passes and n/a listed).
      const formats = FORMATS.filter((f) => include.length > 0 || !FORMAT_NEEDS[f]);
      const checked = tmp();
      const check = kitei(['check', evidence, '--as-of', AS_OF, '--lang', lang, ...include, ...formatArgs(formats), '--output-dir', checked]);
      expect(check.code, check.stderr).toBe(JSON.parse(readFileSync(path.join(checked, 'report.json'), 'utf8')).exitCode);
      expect(readdirSync(checked).sort()).toEqual(formats.map((f) => FORMAT_FILES[f]).sort());
      for (const f of formats) expect(check.stderr).toContain(`${path.join(checked, FORMAT_FILES[f])}: `);

      const rendered = tmp();
      const report = kitei(['report', path.join(checked, 'report.json'), '--lang', lang, ...formatArgs(formats), '--output-dir', rendered]);
      expect(report.code, report.stderr).toBe(0);
      expect(read(rendered)).toEqual(read(checked));

      // One format to standard output: the same bytes as that format's file, from check and from report.
      if (evidence !== cases[0]![0] || lang !== cases[0]![1]) return;
      for (const f of formats) {
        const single = kitei(['check', evidence, '--as-of', AS_OF, '--lang', lang, ...include, '--format', f]);
        expect(single.stdout, f).toBe(readFileSync(path.join(checked, FORMAT_FILES[f]), 'utf8'));
        const fromSaved = kitei(['report', path.join(checked, 'report.json'), '--lang', lang, '--format', f]);
        expect(fromSaved.stdout, f).toBe(single.stdout);
      }
    }, 180_000);
  }

  it('renders the other language from the same saved report, the manifest naming the language', () => {
    const dir = tmp();
    kitei(['check', 'examples/terminal-lock-and-screen/evidence', '--as-of', AS_OF, '--format', 'json', '--output', path.join(dir, 'ja.json')]);
    const en = kitei(['check', 'examples/terminal-lock-and-screen/evidence', '--as-of', AS_OF, '--format', 'json', '--lang', 'en']).stdout;
    expect(kitei(['report', path.join(dir, 'ja.json'), '--format', 'json', '--lang', 'en']).stdout).toBe(en);
    expect(JSON.parse(en).manifest.language).toBe('en');
    expect(JSON.parse(readFileSync(path.join(dir, 'ja.json'), 'utf8')).manifest.digest).toBe(JSON.parse(en).manifest.digest);
  });

  it('reads a saved NDJSON report too', () => {
    const dir = tmp();
    kitei(['check', 'examples/terminal-lock-and-screen/evidence', '--as-of', AS_OF, '--format', 'ndjson', '--output', path.join(dir, 'r.ndjson')]);
    const json = kitei(['check', 'examples/terminal-lock-and-screen/evidence', '--as-of', AS_OF, '--format', 'json']).stdout;
    expect(kitei(['report', path.join(dir, 'r.ndjson'), '--format', 'json']).stdout).toBe(json);
  });

  it('refuses what is not a kitei JSON report, and several formats without --output-dir', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'x.json'), '{"formatVersion": 1}');
    const old = kitei(['report', path.join(dir, 'x.json')]);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('not a kitei JSON report of format 2 or 3 (formatVersion is 1)');
    writeFileSync(path.join(dir, 'y.json'), 'not json');
    expect(kitei(['report', path.join(dir, 'y.json')]).stderr).toContain('not JSON');
    const two = kitei(['check', 'evidence', '--as-of', AS_OF, '--format', 'text', '--format', 'json']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('several formats are written with --output-dir DIR');
    const both = kitei(['check', 'evidence', '--as-of', AS_OF, '--output', path.join(dir, 'a'), '--output-dir', dir]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--output and --output-dir');
    const inside = kitei(['check', 'evidence', '--as-of', AS_OF, '--format', 'json', '--format', 'text', '--output-dir', 'evidence/reports']);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain('inside the evidence directory');
    const over = kitei(['report', path.join(dir, 'x.json'), '--output', path.join(dir, 'x.json')]);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('is the saved report being read');
  });
});
