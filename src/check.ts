import type { OnProgress } from './core/progress.js';
import { parseDate } from './core/dates.js';
import type { Localized } from './core/lang.js';
import { OUTCOMES, sortFindings, type Finding, type Outcome } from './core/findings.js';
import { problemFinding, UsageError } from './core/problems.js';
import { loadEvidence, type EvidenceSet, type LoadOptions } from './evidence/load.js';
import { compilePolicies, type CompiledPolicies, type ParamOverrides } from './engine/cel/compile.js';
import { createCelEngine, createCleanCelEngine } from './engine/cel/engine.js';
import { CelModel } from './engine/cel/values.js';
import type { CleanCompilation, PolicyBundle } from './policy/cache.js';
import { compositeEngine, loadWasmEngine, withoutRules } from './engine/wasm/index.js';
import type { PolicyEngine, RuleRun } from './engine/engine.js';
import { ruleKey, type LoadedRule } from './policy/model.js';
import { bindCatalog } from './catalog/load.js';
import type { Catalog } from './catalog/model.js';
import { loadPolicyBundles, type ExtraPolicies } from './policy/bundles.js';
import { checkPositionedOverrides } from './config/params.js';
import type { ParamDecision } from './config/load.js';
import { displayPath } from './core/paths.js';
import { loadSchemaSet, type SchemaSet } from './schema/registry.js';
import { appendAll } from './core/arrays.js';
import { withLineEnds } from './core/line-ends.js';
import { inputManifest, realDisplayPath, type InputManifest } from './report/manifest.js';
import { applyWaivers, DEFAULT_WAIVER_MAX_DAYS, DEFAULT_WAIVER_WARN_DAYS, type WaiverOutcome } from './waivers/apply.js';
import { defaultWaiversDir, loadWaivers } from './waivers/load.js';

/** Where kitei's own policies and schemas live (the defaults for --policies and --schemas). */
import { DEFAULT_POLICIES_DIR, DEFAULT_SCHEMAS_DIR } from './defaults.js';
export { DEFAULT_POLICIES_DIR, DEFAULT_SCHEMAS_DIR };

export interface CheckOptions {
  evidenceDir: string;
  policiesDir?: string;
  schemasDir?: string;
  /** The date the evidence is judged at (YYYY-MM-DD). Never defaulted here: the CLI decides "today". */
  asOf: string;
  params?: ParamOverrides;
  /** Why each overridden parameter differs from its default, by `<rule>.<param>` (the configuration's `params`). */
  paramDecisions?: Record<string, ParamDecision>;
  /** Extra policy directories (an organisation's own rules), added to the policies (src/policy/bundles.ts). */
  extraPolicyDirs?: string[];
  /** How evidence is read: size limits, symbolic links. */
  input?: LoadOptions;
  /**
   * Which rule outcomes to keep as findings (the others are counted per rule). Default: all.
   * The CLI keeps failures and errors, and what `--include` adds.
   */
  keep?: ReadonlySet<Outcome>;
  /**
   * Whether to make what a report records beyond the findings: the manifest (a sha256 of every
   * input file) and the end of each finding's region (read from the files). Default true; the
   * rule test harness, which renders no report, turns it off for its thousand small runs.
   */
  record?: boolean;
  /**
   * Waivers (src/waivers/): the folder of waiver files (default: `waivers` beside the evidence
   * folder, when there is one), the longest term allowed and the warning period before expiry.
   */
  waivers?: { dir?: string; maxDays?: number; warnDays?: number };
  /** Told how far the run has got: files read, then records evaluated. The core never prints. */
  onProgress?: OnProgress;
  /**
   * Told when the run had to change course without changing its result (a worker thread of
   * --jobs stopped, so the check ran on one thread). Without it, a process warning says so.
   */
  onNotice?: (notice: Localized) => void;
}

