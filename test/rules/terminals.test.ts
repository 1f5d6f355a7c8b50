import { testRule } from '../harness/rule-tester.js';

const terminal = (lock: string, extra = '') => `register: terminals
capturedAt: "2026-11-20"
records:
  - id: T-001
    hostname: TEST-PC001
    kind: desktop
    ownership: union
    connectedToLan: true
    status: active
${lock}    screenFacesAisle: false
    antivirus: { product: AV, installed: true, realtimeProtection: true, autoUpdate: true, patternDate: "2026-11-19", lastFullScan: "2026-11-16" }
${extra}`;

testRule('terminal-screen-lock', {
  valid: [
    { name: 'password lock at 5 minutes', files: { terminals: terminal('    screenLock:\n      method: password-lock\n      idleMinutes: 5\n') } },
    { name: 'auto log-off at 1 minute', files: { terminals: terminal('    screenLock:\n      method: auto-logoff\n      idleMinutes: 1\n') } },
    { name: 'a stricter parameter still passes 3 minutes', params: { maxIdleMinutes: 3 }, files: { terminals: terminal('    screenLock:\n      method: password-lock\n      idleMinutes: 3\n') } },
  ],
  invalid: [
    {
      name: 'idle time of 6 minutes',
      files: { terminals: terminal('    screenLock:\n      method: password-lock\n      idleMinutes: 6\n') },
      errors: [{ assertion: 'idle-time', line: 12, column: 7, recordId: 'T-001', message: '6 分' }],
    },
    {
      name: 'screensaver without password',
      files: { terminals: terminal('    screenLock:\n      method: screensaver-only\n      idleMinutes: 5\n') },
      errors: [{ assertion: 'method', line: 11, column: 7, message: 'screensaver-only' }],
    },
    {
      name: 'no screen lock recorded',
      files: { terminals: terminal('') },
      errors: [{ assertion: 'configured', line: 4, column: 5 }],
    },
    {
      name: 'a parameter override of 3 minutes fails 5',
      params: { maxIdleMinutes: 3 },
      files: { terminals: terminal('    screenLock:\n      method: password-lock\n      idleMinutes: 5\n') },
      errors: [{ assertion: 'idle-time', line: 12, column: 7, message: '1〜3 分' }],
    },
  ],
  notApplicable: [
    {
      name: 'disposed terminals are not checked',
      files: { terminals: terminal('', '').replace('status: active', 'status: disposed') },
    },
  ],
});

/** Replaces text that must be present (a typo in a test must not silently leave the evidence unchanged). */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`test evidence does not contain: ${from}`);
  return text.replace(from, to);
}

// An active desktop in block style. Lines: 4 id, 6 kind, 8 connectedToLan, 11 status,
// 15 screenFacesAisle, 16 antivirus, 18 installed, 19 realtimeProtection, 20 autoUpdate,
// 21 patternDate, 22 lastFullScan.
const DESKTOP = `register: terminals
capturedAt: "2026-11-20"
records:
  - id: T-001
    hostname: TEST-PC001
    kind: desktop
    ownership: union
    connectedToLan: true
    location: 本部事務所 4F 適用課
    assignedTo: S-010
    status: active
    screenLock:
      method: password-lock
      idleMinutes: 5
    screenFacesAisle: false
    antivirus:
      product: ウイルスバスター
      installed: true
      realtimeProtection: true
      autoUpdate: true
      patternDate: "2026-11-19"
      lastFullScan: "2026-11-16"
`;

// A disposed desktop. Lines: 4 id, 10 disposal, 11 on, 12 contractor, 13 certificate, 15 receivedOn, 16 keptAt.
const DISPOSED = `register: terminals
capturedAt: "2026-11-20"
records:
  - id: T-002
    hostname: TEST-PC-OLD
    kind: desktop
    ownership: union
    connectedToLan: false
    status: disposed
    disposal:
      on: "2026-02-19"
      contractor: C-002
      certificate:
        ref: 完全消去証明書 SRT-2026-0001
        receivedOn: "2026-03-05"
        keptAt: 総務課 施錠キャビネットB 証明書ファイル
`;

// A privately owned laptop. Lines: 4 id, 7 ownership, 8 connectedToLan, 10 status.
const PRIVATE = `register: terminals
capturedAt: "2026-11-20"
records:
  - id: T-003
    hostname: PRIVATE-01
    kind: laptop
    ownership: private
    connectedToLan: false
    assignedTo: S-010
    status: active
`;

// The same laptop on the LAN under an exception. Lines: 11 lanException, 13 approvedBy, 14 approvedOn, 15 until.
const PRIVATE_WITH_EXCEPTION = `register: terminals
capturedAt: "2026-11-20"
records:
  - id: T-003
    hostname: PRIVATE-01
    kind: laptop
    ownership: private
    connectedToLan: true
    assignedTo: S-010
    status: active
    lanException:
      reason: 組合支給PCの修理期間中の代替機として使用するため
      approvedBy: S-002
      approvedOn: "2026-10-01"
      until: "2026-12-31"
      documentRef: 私有PC接続例外承認書 2026-01
`;

