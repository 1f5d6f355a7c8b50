import type { Invocation, Log, ReportingDescriptor, Result, Run } from 'sarif';
import type { Lang } from '../core/lang.js';
import { fingerprintOf } from './fingerprint.js';
import type { FindingJson, Reporter, ReportModel, RuleJson } from './model.js';
import { ciLevel, clausesText, shownFindings, waivedFindings, type CiLevel } from './view.js';

/**
 * SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif) and any SARIF viewer.
 * One run; one reportingDescriptor per rule applied (its clauses, title, the regulation's quote
 * as fullDescription, the remediation as help in --lang, both languages in properties) and per
 * input-problem id (`kitei/…`) that occurs; one result per failure and error.
 *
 * GitHub's documented limits are kept (docs.github.com, "SARIF support for code scanning" and
 * "SARIF results exceed limits"): at most 25,000 results per run (a file with more is rejected;
 * the most severe are kept and run.properties says how many were left out), rule names within
 * 255 characters, short and full descriptions within 1,024 (the full quote stays in properties),
 * a region with start and end line and column, partialFingerprints on every result.
 *
 * Paths are relative to the working directory (SRCROOT: in CI, the repository root) as every
 * kitei report gives them. SRCROOT's absolute URI is not written: it would make the file differ
 * between machines and between `check` and `report`; GitHub resolves relative URIs against the
 * repository it is uploaded to.
 */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** GitHub code scanning's limits (hard: a file beyond them is rejected; or truncated for display). */
export const GITHUB_LIMITS = { resultsPerRun: 25_000, ruleName: 255, description: 1024 } as const;

const T = {
  ja: {
    problemTitle: (id: string) => `証跡・ポリシーの読み込みの問題（${id}）`,
    problemDescription: '証跡・ポリシー・条項カタログのファイルを読めない、または形式が正しくないため、その内容を判定していません。',
    problemHelp: '示された位置のファイルを直してください。コードの意味は README の「読めない入力と上限」にあります。',
    truncated: (shown: number, total: number) => `GitHub code scanning の上限のため、${total} 件のうち重要度の高い ${shown} 件だけを載せています。すべては JSON レポートにあります。`,
  },
  en: {
    problemTitle: (id: string) => `Problem reading the evidence or policies (${id})`,
    problemDescription: 'A file of the evidence, the policies or the clause catalog could not be read or is malformed, so its content was not judged.',
    problemHelp: 'Fix the file at the location shown. README, "Unreadable input and limits", explains each code.',
    truncated: (shown: number, total: number) => `GitHub code scanning takes at most ${shown} results: the ${shown} most severe of ${total} are listed; the JSON report lists them all.`,
  },
} as const;

export const sarifReporter: Reporter = (model, ctx) => JSON.stringify(sarifLog(model, ctx.lang), null, 2) + '\n';

