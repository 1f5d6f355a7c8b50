import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../core/problems.js';
import { FORMATS, missingOutcomes, type Format } from '../../report/formats.js';
import { openReportTargets, writeReports } from '../reports.js';
import { withCommonOptions, type CommonOptions } from '../options.js';

interface ReportCliOptions extends Omit<CommonOptions, 'format'> {
  format?: Format[];
  outputDir?: string;
}

/**
 * `kitei report SAVED.json --format …`: renders a saved JSON (or NDJSON) report in any format,
 * reading neither evidence nor policies. The model is what the JSON holds, so the output is byte
 * for byte what `kitei check --format …` wrote for the same run. Exit code 0 once rendered (the
 * saved run's exit code is in the report), 2 when the file is not a kitei report or lacks what
 * the format needs.
 */
export function registerReport(program: Command): void {
  withCommonOptions(program.command('report'), { formats: FORMATS, schemas: false })
    .description('保存した JSON レポートから任意の形式のレポートを作る（証跡・ポリシーは読まない） / render a saved JSON report in any format, without reading evidence or policies')
    .argument('<saved-json>', '`kitei check --format json` で保存したレポート（NDJSON も可） / a report saved by `kitei check --format json` (or ndjson)')
    .action(async (saved: string, opts: ReportCliOptions) => {
      const { parseSavedReport } = await import('../../report/saved.js');
      const targets = await openReportTargets(opts, {}, { refuse: saved });
      let bytes: Buffer;
      try {
        bytes = await readFile(saved);
      } catch (e) {
        throw new UsageError(`${saved}: cannot read the saved report (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      const model = parseSavedReport(bytes, saved);
      for (const format of targets.formats) {
        const missing = missingOutcomes(format, model.included);
        if (missing.length > 0) {
          throw new UsageError(
            `${saved}: the ${format} format lists every rule × record, but this report lists only ${model.included.join(', ')} (not ${missing.join(', ')}). ` +
              'Re-run the check with `kitei check --format json --include pass,not_applicable` and render that report.',
          );
        }
      }
      await writeReports(targets, model, opts.lang);
      process.exitCode = 0;
    });
}
