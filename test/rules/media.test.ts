import { testRule } from '../harness/rule-tester.js';

/** Replaces text that must be present (a typo in a test must not silently leave the evidence unchanged). */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`test evidence does not contain: ${from}`);
  return text.replace(from, to);
}

// A DVD-R copied with the data protection manager's permission and handed to a contractor and back.
// Lines: 4 id, 6 containsPersonalInfo, 8 purpose, 9 copyPermission, 10 grantedBy, 11 grantedOn,
// 14 registeredOn, 15 status, 16 storage, 18 lockable, 19 transfers, 20 "- on" (transfer 0),
// 24 "- on" (transfer 1), 26 receivedBy (transfer 1).
const PERMITTED = `register: media
capturedAt: "2026-11-20"
records:
  - id: M-001
    type: dvd-r
    containsPersonalInfo: true
    label: 特定保健指導対象者データ
    purpose: permitted-copy
    copyPermission:
      grantedBy: S-002
      grantedOn: "2026-05-18"
      reason: 特定保健指導の委託先への対象者データ提供
      documentRef: 媒体複写許可書 2026-003
    registeredOn: "2026-05-19"
    status: stored
    storage:
      cabinet: 保健事業課 施錠キャビネットC
      lockable: true
    transfers:
      - on: "2026-05-20"
        handedBy: S-010
        receivedBy: 株式会社テスト保健
        recordRef: 媒体授受簿 2026-018
      - on: "2026-06-30"
        handedBy: 株式会社テスト保健
        receivedBy: S-010
        recordRef: 媒体授受簿 2026-027
`;

// An unused USB stick. Lines: 4 id, 6 containsPersonalInfo, 7 purpose.
const BLANK = `register: media
capturedAt: "2026-11-20"
records:
  - id: M-002
    type: usb
    containsPersonalInfo: false
    purpose: blank
    registeredOn: "2025-10-01"
    status: stored
    storage:
      cabinet: 総務課 事務用品棚
      lockable: false
`;

// A backup tape crushed by the disposal contractor. Lines: 4 id, 7 containsPersonalInfo, 10 status,
// 11 disposal, 12 on, 13 method, 15 confirmedBefore, 16 by, 17 on, 18 confirmedAfter, 19 by, 20 on.
const DISPOSED = `register: media
capturedAt: "2026-11-20"
records:
  - id: M-003
    type: lto
    label: ファイルサーバ週次バックアップ（旧世代）
    containsPersonalInfo: true
    purpose: backup
    registeredOn: "2019-04-01"
    status: disposed
    disposal:
      on: "2025-08-21"
      method: crushing
      contractor: C-002
      confirmedBefore:
        by: S-002
        on: "2025-08-20"
      confirmedAfter:
        by: S-002
        on: "2025-08-21"
      recordRef: 媒体廃棄記録 2025-03
`;

// The same degaussed under an exception. Lines: 22 exception, 24 approvedBy, 25 approvedOn.
const DEGAUSSED = `${edit(DISPOSED, 'method: crushing', 'method: degaussing')}      exception:
        reason: 粉砕設備の対象外の媒体のため消磁により復元不可能な状態とした
        approvedBy: S-002
        approvedOn: "2025-08-01"
        documentRef: 廃棄方法例外承認書 2025-002
`;

const ORGANIZATION_WITHOUT_MANAGER = `register: organization
capturedAt: "2026-11-20"
records:
  - id: chairman
    title: 理事長
    holder: S-001
    appointedOn: "2019-06-21"
`;