export function sarifLog(model: ReportModel, lang: Lang): Log {
  // Waived failures are results too, suppressed by their waiver (SARIF 2.1.0 §3.27.23, §3.35).
  const listed = [...shownFindings(model), ...waivedFindings(model)];
  const kept = mostSevere(listed, GITHUB_LIMITS.resultsPerRun);
  // With --baseline, the baseline's findings resolved since are results too, `absent` (SARIF 2.1.0 §3.27.24), within the limit.
  const absent = (model.baseline?.resolved ?? []).slice(0, Math.max(0, GITHUB_LIMITS.resultsPerRun - kept.length));
  const rules = new Set(model.rules.map((r) => r.id));
  const descriptors = [...model.rules.map((r) => ruleDescriptor(r, lang)), ...problemDescriptors([...kept, ...absent.filter((f) => f.ruleId.startsWith('kitei/'))], rules, lang)];
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const occurrences = new Map<string, number>();
  const results = [...kept.map((f) => result(f, index.get(f.ruleId), occurrences, lang, f.baseline)), ...absent.map((f) => result(f, index.get(f.ruleId), occurrences, lang, 'absent'))];
  const invocation: Invocation = {
    executionSuccessful: true,
    exitCode: model.exitCode,
    ...(kept.length < listed.length ? { toolExecutionNotifications: [{ level: 'warning', message: { text: T[lang].truncated(kept.length, listed.length) } }] } : {}),
  };
  const run: Run = {
    tool: { driver: { name: 'kitei', version: model.tool.version, semanticVersion: model.tool.version, rules: descriptors } },
    automationDetails: { id: 'kitei/' },
    originalUriBaseIds: {
      SRCROOT: { description: { text: lang === 'ja' ? 'kitei を実行した作業ディレクトリ（CI ではリポジトリのルート）' : 'The working directory kitei ran in (the repository root in CI)' } },
    },
    columnKind: 'utf16CodeUnits',
    invocations: [invocation],
    results,
    properties: {
      asOf: model.asOf,
      failOn: model.failOn,
      exitCode: model.exitCode,
      summary: model.summary,
      ...(kept.length < listed.length ? { truncated: { results: listed.length, shown: kept.length } } : {}),
      ...(model.manifest ? { manifest: model.manifest } : {}),
    },
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

function ruleDescriptor(r: RuleJson, lang: Lang): ReportingDescriptor {
  const level = ciLevel(r.severity);
  return {
    id: r.id,
    name: cut(r.title[lang], GITHUB_LIMITS.ruleName),
    shortDescription: { text: cut(lang === 'ja' ? `${r.title.ja}（${clausesText(r.clauses, 'ja')}）` : `${r.title.en} (${clausesText(r.clauses, 'en')})`, GITHUB_LIMITS.description) },
    fullDescription: { text: cut(r.quote, GITHUB_LIMITS.description) },
    help: { text: r.remediation[lang] },
    defaultConfiguration: { level },
    properties: {
      tags: ['compliance', 'kitei', r.register, r.severity],
      precision: 'very-high',
      'problem.severity': problemSeverity(level),
      clauses: r.clauses,
      clause: { ja: clausesText(r.clauses, 'ja'), en: clausesText(r.clauses, 'en') },
      title: r.title,
      quote: r.quote,
      remediation: r.remediation,
      severity: r.severity,
      register: r.register,
      version: r.version,
      effective: r.effective,
      params: r.params,
      policyFile: r.file,
    },
  };
}

/** A descriptor for each id of a finding that is not a rule applied: problems reading the inputs (`kitei/…`). */
function problemDescriptors(findings: readonly FindingJson[], rules: ReadonlySet<string>, lang: Lang): ReportingDescriptor[] {
  const seen = new Map<string, FindingJson>();
  for (const f of findings) if (!rules.has(f.ruleId) && !seen.has(f.ruleId)) seen.set(f.ruleId, f);
  return [...seen.keys()].sort().map((id) => {
    const level = ciLevel(seen.get(id)!.severity);
    return {
      id,
      name: id,
      shortDescription: { text: T[lang].problemTitle(id) },
      fullDescription: { text: T[lang].problemDescription },
      help: { text: T[lang].problemHelp },
      defaultConfiguration: { level },
      properties: { tags: ['kitei', 'input'], precision: 'very-high', 'problem.severity': problemSeverity(level) },
    };
  });
}

function result(f: FindingJson, ruleIndex: number | undefined, occurrences: Map<string, number>, lang: Lang, baselineState?: Result['baselineState']): Result {
  const fingerprint = fingerprintOf(f);
  const n = (occurrences.get(fingerprint) ?? 0) + 1;
  occurrences.set(fingerprint, n);
  return {
    ruleId: f.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    kind: 'fail',
    level: f.outcome === 'error' ? 'error' : ciLevel(f.severity),
    message: { text: f.message[lang] },
    ...(f.location
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(f.location.file),
                region: {
                  startLine: f.location.line,
                  startColumn: f.location.column,
                  endLine: f.location.endLine ?? f.location.line,
                  // Without a known end, SARIF's default: to the end of the start line.
                  ...(f.location.endColumn !== undefined ? { endColumn: f.location.endColumn } : {}),
                },
              },
              ...(f.recordId ? { logicalLocations: [{ name: f.recordId, kind: 'object' }] } : {}),
            },
          ],
        }
      : {}),
    partialFingerprints: { primaryLocationLineHash: `${fingerprint.slice(0, 16)}:${n}`, 'kitei/v1': fingerprint },
    ...(baselineState ? { baselineState } : {}),
    ...(f.waiver
      ? {
          suppressions: [
            {
              // The review status (`status`: accepted) is left out: the vendored OASIS 2.1.0 schema
              // names that member `state`, the errata `status`; the waiver's approval says it.
              kind: 'external',
              justification: f.waiver.justification,
              ...(f.waiver.location ? { location: { physicalLocation: { artifactLocation: artifactLocation(f.waiver.location.file), region: { startLine: f.waiver.location.line, startColumn: f.waiver.location.column } } } } : {}),
              properties: { waiver: f.waiver.id, approvedBy: f.waiver.approvedBy, role: f.waiver.role, approvedOn: f.waiver.approvedOn, expiresOn: f.waiver.expiresOn },
            },
          ],
        }
      : {}),
    properties: {
      outcome: f.outcome,
      severity: f.severity,
      ...(f.code ? { code: f.code } : {}),
      ...(f.assertion ? { assertion: f.assertion } : {}),
      ...(f.recordId ? { recordId: f.recordId } : {}),
      ...(f.location ? { pointer: f.location.pointer } : {}),
      ...(f.clauses.length ? { clause: { ja: clausesText(f.clauses, 'ja'), en: clausesText(f.clauses, 'en') } } : {}),
      messages: f.message,
      ...(f.params ? { params: f.params } : {}),
    },
  };
}

/** A path as a SARIF artifact location: relative ones against SRCROOT, absolute ones as file URIs. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const encoded = file.split('/').map(encodeURIComponent).join('/');
  return file.startsWith('/') ? { uri: `file://${encoded}` } : { uri: encoded, uriBaseId: 'SRCROOT' };
}

/** At most `limit` findings, the most severe kept, in their order. */
function mostSevere(findings: FindingJson[], limit: number): FindingJson[] {
  if (findings.length <= limit) return findings;
  const rank = (f: FindingJson) => (f.outcome === 'error' ? 0 : ['critical', 'high', 'medium', 'low'].indexOf(f.severity) + 1);
  const chosen = new Set(findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).slice(0, limit).map((x) => x.i));
  return findings.filter((_, i) => chosen.has(i));
}

function problemSeverity(level: CiLevel): string {
  return level === 'note' ? 'recommendation' : level;
}

/** Text within `limit` UTF-16 code units, cut with an ellipsis and never inside a surrogate pair. */
export function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - 1;
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--;
  return text.slice(0, end) + '…';
}
