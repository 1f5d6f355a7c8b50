import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check.js';
import { OUTCOMES, type Finding, type Outcome } from '../../src/core/findings.js';
import { exitCode } from '../../src/exit-code.js';
import { jsonReporter as jsonModel, ndjsonReporter as ndjsonModel } from '../../src/report/json.js';
import { buildReportModel, type RunSettings } from '../../src/report/model.js';
import { reportText } from '../../src/report/reporter.js';
import { textReporter as textModel } from '../../src/report/text.js';
import { fail, pass, result as oneRuleResult, RULE, syntax } from '../harness/results.js';

/** The reporters as `kitei check` calls them: the model of the result, rendered in the run's language. */
type Run = Omit<RunSettings, 'lang'> & { lang: 'ja' | 'en' };
const render = (reporter: typeof textModel) => (r: CheckResult, run: Run) => reporter(buildReportModel(r, run), { lang: run.lang });
const textReporter = (r: CheckResult, run: Run) => reportText(render(textModel)(r, run));
const jsonReporter = render(jsonModel);
const ndjsonReporter = render(ndjsonModel);

// The shared hand-built findings; this rule runs without parameters, so the text report counts it among the others.
const result = (findings: Finding[], kept: readonly Outcome[] = OUTCOMES): CheckResult => oneRuleResult(findings, kept, RULE, {});

describe('text reporter', () => {
  it('groups by article, shows file:line:column and ends with the summary (ja)', () => {
    const text = textReporter(result([syntax, pass, fail]), { lang: 'ja', failOn: 'low', exitCode: 2, version: '0.1.0' });
    expect(text).toBe(`kitei 規程適合チェック — 基準日: 2026-11-24
証跡: evidence (2 ファイル, 80 レコード)  ポリシー: 1 ファイル, 1 ルール

■ 証跡・ポリシーの読み込みの問題
  evidence/media.yaml:6:1  エラー  high  kitei/evidence-yaml-syntax
      YAML の構文エラー: x

■ 第16条（PC 端末の安全管理）
  evidence/terminals.yaml:123:7  不適合  high  terminal-screen-lock  第16条第2項・第5条第10号
      端末 T-007 の画面ロックまでの時間が 10 分です
      パラメータ: maxIdleMinutes=5
      是正: 5 分以内で作動する画面ロックを設定してください。

集計
  重要度        適合  不適合  適用外  エラー
  critical         0       0       0       0
  high             1       1       0       1
  medium           0       0       0       0
  low              0       0       0       0
  合計             1       1       0       1

適用したルールの版とパラメータ（基準日 2026-11-24 に施行中の版）
  ほか 1 ルール: いずれも第1版、パラメータなし

入力のダイジェスト（マニフェスト）: ${buildReportModel(result([]), { version: '0.1.0', failOn: 'low', exitCode: 2, lang: 'ja' }).manifest!.digest}
結果: 不適合 1 件、エラー 1 件（失敗とする重要度: low 以上）→ 終了コード 2
`);
  });
  it('English, with nothing to report', () => {
    const text = textReporter(result([pass]), { lang: 'en', failOn: 'high', exitCode: 0, version: '0.1.0' });
    expect(text).toContain('No failures and no errors.\n');
    expect(text).toContain('kitei compliance check — As of: 2026-11-24');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Result: 0 failures, 0 errors (failing at severity high or above) → exit code 0');
  });
});

describe('json reporter', () => {
  it('has a format version, every finding (passes included) and clause renderings', () => {
    const doc = JSON.parse(reportText(jsonReporter(result([pass, fail]), { lang: 'ja', failOn: 'low', exitCode: 1, version: '0.1.0' })));
    expect(doc.formatVersion).toBe(3);
    expect(doc.included).toEqual(['pass', 'fail', 'not_applicable', 'error', 'waived']);
    expect(doc.asOf).toBe('2026-11-24');
    expect(doc.findings).toHaveLength(2);
    expect(doc.findings[1]).toEqual({
      ruleId: 'terminal-screen-lock',
      assertion: 'idle-time',
      outcome: 'fail',
      severity: 'high',
      clauses: [
        { article: 16, paragraph: 2, ja: '第16条第2項', en: 'Art. 16(2)' },
        { article: 5, item: 10, ja: '第5条第10号', en: 'Art. 5 item 10' },
      ],
      message: fail.message,
      recordId: 'T-007',
      location: fail.location,
      params: { maxIdleMinutes: 5 },
    });
    expect(doc.summary.total).toEqual({ pass: 1, fail: 1, not_applicable: 0, error: 0, waived: 0 });
  });
  it('by default lists what is wrong and counts the rest; the pieces join to exactly JSON.stringify', () => {
    const ctx = { lang: 'ja' as const, failOn: 'low' as const, exitCode: 2, version: '0.1.0' };
    const pieces = [...jsonReporter(result([pass, fail, syntax], ['fail', 'error']), ctx)];
    expect(pieces.length).toBe(4);
    const doc = JSON.parse(pieces.join(''));
    expect(pieces.join('')).toBe(JSON.stringify(doc, null, 2) + '\n');
    expect(doc.included).toEqual(['fail', 'error']);
    expect(doc.findings.map((f: Finding) => f.outcome)).toEqual(['fail', 'error']);
    expect(doc.rules[0].outcomes).toEqual({ pass: 1, fail: 1, not_applicable: 0, error: 0, waived: 0 });
    expect(doc.summary.total).toEqual({ pass: 1, fail: 1, not_applicable: 0, error: 1, waived: 0 });
    const empty = reportText(jsonReporter(result([pass], ['fail', 'error']), ctx));
    expect(empty).toBe(JSON.stringify(JSON.parse(empty), null, 2) + '\n');
    expect(JSON.parse(empty).findings).toEqual([]);
  });
  it('NDJSON: the run on the first line, then one finding per line', () => {
    const lines = reportText(ndjsonReporter(result([pass, fail, syntax], ['fail', 'error']), { lang: 'en', failOn: 'low', exitCode: 2, version: '0.1.0' })).split('\n');
    expect(lines.at(-1)).toBe('');
    const values = lines.slice(0, -1).map((l) => JSON.parse(l));
    expect(values.map((v) => v.type)).toEqual(['run', 'finding', 'finding']);
    expect(values[0].formatVersion).toBe(3);
    expect(values[0].findings).toBeUndefined();
    expect(values[1]).toMatchObject({ ruleId: 'terminal-screen-lock', outcome: 'fail', location: { line: 123, column: 7 } });
  });
});

describe('exit code', () => {
  it('0 when nothing fails at or above the threshold, 1 on failures, 2 on errors', () => {
    expect(exitCode([pass], 'low')).toBe(0);
    expect(exitCode([pass, fail], 'low')).toBe(1);
    expect(exitCode([pass, fail], 'high')).toBe(1);
    expect(exitCode([pass, fail], 'critical')).toBe(0);
    expect(exitCode([fail, syntax], 'critical')).toBe(2);
  });
});