testRule('terminal-screen-orientation', {
  valid: [
    { name: 'a desktop whose screen faces away from the aisle', files: { terminals: DESKTOP } },
    { name: 'a laptop likewise', files: { terminals: edit(DESKTOP, 'kind: desktop', 'kind: laptop') } },
  ],
  invalid: [
    {
      name: 'screen faces the aisle',
      files: { terminals: edit(DESKTOP, 'screenFacesAisle: false', 'screenFacesAisle: true') },
      errors: [{ assertion: 'faces-away', line: 15, column: 5, recordId: 'T-001', message: '端末 T-001（本部事務所 4F 適用課）の画面が部外者の通る方を向いています' }],
    },
    {
      name: 'orientation not recorded',
      files: { terminals: edit(DESKTOP, '    screenFacesAisle: false\n', '') },
      errors: [{ assertion: 'recorded', line: 4, column: 5, message: '画面の向き（screenFacesAisle）が確認・記録されていません' }],
    },
  ],
  notApplicable: [
    { name: 'a server', files: { terminals: edit(DESKTOP, 'kind: desktop', 'kind: server') } },
    { name: 'a spare terminal in storage', files: { terminals: edit(DESKTOP, 'status: active', 'status: spare') } },
    { name: 'a disposed terminal', files: { terminals: DISPOSED } },
  ],
});

testRule('terminal-disposal-certificate', {
  valid: [{ name: 'disposed through the disposal contract, certificate received and kept', files: { terminals: DISPOSED } }],
  invalid: [
    {
      name: 'no disposal record',
      files: { terminals: DISPOSED.slice(0, DISPOSED.indexOf('    disposal:\n')) },
      errors: [{ assertion: 'disposal-recorded', line: 4, column: 5, recordId: 'T-002', message: '廃棄の記録（disposal）がありません' }],
    },
    {
      name: 'disposed of under the maintenance contract',
      files: { terminals: edit(DISPOSED, 'contractor: C-002', 'contractor: C-001') },
      errors: [{ assertion: 'disposal-contract', line: 12, column: 7, message: '廃棄委託先 C-001 は廃棄委託契約ではありません（種別 maintenance）' }],
    },
    {
      name: 'no erasure certificate',
      files: { terminals: DISPOSED.slice(0, DISPOSED.indexOf('      certificate:\n')) },
      errors: [{ assertion: 'certificate-received', line: 10, column: 5, message: '（2026-02-19 廃棄）の完全消去証明書の受領が記録されていません' }],
    },
    {
      name: 'certificate dated before the disposal',
      files: { terminals: edit(DISPOSED, 'receivedOn: "2026-03-05"', 'receivedOn: "2026-02-18"') },
      errors: [{ assertion: 'certificate-date', line: 15, column: 9, message: '受領日 2026-02-18 が廃棄日 2026-02-19 より前です' }],
    },
    {
      name: 'where the certificate is kept is blank',
      files: { terminals: edit(DISPOSED, 'keptAt: 総務課 施錠キャビネットB 証明書ファイル', 'keptAt: "　"') },
      errors: [{ assertion: 'certificate-kept', line: 16, column: 9, message: '保管場所が記録されていません' }],
    },
  ],
  notApplicable: [{ name: 'an active terminal', files: { terminals: DESKTOP } }],
});

testRule('private-terminal-lan', {
  valid: [
    { name: 'a private laptop kept off the LAN', files: { terminals: PRIVATE } },
    { name: 'on the LAN under a valid exception approved by the data protection manager', files: { terminals: PRIVATE_WITH_EXCEPTION } },
    { name: 'on the last day of the exception', files: { terminals: PRIVATE_WITH_EXCEPTION }, asOf: '2026-12-31' },
    { name: 'an exception without a time limit', files: { terminals: edit(PRIVATE_WITH_EXCEPTION, '      until: "2026-12-31"\n', '') }, asOf: '2027-06-01' },
  ],
  invalid: [
    {
      name: 'a private laptop on the LAN without an exception',
      files: { terminals: edit(PRIVATE, 'connectedToLan: false', 'connectedToLan: true') },
      errors: [{ assertion: 'not-connected', line: 8, column: 5, recordId: 'T-003', message: '私有端末 T-003 が組合 LAN に接続されています（例外承認なし）' }],
    },
    {
      name: 'exception approved by the data protection officer, not the manager',
      files: { terminals: edit(PRIVATE_WITH_EXCEPTION, 'approvedBy: S-002', 'approvedBy: S-004') },
      errors: [{ assertion: 'exception-approver', line: 13, column: 7, message: '承認した S-004 はデータ保護管理者（S-002）ではありません' }],
    },
    {
      name: 'exception expired',
      files: { terminals: PRIVATE_WITH_EXCEPTION },
      asOf: '2027-01-15',
      errors: [{ assertion: 'exception-in-force', line: 15, column: 7, message: '基準日 2027-01-15 に有効ではありません（承認日 2026-10-01、期限 2026-12-31）' }],
    },
    {
      name: 'exception approved only after the as-of date',
      files: { terminals: edit(PRIVATE_WITH_EXCEPTION, 'approvedOn: "2026-10-01"', 'approvedOn: "2026-12-01"') },
      errors: [{ assertion: 'exception-in-force', line: 14, column: 7, message: '承認日 2026-12-01' }],
    },
  ],
  notApplicable: [
    { name: 'a union terminal', files: { terminals: DESKTOP } },
    { name: 'a disposed private terminal', files: { terminals: edit(PRIVATE, 'status: active', 'status: disposed') } },
  ],
});

