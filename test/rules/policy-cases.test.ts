import { afterAll, describe, expect, it } from 'vitest';

/**
 * Every rule test case kept beside the policies (policies/tests/*.yaml), one vitest test each,
 * run by the same runner as `kitei test`; and the requirement that every rule has both a valid
 * and an invalid case.
 *
 * The cases run with KITEI_CEL_VERIFY=1: every expression is evaluated both by its compiled
 * closure (src/engine/cel/native.ts) and by cel-js, and any difference fails the last test.
 * Set before kitei's modules are imported, which read it once.
 */
process.env.KITEI_CEL_VERIFY = '1';
const { DEFAULT_POLICIES_DIR } = await import('../../src/check.js');
const { loadRuleTests } = await import('../../src/rule-tests/load.js');
const { RuleTestRunner } = await import('../../src/rule-tests/run.js');
const { nativeMismatches, nativeTally } = await import('../../src/engine/cel/native.js');
const set = await loadRuleTests(DEFAULT_POLICIES_DIR);
const runner = new RuleTestRunner(set);
afterAll(() => runner.dispose());

it('the test case files load without problems', () => {
  expect(set.problems.map((p) => `${p.location?.file}:${p.location?.line} ${p.message.en}`)).toEqual([]);
});

it('every rule has a valid and an invalid case, and every case is for a rule that exists', async () => {
  const ids = await runner.ruleIds();
  const lacking = ids.filter((id) => !set.cases.some((c) => c.ruleId === id && c.kind === 'valid') || !set.cases.some((c) => c.ruleId === id && c.kind === 'invalid'));
  expect(lacking).toEqual([]);
  expect([...new Set(set.cases.map((c) => c.ruleId))].filter((id) => !ids.includes(id))).toEqual([]);
});

const byRule = new Map<string, typeof set.cases>();
for (const c of set.cases) byRule.set(c.ruleId, [...(byRule.get(c.ruleId) ?? []), c]);
for (const [ruleId, cases] of [...byRule].sort(([a], [b]) => (a < b ? -1 : 1))) {
  describe(ruleId, () => {
    for (const c of cases) {
      it(`${c.kind}: ${c.name}`, async () => {
        const result = await runner.runCase(c);
        expect(result.problems.map((p) => p.en), `${c.file}:${c.line}`).toEqual([]);
      });
    }
  });
}

it('the compiled expressions answered as cel-js did, on every case (KITEI_CEL_VERIFY)', () => {
  expect(nativeMismatches).toEqual([]);
  // Most evaluations are answered by the compiled closures; cel-js takes the errors and the few
  // expressions with timestamps.
  expect(nativeTally.answered).toBeGreaterThan(100_000);
  expect(nativeTally.gaveUp / (nativeTally.answered + nativeTally.gaveUp)).toBeLessThan(0.05);
});
