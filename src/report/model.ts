import { CLAUSE_STATUSES, type Catalog, type ClauseStatus } from '../catalog/model.js';
import type { AppliedOverride, CheckResult } from '../check.js';
import { clauseEn, clauseJa, compareClauses, type Clause } from '../core/clause.js';
import { noOutcomes, OUTCOMES, SEVERITIES, type Finding, type Location, type Outcome, type Severity, type WaiverRef } from '../core/findings.js';
import type { WaiverOutcome } from '../waivers/apply.js';
import { LANGS, type Lang, type Localized } from '../core/lang.js';
import { maskPersonalNumbers } from '../core/personal-number.js';
import { UsageError } from '../core/problems.js';
import { isBaselineJson, type BaselineJson, type BaselineMark } from './baseline.js';
import { reportManifest, type Manifest } from './manifest.js';
import { summarize, type Counts, type Summary } from './summary.js';

/**
 * What every report renders: the content of the JSON report (format 3, docs/json-format.md),
 * as a value. `kitei check` builds it from the check's result; `kitei report SAVED.json` reads it
 * back from a saved JSON report. Reporters see only this, so a report rendered later from the
 * JSON is byte for byte the one `check` would have written.
 *
 * Built once per run: the findings' JSON form, the summary, the rules with their metadata and
 * the manifest, with every personal number (個人番号) already masked, so that anything a
 * reporter derives from a string (a fingerprint, a cut to a length limit) is derived from what
 * the saved JSON holds.
 */
export const JSON_FORMAT_VERSION = 3 as const;
/** Saved reports of these formats are read back (2: before waivers; no finding is `waived`). */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [2, 3];

export type ClauseJson = Clause & Localized;

export interface FindingJson {
  ruleId: string;
  assertion?: string;
  outcome: Outcome;
  severity: Severity;
  code?: string;
  clauses: ClauseJson[];
  message: Localized;
  recordId?: string;
  location: Location | null;
  params?: Record<string, unknown>;
  /** With --baseline, on fail, error and waived findings: whether the baseline report had it (by fingerprint). */
  baseline?: BaselineMark;
  /** On a waived finding: the waiver that accepts it. */
  waiver?: WaiverRef;
}

/** The waivers a run read and what became of each (src/waivers/apply.ts). */
export interface WaiversJson {
  dir: string;
  files: string[];
  list: WaiverOutcome[];
}

export interface Period {
  from?: string;
  until?: string;
}

export interface RuleJson {
  id: string;
  version: number;
  clauses: ClauseJson[];
  severity: Severity;
  register: string;
  title: Localized;
  quote: string;
  remediation: Localized;
  /** When this version is in force: its own period narrowed by when its clauses took effect. */
  effective: Period;
  /** The period the policy file itself declares for this version, when it declares one. */
  declaredEffective?: Period;
  params: Record<string, unknown>;
  file: string;
  evaluated: number;
  outcomes: Counts;
}

/**
 * A parameter the run did not take at its default: from kitei.config.yaml (`source: config`, with
 * the reason and who decided it) or from `--param` (`source: cli`, which records no reason).
 */
export type OverrideJson = AppliedOverride;

/** One clause of the regulation as the report carries it: what the HTML report's clause table and clause map show. */
export interface CatalogClauseJson {
  clause: ClauseJson;
  /** The article's heading (見出し), on an article's first clause. */
  heading?: string;
  /** The regulation's words (Japanese: the regulation has no official English). */
  text: string;
  /** What the clause says, in English. */
  summary: string;
  status: ClauseStatus;
  /** Why an organizational or informational clause is not checked against evidence. */
  reason?: Localized;
}

/** The clause catalog the run was checked against, so that a saved report can show coverage without the policies. */
export interface CatalogJson {
  regulation: { title: string; titleEn: string; enforcedOn: string };
  /** Every article, paragraph and item, in the regulation's order. */
  clauses: CatalogClauseJson[];
}

export interface ReportModel {
  formatVersion: typeof JSON_FORMAT_VERSION;
  tool: { name: 'kitei'; version: string };
  asOf: string;
  failOn: Severity;
  exitCode: number;
  evidence: { dir: string; files: string[]; records: number };
  /** `extra`: the extra policy directories (kitei.config.yaml `policies`), when there are any. */
  policies: { dir: string; files: string[]; rules: number; extra?: { dir: string; files: string[]; catalog: boolean }[] };
  included: Outcome[];
  summary: Summary;
  rules: RuleJson[];
  /** The parameters not at their default, with the reason each was changed (absent when none was). */
  overrides?: OverrideJson[];
  /** Absent only in JSON reports saved before kitei recorded it. */
  manifest?: Manifest;
  /** Absent when the policies have no catalog, and in JSON reports saved before kitei recorded it. */
  catalog?: CatalogJson;
  /** The waivers read (absent when there is no waiver folder). */
  waivers?: WaiversJson;
  /** With --baseline: the report compared with, the counts and the findings resolved since. */
  baseline?: BaselineJson;
  findings: FindingJson[];
}

