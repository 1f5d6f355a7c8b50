import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/generate.mjs';
import { checkWith, loadRules } from '../../src/check.js';
import { rulesKey } from '../../src/threads/shared.js';
import { kitei } from '../harness/cli.js';
import { makeTree } from '../harness/tree.js';
import { REPO } from '../harness/tree.js';

/**
 * `--jobs`: the files read and the rules evaluated on several threads (src/threads/). The reports
 * must be byte for byte those of one thread, whatever the evidence holds: valid files, files with
 * problems found while reading (syntax, a duplicate id in another file's reading, a 個人番号, an
 * era date that does not exist), failures of many rules, waivers. KITEI_PIECE_CHARS makes the
 * pieces small, so that the example's files are also cut into many.
 */
const AS_OF = ['--as-of', '2026-11-24'];
const SMALL_PIECES = { KITEI_PIECE_CHARS: '1500' };
const ALL = ['--include', 'pass,not_applicable'];

function both(dir: string, args: string[], cwd?: string, jobs = '2') {
  const one = kitei(['check', dir, ...AS_OF, ...args, '--jobs', '1'], cwd);
  const two = kitei(['check', dir, ...AS_OF, ...args, '--jobs', jobs], cwd, SMALL_PIECES);
  return { one, two };
}

const EXAMPLES = readdirSync(path.join(REPO, 'examples'))
  .sort()
  .filter((n) => existsSync(path.join(REPO, 'examples', n, 'evidence')));

describe('kitei check --jobs', () => {
  it.each([['json'], ['sarif'], ['text']])('writes the same %s report on one thread and on two, for the committed evidence', (format) => {
    const { one, two } = both('evidence', ['--format', format, '--include', 'pass,not_applicable']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(one.code);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout).toBe(one.stdout);
  });

  it('writes the same report for evidence with problems in several pieces of a file', () => {
    const terminals = readFileSync(path.join(REPO, 'evidence/terminals.yaml'), 'utf8');
    const staff = readFileSync(path.join(REPO, 'evidence/staff.yaml'), 'utf8');
    const dir = makeTree(
      {
        // The last terminal repeats the first one's id: the duplicate is in another piece.
        'terminals.yaml': `${terminals.trimEnd()}\n  - id: T-001\n    hostname: KENPO-PC999\n    kind: desktop\n`,
        // A 個人番号 in a comment, and an era date that does not exist, far down the file.
        'staff.yaml': staff.replace(/\n {2}- id: S-030\n/, '\n  # 123456789018\n  - id: S-030\n').replace(/hiredOn: "2016-04-01"/g, 'hiredOn: 令和元年4月30日'),
        // A syntax error: the file is read the full way, on any number of threads.
        'media.yaml': `${readFileSync(path.join(REPO, 'evidence/media.yaml'), 'utf8')}\n  - id: [unclosed\n`,
      },
      path.join(REPO, 'evidence'),
    );
    const { one, two } = both(dir, ['--format', 'json', '--include', 'pass,not_applicable']);
    const codes = new Set((JSON.parse(one.stdout) as { findings: { code?: string }[] }).findings.map((f) => f.code));
    for (const code of ['evidence/duplicate-id', 'evidence/personal-number', 'evidence/yaml-syntax', 'evidence/invalid-date']) expect(codes, code).toContain(code);
    expect(two.code).toBe(one.code);
    expect(two.stdout.replaceAll(dir, '<dir>')).toBe(one.stdout.replaceAll(dir, '<dir>'));
  });

  // Failures, broken files and a waiver (examples/waived-screen-lock has its waivers/ beside the evidence).
  it.each(EXAMPLES)('writes the same report on one thread and on two for examples/%s', (name) => {
    const { one, two } = both(`examples/${name}/evidence`, ['--format', 'json', ...ALL]);
    expect(one.code).toBeGreaterThan(0);
    expect(two.code).toBe(one.code);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout).toBe(one.stdout);
    if (name === 'waived-screen-lock') expect(one.stdout).toContain('"outcome": "waived"');
  });

  describe('on generated evidence with failures of many rules', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'kitei-jobs-'));
      // Six copies of an example with failures, judged years later: periodic reviews, trainings
      // and retention periods overdue in every copy.
      generate({ records: 4000, from: path.join(REPO, 'examples/audit-and-actions/evidence'), out: dir });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each([['json'], ['sarif'], ['text']])('writes the same %s report on one thread, on two and on three', (format) => {
      const args = ['--as-of', '2028-06-30', '--format', format, ...ALL];
      const one = kitei(['check', dir, ...args, '--jobs', '1']);
      const report = format === 'json' ? (JSON.parse(one.stdout) as { findings: { ruleId: string; outcome: string }[] }) : undefined;
      if (report) expect(new Set(report.findings.filter((f) => f.outcome === 'fail').map((f) => f.ruleId)).size).toBeGreaterThan(20);
      expect(one.code).toBe(1);
      for (const jobs of ['2', '3']) {
        const more = kitei(['check', dir, ...args, '--jobs', jobs]);
        expect(more.code, `--jobs ${jobs}`).toBe(one.code);
        expect(more.stderr, `--jobs ${jobs}`).toBe(one.stderr);
        expect(more.stdout, `--jobs ${jobs}`).toBe(one.stdout);
      }
    });
  });

  it('refuses a number of threads that is not a positive whole number', () => {
    const run = kitei(['check', 'evidence', ...AS_OF, '--jobs', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("オプション '--jobs <n>' の値 '0' は使えません。 1 以上の整数で指定");
    expect(kitei(['check', 'evidence', ...AS_OF, '--jobs', '0', '--lang', 'en']).stderr).toContain("option '--jobs <n>' argument '0' is invalid. expected a positive whole number");
  });

  it('is listed in the help with its default', () => {
    const run = kitei(['check', '--help']);
    expect(run.stdout).toMatch(/--jobs <n> +証跡の読み込みと規則の評価を分け合うスレッドの/);
  });
});

