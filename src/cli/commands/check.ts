import { InvalidArgumentError, type Command } from 'commander';
import { todayInJapan } from '../../core/dates.js';
import type { Outcome, Severity } from '../../core/findings.js';
import type { ParamOverrides } from '../../engine/cel/compile.js';
import { exitCode } from '../../exit-code.js';
import { FORMATS } from '../../report/formats.js';
import { openOutput, writeError } from '../io.js';
import { collectParam, inputOptions, parseSeverity, readDirectories, type CommonOptions, withCommonOptions } from '../options.js';
import { VERSION } from '../version.js';

interface CheckCliOptions extends CommonOptions {
  asOf?: string;
  failOn: Severity;
  param?: ParamOverrides;
  include: Outcome[];
}

/** `--include pass,not_applicable`: the outcomes listed besides failures and errors, which always are. */
function parseInclude(value: string, previous: Outcome[] = []): Outcome[] {
  const allowed: Outcome[] = ['pass', 'not_applicable'];
  const out = [...previous];
  for (const part of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const o = (part === 'n/a' || part === 'na' ? 'not_applicable' : part) as Outcome;
    if (!allowed.includes(o)) throw new InvalidArgumentError(`"${part}" is not one of pass, not_applicable`);
    if (!out.includes(o)) out.push(o);
  }
  return out;
}

export function registerCheck(program: Command): void {
  withCommonOptions(program.command('check'), { policies: true, asOf: true, format: FORMATS, evidence: true })
    .description('証跡をポリシーで検査する / check the evidence against the policies')
    .argument('[evidence-dir]', '証跡のディレクトリ / evidence directory', 'evidence')
    .option('--fail-on <severity>', 'この重要度以上の不適合で終了コード 1 / exit 1 on failures at or above this severity (critical|high|medium|low)', parseSeverity, 'low')
    .option('--param <rule.name=value>', 'ルールのパラメータを上書き（複数可） / override a rule parameter (repeatable)', collectParam)
    .option('--include <outcomes>', 'レポートに適合・適用外の所見も載せる（pass,not_applicable）。既定では不適合とエラーだけを載せ、ほかは件数で示す / also list passes and n/a findings (pass,not_applicable); by default only failures and errors are listed and the rest counted', parseInclude, [])
    .action(async (evidenceDir: string, opts: CheckCliOptions) => {
      const { check } = await import('../../check.js');
      const { REPORTERS } = await import('../../report/index.js');
      const out = await openOutput(opts.output, readDirectories(opts, evidenceDir));
      const asOf = opts.asOf ?? todayInJapan();
      const keep = new Set<Outcome>(['fail', 'error', ...opts.include]);
      const result = await check({ evidenceDir, asOf, keep, input: inputOptions(opts), ...(opts.policies ? { policiesDir: opts.policies } : {}), ...(opts.schemas ? { schemasDir: opts.schemas } : {}), ...(opts.param ? { params: opts.param } : {}) });
      const code = exitCode(result.findings, opts.failOn);
      await out(REPORTERS[opts.format](result, { lang: opts.lang, failOn: opts.failOn, exitCode: code, version: VERSION }));
      if (opts.output) writeError(`${opts.output}: ${result.findings.length} findings, exit code ${code}\n`);
      process.exitCode = code;
    });
}
