import { InvalidArgumentError, type Command } from 'commander';
import { createRequire } from 'node:module';
import { SEVERITIES, type Severity } from '../core/findings.js';
import { LANGS, type Lang } from '../core/lang.js';
import type { ParamOverrides } from '../engine/cel/compile.js';
import { FORMATS, type Format } from '../report/formats.js';
import { DEFAULT_POLICIES_DIR, DEFAULT_SCHEMAS_DIR } from '../defaults.js';

// The YAML parser is loaded only when a --param value needs reading: most runs never do.
const parseYaml = (text: string, options: { version: '1.2' }): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text, options);
import { DEFAULT_LIMITS, formatSize, parseSize } from '../core/limits.js';
import type { LoadOptions } from '../evidence/load.js';
import type { ReadDirectories } from './io.js';

export function oneOf<T extends string>(allowed: readonly T[], what: string) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`${allowed.join(', ')} のいずれかを指定 / ${what} must be one of: ${allowed.join(', ')}`);
    return value as T;
  };
}

export const parseFormat = oneOf<Format>(FORMATS, 'format');
/** Commands other than check write their own text or JSON (coverage, due, explain, rules, validate). */
export const SIMPLE_FORMATS: readonly Format[] = ['text', 'json'];
export const parseLang = oneOf<Lang>(LANGS, 'language');
export const parseSeverity = oneOf<Severity>(SEVERITIES, 'severity');

export function parseAsOf(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('日付を YYYY-MM-DD で指定 / expected a date as YYYY-MM-DD');
  return value;
}

/** --param RULE_ID.NAME=VALUE, repeatable; VALUE is read as YAML (5, true, [a, b]). */
export function collectParam(value: string, previous: ParamOverrides = {}): ParamOverrides {
  const m = /^([a-z][a-z0-9-]*)\.([A-Za-z][A-Za-z0-9]*)=(.*)$/s.exec(value);
  if (!m) throw new InvalidArgumentError('ルールID.名前=値 で指定（例: terminal-screen-lock.maxIdleMinutes=3） / expected RULE_ID.NAME=VALUE, e.g. terminal-screen-lock.maxIdleMinutes=3');
  const [, rule, name, raw] = m;
  let v: unknown;
  try {
    v = parseYaml(raw!, { version: '1.2' });
  } catch {
    throw new InvalidArgumentError(`${rule}.${name} の値を読めません / cannot read the value of ${rule}.${name}`);
  }
  return { ...previous, [rule!]: { ...(previous[rule!] ?? {}), [name!]: v } };
}

export interface CommonOptions {
  /** kitei.config.yaml, or the file --config names (src/cli/config.ts). */
  config?: string;
  policies?: string;
  schemas?: string;
  lang: Lang;
  format: Format;
  output?: string;
  followSymlinks?: boolean;
  maxFileSize?: number;
  maxTotalSize?: number;
  maxRecords?: number;
  jobs?: number;
}

function parseSizeOption(value: string): number {
  const n = parseSize(value);
  if (n === undefined) throw new InvalidArgumentError('大きさを 64M、1G、500000（バイト）のように指定 / expected a size such as 64M, 1G or 500000 (bytes)');
  return n;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError('1 以上の整数で指定 / expected a positive whole number');
  return Number(value);
}

/** How the evidence is to be read, from the options of a command that reads it. */
export function inputOptions(opts: Omit<CommonOptions, 'format'>): LoadOptions {
  return {
    followSymlinks: opts.followSymlinks ?? false,
    ...(opts.jobs ? { jobs: opts.jobs } : {}),
    limits: {
      ...DEFAULT_LIMITS,
      ...(opts.maxFileSize ? { fileBytes: opts.maxFileSize } : {}),
      ...(opts.maxTotalSize ? { totalBytes: opts.maxTotalSize } : {}),
      ...(opts.maxRecords ? { recordsPerFile: opts.maxRecords } : {}),
    },
  };
}

