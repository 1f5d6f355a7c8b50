import { afterAll, expect, it } from 'vitest';
import { DEFAULT_POLICIES_DIR } from '../../src/check.js';
import { ruleCoverage } from '../../src/rule-tests/coverage.js';
import { loadRuleTests } from '../../src/rule-tests/load.js';
import { RuleTestRunner, type CaseResult } from '../../src/rule-tests/run.js';

/**
 * `kitei test --coverage` on the shipped policies: every version of every rule has its own
 * passing and failing case, every assertion a case where it alone fails, every forEach a case with
 * a failing element, every when a case where it is false.
 *
 * KNOWN_GAPS are the gaps left, each with why (close one by writing the missing case in
 * policies/tests/*.yaml and deleting its line here). The list is exact: a new gap fails this test,
 * and so does a closed one still listed.
 */
const KNOWN_GAPS: string[] = [
  // Cannot fail alone: a record with no risks also fails disasters-included and failures-included
  // (a list with a disaster and a failure is not empty). Kept as the rule's plainest message.
  'risk-analysis-content@1 assertion risks-listed',
];

const set = await loadRuleTests(DEFAULT_POLICIES_DIR);
const runner = new RuleTestRunner(set);
afterAll(() => runner.dispose());

let results: CaseResult[] = [];

it('the rule cases cover every rule version, assertion, forEach and when (but the known gaps)', async () => {
  const report = await runner.run();
  results = report.results;
  const coverage = ruleCoverage(await runner.loadedRules(), report.results);
  expect(coverage.gaps).toEqual(KNOWN_GAPS);
  // A when no case makes true or false is a gap too (lint/when-never-…), reported at the when.
  expect(coverage.findings.map((f) => `${f.location?.file}:${f.location?.line} ${f.code}`)).toEqual(
    KNOWN_GAPS.filter((g) => g.endsWith(' when false')).map(() => expect.stringMatching(/ lint\/when-never-false$/)),
  );
}, 600_000);

it('a weakened case set shows its gaps at their places in the policy file', async () => {
  expect(results.length).toBeGreaterThan(0);
  const rules = (await runner.loadedRules()).filter((r) => r.rule.id === 'retention-receipt-data' || r.rule.id === 'email-encrypted-attachment');
  // Without the failing cases of version 1 of retention-receipt-data (judged up to 2022-03-31), and
  // without the cases where only the encryption of an attachment is wrong (on some e-mail).
  const weakened = results.filter(
    (r) =>
      !(r.case.ruleId === 'retention-receipt-data' && r.case.kind === 'invalid' && r.case.asOf <= '2022-03-31') &&
      !(r.case.ruleId === 'email-encrypted-attachment' && (r.case.name === 'an unencrypted attachment, nothing in the body' || r.case.name.startsWith('no attachment recorded'))),
  );
  const coverage = ruleCoverage(rules, weakened);
  expect(coverage.gapSites.map((g) => `${g.location.file}:${g.location.line} ${g.gap}`)).toEqual([
    'policies/email.yaml:60 email-encrypted-attachment@1 assertion encrypted',
    'policies/retention.yaml:20 retention-receipt-data@1 failing case',
    'policies/retention.yaml:61 retention-receipt-data@1 assertion not-early',
    'policies/retention.yaml:62 retention-receipt-data@1 forEach not-early',
    'policies/retention.yaml:68 retention-receipt-data@1 assertion not-overdue',
    'policies/retention.yaml:69 retention-receipt-data@1 forEach not-overdue',
    'policies/retention.yaml:75 retention-receipt-data@1 assertion disposed-on-time',
    'policies/retention.yaml:76 retention-receipt-data@1 forEach disposed-on-time',
  ]);
});
