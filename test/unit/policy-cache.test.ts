import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { LazySourceFile } from '../../src/policy/lazy-source.js';
import { loadPolicyBundle, policyDigest } from '../../src/policy/cache.js';
import { jsonReporter } from '../../src/report/json.js';
import { buildReportModel } from '../../src/report/model.js';
import { reportText } from '../../src/report/reporter.js';
import { makeTree, REPO } from '../harness/tree.js';

/**
 * The policy cache remembers a policy directory that loaded cleanly, keyed by the digest of its
 * bytes. What comes back must be what the files say: the same rules, the same report, the same
 * problems with the same positions when a run finds one.
 */
const POLICIES = path.join(REPO, 'policies');
const cacheFiles = () => (existsSync(process.env.KITEI_CACHE_DIR!) ? readdirSync(process.env.KITEI_CACHE_DIR!) : []);
const report = async (policiesDir: string, params?: Record<string, Record<string, unknown>>) =>
  reportText(jsonReporter(buildReportModel(await check({ evidenceDir: path.join(REPO, 'evidence'), policiesDir, asOf: '2026-11-24', ...(params ? { params } : {}) }), { lang: 'en', failOn: 'low', exitCode: 0, version: 'test' }), { lang: 'en' }));

describe('the policy cache', () => {
  it('a second load comes from the cache, with the same rules and the same report', async () => {
    const dir = makeTree({}, POLICIES);
    const digest = await policyDigest(dir);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    const first = await loadPolicyBundle(dir);
    expect(cacheFiles()).toContain(`${digest}.json`);
    const second = await loadPolicyBundle(dir);
    expect(second.policies.rules[0]!.source).toBeInstanceOf(LazySourceFile);
    expect(second.policies.rules.map((r) => [r.rule, r.pointer, r.source.path])).toEqual(first.policies.rules.map((r) => [r.rule, r.pointer, r.source.path]));
    expect(second.catalog).toEqual(first.catalog);
    process.env.KITEI_CACHE = 'off';
    try {
      const uncached = await report(dir);
      delete process.env.KITEI_CACHE;
      expect(await report(dir)).toBe(uncached);
    } finally {
      delete process.env.KITEI_CACHE;
    }
  });

  it('any change to a policy file is another digest, and the change is what runs', async () => {
    const dir = makeTree({}, POLICIES);
    const before = await policyDigest(dir);
    await loadPolicyBundle(dir);
    const file = path.join(dir, 'terminals.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('default: 5', 'default: 3'));
    expect(await policyDigest(dir)).not.toBe(before);
    const bundle = await loadPolicyBundle(dir);
    expect(bundle.policies.rules.find((r) => r.rule.id === 'terminal-screen-lock')!.rule.parameters!.maxIdleMinutes!.default).toBe(3);
  });

  it('a directory with a problem is not cached, and its problem is reported from the file', async () => {
    const dir = makeTree({}, POLICIES);
    const file = path.join(dir, 'terminals.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('severity: high', 'severity: urgent'));
    const digest = await policyDigest(dir);
    const bundle = await loadPolicyBundle(dir);
    expect(bundle.problems.map((p) => p.code)).toContain('policy/schema');
    expect(cacheFiles()).not.toContain(`${digest}.json`);
  });

  it('a problem found after loading from the cache still has its file, line and column', async () => {
    const dir = makeTree({}, POLICIES);
    await loadPolicyBundle(dir);
    const r = await check({ evidenceDir: path.join(REPO, 'evidence'), policiesDir: dir, asOf: '2026-11-24', params: { 'terminal-screen-lock': { nosuch: 1 } } });
    const p = r.findings.find((f) => f.code === 'policy/unknown-parameter')!;
    expect(p.location).toMatchObject({ file: expect.stringMatching(/terminals\.yaml$/), line: expect.any(Number), column: expect.any(Number) });
    expect(p.location!.line).toBeGreaterThan(1);
  });
});
