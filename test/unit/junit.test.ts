import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/findings.js';
import { junitXml } from '../../src/report/junit.js';
import { parseJunit } from '../harness/junit.js';
import { fail, model, notApplicable, pass, syntax } from '../harness/results.js';

describe('JUnit reporter', () => {
  it('a suite per article, a testcase per rule × record, counts equal to the findings', () => {
    const doc = parseJunit(junitXml(model([syntax, pass, notApplicable, fail]), 'ja')).testsuites;
    expect(doc).toMatchObject({ tests: '4', failures: '1', errors: '1', skipped: '1' });
    expect(doc.testsuite.map((s) => s.name)).toEqual(['証跡・ポリシーの読み込みの問題', '第16条（PC 端末の安全管理）']);
    const [inputs, art16] = doc.testsuite;
    expect(inputs).toMatchObject({ tests: '1', failures: '0', errors: '1', skipped: '0' });
    expect(art16).toMatchObject({ tests: '3', failures: '1', errors: '0', skipped: '1' });
    expect(art16!.testcase.map((c) => [c.classname, c.name, c.file, c.line])).toEqual([
      ['terminal-screen-lock', 'T-001 第16条第2項', 'evidence/terminals.yaml', '4'],
      ['terminal-screen-lock', 'T-002 第16条第2項', 'evidence/terminals.yaml', '14'],
      ['terminal-screen-lock', 'T-007 第16条第2項 idle-time', 'evidence/terminals.yaml', '123'],
    ]);
    expect(art16!.testcase[1]!.skipped).toEqual({ message: '廃棄済み' });
    const failure = art16!.testcase[2]!.failure as Record<string, string>;
    expect(failure.message).toBe(fail.message.ja);
    expect(failure['#text']).toContain('是正: 5 分以内で作動する画面ロックを設定してください。');
    expect(failure['#text']).toContain('evidence/terminals.yaml:123:7');
    expect((inputs!.testcase[0]!.error as Record<string, string>).type).toBe('evidence/yaml-syntax');
  });

  it('names stay unique when one assertion fails on several elements of a record', () => {
    const first: Finding = { ...fail, assertion: 'transfer-followed', location: { ...fail.location!, pointer: '/records/6/changes/0' } };
    const second: Finding = { ...first, location: { ...first.location!, pointer: '/records/6/changes/1', line: 130 } };
    const names = parseJunit(junitXml(model([first, second]), 'en')).testsuites.testsuite[0]!.testcase.map((c) => c.name);
    expect(names).toEqual(['T-007 Art. 16(2) transfer-followed', 'T-007 Art. 16(2) transfer-followed /changes/1']);
  });

  it('evidence text stays text: markup, entities, CDATA ends and control characters', () => {
    const evil: Finding = { ...fail, recordId: 'T-<&>"\'', message: { ja: '</failure><script>x</script> ]]> &amp; \u0001\u0008 ok', en: 'x' } };
    const xml = junitXml(model([evil]), 'ja');
    const failure = parseJunit(xml).testsuites.testsuite[0]!.testcase[0]!;
    expect(failure.name).toBe('T-<&>"\' 第16条第2項 idle-time');
    expect((failure.failure as Record<string, string>).message).toBe('</failure><script>x</script> ]]> &amp; \uFFFD\uFFFD ok');
    expect(xml).not.toContain('<script>');
  });
});