export interface CheckResult {
  asOf: string;
  evidence: { dir: string; files: string[]; records: number };
  policies: { dir: string; files: string[]; rules: number; extra?: ExtraPolicies[] };
  /** The parameter overrides applied, each with its default and, from the configuration, its reason. */
  overrides?: AppliedOverride[];
  /** The findings kept (all, unless CheckOptions.keep said otherwise), input problems included, in deterministic order. */
  findings: Finding[];
  /** The outcomes `findings` lists in full; the rules' runs count every outcome. */
  kept: Outcome[];
  runs: RuleRun[];
  /** The rules applied (for each id, the version in force on the as-of date), each with the parameter values it ran with. */
  rules: AppliedRule[];
  /** What the run judged: a sha256 of every evidence, policy, catalog and schema file (src/report/manifest.ts); absent with `record: false`. */
  manifest?: InputManifest;
  /** The waivers read and what became of each (absent when there is no waiver folder). */
  waivers?: { dir: string; files: string[]; outcomes: WaiverOutcome[] };
}

export type AppliedRule = LoadedRule & { params: Record<string, unknown> };

/** A parameter a run did not take at its default: from the configuration (with why and who decided) or from `--param`. */
export interface AppliedOverride {
  rule: string;
  param: string;
  value: unknown;
  default: unknown;
  source: 'config' | 'cli';
  reason?: string;
  decidedBy?: string;
  decidedOn?: string;
}

export interface Loaded {
  schemas: SchemaSet;
  engine: PolicyEngine;
  policyFiles: string[];
  /** The extra policy directories read, with their files. */
  extraPolicies: ExtraPolicies[];
  /** The clause catalog beside the policies, when there is one (kitei's own policies have it). */
  catalog?: Catalog;
  problems: Finding[];
  /** The compiled CEL rules themselves (mutation testing swaps expressions in them: src/rule-tests/mutate.ts). */
  cel?: CompiledPolicies;
}

/**
 * Loads schemas, policies and the clause catalog, holds rules and catalog to each other, and
 * compiles the rules; problems come back as findings.
 */
export async function loadRules(options: { policiesDir?: string; schemasDir?: string; params?: ParamOverrides; paramDecisions?: Record<string, ParamDecision>; extraPolicyDirs?: string[] }): Promise<Loaded> {
  const policiesDir = options.policiesDir ?? DEFAULT_POLICIES_DIR;
  const schemas = await loadSchemaSet(options.schemasDir ?? DEFAULT_SCHEMAS_DIR);
  const { policies, catalog, problems, extra, clean } = await loadPolicyBundles(policiesDir, options.extraPolicyDirs);
  const catalogProblems: Finding[] = [];
  // Overrides written in the configuration are reported at their line there.
  const sites = Object.fromEntries(Object.entries(options.paramDecisions ?? {}).map(([k, d]) => [k, d.location]));
  // Rego rules compiled to Wasm (src/engine/wasm/): manifests beside the policies, a second engine.
  const wasm = await loadWasmEngine([policiesDir, ...(options.extraPolicyDirs ?? [])], schemas, options.params ?? {});
  if (catalog) appendAll(catalogProblems, bindCatalog(catalog, [...policies.rules, ...wasm.rules]));
  const params = options.params ? checkPositionedOverrides([...policies.rules, ...wasm.rules], options.params, sites) : { params: undefined, problems: [] };
  const overrides = params.params && withoutRules(params.params, wasm.rules);
  const enforcedOn = catalog?.regulation.enforcedOn ?? '';
  const common = { schemas, policyFiles: [...policies.files, ...wasm.files], extraPolicies: extra, ...(catalog ? { catalog } : {}) };
  const loadProblems = [...problems, ...wasm.problems, ...catalogProblems, ...params.problems];
  if (clean && clean.schemas === schemas.digest && clean.enforcedOn === enforcedOn && Object.keys(overrides ?? {}).length === 0) {
    // Compiled and linted clean when the cache entry was built, against these very schemas:
    // nothing to report, so nothing is compiled until a rule is evaluated.
    const cel = createCleanCelEngine(policies, schemas, enforcedOn);
    const engine = wasm.engine ? compositeEngine([cel.engine, wasm.engine]) : cel.engine;
    return {
      ...common,
      engine,
      problems: loadProblems,
      get cel() {
        return cel.compiled;
      },
    };
  }
  // kitei lint's cheap checks of compiled rules run at every load: a misspelt enum literal would
  // otherwise make a rule silently find nothing (the others are for `kitei lint` and `kitei test`).
  const cel = createCelEngine(policies, schemas, overrides, enforcedOn);
  const engine = wasm.engine ? compositeEngine([cel.engine, wasm.engine]) : cel.engine;
  // Imported here: a clean cache entry (above) needs no lint.
  const { lintAtLoad } = await import('./lint/lint.js');
  return { ...common, engine, problems: [...loadProblems, ...cel.problems, ...lintAtLoad(cel.compiled)], cel: cel.compiled };
}

