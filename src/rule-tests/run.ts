import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkWith, loadRules, type Loaded } from '../check.js';
import type { Finding } from '../core/findings.js';
import type { Localized } from '../core/lang.js';
import type { ParamOverrides } from '../engine/cel/compile.js';
import type { ExpectedFailure, RuleCase, RuleTestSet } from './load.js';
import { observe, type CaseObservation } from './coverage.js';
import { BaseOrganisation, materializeCase, type MaterializedCase } from './materialize.js';

export interface CaseResult {
  case: RuleCase;
  ok: boolean;
  /** Why the case failed, one line each (empty when it passed). */
  problems: Localized[];
  /** What the case exercised of its rule (for `kitei test --coverage`). */
  observed?: CaseObservation;
}

export interface RuleTestSummary {
  ruleId: string;
  counts: { valid: number; invalid: number; notApplicable: number };
  /** Cases of this rule that failed. */
  failed: number;
}

export interface RuleTestReport {
  results: CaseResult[];
  rules: RuleTestSummary[];
  /** Rules (ids) without a valid case, or without an invalid case. */
  lacking: { ruleId: string; valid: boolean; invalid: boolean }[];
  /** Cases for rules no policy defines. */
  unknownRules: string[];
  /** Problems loading the policies (with default parameters) and the case files. */
  problems: Finding[];
}

export interface RunOptions {
  policiesDir?: string;
  schemasDir?: string;
  /** Only the cases of this rule. */
  ruleId?: string;
}

/** The rules as a case is judged with: compiled once per distinct parameter set (no case: the defaults). */
export type CaseRules = (c?: Pick<RuleCase, 'ruleId' | 'params'>) => Promise<Loaded>;

/** `CaseRules` over the policies and schemas of `options` (kitei test, kitei test --mutate). */
export function caseRules(options: RunOptions): CaseRules {
  const compiled = new Map<string, Promise<Loaded>>();
  const dirs = { ...(options.policiesDir ? { policiesDir: options.policiesDir } : {}), ...(options.schemasDir ? { schemasDir: options.schemasDir } : {}) };
  return (c) => {
    const params: ParamOverrides = c?.params ? { [c.ruleId]: c.params } : {};
    const key = JSON.stringify(params);
    let p = compiled.get(key);
    if (!p) compiled.set(key, (p = loadRules({ ...dirs, params })));
    return p;
  };
}

/**
 * Runs rule test cases: each case is the base organisation with its registers replaced, checked
 * as of the case's date with the case's parameters; the rule's own findings are then held to
 * what the case expects. Rules are compiled once per distinct parameter set.
 */
export class RuleTestRunner {
  private readonly rules: CaseRules;
  private readonly work = mkdtempSync(path.join(tmpdir(), 'kitei-test-'));
  private n = 0;
  private readonly base: BaseOrganisation;

  constructor(
    private readonly set: RuleTestSet,
    private readonly options: RunOptions = {},
  ) {
    this.base = new BaseOrganisation(set.baseDir);
    this.rules = caseRules(options);
  }

  /** The rule ids the policies define (for cases of unknown rules and rules without cases). */
  async ruleIds(): Promise<string[]> {
    const loaded = await this.rules();
    return [...new Set(loaded.engine.rules.map((r) => r.rule.id))].sort();
  }

  /** The rules (every version) as compiled with their default parameters (for coverage). */
  async loadedRules(): Promise<Loaded['engine']['rules']> {
    return (await this.rules()).engine.rules;
  }

