import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitei } from '../harness/cli.js';
import { makeTree } from '../harness/tree.js';
import { REPO } from '../harness/tree.js';

/**
 * `--jobs`: evidence parsed on several worker threads, large files in pieces of whole records
 * (core/parse-pool.ts). The reports must be byte for byte those of one thread, whatever the
 * evidence holds: valid files, and files with problems found while reading (syntax, a duplicate
 * id in another piece, a 個人番号, an era date that does not exist). KITEI_PIECE_CHARS makes the
 * pieces small, so that the example's files are cut into many.
 */
const AS_OF = ['--as-of', '2026-11-24'];
const SMALL_PIECES = { KITEI_PIECE_CHARS: '1500' };

function both(dir: string, args: string[], cwd?: string) {
  const one = kitei(['check', dir, ...AS_OF, ...args, '--jobs', '1'], cwd);
  const two = kitei(['check', dir, ...AS_OF, ...args, '--jobs', '2'], cwd, SMALL_PIECES);
  return { one, two };
}

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

  it('refuses a number of threads that is not a positive whole number', () => {
    const run = kitei(['check', 'evidence', ...AS_OF, '--jobs', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("オプション '--jobs <n>' の値 '0' は使えません。 1 以上の整数で指定");
    expect(kitei(['check', 'evidence', ...AS_OF, '--jobs', '0', '--lang', 'en']).stderr).toContain("option '--jobs <n>' argument '0' is invalid. expected a positive whole number");
  });

  it('is listed in the help with its default', () => {
    const run = kitei(['check', '--help']);
    expect(run.stdout).toMatch(/--jobs <n> +証跡を解析するワーカースレッドの数/);
  });
});
