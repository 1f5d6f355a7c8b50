import { testRule } from '../harness/rule-tester.js';

/** Replaces text that must be present (a typo in a test must not silently leave the evidence unchanged). */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`test evidence does not contain: ${from}`);
  return text.replace(from, to);
}

// A maintenance contract without subcontracting. Line numbers are in the comments.
const MAINTENANCE = `register: contracts
capturedAt: "2026-11-20"
records:
  - id: C-001
    title: 基幹システム保守契約
    contractor: 株式会社テスト保守
    kind: maintenance
    signedOn: "2024-03-15"
    startsOn: "2024-04-01"
    unionSignatory: S-001
    contractorSignatory:
      title: 個人情報保護管理者
      isDataProtectionManagerEquivalent: true
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
    subcontracting:
      used: false
    personalInformationClause: 第16条
    onSiteAudits:
      - on: "2026-06-10"
        target: 株式会社テスト保守
        reportRef: AUD-2026-01
`;
// line 4 id, 10 unionSignatory, 13 isDataProtectionManagerEquivalent, 14 confidentialityClause,
// 15 items, 16-27 the twelve items, 28 subcontracting, 29 used, 30 personalInformationClause, 31 onSiteAudits.

// An outsourcing contract with one permitted subcontractor.
const SUBCONTRACTED = `register: contracts
capturedAt: "2026-11-20"
records:
  - id: C-001
    title: レセプト点検業務委託契約
    contractor: 株式会社テスト点検
    kind: outsourcing
    signedOn: "2024-03-15"
    startsOn: "2024-04-01"
    unionSignatory: S-001
    contractorSignatory:
      title: 取締役 個人情報保護管理者
      isDataProtectionManagerEquivalent: true
    confidentialityClause: 第4条
    items:
      safetyManagement: 第5条
      noTakeOut: 第6条
      noOtherPurpose: 第7条
      subcontracting: 第8条
      reportingAndAudit: 第9条
      complianceVerification: 第10条
      breachMeasures: 第11条
      incidentReporting: 第12条
      leakLiability: 第13条
      termination: 第14条
      maintenanceAccounts: 第15条
      staffSupervision: 第16条
    subcontracting:
      used: true
      safetyTermsClause: 第8条第3項
      subcontractors:
        - name: 株式会社テスト入力
          reason: 専用の読取設備が必要なため
          permission:
            documentRef: 再委託許諾書 R6-1
            grantedOn: "2024-03-20"
            grantedBy: S-001
          equivalentMeasures: true
          contractRef: 再委託契約書 2024-03-25
    onSiteAudits:
      - on: "2026-06-10"
        target: 株式会社テスト点検
        reportRef: AUD-2026-01
      - on: "2026-07-08"
        target: 株式会社テスト入力
        reportRef: AUD-2026-02
`;
// line 28 subcontracting, 29 used, 30 safetyTermsClause, 31 subcontractors, 32 "- name",
// 35 documentRef, 36 grantedOn, 37 grantedBy, 38 equivalentMeasures, 39 contractRef, 40 onSiteAudits.

// The same with a second subcontractor (lines 40-47), the audits moving to line 48.
const TWO_SUBCONTRACTORS = edit(
  SUBCONTRACTED,
  '          contractRef: 再委託契約書 2024-03-25\n',
  `          contractRef: 再委託契約書 2024-03-25
        - name: 株式会社テスト発送
          reason: 大量発送の封入設備が必要なため
          permission:
            documentRef: 再委託許諾書 R6-2
            grantedOn: "2024-03-21"
            grantedBy: S-002
          equivalentMeasures: true
          contractRef: 再委託契約書 2024-03-26
`,
);

const ORGANIZATION_WITHOUT_CHAIRMAN = `register: organization
capturedAt: "2026-11-20"
records:
  - id: dataProtectionManager
    title: データ保護管理者
    holder: S-002
    appointedOn: "2016-07-26"
`;

testRule('contract-confidentiality-signatories', {
  valid: [
    { name: 'confidentiality clause, signed by the chairman and a DPM equivalent', files: { contracts: MAINTENANCE } },
    { name: 'the base fixture (maintenance and disposal contracts)' },
  ],
  invalid: [
    {
      name: 'a blank confidentiality clause',
      files: { contracts: edit(MAINTENANCE, 'confidentialityClause: 第8条', 'confidentialityClause: "　"') },
      errors: [{ assertion: 'confidentiality-clause', line: 14, column: 5, recordId: 'C-001', message: '守秘事項の条項が記載されていません' }],
    },
    {
      name: 'signed for the union by the data protection manager instead of the chairman',
      files: { contracts: edit(MAINTENANCE, 'unionSignatory: S-001', 'unionSignatory: S-002') },
      errors: [{ assertion: 'union-signatory', line: 10, column: 5, message: '組合側署名者 S-002 が理事長（S-001）ではありません' }],
    },
    {
      name: 'no chairman appointed in the organization register',
      files: { contracts: MAINTENANCE, organization: ORGANIZATION_WITHOUT_CHAIRMAN },
      errors: [{ assertion: 'union-signatory', line: 10, column: 5, message: '理事長（未任命）' }],
    },
    {
      name: "the contractor's signatory is not a DPM equivalent",
      files: { contracts: edit(MAINTENANCE, 'isDataProtectionManagerEquivalent: true', 'isDataProtectionManagerEquivalent: false') },
      errors: [{ assertion: 'contractor-signatory', line: 13, column: 7, message: '委託先署名者（個人情報保護管理者）がデータ保護管理者に相当する者ではありません' }],
    },
  ],
});

