import type { Command } from 'commander';
import { afterHelp } from '../help.js';
import { openOutput } from '../io.js';
import { withCommonOptions } from '../options.js';
import type { Lang } from '../../core/lang.js';

interface TestCliOptions {
  policies?: string;
  schemas?: string;
  rule?: string;
  mutate?: boolean;
  coverage?: boolean;
  regulation?: string;
  format: 'text' | 'json';
  lang: Lang;
  output?: string;
}

export function registerTest(program: Command): void {
  withCommonOptions(program.command('test'), { policies: true, format: true })
    .description('ルールのテストケース（policies/tests/）を実行し、適合例・不適合例のないルールを挙げる / run the rules\' test cases (policies/tests/) and list rules lacking a valid or an invalid case')
    .option('--rule <id>', 'このルールのケースだけ / only this rule\'s cases')
    .option('--mutate', '変異テスト: 各アサーションと when の CEL を機械的に変え、ケースが検出しない変異体とスコアを示す（--format json 可） / mutation testing: change each assertion\'s and when\'s CEL mechanically and report the mutants no case kills, with a score (--format json applies)')
    .option('--coverage', 'ケースの網羅: 版ごとの適合例・不適合例、検査項目ごとにそれだけが失敗するケース、forEach の要素の失敗、when が偽のケース。不足があれば終了コード 1 / case coverage: per rule version a passing and a failing case, per assertion a case where it alone fails, a failing forEach element, a false when; gaps exit 1')
    .option('--regulation <file>', 'kitei lint と同じ: 引用を照合する規程の本文 / as for kitei lint: the regulation text quotes are held to')
    .addHelpText('after', afterHelp(`
終了コード / exit codes:
  0  すべて成功 / all cases pass and every rule has both kinds
  1  失敗したケースまたはケース不足 / a case failed or a rule lacks cases
  2  読み込みの問題 / unreadable cases or policies
  --mutate: 生き残った変異体があっても 0（スコアを示すだけ） / 0 even with surviving mutants (the score is reported, not enforced)`))
    .action(async (opts: TestCliOptions) => {
      const { DEFAULT_POLICIES_DIR, DEFAULT_SCHEMAS_DIR } = await import('../../check.js');
      const { loadRuleTests } = await import('../../rule-tests/load.js');
      const { formatTestReport, testExitCode } = await import('../../rule-tests/report.js');
      const { RuleTestRunner } = await import('../../rule-tests/run.js');
      const out = await openOutput(opts.output, { policies: opts.policies ?? DEFAULT_POLICIES_DIR, schemas: opts.schemas ?? DEFAULT_SCHEMAS_DIR });
      const policiesDir = opts.policies ?? DEFAULT_POLICIES_DIR;
      const dirs = { policiesDir, ...(opts.schemas ? { schemasDir: opts.schemas } : {}) };
      const set = await loadRuleTests(policiesDir);
      if (opts.mutate) {
        // Mutation testing (src/rule-tests/mutate.ts): surviving mutants are reported, not failed on.
        const { mutateRules } = await import('../../rule-tests/mutate.js');
        const { formatMutationJson, formatMutationReport, mutateExitCode } = await import('../../rule-tests/mutate-report.js');
        const report = await mutateRules(set, { ...dirs, ...(opts.rule ? { ruleId: opts.rule } : {}) });
        const code = mutateExitCode(report);
        await out(opts.format === 'json' ? formatMutationJson(report) : formatMutationReport(report, opts.lang, code));
        process.exitCode = code;
        return;
      }
      const runner = new RuleTestRunner(set, { ...dirs, ...(opts.rule ? { ruleId: opts.rule } : {}) });
      try {
        const report = await runner.run();
        // kitei lint runs with the cases; --coverage adds the gaps and the whens no case makes true or false.
        const { lintPolicies } = await import('../../lint/lint.js');
        const { formatLint, lintExitCode } = await import('../../lint/report.js');
        const lint = await lintPolicies({ policiesDir, schemasDir: opts.schemas ?? DEFAULT_SCHEMAS_DIR, ...(opts.regulation ? { regulation: opts.regulation } : {}) });
        const { coverageJson, formatCoverage, ruleCoverage } = await import('../../rule-tests/coverage.js');
        const coverage = opts.coverage ? ruleCoverage((await runner.loadedRules()).filter((r) => !opts.rule || r.rule.id === opts.rule), report.results) : undefined;
        if (coverage) for (const f of coverage.findings) lint.findings.push(f);
        const code = Math.max(testExitCode(report), lintExitCode({ findings: lint.findings, problems: [] }), coverage && coverage.gaps.length > 0 ? 1 : 0);
        if (opts.format === 'json') {
          const { findingToJson } = await import('../../report/json.js');
          const json = {
            cases: report.results.map((r) => ({ rule: r.case.ruleId, kind: r.case.kind, name: r.case.name, file: r.case.file, line: r.case.line, ok: r.ok, problems: r.problems })),
            lacking: report.lacking,
            unknownRules: report.unknownRules,
            problems: report.problems.map(findingToJson),
            lint: lint.findings.map(findingToJson),
            ...(coverage ? { coverage: coverageJson(coverage) } : {}),
            exitCode: code,
          };
          await out(JSON.stringify(json, null, 2) + '\n');
        } else {
          const lintText = lint.findings.length > 0 ? formatLint({ ...lint, problems: [] }, opts.lang, lintExitCode({ findings: lint.findings, problems: [] })) : '';
          await out(formatTestReport(report, opts.lang, code) + (lintText ? '\n' + lintText : '') + (coverage ? '\n' + formatCoverage(coverage, opts.lang) : ''));
        }
        process.exitCode = code;
      } finally {
        runner.dispose();
      }
    });
}
