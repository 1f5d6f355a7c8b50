import { testRule } from '../harness/rule-tester.js';

/*
 * The organisation register, block style. Lines 1–3 are the header; each appointment takes four
 * lines (id, title, holder, appointedOn) plus its extra lines. With the default order
 * (manager, officer, auditor, chairman) the holders are on lines 6, 10, 14 and 18.
 */
const appointment = (id: string, holder: string, extra = '', appointedOn = '2016-07-26') =>
  `  - id: ${id}\n    title: ${id}の役割\n    holder: ${holder}\n    appointedOn: "${appointedOn}"\n${extra}`;
const organization = (...appointments: string[]) => `register: organization\ncapturedAt: "2026-11-20"\nrecords:\n${appointments.join('')}`;

const dpm = (holder = 'S-002', extra = '', appointedOn?: string) => appointment('dataProtectionManager', holder, extra, appointedOn);
const dpo = (holder = 'S-004', extra = '', appointedOn?: string) => appointment('dataProtectionOfficer', holder, extra, appointedOn);
const auditor = (holder = 'S-003', extra = '', appointedOn?: string) => appointment('systemAuditor', holder, extra, appointedOn);
const chairman = appointment('chairman', 'S-001', '', '2019-06-21');

/** A documented exception to the 原則として rule (six lines). */
const exception = (approvedOn: string, until?: string) =>
  `    exception:\n      reason: 原則の就任者が欠員のための暫定措置\n      approvedBy: 理事会\n      approvedOn: "${approvedOn}"\n` +
  (until ? `      until: "${until}"\n` : '') +
  `      documentRef: 理事会議事録 ${approvedOn}\n`;

/** The base staff roster (policies/tests/base/staff.yaml) with extra lines for one member. */
const staff = (extra: { id: string; lines: string }) => {
  const member = (id: string, body: string) => `  - id: ${id}\n${body}${extra.id === id ? extra.lines : ''}`;
  return `register: staff
capturedAt: "2026-11-20"
records:
${member('S-001', '    name: 理事 一郎\n    employmentType: officer\n    titles: [理事長]\n    department: 役員\n    hiredOn: "2015-04-01"\n    confidentiality: { signedOn: "2015-04-01", documentRef: NDA-001 }\n')}${member('S-002', '    name: 管理 二郎\n    employmentType: officer\n    titles: [常務理事, 個人情報取扱責任者]\n    department: 役員\n    hiredOn: "2016-04-01"\n    confidentiality: { signedOn: "2016-04-01", documentRef: NDA-002 }\n')}${member('S-003', '    name: 監事 三子\n    employmentType: officer\n    titles: [監事]\n    department: 役員\n    hiredOn: "2016-04-01"\n    confidentiality: { signedOn: "2016-04-01", documentRef: NDA-003 }\n')}${member('S-004', '    name: 担当 四郎\n    employmentType: regular\n    titles: [事務長, 個人情報保護管理担当者]\n    department: 総務課\n    hiredOn: "2010-04-01"\n    confidentiality: { signedOn: "2010-04-01", documentRef: NDA-004 }\n    duties:\n      - { role: R-SOMU, appointedOn: "2016-07-26", appointedBy: S-002 }\n')}${member('S-010', '    name: 適用 十子\n    employmentType: regular\n    department: 適用課\n    hiredOn: "2020-04-01"\n    confidentiality: { signedOn: "2020-04-01", documentRef: NDA-010 }\n    duties:\n      - { role: R-TEKIYO, appointedOn: "2020-04-01", appointedBy: S-002 }\n')}`;
};

