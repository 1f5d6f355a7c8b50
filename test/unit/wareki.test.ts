import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMAS_DIR, validateEvidence } from '../../src/check.js';
import { loadEvidence } from '../../src/evidence/load.js';
import { looksLikeWareki, parseWareki, toWareki } from '../../src/evidence/wareki.js';
import { loadSchemaSet } from '../../src/schema/registry.js';
import { BASE_FIXTURE, makeTree } from '../harness/tree.js';

const iso = (s: string) => {
  const r = parseWareki(s);
  return r?.ok ? r.iso : r;
};
const rejected = (s: string) => {
  const r = parseWareki(s);
  expect(r, s).toBeDefined();
  expect(r!.ok, s).toBe(false);
  return r as { ok: false; reason: { ja: string; en: string } };
};

describe('parseWareki: an era date to its ISO date', () => {
  it.each([
    // each era's first and last day (明治: its first Gregorian day)
    ['明治6年1月1日', '1873-01-01'],
    ['明治45年7月29日', '1912-07-29'],
    ['大正元年7月30日', '1912-07-30'],
    ['大正15年12月24日', '1926-12-24'],
    ['昭和元年12月25日', '1926-12-25'],
    ['昭和64年1月7日', '1989-01-07'],
    ['平成元年1月8日', '1989-01-08'],
    ['平成31年4月30日', '2019-04-30'],
    ['令和元年5月1日', '2019-05-01'],
  ])('%s is %s', (wareki, expected) => {
    expect(iso(wareki)).toBe(expected);
  });
  it('元年 and 1年 are the same year', () => {
    expect(iso('令和元年5月1日')).toBe('2019-05-01');
    expect(iso('令和1年5月1日')).toBe('2019-05-01');
    expect(iso('昭和元年12月31日')).toBe('1926-12-31');
  });
  it('full-width digits, mixed digits and leading zeros', () => {
    expect(iso('令和４年４月１日')).toBe('2022-04-01');
    expect(iso('令和１０年１２月３１日')).toBe('2028-12-31');
    expect(iso('令和4年１2月0１日')).toBe('2022-12-01');
    expect(iso('令和04年04月01日')).toBe('2022-04-01');
  });
  it('ASCII or full-width spaces between the parts', () => {
    expect(iso('令和 4 年 4 月 1 日')).toBe('2022-04-01');
    expect(iso('令和　元年　5月　1日')).toBe('2019-05-01');
    expect(iso('平成  31年4月  30 日')).toBe('2019-04-30');
  });
  it('leap years: 令和2年2月29日 exists, 令和3年2月29日 does not', () => {
    expect(iso('令和2年2月29日')).toBe('2020-02-29');
    expect(rejected('令和3年2月29日').reason).toEqual({ ja: '2021年（令和3年）2月は28日までです', en: 'February 2021 has 28 days' });
    expect(iso('平成12年2月29日')).toBe('2000-02-29'); // 2000 is a leap year (divisible by 400)
    expect(rejected('明治33年2月29日').reason.en).toBe('February 1900 has 28 days'); // 1900 is not
  });
});

