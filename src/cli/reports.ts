import path from 'node:path';
import { UsageError } from '../core/problems.js';
import { appendFile } from 'node:fs/promises';
import type { Outcome } from '../core/findings.js';
import { maskPersonalNumbers } from '../core/personal-number.js';
import { FORMAT_FILES, FORMAT_NEEDS, type Format } from '../report/formats.js';
import type { ReportModel } from '../report/model.js';
import type { Lang } from '../core/lang.js';
import { openOutput, writeError, type Output, type ReadDirectories } from './io.js';
import { isQuiet } from './progress.js';

/**
 * Where the reports of `check` and `report` go: one format to standard output or --output, or
 * several formats (--format given more than once) each to its own file in --output-dir. Every
 * path is checked before anything is read or evaluated; every file is written atomically.
 */
export interface ReportTargets {
  formats: Format[];
  outputs: { format: Format; file?: string; out: Output }[];
}

export async function openReportTargets(opts: { format?: Format[]; output?: string; outputDir?: string }, reads: ReadDirectories, also: { refuse?: string } = {}): Promise<ReportTargets> {
  const formats = opts.format?.length ? opts.format : (['text'] as Format[]);
  if (opts.output !== undefined && opts.outputDir !== undefined) throw new UsageError('--output and --output-dir: give one of them (--output for one format, --output-dir for several)');
  if (formats.length > 1 && opts.outputDir === undefined) throw new UsageError(`--format given ${formats.length} times (${formats.join(', ')}): several formats are written with --output-dir DIR, each to its own file`);
  const files = opts.outputDir !== undefined ? formats.map((f) => path.join(opts.outputDir!, FORMAT_FILES[f])) : [opts.output];
  if (opts.outputDir !== undefined && opts.outputDir.trim() === '') throw new UsageError('--output-dir: the directory name is empty');
  const outputs: ReportTargets['outputs'] = [];
  for (const [i, format] of formats.entries()) {
    const file = files[i];
    if (file !== undefined && also.refuse !== undefined && path.resolve(file) === path.resolve(also.refuse)) throw new UsageError(`${opts.output !== undefined ? '--output' : '--output-dir'} ${file}: is the saved report being read; write elsewhere`);
    outputs.push({ format, ...(file !== undefined ? { file } : {}), out: await openOutput(file, reads) });
  }
  return { formats, outputs };
}

/** Renders the model in each format asked for and writes it; says on standard error what each file holds. */
export async function writeReports(targets: ReportTargets, model: ReportModel, lang: Lang, include?: readonly Outcome[]): Promise<void> {
  const { inLanguage, restrictTo } = await import('../report/model.js');
  const { loadReporter } = await import('../report/load.js');
  const shown = inLanguage(model, lang);
  for (const { format, file, out } of targets.outputs) {
    // At check time each format lists what it lists on its own (one evaluation kept the union).
    const listed = include ? restrictTo(shown, new Set<Outcome>(['fail', 'error', 'waived', ...include, ...(FORMAT_NEEDS[format] ?? [])])) : shown;
    await out((await loadReporter(format))(listed, { lang }));
    if (file !== undefined && !isQuiet()) writeError(`${displayName(file)}: ${model.summary.total.fail} failures, ${model.summary.total.error} errors, exit code ${model.exitCode}\n`);
  }
  if (targets.formats.includes('github') && process.env.GITHUB_STEP_SUMMARY) {
    const { githubStepSummary } = await import('../report/github.js');
    // GitHub shows the job summary file's Markdown on the run's page; each step appends to it.
    await appendFile(process.env.GITHUB_STEP_SUMMARY, maskPersonalNumbers(githubStepSummary(shown, { lang })));
  }
}

function displayName(file: string): string {
  return file.split(path.sep).join('/');
}
