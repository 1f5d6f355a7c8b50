/**
 * The real path: examples/rego-screen-lock/ built by `opa build -t wasm` and run by kitei. `opa`
 * cannot be installed on kitei's own machines, so this runs only where it is on the PATH (an
 * organisation's CI with open-policy-agent/setup-opa); elsewhere it is skipped and says why.
 * Needs the build (dist/engine/wasm/worker.js).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';

const root = path.resolve(import.meta.dirname, '../..');
const example = path.join(root, 'examples/rego-screen-lock');
const opa = spawnSync('opa', ['version'], { encoding: 'utf8' });
const hasOpa = opa.status === 0;
if (!hasOpa) console.warn('test/wasm/rego-example.test.ts: skipped: `opa` is not on the PATH (install it, e.g. with open-policy-agent/setup-opa, to build examples/rego-screen-lock)');

describe.skipIf(!hasOpa)('examples/rego-screen-lock built with opa', () => {
  it('builds the bundle and finds the terminal that locks too late, at its line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitei-rego-'));
    try {
      // The exact command of the manifest's header.
      execFileSync('opa', ['build', '-t', 'wasm', '-e', 'kitei/screen_lock/violations', '-e', 'kitei/screen_lock/allow', '-o', path.join(dir, 'screen-lock.tar.gz'), 'kitei/'], { cwd: example });
      copyFileSync(path.join(example, 'screen-lock.kitei.yaml'), path.join(dir, 'screen-lock.kitei.yaml'));
      const result = await check({ evidenceDir: path.join(root, 'evidence'), policiesDir: dir, asOf: '2026-11-24', record: false, params: { 'terminal-screen-lock-rego': { maxIdleMinutes: 4 } } });
      expect(result.findings.filter((f) => f.ruleId.startsWith('kitei/policy'))).toEqual([]);
      const fails = result.findings.filter((f) => f.ruleId === 'terminal-screen-lock-rego' && f.outcome === 'fail');
      expect(fails.length).toBeGreaterThan(0);
      expect(fails.every((f) => f.assertion === 'idle-minutes' && f.location!.pointer.endsWith('/screenLock/idleMinutes') && f.location!.line > 1)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