testRule('contract-required-items', {
  valid: [
    { name: 'all twelve items provided', files: { contracts: MAINTENANCE } },
    { name: 'the base fixture' },
  ],
  invalid: [
    {
      name: 'item 2 (no taking out) missing: exactly one finding naming it',
      files: { contracts: edit(MAINTENANCE, '      noTakeOut: 第4条\n', '') },
      errors: [{ assertion: 'item-provided', line: 15, column: 5, recordId: 'C-001', message: '契約 C-001 に第12条第3項第2号「事業所内からの個人情報の持出しの禁止」の定めがありません' }],
    },
    {
      name: 'items 2 and 9 missing: two findings',
      files: { contracts: edit(edit(MAINTENANCE, '      noTakeOut: 第4条\n', ''), '      leakLiability: 第12条\n', '') },
      errors: [
        { assertion: 'item-provided', line: 15, column: 5, message: '第2号「事業所内からの個人情報の持出しの禁止」' },
        { assertion: 'item-provided', line: 15, column: 5, message: '第9号「漏えい事案等が発生した場合の委託先の責任に関する事項」' },
      ],
    },
    {
      name: 'item 11 (maintenance accounts) missing',
      files: { contracts: edit(MAINTENANCE, '      maintenanceAccounts: 第14条\n', '') },
      errors: [{ assertion: 'item-provided', line: 15, column: 5, message: '第11号「保守要員のアカウント情報の管理に関する事項（適切に管理することを求める）」' }],
    },
  ],
});

testRule('contract-subcontracting', {
  valid: [
    { name: 'no subcontracting', files: { contracts: MAINTENANCE } },
    { name: 'subcontracting permitted by the chairman, with equivalent measures, a contract and safety terms', files: { contracts: SUBCONTRACTED } },
    { name: 'a second subcontractor permitted by the data protection manager', files: { contracts: TWO_SUBCONTRACTORS } },
  ],
  invalid: [
    {
      name: 'subcontractors listed although subcontracting is not used',
      files: { contracts: edit(SUBCONTRACTED, 'used: true', 'used: false') },
      errors: [{ assertion: 'none-listed-when-unused', line: 31, column: 7, recordId: 'C-001', message: '再委託先が 1 社記載されています' }],
    },
    {
      name: 'subcontracting used but no subcontractor named',
      files: { contracts: edit(MAINTENANCE, '      used: false\n', '      used: true\n      safetyTermsClause: 第6条第3項\n') },
      errors: [{ assertion: 'subcontractors-listed', line: 29, column: 7, message: '再委託先が記載されていません' }],
    },
    {
      name: 'no subcontracting safety terms in the main contract',
      files: { contracts: edit(SUBCONTRACTED, '      safetyTermsClause: 第8条第3項\n', '') },
      errors: [{ assertion: 'safety-terms', line: 28, column: 5, message: '再委託での安全管理に関する条項' }],
    },
    {
      name: 'permission granted by a clerk',
      files: { contracts: edit(SUBCONTRACTED, 'grantedBy: S-001', 'grantedBy: S-010') },
      errors: [{ assertion: 'permission-grantor', line: 37, column: 13, message: '再委託先「株式会社テスト入力」への再委託を許諾した S-010 は理事長でもデータ保護管理者でもありません' }],
    },
    {
      name: 'the second subcontractor permitted by the auditor: one finding, for that subcontractor',
      files: { contracts: edit(TWO_SUBCONTRACTORS, 'grantedBy: S-002', 'grantedBy: S-003') },
      errors: [{ assertion: 'permission-grantor', line: 45, column: 13, message: '再委託先「株式会社テスト発送」' }],
    },
    {
      name: 'permission dated after the as-of date',
      files: { contracts: edit(SUBCONTRACTED, 'grantedOn: "2024-03-20"', 'grantedOn: "2026-12-01"') },
      errors: [{ assertion: 'permission-date', line: 36, column: 13, message: '許諾日 2026-12-01 が基準日 2026-11-24 より後です' }],
    },
    {
      name: 'no equivalent measures at the subcontractor',
      files: { contracts: edit(SUBCONTRACTED, 'equivalentMeasures: true', 'equivalentMeasures: false') },
      errors: [{ assertion: 'equivalent-measures', line: 38, column: 11, message: '同等の個人情報保護対策が確認されていません' }],
    },
    {
      name: 'a blank contract with the subcontractor',
      files: { contracts: edit(SUBCONTRACTED, 'contractRef: 再委託契約書 2024-03-25', 'contractRef: " "') },
      errors: [{ assertion: 'subcontract', line: 39, column: 11, message: '委託先との契約が記録されていません' }],
    },
  ],
});

