import { baseOfficers } from '../harness/fixtures.js';
import { testRule } from '../harness/rule-tester.js';

/*
 * Accounts, block style, fields always in this order. The default staff account (A-001, S-010's
 * account on 基幹システム) takes lines 4–20:
 *
 *   4  - id: A-001             12      - write              (one line per permission)
 *   5    system: 基幹システム    13    status: active
 *   6    loginId: tekiyo10     14    createdOn: …
 *   7    kind: staff                 changedOn / disabledOn  (when given, one line each)
 *   8    holder: S-010         15    application:
 *   9    duty: R-TEKIYO        16      ref: …
 *  10    permissions:          17      appliedOn: …
 *  11      - read              18      reviewedBy: …
 *                              19      reviewedOn: …
 *                              20    registeredBy: …
 *
 * A maintenance account has no holder line and three maintainer lines instead (maintainer,
 * contract, personCode), one permission, and so takes lines 4–21.
 */
interface Account {
  id?: string;
  system?: string;
  loginId?: string;
  kind?: string;
  holder?: string;
  maintainer?: { contract: string; personCode: string };
  duty?: string;
  permissions?: string[];
  status?: string;
  createdOn?: string;
  changedOn?: string;
  disabledOn?: string;
  appliedOn?: string;
  reviewedBy?: string;
  reviewedOn?: string;
  registeredBy?: string;
}

const lines = (a: Account) =>
  [
    `  - id: ${a.id}`,
    `    system: ${a.system}`,
    `    loginId: ${a.loginId}`,
    `    kind: ${a.kind}`,
    ...(a.holder ? [`    holder: ${a.holder}`] : []),
    ...(a.maintainer ? ['    maintainer:', `      contract: ${a.maintainer.contract}`, `      personCode: ${a.maintainer.personCode}`] : []),
    `    duty: ${a.duty}`,
    '    permissions:',
    ...a.permissions!.map((p) => `      - ${p}`),
    `    status: ${a.status}`,
    `    createdOn: "${a.createdOn}"`,
    ...(a.changedOn ? [`    changedOn: "${a.changedOn}"`] : []),
    ...(a.disabledOn ? [`    disabledOn: "${a.disabledOn}"`] : []),
    '    application:',
    `      ref: APP-${a.id}`,
    `      appliedOn: "${a.appliedOn}"`,
    `      reviewedBy: ${a.reviewedBy}`,
    `      reviewedOn: "${a.reviewedOn}"`,
    `    registeredBy: ${a.registeredBy}`,
  ].join('\n') + '\n';

const staffAccount = (o: Account = {}): string =>
  lines({
    id: 'A-001', system: '基幹システム', loginId: 'tekiyo10', kind: 'staff', holder: 'S-010', duty: 'R-TEKIYO', permissions: ['read', 'write'],
    status: 'active', createdOn: '2020-04-01', appliedOn: '2020-03-25', reviewedBy: 'S-002', reviewedOn: '2020-03-27', registeredBy: 'S-004',
    ...o,
  });

const maintenanceAccount = (o: Account = {}): string =>
  lines({
    id: 'A-101', system: '基幹システム', loginId: 'mnt-0001', kind: 'maintenance', maintainer: { contract: 'C-001', personCode: 'MNT-0001' }, duty: 'R-MNT',
    permissions: ['maintain'], status: 'active', createdOn: '2024-04-01', appliedOn: '2024-03-25', reviewedBy: 'S-002', reviewedOn: '2024-03-27', registeredBy: 'S-004',
    ...o,
  });

const accounts = (...records: string[]) => `register: accounts\ncapturedAt: "2026-11-20"\nrecords:\n${records.join('')}`;

/** The base staff roster, with S-010's record after `name` given by the case. */
const S010_DEFAULT = `    employmentType: regular
    department: 適用課
    hiredOn: "2020-04-01"
    confidentiality: { signedOn: "2020-04-01", documentRef: NDA-010 }
    duties:
      - { role: R-TEKIYO, appointedOn: "2020-04-01", appointedBy: S-002 }
`;
const staff = (s010 = S010_DEFAULT) => `register: staff
capturedAt: "2026-11-20"
records:
${baseOfficers()}  - id: S-010
    name: 適用 十子
${s010}`;

/** S-010 with extra lines (retirement, transfers) after the default record. */
const s010With = (extra: string) => staff(S010_DEFAULT + extra);
/** S-010 with its own duties (replacing the default appointment). */
const s010Duties = (duties: string) => staff(S010_DEFAULT.replace(/    duties:\n.*\n$/, `    duties:\n${duties}`));

