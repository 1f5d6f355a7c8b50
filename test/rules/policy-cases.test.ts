import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES_DIR } from '../../src/check.js';
import { loadRuleTests } from '../../src/rule-tests/load.js';
import { RuleTestRunner } from '../../src/rule-tests/run.js';

/**
 * Every rule test case kept beside the policies (policies/tests/*.yaml), one vitest test each,
 * run by the same runner as `kitei test`; and the requirement that every rule has both a valid
 * and an invalid case.
 */
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
