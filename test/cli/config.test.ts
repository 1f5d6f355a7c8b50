import { cpSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, kitei } from '../harness/cli.js';
import { BASE_FIXTURE, makeTree } from '../harness/tree.js';

/**
 * kitei.config.yaml through the real CLI: found in the working directory or given with --config,
 * relative paths resolved against its folder, problems at their line and column (exit 2),
 * parameter overrides with their reasons in every report, command-line options over the file,
 * and an organisation's own rules in an extra policies directory.
 */
const CONFIG = `# 基準日は証跡のスナップショットの日に固定（取得日から日が経つと鮮度のルールが落ちるため）
asOf: "2026-11-24"
evidence: evidence
params:
  terminal-screen-lock.maxIdleMinutes:
    value: 3
    reason: 窓口端末は来訪者から見えるため短くする
    decidedBy: データ保護管理者
    decidedOn: "2026-04-01"
`;

/** An evidence repository: the rule-test base evidence (which passes) and the given files. */
function repo(files: Record<string, string>): string {
  const dir = makeTree(files);
  cpSync(BASE_FIXTURE, path.join(dir, 'evidence'), { recursive: true });
  return dir;
}

const NAIKI_CATALOG = `regulation:
  title: 当組合の端末管理内規
  titleEn: Terminal management rules of the society
  enforcedOn: "2025-04-01"
clauses:
  - clause: { regulation: 内規, article: 1 }
    heading: 端末の画面
    text: 組合の端末には、所管部署の名札を付ける。
    summary: Every terminal of the society carries the tag of the department that owns it.
    status: automated
supplementary:
  - number: 1
    text: この内規は、令和 7 年 4 月 1 日から施行する。
    summary: These rules come into force on 1 April 2025.
    effective: "2025-04-01"
    affects: all
`;

const naikiRule = (id: string) => `  - id: ${id}
    clauses:
      - { regulation: 内規, article: 1 }
    quote: 組合の端末には、所管部署の名札を付ける。
    title: { ja: 端末の名札, en: Terminal tag }
    message: { ja: "端末 {{record.id}} のホスト名に組合の接頭辞 KENPO- がありません", en: "Terminal {{record.id}} has no KENPO- host name prefix" }
    remediation: { ja: ホスト名を付け直してください。, en: Rename the host. }
    severity: medium
    register: terminals
    assertions:
      - id: prefix
        expr: record.hostname.startsWith("KENPO-")
        at: /hostname
`;

