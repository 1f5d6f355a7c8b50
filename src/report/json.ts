import { clauseEn, clauseJa } from '../core/clause.js';
import type { Finding } from '../core/findings.js';
import type { CheckResult } from '../check.js';
import type { Reporter } from './reporter.js';
import { summarize } from './summary.js';

/**
 * The JSON report, format version 1 (documented in docs/json-format.md). Every finding is
 * included, passes too, so the report is the complete record of the run. No timestamps or
 * absolute paths: the same inputs give the same bytes.
 */
export const JSON_FORMAT_VERSION = 1;

export const jsonReporter: Reporter = (result, ctx) => {
  const doc = {
    formatVersion: JSON_FORMAT_VERSION,
    tool: { name: 'kitei', version: ctx.version },
    asOf: result.asOf,
    failOn: ctx.failOn,
    exitCode: ctx.exitCode,
    evidence: result.evidence,
    policies: result.policies,
    summary: summarize(result.findings),
    rules: rulesApplied(result),
    findings: result.findings.map(findingToJson),
  };
  return JSON.stringify(doc, null, 2) + '\n';
};

/** The rules the run applied, with what an auditor needs to reproduce and judge each finding. */
function rulesApplied(result: CheckResult) {
  const evaluated = new Map(result.runs.map((r) => [r.ruleId, r.evaluated]));
  return [...result.rules]
    .sort((a, b) => (a.rule.id < b.rule.id ? -1 : 1))
    .map(({ rule, source, params, inForce }) => ({
      id: rule.id,
      version: rule.version ?? 1,
      clauses: rule.clauses.map((c) => ({ ...c, ja: clauseJa(c), en: clauseEn(c) })),
      severity: rule.severity,
      register: rule.register,
      title: rule.title,
      quote: rule.quote,
      remediation: rule.remediation,
      effective: inForce ?? rule.effective ?? {},
      params,
      file: source.path,
      evaluated: evaluated.get(rule.id) ?? 0,
    }));
}

export function findingToJson(f: Finding) {
  return {
    ruleId: f.ruleId,
    ...(f.assertion ? { assertion: f.assertion } : {}),
    outcome: f.outcome,
    severity: f.severity,
    ...(f.code ? { code: f.code } : {}),
    clauses: (f.clauses ?? []).map((c) => ({ ...c, ja: clauseJa(c), en: clauseEn(c) })),
    message: f.message,
    ...(f.recordId ? { recordId: f.recordId } : {}),
    location: f.location ?? null,
    ...(f.params ? { params: f.params } : {}),
  };
}
