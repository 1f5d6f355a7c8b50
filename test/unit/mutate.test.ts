import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { DEFAULT_POLICIES_DIR } from '../../src/check.js';
import { loadRuleTests } from '../../src/rule-tests/load.js';
import { applyMutation, mutateRules, mutationsOf, type MutantResult } from '../../src/rule-tests/mutate.js';
import { formatMutationReport } from '../../src/rule-tests/mutate-report.js';
import { Environment } from '@marcbachmann/cel-js';

/** Mutation testing of the rules (`kitei test --mutate`): the mutations, then runs on shipped rules. */

const survivor = (m: MutantResult) => `${m.ruleId} ${m.target} ${path.basename(m.location.file)}:${m.location.line}:${m.location.column} ${m.mutation.kind} ${m.mutation.original} → ${m.mutation.replacement}`;

describe('mutations of one expression', () => {
  const env = new Environment().registerVariable('record', 'dyn').registerVariable('params', 'dyn');
  const mutants = (text: string, parameters = {}) => mutationsOf(text, env.parse(text).ast, parameters).map((m) => applyMutation(text, m));

  it('flips comparisons, moves boundaries, swaps && and ||, negates has() and removes !, in the order of their position, never inside a string', () => {
    expect(mutants('!has(record.a) || (record.n) <= 5 && record.s == "a <= b"')).toEqual([
      'has(record.a) || (record.n) <= 5 && record.s == "a <= b"',
      '!has(record.a) && (record.n) <= 5 && record.s == "a <= b"',
      '!has(record.a) || (record.n) > 5 && record.s == "a <= b"',
      '!has(record.a) || (record.n) < 5 && record.s == "a <= b"',
      '!has(record.a) || (record.n) <= 5 || record.s == "a <= b"',
      '!has(record.a) || (record.n) <= 5 && record.s != "a <= b"',
    ]);
    expect(mutants('has(record.a)')).toEqual(['!has(record.a)']);
  });

  it('replaces a numeric parameter by its default ± 1, and leaves others alone', () => {
    const parameters = { max: { type: 'int', default: 5 }, name: { type: 'string', default: 'x' } };
    expect(mutants('record.n <= params.max && record.s == params.name', parameters)).toEqual([
      'record.n > params.max && record.s == params.name',
      'record.n < params.max && record.s == params.name',
      'record.n <= 6 && record.s == params.name',
      'record.n <= 4 && record.s == params.name',
      'record.n <= params.max || record.s == params.name',
      'record.n <= params.max && record.s != params.name',
    ]);
  });
});

describe('kitei test --mutate on shipped rules', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'kitei-mutate-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('every mutant of terminal-screen-lock is killed by its cases', async () => {
    const report = await mutateRules(await loadRuleTests(DEFAULT_POLICIES_DIR), { ruleId: 'terminal-screen-lock' });
    expect(report.problems).toEqual([]);
    expect(report.total).toEqual({ mutants: 16, killed: 16, survived: 0, notCompiled: 0, score: 1 });
    expect(report.survivors).toEqual([]);
  });

  it('account-application-review keeps one survivor, shown with its position and both expressions', async () => {
    const report = await mutateRules(await loadRuleTests(DEFAULT_POLICIES_DIR), { ruleId: 'account-application-review' });
    expect(report.survivors.map(survivor)).toEqual(['account-application-review reviewed-by-manager accounts.yaml:102:75 flip-logic || → &&']);
    expect(report.rules.map((r) => [r.ruleId, r.killed, r.mutants])).toEqual([['account-application-review', 22, 23]]);
    const text = formatMutationReport(report, 'en', 0);
    expect(text).toContain('policies/accounts.yaml:102:75  account-application-review reviewed-by-manager: && and || swapped || → &&');
    expect(text).toContain('score 95.7%');
  });

  it('a weaker case set (the not-applicable case removed) lowers the score: dropping the when survives', async () => {
    const dir = path.join(work, 'policies');
    cpSync(DEFAULT_POLICIES_DIR, dir, { recursive: true });
    const file = path.join(dir, 'tests', 'terminals.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    doc.deleteIn(['rules', 'terminal-screen-lock', 'notApplicable']);
    writeFileSync(file, doc.toString());
    const report = await mutateRules(await loadRuleTests(dir), { policiesDir: dir, ruleId: 'terminal-screen-lock' });
    expect(report.problems).toEqual([]);
    expect(report.total.score).toBeLessThan(1);
    expect(report.survivors.map(survivor)).toEqual(['terminal-screen-lock when terminals.yaml:26:11 drop-when record.status != "disposed" → true']);
  });
});
