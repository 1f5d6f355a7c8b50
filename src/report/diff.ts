import { isCompared, pairFindings } from './baseline.js';
import { fingerprintOf } from './fingerprint.js';
import { canonicalJson } from './manifest.js';
import type { FindingJson, Period, ReportModel, RuleJson } from './model.js';
import { compareFiles, type InputChange } from './verify.js';

/**
 * `kitei diff A.json B.json`: two saved reports compared finding by finding (by fingerprint,
 * src/report/fingerprint.ts): the findings new in B, those resolved since A, and those that
 * changed (same fingerprint; another outcome, severity, message or parameter values). For each,
 * the causes the two reports can show: evidence files that differ (and whether the finding's
 * own file is one), the rule's version or period of force (附則), its parameters, its policy
 * file, the as-of date, kitei's version. Several may apply; all are listed. Pure: no I/O.
 */
export const DIFF_FORMAT_VERSION = 1 as const;

export interface RuleVersion {
  version: number;
  effective: Period;
}

export type Cause =
  /** Evidence files added, removed or changed; `ownFile`: the finding's own file among them (null: it is about no evidence file). */
  | { kind: 'evidence'; files: string[]; ownFile: boolean | null; file?: string }
  /** The rule's version or period of force differs (null: the rule was not applied in that report). */
  | { kind: 'rule-version'; ruleId: string; a: RuleVersion | null; b: RuleVersion | null }
  /** The rule's parameter values differ; `names` says which. */
  | { kind: 'params'; ruleId: string; names: string[] }
  /** The policy file defining the rule differs. */
  | { kind: 'policy'; file: string }
  | { kind: 'as-of'; a: string; b: string }
  | { kind: 'kitei'; a: string; b: string };

export type Difference = 'outcome' | 'severity' | 'message' | 'params';

export interface Appeared {
  fingerprint: string;
  finding: FindingJson;
  causes: Cause[];
}

export interface Changed {
  fingerprint: string;
  a: FindingJson;
  b: FindingJson;
  differs: Difference[];
  causes: Cause[];
}

export interface RuleChange {
  id: string;
  a: RuleVersion | null;
  b: RuleVersion | null;
  /** Parameters whose values differ (both reports applied the rule). */
  params: { name: string; a: unknown; b: unknown }[];
}

export interface DiffSide {
  file: string;
  asOf: string;
  kitei: string;
  digest: string | null;
}

export interface ReportDiff {
  formatVersion: typeof DIFF_FORMAT_VERSION;
  a: DiffSide;
  b: DiffSide;
  inputs: {
    /** Both reports carry a manifest, so file changes are known. */
    manifests: boolean;
    files: InputChange[];
    rules: RuleChange[];
  };
  counts: { new: number; resolved: number; changed: number; unchanged: number; newFailures: number };
  new: Appeared[];
  resolved: Appeared[];
  changed: Changed[];
  /** 1 when B has failures A did not have (new, or a finding that became a failure), else 0. */
  exitCode: number;
}

export function diffReports(a: ReportModel, b: ReportModel, files: { a: string; b: string }): ReportDiff {
  const before = a.findings.filter(isCompared);
  const after = b.findings.filter(isCompared);
  const { matched, gone } = pairFindings(before, after);
  const inputs = inputChanges(a, b);
  const causes = causeFinder(a, b, inputs);
  const appeared: Appeared[] = [];
  const changed: Changed[] = [];
  let unchanged = 0;
  for (const [i, f] of after.entries()) {
    const old = matched[i];
    if (!old) {
      appeared.push({ fingerprint: fingerprintOf(f), finding: f, causes: causes(f, b) });
      continue;
    }
    const differs = differences(old, f);
    if (differs.length === 0) unchanged++;
    else changed.push({ fingerprint: fingerprintOf(f), a: old, b: f, differs, causes: causes(f, b) });
  }
  const resolved = gone.map((f) => ({ fingerprint: fingerprintOf(f), finding: f, causes: causes(f, a) }));
  const newFailures = appeared.filter((x) => x.finding.outcome === 'fail').length + changed.filter((c) => c.b.outcome === 'fail' && c.a.outcome !== 'fail').length;
  return {
    formatVersion: DIFF_FORMAT_VERSION,
    a: side(a, files.a),
    b: side(b, files.b),
    inputs,
    counts: { new: appeared.length, resolved: resolved.length, changed: changed.length, unchanged, newFailures },
    new: appeared,
    resolved,
    changed,
    exitCode: newFailures > 0 ? 1 : 0,
  };
}

function side(m: ReportModel, file: string): DiffSide {
  return { file, asOf: m.asOf, kitei: m.tool.version, digest: m.manifest?.digest ?? null };
}

