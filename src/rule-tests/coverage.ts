import type { CheckResult, Loaded } from '../check.js';
import { maxOf } from '../core/arrays.js';
import type { Finding, Location } from '../core/findings.js';
import type { Lang } from '../core/lang.js';
import { inForce } from '../engine/cel/evaluate.js';
import { siteLocation } from '../engine/cel/expression.js';
import { lintFinding } from '../lint/lint.js';
import type { LoadedRule } from '../policy/model.js';
import type { RuleCase } from './load.js';
import type { CaseResult } from './run.js';

/**
 * Coverage of the rule cases (`kitei test --coverage`), collected from the case runs: for each
 * version of each rule in force for its period, a passing and a failing case judged on a date
 * inside that period; for each assertion, a case where it alone fails (on some record); for each `forEach`, a case
 * with a failing element; for each `when`, a case where it is false (not applicable).
 */

/** What one case exercised of its own rule. */
export interface CaseObservation {
  /** The version of the rule applied on the case's as-of date (absent when the rule did not run). */
  version?: number;
  /** Whether that version is in force on the case's as-of date (a case outside every period covers nothing). */
  inForce: boolean;
  /** The assertions that failed, each once. */
  failed: string[];
  /** The assertions that were the only one failing on some record (or register file). */
  alone: string[];
  /** Whether the rule's `when` held for some record (it was judged), and whether it failed to for some. */
  whenTrue: boolean;
  whenFalse: boolean;
}

export function observe(c: RuleCase, result: Pick<CheckResult, 'findings' | 'runs'>, loaded: Pick<Loaded, 'engine'>): CaseObservation {
  const run = result.runs.find((r) => r.ruleId === c.ruleId);
  const rule = run && loaded.engine.rules.find((r) => r.rule.id === c.ruleId && (r.rule.version ?? 1) === run.version);
  const applies = rule !== undefined && inForce({ loaded: rule }, c.asOf);
  const mine = result.findings.filter((f) => f.ruleId === c.ruleId);
  const byRecord = new Map<string, Set<string>>();
  for (const f of mine) {
    if (f.outcome !== 'fail' || !f.assertion) continue;
    const key = `${f.location?.file ?? ''}#${f.recordId ?? ''}`;
    byRecord.set(key, (byRecord.get(key) ?? new Set()).add(f.assertion));
  }
  return {
    ...(run ? { version: run.version } : {}),
    inForce: applies,
    failed: [...new Set(mine.filter((f) => f.outcome === 'fail' && f.assertion).map((f) => f.assertion!))].sort(),
    alone: [...new Set([...byRecord.values()].filter((set) => set.size === 1).map((set) => [...set][0]!))].sort(),
    // A verdict (pass, fail or an assertion's error) means the when held; a not-applicable finding
    // without a code, on a version in force, means it did not (register templates have a code).
    whenTrue: mine.some((f) => f.outcome === 'pass' || f.outcome === 'fail' || (f.outcome === 'error' && f.assertion !== 'when')),
    whenFalse: applies && mine.some((f) => f.outcome === 'not_applicable' && f.code === undefined),
  };
}

export type CoverageItem = 'passing case' | 'failing case' | `assertion ${string}` | `forEach ${string}` | 'when false';

export interface VersionCoverage {
  ruleId: string;
  version: number;
  /** The cases judged on this version (as-of date inside its period). */
  cases: number;
  /** Each item, with where it is written in the policy file (the rule's id, the assertion's id, its forEach, the when). */
  items: { item: CoverageItem; covered: boolean; location: Location }[];
  /** Whether some case made the `when` true, and false (undefined without a when). */
  when?: { true: boolean; false: boolean };
}

export interface CoverageReport {
  versions: VersionCoverage[];
  /** Every item no passing case covers, as `rule@version item`: stable, for the test that pins them. */
  gaps: string[];
  /** The same gaps with the place in the policy file each is about. */
  gapSites: { gap: string; location: Location }[];
  /** lint/when-never-true and lint/when-never-false, at the rule's when. */
  findings: Finding[];
}