/**
 * For the policy cache's build (scripts/build-policy-cache.mjs): compiles a bundle's rules as
 * every load does, against the register schemas of `schemasDir`, and says whether they compiled
 * and linted clean (recorded in the entry, so that runs with these schemas skip both).
 */
export async function cleanCompilation(bundle: PolicyBundle, schemasDir = DEFAULT_SCHEMAS_DIR): Promise<CleanCompilation | undefined> {
  const schemas = await loadSchemaSet(schemasDir);
  const { lintAtLoad } = await import('./lint/lint.js');
  const enforcedOn = bundle.catalog?.regulation.enforcedOn ?? '';
  const { compiled, problems } = compilePolicies(bundle.policies, new CelModel(schemas), {}, enforcedOn);
  const clean = problems.length === 0 && lintAtLoad(compiled).length === 0 && compiled.rules.length === bundle.policies.rules.length && compiled.lookups.length === bundle.policies.lookups.length;
  return clean && schemas.digest ? { schemas: schemas.digest, enforcedOn } : undefined;
}

/**
 * The whole check as a pure function of its inputs and the as-of date: load and validate the
 * evidence, load and compile the policies, evaluate, and return every finding. No console
 * output, no process.exit: the CLI and tests both call this.
 */
export async function check(options: CheckOptions): Promise<CheckResult> {
  return checkWith(await loadRules(options), options);
}

/** The check with rules already loaded: test harnesses reuse one compilation across many cases. */
export async function checkWith(loaded: Loaded, options: CheckOptions): Promise<CheckResult> {
  assertAsOf(options.asOf);
  const findings: Finding[] = [...loaded.problems];
  let read: Awaited<ReturnType<typeof readAndEvaluate>>;
  try {
    read = await readAndEvaluate(loaded, options, options.input?.jobs ?? 1);
  } catch (e) {
    // A worker thread of --jobs that stops (out of memory, say) costs its help, not the check:
    // one thread gives the very same result. Told as a process warning (the core never prints).
    if (!(e instanceof Error && e.name === 'WorkerFailure')) throw e;
    const cause = e.cause instanceof Error ? e.cause.message : e.message;
    const notice = { ja: `--jobs のワーカースレッドが止まったため（${cause}）、1 スレッドで検査し直しました`, en: `${e.message}; the check was run again on one thread (--jobs 1)` };
    if (options.onNotice) options.onNotice(notice);
    else process.emitWarning(notice.en, { code: 'KITEI_JOBS_FALLBACK' });
    read = await readAndEvaluate(loaded, options, 1);
  }
  const { evidence, evaluated } = read;
  appendAll(findings, [...evidence.problems, ...missingRegisters(loaded.engine, evidence), ...templateNotice(evidence)]);
  const waived = await withWaivers(loaded, evidence, evaluated, options);
  appendAll(findings, waived.findings);
  const policiesDir = options.policiesDir ?? DEFAULT_POLICIES_DIR;
  const record = options.record !== false;
  const manifest = !record ? undefined : await inputManifest({
    asOf: options.asOf,
    ...(options.params ? { params: options.params } : {}),
    evidenceDir: options.evidenceDir,
    evidenceFiles: evidence.files,
    policiesDir,
    policyFiles: loaded.policyFiles,
    ...(loaded.extraPolicies.length > 0 ? { extraPolicies: loaded.extraPolicies } : {}),
    schemasDir: options.schemasDir ?? DEFAULT_SCHEMAS_DIR,
    ...(waived.waivers ? { waiversDir: waived.waivers.dir, waiverFiles: waived.waivers.files } : {}),
  });
  return {
    asOf: options.asOf,
    evidence: { dir: options.evidenceDir, files: evidence.files, records: evidence.documents.reduce((n, d) => n + d.records.length, 0) },
    // The policies really used, wherever kitei is installed (not the literal "policies").
    policies: {
      dir: manifest?.policies.dir ?? (await realDisplayPath(policiesDir)),
      files: loaded.policyFiles,
      rules: loaded.engine.rules.length,
      ...(loaded.extraPolicies.length > 0 ? { extra: loaded.extraPolicies.map((e) => ({ ...e, dir: displayPath(e.dir) })) } : {}),
    },
    ...(options.params && Object.keys(options.params).length > 0 ? { overrides: appliedOverrides(loaded.engine, options.params, options.paramDecisions ?? {}) } : {}),
    findings: record ? await withLineEnds(sortFindings(findings)) : sortFindings(findings),
    kept: OUTCOMES.filter((o) => !options.keep || options.keep.has(o) || o === 'waived'),
    runs: waived.runs,
    rules: appliedRules(loaded.engine, waived.runs),
    ...(manifest ? { manifest } : {}),
    ...(waived.waivers ? { waivers: waived.waivers } : {}),
  };
}

