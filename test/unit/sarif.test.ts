import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import type { Finding } from '../../src/core/findings.js';
import { buildReportModel } from '../../src/report/model.js';
import { cut, GITHUB_LIMITS, sarifReporter } from '../../src/report/sarif.js';
import { fail, model, pass, RULE, syntax } from '../harness/results.js';
import { sarifErrors } from '../harness/sarif.js';
import { BASE_FIXTURE, makeTree } from '../harness/tree.js';

const sarif = (m: ReturnType<typeof model>, lang: 'ja' | 'en' = 'ja') => {
  const log = JSON.parse(sarifReporter(m, { lang }) as string) as Log;
  expect(sarifErrors(log), 'valid against the OASIS SARIF 2.1.0 schema').toEqual([]);
  return log;
};

describe('SARIF reporter', () => {
  it('one descriptor per rule: clauses, title, the quote, remediation in --lang, level from severity', () => {
    const log = sarif(model([fail, pass, syntax]));
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('kitei');
    const [rule, problem] = run.tool.driver.rules!;
    expect(rule).toMatchObject({
      id: 'terminal-screen-lock',
      name: '画面ロック',
      shortDescription: { text: '画面ロック（第16条第2項・第5条第10号）' },
      fullDescription: { text: RULE.quote },
      help: { text: RULE.remediation.ja },
      defaultConfiguration: { level: 'error' },
      properties: { clause: { ja: '第16条第2項・第5条第10号', en: 'Art. 16(2), Art. 5 item 10' }, remediation: RULE.remediation, title: RULE.title, severity: 'high' },
    });
    expect(rule!.properties!.clauses).toEqual([{ article: 16, paragraph: 2, ja: '第16条第2項', en: 'Art. 16(2)' }, { article: 5, item: 10, ja: '第5条第10号', en: 'Art. 5 item 10' }]);
    expect(problem).toMatchObject({ id: 'kitei/evidence-yaml-syntax', defaultConfiguration: { level: 'error' } });
    const en = sarif(model([fail]), 'en').runs[0]!.tool.driver.rules![0]!;
    expect(en.help!.text).toBe(RULE.remediation.en);
    expect(en.shortDescription!.text).toBe('Screen lock (Art. 16(2), Art. 5 item 10)');
    for (const [severity, level] of [['critical', 'error'], ['high', 'error'], ['medium', 'warning'], ['low', 'note']] as const) {
      const m = model([{ ...fail, severity }], { rule: { ...RULE, severity } });
      expect(sarif(m).runs[0]!.tool.driver.rules![0]!.defaultConfiguration!.level).toBe(level);
      expect(sarif(m).runs[0]!.results![0]!.level).toBe(level);
    }
  });

  it('one result per failure and error, at the same line and column as the text report, with an end', () => {
    const run = sarif(model([syntax, pass, fail])).runs[0]!;
    expect(run.results!.map((r) => r.ruleId)).toEqual(['kitei/evidence-yaml-syntax', 'terminal-screen-lock']);
    const r = run.results![1]!;
    expect(r).toMatchObject({ ruleIndex: 0, level: 'error', message: { text: fail.message.ja } });
    expect(r.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'evidence/terminals.yaml', uriBaseId: 'SRCROOT' },
      region: { startLine: 123, startColumn: 7, endLine: 123, endColumn: 9 },
    });
    expect(run.results![0]!).toMatchObject({ ruleIndex: 1, level: 'error', properties: { code: 'evidence/yaml-syntax' } });
    expect(run.properties).toMatchObject({ asOf: '2026-11-24', manifest: { digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) } });
    expect(run.originalUriBaseIds!.SRCROOT).toBeDefined();
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  it('a finding without a location has no locations; absolute paths are file URIs; names are percent-encoded', () => {
    const noWhere: Finding = { ...syntax, ruleId: 'kitei/evidence-register-missing', code: 'evidence/register-missing' };
    delete noWhere.location;
    const outside: Finding = { ...fail, location: { ...fail.location!, file: '/srv/証跡/terminals.yaml' } };
    const results = sarif(model([noWhere, outside])).runs[0]!.results!;
    expect(results.find((r) => r.ruleId === 'kitei/evidence-register-missing')!.locations).toBeUndefined();
    expect(results.find((r) => r.ruleId === 'terminal-screen-lock')!.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'file:///srv/%E8%A8%BC%E8%B7%A1/terminals.yaml' });
  });

  it('keeps within GitHub code scanning limits: 25,000 results (the most severe), 1,024-character descriptions', () => {
    const many: Finding[] = [];
    for (let i = 0; i < 26_000; i++) many.push({ ...fail, severity: i % 2 ? 'low' : 'high', recordId: `T-${i}`, location: { ...fail.location!, line: i + 1 } });
    const long = { ...RULE, quote: 'あ'.repeat(3000), title: { ja: 'い'.repeat(300), en: 'x' } };
    const m = model(many, { rule: long });
    const run = sarif(m).runs[0]!;
    expect(run.results).toHaveLength(GITHUB_LIMITS.resultsPerRun);
    expect(run.results!.filter((r) => r.level === 'error')).toHaveLength(13_000);
    expect(run.properties!.truncated).toEqual({ results: 26_000, shown: 25_000 });
    expect(run.invocations![0]!.toolExecutionNotifications![0]!.message.text).toContain('25000');
    const rule = run.tool.driver.rules![0]!;
    expect(rule.fullDescription!.text).toHaveLength(1024);
    expect(rule.fullDescription!.text.endsWith('…')).toBe(true);
    expect(rule.properties!.quote).toBe(long.quote);
    expect(rule.name!.length).toBeLessThanOrEqual(255);
    expect(cut('a😀b', 3)).toBe('a…');
  });

  it('fingerprints stay the same when the lines move, and tell findings apart', async () => {
    const evidence = makeTree({}, BASE_FIXTURE);
    const terminals = path.join(evidence, 'terminals.yaml');
    writeFileSync(terminals, readFileSync(terminals, 'utf8').replace(/idleMinutes: \d+/, 'idleMinutes: 30'));
    const run = async () => {
      const result = await check({ evidenceDir: evidence, asOf: '2026-11-24' });
      return JSON.parse(sarifReporter(buildReportModel(result, { version: '0.1.0', failOn: 'low', exitCode: 1, lang: 'ja' }), { lang: 'ja' }) as string) as Log;
    };
    const before = (await run()).runs[0]!.results!;
    expect(before.length).toBeGreaterThan(0);
    writeFileSync(terminals, '# a comment\n# another\n' + readFileSync(terminals, 'utf8'));
    appendFileSync(terminals, '\n');
    const after = (await run()).runs[0]!.results!;
    const key = (r: (typeof before)[number]) => `${r.ruleId} ${JSON.stringify(r.partialFingerprints)}`;
    expect(after.map(key)).toEqual(before.map(key));
    expect(after[0]!.locations![0]!.physicalLocation!.region!.startLine).toBe(before[0]!.locations![0]!.physicalLocation!.region!.startLine! + 2);
    expect(new Set(before.map(key)).size).toBe(before.length);
  });
});
