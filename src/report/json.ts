import { clauseEn, clauseJa } from '../core/clause.js';
import type { Finding } from '../core/findings.js';
import type { CheckResult } from '../check.js';
import type { Reporter, ReportContext } from './reporter.js';
import { summarize } from './summary.js';

/**
 * The JSON report, format version 2 (documented in docs/json-format.md). It lists the findings the
 * run kept (`included`: failures and errors by default, passes and n/a with `--include`) and
 * counts every outcome per rule, so it stays a complete account of the run at a size that grows
 * with what is wrong, not with the evidence. No timestamps or absolute paths: the same inputs
 * give the same bytes.
 *
 * It is produced in pieces (one per finding), never as one string: a run with a million findings
 * would pass V8's string length limit. Joined, the pieces are exactly `JSON.stringify(doc, null, 2)`.
 */
export const JSON_FORMAT_VERSION = 2;

/** The report without its findings: what the JSON and NDJSON formats both start with. */
export function runHeader(result: CheckResult, ctx: ReportContext) {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    tool: { name: 'kitei', version: ctx.version },
    asOf: result.asOf,
    failOn: ctx.failOn,
    exitCode: ctx.exitCode,
    evidence: result.evidence,
    policies: result.policies,
    included: result.kept,
    summary: summarize(result),
    rules: rulesApplied(result),
  };
}

export const jsonReporter: Reporter = (result, ctx) => jsonPieces(result, ctx);

function* jsonPieces(result: CheckResult, ctx: ReportContext): Iterable<string> {
  const head = JSON.stringify({ ...runHeader(result, ctx), findings: [] }, null, 2);
  if (result.findings.length === 0) {
    yield head + '\n';
    return;
  }
  // `"findings": []\n}` becomes `"findings": [` + one element per piece + `\n  ]\n}`.
  yield head.slice(0, head.length - '[]\n}'.length) + '[';
  let first = true;
  for (const f of result.findings) {
    yield (first ? '\n    ' : ',\n    ') + JSON.stringify(findingToJson(f), null, 2).replace(/\n/g, '\n    ');
    first = false;
  }
  yield '\n  ]\n}\n';
}

/**
 * NDJSON (one JSON value per line) for very large runs and for tools that read line by line:
 * the header first (`"type": "run"`, as the JSON report without findings), then one line per
 * finding (`"type": "finding"`), in the same order.
 */
export const ndjsonReporter: Reporter = (result, ctx) => ndjsonPieces(result, ctx);

function* ndjsonPieces(result: CheckResult, ctx: ReportContext): Iterable<string> {
  yield JSON.stringify({ type: 'run', ...runHeader(result, ctx) }) + '\n';
  for (const f of result.findings) yield JSON.stringify({ type: 'finding', ...findingToJson(f) }) + '\n';
}

/** The rules the run applied, with what an auditor needs to reproduce and judge each finding. */
function rulesApplied(result: CheckResult) {
  const runs = new Map(result.runs.map((r) => [r.ruleId, r]));
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
      evaluated: runs.get(rule.id)?.evaluated ?? 0,
      outcomes: runs.get(rule.id)?.outcomes ?? { pass: 0, fail: 0, not_applicable: 0, error: 0 },
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