/** How a report is rendered: only the language; everything else is in the model. */
export interface RenderContext {
  lang: Lang;
}

/**
 * A reporter is a pure function from the model to the text of one output format: one string, or
 * pieces written one after another (a large report is never one string). A piece never splits a
 * finding, so a personal number never straddles two pieces.
 */
export type Reporter = (model: ReportModel, ctx: RenderContext) => string | Iterable<string>;

export interface RunSettings {
  version: string;
  failOn: Severity;
  exitCode: number;
  lang: Lang;
}

/**
 * The model of a check's result: what `check --format json` writes, as a value. The clause
 * catalog comes with the result when the policies have one.
 */
export function buildReportModel(result: CheckResult & { catalog?: Catalog }, run: RunSettings): ReportModel {
  const head = asJson<Omit<ReportModel, 'findings'>>({
    formatVersion: JSON_FORMAT_VERSION,
    tool: { name: 'kitei', version: run.version },
    asOf: result.asOf,
    failOn: run.failOn,
    exitCode: run.exitCode,
    evidence: result.evidence,
    policies: result.policies,
    included: result.kept,
    summary: summarize(result),
    rules: rulesApplied(result),
    ...(result.overrides && result.overrides.length > 0 ? { overrides: result.overrides } : {}),
    ...(result.manifest ? { manifest: reportManifest(result.manifest, run) } : {}),
    ...(result.catalog ? { catalog: catalogToJson(result.catalog) } : {}),
    ...(result.waivers ? { waivers: { dir: result.waivers.dir, files: result.waivers.files, list: result.waivers.outcomes } } : {}),
  });
  const normalised = new WeakMap<object, Record<string, unknown>>();
  const findings = result.findings.map((f) => {
    const json = findingToJson(f);
    // Parameter values as they read back from JSON (shared by a rule's findings: converted once).
    if (f.params) {
      let p = normalised.get(f.params);
      if (!p) normalised.set(f.params, (p = asJson(f.params)));
      json.params = p;
    }
    return masked(json);
  });
  return { ...head, findings };
}

/** A finding as the JSON report (and so every report) shows it. */
export function findingToJson(f: Finding): FindingJson {
  return {
    ruleId: f.ruleId,
    ...(f.assertion ? { assertion: f.assertion } : {}),
    outcome: f.outcome,
    severity: f.severity,
    ...(f.code ? { code: f.code } : {}),
    clauses: (f.clauses ?? []).map(clauseToJson),
    message: f.message,
    ...(f.recordId ? { recordId: f.recordId } : {}),
    location: f.location ? locationToJson(f.location) : null,
    ...(f.params ? { params: f.params } : {}),
    ...(f.waiver ? { waiver: { ...f.waiver, ...(f.waiver.location ? { location: locationToJson(f.waiver.location) } : {}) } } : {}),
  };
}

function clauseToJson(c: Clause): ClauseJson {
  return { ...c, ja: clauseJa(c), en: clauseEn(c) };
}

function locationToJson(l: Location): Location {
  return {
    file: l.file,
    pointer: l.pointer,
    line: l.line,
    column: l.column,
    ...(l.endLine !== undefined && l.endColumn !== undefined ? { endLine: l.endLine, endColumn: l.endColumn } : {}),
  };
}

/** The rules the run applied, with what an auditor needs to reproduce and judge each finding, sorted by id. */
function rulesApplied(result: CheckResult): RuleJson[] {
  const runs = new Map(result.runs.map((r) => [r.ruleId, r]));
  return [...result.rules]
    .sort((a, b) => (a.rule.id < b.rule.id ? -1 : 1))
    .map(({ rule, source, params, inForce }) => ({
      id: rule.id,
      version: rule.version ?? 1,
      clauses: rule.clauses.map(clauseToJson),
      severity: rule.severity,
      register: rule.register,
      title: rule.title,
      quote: rule.quote,
      remediation: rule.remediation,
      effective: inForce ?? rule.effective ?? {},
      ...(rule.effective ? { declaredEffective: rule.effective } : {}),
      params,
      file: source.path,
      evaluated: runs.get(rule.id)?.evaluated ?? 0,
      outcomes: runs.get(rule.id)?.outcomes ?? noOutcomes(),
    }));
}

function catalogToJson(catalog: Catalog): CatalogJson {
  return {
    regulation: { title: catalog.regulation.title, titleEn: catalog.regulation.titleEn, enforcedOn: catalog.regulation.enforcedOn },
    clauses: [...catalog.clauses]
      .sort((a, b) => compareClauses(a.clause, b.clause))
      .map((e) => ({
        clause: clauseToJson(e.clause),
        ...(e.heading !== undefined ? { heading: e.heading } : {}),
        text: e.text,
        summary: e.summary,
        status: e.status,
        ...(e.reason ? { reason: { ja: e.reason.ja, en: e.reason.en } } : {}),
      })),
  };
}