testRule('media-copy-permission', {
  valid: [
    { name: 'a copy permitted by the data protection manager before it was made', files: { media: PERMITTED } },
    { name: 'a backup (the base fixture)' },
    { name: 'a blank medium holding nothing', files: { media: BLANK } },
    { name: 'permission granted on the day of registration', files: { media: edit(PERMITTED, 'grantedOn: "2026-05-18"', 'grantedOn: "2026-05-19"') } },
  ],
  invalid: [
    {
      name: 'a permitted copy with no permission recorded',
      files: { media: PERMITTED.slice(0, PERMITTED.indexOf('    copyPermission:\n')) + PERMITTED.slice(PERMITTED.indexOf('    registeredOn:')) },
      errors: [{ assertion: 'permission-recorded', line: 8, column: 5, recordId: 'M-001', message: '許可による複写（permitted-copy）ですが、データ保護管理者の許可が記録されていません' }],
    },
    {
      name: 'permission granted by the data protection officer',
      files: { media: edit(PERMITTED, 'grantedBy: S-002', 'grantedBy: S-004') },
      errors: [{ assertion: 'permission-by-manager', line: 10, column: 7, message: '複写を許可した S-004 はデータ保護管理者（S-002）ではありません' }],
    },
    {
      name: 'no data protection manager appointed',
      files: { media: PERMITTED, organization: ORGANIZATION_WITHOUT_MANAGER },
      errors: [{ assertion: 'permission-by-manager', line: 10, column: 7, message: 'データ保護管理者（未任命）' }],
    },
    {
      name: 'permission granted after the medium was registered',
      files: { media: edit(PERMITTED, 'grantedOn: "2026-05-18"', 'grantedOn: "2026-05-25"') },
      errors: [{ assertion: 'permission-before-copy', line: 11, column: 7, message: '許可日 2026-05-25 が台帳登録日 2026-05-19' }],
    },
    {
      name: 'a medium registered as blank holds personal information',
      files: { media: edit(BLANK, 'containsPersonalInfo: false', 'containsPersonalInfo: true') },
      errors: [{ assertion: 'blank-holds-no-personal-information', line: 6, column: 5, recordId: 'M-002', message: '未使用（blank）として登録された媒体 M-002 に個人情報が記録されています' }],
    },
  ],
});

testRule('media-locked-storage', {
  valid: [
    { name: 'kept in a lockable cabinet', files: { media: PERMITTED } },
    { name: 'the base fixture backup tape' },
  ],
  invalid: [
    {
      name: 'kept on an open shelf',
      files: { media: edit(edit(PERMITTED, 'cabinet: 保健事業課 施錠キャビネットC', 'cabinet: 保健事業課 書類棚'), 'lockable: true', 'lockable: false') },
      errors: [{ assertion: 'lockable-cabinet', line: 18, column: 7, recordId: 'M-001', message: '保管場所「保健事業課 書類棚」が施錠できません' }],
    },
    {
      name: 'where it is kept is not recorded',
      files: { media: edit(PERMITTED, '    storage:\n      cabinet: 保健事業課 施錠キャビネットC\n      lockable: true\n', '') },
      errors: [{ assertion: 'location-recorded', line: 4, column: 5, message: '保管場所が台帳に記録されていません' }],
    },
  ],
  notApplicable: [
    { name: 'a blank medium on the stationery shelf', files: { media: BLANK } },
    { name: 'a disposed medium', files: { media: DISPOSED } },
  ],
});

testRule('media-transfer-record', {
  valid: [{ name: 'two hand-overs between registration and the as-of date', files: { media: PERMITTED } }],
  invalid: [
    {
      name: 'the contractor hands the medium to itself',
      files: { media: edit(PERMITTED, '        handedBy: 株式会社テスト保健\n        receivedBy: S-010\n', '        handedBy: 株式会社テスト保健\n        receivedBy: 株式会社テスト保健\n') },
      errors: [{ assertion: 'distinct-parties', line: 26, column: 9, recordId: 'M-001', message: '授受記録 媒体授受簿 2026-027（2026-06-30）で、渡した者と受け取った者が同じ 株式会社テスト保健 です' }],
    },
    {
      name: 'a hand-over dated before the medium was registered',
      files: { media: edit(PERMITTED, '- on: "2026-05-20"', '- on: "2026-05-18"') },
      errors: [{ assertion: 'date-in-range', line: 20, column: 9, message: '授受日 2026-05-18 が台帳登録日 2026-05-19〜基準日 2026-11-24 の範囲外です' }],
    },
    {
      name: 'a hand-over dated after the as-of date',
      files: { media: edit(PERMITTED, '- on: "2026-06-30"', '- on: "2026-12-01"') },
      errors: [{ assertion: 'date-in-range', line: 24, column: 9, message: '媒体授受簿 2026-027 の授受日 2026-12-01' }],
    },
  ],
  notApplicable: [{ name: 'a medium never handed over', files: { media: BLANK } }],
});