testRule('terminal-antivirus', {
  valid: [
    { name: 'installed, always on, auto-updated, current patterns and a recent scan', files: { terminals: DESKTOP } },
    { name: 'judged at the capture date, not the as-of date', files: { terminals: DESKTOP }, asOf: '2027-03-31' },
    { name: 'pattern file and scan exactly 7 days old', files: { terminals: edit(edit(DESKTOP, 'patternDate: "2026-11-19"', 'patternDate: "2026-11-13"'), 'lastFullScan: "2026-11-16"', 'lastFullScan: "2026-11-13"') } },
    { name: 'a spare terminal', files: { terminals: edit(DESKTOP, 'status: active', 'status: spare') } },
    { name: 'a server', files: { terminals: edit(DESKTOP, 'kind: desktop', 'kind: server') } },
  ],
  invalid: [
    {
      name: 'anti-virus not installed (the other items are not reported)',
      files: { terminals: edit(edit(DESKTOP, 'installed: true', 'installed: false'), 'realtimeProtection: true', 'realtimeProtection: false') },
      errors: [{ assertion: 'installed', line: 18, column: 7, recordId: 'T-001', message: 'アンチウイルスソフトが導入されていません' }],
    },
    {
      name: 'no anti-virus recorded at all',
      files: { terminals: DESKTOP.slice(0, DESKTOP.indexOf('    antivirus:\n')) },
      errors: [{ assertion: 'installed', line: 4, column: 5, message: 'アンチウイルスソフトが導入されていません' }],
    },
    {
      name: 'real-time protection off',
      files: { terminals: edit(DESKTOP, 'realtimeProtection: true', 'realtimeProtection: false') },
      errors: [{ assertion: 'realtime-protection', line: 19, column: 7, message: '常時稼働していません' }],
    },
    {
      name: 'automatic updates off',
      files: { terminals: edit(DESKTOP, 'autoUpdate: true', 'autoUpdate: false') },
      errors: [{ assertion: 'auto-update', line: 20, column: 7, message: 'パターンファイルが自動更新になっていません' }],
    },
    {
      name: 'pattern file 8 days old at capture',
      files: { terminals: edit(DESKTOP, 'patternDate: "2026-11-19"', 'patternDate: "2026-11-12"') },
      errors: [{ assertion: 'pattern-current', line: 21, column: 7, message: 'パターンファイルの日付 2026-11-12 が台帳取得日 2026-11-20 の 8 日前です（7 日以内であること）' }],
    },
    {
      name: 'last full scan 8 days old at capture',
      files: { terminals: edit(DESKTOP, 'lastFullScan: "2026-11-16"', 'lastFullScan: "2026-11-12"') },
      errors: [{ assertion: 'full-scan', line: 22, column: 7, message: '最終フルスキャン 2026-11-12 が台帳取得日 2026-11-20 の 8 日前です' }],
    },
    {
      name: 'stale pattern file and stale scan: one finding each',
      files: { terminals: edit(edit(DESKTOP, 'patternDate: "2026-11-19"', 'patternDate: "2026-10-01"'), 'lastFullScan: "2026-11-16"', 'lastFullScan: "2026-09-30"') },
      errors: [
        { assertion: 'pattern-current', line: 21, column: 7, message: '50 日前' },
        { assertion: 'full-scan', line: 22, column: 7, message: '51 日前' },
      ],
    },
    {
      name: 'a stricter scan interval parameter (3 days) fails a scan 4 days old',
      params: { maxScanIntervalDays: 3 },
      files: { terminals: DESKTOP },
      errors: [{ assertion: 'full-scan', line: 22, column: 7, message: '（3 日以内であること）' }],
    },
  ],
  notApplicable: [{ name: 'a disposed terminal', files: { terminals: DISPOSED } }],
});