testRule('org-data-protection-manager', {
  valid: [
    { name: 'the 個人情報取扱責任者 is the manager', files: { organization: organization(dpm(), dpo(), auditor(), chairman) } },
    {
      name: 'another staff member, with an exception approved and still valid',
      files: { organization: organization(dpm('S-010', exception('2026-04-01', '2027-03-31')), dpo(), auditor(), chairman) },
    },
    {
      name: 'an exception without an end date',
      files: { organization: organization(dpm('S-010', exception('2026-04-01')), dpo(), auditor(), chairman) },
    },
    {
      name: 'the holder retires on the as-of date (the last day of service)',
      files: { organization: organization(dpm(), dpo(), auditor(), chairman), staff: staff({ id: 'S-002', lines: '    retiredOn: "2026-11-24"\n' }) },
    },
    {
      name: 'a different principal title given as a parameter',
      params: { principalTitle: '常務理事' },
      files: { organization: organization(dpm(), dpo(), auditor(), chairman) },
    },
  ],
  invalid: [
    {
      name: 'no data protection manager',
      files: { organization: organization(dpo(), auditor(), chairman) },
      errors: [{ assertion: 'appointed', line: 3, column: 1, message: 'データ保護管理者（dataProtectionManager）が任命されていません' }],
    },
    {
      name: 'appointed only after the as-of date',
      files: { organization: organization(dpm('S-002', '', '2026-12-01'), dpo(), auditor(), chairman) },
      errors: [{ assertion: 'appointed', line: 3, column: 1, message: '基準日 2026-11-24' }],
    },
    {
      name: 'the holder has retired',
      files: { organization: organization(dpm(), dpo(), auditor(), chairman), staff: staff({ id: 'S-002', lines: '    retiredOn: "2026-03-31"\n' }) },
      errors: [{ assertion: 'holder-in-office', line: 6, column: 5, message: '就任者 S-002 は基準日 2026-11-24 に在籍する職員ではありません（退職日 2026-03-31）' }],
    },
    {
      name: 'the holder is hired only after the as-of date',
      files: { organization: organization(dpm(), dpo(), auditor(), chairman) },
      asOf: '2016-03-31',
      errors: [
        { assertion: 'appointed', line: 3, column: 1 },
        { assertion: 'holder-in-office', line: 6, column: 5, message: 'S-002' },
      ],
    },
    {
      name: 'the holder is not the 個人情報取扱責任者 and there is no exception',
      files: { organization: organization(dpm('S-010'), dpo(), auditor(), chairman) },
      errors: [{ assertion: 'principal-title', line: 6, column: 5, message: 'S-010 は個人情報取扱責任者ではなく' }],
    },
    {
      name: 'the exception has expired',
      files: { organization: organization(dpm('S-010', exception('2025-04-01', '2026-03-31')), dpo(), auditor(), chairman) },
      errors: [{ assertion: 'principal-title', line: 6, column: 5, message: '有効な例外承認もありません' }],
    },
    {
      name: 'the exception is approved only after the as-of date',
      files: { organization: organization(dpm('S-010', exception('2026-12-01')), dpo(), auditor(), chairman) },
      errors: [{ assertion: 'principal-title', line: 6, column: 5 }],
    },
    {
      name: 'the finding points at the manager wherever it is in the register',
      files: { organization: organization(dpo(), auditor(), chairman, dpm('S-010')) },
      errors: [{ assertion: 'principal-title', line: 18, column: 5, message: 'S-010' }],
    },
  ],
});

testRule('org-data-protection-officer', {
  valid: [
    { name: 'the 個人情報保護管理担当者 is the officer', files: { organization: organization(dpm(), dpo(), auditor(), chairman) } },
    {
      name: 'another staff member, with a valid exception',
      files: { organization: organization(dpm(), dpo('S-010', exception('2026-04-01', '2026-11-24')), auditor(), chairman) },
    },
  ],
  invalid: [
    {
      name: 'no data protection officer',
      files: { organization: organization(dpm(), auditor(), chairman) },
      errors: [{ assertion: 'appointed', line: 3, column: 1, message: 'データ保護担当者（dataProtectionOfficer）が任命されていません' }],
    },
    {
      name: 'the holder has retired',
      files: { organization: organization(dpm(), dpo(), auditor(), chairman), staff: staff({ id: 'S-004', lines: '    retiredOn: "2026-06-30"\n' }) },
      errors: [{ assertion: 'holder-in-office', line: 10, column: 5, message: 'データ保護担当者の就任者 S-004' }],
    },
    {
      name: 'the holder is not the 個人情報保護管理担当者',
      files: { organization: organization(dpm(), dpo('S-010'), auditor(), chairman) },
      errors: [{ assertion: 'principal-title', line: 10, column: 5, message: 'S-010 は個人情報保護管理担当者ではなく' }],
    },
    {
      name: 'the exception expired the day before the as-of date',
      files: { organization: organization(dpm(), dpo('S-010', exception('2026-04-01', '2026-11-23')), auditor(), chairman) },
      errors: [{ assertion: 'principal-title', line: 10, column: 5 }],
    },
  ],
});

testRule('org-system-auditor', {
  valid: [
    { name: 'a 監事 is the auditor', files: { organization: organization(dpm(), dpo(), auditor(), chairman) } },
    {
      name: 'another staff member, with a valid exception',
      files: { organization: organization(dpm(), dpo(), auditor('S-001', exception('2026-04-01')), chairman) },
    },
  ],
  invalid: [
    {
      name: 'no information system audit manager',
      files: { organization: organization(dpm(), dpo(), chairman) },
      errors: [{ assertion: 'appointed', line: 3, column: 1, message: '情報システム監査責任者（systemAuditor）が任命されていません' }],
    },
    {
      name: 'the holder has retired',
      files: { organization: organization(dpm(), dpo(), auditor(), chairman), staff: staff({ id: 'S-003', lines: '    retiredOn: "2026-06-20"\n' }) },
      errors: [{ assertion: 'holder-in-office', line: 14, column: 5, message: '情報システム監査責任者の就任者 S-003' }],
    },
    {
      name: 'the holder is not a 監事',
      files: { organization: organization(dpm(), dpo(), auditor('S-001'), chairman) },
      errors: [{ assertion: 'principal-title', line: 14, column: 5, message: 'S-001 は監事ではなく' }],
    },
  ],
});
