import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWith, loadRules, type Loaded } from '../../src/check.js';
import type { Finding, Outcome } from '../../src/core/findings.js';

/**
 * A RuleTester in the manner of ESLint's: each rule gets `valid` cases (evidence the rule must
 * pass) and `invalid` cases (evidence it must fail, with the exact assertion, line and column
 * of every failure). Evidence is the small organisation in policies/tests/base, with the
 * registers a case gives replacing the base ones.
 */
export interface RuleCase {
  name: string;
  /** Register kind → the YAML text of that register's file, replacing the base fixture's. */
  files?: Record<string, string>;
  asOf?: string;
  params?: Record<string, unknown>;
}

export interface ExpectedFinding {
  assertion?: string;
  line: number;
  column: number;
  recordId?: string;
  outcome?: Outcome;
  /** Substring (or pattern) of the Japanese message. */
  message?: string | RegExp;
}

export interface InvalidCase extends RuleCase {
  errors: ExpectedFinding[];
}

export interface RuleTests {
  valid: RuleCase[];
  invalid: InvalidCase[];
  /** Cases where the rule must not apply at all (outside its period, condition false). */
  notApplicable?: RuleCase[];
}

const BASE = path.resolve(import.meta.dirname, '../../policies/tests/base');
const DEFAULT_AS_OF = '2026-11-24';
const rulesCache = new Map<string, Promise<Loaded>>();
const dirs: string[] = [];

function rules(params: Record<string, Record<string, unknown>>): Promise<Loaded> {
  const key = JSON.stringify(params);
  let p = rulesCache.get(key);
  if (!p) rulesCache.set(key, (p = loadRules({ params })));
  return p;
}

export async function runCase(ruleId: string, c: RuleCase): Promise<{ mine: Finding[]; all: Finding[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kitei-rule-'));
  dirs.push(dir);
  cpSync(BASE, dir, { recursive: true });
  for (const [kind, text] of Object.entries(c.files ?? {})) writeFileSync(path.join(dir, `${kind}.yaml`), text);
  const loaded = await rules(c.params ? { [ruleId]: c.params } : {});
  const result = await checkWith(loaded, { evidenceDir: dir, asOf: c.asOf ?? DEFAULT_AS_OF });
  const inputProblems = result.findings.filter((f) => f.ruleId.startsWith('kitei/'));
  expect(inputProblems.map((f) => `${f.location?.file}:${f.location?.line} ${f.message.en}`), 'the case evidence itself must be valid').toEqual([]);
  expect(result.rules.map((r) => r.rule.id), `rule ${ruleId} must be loaded`).toContain(ruleId);
  return { mine: result.findings.filter((f) => f.ruleId === ruleId), all: result.findings };
}

export function testRule(ruleId: string, tests: RuleTests): void {
  describe(ruleId, () => {
    afterAll(() => {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });
    for (const c of tests.valid) {
      it(`valid: ${c.name}`, async () => {
        const { mine } = await runCase(ruleId, c);
        expect(mine.filter((f) => f.outcome === 'fail' || f.outcome === 'error').map(show)).toEqual([]);
        expect(mine.some((f) => f.outcome === 'pass'), 'a valid case must actually exercise the rule (at least one pass)').toBe(true);
      });
    }
    for (const c of tests.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const { mine } = await runCase(ruleId, c);
        const got = mine.filter((f) => f.outcome === 'fail' || f.outcome === 'error');
        expect(got.map((f) => ({ assertion: f.assertion, line: f.location?.line, column: f.location?.column, outcome: f.outcome }))).toEqual(
          c.errors.map((e) => ({ assertion: e.assertion, line: e.line, column: e.column, outcome: e.outcome ?? 'fail' })),
        );
        c.errors.forEach((e, i) => {
          if (e.recordId) expect(got[i]!.recordId).toBe(e.recordId);
          if (e.message) expect(got[i]!.message.ja).toMatch(e.message);
          // Every failure cites the rule's clauses.
          expect(got[i]!.clauses?.length).toBeGreaterThan(0);
        });
      });
    }
    for (const c of tests.notApplicable ?? []) {
      it(`not applicable: ${c.name}`, async () => {
        const { mine } = await runCase(ruleId, c);
        expect(mine.length).toBeGreaterThan(0);
        expect(mine.map((f) => f.outcome)).toEqual(mine.map(() => 'not_applicable'));
      });
    }
  });
}

function show(f: Finding): string {
  return `${f.outcome} ${f.assertion ?? ''} ${f.location?.line}:${f.location?.column} ${f.message.en}`;
}