testRule('account-duty-appointment', {
  valid: [
    { name: 'the holder is appointed to the duty', files: { accounts: accounts(staffAccount()) } },
    {
      name: 'an appointment ending on the as-of date is still in force that day',
      files: { accounts: accounts(staffAccount()), staff: s010Duties('      - { role: R-TEKIYO, appointedOn: "2020-04-01", appointedBy: S-002, endedOn: "2026-11-24" }\n') },
    },
  ],
  invalid: [
    {
      name: 'the holder is not appointed to the duty',
      files: { accounts: accounts(staffAccount({ duty: 'R-SOMU' })) },
      errors: [{ assertion: 'holder-appointed', line: 9, column: 5, recordId: 'A-001', message: '業務 R-SOMU に、利用者 S-010 は基準日 2026-11-24 に任命されていません' }],
    },
    {
      name: 'the appointment has ended',
      files: { accounts: accounts(staffAccount()), staff: s010Duties('      - { role: R-TEKIYO, appointedOn: "2020-04-01", appointedBy: S-002, endedOn: "2026-03-31" }\n') },
      errors: [{ assertion: 'holder-appointed', line: 9, column: 5, message: 'R-TEKIYO' }],
    },
    {
      name: 'the appointment was not made by the data protection manager',
      files: { accounts: accounts(staffAccount()), staff: s010Duties('      - { role: R-TEKIYO, appointedOn: "2020-04-01", appointedBy: S-004 }\n') },
      errors: [{ assertion: 'appointed-by-manager', line: 9, column: 5, message: 'データ保護管理者 S-002 によるものではありません' }],
    },
  ],
  notApplicable: [
    { name: 'disabled accounts', files: { accounts: accounts(staffAccount({ duty: 'R-SOMU', status: 'disabled', disabledOn: '2026-04-01' })) } },
    { name: 'maintenance accounts', files: { accounts: accounts(maintenanceAccount()) } },
  ],
});

testRule('account-application-review', {
  valid: [
    { name: 'applied, reviewed by the manager, then registered', files: { accounts: accounts(staffAccount(), maintenanceAccount({ id: 'A-102' })) } },
    { name: 'all on one day', files: { accounts: accounts(staffAccount({ appliedOn: '2020-04-01', reviewedOn: '2020-04-01', createdOn: '2020-04-01' })) } },
    {
      name: 'a review from before the current manager took office is not checked against the register',
      files: { accounts: accounts(staffAccount({ appliedOn: '2016-03-25', reviewedBy: 'S-004', reviewedOn: '2016-03-27', createdOn: '2016-04-01' })) },
    },
  ],
  invalid: [
    {
      name: 'reviewed by someone other than the manager',
      files: { accounts: accounts(staffAccount({ reviewedBy: 'S-004' })) },
      errors: [{ assertion: 'reviewed-by-manager', line: 18, column: 7, message: '審査者が S-004 です（データ保護管理者 S-002 であること）' }],
    },
    {
      name: 'a maintenance account reviewed by someone other than the manager',
      files: { accounts: accounts(maintenanceAccount({ reviewedBy: 'S-010' })) },
      errors: [{ assertion: 'reviewed-by-manager', line: 19, column: 7, recordId: 'A-101', message: '審査者が S-010' }],
    },
    {
      name: 'reviewed before the application',
      files: { accounts: accounts(staffAccount({ appliedOn: '2020-03-28' })) },
      errors: [{ assertion: 'reviewed-after-application', line: 19, column: 7, message: '審査日 2020-03-27 が申請日 2020-03-28 より前です' }],
    },
    {
      name: 'registered before the review',
      files: { accounts: accounts(staffAccount({ createdOn: '2020-03-26' })) },
      errors: [{ assertion: 'registered-after-review', line: 14, column: 5, message: '登録日 2020-03-26 が審査日 2020-03-27 より前です' }],
    },
  ],
});

testRule('account-registered-by-officer', {
  valid: [
    { name: 'registered by the data protection officer', files: { accounts: accounts(staffAccount()) } },
    { name: 'registered by the data protection manager', files: { accounts: accounts(staffAccount({ registeredBy: 'S-002' })) } },
    {
      name: 'a registration from before the current officers took office is not checked against the register',
      files: { accounts: accounts(staffAccount({ appliedOn: '2016-03-25', reviewedOn: '2016-03-27', createdOn: '2016-04-01', registeredBy: 'S-010' })) },
    },
  ],
  invalid: [
    {
      name: 'registered by another staff member',
      files: { accounts: accounts(staffAccount({ registeredBy: 'S-010' })) },
      errors: [{ assertion: 'registered-by-officer', line: 20, column: 5, message: '登録者が S-010 です（データ保護担当者 S-004 又はデータ保護管理者 S-002 であること）' }],
    },
  ],
});