testRule('maintenance-contract-personal-information', {
  valid: [{ name: 'maintenance contract with personal-information terms', files: { contracts: MAINTENANCE } }],
  invalid: [
    {
      name: 'maintenance contract without personal-information terms',
      files: { contracts: edit(MAINTENANCE, '    personalInformationClause: 第16条\n', '') },
      errors: [{ assertion: 'clause-recorded', line: 4, column: 5, recordId: 'C-001', message: '保守契約 C-001 に個人情報保護の条項' }],
    },
  ],
  notApplicable: [{ name: 'an outsourcing contract is not a maintenance contract', files: { contracts: SUBCONTRACTED } }],
});

const NO_AUDITS = (text: string) => text.slice(0, text.indexOf('    onSiteAudits:\n'));

testRule('contract-on-site-audit', {
  valid: [
    { name: 'contractor audited five months before the as-of date', files: { contracts: MAINTENANCE } },
    { name: 'exactly twelve months after the last audit', files: { contracts: MAINTENANCE }, asOf: '2027-06-10' },
    { name: 'contract started within the last twelve months, no audit yet', files: { contracts: edit(edit(NO_AUDITS(MAINTENANCE), 'signedOn: "2024-03-15"', 'signedOn: "2026-04-15"'), 'startsOn: "2024-04-01"', 'startsOn: "2026-05-01"') } },
    { name: 'contractor and subcontractor audited', files: { contracts: SUBCONTRACTED } },
    {
      name: 'subcontractor permitted within the last twelve months, not audited yet',
      files: { contracts: edit(edit(SUBCONTRACTED, 'grantedOn: "2024-03-20"', 'grantedOn: "2026-09-01"'), '      - on: "2026-07-08"\n        target: 株式会社テスト入力\n        reportRef: AUD-2026-02\n', '') },
    },
    { name: 'a longer interval parameter accepts an older audit', params: { auditIntervalMonths: 24 }, files: { contracts: MAINTENANCE }, asOf: '2028-01-31' },
  ],
  invalid: [
    {
      name: 'last audit more than twelve months before the as-of date',
      files: { contracts: MAINTENANCE },
      asOf: '2027-06-11',
      errors: [{ assertion: 'contractor-audited', line: 31, column: 5, recordId: 'C-001', message: '「株式会社テスト保守」への立入監査が 12 か月以内に実施されていません（最終実施: 2026-06-10）' }],
    },
    {
      name: 'a contract running since 2024 with no audit at all',
      files: { contracts: NO_AUDITS(MAINTENANCE) },
      errors: [{ assertion: 'contractor-audited', line: 4, column: 5, message: '（最終実施: 記録なし）' }],
    },
    {
      name: 'only the subcontractor was audited, not the contractor',
      files: { contracts: edit(SUBCONTRACTED, '      - on: "2026-06-10"\n        target: 株式会社テスト点検\n        reportRef: AUD-2026-01\n', '') },
      errors: [{ assertion: 'contractor-audited', line: 40, column: 5, message: '「株式会社テスト点検」への立入監査' }],
    },
    {
      name: 'the subcontractor was never audited',
      files: { contracts: edit(SUBCONTRACTED, '      - on: "2026-07-08"\n        target: 株式会社テスト入力\n        reportRef: AUD-2026-02\n', '') },
      errors: [{ assertion: 'subcontractor-audited', line: 32, column: 11, message: '再委託先「株式会社テスト入力」への立入監査が 12 か月以内に実施されていません' }],
    },
    {
      name: 'a shorter interval parameter (4 months) fails an audit 5 months old',
      params: { auditIntervalMonths: 4 },
      files: { contracts: MAINTENANCE },
      errors: [{ assertion: 'contractor-audited', line: 31, column: 5, message: '4 か月以内' }],
    },
  ],
  notApplicable: [
    { name: 'a contract that ended before the as-of date', files: { contracts: edit(MAINTENANCE, '    startsOn: "2024-04-01"\n', '    startsOn: "2024-04-01"\n    endsOn: "2026-04-30"\n') } },
    { name: 'a contract that has not started yet', files: { contracts: edit(NO_AUDITS(MAINTENANCE), 'startsOn: "2024-04-01"', 'startsOn: "2027-01-01"') } },
  ],
});