describe('kitei.config.yaml', () => {
  it('is found in the working directory: its as-of date, evidence and override apply, and the report shows the reason', () => {
    const dir = repo({ 'kitei.config.yaml': CONFIG });
    const run = kitei(['check'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('基準日: 2026-11-24');
    expect(run.stdout).toContain(`  evidence/terminals.yaml:11:42  不適合  high  terminal-screen-lock  第16条第2項・第5条第10号
      端末 T-001 の画面ロックまでの時間が 5 分です（1〜3 分であること）
      パラメータ: maxIdleMinutes=3`);
    expect(run.stdout).toContain(`■ パラメータの変更とその理由
  terminal-screen-lock.maxIdleMinutes = 3（既定 5）  設定ファイル
      理由: 窓口端末は来訪者から見えるため短くする（決定: データ保護管理者 2026-04-01）
`);
    const en = kitei(['check', '--lang', 'en'], dir);
    expect(en.stdout).toContain(`■ Parameter overrides and their reasons
  terminal-screen-lock.maxIdleMinutes = 3 (default 5)  configuration file
      reason: 窓口端末は来訪者から見えるため短くする (decided by データ保護管理者 on 2026-04-01)
`);
    const j = JSON.parse(kitei(['check', '--format', 'json'], dir).stdout) as { overrides: unknown; manifest: { params: unknown } };
    expect(j.overrides).toEqual([{ rule: 'terminal-screen-lock', param: 'maxIdleMinutes', value: 3, default: 5, source: 'config', reason: '窓口端末は来訪者から見えるため短くする', decidedBy: 'データ保護管理者', decidedOn: '2026-04-01' }]);
    expect(j.manifest.params).toEqual({ 'terminal-screen-lock': { maxIdleMinutes: 3 } });
  });

  it('given with --config elsewhere, resolves its relative paths against its own folder', () => {
    const dir = repo({ 'settings/kitei.yaml': CONFIG.replace('evidence: evidence', 'evidence: ../evidence\nlang: en\nfailOn: critical') });
    const run = kitei(['check', '--config', path.join(dir, 'settings/kitei.yaml')], makeTree({}));
    // failOn critical: the high failure does not fail the run; English from the file.
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('terminals.yaml:11:42  fail  high  terminal-screen-lock');
    expect(run.stdout).toContain('→ exit code 0');
    // The command line wins over the file.
    expect(kitei(['check', '--config', path.join(dir, 'settings/kitei.yaml'), '--fail-on', 'low', '--lang', 'ja'], makeTree({})).code).toBe(1);
    expect(kitei(['validate', '--config', path.join(dir, 'settings/kitei.yaml')], makeTree({})).stdout).toMatch(/evidence: 31 files, 56 records, 0 problems → exit code 0\n$/);
  });

  it('an explicit --param overrides the configuration\'s value of the same parameter', () => {
    const dir = repo({ 'kitei.config.yaml': CONFIG });
    const run = kitei(['check', '--param', 'terminal-screen-lock.maxIdleMinutes=10', '--format', 'json'], dir);
    expect(run.code).toBe(0);
    expect(json(run).findings.filter((f) => f.ruleId === 'terminal-screen-lock')).toEqual([]);
    expect((JSON.parse(run.stdout) as { overrides: unknown }).overrides).toEqual([{ rule: 'terminal-screen-lock', param: 'maxIdleMinutes', value: 10, default: 5, source: 'cli' }]);
    expect(kitei(['check', '--param', 'terminal-screen-lock.maxIdleMinutes=10'], dir).stdout).toContain(`  terminal-screen-lock.maxIdleMinutes = 10（既定 5）  コマンドライン（--param）
      理由の記録なし（--param で指定）`);
  });

  it('a schema error and an unknown key are reported at their line and column, exit 2, no stack trace', () => {
    const dir = repo({ 'kitei.config.yaml': 'asOf: "2026-11-24"\nfailOn: severe\nparams:\n  terminal-screen-lock.maxIdleMinutes:\n    value: 3\n    decidedBy: 理事会\n    reasons: typo\n' });
    const run = kitei(['check', '--lang', 'en'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`kitei: kitei.config.yaml: the configuration has 3 problems; nothing is run until it is fixed.
  kitei.config.yaml:2:1  error  high  kitei/config-schema
      Invalid configuration: /failOn: must be equal to one of the allowed values ("critical", "high", "medium", "low")
  kitei.config.yaml:4:3  error  high  kitei/config-schema
      Invalid configuration: /params/terminal-screen-lock.maxIdleMinutes: must have required property 'reason'
  kitei.config.yaml:7:5  error  high  kitei/config-unknown-key
      Unknown key "reasons" in the configuration (known keys: value, reason, decidedBy, decidedOn).
`);
    const syntax = kitei(['due', '--config', 'broken.yaml'], makeTree({ 'broken.yaml': 'asOf: [2026\n' }));
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/^ {2}broken\.yaml:2:1 {2}エラー {2}high {2}kitei\/config-yaml-syntax$/m);
    expect(syntax.stderr).not.toMatch(/\n\s+at /);
    const missing = kitei(['coverage', '--config', 'nowhere.yaml'], makeTree({}));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere.yaml:1:1  エラー  high  kitei/config-not-found');
  });

  it('an override of a parameter no rule has is reported at its key in the configuration', () => {
    const dir = repo({ 'kitei.config.yaml': CONFIG.replace('maxIdleMinutes:', 'maxIdle:') });
    const run = kitei(['check', '--lang', 'en'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`  kitei.config.yaml:5:3  error  high  kitei/config-unknown-parameter
      Configuration params: rule terminal-screen-lock has no parameter maxIdle.`);
  });

  it('adds an extra policies directory: the organisation\'s rule, citing its own clause in its own catalog, runs and shows in the report', () => {
    const dir = repo({
      'kitei.config.yaml': 'asOf: "2026-11-24"\npolicies: [naiki]\n',
      'naiki/catalog.yaml': NAIKI_CATALOG,
      'naiki/terminals.yaml': `rules:\n${naikiRule('naiki-terminal-tag')}`,
    });
    const run = kitei(['check'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`■ 内規第1条
  evidence/terminals.yaml:5:5  不適合  medium  naiki-terminal-tag  内規第1条
      端末 T-001 のホスト名に組合の接頭辞 KENPO- がありません
      是正: ホスト名を付け直してください。`);
    const j = JSON.parse(kitei(['check', '--format', 'json', '--lang', 'en'], dir).stdout) as { policies: { extra: unknown }; manifest: { extraPolicies: { files: { path: string }[]; catalog: { path: string } }[] }; rules: { id: string; clauses: unknown }[]; catalog: { clauses: { clause: { ja: string } }[] } };
    expect(j.policies.extra).toEqual([{ dir: 'naiki', files: ['terminals.yaml'], catalog: true }]);
    expect(j.manifest.extraPolicies[0]!.files.map((f) => f.path)).toEqual(['terminals.yaml']);
    expect(j.manifest.extraPolicies[0]!.catalog.path).toBe('catalog.yaml');
    expect(j.rules.find((r) => r.id === 'naiki-terminal-tag')!.clauses).toEqual([{ regulation: '内規', article: 1, ja: '内規第1条', en: '内規 Art. 1' }]);
    expect(j.catalog.clauses.at(-1)!.clause.ja).toBe('内規第1条');
    expect(kitei(['rules', '--lang', 'en'], dir).stdout).toMatch(/^内規 Art\. 1 +medium +terminals +naiki-terminal-tag +Terminal tag$/m);
  });

  it('a rule id that clashes with a bundled rule is an error at the clashing rule', () => {
    const dir = repo({
      'kitei.config.yaml': 'asOf: "2026-11-24"\npolicies: [naiki]\n',
      'naiki/catalog.yaml': NAIKI_CATALOG,
      'naiki/terminals.yaml': `rules:\n${naikiRule('naiki-terminal-tag')}${naikiRule('terminal-screen-lock')}`,
    });
    const run = kitei(['check', '--lang', 'en'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^ {2}naiki\/terminals\.yaml:15:5 {2}error {2}high {2}kitei\/policy-duplicate-rule-id\n {6}Rule id "terminal-screen-lock" is defined twice \(first at .*policies\/terminals\.yaml:\d+\)/m);
  });
});
