import type { Command } from 'commander';
import { check } from '../../check.js';
import { todayInJapan } from '../../core/dates.js';
import type { Severity } from '../../core/findings.js';
import type { ParamOverrides } from '../../engine/cel/compile.js';
import { exitCode } from '../../exit-code.js';
import { REPORTERS } from '../../report/index.js';
import { openOutput, writeError } from '../io.js';
import { collectParam, inputOptions, parseSeverity, readDirectories, type CommonOptions, withCommonOptions } from '../options.js';
import { VERSION } from '../version.js';

interface CheckCliOptions extends CommonOptions {
  asOf?: string;
  failOn: Severity;
  param?: ParamOverrides;
}

export function registerCheck(program: Command): void {
  withCommonOptions(program.command('check'), { policies: true, asOf: true, format: true, evidence: true })
    .description('証跡をポリシーで検査する / check the evidence against the policies')
    .argument('[evidence-dir]', '証跡のディレクトリ / evidence directory', 'evidence')
    .option('--fail-on <severity>', 'この重要度以上の不適合で終了コード 1 / exit 1 on failures at or above this severity (critical|high|medium|low)', parseSeverity, 'low')
    .option('--param <rule.name=value>', 'ルールのパラメータを上書き（複数可） / override a rule parameter (repeatable)', collectParam)
    .action(async (evidenceDir: string, opts: CheckCliOptions) => {
      const out = await openOutput(opts.output, readDirectories(opts, evidenceDir));
      const asOf = opts.asOf ?? todayInJapan();
      const result = await check({ evidenceDir, asOf, input: inputOptions(opts), ...(opts.policies ? { policiesDir: opts.policies } : {}), ...(opts.schemas ? { schemasDir: opts.schemas } : {}), ...(opts.param ? { params: opts.param } : {}) });
      const code = exitCode(result.findings, opts.failOn);
      await out(REPORTERS[opts.format](result, { lang: opts.lang, failOn: opts.failOn, exitCode: code, version: VERSION }));
      if (opts.output) writeError(`${opts.output}: ${result.findings.length} findings, exit code ${code}\n`);
      process.exitCode = code;
    });
}
