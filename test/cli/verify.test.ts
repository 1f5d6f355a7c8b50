import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitei } from '../harness/cli.js';
import { REPO } from '../harness/tree.js';

/**
 * `kitei check --verify-manifest SAVED.json`: the same inputs give byte-identical findings (exit
 * 0); a one-byte change to one evidence file is found and named (exit 1).
 */
const AS_OF = '2026-11-24';
const copy = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kitei-verify-'));
  cpSync(path.join(REPO, 'examples/terminal-lock-and-screen/evidence'), path.join(dir, 'evidence'), { recursive: true });
  return dir;
};

describe('kitei check --verify-manifest', () => {
  it('verifies a run on the same inputs, wherever they are checked out, with the saved settings', () => {
    const dir = copy();
    const saved = path.join(dir, 'saved.json');
    kitei(['check', 'evidence', '--as-of', AS_OF, '--format', 'json', '--param', 'terminal-screen-lock.maxIdleMinutes=12', '--include', 'pass', '--output', saved], dir);
    const run = kitei(['check', 'evidence', '--verify-manifest', saved], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('所見: バイト単位で同じです（不適合 1 件、エラー 0 件）');
    expect(run.stdout).toContain('→ 一致');
    // The same evidence elsewhere: the digest leaves the directories out.
    const elsewhere = copy();
    const moved = kitei(['check', path.join(elsewhere, 'evidence'), '--verify-manifest', saved, '--lang', 'en']);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('Inputs: the same');
  });

  it('finds a one-byte change to one evidence file and names the file', () => {
    const dir = copy();
    const saved = path.join(dir, 'saved.json');
    kitei(['check', 'evidence', '--as-of', AS_OF, '--format', 'json', '--output', saved], dir);
    appendFileSync(path.join(dir, 'evidence/media.yaml'), ' ');
    const run = kitei(['check', 'evidence', '--verify-manifest', saved, '--lang', 'en'], dir);
    expect(run.code).toBe(1);
    const changed = run.stdout.split('\n').filter((l) => /^ {4}/.test(l));
    expect(changed).toEqual([expect.stringMatching(/^ {4}evidence media\.yaml: changed \(saved [0-9a-f]{12}…, now [0-9a-f]{12}…\)$/)]);
    expect(run.stdout).toContain('→ Not verified (exit code 1)');
    // A file added, a setting changed:
    writeFileSync(path.join(dir, 'evidence/extra.yaml'), readFileSync(path.join(dir, 'evidence/media.yaml')));
    const more = kitei(['check', 'evidence', '--verify-manifest', saved], dir);
    expect(more.stdout).toContain('証跡 extra.yaml: 追加されています');
  });

  it('says when the saved report has no manifest, or is not a report', () => {
    const dir = copy();
    const saved = path.join(dir, 'saved.json');
    kitei(['check', 'evidence', '--as-of', AS_OF, '--format', 'json', '--output', saved], dir);
    const doc = JSON.parse(readFileSync(saved, 'utf8')) as Record<string, unknown>;
    delete doc.manifest;
    writeFileSync(saved, JSON.stringify(doc));
    const run = kitei(['check', 'evidence', '--verify-manifest', saved], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the report has no manifest');
  });
});