testRule('account-one-person', {
  valid: [
    { name: 'one personal account', files: { accounts: accounts(staffAccount()) } },
    {
      name: 'the same login id on another system, and a second account of the same person on another system',
      files: { accounts: accounts(staffAccount(), staffAccount({ id: 'A-002', system: 'ファイルサーバ' })) },
    },
    {
      name: 'a disabled earlier account of the same person on the same system',
      files: { accounts: accounts(staffAccount(), staffAccount({ id: 'A-002', loginId: 'tekiyo10-old', status: 'disabled', disabledOn: '2020-03-31' })) },
    },
  ],
  invalid: [
    {
      name: 'a shared account',
      files: { accounts: accounts(staffAccount({ kind: 'shared', holder: '' })) },
      errors: [{ assertion: 'not-shared', line: 7, column: 5, recordId: 'A-001', message: 'アカウント A-001（基幹システム）は共用アカウントです' }],
    },
    {
      name: 'a staff account without a holder',
      files: { accounts: accounts(staffAccount({ holder: '' })) },
      errors: [{ assertion: 'staff-holder', line: 4, column: 5, message: '利用者（holder）が記録されていません' }],
    },
    {
      name: 'a staff account that also names a maintenance staff member',
      files: { accounts: accounts(staffAccount({ maintainer: { contract: 'C-001', personCode: 'MNT-0001' } })) },
      errors: [{ assertion: 'staff-no-maintainer', line: 9, column: 5 }],
    },
    {
      name: 'two accounts with the same login id on one system',
      files: { accounts: accounts(staffAccount(), staffAccount({ id: 'A-002', holder: 'S-004', duty: 'R-SOMU', status: 'disabled', disabledOn: '2021-03-31' })) },
      errors: [
        { assertion: 'unique-login-id', line: 6, column: 5, recordId: 'A-001', message: '他のアカウント（A-002）と重複しています' },
        { assertion: 'unique-login-id', line: 23, column: 5, recordId: 'A-002', message: '他のアカウント（A-001）と重複しています' },
      ],
    },
    {
      name: 'two active accounts of one person on one system',
      files: { accounts: accounts(staffAccount(), staffAccount({ id: 'A-002', loginId: 'tekiyo10b' })) },
      errors: [
        { assertion: 'one-active-per-holder', line: 8, column: 5, recordId: 'A-001', message: '利用者 S-010 は 基幹システム に複数の有効なアカウントを持っています（A-001 のほか A-002）' },
        { assertion: 'one-active-per-holder', line: 25, column: 5, recordId: 'A-002' },
      ],
    },
  ],
});

