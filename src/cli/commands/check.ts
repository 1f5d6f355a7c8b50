import { InvalidArgumentError, type Command } from 'commander';
import { todayInJapan } from '../../core/dates.js';
import type { Outcome, Severity } from '../../core/findings.js';
import type { ParamOverrides } from '../../engine/cel/compile.js';
import { exitCode } from '../../exit-code.js';
import { FORMAT_NEEDS, FORMATS, type Format } from '../../report/formats.js';
import { openReportTargets, writeReports } from '../reports.js';
import { collectParam, inputOptions, parseSeverity, readDirectories, type CommonOptions, withCommonOptions } from '../options.js';
import { VERSION } from '../version.js';

interface CheckCliOptions extends Omit<CommonOptions, 'format'> {
  asOf?: string;
  failOn: Severity;
  param?: ParamOverrides;
  include: Outcome[];
  format?: Format[];
  outputDir?: string;
  verifyManifest?: string;
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
  withCommonOptions(program.command('check'), { policies: true, asOf: true, formats: FORMATS, evidence: true })
    .description('証跡をポリシーで検査する / check the evidence against the policies')
    .argument('[evidence-dir]', '証跡のディレクトリ / evidence directory', 'evidence')
    .option('--fail-on <severity>', 'この重要度以上の不適合で終了コード 1 / exit 1 on failures at or above this severity (critical|high|medium|low)', parseSeverity, 'low')
    .option('--param <rule.name=value>', 'ルールのパラメータを上書き（複数可） / override a rule parameter (repeatable)', collectParam)
    .option('--include <outcomes>', 'レポートに適合・適用外の所見も載せる（pass,not_applicable）。既定では不適合とエラーだけを載せ、ほかは件数で示す / also list passes and n/a findings (pass,not_applicable); by default only failures and errors are listed and the rest counted', parseInclude, [])
    .option('--verify-manifest <saved-json>', '保存したレポートと同じ設定で検査し直し、同じ入力から同じ所見が出るか（0）、どの入力が変わったか（1）を示す / re-run with the saved report\'s settings and say whether the same inputs gave byte-identical findings (exit 0) or which input changed (exit 1)')
    .action(async (evidenceDir: string, opts: CheckCliOptions) => {
      if (opts.verifyManifest !== undefined) return verify(evidenceDir, opts.verifyManifest, opts);
      const { check } = await import('../../check.js');
      const { buildReportModel } = await import('../../report/model.js');
      const targets = await openReportTargets(opts, readDirectories(opts, evidenceDir));
      const asOf = opts.asOf ?? todayInJapan();
      // Failures and errors always; what --include adds; what a format lists one by one (JUnit: every outcome).
      const keep = new Set<Outcome>(['fail', 'error', ...opts.include, ...targets.formats.flatMap((f) => FORMAT_NEEDS[f] ?? [])]);
      const result = await check({ evidenceDir, asOf, keep, input: inputOptions(opts), ...(opts.policies ? { policiesDir: opts.policies } : {}), ...(opts.schemas ? { schemasDir: opts.schemas } : {}), ...(opts.param ? { params: opts.param } : {}) });
      const code = exitCode(result.findings, opts.failOn);
      await writeReports(targets, buildReportModel(result, { version: VERSION, failOn: opts.failOn, exitCode: code, lang: opts.lang }), opts.lang, opts.include);
      process.exitCode = code;
    });
}

/**
 * `--verify-manifest SAVED.json`: the check again, on the evidence, policies and schemas given,
 * with the saved run's as-of date, fail-on, overrides and listed outcomes; then the comparison.
 */
async function verify(evidenceDir: string, savedFile: string, opts: CheckCliOptions): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const { UsageError } = await import('../../core/problems.js');
  const { parseSavedReport } = await import('../../report/saved.js');
  const { buildReportModel } = await import('../../report/model.js');
  const { verificationText, verified, verifyManifest } = await import('../../report/verify.js');
  const { check } = await import('../../check.js');
  const { openOutput } = await import('../io.js');
  if (opts.outputDir !== undefined || (opts.format?.length ?? 0) > 0) throw new UsageError('--verify-manifest writes its verdict as text: --format and --output-dir do not apply');
  const out = await openOutput(opts.output, readDirectories(opts, evidenceDir));
  const bytes = await readFile(savedFile).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`${savedFile}: cannot read the saved report (${e.code ?? e.message})`);
  });
  const saved = parseSavedReport(bytes, savedFile);
  const manifest = saved.manifest;
  if (!manifest) throw new UsageError(`${savedFile}: the report has no manifest (it was saved by an older kitei); nothing to verify against`);
  const result = await check({
    evidenceDir,
    asOf: saved.asOf,
    keep: new Set(saved.included),
    input: inputOptions(opts),
    params: manifest.params,
    ...(opts.policies ? { policiesDir: opts.policies } : {}),
    ...(opts.schemas ? { schemasDir: opts.schemas } : {}),
  });
  const current = buildReportModel(result, { version: VERSION, failOn: saved.failOn, exitCode: exitCode(result.findings, saved.failOn), lang: manifest.language });
  const v = verifyManifest({ ...saved, manifest }, { ...current, manifest: current.manifest! });
  await out(verificationText(v, savedFile, opts.lang));
  process.exitCode = verified(v) ? 0 : 1;
}
