import { InvalidArgumentError, type Command } from 'commander';
import { todayInJapan } from '../../core/dates.js';
import type { Outcome, Severity } from '../../core/findings.js';
import type { ParamOverrides } from '../../engine/cel/compile.js';
import { exitCode } from '../../exit-code.js';
import { FORMAT_NEEDS, FORMATS, type Format } from '../../report/formats.js';
import { UsageError } from '../../core/problems.js';
import { openReportTargets, writeReports } from '../reports.js';
import { readSavedReport } from '../saved-report.js';
import { terminalProgress } from '../progress.js';
import { collectParam, inputOptions, parseSeverity, readDirectories, type CommonOptions, withCommonOptions } from '../options.js';
import { VERSION } from '../version.js';
import { applyConfig } from '../config.js';

interface CheckCliOptions extends Omit<CommonOptions, 'format'> {
  asOf?: string;
  failOn: Severity;
  param?: ParamOverrides;
  include: Outcome[];
  format?: Format[];
  outputDir?: string;
  verifyManifest?: string;
  baseline?: string;
  failOnNew?: boolean;
  waivers?: string;
  warnExpiry?: number;
  waiverMaxDays?: number;
}

/** `--warn-expiry 30d` (or `30`): a number of days. */
function parseDays(value: string): number {
  const m = /^(\d+)d?$/.exec(value.trim());
  if (!m || !Number.isSafeInteger(Number(m[1]))) throw new InvalidArgumentError('日数を 30d のように指定 / expected a number of days such as 30d');
  return Number(m[1]);
}

/** Where waivers are read from and how they are judged, from the command line. */
function waiverOptions(opts: Pick<CheckCliOptions, 'waivers' | 'warnExpiry' | 'waiverMaxDays'>): { waivers?: { dir?: string; maxDays?: number; warnDays?: number } } {
  const w = {
    ...(opts.waivers !== undefined ? { dir: opts.waivers } : {}),
    ...(opts.waiverMaxDays !== undefined ? { maxDays: opts.waiverMaxDays } : {}),
    ...(opts.warnExpiry !== undefined ? { warnDays: opts.warnExpiry } : {}),
  };
  return Object.keys(w).length > 0 ? { waivers: w } : {};
}

/** `--include pass,not_applicable`: the outcomes listed besides failures and errors, which always are. */
function parseInclude(value: string, previous: Outcome[] = []): Outcome[] {
  const allowed: Outcome[] = ['pass', 'not_applicable'];
  const out = [...previous];
  for (const part of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const o = (part === 'n/a' || part === 'na' ? 'not_applicable' : part) as Outcome;
    if (!allowed.includes(o)) throw new InvalidArgumentError(`"${part}" は pass、not_applicable のどちらでもありません / "${part}" is not one of pass, not_applicable`);
    if (!out.includes(o)) out.push(o);
  }
  return out;
}

