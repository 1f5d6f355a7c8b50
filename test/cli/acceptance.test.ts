import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, kitei } from '../harness/cli.js';
import { makeTree, REPO, snapshot } from '../harness/tree.js';

/**
 * The checks the users named: the committed evidence passes; one change to a copy of it gives
 * exactly the expected new finding, at the right line; broken input exits 2 with a position.
 */
const EVIDENCE = path.join(REPO, 'evidence');
const AS_OF = '2026-11-24';
const failures = (run: ReturnType<typeof kitei>) => json(run).findings.filter((f) => f.outcome === 'fail' || f.outcome === 'error');

/** Edits a copy of the evidence: replaces the first match of `find` after the line containing `anchor`. */
function editedCopy(file: string, anchor: string, find: RegExp, replace: string): { dir: string; line: number } {
  const dir = makeTree({}, EVIDENCE);
  const p = path.join(dir, file);
  const lines = readFileSync(p, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes(anchor));
  expect(start, `anchor ${anchor} in ${file}`).toBeGreaterThanOrEqual(0);
  const at = lines.findIndex((l, i) => i > start && find.test(l));
  lines[at] = lines[at]!.replace(find, replace);
  writeFileSync(p, lines.join('\n'));
  return { dir, line: at + 1 };
}

describe('kitei check on the committed evidence', () => {
  it('exits 0 and prints the as-of date and a summary', () => {
    const run = kitei(['check', 'evidence', '--as-of', AS_OF]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`kitei 規程適合チェック — 基準日: ${AS_OF}`);
    expect(run.stdout).toContain('集計');
    expect(run.stdout).toContain('結果: 不適合 0 件、エラー 0 件');
  });
  it('is deterministic: two runs give identical bytes', () => {
    const a = kitei(['check', 'evidence', '--as-of', AS_OF, '--format', 'json']);
    const b = kitei(['check', 'evidence', '--as-of', AS_OF, '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
    expect(json(a).summary.total.fail).toBe(0);
  });
  it('never writes into the evidence directory', () => {
    const dir = makeTree({}, EVIDENCE);
    const before = snapshot(dir);
    kitei(['check', dir, '--as-of', AS_OF]);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('one change, one finding', () => {
  it('raising one terminal idle time past 5 minutes gives exactly one failure citing 第16条第2項 at that line', () => {
    const { dir, line } = editedCopy('terminals.yaml', 'id: T-007', /idleMinutes: \d+/, 'idleMinutes: 15');
    const run = kitei(['check', dir, '--as-of', AS_OF, '--format', 'json']);
    expect(run.code).toBe(1);
    const f = failures(run);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'terminal-screen-lock', assertion: 'idle-time', recordId: 'T-007', outcome: 'fail' });
    expect(f[0]!.clauses[0]!.ja).toBe('第16条第2項');
    expect(f[0]!.location).toMatchObject({ line, column: 7 });
    expect(f[0]!.location!.file.endsWith('/terminals.yaml')).toBe(true);
    // The text report shows the same position.
    const text = kitei(['check', dir, '--as-of', AS_OF]).stdout;
    expect(text).toContain(`terminals.yaml:${line}:7  不適合  high  terminal-screen-lock  第16条第2項`);
  });
  it('removing one of the twelve items from one contract gives one failure naming that item', () => {
    const { dir } = editedCopy('contracts.yaml', 'id: C-003', /^      noTakeOut: .*$/, '');
    const run = kitei(['check', dir, '--as-of', AS_OF, '--format', 'json']);
    expect(run.code).toBe(1);
    const f = failures(run);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'contract-required-items', recordId: 'C-003' });
    expect(f[0]!.clauses[0]!.ja).toBe('第12条第3項');
    expect(f[0]!.message.ja).toContain('第12条第3項第2号「事業所内からの個人情報の持出しの禁止」');
    expect(f[0]!.message.en).toMatch(/^Contract C-003 does not provide Art. 12\(3\)\(2\) /);
  });
  it('a YAML syntax error in one file is an error with its line; the other files are still checked; exit 2', () => {
    const dir = makeTree({}, EVIDENCE);
    const p = path.join(dir, 'media.yaml');
    const lines = readFileSync(p, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('id: M-003'));
    lines[at] = lines[at]!.replace('id: M-003', 'id: M-003: nested: mapping');
    writeFileSync(p, lines.join('\n'));
    const run = kitei(['check', dir, '--as-of', AS_OF, '--format', 'json']);
    expect(run.code).toBe(2);
    const errors = failures(run).filter((f) => f.outcome === 'error');
    expect(errors.map((f) => f.ruleId)).toContain('kitei/evidence-yaml-syntax');
    const syntax = errors.find((f) => f.ruleId === 'kitei/evidence-yaml-syntax')!;
    expect(syntax.location!.file.endsWith('/media.yaml')).toBe(true);
    expect(syntax.location!.line).toBeGreaterThanOrEqual(at + 1);
    // Other registers were evaluated: the terminals' rule still counts its passes.
    const rules = (JSON.parse(run.stdout) as { rules: { id: string; outcomes: { pass: number } }[] }).rules;
    expect(rules.find((r) => r.id === 'terminal-screen-lock')!.outcomes.pass).toBeGreaterThan(0);
  });
});

describe('policies are checked before use', () => {
  it('a misspelt field in a policy is refused at load with its position, exit 2', () => {
    const dir = makeTree({}, path.join(REPO, 'policies'));
    const p = path.join(dir, 'terminals.yaml');
    const text = readFileSync(p, 'utf8');
    writeFileSync(p, text.replace('    severity: high\n', '    severty: high\n'));
    const line = text.split('\n').findIndex((l) => l === '    severity: high') + 1;
    const run = kitei(['check', 'evidence', '--policies', dir, '--as-of', AS_OF, '--lang', 'en']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(new RegExp(`terminals\\.yaml:${line}:5  error  high  kitei/policy-schema\\n      Invalid policy: /rules/0/severty: unknown field "severty"`));
  });
});

describe('validate and rules', () => {
  it('kitei validate passes the committed evidence and fails a broken copy with exit 2', () => {
    const ok = kitei(['validate', 'evidence']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^evidence: \d+ ファイル、\d+ レコード、問題 0 件 → 終了コード 0\n$/);
    const bad = kitei(['validate', 'examples/broken-evidence/evidence', '--lang', 'en']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('examples/broken-evidence/evidence/media.yaml:6:5  error  high  kitei/evidence-yaml-syntax');
  });
  it('kitei rules lists every rule with its clause, and no problems', () => {
    const run = kitei(['rules', '--format', 'json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { rules: { id: string; clauses: { ja: string }[] }[]; problems: unknown[] };
    expect(doc.problems).toEqual([]);
    expect(doc.rules.length).toBeGreaterThanOrEqual(30);
    expect(doc.rules.find((r) => r.id === 'terminal-screen-lock')!.clauses.map((c) => c.ja)).toEqual(['第16条第2項', '第5条第10号']);
    const text = kitei(['rules']).stdout;
    expect(text).toMatch(/第16条第2項・第5条第10号\s+high\s+terminals\s+terminal-screen-lock\s+5分以内のパスワード付きスクリーンロック又は自動ログオフ/);
  });
});

describe('output and parameters', () => {
  it('--output writes the report atomically to a file, not to stdout', () => {
    const dir = makeTree({});
    const out = path.join(dir, 'reports', 'findings.json');
    const run = kitei(['check', 'examples/contract-missing-items/evidence', '--as-of', AS_OF, '--format', 'json', '--output', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/findings\.json: 2 failures, 0 errors, exit code 1\n$/);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.total.fail).toBe(2);
  });
  it('--param changes a rule parameter for the run, and the report shows the value used', () => {
    const run = kitei(['check', 'examples/terminal-lock-and-screen/evidence', '--as-of', AS_OF, '--param', 'terminal-screen-lock.maxIdleMinutes=12']);
    expect(run.stdout).not.toContain('terminal-screen-lock  第16条第2項');
    const strict = kitei(['check', 'policies/tests/base', '--as-of', AS_OF, '--param', 'terminal-screen-lock.maxIdleMinutes=3']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('パラメータ: maxIdleMinutes=3');
    const bad = kitei(['check', 'evidence', '--as-of', AS_OF, '--param', 'terminal-screen-lock.maxIdle=3']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('ルール terminal-screen-lock にパラメータ maxIdle はありません。');
  });
});

describe('usage errors', () => {
  it('a bad option value exits 2 with a message and no stack trace', () => {
    const run = kitei(['check', 'evidence', '--as-of', '2026-13-01']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--as-of');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const fmt = kitei(['check', '--format', 'xml']);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain("オプション '--format <format>' の値 'xml' は使えません。 text, json,");
    expect(kitei(['check', '--format', 'xml', '--lang', 'en']).stderr).toContain('format must be one of: text, json');
  });
  it('a missing evidence directory exits 2', () => {
    const run = kitei(['check', 'no-such-dir', '--as-of', AS_OF]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`kitei: directory not found or unreadable: no-such-dir\n`);
  });
  it('--help lists the commands', () => {
    const run = kitei(['--help']);
    expect(run.code).toBe(0);
    for (const c of ['check', 'validate', 'rules']) expect(run.stdout).toContain(c);
  });
  it('the default as-of date is today, and it is printed', () => {
    const run = kitei(['check', 'evidence', '--format', 'json']);
    expect(json(run).asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