describe('parseWareki: era dates that do not exist are rejected with a reason', () => {
  it('a day that does not exist', () => {
    expect(rejected('令和4年2月30日').reason.ja).toBe('2022年（令和4年）2月は28日までです');
    expect(rejected('令和4年4月31日').reason.en).toBe('April 2022 has 30 days');
    expect(rejected('令和4年4月0日').reason.en).toBe('April 2022 has 30 days');
    expect(rejected('令和4年13月1日').reason).toEqual({ ja: '13月はありません', en: 'there is no month 13' });
    expect(rejected('令和4年0月1日').reason.en).toBe('there is no month 0');
  });
  it('平成31年2月29日: 2019 is not a leap year', () => {
    expect(rejected('平成31年2月29日').reason).toEqual({ ja: '2019年（平成31年）2月は28日までです', en: 'February 2019 has 28 days' });
  });
  it('a date before its era began, naming the era date it really is', () => {
    expect(rejected('令和元年4月30日').reason).toEqual({
      ja: '令和は 2019-05-01（令和元年5月1日）に始まりました。2019-04-30 は 平成31年4月30日 です',
      en: 'Reiwa (令和) began on 2019-05-01; 2019-04-30 is 平成31年4月30日',
    });
    expect(rejected('平成元年1月7日').reason.en).toBe('Heisei (平成) began on 1989-01-08; 1989-01-07 is 昭和64年1月7日');
    expect(rejected('昭和元年12月24日').reason.en).toBe('Shōwa (昭和) began on 1926-12-25; 1926-12-24 is 大正15年12月24日');
    expect(rejected('大正元年7月29日').reason.en).toBe('Taishō (大正) began on 1912-07-30; 1912-07-29 is 明治45年7月29日');
  });
  it('a date after its era ended, naming the era date it really is', () => {
    expect(rejected('平成31年5月1日').reason).toEqual({
      ja: '平成は 2019-04-30（平成31年4月30日）で終わりました。2019-05-01 は 令和元年5月1日 です',
      en: 'Heisei (平成) ended on 2019-04-30; 2019-05-01 is 令和元年5月1日',
    });
    expect(rejected('昭和64年1月8日').reason.en).toBe('Shōwa (昭和) ended on 1989-01-07; 1989-01-08 is 平成元年1月8日');
    expect(rejected('大正15年12月25日').reason.en).toBe('Taishō (大正) ended on 1926-12-24; 1926-12-25 is 昭和元年12月25日');
    expect(rejected('明治45年7月30日').reason.en).toBe('Meiji (明治) ended on 1912-07-29; 1912-07-30 is 大正元年7月30日');
    expect(rejected('平成32年1月1日').reason.en).toBe('Heisei (平成) ended on 2019-04-30; 2020-01-01 is 令和2年1月1日');
  });
  it('year 0', () => {
    expect(rejected('令和0年5月1日').reason).toEqual({ ja: '令和0年はありません（最初の年は元年です）', en: 'there is no year 0 of Reiwa (its first year is 元年)' });
    expect(rejected('平成０年1月8日').reason.en).toBe('there is no year 0 of Heisei (its first year is 元年)');
  });
  it('明治 dates before 明治6年 are lunisolar-calendar dates: ambiguous, never converted', () => {
    for (const s of ['明治元年1月1日', '明治5年1月1日', '明治5年12月2日', '明治5年12月31日']) {
      expect(rejected(s).reason.en, s).toMatch(/^dates before 明治6年 are dates of the old lunisolar calendar/);
    }
    expect(rejected('明治5年12月3日').reason.ja).toMatch(/^明治5年以前の日付は旧暦/);
  });
  it('a year too large for YYYY-MM-DD', () => {
    expect(rejected('令和99999年1月1日').reason.en).toBe('Reiwa 99999 (102017) cannot be written as YYYY-MM-DD');
  });
});

describe('parseWareki: only a string that is entirely an era date is one', () => {
  it.each([
    '2022-04-01',
    '',
    '令和',
    '令和4年',
    '令和4年4月',
    '令和4年4月1',
    ' 令和4年4月1日',
    '令和4年4月1日 ',
    '令和4年4月1日締結',
    '再委託許諾書 令和5年第1号',
    '契約書（令和5年3月27日締結）',
    '令和四年四月一日', // kanji numerals are not recognised
    '令和4.4.1',
    'R4.4.1',
    '元禄4年4月1日', // not one of the five eras
    '令和元年元月1日', // 元 is for the year only
    '令和4年\n4月1日',
  ])('%j is left alone', (s) => {
    expect(parseWareki(s)).toBeUndefined();
    expect(looksLikeWareki(s)).toBe(false);
  });
});