testRule('account-maintenance-personal', {
  valid: [
    { name: 'a personal maintenance account', files: { accounts: accounts(maintenanceAccount()) } },
    {
      name: 'the same maintenance staff member on two systems, and a disabled earlier account',
      files: {
        accounts: accounts(
          maintenanceAccount(),
          maintenanceAccount({ id: 'A-102', system: 'ファイルサーバ' }),
          maintenanceAccount({ id: 'A-103', loginId: 'mnt-0001-old', status: 'disabled', disabledOn: '2024-03-31' }),
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'no maintenance staff member recorded',
      files: { accounts: accounts(maintenanceAccount({ maintainer: undefined })) },
      errors: [{ assertion: 'identifies-maintainer', line: 4, column: 5, recordId: 'A-101', message: '保守要員（契約と要員コード）が記録されていません' }],
    },
    {
      name: 'a maintenance account held by a staff member',
      files: { accounts: accounts(maintenanceAccount({ holder: 'S-010' })) },
      errors: [{ assertion: 'no-staff-holder', line: 8, column: 5, message: '職員 S-010 が利用者として記録されています' }],
    },
    {
      name: 'two active accounts of one maintenance staff member on one system',
      files: { accounts: accounts(maintenanceAccount(), maintenanceAccount({ id: 'A-102', loginId: 'mnt-0001b' })) },
      errors: [
        { assertion: 'one-active-per-maintainer', line: 10, column: 7, recordId: 'A-101', message: '保守要員 MNT-0001（契約 C-001）は 基幹システム に複数の有効なアカウント' },
        { assertion: 'one-active-per-maintainer', line: 28, column: 7, recordId: 'A-102' },
      ],
    },
  ],
  notApplicable: [{ name: 'staff accounts', files: { accounts: accounts(staffAccount()) } }],
});

testRule('account-maintenance-contract-duty', {
  valid: [{ name: 'a maintenance account under a maintenance contract, and a staff account', files: { accounts: accounts(maintenanceAccount(), staffAccount()) } }],
  invalid: [
    {
      name: 'a maintenance account under a disposal contract',
      files: { accounts: accounts(maintenanceAccount({ maintainer: { contract: 'C-002', personCode: 'MNT-0001' } })) },
      errors: [{ assertion: 'maintenance-contract', line: 9, column: 7, recordId: 'A-101', message: '契約 C-002 は保守契約ではありません（種別 disposal）' }],
    },
    {
      name: 'a maintenance account with a staff duty',
      files: { accounts: accounts(maintenanceAccount({ duty: 'R-TEKIYO', permissions: ['read'] })) },
      errors: [{ assertion: 'duty-fits-kind', line: 11, column: 5, message: '保守要員用アカウント A-101 の業務 R-TEKIYO は保守要員用の業務ではありません' }],
    },
    {
      name: 'a staff account with a maintenance duty',
      files: { accounts: accounts(staffAccount({ duty: 'R-MNT', permissions: ['read'] })) },
      errors: [{ assertion: 'duty-fits-kind', line: 9, column: 5, message: '職員用アカウント A-001 の業務 R-MNT は保守要員用の業務です' }],
    },
  ],
  notApplicable: [{ name: 'shared accounts', files: { accounts: accounts(staffAccount({ kind: 'shared', holder: '' })) } }],
});

testRule('account-permissions-within-duty', {
  valid: [
    { name: 'all permissions allowed by the duty', files: { accounts: accounts(staffAccount()) } },
    { name: 'fewer permissions than allowed', files: { accounts: accounts(staffAccount({ permissions: ['read'] })) } },
  ],
  invalid: [
    {
      name: 'one permission beyond the duty',
      files: { accounts: accounts(staffAccount({ permissions: ['read', 'write', 'admin'] })) },
      errors: [{ assertion: 'permission-allowed', line: 13, column: 9, recordId: 'A-001', message: '権限 admin は業務 R-TEKIYO に許されていません' }],
    },
    {
      name: 'one finding per excess permission',
      files: { accounts: accounts(staffAccount({ permissions: ['admin', 'read', 'maintain'] })) },
      errors: [
        { assertion: 'permission-allowed', line: 11, column: 9, message: '権限 admin' },
        { assertion: 'permission-allowed', line: 13, column: 9, message: '権限 maintain' },
      ],
    },
  ],
  notApplicable: [{ name: 'disabled accounts', files: { accounts: accounts(staffAccount({ permissions: ['admin'], status: 'disabled', disabledOn: '2026-04-01' })) } }],
});

testRule('account-created-on-hiring', {
  valid: [
    { name: 'created on the hiring date', files: { accounts: accounts(staffAccount()) } },
    { name: 'created before the hiring date', files: { accounts: accounts(staffAccount({ createdOn: '2020-03-30' })) } },
    { name: 'created 7 days after hiring', files: { accounts: accounts(staffAccount({ createdOn: '2020-04-08' })) } },
    {
      name: 'created on appointment to the duty after a transfer',
      files: {
        accounts: accounts(staffAccount({ duty: 'R-SOMU', appliedOn: '2023-03-28', reviewedOn: '2023-03-30', createdOn: '2023-04-03' })),
        staff: s010Duties('      - { role: R-TEKIYO, appointedOn: "2020-04-01", appointedBy: S-002, endedOn: "2023-03-31" }\n      - { role: R-SOMU, appointedOn: "2023-04-01", appointedBy: S-002 }\n'),
      },
    },
  ],
  invalid: [
    {
      name: 'created 8 days after hiring',
      files: { accounts: accounts(staffAccount({ createdOn: '2020-04-09' })) },
      errors: [{ assertion: 'created-promptly', line: 14, column: 5, recordId: 'A-001', message: '登録日 2020-04-09 は、利用者 S-010 の採用日 2020-04-01（及び業務 R-TEKIYO への任命日）から 7 日を超えています' }],
    },
    {
      name: 'a parameter of 3 days fails 4 days',
      params: { promptDays: 3 },
      files: { accounts: accounts(staffAccount({ createdOn: '2020-04-05' })) },
      errors: [{ assertion: 'created-promptly', line: 14, column: 5, message: '3 日を超えています' }],
    },
  ],
  notApplicable: [{ name: 'maintenance accounts', files: { accounts: accounts(maintenanceAccount()) } }],
});

const retired = (on: string) => s010With(`    retiredOn: "${on}"\n`);

testRule('account-disabled-on-retirement', {
  valid: [
    { name: 'disabled the day after retirement', files: { accounts: accounts(staffAccount({ status: 'disabled', disabledOn: '2026-10-01' })), staff: retired('2026-09-30') } },
    { name: 'still active, but within the days allowed', asOf: '2026-10-07', files: { accounts: accounts(staffAccount()), staff: retired('2026-09-30') } },
  ],
  invalid: [
    {
      name: 'still active after retirement',
      files: { accounts: accounts(staffAccount()), staff: retired('2026-09-30') },
      errors: [{ assertion: 'disabled', line: 13, column: 5, recordId: 'A-001', outcome: 'fail', message: '利用者 S-010 は 2026-09-30 に退職しましたが、アカウント A-001（基幹システム）は基準日 2026-11-24 に有効のままです' }],
    },
    {
      name: 'one day beyond the days allowed',
      asOf: '2026-10-08',
      files: { accounts: accounts(staffAccount()), staff: retired('2026-09-30') },
      errors: [{ assertion: 'disabled', line: 13, column: 5 }],
    },
    {
      name: 'disabled late',
      files: { accounts: accounts(staffAccount({ status: 'disabled', disabledOn: '2026-10-15' })), staff: retired('2026-09-30') },
      errors: [{ assertion: 'disabled-promptly', line: 15, column: 5, message: '削除日 2026-10-15 は利用者 S-010 の退職日 2026-09-30 から 7 日を超えています' }],
    },
    {
      name: 'disabled with no date recorded',
      files: { accounts: accounts(staffAccount({ status: 'disabled' })), staff: retired('2026-09-30') },
      errors: [{ assertion: 'disabled-promptly', line: 4, column: 5, message: '削除日 （記録なし）' }],
    },
  ],
  notApplicable: [
    { name: 'the holder has not retired', files: { accounts: accounts(staffAccount()) } },
    { name: 'the holder retires after the as-of date', files: { accounts: accounts(staffAccount()), staff: retired('2026-12-31') } },
  ],
});

const transferred = (on: string) => s010With(`    transfers:\n      - { on: "${on}", from: 適用課, to: 総務課 }\n`);

testRule('account-changed-on-transfer', {
  valid: [
    { name: 'changed on the transfer date', files: { accounts: accounts(staffAccount({ changedOn: '2026-10-01' })), staff: transferred('2026-10-01') } },
    { name: 'changed 7 days after the transfer', files: { accounts: accounts(staffAccount({ changedOn: '2026-10-08' })), staff: transferred('2026-10-01') } },
    { name: 'not changed yet, but within the days allowed', asOf: '2026-10-05', files: { accounts: accounts(staffAccount()), staff: transferred('2026-10-01') } },
  ],
  invalid: [
    {
      name: 'never changed after the transfer',
      files: { accounts: accounts(staffAccount()), staff: transferred('2026-10-01') },
      errors: [{ assertion: 'changed-promptly', line: 4, column: 5, recordId: 'A-001', message: '利用者 S-010 は 2026-10-01 に異動しましたが、アカウント A-001 の変更日は （記録なし） です' }],
    },
    {
      name: 'changed late',
      files: { accounts: accounts(staffAccount({ changedOn: '2026-10-20' })), staff: transferred('2026-10-01') },
      errors: [{ assertion: 'changed-promptly', line: 15, column: 5, message: '変更日は 2026-10-20 です' }],
    },
    {
      name: 'last changed before the transfer',
      files: { accounts: accounts(staffAccount({ changedOn: '2025-01-10' })), staff: transferred('2026-10-01') },
      errors: [{ assertion: 'changed-promptly', line: 15, column: 5, message: '2025-01-10' }],
    },
  ],
  notApplicable: [
    { name: 'a transfer before the account was created', files: { accounts: accounts(staffAccount()), staff: transferred('2019-04-01') } },
    { name: 'a transfer after the as-of date', files: { accounts: accounts(staffAccount()), staff: transferred('2026-12-01') } },
    { name: 'a disabled account', files: { accounts: accounts(staffAccount({ status: 'disabled', disabledOn: '2026-09-30' })), staff: transferred('2026-10-01') } },
  ],
});
