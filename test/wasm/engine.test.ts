/**
 * The Wasm engine end to end, on ABI test doubles built during the test from test/wasm/opa-double.ts
 * (WAT compiled with wabt; not OPA, not Rego: see that file). The policies are kitei's own (CEL)
 * with Wasm bundles and their kitei manifests added; the evidence is the repository's example.
 * Needs the build (dist/engine/wasm/worker.js): `npx tsc -p tsconfig.build.json`.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../src/check.js';
import { safeEntryName, untar } from '../../src/engine/wasm/bundle.js';
import { interpret } from '../../src/engine/wasm/engine.js';
import { buildDouble, compileWat } from './opa-double.js';
import { kitei } from '../harness/cli.js';
import { sarifErrors } from '../harness/sarif.js';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-11-24';
const CLAUSE = { article: 16, paragraph: 2 };

async function tarGz(files: Record<string, Uint8Array | string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, body] of Object.entries(files)) pack.entry({ name }, Buffer.from(body));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

const text = (ja: string, en: string) => ({ ja, en });

function rule(id: string, entrypoint: string | number, extra: Record<string, unknown> = {}) {
  return {
    id,
    entrypoint,
    clauses: [CLAUSE],
    quote: '特定の時間（5分以内）使用しなかった場合は…スクリーンロック又は、自動ログオフ機能を設定する。',
    title: text(`${id} の題`, `${id} title`),
    message: text(`端末が ${id} に反しています`, `The terminal breaks ${id}`),
    remediation: text('設定を直す', 'Fix the setting'),
    severity: 'high',
    register: 'terminals',
    ...extra,
  };
}

function manifest(dir: string, name: string, bundle: string, rules: unknown[]) {
  writeFileSync(path.join(dir, `${name}.kitei.yaml`), JSON.stringify({ bundle, rules }, null, 2));
}

let work: string;
let result: CheckResult;
let clean: string;

beforeAll(async () => {
  process.env.KITEI_WASM_TIMEOUT_MS = '1500';
  process.env.KITEI_WASM_MAX_PAGES = '64';
  work = mkdtempSync(path.join(tmpdir(), 'kitei-wasm-'));
  const policies = path.join(work, 'policies');
  cpSync(path.join(root, 'policies'), policies, { recursive: true });
  rmSync(path.join(policies, 'tests'), { recursive: true, force: true });

  // A gzip bundle (ABI 1.3) with data, Rego source, several entrypoints, one host builtin.
  const screen = await buildDouble({
    minor: 3,
    builtins: ['json.is_valid'],
    entrypoints: [
      { name: 'kitei/screen_lock/allow', behaviour: { kind: 'bool', token: '"id":"T-004"' } },
      { name: 'kitei/screen_lock/violations', behaviour: { kind: 'violations', token: '"id":"T-004"', violations: [{ assertion: 'idle-minutes', path: '/screenLock/idleMinutes', message: text('T-004 のロック時間', 'T-004 lock time'), params: { maxIdleMinutes: 5 } }] } },
      { name: 'kitei/screen_lock/from_data', behaviour: { kind: 'data' } },
      { name: 'kitei/screen_lock/builtin', behaviour: { kind: 'builtin', arg: '{"a":1}' } },
    ],
  });
  const sl = path.join(policies, 'rego');
  mkdirSync(sl);
  writeFileSync(
    path.join(sl, 'screen-lock.tar.gz'),
    await tarGz({ '/policy.wasm': screen, '/data.json': JSON.stringify([{ assertion: 'from-data', path: '/hostname', message: text('データから', 'from data') }]), '/.manifest': '{"revision":"t"}', '/kitei/screen_lock.rego': 'package kitei.screen_lock\n' }),
  );
  manifest(sl, 'screen-lock', 'screen-lock.tar.gz', [
    rule('wasm-screen-lock-allow', 'kitei/screen_lock/allow'),
    rule('wasm-screen-lock-violations', 1, { parameters: { maxIdleMinutes: { type: 'int', default: 5, unit: '分', description: text('上限', 'limit'), source: { clause: CLAUSE, quote: '5分以内' } } } }),
    rule('wasm-screen-lock-data', 'kitei/screen_lock/from_data'),
    rule('wasm-screen-lock-builtin', 'kitei/screen_lock/builtin'),
  ]);

  // A bare policy.wasm (ABI 1.1, the eval-context exports) with data.json beside it.
  const legacy = path.join(policies, 'legacy');
  mkdirSync(legacy);
  writeFileSync(path.join(legacy, 'policy.wasm'), await buildDouble({ minor: 1, entrypoints: [{ name: 'allow', behaviour: { kind: 'bool', token: '"id":"T-002"' } }] }));
  writeFileSync(path.join(legacy, 'data.json'), '{}');
  manifest(legacy, 'legacy', 'policy.wasm', [rule('wasm-legacy-allow', 0)]);

  // Hostile and broken modules, each in its own folder.
  const broken = (name: string, file: string, bytes: Uint8Array | string, rules: unknown[]) => {
    const d = path.join(policies, 'broken', name);
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, file), bytes);
    manifest(d, name, file, rules);
  };
  broken('hostile', 'hostile.wasm', await buildDouble({ minor: 2, entrypoints: [{ name: 'trap', behaviour: { kind: 'trap' } }, { name: 'loop', behaviour: { kind: 'loop' } }, { name: 'alloc', behaviour: { kind: 'alloc' } }, { name: 'bad', behaviour: { kind: 'const', result: 'yes' } }] }), [
    rule('wasm-trap', 'trap'),
    rule('wasm-loop', 'loop'),
    rule('wasm-alloc', 'alloc'),
    rule('wasm-bad-result', 'bad'),
  ]);
  broken('notwasm', 'notwasm.wasm', 'this is not WebAssembly', [rule('wasm-notwasm', 0)]);
  broken('notopa', 'notopa.wasm', await compileWat('(module (memory (export "memory") 1) (func (export "_start")))'), [rule('wasm-notopa', 0)]);
  broken('http', 'http.wasm', await buildDouble({ minor: 3, builtins: ['http.send'], entrypoints: [{ name: 'allow', behaviour: { kind: 'bool', token: 'x' } }] }), [rule('wasm-http', 0)]);
  broken('noentry', 'noentry.wasm', await buildDouble({ minor: 3, entrypoints: [{ name: 'allow', behaviour: { kind: 'bool', token: 'x' } }] }), [rule('wasm-noentry', 'deny')]);

  result = await check({ evidenceDir: path.join(root, 'evidence'), policiesDir: policies, asOf: AS_OF, record: false });

  // For the other commands: kitei's policies with their rule cases, the screen-lock bundle, and a
  // case file for one of its rules (the double fails a terminal whose record holds "id":"T-004").
  clean = path.join(work, 'clean');
  cpSync(path.join(root, 'policies'), clean, { recursive: true });
  cpSync(sl, path.join(clean, 'rego'), { recursive: true });
  const terminal = (id: string) => `register: terminals\ncapturedAt: "2026-11-20"\nrecords:\n  - id: ${id}\n    hostname: TEST-PC001\n    kind: desktop\n    ownership: union\n    connectedToLan: true\n    status: active\n    screenLock: { method: password-lock, idleMinutes: 5 }\n    screenFacesAisle: false\n    antivirus: { product: AV, installed: true, realtimeProtection: true, autoUpdate: true, patternDate: "2026-11-19", lastFullScan: "2026-11-16" }\n`;
  writeFileSync(
    path.join(clean, 'tests', 'wasm.yaml'),
    JSON.stringify({
      asOf: AS_OF,
      rules: {
        'wasm-screen-lock-allow': {
          valid: [{ name: 'a terminal the policy allows', evidence: { terminals: terminal('T-001') } }],
          invalid: [{ name: 'the terminal the policy refuses', evidence: { terminals: terminal('T-004') }, expect: [{ record: 'T-004', line: 4, column: 5 }] }],
        },
      },
    }),
  );
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const of = (id: string) => result.findings.filter((f) => f.ruleId === id);

describe('Wasm rules beside CEL rules', () => {
  it('runs a boolean entrypoint by name: one failure, passes elsewhere, with the clause', () => {
    const fails = of('wasm-screen-lock-allow').filter((f) => f.outcome === 'fail');
    expect(fails.map((f) => f.recordId)).toEqual(['T-004']);
    expect(fails[0]!.clauses).toEqual([CLAUSE]);
    expect(fails[0]!.message.en).toBe('The terminal breaks wasm-screen-lock-allow');
    expect(of('wasm-screen-lock-allow').filter((f) => f.outcome === 'pass').length).toBeGreaterThan(5);
  });

  it('maps a violation path (entrypoint by number) to the line and column of the evidence', () => {
    const [f, ...rest] = of('wasm-screen-lock-violations').filter((x) => x.outcome === 'fail');
    expect(rest).toEqual([]);
    const lines = readFileSync(path.join(root, 'evidence/terminals.yaml'), 'utf8').split('\n');
    const t4 = lines.findIndex((l) => l.includes('- id: T-004'));
    const line = lines.findIndex((l, i) => i > t4 && l.includes('idleMinutes:'));
    expect(f).toMatchObject({ ruleId: 'wasm-screen-lock-violations', assertion: 'idle-minutes', recordId: 'T-004', message: { ja: 'T-004 のロック時間' }, params: { maxIdleMinutes: 5 } });
    expect(f!.location).toMatchObject({ file: expect.stringMatching(/terminals\.yaml$/), pointer: '/records/3/screenLock/idleMinutes', line: line + 1, column: lines[line]!.indexOf('idleMinutes') + 1 });
  });

  it('gives the policy the bundle data, and answers a host builtin call', () => {
    const data = of('wasm-screen-lock-data').filter((f) => f.outcome === 'fail');
    expect(data.length).toBeGreaterThan(5);
    expect(data[0]).toMatchObject({ assertion: 'from-data', message: { en: 'from data' } });
    expect(data[0]!.location!.pointer).toMatch(/^\/records\/\d+\/hostname$/);
    const builtin = of('wasm-screen-lock-builtin');
    expect(builtin.length).toBeGreaterThan(5);
    expect(builtin.every((f) => f.outcome === 'pass')).toBe(true);
  });

  it('runs an ABI 1.1 bare policy.wasm', () => {
    expect(of('wasm-legacy-allow').filter((f) => f.outcome === 'fail').map((f) => f.recordId)).toEqual(['T-002']);
  });

  it('turns a trap, an endless loop, unbounded allocation and a malformed result into error findings naming the bundle', () => {
    for (const id of ['wasm-trap', 'wasm-loop', 'wasm-alloc', 'wasm-bad-result']) {
      const errors = of(id);
      expect(errors.length, id).toBeGreaterThan(0);
      expect(errors.every((f) => f.outcome === 'error' && f.code === 'rule/evaluation-error' && f.message.en.includes('hostile.wasm')), id).toBe(true);
    }
    // A loop is stopped once and not run on the rule's other records.
    expect(of('wasm-loop')).toHaveLength(1);
    expect(of('wasm-loop')[0]!.message.en).toContain('time limit');
  });

  it('refuses bundles that are not Wasm, not OPA, need unsupported builtins, or lack an entrypoint, at the manifest', () => {
    const problem = (code: string, bundle: string) => result.findings.find((f) => f.ruleId === `kitei/${code}` && f.message.en.includes(bundle));
    expect(problem('policy-wasm-bundle', 'notwasm.wasm')?.location).toMatchObject({ file: expect.stringMatching(/notwasm\.kitei\.yaml$/), line: 2 });
    expect(problem('policy-wasm-not-opa', 'notopa.wasm')).toBeDefined();
    expect(problem('policy-wasm-unsupported-builtins', 'http.wasm')?.message.en).toContain('http.send');
    expect(problem('policy-wasm-entrypoint', 'noentry.wasm')?.message.en).toContain('allow (0)');
    for (const id of ['wasm-notwasm', 'wasm-notopa', 'wasm-http', 'wasm-noentry']) expect(of(id)).toEqual([]);
  });

  it('still runs every CEL rule, and lists the Wasm rules among the rules applied', () => {
    const ids = new Set(result.rules.map((r) => r.rule.id));
    expect(ids.has('terminal-screen-lock')).toBe(true);
    expect(ids.has('wasm-screen-lock-violations')).toBe(true);
    expect(result.runs.find((r) => r.ruleId === 'terminal-screen-lock')!.evaluated).toBeGreaterThan(5);
    expect(result.rules.find((r) => r.rule.id === 'wasm-screen-lock-violations')!.params).toEqual({ maxIdleMinutes: 5 });
    // Bound to the catalog: no clause problem for the Wasm rules.
    expect(result.findings.filter((f) => f.ruleId.startsWith('kitei/catalog') && f.message.en.includes('wasm-'))).toEqual([]);
  });

  it('gives the same result with --jobs 2: the files are read on two threads, the rules evaluated on this one', async () => {
    const two = await check({ evidenceDir: path.join(root, 'evidence'), policiesDir: path.join(work, 'policies'), asOf: AS_OF, record: false, input: { jobs: 2 } });
    // (The rules' sources differ: this second load of the policies comes from the policy cache.)
    expect(two.findings).toEqual(result.findings);
    expect(two.runs).toEqual(result.runs);
  });
});

describe('bundle reading and results', () => {
  it('refuses tar entries that climb out, and keeps the bundle root', async () => {
    expect(safeEntryName('/policy.wasm')).toBe('policy.wasm');
    expect(() => safeEntryName('../etc/passwd')).toThrow(/unsafe/);
    expect(() => safeEntryName('a/../../x')).toThrow(/unsafe/);
    expect(() => safeEntryName('C:\\x')).toThrow(/unsafe/);
    const pack = tar.pack();
    pack.entry({ name: 'link', type: 'symlink', linkname: '/etc/passwd' });
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const c of pack) chunks.push(c as Buffer);
    await expect(untar(Buffer.concat(chunks))).rejects.toThrow(/symlink/);
  });

  it('reads result sets: true, false, undefined, violations, nonsense', () => {
    expect(interpret([{ result: true }])).toEqual({ violations: [] });
    expect(interpret([{ result: false }])).toEqual({ violations: [{}] });
    expect(interpret([])).toEqual({ violations: [{}] });
    expect(interpret([{ result: [{ path: '/a', message: { ja: 'あ', en: 'a' } }] }])).toEqual({ violations: [{ path: '/a', message: { ja: 'あ', en: 'a' } }] });
    expect(interpret([{ result: 'yes' }])).toHaveProperty('error');
    expect(interpret([{ result: [{ path: 'a' }] }])).toHaveProperty('error');
  });
});

describe('Wasm rules in the other commands (through the CLI)', () => {
  const run = (...args: string[]) => kitei(args, root, { KITEI_WASM_TIMEOUT_MS: '5000' });

  it('kitei rules lists them with their clause', () => {
    const r = run('rules', '--policies', clean, '--lang', 'en');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Art\. 16\(2\)\s+high\s+terminals\s+wasm-screen-lock-violations\s/);
  });

  it('kitei explain shows the manifest, the entrypoint and the Rego sources of the bundle', () => {
    const r = run('explain', 'wasm-screen-lock-violations', '--policies', clean, '--lang', 'en');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('screen-lock.tar.gz');
    expect(r.stdout).toContain('package kitei.screen_lock');
  });

  it('kitei coverage counts them for their clause', () => {
    const r = run('coverage', 'evidence', '--as-of', AS_OF, '--policies', clean, '--format', 'json');
    const rows = (JSON.parse(r.stdout) as { clauses: { clause: { article: number; paragraph?: number }; rules: { id: string }[] }[] }).clauses;
    const row = rows.find((c) => c.clause.article === 16 && c.clause.paragraph === 2 && !('item' in c.clause));
    expect(row?.rules.map((x) => x.id)).toEqual(expect.arrayContaining(['terminal-screen-lock', 'wasm-screen-lock-allow', 'wasm-screen-lock-violations']));
  });

  it('their findings are ordinary findings in every report: SARIF valid against the OASIS schema', () => {
    const r = run('check', 'evidence', '--as-of', AS_OF, '--policies', clean, '--format', 'sarif');
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[]; tool: { driver: { rules: { id: string }[] } } }[] };
    expect(sarifErrors(sarif)).toEqual([]);
    expect(sarif.runs[0]!.tool.driver.rules.map((d) => d.id)).toContain('wasm-screen-lock-violations');
    expect(sarif.runs[0]!.results.filter((x) => x.ruleId === 'wasm-screen-lock-violations')).toHaveLength(1);
  });

  it('kitei test runs the same YAML cases against a Wasm rule', () => {
    const r = run('test', '--policies', clean, '--rule', 'wasm-screen-lock-allow', '--lang', 'en');
    expect(r.stdout + r.stderr).toContain('wasm-screen-lock-allow');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});