describe('checkWith on several threads', () => {
  it('judges with the rules the caller gave, also when the options would load others', async () => {
    // The caller's rules have a parameter the options do not say. The workers load the rules
    // from the options and say which they loaded, parameters included: these differ, so the
    // main thread reads again what they read and evaluates alone.
    const loaded = await loadRules({ params: { 'terminal-screen-lock': { maxIdleMinutes: 1 } } });
    expect(rulesKey(loaded.engine)).not.toBe(rulesKey((await loadRules({})).engine));
    const options = { evidenceDir: path.join(REPO, 'evidence'), asOf: '2026-11-24', record: false };
    const one = await checkWith(loaded, options);
    const two = await checkWith(loaded, { ...options, input: { jobs: 2 } });
    expect(one.findings.some((f) => f.ruleId === 'terminal-screen-lock' && f.outcome === 'fail')).toBe(true);
    expect(two).toEqual(one);
  });

  it('a worker thread that stops costs its help, not the check: the same result on one thread, and a notice', async () => {
    // The workers load the rules from the options: here from a schemas directory that is gone by
    // then, so each one fails to start. The check is run again on this thread.
    const schemasDir = mkdtempSync(path.join(tmpdir(), 'kitei-jobs-schemas-'));
    cpSync(path.join(REPO, 'schemas'), schemasDir, { recursive: true });
    const loaded = await loadRules({ schemasDir });
    rmSync(schemasDir, { recursive: true, force: true });
    const options = { evidenceDir: path.join(REPO, 'evidence'), asOf: '2026-11-24', record: false, schemasDir };
    const notices: string[] = [];
    const one = await checkWith(loaded, options);
    const two = await checkWith(loaded, { ...options, input: { jobs: 2 }, onNotice: (n) => notices.push(n.en) });
    expect(two).toEqual(one);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^a worker thread of --jobs failed \(.*schemas.*\); the check was run again on one thread \(--jobs 1\)$/);
  });
});