export function ruleCoverage(rules: readonly LoadedRule[], results: readonly CaseResult[]): CoverageReport {
  const versions: VersionCoverage[] = [];
  const findings: Finding[] = [];
  const sorted = [...rules].sort((a, b) => (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : (a.rule.version ?? 1) - (b.rule.version ?? 1)));
  for (const lr of sorted) {
    const { rule } = lr;
    const version = rule.version ?? 1;
    const ran = results.filter((r) => r.case.ruleId === rule.id && r.observed?.version === version && r.observed.inForce);
    // Only a case that passes covers anything: a failing case shows nothing about the rule.
    const good = ran.filter((r) => r.ok);
    const obs = (pred: (r: CaseResult, o: CaseObservation) => boolean) => good.some((r) => pred(r, r.observed!));
    const place = (p: string) => lr.source.locate(`${lr.pointer}/${p}`);
    const items: VersionCoverage['items'] = [
      { item: 'passing case', covered: obs((r) => r.case.kind === 'valid'), location: place('id') },
      { item: 'failing case', covered: obs((r, o) => r.case.kind === 'invalid' && o.failed.length > 0), location: place('id') },
    ];
    rule.assertions.forEach((a, i) => {
      items.push({ item: `assertion ${a.id}`, covered: obs((r, o) => r.case.kind === 'invalid' && o.alone.includes(a.id)), location: place(`assertions/${i}/id`) });
      if (a.forEach !== undefined) items.push({ item: `forEach ${a.id}`, covered: obs((r, o) => r.case.kind === 'invalid' && o.failed.includes(a.id)), location: place(`assertions/${i}/forEach`) });
    });
    let when: VersionCoverage['when'];
    if (rule.when !== undefined) {
      when = { true: ran.some((r) => r.observed!.whenTrue), false: ran.some((r) => r.observed!.whenFalse) };
      const at = siteLocation({ source: lr.source, pointer: `${lr.pointer}/when` }, 0);
      items.push({ item: 'when false', covered: obs((_, o) => o.whenFalse), location: at });
      if (!when.true) findings.push(lintFinding('lint/when-never-true', at, { rule: rule.id, version }));
      if (!when.false) findings.push(lintFinding('lint/when-never-false', at, { rule: rule.id, version }));
    }
    versions.push({ ruleId: rule.id, version, cases: ran.length, items, ...(when ? { when } : {}) });
  }
  const gapSites = versions.flatMap((v) => v.items.filter((i) => !i.covered).map((i) => ({ gap: `${v.ruleId}@${v.version} ${i.item}`, location: i.location })));
  return { versions, gaps: gapSites.map((g) => g.gap), gapSites, findings };
}

const L = {
  ja: {
    title: 'ケースの網羅（版ごと: 適合例・不適合例、検査項目ごと: それだけが失敗するケース、forEach: 要素が失敗するケース、when: 偽になるケース）',
    head: ['ルール@版', 'ケース', '適合', '不適合', '検査項目', 'forEach', 'when偽'],
    gaps: (n: number) => `不足 ${n} 件:`,
    none: '不足なし',
  },
  en: {
    title: 'Case coverage (per version: a passing and a failing case; per assertion: a case where it alone fails; forEach: a failing element; when: a case where it is false)',
    head: ['rule@version', 'cases', 'pass', 'fail', 'assertions', 'forEach', 'when false'],
    gaps: (n: number) => `${n} gaps:`,
    none: 'No gaps',
  },
} as const;

export function formatCoverage(report: CoverageReport, lang: Lang): string {
  const t = L[lang];
  const mark = (b: boolean | undefined) => (b === undefined ? '—' : b ? '✓' : '✗');
  const ratio = (items: VersionCoverage['items'], prefix: string) => {
    const mine = items.filter((i) => i.item.startsWith(prefix));
    return mine.length === 0 ? '—' : `${mine.filter((i) => i.covered).length}/${mine.length}`;
  };
  const rows = report.versions.map((v) => {
    const get = (item: string) => v.items.find((i) => i.item === item)?.covered;
    return [`${v.ruleId}@${v.version}`, String(v.cases), mark(get('passing case')), mark(get('failing case')), ratio(v.items, 'assertion '), ratio(v.items, 'forEach '), mark(get('when false'))];
  });
  const all = [[...t.head], ...rows];
  const widths = t.head.map((_, i) => maxOf(all.map((r) => [...r[i]!].length)));
  const lines = [t.title, '', ...all.map((r) => '  ' + r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ').trimEnd())];
  lines.push('', report.gaps.length === 0 ? t.none : t.gaps(report.gaps.length));
  for (const g of report.gapSites) lines.push(`  ${g.location.file}:${g.location.line}:${g.location.column}  ${g.gap}`);
  return lines.join('\n') + '\n';
}

export function coverageJson(report: CoverageReport) {
  return {
    versions: report.versions.map((v) => ({ rule: v.ruleId, version: v.version, cases: v.cases, items: v.items.map(({ item, covered }) => ({ item, covered })), ...(v.when ? { when: v.when } : {}) })),
    gaps: report.gapSites.map((g) => ({ gap: g.gap, file: g.location.file, line: g.location.line, column: g.location.column })),
  };
}
