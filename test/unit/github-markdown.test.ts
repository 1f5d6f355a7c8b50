import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/findings.js';
import { escapeData, escapeProperty, githubReporter, githubStepSummary, STEP_SUMMARY_BYTES } from '../../src/report/github.js';
import { code, markdownReporter, text } from '../../src/report/markdown.js';
import { reportText } from '../../src/report/reporter.js';
import { fail, model, pass, RULE, syntax } from '../harness/results.js';

const github = (m: ReturnType<typeof model>, lang: 'ja' | 'en' = 'ja') => reportText(githubReporter(m, { lang }));
const markdown = (m: ReturnType<typeof model>, lang: 'ja' | 'en' = 'ja') => reportText(markdownReporter(m, { lang }));

describe('--format github: workflow commands', () => {
  it('one annotation per failure and error at its file, line and column, with title and remediation', () => {
    const out = github(model([syntax, pass, fail]));
    expect(out.split('\n')).toEqual([
      '::error file=evidence/media.yaml,line=6,col=1,endLine=6,endColumn=12,title=kitei/evidence-yaml-syntax (evidence/yaml-syntax)::YAML の構文エラー: x',
      `::error file=evidence/terminals.yaml,line=123,col=7,endLine=123,endColumn=9,title=terminal-screen-lock 第16条第2項・第5条第10号::${fail.message.ja}%0A是正: ${RULE.remediation.ja}`,
      expect.stringMatching(/^kitei: 不適合 1 件、エラー 1 件 → 終了コード 2 \(sha256:[0-9a-f]{64}\)$/),
      '',
    ]);
  });

  it('error for critical and high, warning for medium, notice for low; most severe first', () => {
    const at = (line: number) => ({ ...fail.location!, line });
    const findings: Finding[] = [
      { ...fail, severity: 'low', location: at(1) },
      { ...fail, severity: 'medium', location: at(2) },
      { ...fail, severity: 'critical', location: at(3) },
      { ...fail, severity: 'high', location: at(4) },
    ];
    const lines = github(model(findings)).split('\n').filter((l) => l.startsWith('::'));
    expect(lines.map((l) => /^::(\w+) file=[^,]+,line=(\d+)/.exec(l)!.slice(1).join(' '))).toEqual(['error 3', 'error 4', 'warning 2', 'notice 1']);
  });

  it('escapes %, CR and LF in the message, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
    const tricky: Finding = {
      ...fail,
      message: { ja: '50% の端末\r\n::error::偽の注釈, 続き: ここ', en: 'x' },
      location: { ...fail.location!, file: 'evidence/a,b:c%.yaml' },
    };
    const line = github(model([tricky])).split('\n')[0]!;
    expect(line).toBe(`::error file=evidence/a%2Cb%3Ac%25.yaml,line=123,col=7,endLine=123,endColumn=9,title=terminal-screen-lock 第16条第2項・第5条第10号::50%25 の端末%0D%0A::error::偽の注釈, 続き: ここ%0A是正: ${RULE.remediation.ja}`);
    // The whole command is one line: no evidence text can start a command of its own.
    expect(github(model([tricky])).split('\n').filter((l) => l.startsWith('::'))).toHaveLength(1);
  });

  it('a finding about no file is an annotation without a file', () => {
    const missing: Finding = { ...syntax, ruleId: 'kitei/evidence-register-missing', code: 'evidence/register-missing', message: { ja: '台帳 media の証跡がありません。', en: 'x' } };
    delete missing.location;
    expect(github(model([missing])).split('\n')[0]).toBe('::error title=kitei/evidence-register-missing (evidence/register-missing)::台帳 media の証跡がありません。');
  });

  it('the job summary is the Markdown report, cut to GitHub\'s 1 MiB limit with a note', () => {
    const m = model([syntax, fail]);
    expect(githubStepSummary(m, { lang: 'ja' })).toBe(markdown(m) + '\n');
    const many: Finding[] = [];
    for (let i = 0; i < 6000; i++) many.push({ ...fail, recordId: `T-${i}`, message: { ja: 'あ'.repeat(100), en: 'x' } });
    const summary = githubStepSummary(model(many), { lang: 'en' });
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(STEP_SUMMARY_BYTES);
    expect(summary).toMatch(/\d+ more left out: a GitHub job summary holds at most 1 MiB/);
  });
});

describe('--format markdown', () => {
  it('verdict, counts by severity, failures by article with clause, record, place, message and remediation, the digest', () => {
    const m = model([syntax, pass, fail]);
    const md = markdown(m);
    expect(md).toContain('# kitei 規程適合チェック\n');
    expect(md).toContain('- 基準日: 2026-11-24\n');
    expect(md).toContain('- 結果: **不適合 1 件、エラー 1 件** → 終了コード 2（失敗とする重要度: low 以上）\n');
    expect(md).toContain(`- 入力のダイジェスト（マニフェスト）: \`${m.manifest!.digest}\`\n`);
    expect(md).toContain('| high | 1 | 1 | 0 | 1 |\n');
    expect(md).toContain('| **合計** | **1** | **1** | **0** | **1** |\n');
    expect(md).toContain('\n## 証跡・ポリシーの読み込みの問題\n\n- **エラー** · high · `kitei/evidence-yaml-syntax` · `evidence/yaml-syntax` · `evidence/media.yaml:6:1`  \n  YAML の構文エラー: x\n');
    expect(md).toContain(
      `\n## 第16条（PC 端末の安全管理）\n\n- **不適合** · high · 第16条第2項・第5条第10号 · \`terminal-screen-lock\` · レコード T-007 · \`evidence/terminals.yaml:123:7\`  \n  ${fail.message.ja}  \n  パラメータ: \`maxIdleMinutes=5\`  \n  是正: ${RULE.remediation.ja}\n`,
    );
    expect(markdown(model([pass]), 'en')).toContain('\nNo failures and no errors.\n');
  });

  it('shows evidence text as text: no markup, link, image or HTML gets through', () => {
    const evil: Finding = {
      ...fail,
      recordId: '<img src=x onerror=alert(1)>',
      message: { ja: '![x](https://evil.example/x.png) [link](javascript:alert(1)) **bold** <script>alert(1)</script> | cell | `code` &lt;\n# heading', en: 'x' },
      location: { ...fail.location!, file: 'evidence/`x`.yaml' },
    };
    const md = markdown(model([evil]));
    expect(md).toContain('レコード \\<img src=x onerror=alert(1)\\>');
    expect(md).toContain('\\!\\[x\\](https://evil.example/x.png) \\[link\\](javascript:alert(1)) \\*\\*bold\\*\\* \\<script\\>alert(1)\\</script\\> \\| cell \\| \\`code\\` \\&lt; # heading');
    expect(md).toContain('`` evidence/`x`.yaml:123:7 ``');
    expect(md).not.toMatch(/[^\\]<script>/);
    expect(text('- item')).toBe('\\- item');
    expect(text('1. item')).toBe('1\\. item');
    expect(code('a``b')).toBe('``` a``b ```');
  });
});
