import { baseOfficers } from '../harness/fixtures.js';
import { testRule } from '../harness/rule-tester.js';

/*
 * The staff roster with the member under test (S-020) first, so that its lines are easy to
 * count, followed by the base organisation (S-001 … S-004, S-010), which the other base
 * registers refer to.
 *
 *   4  - id: S-020
 *   5    name: …
 *   6    employmentType: part-time
 *   7    department: 適用課
 *   8    hiredOn: …
 *   9    confidentiality:
 *  10      signedOn: …
 *  11      documentRef: NDA-020
 *  12    duties:                     (when the member has duties; three lines each)
 *  13      - role: …
 *  14        appointedOn: …
 *  15        appointedBy: …
 *  16      - role: …
 *  17        appointedOn: …
 *  18        appointedBy: …
 */
interface Duty {
  role: string;
  appointedOn: string;
  appointedBy: string;
}

const member = (o: { hiredOn?: string; signedOn?: string; duties?: Duty[] } = {}) =>
  `  - id: S-020
    name: 試験 二十
    employmentType: part-time
    department: 適用課
    hiredOn: "${o.hiredOn ?? '2026-04-01'}"
    confidentiality:
      signedOn: "${o.signedOn ?? o.hiredOn ?? '2026-04-01'}"
      documentRef: NDA-020
` +
  (o.duties && o.duties.length > 0
    ? '    duties:\n' + o.duties.map((d) => `      - role: ${d.role}\n        appointedOn: "${d.appointedOn}"\n        appointedBy: ${d.appointedBy}\n`).join('')
    : '');

/** The base members; `withDuties: false` leaves S-004's and S-010's appointments out. */
const others = (withDuties = true) => `${baseOfficers(withDuties)}  - id: S-010
    name: 適用 十子
    employmentType: regular
    department: 適用課
    hiredOn: "2020-04-01"
    confidentiality: { signedOn: "2020-04-01", documentRef: NDA-010 }
${withDuties ? '    duties:\n      - { role: R-TEKIYO, appointedOn: "2020-04-01", appointedBy: S-002 }\n' : ''}`;

const staff = (subject: string, withDuties = true) => `register: staff\ncapturedAt: "2026-11-20"\nrecords:\n${subject}${others(withDuties)}`;

testRule('staff-confidentiality-at-hiring', {
  valid: [
    { name: 'signed on the hiring date', files: { staff: staff(member()) } },
    { name: 'signed before the hiring date', files: { staff: staff(member({ hiredOn: '2026-04-01', signedOn: '2026-03-30' })) } },
    {
      name: 'a parameter allowing 3 days accepts 3 days',
      params: { maxDaysAfterHiring: 3 },
      files: { staff: staff(member({ hiredOn: '2026-04-01', signedOn: '2026-04-04' })) },
    },
  ],
  invalid: [
    {
      name: 'signed the day after hiring',
      files: { staff: staff(member({ hiredOn: '2026-04-01', signedOn: '2026-04-02' })) },
      errors: [{ assertion: 'signed-at-hiring', line: 10, column: 7, recordId: 'S-020', message: '締結日 2026-04-02 が採用日 2026-04-01 より 1 日遅れています' }],
    },
    {
      name: 'a parameter allowing 3 days fails 4 days',
      params: { maxDaysAfterHiring: 3 },
      files: { staff: staff(member({ hiredOn: '2026-04-01', signedOn: '2026-04-05' })) },
      errors: [{ assertion: 'signed-at-hiring', line: 10, column: 7, message: '4 日遅れています（許容 3 日）' }],
    },
  ],
});

const byManager = (role: string, appointedOn: string): Duty => ({ role, appointedOn, appointedBy: 'S-002' });

testRule('staff-duty-appointment', {
  valid: [
    { name: 'appointed by the data protection manager on the hiring date', files: { staff: staff(member({ duties: [byManager('R-TEKIYO', '2026-04-01')] })) } },
    {
      name: 'an appointment from before the current manager took office is not checked against the register',
      files: { staff: staff(member({ hiredOn: '2010-04-01', duties: [{ role: 'R-TEKIYO', appointedOn: '2010-04-01', appointedBy: 'S-004' }] })) },
    },
  ],
  invalid: [
    {
      name: 'appointed by someone other than the manager',
      files: { staff: staff(member({ duties: [{ role: 'R-TEKIYO', appointedOn: '2026-04-01', appointedBy: 'S-004' }] })) },
      errors: [{ assertion: 'appointed-by-manager', line: 15, column: 9, recordId: 'S-020', message: '任命者が S-004 です（データ保護管理者 S-002 であること）' }],
    },
    {
      name: 'the second appointment is the wrong one',
      files: { staff: staff(member({ duties: [byManager('R-TEKIYO', '2026-04-01'), { role: 'R-SOMU', appointedOn: '2026-10-01', appointedBy: 'S-010' }] })) },
      errors: [{ assertion: 'appointed-by-manager', line: 18, column: 9, message: '業務 R-SOMU への任命（2026-10-01）の任命者が S-010' }],
    },
    {
      name: 'appointed before being hired',
      files: { staff: staff(member({ hiredOn: '2026-04-01', signedOn: '2026-03-25', duties: [byManager('R-TEKIYO', '2026-03-25')] })) },
      errors: [{ assertion: 'appointed-after-hiring', line: 14, column: 9, message: '任命日 2026-03-25 が採用日 2026-04-01 より前です' }],
    },
  ],
  notApplicable: [{ name: 'staff with no appointments', files: { staff: staff(member(), false) } }],
});
