import type { Command } from 'commander';
import { applyConfig } from '../config.js';
import { InvalidArgumentError, Option } from 'commander';
import { addDays, addMonths, todayInJapan } from '../../core/dates.js';
import { EXIT } from '../../exit-code.js';
import { afterHelp } from '../help.js';
import { openOutput } from '../io.js';
import { inputOptions, readDirectories, type CommonOptions, withCommonOptions } from '../options.js';

interface DueCliOptions extends CommonOptions {
  asOf?: string;
  within: Window;
  overdue?: boolean;
  waivers?: string;
}

interface Window {
  text: string;
  end: (asOf: string) => string;
}

/** --within 90d | 12w | 3m | 1y: the window after the as-of date. */
export function parseWindow(value: string): Window {
  const m = /^(\d{1,4})([dwmy])$/.exec(value);
  if (!m) throw new InvalidArgumentError('数と単位で指定: 90d（日）、12w（週）、3m（月）、1y（年） / expected a number and a unit: 90d (days), 12w (weeks), 3m (months) or 1y (years)');
  const n = Number(m[1]);
  const unit = m[2]!;
  return {
    text: value,
    end: (asOf) => (unit === 'd' ? addDays(asOf, n) : unit === 'w' ? addDays(asOf, 7 * n) : addMonths(asOf, unit === 'm' ? n : 12 * n)),
  };
}

export function registerDue(program: Command): void {
  withCommonOptions(program.command('due'), { policies: true, asOf: true, format: true, evidence: true, config: true })
    .description('証跡から導かれる今後の期限（監査、組合会報告、教育、廃棄月と対象データ、保存期間の満了、委託先監査…）を日付順に / upcoming obligations derived from the evidence, sorted by date')
    .argument('[evidence-dir]', '証跡のディレクトリ / evidence directory', 'evidence')
    // The default is shown as the user would type it (90d), not as the parsed window.
    .addOption(new Option('--within <period>', '基準日からの期間 90d|12w|3m|1y / window after the as-of date').argParser(parseWindow).default(parseWindow('90d'), '90d'))
    .option('--overdue', '基準日より前に期限を過ぎたものも示す / also list obligations already past their date')
    .option('--waivers <dir>', '例外承認のディレクトリ（その期限も一覧に入れる。既定: 証跡の隣の waivers/） / folder of waiver files, whose expiries are listed too (default: waivers/ beside the evidence)')
    .addHelpText('after', afterHelp(`
終了コード / exit codes:
  0  一覧を出力 / listed
  2  証跡・ポリシーの読み込みの問題 / evidence or policies could not be read (the list covers what could)`))
    .action(async (evidenceArg: string, opts: DueCliOptions, command: Command) => {
      const { evidenceDir, extraPolicyDirs } = await applyConfig(command, opts, evidenceArg);
      const { dueDates } = await import('../../due.js');
      const { dueJson, dueText } = await import('../../report/due.js');
      const out = await openOutput(opts.output, readDirectories(opts, evidenceDir));
      const asOf = opts.asOf ?? todayInJapan();
      const until = opts.within.end(asOf);
      const result = await dueDates({ evidenceDir, extraPolicyDirs, asOf, until, input: inputOptions(opts), overdue: opts.overdue ?? false, ...(opts.waivers !== undefined ? { waivers: { dir: opts.waivers } } : {}), ...(opts.policies ? { policiesDir: opts.policies } : {}), ...(opts.schemas ? { schemasDir: opts.schemas } : {}) });
      const code = result.problems.length > 0 ? EXIT.invalid : EXIT.ok;
      const ctx = { lang: opts.lang, within: opts.within.text, exitCode: code };
      await out(opts.format === 'json' ? dueJson(result, ctx) : dueText(result, ctx));
      process.exitCode = code;
    });
}
