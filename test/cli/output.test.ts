import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitei } from '../harness/cli.js';
import { BASE_FIXTURE, makeTree, snapshot } from '../harness/tree.js';

/**
 * Nothing kitei writes can land among what it reads: --output is checked before anything is
 * read or evaluated, and a refused path leaves every byte of the evidence as it was.
 */
describe('--output never touches the evidence, the policies or the schemas', () => {
  const work = () => {
    const root = makeTree({});
    const evidence = path.join(root, 'evidence');
    mkdirSync(evidence);
    for (const name of readdirSync(BASE_FIXTURE)) writeFileSync(path.join(evidence, name), readFileSync(path.join(BASE_FIXTURE, name)));
    return { root, evidence, before: snapshot(evidence) };
  };

  it.each([
    ['an evidence file', 'evidence/terminals.yaml'],
    ['a new file among the evidence', 'evidence/report.yaml'],
    ['a new folder below the evidence', 'evidence/reports/findings.json'],
    ['the evidence through ..', 'out/../evidence/x.json'],
  ])('refuses %s with a usage error, before reading anything', (_, output) => {
    const { root, evidence, before } = work();
    const run = kitei(['check', 'evidence', '--as-of', '2026-11-24', '--output', output], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`kitei: --output ${output}: inside the evidence directory evidence; kitei never writes there. Write the report elsewhere (e.g. reports/).\n`);
    expect(snapshot(evidence)).toEqual(before);
    expect(existsSync(path.join(root, 'out'))).toBe(false);
  });

  it('follows a symbolic link to where it really points', () => {
    const { root, evidence, before } = work();
    symlinkSync(path.join(evidence, 'terminals.yaml'), path.join(root, 'report.txt'));
    symlinkSync(evidence, path.join(root, 'reports'));
    for (const output of ['report.txt', 'reports/findings.json']) {
      const run = kitei(['check', 'evidence', '--as-of', '2026-11-24', '--output', output], root);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('inside the evidence directory evidence');
    }
    expect(snapshot(evidence)).toEqual(before);
  });

  it('refuses a directory, and a path through a file, without leaving temporary files', () => {
    const { root, evidence, before } = work();
    mkdirSync(path.join(root, 'out'));
    const dir = kitei(['check', 'evidence', '--as-of', '2026-11-24', '--output', 'out'], root);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toBe('kitei: --output out: is a directory; name a file\n');
    writeFileSync(path.join(root, 'plain.txt'), 'x');
    const through = kitei(['check', 'evidence', '--as-of', '2026-11-24', '--output', 'plain.txt/report.json'], root);
    expect(through.code).toBe(2);
    expect(through.stderr).toBe(`kitei: --output plain.txt/report.json: ${path.join(root, 'plain.txt')} is not a directory\n`);
    expect(readdirSync(root).sort()).toEqual(['evidence', 'out', 'plain.txt']);
    expect(readdirSync(path.join(root, 'out'))).toEqual([]);
    expect(snapshot(evidence)).toEqual(before);
  });

  it('holds for every command that writes, against the policies and schemas it reads', () => {
    const { root } = work();
    const policies = makeTree({ 'p.yaml': 'rules: []\n' });
    const cases: [string[], string][] = [
      [['rules', '--policies', policies, '--output', path.join(policies, 'rules.txt')], 'policies'],
      [['explain', 'terminal-screen-lock', '--output', path.join(import.meta.dirname, '../../policies/explain.txt')], 'policies'],
      [['validate', 'evidence', '--output', 'evidence/v.txt'], 'evidence'],
      [['coverage', 'evidence', '--as-of', '2026-11-24', '--output', path.join(import.meta.dirname, '../../schemas/c.txt')], 'schemas'],
      [['due', 'evidence', '--as-of', '2026-11-24', '--output', 'evidence/due.txt'], 'evidence'],
      [['test', '--policies', policies, '--output', path.join(policies, 'tests', 'out.txt')], 'policies'],
    ];
    for (const [args, dir] of cases) {
      const run = kitei(args, root);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain(`inside the ${dir} directory`);
    }
    expect(readdirSync(policies)).toEqual(['p.yaml']);
  });

  it('writes the report atomically where it is allowed, creating its folder, with no temporary file left', () => {
    const { root, evidence, before } = work();
    const run = kitei(['check', 'evidence', '--as-of', '2026-11-24', '--format', 'json', '--output', 'reports/2026/findings.json'], root);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^reports\/2026\/findings\.json: 0 failures, 0 errors, exit code 0\n$/);
    expect(readdirSync(path.join(root, 'reports/2026'))).toEqual(['findings.json']);
    expect((JSON.parse(readFileSync(path.join(root, 'reports/2026/findings.json'), 'utf8')) as { exitCode: number }).exitCode).toBe(0);
    expect(snapshot(evidence)).toEqual(before);
  });
});
