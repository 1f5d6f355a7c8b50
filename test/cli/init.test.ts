import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitei } from '../harness/cli.js';
import { makeTree, REPO, snapshot } from '../harness/tree.js';

const KINDS = ['accounts', 'staff', 'terminals', 'vendorAttestations'];

describe('kitei init', () => {
  it('scaffolds templates, waivers, config, workflow and editor settings, and never overwrites', () => {
    const dir = makeTree({ 'kitei.config.yaml': 'evidence: mine\n' });
    const first = kitei(['init', dir, '--lang', 'en']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Skipped, already there (1):\n  kitei.config.yaml');
    expect(readFileSync(path.join(dir, 'kitei.config.yaml'), 'utf8')).toBe('evidence: mine\n');
    for (const f of ['waivers/README.md', '.github/workflows/kitei.yml', '.vscode/settings.json', 'evidence/terminals.yaml']) expect(existsSync(path.join(dir, f)), f).toBe(true);
    const before = snapshot(dir);
    const again = kitei(['init', dir, '--lang', 'en']);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('Written');
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a DIR that is a file (usage error)', () => {
    const dir = makeTree({ 'a-file': 'x\n' });
    const r = kitei(['init', path.join(dir, 'a-file')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a directory');
  });

  it('writes annotated templates whose modelines and editor settings resolve to the installed package', () => {
    const dir = makeTree({});
    expect(kitei(['init', dir]).code).toBe(0);
    // The package as npm installs it.
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(REPO, path.join(dir, 'node_modules/kitei'));
    const terminals = readFileSync(path.join(dir, 'evidence/terminals.yaml'), 'utf8');
    expect(terminals).toContain('第16条第2項 / Art. 16(2): terminal-screen-lock, terminal-screen-orientation');
    expect(terminals).toMatch(/^# {3}screenLock: +# mapping; 任意 optional; 画面ロック/m);
    expect(terminals).toMatch(/^register: terminals\ncapturedAt: "\d{4}-\d{2}-\d{2}"\ntemplate: true\nrecords: \[\]$/m);
    const settings = JSON.parse(readFileSync(path.join(dir, '.vscode/settings.json'), 'utf8')) as { 'yaml.schemas': Record<string, string> };
    const mapped = Object.values(settings['yaml.schemas']);
    for (const kind of KINDS) {
      const text = readFileSync(path.join(dir, `evidence/${kind}.yaml`), 'utf8');
      const schema = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)![1]!;
      expect(existsSync(path.resolve(dir, 'evidence', schema)), schema).toBe(true);
      expect(mapped).toContain(`evidence/${kind}.yaml`);
    }
    for (const schema of Object.keys(settings['yaml.schemas'])) expect(existsSync(path.resolve(dir, schema)), schema).toBe(true);
    expect(Object.keys(settings['yaml.schemas'])).toHaveLength(33);
  });

  it('passes on the scaffold, naming the registers not filled in yet; a filled register is judged', () => {
    const dir = makeTree({});
    kitei(['init', dir]);
    const evidence = path.join(dir, 'evidence');
    const clean = kitei(['check', evidence, '--as-of', '2026-11-24', '--lang', 'en', '--format', 'json']);
    expect(clean.code, clean.stdout).toBe(0);
    const notice = (JSON.parse(clean.stdout) as { findings: { code?: string; outcome: string; message: { en: string } }[] }).findings.filter((f) => f.code === 'evidence/templates');
    expect(notice).toHaveLength(1);
    expect(notice[0]!.outcome).toBe('not_applicable');
    expect(notice[0]!.message.en).toContain('terminals, training, vendorAttestations');
    const text = kitei(['check', evidence, '--as-of', '2026-11-24']);
    expect(text.stdout).toContain('■ お知らせ\n  未記入の台帳（kitei init のひな形、template: true）: accounts, assets,');
    const na = kitei(['check', evidence, '--as-of', '2026-11-24', '--include', 'not_applicable', '--format', 'json']);
    const lock = (JSON.parse(na.stdout) as { findings: { ruleId: string; code?: string; outcome: string; message: { en: string } }[] }).findings.find((f) => f.ruleId === 'terminal-screen-lock')!;
    expect(lock).toMatchObject({ outcome: 'not_applicable', code: 'rule/register-template', message: { en: 'Not applicable: register terminals is still a template (template: true, not filled in yet).' } });

    // Records with the mark left on: judged all the same, and the mark reported.
    const file = path.join(evidence, 'terminals.yaml');
    const record = 'records:\n  - { id: T-001, hostname: pc-01, kind: laptop, ownership: union, connectedToLan: true, status: active }\n';
    const template = readFileSync(file, 'utf8');
    writeFileSync(file, template.replace('records: []\n', record));
    const marked = kitei(['check', evidence, '--as-of', '2026-11-24', '--lang', 'en']);
    expect(marked.code).toBe(2);
    expect(marked.stdout).toMatch(/terminals\.yaml:\d+:1 {2}error {2}high {2}kitei\/evidence-template-with-records/);
    expect(marked.stdout).toContain('terminal-screen-lock');
    // The mark removed: the rules judge the register, and it no longer counts as a template.
    writeFileSync(file, template.replace('template: true\nrecords: []\n', record));
    const judged = kitei(['check', evidence, '--as-of', '2026-11-24', '--lang', 'en']);
    expect(judged.code).toBe(1);
    expect(judged.stdout).toMatch(/terminals\.yaml:\d+:5 {2}fail {2}high {2}terminal-screen-lock/);
    expect(judged.stdout).not.toMatch(/template: true\): .*terminals/);
  });

  it('--example writes the fictional organisation with its as-of date pinned, and it passes', () => {
    const dir = makeTree({});
    const r = kitei(['init', dir, '--example']);
    expect(r.code, r.stderr).toBe(0);
    const config = readFileSync(path.join(dir, 'kitei.config.yaml'), 'utf8');
    expect(config).toMatch(/2026-11-20[\s\S]*^asOf: "2026-11-24"$/m);
    expect(readFileSync(path.join(dir, 'evidence/terminals.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/node_modules\/kitei\/schemas\/terminals\.schema\.json\n/);
    const check = kitei(['check', path.join(dir, 'evidence'), '--as-of', '2026-11-24']);
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).not.toContain('未記入');
  });
});