export function registerCheck(program: Command): void {
  withCommonOptions(program.command('check'), { policies: true, asOf: true, formats: FORMATS, evidence: true, config: true })
    .description('証跡をポリシーで検査する / check the evidence against the policies')
    .argument('[evidence-dir]', '証跡のディレクトリ / evidence directory', 'evidence')
    .option('--fail-on <severity>', 'この重要度以上の不適合で終了コード 1 / exit 1 on failures at or above this severity (critical|high|medium|low)', parseSeverity, 'low')
    .option('--param <rule.name=value>', 'ルールのパラメータを上書き（複数可） / override a rule parameter (repeatable)', collectParam)
    .option('--include <outcomes>', 'レポートに適合・適用外の所見も載せる（pass,not_applicable）。既定では不適合とエラーだけを載せ、ほかは件数で示す / also list passes and n/a findings (pass,not_applicable); by default only failures and errors are listed and the rest counted', parseInclude, [])
    .option('--verify-manifest <saved-json>', '保存したレポートと同じ設定で検査し直し、同じ入力から同じ所見が出るか（0）、どの入力が変わったか（1）を示す / re-run with the saved report\'s settings and say whether the same inputs gave byte-identical findings (exit 0) or which input changed (exit 1)')
    .option('--baseline <saved-json>', '前回保存した JSON レポートと所見を比べ、不適合・エラーを新規・変わらずに分け、解消したものを挙げる / compare with a saved JSON report: mark each failure and error new or unchanged, and list those resolved')
    .option('--fail-on-new', '終了コード 1 を新規の不適合（--fail-on 以上）だけで決める（--baseline と共に。エラーは引き続き 2） / exit 1 only on new failures at or above --fail-on (with --baseline; errors still exit 2)')
    .option('--waivers <dir>', '例外承認（ウェイバー）のディレクトリ（既定: 証跡の隣に waivers/ があればそれ） / folder of waiver files (default: waivers/ beside the evidence, if there is one)')
    .option('--warn-expiry <days>', '期限までこの日数以内の例外承認を「期限間近」とする（既定 30d） / flag waivers expiring within this many days (default 30d)', parseDays)
    .option('--waiver-max-days <n>', '例外承認の有効期間の上限（承認日から。既定 365 日） / longest term of a waiver, from its approval (default 365 days)', parseDays)
    .action(async (evidenceArg: string, opts: CheckCliOptions, command: Command) => {
      // kitei.config.yaml fills in what the command line did not give.
      const configured = await applyConfig(command, opts, evidenceArg);
      const evidenceDir = configured.evidenceDir;
      const fromConfig = { extraPolicyDirs: configured.extraPolicyDirs, ...(configured.params ? { params: configured.params } : {}), ...(configured.paramDecisions ? { paramDecisions: configured.paramDecisions } : {}) };
      if (opts.verifyManifest !== undefined && opts.baseline !== undefined) throw new UsageError('--verify-manifest and --baseline: give one of them');
      if (opts.verifyManifest !== undefined) return verify(evidenceDir, opts.verifyManifest, opts, configured.extraPolicyDirs);
      if (opts.failOnNew && opts.baseline === undefined) throw new UsageError('--fail-on-new needs --baseline PREVIOUS.json (the report whose findings are not new)');
      const { checkWith, loadRules } = await import('../../check.js');
      const { buildReportModel } = await import('../../report/model.js');
      const targets = await openReportTargets(opts, readDirectories(opts, evidenceDir));
      const baseline = opts.baseline !== undefined ? await readSavedReport(opts.baseline, '--baseline') : undefined;
      const asOf = opts.asOf ?? todayInJapan();
      // Failures and errors always; what --include adds; what a format lists one by one (JUnit: every outcome).
      const keep = new Set<Outcome>(['fail', 'error', 'waived', ...opts.include, ...targets.formats.flatMap((f) => FORMAT_NEEDS[f] ?? [])]);
      const options = { evidenceDir, asOf, keep, input: inputOptions(opts), ...(opts.policies ? { policiesDir: opts.policies } : {}), ...(opts.schemas ? { schemasDir: opts.schemas } : {}), ...fromConfig, ...waiverOptions(opts) };
      // check() is loadRules + checkWith; loaded here so that the report carries the clause catalog (the HTML clause table).
      const loaded = await loadRules(options);
      // Files read and records evaluated, on a terminal only (src/cli/progress.ts).
      const progress = terminalProgress(opts.lang);
      const result = await checkWith(loaded, { ...options, ...(progress.onProgress ? { onProgress: progress.onProgress } : {}), onNotice: (n) => process.stderr.write(`kitei: ${n[opts.lang]}\n`) }).finally(progress.end);
      const code = exitCode(result.findings, opts.failOn);
      const model = buildReportModel({ ...result, ...(loaded.catalog ? { catalog: loaded.catalog } : {}) }, { version: VERSION, failOn: opts.failOn, exitCode: code, lang: opts.lang });
      // --baseline: findings marked new/unchanged, the resolved listed; --fail-on-new: the exit code counts only new failures.
      const report = baseline ? (await import('../../report/baseline.js')).withBaseline(model, baseline, opts.baseline!, opts.failOnNew ?? false) : model;
      await writeReports(targets, report, opts.lang, opts.include);
      process.exitCode = report.exitCode;
    });
}

/**
 * `--verify-manifest SAVED.json`: the check again, on the evidence, policies and schemas given,
 * with the saved run's as-of date, fail-on, overrides and listed outcomes; then the comparison.
 */
async function verify(evidenceDir: string, savedFile: string, opts: CheckCliOptions, extraPolicyDirs: string[]): Promise<void> {
  const { readFile } = await import('node:fs/promises');
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
    extraPolicyDirs,
    ...(opts.policies ? { policiesDir: opts.policies } : {}),
    ...(opts.schemas ? { schemasDir: opts.schemas } : {}),
  });
  const current = buildReportModel(result, { version: VERSION, failOn: saved.failOn, exitCode: exitCode(result.findings, saved.failOn), lang: manifest.language });
  const v = verifyManifest({ ...saved, manifest }, { ...current, manifest: current.manifest! });
  await out(verificationText(v, savedFile, opts.lang));
  process.exitCode = verified(v) ? 0 : 1;
}