testRule('media-disposal-method', {
  valid: [
    { name: 'crushed', files: { media: DISPOSED } },
    { name: 'melted (Art. 22(3))', files: { media: edit(DISPOSED, 'method: crushing', 'method: melting') } },
    { name: 'degaussed under an exception approved beforehand by the data protection manager', files: { media: DEGAUSSED } },
    { name: 'a stored medium not disposed of', files: { media: PERMITTED } },
  ],
  invalid: [
    {
      name: 'status disposed but no disposal record',
      files: { media: DISPOSED.slice(0, DISPOSED.indexOf('    disposal:\n')) },
      errors: [{ assertion: 'disposal-recorded', line: 10, column: 5, recordId: 'M-003', message: '廃棄済み（disposed）の媒体 M-003 に廃棄の記録（disposal）がありません' }],
    },
    {
      name: 'a disposal record on a medium still marked stored',
      files: { media: edit(DISPOSED, 'status: disposed', 'status: stored\n    storage: { cabinet: サーバ室 耐火キャビネットA, lockable: true }') },
      errors: [{ assertion: 'status-disposed', line: 10, column: 5, message: '2025-08-21 に廃棄の記録がありますが、状態が「stored」です' }],
    },
    {
      name: 'overwritten without an exception',
      files: { media: edit(DISPOSED, 'method: crushing', 'method: overwrite') },
      errors: [{ assertion: 'method', line: 13, column: 7, message: '廃棄方法「overwrite」は粉砕・熔融ではなく、例外の承認も記録されていません' }],
    },
    {
      name: 'exception approved by the data protection officer',
      files: { media: edit(DEGAUSSED, 'approvedBy: S-002', 'approvedBy: S-004') },
      errors: [{ assertion: 'exception-approver', line: 24, column: 9, message: '例外を承認した S-004 はデータ保護管理者（S-002）ではありません' }],
    },
    {
      name: 'exception approved after the disposal',
      files: { media: edit(DEGAUSSED, 'approvedOn: "2025-08-01"', 'approvedOn: "2025-08-22"') },
      errors: [{ assertion: 'exception-before-disposal', line: 25, column: 9, message: '承認日 2025-08-22 が廃棄日 2025-08-21' }],
    },
  ],
});

testRule('media-disposal-confirmation', {
  valid: [
    { name: 'confirmed by the data protection manager the day before and on the day', files: { media: DISPOSED } },
    { name: 'both confirmations on the day of disposal', files: { media: edit(DISPOSED, 'on: "2025-08-20"', 'on: "2025-08-21"') } },
  ],
  invalid: [
    {
      name: 'confirmed before the work by the data protection officer',
      files: { media: edit(DISPOSED, '        by: S-002\n        on: "2025-08-20"', '        by: S-004\n        on: "2025-08-20"') },
      errors: [{ assertion: 'before-by-manager', line: 16, column: 9, recordId: 'M-003', message: '作業前の確認者 S-004 がデータ保護管理者（S-002）ではありません' }],
    },
    {
      name: 'confirmed after the work by the data protection officer',
      files: { media: edit(DISPOSED, '        by: S-002\n        on: "2025-08-21"', '        by: S-004\n        on: "2025-08-21"') },
      errors: [{ assertion: 'after-by-manager', line: 19, column: 9, message: '作業後の確認者 S-004' }],
    },
    {
      name: 'no data protection manager appointed: neither confirmation counts',
      files: { media: DISPOSED, organization: ORGANIZATION_WITHOUT_MANAGER },
      errors: [
        { assertion: 'before-by-manager', line: 16, column: 9, message: 'データ保護管理者（未任命）' },
        { assertion: 'after-by-manager', line: 19, column: 9, message: 'データ保護管理者（未任命）' },
      ],
    },
    {
      name: '"before" confirmation dated after the disposal',
      files: { media: edit(DISPOSED, 'on: "2025-08-20"', 'on: "2025-08-22"') },
      errors: [{ assertion: 'before-date', line: 17, column: 9, message: '作業前の確認日 2025-08-22 が廃棄日 2025-08-21 より後です' }],
    },
    {
      name: '"after" confirmation dated before the disposal',
      files: { media: edit(DISPOSED, '        by: S-002\n        on: "2025-08-21"', '        by: S-002\n        on: "2025-08-20"') },
      errors: [{ assertion: 'after-date', line: 20, column: 9, message: '作業後の確認日 2025-08-20 が廃棄日 2025-08-21 より前です' }],
    },
  ],
  notApplicable: [
    { name: 'a disposed medium that held no personal information', files: { media: edit(DISPOSED, 'containsPersonalInfo: true', 'containsPersonalInfo: false') } },
    { name: 'a medium not disposed of', files: { media: PERMITTED } },
  ],
});
