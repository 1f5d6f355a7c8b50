import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/core/width.js';
import { kitei } from '../harness/cli.js';
import { REPO } from '../harness/tree.js';

/** The locale variables cleared, so that only what a test sets chooses the language. */
const NO_LOCALE = { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
const BIN = path.join(REPO, 'bin/kitei.js');

describe('a CLI that behaves', () => {
  it('`kitei rules | head -1` prints one line and ends without a stack trace', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" rules | head -1`], { cwd: REPO, encoding: 'utf8' });
    expect(r.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/Error|at .*\.js:\d+/);
  });

  it('`kitei check --format json | head -c 100` ends quietly', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" check evidence --as-of 2026-11-24 --format json | head -c 100`], { cwd: REPO, encoding: 'utf8' });
    expect(r.stdout.length).toBe(100);
    expect(r.stderr).toBe('');
  });

  it('`kitei check --help` is Japanese by default and every line fits 80 display columns', () => {
    const r = kitei(['check', '--help'], REPO, NO_LOCALE);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^使い方: kitei check/);
    expect(r.stdout).toContain('オプション:');
    expect(r.stdout).toContain('ヘルプを表示する');
    expect(r.stdout).not.toContain('check the evidence against the policies');
    for (const line of r.stdout.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
  });

  it('every help fits 80 columns in both languages', () => {
    for (const cmd of [[], ['check'], ['validate'], ['rules'], ['test'], ['coverage'], ['explain'], ['due'], ['report'], ['diff']]) {
      for (const lang of ['ja', 'en']) {
        const r = kitei([...cmd, '--help', '--lang', lang], REPO, NO_LOCALE);
        for (const line of r.stdout.split('\n')) expect(displayWidth(line), `${cmd.join(' ')} ${lang}: ${line}`).toBeLessThanOrEqual(80);
      }
    }
  });

  it('--lang en: help in English, commander’s own words included', () => {
    const r = kitei(['check', '--help', '--lang', 'en'], REPO, NO_LOCALE);
    expect(r.stdout).toMatch(/^Usage: kitei check/);
    expect(r.stdout).toContain('Options:');
    expect(r.stdout).toContain('display help for command');
    expect(r.stdout).toContain('check the evidence against the policies');
    expect(r.stdout).not.toMatch(/証跡/);
  });

  it('usage errors: Japanese by default, English with LANG=en_US.UTF-8', () => {
    const ja = kitei(['check', '--no-such-option'], REPO, NO_LOCALE);
    expect(ja.code).toBe(2);
    expect(ja.stderr).toMatch(/^エラー: 不明なオプション '--no-such-option'/);
    const en = kitei(['check', '--no-such-option'], REPO, { ...NO_LOCALE, LANG: 'en_US.UTF-8' });
    expect(en.code).toBe(2);
    expect(en.stderr).toMatch(/^error: unknown option '--no-such-option'/);
    expect(en.stderr).toContain('Usage: kitei check');
    const reason = kitei(['due', '--within', 'soon'], REPO, { ...NO_LOCALE, LC_ALL: 'en_GB.UTF-8' });
    expect(reason.stderr.split('\n')[0]).toBe("error: option '--within <period>' argument 'soon' is invalid. expected a number and a unit: 90d (days), 12w (weeks), 3m (months) or 1y (years)");
  });

  it('--version prints kitei’s version and the regulation’s', () => {
    const r = kitei(['--version'], REPO, NO_LOCALE);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kitei \d+\.\d+\.\d+\n規程: .*システム等運用管理規程（2016-07-26 施行、最終改正 附則\d+ \d{4}-\d{2}-\d{2} 適用）\n$/);
    expect(kitei(['--version', '--lang', 'en']).stdout).toMatch(/regulation: .*\(in force 2016-07-26, last amended by supplementary provision \d+/);
  });

  it('defaults print as values: --within 90d', () => {
    const r = kitei(['due', '--help'], REPO, NO_LOCALE);
    expect(r.stdout).toMatch(/--within <period> +.*（既定: 90d）/);
    expect(r.stdout).not.toContain('[object Object]');
    expect(r.stdout).not.toContain('"text"');
  });

  it('no progress line when standard error is not a terminal; --quiet drops the summary line', () => {
    const r = kitei(['check', 'evidence', '--as-of', '2026-11-24', '--format', 'json'], REPO, NO_LOCALE);
    expect(r.stderr).toBe('');
    const dir = mkdtempSync(path.join(tmpdir(), 'kitei-quiet-'));
    try {
      const loud = kitei(['check', 'evidence', '--as-of', '2026-11-24', '--format', 'json', '--output-dir', dir], REPO, NO_LOCALE);
      expect(loud.stderr).toMatch(/report\.json: /);
      const quiet = kitei(['check', 'evidence', '--as-of', '2026-11-24', '--format', 'json', '--output-dir', dir, '--quiet'], REPO, NO_LOCALE);
      expect(quiet.code).toBe(loud.code);
      expect(quiet.stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
