import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, cleanCompilation, loadRules } from '../../src/check.js';
import { LazySourceFile } from '../../src/policy/lazy-source.js';
import { buildPolicyCache, loadPolicyBundle, policyDigest } from '../../src/policy/cache.js';
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

  it('editing a rule test case (tests/) keeps the digest: the cases are not policies', async () => {
    const dir = makeTree({}, POLICIES);
    const before = await policyDigest(dir);
    writeFileSync(path.join(dir, 'tests', 'terminals.yaml'), `${readFileSync(path.join(dir, 'tests', 'terminals.yaml'), 'utf8')}\n# edited\n`);
    expect(await policyDigest(dir)).toBe(before);
  });
});

/**
 * The build records in the entry that the cached rules compiled and linted clean against the
 * shipped schemas (scripts/build-policy-cache.mjs); a run from such an entry lists the rules
 * without compiling CEL, and compiles only to evaluate. Nothing it reports may differ, and a run
 * that is not the one recorded (other schemas, parameter overrides) must compile and report as before.
 */
describe('a clean entry of the policy cache', () => {
  const SCHEMAS = path.join(REPO, 'schemas');
  const cleanEntry = async () => {
    const dir = makeTree({}, POLICIES);
    const file = await buildPolicyCache(dir, process.env.KITEI_CACHE_DIR!, (bundle) => cleanCompilation(bundle));
    return { dir, entry: JSON.parse(readFileSync(file, 'utf8')) as { clean?: { schemas: string; enforcedOn: string } } };
  };
  const listing = (loaded: Awaited<ReturnType<typeof loadRules>>) => ({
    rules: loaded.engine.rules.map((r) => [r.rule.id, r.rule.version ?? 1, r.rule.title, r.rule.remediation, loaded.engine.paramsOf(r)]),
    problems: loaded.problems,
  });

  it('records the clean compilation, and a load from it lists the same rules, parameters and texts as compiling', async () => {
    const { dir, entry } = await cleanEntry();
    expect(entry.clean).toEqual({ schemas: expect.stringMatching(/^[0-9a-f]{64}$/), enforcedOn: expect.any(String) });
    expect((await loadPolicyBundle(dir)).clean).toEqual(entry.clean);
    const fromEntry = await loadRules({ policiesDir: dir });
    // Nothing compiled yet: the compiled policies are made on first use.
    expect(Object.getOwnPropertyDescriptor(fromEntry, 'cel')?.get).toBeTypeOf('function');
    process.env.KITEI_CACHE = 'off';
    try {
      const compiled = await loadRules({ policiesDir: dir });
      expect(Object.getOwnPropertyDescriptor(compiled, 'cel')?.get).toBeUndefined();
      expect(listing(fromEntry)).toEqual(listing(compiled));
      expect([...fromEntry.engine.registers].sort()).toEqual([...compiled.engine.registers].sort());
    } finally {
      delete process.env.KITEI_CACHE;
    }
  });

  it('a check from it gives the report of a check that compiles everything, failures and their messages included', async () => {
    const { dir } = await cleanEntry();
    const run = (evidenceDir: string) =>
      check({ evidenceDir, policiesDir: dir, asOf: '2026-11-24' }).then((r) => reportText(jsonReporter(buildReportModel(r, { lang: 'ja', failOn: 'low', exitCode: 0, version: 'test' }), { lang: 'ja' })));
    const failing = path.join(REPO, 'examples', 'terminal-lock-and-screen', 'evidence');
    const fromEntry = [await run(path.join(REPO, 'evidence')), await run(failing)];
    expect(fromEntry[1]).toMatch(/"outcome": ?"fail"/);
    process.env.KITEI_CACHE = 'off';
    try {
      expect([await run(path.join(REPO, 'evidence')), await run(failing)]).toEqual(fromEntry);
    } finally {
      delete process.env.KITEI_CACHE;
    }
  });

  it('parameter overrides are compiled and their problems reported, as without the entry', async () => {
    const { dir } = await cleanEntry();
    const bad = await loadRules({ policiesDir: dir, params: { 'terminal-screen-lock': { maxIdleMinutes: 'five', nosuch: 1 } } });
    expect(bad.problems.map((p) => p.code).sort()).toEqual(['policy/bad-parameter', 'policy/unknown-parameter']);
    const other = await loadRules({ policiesDir: dir, params: { 'terminal-screen-lock': { maxIdleMinutes: 3 } } });
    const lock = other.engine.rules.find((r) => r.rule.id === 'terminal-screen-lock')!;
    expect(other.engine.paramsOf(lock)).toEqual({ maxIdleMinutes: 3 });
  });

  it('other schemas than those it was compiled against: the rules are compiled and a field the schemas lack is reported', async () => {
    const { dir } = await cleanEntry();
    const schemas = makeTree({}, SCHEMAS);
    const file = path.join(schemas, 'terminals.schema.json');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('"idleMinutes"', '"idleMinutesRenamed"'));
    const loaded = await loadRules({ policiesDir: dir, schemasDir: schemas });
    expect(loaded.problems.map((p) => p.code)).toContain('policy/cel-type');
    expect(Object.getOwnPropertyDescriptor(loaded, 'cel')?.get).toBeUndefined();
  });
});
