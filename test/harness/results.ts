import type { CheckResult } from '../../src/check.js';
import { noOutcomes, OUTCOMES, type Finding, type Outcome } from '../../src/core/findings.js';
import type { Lang } from '../../src/core/lang.js';
import type { SourceFile } from '../../src/core/source.js';
import type { Rule } from '../../src/policy/model.js';
import type { InputManifest } from '../../src/report/manifest.js';
import { buildReportModel, type ReportModel } from '../../src/report/model.js';

/**
 * Hand-built check results for reporter tests: a rule with one failure, one pass and one n/a,
 * an input problem, and whatever a test adds. Each test states only what it changes.
 */
export const fail: Finding = {
  ruleId: 'terminal-screen-lock',
  assertion: 'idle-time',
  clauses: [{ article: 16, paragraph: 2 }, { article: 5, item: 10 }],
  outcome: 'fail',
  severity: 'high',
  message: { ja: '端末 T-007 の画面ロックまでの時間が 10 分です', en: 'Terminal T-007 locks after 10 minutes' },
  recordId: 'T-007',
  location: { file: 'evidence/terminals.yaml', pointer: '/records/6/screenLock/idleMinutes', line: 123, column: 7, endLine: 123, endColumn: 9 },
  params: { maxIdleMinutes: 5 },
};
export const syntax: Finding = {
  ruleId: 'kitei/evidence-yaml-syntax',
  outcome: 'error',
  severity: 'high',
  code: 'evidence/yaml-syntax',
  message: { ja: 'YAML の構文エラー: x', en: 'YAML syntax error: x' },
  location: { file: 'evidence/media.yaml', pointer: '', line: 6, column: 1, endLine: 6, endColumn: 12 },
};
export const pass: Finding = { ...fail, outcome: 'pass', recordId: 'T-001', message: { ja: '適合', en: 'ok' }, location: { ...fail.location!, pointer: '/records/0', line: 4, column: 5 } };
delete (pass as { assertion?: string }).assertion;
export const notApplicable: Finding = { ...pass, outcome: 'not_applicable', recordId: 'T-002', message: { ja: '廃棄済み', en: 'disposed of' }, location: { ...fail.location!, pointer: '/records/1', line: 14, column: 5 } };

export const RULE = {
  id: 'terminal-screen-lock',
  clauses: fail.clauses!,
  severity: 'high',
  register: 'terminals',
  title: { ja: '画面ロック', en: 'Screen lock' },
  quote: '離席時など、特定の時間（5分以内）操作がない場合にはスクリーンロックをかけること。',
  remediation: { ja: '5 分以内で作動する画面ロックを設定してください。', en: 'Set a screen lock that starts within 5 minutes.' },
} as Rule;

export const MANIFEST: InputManifest = {
  asOf: '2026-11-24',
  params: {},
  evidence: { dir: 'evidence', files: [{ path: 'media.yaml', sha256: 'a'.repeat(64) }, { path: 'terminals.yaml', sha256: 'b'.repeat(64) }] },
  policies: { dir: 'policies', files: [{ path: 'terminals.yaml', sha256: 'c'.repeat(64) }] },
  catalog: null,
  schemas: { dir: 'schemas', files: [{ path: 'terminals.schema.json', sha256: 'd'.repeat(64) }] },
};

/** A run of the one rule over the findings given (kept or not: `kept` says which are listed). */
export function result(findings: Finding[], kept: readonly Outcome[] = OUTCOMES, rule: Rule = RULE, params: Record<string, unknown> = { maxIdleMinutes: 5 }): CheckResult {
  const outcomes = noOutcomes();
  for (const f of findings) if (!f.ruleId.startsWith('kitei/')) outcomes[f.outcome]++;
  return {
    asOf: '2026-11-24',
    evidence: { dir: 'evidence', files: ['media.yaml', 'terminals.yaml'], records: 80 },
    policies: { dir: 'policies', files: ['terminals.yaml'], rules: 1 },
    findings: findings.filter((f) => f.ruleId.startsWith('kitei/') || kept.includes(f.outcome)),
    kept: [...kept],
    runs: [{ ruleId: rule.id, version: 1, evaluated: 2, outcomes }],
    rules: [{ rule, source: { path: 'policies/terminals.yaml' } as SourceFile, pointer: '/rules/0', params }],
    manifest: MANIFEST,
  };
}

/** The model `kitei check` would render for these findings. */
export function model(findings: Finding[], options: { kept?: readonly Outcome[]; lang?: Lang; exitCode?: number; rule?: Rule } = {}): ReportModel {
  return buildReportModel(result(findings, options.kept, options.rule), { version: '0.1.0', failOn: 'low', exitCode: options.exitCode ?? 2, lang: options.lang ?? 'ja' });
}