/** The model in another language: only the manifest's `language` says which (the digest leaves it out). */
export function inLanguage(model: ReportModel, lang: Lang): ReportModel {
  if (!model.manifest || model.manifest.language === lang) return model;
  return { ...model, manifest: { ...model.manifest, language: lang } };
}

/**
 * The model listing only the findings of the given outcomes (failures and errors always): what a
 * check writes in one format when it kept more for another (JUnit keeps passes; the CSV of the
 * same run lists them only with --include).
 */
export function restrictTo(model: ReportModel, outcomes: ReadonlySet<Outcome>): ReportModel {
  const included = model.included.filter((o) => outcomes.has(o));
  if (included.length === model.included.length) return model;
  return { ...model, included, findings: model.findings.filter((f) => included.includes(f.outcome) || f.ruleId.startsWith('kitei/')) };
}

/** The run's part of the model (everything but the findings), as the JSON and NDJSON reports begin. */
export function runHeader(model: ReportModel): Omit<ReportModel, 'findings'> {
  const { findings: _, ...head } = model;
  return head;
}

/** A value as JSON.parse(JSON.stringify(v)) gives it back, strings masked. */
function asJson<T>(v: T): T {
  return masked(JSON.parse(JSON.stringify(v)) as T);
}

/** A copy with every string (keys included) masked: personal numbers never reach a reporter. */
function masked<T>(v: T): T {
  if (typeof v === 'string') return maskPersonalNumbers(v) as T;
  if (Array.isArray(v)) return v.map(masked) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[maskPersonalNumbers(k)] = masked(x);
    return out as T;
  }
  return v;
}

/**
 * Reads a saved JSON report (format 3, or 2 from before waivers) back into the model. Only the shape reporters rely on is
 * checked; a file that is not a kitei JSON report of this format is a usage error saying so.
 */
export function parseReportModel(text: string, file: string): ReportModel {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new UsageError(`${file}: not JSON (${(e as Error).message}); give a report written by \`kitei check --format json\``);
  }
  return asReportModel(doc, file);
}

/** Checks that a parsed value has the shape of a JSON report of format 2 or 3, and returns it as the model. */
export function asReportModel(doc: unknown, file: string): ReportModel {
  const bad = (what: string) => new UsageError(`${file}: not a kitei JSON report of format ${READABLE_FORMAT_VERSIONS.join(' or ')} (${what}); give a report written by \`kitei check --format json\``);
  if (!isObject(doc)) throw bad('not an object');
  if (!READABLE_FORMAT_VERSIONS.includes(doc.formatVersion as number)) throw bad(`formatVersion is ${JSON.stringify(doc.formatVersion)}`);
  const tool = doc.tool;
  if (!isObject(tool) || tool.name !== 'kitei' || typeof tool.version !== 'string') throw bad('tool');
  if (typeof doc.asOf !== 'string' || !SEVERITIES.includes(doc.failOn as Severity) || typeof doc.exitCode !== 'number') throw bad('asOf, failOn or exitCode');
  if (!isObject(doc.evidence) || !Array.isArray(doc.evidence.files) || !isObject(doc.policies) || !Array.isArray(doc.policies.files)) throw bad('evidence or policies');
  if (!Array.isArray(doc.included) || !doc.included.every((o) => OUTCOMES.includes(o as Outcome))) throw bad('included');
  if (!isObject(doc.summary) || !isObject(doc.summary.bySeverity) || !isObject(doc.summary.total)) throw bad('summary');
  if (!Array.isArray(doc.rules) || !doc.rules.every((r) => isObject(r) && typeof r.id === 'string' && isObject(r.title) && isObject(r.remediation))) throw bad('rules');
  if (doc.manifest !== undefined && (!isObject(doc.manifest) || typeof doc.manifest.digest !== 'string' || !LANGS.includes(doc.manifest.language as Lang))) throw bad('manifest');
  if (doc.catalog !== undefined && !isCatalog(doc.catalog)) throw bad('catalog');
  if (doc.baseline !== undefined && !isBaselineJson(doc.baseline)) throw bad('baseline');
  if (!Array.isArray(doc.findings)) throw bad('findings');
  for (const [i, f] of doc.findings.entries()) {
    const ok = isObject(f) && typeof f.ruleId === 'string' && OUTCOMES.includes(f.outcome as Outcome) && SEVERITIES.includes(f.severity as Severity) && Array.isArray(f.clauses) && isObject(f.message) && (f.location === null || isObject(f.location));
    if (!ok) throw bad(`findings[${i}]`);
  }
  return doc as unknown as ReportModel;
}

function isCatalog(v: unknown): boolean {
  if (!isObject(v) || !isObject(v.regulation) || typeof v.regulation.title !== 'string' || !Array.isArray(v.clauses)) return false;
  return v.clauses.every((c) => isObject(c) && isObject(c.clause) && typeof c.clause.article === 'number' && typeof c.clause.ja === 'string' && typeof c.clause.en === 'string' && typeof c.text === 'string' && CLAUSE_STATUSES.includes(c.status as ClauseStatus));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