/** The evidence read and the rules evaluated, on `jobs` threads (src/threads/) or on this one. */
async function readAndEvaluate(loaded: Loaded, options: CheckOptions, jobs: number): Promise<{ evidence: EvidenceSet; evaluated: { findings: Finding[]; runs: RuleRun[] } }> {
  const input = options.onProgress ? { ...options.input, onProgress: options.onProgress } : options.input;
  // --jobs: worker threads share the reading and the evaluation; they load the rules themselves, meanwhile.
  const threads = jobs > 1 ? (await import('./threads/host.js')).CheckThreads.start(ruleOptions(options), jobs - 1, loaded.engine.name === 'cel') : undefined;
  try {
    const evidence = threads ? await threads.loadEvidence(options.evidenceDir, loaded, options.asOf, input) : await loadEvidence(options.evidenceDir, loaded.schemas, input);
    const records = evidence.documents.reduce((n, d) => n + d.records.length, 0);
    options.onProgress?.({ phase: 'evaluate', records, rules: loaded.engine.rules.length });
    // Templates not filled in yet are not judged: rules reading them are not applicable (they say why).
    const judged = judgedDocuments(evidence);
    const unavailable = unavailableRegisters(loaded.engine, evidence);
    const evaluate = { ...(options.keep ? { keep: options.keep } : {}), templates: evidence.templateRegisters };
    const evaluated = threads ? await threads.evaluate(loaded, judged, options.asOf, unavailable, evaluate) : loaded.engine.evaluate(judged, options.asOf, unavailable, evaluate);
    options.onProgress?.({ phase: 'done', records, rules: loaded.engine.rules.length });
    return { evidence, evaluated };
  } finally {
    await threads?.close();
  }
}

/** How `loadRules` was called for these options (a worker thread of --jobs loads the same rules). */
function ruleOptions(options: CheckOptions): Parameters<typeof loadRules>[0] {
  return {
    ...(options.policiesDir !== undefined ? { policiesDir: options.policiesDir } : {}),
    ...(options.schemasDir !== undefined ? { schemasDir: options.schemasDir } : {}),
    ...(options.params ? { params: options.params } : {}),
    ...(options.paramDecisions ? { paramDecisions: options.paramDecisions } : {}),
    ...(options.extraPolicyDirs ? { extraPolicyDirs: options.extraPolicyDirs } : {}),
  };
}

/**
 * The evaluation's findings with the waivers applied: failures a waiver in force covers become
 * `waived`, and the waivers' own problems are added. Without a waiver folder, the findings as
 * they are.
 */
async function withWaivers(loaded: Loaded, evidence: EvidenceSet, evaluated: { findings: Finding[]; runs: RuleRun[] }, options: CheckOptions): Promise<{ findings: Finding[]; runs: RuleRun[]; waivers?: NonNullable<CheckResult['waivers']> }> {
  const dir = options.waivers?.dir ?? defaultWaiversDir(options.evidenceDir);
  if (dir === undefined) return evaluated;
  const read = await loadWaivers(dir, loaded.schemas, options.input);
  const { documents, problems } = read;
  const applied = applyWaivers(
    evaluated.findings,
    evaluated.runs,
    { waivers: documents, evidence: evidence.documents, unreadable: evidence.unreadableRegisters, rules: appliedRules(loaded.engine, evaluated.runs) },
    {
      asOf: options.asOf,
      maxDays: options.waivers?.maxDays ?? DEFAULT_WAIVER_MAX_DAYS,
      warnDays: options.waivers?.warnDays ?? DEFAULT_WAIVER_WARN_DAYS,
      enforcedOn: loaded.catalog?.regulation.enforcedOn ?? '',
    },
  );
  return { findings: [...applied.findings, ...problems, ...applied.problems], runs: applied.runs, waivers: { dir, files: read.files, outcomes: applied.waivers } };
}