/** The directories a command reads, which its --output may not point into. */
export function readDirectories(opts: Omit<CommonOptions, 'format'>, evidenceDir?: string): ReadDirectories {
  return {
    ...(evidenceDir !== undefined ? { evidence: evidenceDir } : {}),
    policies: opts.policies ?? DEFAULT_POLICIES_DIR,
    schemas: opts.schemas ?? DEFAULT_SCHEMAS_DIR,
  };
}

/**
 * The options several commands share, declared once: --policies and --schemas (where to read),
 * --as-of, and --format / --output / --lang (how to write). Returns the command for chaining.
 */
export function withCommonOptions(command: Command, which: { policies?: boolean; schemas?: boolean; asOf?: boolean; format?: boolean | readonly Format[]; formats?: readonly Format[]; evidence?: boolean; config?: boolean }): Command {
  if (which.evidence) {
    command
      .option('--follow-symlinks', '証跡ディレクトリの外を指すシンボリックリンクも読む / also read symbolic links pointing outside the evidence directory')
      .option('--max-file-size <size>', `1 ファイルの上限（既定 ${formatSize(DEFAULT_LIMITS.fileBytes)}） / largest file read (default ${formatSize(DEFAULT_LIMITS.fileBytes)})`, parseSizeOption)
      .option('--max-total-size <size>', `証跡の合計の上限（既定 ${formatSize(DEFAULT_LIMITS.totalBytes)}） / largest total of evidence read (default ${formatSize(DEFAULT_LIMITS.totalBytes)})`, parseSizeOption)
      .option('--max-records <n>', `1 ファイルのレコード数の上限（既定 ${DEFAULT_LIMITS.recordsPerFile}） / most records in one file (default ${DEFAULT_LIMITS.recordsPerFile})`, parseCount)
      .option(
        '--jobs <n>',
        '証跡の読み込みと規則の評価を分け合うスレッドの数（既定 1。結果はスレッド数によらず同じ。スレッドごとに証跡の写しを持つ） / threads sharing the reading of the evidence and the evaluation of the rules (default 1; the result is the same whatever the number; each thread holds a copy of the evidence)',
        parseCount,
      );
  }
  if (which.config) command.option('--config <file>', '設定ファイル（既定: 作業ディレクトリの kitei.config.yaml があればそれ。コマンドラインのオプションが優先） / configuration file (default: kitei.config.yaml in the working directory, if there is one; command-line options win)');
  if (which.policies) command.option('--policies <dir>', 'ポリシーのディレクトリ（catalog.yaml と tests/ を含む） / policies directory, with its catalog.yaml and tests/ (default: kitei\'s own policies/)');
  if (which.schemas !== false) command.option('--schemas <dir>', '台帳スキーマのディレクトリ / register schemas directory (default: kitei\'s own schemas/)');
  if (which.asOf) command.option('--as-of <date>', '基準日 YYYY-MM-DD（既定: 今日・日本時間） / as-of date (default: today in Japan)', parseAsOf);
  if (which.format) {
    const formats = which.format === true ? SIMPLE_FORMATS : which.format;
    command.option('--format <format>', `出力形式 ${formats.join('|')} / output format`, oneOf<Format>(formats, 'format'), 'text');
  }
  if (which.formats) {
    const parse = oneOf<Format>(which.formats, 'format');
    command
      .option('--format <format>', `出力形式 ${which.formats.join('|')}（--output-dir と共に複数指定可） / output format (repeatable with --output-dir)`, (v: string, prev: Format[] = []) => (prev.includes(parse(v)) ? prev : [...prev, parse(v)]))
      .option('--output-dir <dir>', '指定した各形式を、このディレクトリに形式ごとのファイル名で書く（findings.sarif, report.md, …） / write each --format to its own file in this directory (findings.sarif, report.md, …)');
  }
  return command.option('--output <file>', '結果をファイルに書く（原子的に置き換える。証跡・ポリシー・スキーマのディレクトリの中は不可） / write the result to a file (replaced atomically; never inside the evidence, policies or schemas directory)').option('--lang <lang>', '言語 ja|en / language', parseLang, 'ja');
}