function differences(a: FindingJson, b: FindingJson): Difference[] {
  const out: Difference[] = [];
  if (a.outcome !== b.outcome) out.push('outcome');
  if (a.severity !== b.severity) out.push('severity');
  if (canonicalJson(a.message) !== canonicalJson(b.message)) out.push('message');
  if (canonicalJson(a.params ?? {}) !== canonicalJson(b.params ?? {})) out.push('params');
  return out;
}

function inputChanges(a: ReportModel, b: ReportModel): ReportDiff['inputs'] {
  const files: InputChange[] = [];
  if (a.manifest && b.manifest) {
    compareFiles('evidence', a.manifest.evidence.files, b.manifest.evidence.files, files);
    compareFiles('policy', a.manifest.policies.files, b.manifest.policies.files, files);
    compareFiles('catalog', a.manifest.catalog ? [a.manifest.catalog] : [], b.manifest.catalog ? [b.manifest.catalog] : [], files);
    compareFiles('schema', a.manifest.schemas.files, b.manifest.schemas.files, files);
  }
  const ra = new Map(a.rules.map((r) => [r.id, r]));
  const rb = new Map(b.rules.map((r) => [r.id, r]));
  const rules: RuleChange[] = [];
  for (const id of [...new Set([...ra.keys(), ...rb.keys()])].sort()) {
    const x = ra.get(id);
    const y = rb.get(id);
    const params = x && y ? paramChanges(x, y) : [];
    if (versionDiffers(x, y) || params.length > 0) rules.push({ id, a: x ? ruleVersion(x) : null, b: y ? ruleVersion(y) : null, params });
  }
  return { manifests: !!(a.manifest && b.manifest), files, rules };
}

function ruleVersion(r: RuleJson): RuleVersion {
  return { version: r.version, effective: r.effective };
}

function versionDiffers(x: RuleJson | undefined, y: RuleJson | undefined): boolean {
  if (!x || !y) return x !== y;
  return x.version !== y.version || canonicalJson(x.effective) !== canonicalJson(y.effective);
}

function paramChanges(x: RuleJson, y: RuleJson): RuleChange['params'] {
  const names = [...new Set([...Object.keys(x.params), ...Object.keys(y.params)])].sort();
  return names.filter((n) => canonicalJson(x.params[n] ?? null) !== canonicalJson(y.params[n] ?? null)).map((name) => ({ name, a: x.params[name] ?? null, b: y.params[name] ?? null }));
}

/** The causes of a finding's appearing, going or changing, from what differs between the two reports. */
function causeFinder(a: ReportModel, b: ReportModel, inputs: ReportDiff['inputs']): (f: FindingJson, from: ReportModel) => Cause[] {
  const evidence = inputs.files.filter((c) => c.kind === 'evidence').map((c) => c.name);
  const policies = new Set(inputs.files.filter((c) => c.kind === 'policy').map((c) => c.name));
  const rules = new Map(inputs.rules.map((r) => [r.id, r]));
  const ruleFile = new Map([...a.rules, ...b.rules].map((r) => [r.id, r]));
  return (f, from) => {
    const out: Cause[] = [];
    if (evidence.length > 0) {
      // The finding's file as its own report names it, relative to that report's evidence directory.
      const own = f.location ? relativeTo(f.location.file, from.manifest?.evidence.dir ?? from.evidence.dir) : undefined;
      out.push({ kind: 'evidence', files: evidence, ownFile: own === undefined ? null : evidence.includes(own), ...(own !== undefined ? { file: own } : {}) });
    }
    const rule = rules.get(f.ruleId);
    if (rule && (rule.a?.version !== rule.b?.version || canonicalJson(rule.a?.effective ?? null) !== canonicalJson(rule.b?.effective ?? null))) {
      out.push({ kind: 'rule-version', ruleId: f.ruleId, a: rule.a, b: rule.b });
    }
    if (rule && rule.params.length > 0) out.push({ kind: 'params', ruleId: f.ruleId, names: rule.params.map((p) => p.name) });
    const policy = ruleFile.get(f.ruleId);
    if (policy && b.manifest) {
      const name = relativeTo(policy.file, b.manifest.policies.dir) ?? relativeTo(policy.file, a.manifest?.policies.dir ?? '');
      if (name !== undefined && policies.has(name)) out.push({ kind: 'policy', file: name });
    }
    if (a.asOf !== b.asOf) out.push({ kind: 'as-of', a: a.asOf, b: b.asOf });
    if (a.tool.version !== b.tool.version) out.push({ kind: 'kitei', a: a.tool.version, b: b.tool.version });
    return out;
  };
}

function relativeTo(file: string, dir: string): string | undefined {
  if (dir === '' || dir === '.') return file;
  return file.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : undefined;
}