/** The overrides that reached a rule (a rejected one is a problem instead), by rule and parameter. */
function appliedOverrides(engine: PolicyEngine, params: ParamOverrides, decisions: Record<string, ParamDecision>): AppliedOverride[] {
  const out: AppliedOverride[] = [];
  for (const [rule, values] of Object.entries(params)) {
    for (const [param, value] of Object.entries(values)) {
      const declared = engine.rules.map((r) => (r.rule.id === rule ? r.rule.parameters?.[param] : undefined)).find((p) => p !== undefined);
      if (!declared) continue;
      const d = decisions[`${rule}.${param}`];
      out.push({ rule, param, value, default: declared.default, source: d ? 'config' : 'cli', ...(d ? { reason: d.reason, decidedBy: d.decidedBy, ...(d.decidedOn ? { decidedOn: d.decidedOn } : {}) } : {}) });
    }
  }
  return out.sort((a, b) => (a.rule === b.rule ? (a.param < b.param ? -1 : 1) : a.rule < b.rule ? -1 : 1));
}

/** The rule versions a run applied, in the order of the policy files. */
function appliedRules(engine: PolicyEngine, runs: RuleRun[]): AppliedRule[] {
  const applied = new Set(runs.map((r) => `${r.ruleId}@${r.version}`));
  return engine.rules.filter((r) => applied.has(ruleKey(r.rule))).map((r) => ({ ...r, params: engine.paramsOf(r) }));
}

/** `kitei validate`: schemas, ids and references only, no policies. */
export async function validateEvidence(options: { evidenceDir: string; schemasDir?: string; input?: LoadOptions }): Promise<{ files: string[]; records: number; findings: Finding[] }> {
  const schemas = await loadSchemaSet(options.schemasDir ?? DEFAULT_SCHEMAS_DIR);
  const evidence = await loadEvidence(options.evidenceDir, schemas, options.input);
  return { files: evidence.files, records: evidence.documents.reduce((n, d) => n + d.records.length, 0), findings: sortFindings(evidence.problems) };
}

/** Registers nothing may be judged against: unreadable, or with no evidence at all. */
export function unavailableRegisters(engine: PolicyEngine, evidence: EvidenceSet): Set<string> {
  const present = new Set(evidence.documents.map((d) => d.register));
  return new Set([...evidence.unreadableRegisters, ...[...engine.registers].filter((r) => !present.has(r))]);
}

/** The evidence rules judge: every document but the unfilled `kitei init` templates. */
export function judgedDocuments(evidence: EvidenceSet): EvidenceSet['documents'] {
  return evidence.templateRegisters.size === 0 ? evidence.documents : evidence.documents.filter((d) => !d.template);
}

/**
 * The registers still `kitei init` templates, named once: a notice (not applicable), never a
 * failure, so that a new evidence repository passes its first check and says what is left to fill in.
 */
function templateNotice(evidence: EvidenceSet): Finding[] {
  if (evidence.templateRegisters.size === 0) return [];
  const registers = [...evidence.templateRegisters].sort().join(', ');
  return [{ ...problemFinding('evidence/templates', undefined, { registers }, { severity: 'low' }), outcome: 'not_applicable' }];
}

function missingRegisters(engine: PolicyEngine, evidence: EvidenceSet): Finding[] {
  const present = new Set([...evidence.documents.map((d) => d.register), ...evidence.unreadableRegisters, ...evidence.missingRegisters]);
  return [...engine.registers].filter((r) => !present.has(r)).sort().map((register) => problemFinding('evidence/register-missing', undefined, { register }));
}

export function assertAsOf(asOf: string): void {
  try {
    parseDate(asOf);
  } catch (e) {
    throw new UsageError(`--as-of: ${(e as Error).message}`);
  }
}
