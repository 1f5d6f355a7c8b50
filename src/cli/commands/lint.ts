import type { Command } from 'commander';
import { afterHelp } from '../help.js';
import { openOutput } from '../io.js';
import { withCommonOptions } from '../options.js';
import type { Format } from '../../report/formats.js';
import type { Lang } from '../../core/lang.js';

interface LintCliOptions {
  policies?: string;
  schemas?: string;
  regulation?: string;
  format: Format;
  lang: Lang;
  output?: string;
}

export function registerLint(program: Command): void {
  withCommonOptions(program.command('lint'), { policies: true, format: ['text', 'json'] })
    .description('ポリシーの誤り（列挙値にない文字列、パラメータと食い違う文、未使用・未宣言のパラメータ、スキーマにない at、規程の文言でない引用）を位置とともに挙げる / find policy mistakes that load silently (a literal not in an enum, text contradicting a parameter, unused or undeclared parameters, an at the schema lacks, a quote not in the regulation)')
    .option('--regulation <file>', '引用を照合する規程の本文（既定: リポジトリの隣の shared/regulation、なければ引用は照合しない） / the regulation text quotes are held to (default: shared/regulation beside the repository, if present)')
    .addHelpText('after', afterHelp(`
終了コード / exit codes:
  0  指摘なし / no findings
  1  指摘あり / findings
  2  ポリシー・スキーマを読み込めない / policies or schemas could not be loaded`))
    .action(async (opts: LintCliOptions) => {
      const { DEFAULT_POLICIES_DIR, DEFAULT_SCHEMAS_DIR } = await import('../../check.js');
      const { lintPolicies } = await import('../../lint/lint.js');
      const { formatLint, lintExitCode, lintJson } = await import('../../lint/report.js');
      const policiesDir = opts.policies ?? DEFAULT_POLICIES_DIR;
      const schemasDir = opts.schemas ?? DEFAULT_SCHEMAS_DIR;
      const out = await openOutput(opts.output, { policies: policiesDir, schemas: schemasDir });
      const result = await lintPolicies({ policiesDir, schemasDir, ...(opts.regulation ? { regulation: opts.regulation } : {}) });
      const code = lintExitCode(result);
      await out(opts.format === 'json' ? lintJson(result, code) : formatLint(result, opts.lang, code));
      process.exitCode = code;
    });
}