describe('toWareki: the reverse, as offices write it', () => {
  it.each([
    ['1873-01-01', '明治6年1月1日'],
    ['1912-07-29', '明治45年7月29日'],
    ['1912-07-30', '大正元年7月30日'],
    ['1926-12-24', '大正15年12月24日'],
    ['1926-12-25', '昭和元年12月25日'],
    ['1989-01-07', '昭和64年1月7日'],
    ['1989-01-08', '平成元年1月8日'],
    ['2019-04-30', '平成31年4月30日'],
    ['2019-05-01', '令和元年5月1日'],
    ['2026-11-24', '令和8年11月24日'],
  ])('%s is %s, and back', (date, wareki) => {
    expect(toWareki(date)).toBe(wareki);
    expect(iso(wareki)).toBe(date);
  });
  it('no era date before the Gregorian calendar was adopted', () => {
    expect(toWareki('1872-12-31')).toBeUndefined();
  });
  it('a string that is not an existing ISO date is a DateError', () => {
    expect(() => toWareki('2019-02-29')).toThrow(/no such date/);
    expect(() => toWareki('令和元年5月1日')).toThrow(/not a YYYY-MM-DD date/);
  });
  it('round-trips every day around each era boundary', () => {
    for (const boundary of ['1912-07-30', '1926-12-25', '1989-01-08', '2019-05-01']) {
      const [y, m, d] = boundary.split('-').map(Number) as [number, number, number];
      for (let delta = -3; delta <= 3; delta++) {
        const date = new Date(Date.UTC(y, m - 1, d + delta)).toISOString().slice(0, 10);
        expect(iso(toWareki(date)!), date).toBe(date);
      }
    }
  });
});

