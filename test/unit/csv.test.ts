import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/findings.js';
import { csvReporter } from '../../src/report/csv.js';
import { restrictTo } from '../../src/report/model.js';
import { reportText } from '../../src/report/reporter.js';
import { fail, model, notApplicable, pass, RULE, syntax } from '../harness/results.js';

const csv = (m: ReturnType<typeof model>, lang: 'ja' | 'en' = 'ja') => reportText(csvReporter(m, { lang }));

describe('CSV reporter', () => {
  it('UTF-8 with a BOM, CRLF, the columns of the issue, one row per failure and error', () => {
    const out = csv(model([syntax, pass, fail], { kept: ['fail', 'error'] }));
    expect(out.startsWith('\uFEFF結果,重要度,条項,clause (en),ルール ID,アサーション,レコード ID,ファイル,行,桁,メッセージ,是正,基準日\r\n')).toBe(true);
    expect(out.endsWith('\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const rows = out.slice(1).split('\r\n').slice(1, -1);
    expect(rows).toEqual([
      'エラー,high,,,kitei/evidence-yaml-syntax,,,evidence/media.yaml,6,1,YAML の構文エラー: x,,2026-11-24',
      `不適合,high,第16条第2項・第5条第10号,"Art. 16(2), Art. 5 item 10",terminal-screen-lock,idle-time,T-007,evidence/terminals.yaml,123,7,${fail.message.ja},${RULE.remediation.ja},2026-11-24`,
    ]);
    const en = csv(model([fail]), 'en');
    expect(en).toContain('\uFEFFoutcome,severity,条項,clause (en),rule id,assertion,record id,file,line,column,message,remediation,as-of\r\n');
    expect(en).toContain(`fail,high,第16条第2項・第5条第10号,"Art. 16(2), Art. 5 item 10",terminal-screen-lock,idle-time,T-007,evidence/terminals.yaml,123,7,${fail.message.en},${RULE.remediation.en},2026-11-24\r\n`);
  });

  it('--include adds the pass and n/a rows; by default they are counted, not listed', () => {
    const all = model([pass, notApplicable, fail]);
    expect(csv(all).split('\r\n').map((r) => r.split(',')[0])).toEqual(['\uFEFF結果', '適合', '適用外', '不適合', '']);
    expect(csv(restrictTo(all, new Set(['fail', 'error']))).split('\r\n').map((r) => r.split(',')[0])).toEqual(['\uFEFF結果', '不適合', '']);
  });

  it('neutralises formulas in every cell (=, +, -, @, tab, CR and their full-width forms) and quotes what needs it', () => {
    const cells = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '＝1', '＋1', '－1', '＠1', 'a,b', 'say "hi"', 'two\nlines'];
    const findings: Finding[] = cells.map((c, i) => ({ ...fail, recordId: c, message: { ja: c, en: c }, location: { ...fail.location!, line: i + 1 } }));
    const out = csv(model(findings));
    const body = out.slice(out.indexOf('\r\n') + 2);
    for (const c of ['=HYPERLINK', '+1+1', '-2+3', '@SUM', '＝1', '＋1', '－1', '＠1']) {
      expect(body).not.toMatch(new RegExp(`(^|,|")${c.replace(/[+()]/g, '\\$&')}`, 'm'));
      expect(body).toContain(`'${c}`);
    }
    expect(body).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(body).toContain(`"'\t=1"`);
    expect(body).toContain('"a,b"');
    expect(body).toContain('"say ""hi"""');
    expect(body).toContain('"two\nlines"');
  });
});