  async runCase(c: RuleCase): Promise<CaseResult> {
    const dir = path.join(this.work, String(++this.n));
    try {
      const made = materializeCase(c, this.base, dir);
      const loaded = await this.rules(c);
      const result = await checkWith(loaded, { evidenceDir: dir, asOf: c.asOf, record: false });
      return { case: c, ...judge(c, made, result.findings, loaded.engine.rules.some((r) => r.rule.id === c.ruleId)), observed: observe(c, result, loaded) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async run(): Promise<RuleTestReport> {
    const cases = this.set.cases.filter((c) => !this.options.ruleId || c.ruleId === this.options.ruleId);
    const results: CaseResult[] = [];
    for (const c of cases) results.push(await this.runCase(c));
    const ids = (await this.ruleIds()).filter((id) => !this.options.ruleId || id === this.options.ruleId);
    const rules = ids.map((ruleId) => {
      const mine = results.filter((r) => r.case.ruleId === ruleId);
      const count = (k: RuleCase['kind']) => mine.filter((r) => r.case.kind === k).length;
      return { ruleId, counts: { valid: count('valid'), invalid: count('invalid'), notApplicable: count('notApplicable') }, failed: mine.filter((r) => !r.ok).length };
    });
    const lacking = rules.filter((r) => r.counts.valid === 0 || r.counts.invalid === 0).map((r) => ({ ruleId: r.ruleId, valid: r.counts.valid > 0, invalid: r.counts.invalid > 0 }));
    const known = new Set(ids);
    const unknownRules = [...new Set(cases.map((c) => c.ruleId).filter((id) => !known.has(id)))].sort();
    return { results, rules, lacking, unknownRules, problems: [...this.set.problems, ...(await this.rules()).problems] };
  }

  dispose(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}

const show = (f: Finding) => `${f.location ? `${path.basename(f.location.file)}:${f.location.line}:${f.location.column} ` : ''}${f.outcome} ${f.assertion ?? ''} ${f.message.ja}`.trim();

/**
 * Holds the rule's findings on a case to what the case expects. An invalid case's failures must be
 * exactly those expected, in any order: each expectation is matched with a failure that agrees on
 * everything it states; what is left is reported side by side, so a maintainer sees what differs.
 */
export function judge(c: RuleCase, made: MaterializedCase, findings: Finding[], ruleLoaded: boolean): { ok: boolean; problems: Localized[] } {
  const problems: Localized[] = [...made.problems];
  const say = (ja: string, en: string) => problems.push({ ja, en });
  if (!ruleLoaded) {
    say(`ルール ${c.ruleId} が読み込まれていません（ポリシーにないか、読込エラー）`, `rule ${c.ruleId} is not loaded (not defined, or failed to load)`);
    return { ok: false, problems };
  }
  // The case's own evidence must be valid: a typo in a case must not pass silently. References
  // from untouched base registers into a register the case replaced are not the case's concern.
  const given = new Set([...made.touched].map((k) => `${k}.yaml`));
  const input = findings.filter(
    (f) =>
      f.ruleId.startsWith('kitei/') &&
      f.location &&
      !f.code?.startsWith('policy/') &&
      !f.code?.startsWith('lint/') &&
      !f.code?.startsWith('catalog/') &&
      !(f.code === 'evidence/dangling-reference' && !given.has(path.basename(f.location.file))),
  );
  for (const f of input) say(`ケースの証跡が不正です: ${show(f)}`, `the case evidence is invalid: ${f.location?.file}:${f.location?.line} ${f.message.en}`);
  const mine = findings.filter((f) => f.ruleId === c.ruleId);
  const bad = mine.filter((f) => f.outcome === 'fail' || f.outcome === 'error');
  const has = (o: Finding['outcome']) => mine.some((f) => f.outcome === o);
  if (c.kind === 'valid') {
    for (const f of bad) say(`適合例なのに: ${show(f)}`, `a valid case, but: ${show(f)}`);
    if (!has('pass') && bad.length === 0) say('適合例なのに pass が1件もありません（ルールが適用されていない）', 'a valid case, but no pass: the rule did not apply to it');
  } else if (c.kind === 'notApplicable') {
    for (const f of mine.filter((f) => f.outcome !== 'not_applicable')) say(`適用外の例なのに: ${show(f)}`, `a not-applicable case, but: ${show(f)}`);
    if (!has('not_applicable')) say('適用外の例なのに not_applicable が1件もありません', 'a not-applicable case, but no not_applicable finding');
  } else {
    const written = [...made.touched].filter((k) => c.evidence[k] !== '');
    const defaultFile = written.length === 1 ? `${written[0]}.yaml` : undefined;
    const unmatched = [...bad];
    const missing: ExpectedFailure[] = [];
    for (const e of made.expect) {
      const i = unmatched.findIndex((f) => mismatch(e, f, defaultFile) === undefined);
      if (i >= 0) unmatched.splice(i, 1);
      else missing.push(e);
    }
    for (let i = 0; i < Math.max(missing.length, unmatched.length); i++) {
      const f = unmatched[i];
      const e = missing[i];
      if (!f) say(`期待した不適合がありません: ${describe(e!)}`, `expected failure not reported: ${describe(e!)}`);
      else if (!e) say(`期待していない所見: ${show(f)}`, `unexpected finding: ${show(f)}`);
      else {
        const d = mismatch(e, f, defaultFile)!;
        say(`所見が期待と違います（${d.ja}）: ${show(f)}`, `a finding differs from what was expected (${d.en}): ${show(f)}`);
      }
    }
  }
  return { ok: problems.length === 0, problems };
}

function describe(e: ExpectedFailure): string {
  const place = e.line !== undefined ? `${e.line}:${e.column}` : `${e.record ?? ''}${e.at ?? ''}`;
  return `${e.file ? `${e.file}:` : ''}${place} ${e.outcome ?? 'fail'} ${e.assertion ?? ''}${e.message ? ` 「${e.message}」` : ''}`.trim();
}

/** What of an expectation a finding does not meet (in both languages), or undefined when it meets all of it. */
function mismatch(e: ExpectedFailure, f: Finding, defaultFile: string | undefined): Localized | undefined {
  const ja: string[] = [];
  const en: string[] = [];
  const add = (j: string, x: string) => (ja.push(j), en.push(x));
  const file = e.file ?? defaultFile;
  if ((e.outcome ?? 'fail') !== f.outcome) add(`結果 ${e.outcome ?? 'fail'}`, `outcome ${e.outcome ?? 'fail'}`);
  if (e.assertion !== undefined && e.assertion !== f.assertion) add(`アサーション ${e.assertion}`, `assertion ${e.assertion}`);
  if (file !== undefined && path.basename(f.location?.file ?? '') !== file) add(`ファイル ${file}`, `file ${file}`);
  if (e.line !== f.location?.line || e.column !== f.location?.column) {
    const place = `${e.line ?? '?'}:${e.column ?? '?'}${e.named !== undefined ? ` (${e.named})` : ''}`;
    add(`位置 ${place}`, `line ${place}`);
  }
  // A finding about a whole register (scope: register) has no record id: its place, checked above, says which record.
  if (e.record !== undefined && f.recordId !== undefined && e.record !== f.recordId) add(`レコード ${e.record}`, `record ${e.record}`);
  if (e.message !== undefined && !f.message.ja.includes(e.message)) add(`メッセージ「${e.message}」`, `message 「${e.message}」`);
  return ja.length > 0 ? { ja: `期待: ${ja.join('、')}`, en: `expected ${en.join(', ')}` } : undefined;
}
