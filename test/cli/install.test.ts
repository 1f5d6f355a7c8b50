import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../harness/tree.js';

/**
 * kitei as an organisation installs it: packed into a tarball, installed into a repository of its
 * own, scaffolded with `kitei init` and checked with `npx kitei check`. The pack skips prepack
 * (`npm run build`): the test run has built dist/ already, and rebuilding it here would change the
 * files other CLI tests are running meanwhile.
 */
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('installed from the packed tarball', () => {
  it('init, check exit 0 on the scaffold, exit 1 with file:line:column after a failure', () => {
    const packs = mkdtempSync(path.join(tmpdir(), 'kitei-pack-'));
    execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', packs], { cwd: REPO, stdio: 'pipe' });
    const tarball = path.join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz'))!);
    const repo = mkdtempSync(path.join(tmpdir(), 'kitei-org-'));
    const install = run(npm, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], repo);
    expect(install.code, install.out).toBe(0);

    const init = run(npx, ['kitei', 'init'], repo);
    expect(init.code, init.out).toBe(0);
    expect(init.out).toContain('evidence/terminals.yaml');

    const clean = run(npx, ['kitei', 'check', '--as-of', '2026-11-24'], repo);
    expect(clean.code, clean.out).toBe(0);
    expect(clean.out).toContain('未記入の台帳');

    // A terminal without a screen lock: the register filled in, its template mark removed.
    const file = path.join(repo, 'evidence/terminals.yaml');
    const text = readFileSync(file, 'utf8').replace('template: true\nrecords: []\n', 'records:\n  - id: T-001\n    hostname: pc-01\n    kind: laptop\n    ownership: union\n    connectedToLan: true\n    status: active\n');
    writeFileSync(file, text);
    const line = text.split('\n').indexOf('  - id: T-001') + 1;
    const failed = run(npx, ['kitei', 'check', '--as-of', '2026-11-24', '--lang', 'en'], repo);
    expect(failed.code, failed.out).toBe(1);
    expect(failed.out).toContain(`evidence/terminals.yaml:${line}:5  fail  high  terminal-screen-lock`);
  }, 240_000);
});
