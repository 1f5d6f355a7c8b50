import { InvalidArgumentError, type Command } from 'commander';
import path from 'node:path';
import { parseLang } from '../options.js';
import type { Lang } from '../../core/lang.js';
import { UsageError } from '../../core/problems.js';
import { afterHelp } from '../help.js';
import { openOutput } from '../io.js';
import { readSavedReport } from '../saved-report.js';

interface DiffCliOptions {
  format: 'text' | 'json';
  lang: Lang;
  output?: string;
}

/**
 * `kitei diff A.json B.json`: two saved reports compared (src/report/diff.ts). Reads neither
 * evidence nor policies. Exit 1 when B has failures A did not have, 0 otherwise, 2 for usage
 * errors (a file that cannot be read or is not a kitei JSON report).
 */
export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('保存した 2 つの JSON レポートを比べ、新規・解消・変更の所見と、その原因（証跡・ルールの版・パラメータ・基準日・kitei の版）を示す / compare two saved JSON reports: new, resolved and changed findings, and the cause of each (evidence, rule version, parameters, as-of date, kitei version)')
    .argument('<a-json>', '前の（比べる元の）レポート / the earlier report')
    .argument('<b-json>', '後の（比べる先の）レポート / the later report')
    .option('--format <format>', '出力形式 text|json / output format', (v: string) => {
      if (v !== 'text' && v !== 'json') throw new InvalidArgumentError('kitei diff の出力は text か json / kitei diff writes text or json');
      return v;
    }, 'text')
    .option('--output <file>', '結果をファイルに書く（原子的に置き換える） / write the result to a file (replaced atomically)')
    .option('--lang <lang>', '言語 ja|en / language', parseLang, 'ja')
    .addHelpText(
      'after',
      afterHelp(`
終了コード / exit codes:
  0  B に新たな不適合なし / no failure in B that A did not have
  1  B に新たな不適合あり（新規、または不適合になった所見） / failures in B that A did not have (new, or a finding that became a failure)
  2  使い方の誤り・レポートでないファイル / usage error, a file that is not a kitei JSON report

例 / example:
  kitei check evidence --format json --output 2025.json
  kitei check evidence --format json --output 2026.json
  kitei diff 2025.json 2026.json`),
    )
    .action(async (aFile: string, bFile: string, opts: DiffCliOptions) => {
      const { diffReports } = await import('../../report/diff.js');
      const { diffJson, diffText } = await import('../../report/diff-text.js');
      if (opts.output !== undefined && [aFile, bFile].some((f) => path.resolve(f) === path.resolve(opts.output!))) throw new UsageError(`--output ${opts.output}: is a report being compared; write elsewhere`);
      const out = await openOutput(opts.output, {});
      const [a, b] = [await readSavedReport(aFile, 'A'), await readSavedReport(bFile, 'B')];
      const d = diffReports(a, b, { a: aFile, b: bFile });
      await out(opts.format === 'json' ? diffJson(d) : diffText(d, opts.lang));
      process.exitCode = d.exitCode;
    });
}