describe('loading evidence: era dates become ISO dates before validation', () => {
  const contracts = (signedOn: string, extra = '') => `register: contracts
capturedAt: ${extra || '"2026-11-20"'}
records:
  - id: C-001
    title: 令和元年5月1日
    contractor: 株式会社テスト保守
    kind: maintenance
    signedOn: ${signedOn}
    startsOn: "令和 6 年 4 月 1 日"
    unionSignatory: S-001
    contractorSignatory: { title: 個人情報保護管理者, isDataProtectionManagerEquivalent: true }
    confidentialityClause: 第8条
    items:
      safetyManagement: 第3条
      noTakeOut: 第4条
      noOtherPurpose: 第5条
      subcontracting: 第6条
      reportingAndAudit: 第7条
      complianceVerification: 第9条
      breachMeasures: 第10条
      incidentReporting: 第11条
      leakLiability: 第12条
      termination: 第13条
      maintenanceAccounts: 第14条
      staffSupervision: 第15条
    subcontracting: { used: false }
    personalInformationClause: 再委託許諾書 令和5年第1号
    onSiteAudits:
      - { on: 令和８年６月１０日, target: 株式会社テスト保守, reportRef: AUD-2026-01 }
`;
  // The contracts file is replaced; references into it from other base registers are not this test's concern.
  const load = async (text: string) => {
    const dir = makeTree({ 'contracts.yaml': text }, BASE_FIXTURE);
    const set = await loadEvidence(dir, await loadSchemaSet(DEFAULT_SCHEMAS_DIR));
    return { ...set, problems: set.problems.filter((p) => p.code !== 'evidence/dangling-reference' || p.location?.file.endsWith('contracts.yaml')) };
  };

  it('every string value that is an era date is replaced, wherever it is; other strings are untouched', async () => {
    const set = await load(contracts('令和元年5月7日', '令和8年11月20日'));
    expect(set.problems).toEqual([]);
    const doc = set.documents.find((d) => d.register === 'contracts')!;
    expect(doc.valid).toBe(true);
    expect(doc.capturedAt).toBe('2026-11-20');
    const r = doc.records[0]!;
    expect(r.valid).toBe(true);
    expect(r.value).toMatchObject({
      title: '2019-05-01', // every string scalar, as the brief says: also a free-text field that is only a date
      signedOn: '2019-05-07',
      startsOn: '2024-04-01',
      personalInformationClause: '再委託許諾書 令和5年第1号',
      onSiteAudits: [{ on: '2026-06-10', target: '株式会社テスト保守', reportRef: 'AUD-2026-01' }],
    });
  });
  it('one that does not exist is one finding at the string itself (no second schema finding); its record is not judged', async () => {
    const set = await load(contracts('"令和元年4月30日"'));
    expect(set.problems.map((f) => [f.ruleId, f.code, f.location])).toEqual([
      ['kitei/evidence-invalid-date', 'evidence/invalid-date', { file: expect.stringMatching(/contracts\.yaml$/), pointer: '/records/0/signedOn', line: 8, column: 15, endLine: 8, endColumn: 26 }],
    ]);
    expect(set.problems[0]!.message).toEqual({
      ja: '和暦の日付 "令和元年4月30日" は正しくありません: 令和は 2019-05-01（令和元年5月1日）に始まりました。2019-04-30 は 平成31年4月30日 です。',
      en: 'Invalid Japanese-era (和暦) date "令和元年4月30日": Reiwa (令和) began on 2019-05-01; 2019-04-30 is 平成31年4月30日.',
    });
    const r = set.documents.find((d) => d.register === 'contracts')!.records[0]!;
    expect(r.valid).toBe(false);
    expect(r.value.signedOn).toBe('令和元年4月30日'); // left as written
  });
  it('inside a flow mapping, and in the envelope (capturedAt): the whole register is then unreadable', async () => {
    const set = await load(contracts('"2024-03-15"', '平成31年5月1日').replace('令和８年６月１０日', '令和8年6月31日'));
    expect(set.problems.map((f) => `${f.code} ${f.location!.pointer} ${f.location!.line}:${f.location!.column}`)).toEqual([
      'evidence/invalid-date /capturedAt 2:13',
      'evidence/invalid-date /records/0/onSiteAudits/0/on 29:15',
    ]);
    expect(set.unreadableRegisters.has('contracts')).toBe(true);
  });
  it('a type error at the same field is not reported twice either', async () => {
    const dir = makeTree({ 'terminals.yaml': 'register: terminals\ncapturedAt: "2026-11-20"\nrecords:\n  - id: T-001\n    hostname: PC1\n    kind: laptop\n    ownership: union\n    connectedToLan: 令和2年2月30日\n    status: active\n' }, BASE_FIXTURE);
    const r = await validateEvidence({ evidenceDir: dir });
    expect(r.findings.map((f) => `${f.code} ${f.location!.line}:${f.location!.column}`)).toEqual(['evidence/invalid-date 8:21']);
  });
  it('a valid era date in the wrong kind of field is still a schema error, on its ISO value', async () => {
    const dir = makeTree({ 'terminals.yaml': 'register: terminals\ncapturedAt: "2026-11-20"\nrecords:\n  - id: T-001\n    hostname: PC1\n    kind: laptop\n    ownership: union\n    connectedToLan: 令和2年2月29日\n    status: active\n' }, BASE_FIXTURE);
    const r = await validateEvidence({ evidenceDir: dir });
    expect(r.findings.map((f) => `${f.code} ${f.location!.line}:${f.location!.column}`)).toEqual(['evidence/schema 8:5']);
  });
  it('mapping keys are values of nobody: they are never rewritten', async () => {
    const dir = makeTree({ 'terminals.yaml': 'register: terminals\ncapturedAt: "2026-11-20"\nrecords:\n  - id: T-001\n    hostname: PC1\n    kind: laptop\n    ownership: union\n    connectedToLan: true\n    status: active\n    令和元年5月1日: x\n' }, BASE_FIXTURE);
    const r = await validateEvidence({ evidenceDir: dir });
    expect(r.findings.map((f) => f.message.en)).toEqual(['terminals T-001: 令和元年5月1日: unknown field "令和元年5月1日"']);
  });
});
