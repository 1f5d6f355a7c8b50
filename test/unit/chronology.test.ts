import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import type { Finding } from '../../src/core/findings.js';
import { BASE_FIXTURE, makeTree } from '../harness/tree.js';

/**
 * Dates that are plainly typing errors: an act dated after the register was captured, an end
 * before its start. Each is a problem at the later date, and the record is then not judged.
 */
const where = (f: Finding) => `${f.code} ${f.location?.file.split('/').pop()}:${f.location?.line}:${f.location?.column}`;

function tree(file: string, edit: (text: string) => string): string {
  const dir = makeTree({}, BASE_FIXTURE);
  writeFileSync(path.join(dir, file), edit(readFileSync(path.join(BASE_FIXTURE, file), 'utf8')));
  return dir;
}

describe('dates in the wrong order are typing errors, not verdicts', () => {
  it('an end before its start is a problem at the end date, and the contract is then not judged', async () => {
    const dir = tree('contracts.yaml', (t) => t.replace('    startsOn: "2024-04-01"\n', '    startsOn: "2024-04-01"\n    endsOn: "2024-03-31"\n'));
    const r = await check({ evidenceDir: dir, asOf: '2026-11-24' });
    const problems = r.findings.filter((f) => f.ruleId.startsWith('kitei/'));
    expect(problems.map(where)).toEqual(['evidence/date-order contracts.yaml:10:13']);
    expect(problems[0]!.message.en).toBe('endsOn (2024-03-31) is before startsOn (2024-04-01); is it mistyped?');
    expect(problems[0]!.recordId).toBe('C-001');
    expect(r.findings.filter((f) => f.recordId === 'C-001' && !f.ruleId.startsWith('kitei/'))).toEqual([]);
    expect(r.findings.filter((f) => f.outcome === 'fail')).toEqual([]);
  });
  it('an act dated after the capture date is a problem; a deadline or an expiry may lie ahead', async () => {
    const dir = tree('accounts.yaml', (t) => t.replace('    createdOn: "2020-04-01"', '    createdOn: "2027-04-01"'));
    const r = await check({ evidenceDir: dir, asOf: '2026-11-24' });
    const problems = r.findings.filter((f) => f.ruleId.startsWith('kitei/'));
    expect(problems.map(where)).toEqual(['evidence/date-after-capture accounts.yaml:12:16']);
    expect(problems[0]!.message.ja).toBe('createdOn の日付 2027-04-01 が台帳の取得日 2026-11-20 より後です。入力の誤りではありませんか（予定日・期限なら、スキーマで x-kitei-planned とします）。');
    const ahead = tree('contracts.yaml', (t) => t.replace('    startsOn: "2024-04-01"\n', '    startsOn: "2024-04-01"\n    endsOn: "2029-03-31"\n'));
    const fine = await check({ evidenceDir: ahead, asOf: '2026-11-24' });
    expect(fine.findings.filter((f) => f.ruleId.startsWith('kitei/')).map(where)).toEqual([]);
  });
});
