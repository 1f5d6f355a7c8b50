import type { Command } from 'commander';
import { afterHelp } from '../help.js';
import { openOutput } from '../io.js';
import { withCommonOptions } from '../options.js';
import type { Lang } from '../../core/lang.js';

interface TestCliOptions {
  policies?: string;
  schemas?: string;
  rule?: string;
  lang: Lang;
  output?: string;
}

export function registerTest(program: Command): void {
  withCommonOptions(program.command('test'), { policies: true })
    .description('ルールのテストケース（policies/tests/）を実行し、適合例・不適合例のないルールを挙げる / run the rules\' test cases (policies/tests/) and list rules lacking a valid or an invalid case')
    .option('--rule <id>', 'このルールのケースだけ / only this rule\'s cases')
    .addHelpText('after', afterHelp(`
終了コード / exit codes:
  0  すべて成功 / all cases pass and every rule has both kinds
  1  失敗したケースまたはケース不足 / a case failed or a rule lacks cases
  2  読み込みの問題 / unreadable cases or policies`))
    .action(async (opts: TestCliOptions) => {
      const { DEFAULT_POLICIES_DIR, DEFAULT_SCHEMAS_DIR } = await import('../../check.js');
      const { loadRuleTests } = await import('../../rule-tests/load.js');
      const { formatTestReport, testExitCode } = await import('../../rule-tests/report.js');
      const { RuleTestRunner } = await import('../../rule-tests/run.js');
      const out = await openOutput(opts.output, { policies: opts.policies ?? DEFAULT_POLICIES_DIR, schemas: opts.schemas ?? DEFAULT_SCHEMAS_DIR });
      const policiesDir = opts.policies ?? DEFAULT_POLICIES_DIR;
      const dirs = { policiesDir, ...(opts.schemas ? { schemasDir: opts.schemas } : {}) };
      const set = await loadRuleTests(policiesDir);
      const runner = new RuleTestRunner(set, { ...dirs, ...(opts.rule ? { ruleId: opts.rule } : {}) });
      try {
        const report = await runner.run();
        const code = testExitCode(report);
        await out(formatTestReport(report, opts.lang, code));
        process.exitCode = code;
      } finally {
        runner.dispose();
      }
    });
}
