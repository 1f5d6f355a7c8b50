import path from 'node:path';
import type { Command } from 'commander';
import type { ParamDecision, KiteiConfig } from '../config/load.js';
import type { Severity } from '../core/findings.js';
import type { Lang } from '../core/lang.js';
import { UsageError } from '../core/problems.js';
import type { ParamOverrides } from '../engine/cel/compile.js';
import type { Format } from '../report/formats.js';

/** The options a configuration can set, as the commands name them. */
export interface ConfigurableOptions {
  config?: string;
  lang: Lang;
  failOn?: Severity;
  asOf?: string;
  format?: Format[] | Format;
  output?: string;
  outputDir?: string;
  param?: ParamOverrides;
  waivers?: string;
}

/** What a command runs with once the configuration is applied, besides its options. */
export interface Configured {
  config?: KiteiConfig;
  /** The evidence directory: the argument when given, else the configuration's, else `fallback`. */
  evidenceDir: string;
  /** Extra policy directories (the configuration's `policies`). */
  extraPolicyDirs: string[];
  /** Every override, the configuration's with `--param` over them. */
  params?: ParamOverrides;
  /** Why each configuration override was made, for those `--param` did not replace. */
  paramDecisions?: Record<string, ParamDecision>;
}

/**
 * Reads kitei.config.yaml (or `--config FILE`) and fills in every option the command line did not
 * give: the command line always wins, and an explicit `--param` replaces the configuration's
 * override of the same parameter (and its reason). A configuration with problems stops the
 * command (exit 2) with each problem at its line and column.
 */
export async function applyConfig<O extends ConfigurableOptions>(command: Command, opts: O, evidenceArg: string | undefined, fallback = 'evidence'): Promise<Configured> {
  const { loadConfig, splitKey } = await import('../config/load.js');
  const { config, problems } = await loadConfig(opts.config);
  if (problems.length > 0) {
    const { findingLines } = await import('../report/text.js');
    const file = problems[0]!.location?.file ?? opts.config ?? 'kitei.config.yaml';
    const head = opts.lang === 'ja' ? `${file}: 設定ファイルに問題があります（${problems.length} 件）。直すまで実行しません。` : `${file}: the configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing is run until it is fixed.`;
    throw new UsageError([head, ...problems.flatMap((p) => findingLines(p, opts.lang))].join('\n'));
  }
  const given = evidenceArg !== undefined && command.args.length > 0;
  const evidenceDir = given ? evidenceArg : config?.evidence !== undefined ? shown(config.evidence) : (evidenceArg ?? fallback);
  if (!config) return { evidenceDir, extraPolicyDirs: [], ...(opts.param ? { params: opts.param } : {}) };
  const fromCli = (name: string) => command.getOptionValueSource(name) === 'cli';
  const o = opts as ConfigurableOptions;
  if (config.lang !== undefined && !fromCli('lang')) o.lang = config.lang;
  if (config.failOn !== undefined && 'failOn' in opts && !fromCli('failOn')) o.failOn = config.failOn;
  if (config.asOf !== undefined && o.asOf === undefined && command.options.some((x) => x.attributeName() === 'asOf')) o.asOf = config.asOf;
  if (config.waivers !== undefined && o.waivers === undefined && command.options.some((x) => x.attributeName() === 'waivers')) o.waivers = shown(config.waivers);
  // Formats and where they go come as a pair: a command line naming either decides both.
  const reportOptions = command.options.some((x) => x.attributeName() === 'outputDir');
  if (reportOptions && o.format === undefined && o.output === undefined && o.outputDir === undefined) {
    if (config.formats !== undefined) o.format = config.formats;
    if (config.outputDir !== undefined) o.outputDir = shown(config.outputDir);
  }
  // The configuration's overrides, each replaced by a --param of the same rule and parameter.
  const params: ParamOverrides = {};
  const paramDecisions: Record<string, ParamDecision> = {};
  for (const [key, decision] of Object.entries(config.decisions)) {
    const [rule, name] = splitKey(key);
    if (opts.param?.[rule] && name in opts.param[rule]) continue;
    params[rule] = { ...(params[rule] ?? {}), [name]: config.params[rule]![name] };
    paramDecisions[key] = decision;
  }
  for (const [rule, values] of Object.entries(opts.param ?? {})) params[rule] = { ...(params[rule] ?? {}), ...values };
  return {
    config,
    evidenceDir,
    extraPolicyDirs: config.policies,
    ...(Object.keys(params).length > 0 ? { params } : {}),
    ...(Object.keys(paramDecisions).length > 0 ? { paramDecisions } : {}),
  };
}

/** A path from the configuration (absolute) as the reports name it: relative to the working directory when below it. */
function shown(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel === '' ? '.' : !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}
