import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Finding, Location, Severity } from '../core/findings.js';
import type { Lang } from '../core/lang.js';
import { displayPath } from '../core/paths.js';
import { problemFinding } from '../core/problems.js';
import type { SourceFile } from '../core/source.js';
import { readYamlFile } from '../core/yaml-file.js';
import type { ParamOverrides } from '../engine/cel/compile.js';
import type { Format } from '../report/formats.js';
import { describeErrors, errorPointer, shippedValidator } from '../schema/registry.js';

/**
 * `kitei.config.yaml`: the settings of an evidence repository, set once instead of on every
 * command line. Found in the working directory, or given with `--config`. Relative paths in it
 * resolve against the file's own folder, so the same file works from wherever kitei is run.
 */
export const CONFIG_FILE = 'kitei.config.yaml';
/** The configuration schema ships with kitei, like the policy schema. */
export const CONFIG_SCHEMA_PATH = fileURLToPath(new URL('../../schemas/config.schema.json', import.meta.url));

/** Why a parameter differs from its default, and who decided it (`params` in the configuration). */
export interface ParamDecision {
  reason: string;
  decidedBy: string;
  decidedOn?: string;
  /** Where the override is written (the `<rule>.<param>` key in the configuration). */
  location: Location;
}

/**
 * The configuration as a run uses it: the file's settings, with every path (evidence, outputDir,
 * policies, waivers) absolute (resolved against the file's folder), and its parameter overrides
 * split into values and decisions.
 */
export interface KiteiConfig extends Omit<RawConfig, 'policies' | 'params'> {
  /** The file as reports name it. */
  file: string;
  /** Extra policy directories, added to the bundled policies. */
  policies: string[];
  /** The overridden values, rule id → parameter → value (what `--param` gives too). */
  params: ParamOverrides;
  /** Per `<rule>.<param>`: the reason and who decided. */
  decisions: Record<string, ParamDecision>;
}

interface RawOverride {
  value: unknown;
  reason: string;
  decidedBy: string;
  decidedOn?: string;
}

interface RawConfig {
  evidence?: string;
  lang?: Lang;
  failOn?: Severity;
  asOf?: string;
  formats?: Format[];
  outputDir?: string;
  policies?: string[];
  params?: Record<string, RawOverride>;
  waivers?: string;
}

const TOP_KEYS = ['evidence', 'lang', 'failOn', 'asOf', 'formats', 'outputDir', 'policies', 'params', 'waivers'];
const OVERRIDE_KEYS = ['value', 'reason', 'decidedBy', 'decidedOn'];

/**
 * Reads the configuration: the file given (`--config`), else `kitei.config.yaml` in `cwd` when
 * there is one, else none. A configuration with any problem is not used: its problems come back
 * (each with file, line, column and a `config/…` code) and the command stops.
 */
export async function loadConfig(given: string | undefined, cwd = process.cwd()): Promise<{ config?: KiteiConfig; problems: Finding[] }> {
  const file = given !== undefined ? path.resolve(cwd, given) : path.join(cwd, CONFIG_FILE);
  if (given === undefined && !existsSync(file)) return { problems: [] };
  const shown = displayPath(file);
  if (!existsSync(file)) return { problems: [problemFinding('config/not-found', { file: shown, pointer: '', line: 1, column: 1 }, { file: shown })] };
  const parsed = await readYamlFile(file, shown, 'config');
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  // An empty file is an empty configuration (every setting at its default).
  const value = parsed.value ?? {};
  const validate = await shippedValidator(CONFIG_SCHEMA_PATH);
  if (!validate(value)) return { problems: configProblems(validate.errors ?? [], parsed.source) };
  const raw = value as RawConfig;
  const dir = path.dirname(file);
  const at = (p: string | undefined) => (p === undefined ? undefined : path.resolve(dir, p));
  const params: ParamOverrides = {};
  const decisions: Record<string, ParamDecision> = {};
  for (const [key, o] of Object.entries(raw.params ?? {})) {
    const [rule, name] = splitKey(key);
    params[rule] = { ...(params[rule] ?? {}), [name]: o.value };
    decisions[key] = { reason: o.reason, decidedBy: o.decidedBy, ...(o.decidedOn !== undefined ? { decidedOn: o.decidedOn } : {}), location: parsed.source.locate(`/params/${key}`) };
  }
  const config: KiteiConfig = {
    file: shown,
    ...(raw.evidence !== undefined ? { evidence: at(raw.evidence)! } : {}),
    ...(raw.lang !== undefined ? { lang: raw.lang } : {}),
    ...(raw.failOn !== undefined ? { failOn: raw.failOn } : {}),
    ...(raw.asOf !== undefined ? { asOf: raw.asOf } : {}),
    ...(raw.formats !== undefined ? { formats: raw.formats } : {}),
    ...(raw.outputDir !== undefined ? { outputDir: at(raw.outputDir)! } : {}),
    policies: (raw.policies ?? []).map((p) => at(p)!),
    params,
    decisions,
    ...(raw.waivers !== undefined ? { waivers: at(raw.waivers)! } : {}),
  };
  return { config, problems: [] };
}

/** `terminal-screen-lock.maxIdleMinutes` → rule id and parameter name (the schema holds the key to that form). */
export function splitKey(key: string): [string, string] {
  const dot = key.lastIndexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/** Schema violations as problems: an unknown key gets its own code and the keys allowed there. */
function configProblems(errors: ErrorObject[], source: SourceFile): Finding[] {
  // ajv reports a key that breaks `propertyNames` twice (the pattern, then propertyNames): once is enough.
  const shown = errors.filter((e) => e.keyword !== 'propertyNames');
  return describeErrors(shown).map(({ error, message }) => {
    const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
    const pointer = propertyName !== undefined ? `${error.instancePath}/${propertyName}` : errorPointer(error);
    const where = source.locate(pointer);
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      return problemFinding('config/unknown-key', where, { key, known: (error.instancePath === '' ? TOP_KEYS : OVERRIDE_KEYS).join(', ') });
    }
    const detail = propertyName !== undefined ? { ja: `${pointer}: キーは <ルールID>.<パラメータ名> の形で書きます`, en: `${pointer}: a key is written <rule-id>.<parameter>` } : { ja: `${pointer || '/'}: ${message.ja}`, en: `${pointer || '/'}: ${message.en}` };
    return problemFinding('config/schema', where, { detail });
  });
}
