import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateEvidence } from '../../src/check.js';
import { findPersonalNumbers, isPersonalNumber, maskPersonalNumbers } from '../../src/core/personal-number.js';
import { kitei } from '../harness/cli.js';
import { BASE_FIXTURE, makeTree } from '../harness/tree.js';

/** 123456789018: check = 11 − (212 mod 11) = 8, worked out by hand from the ordinance's formula. */
const VALID = '123456789018';
const WRONG_CHECK = '123456789017';

describe('個人番号: the check digit of the ordinance', () => {
  it('accepts a number whose check digit is right, and refuses every other last digit', () => {
    expect(isPersonalNumber(VALID)).toBe(true);
    for (let d = 0; d <= 9; d++) if (d !== 8) expect(isPersonalNumber(`12345678901${d}`)).toBe(false);
  });
  it('a remainder of 0 or 1 gives the check digit 0', () => {
    // 00000000000 sums to 0 (remainder 0); 10000000000 has P11 = 1, Q11 = 6: 6 mod 11 = 6 → 5.
    expect(isPersonalNumber('000000000000')).toBe(true);
    expect(isPersonalNumber('100000000005')).toBe(true);
    // 00000000010: P2 = 1, Q2 = 3 → remainder 3 → check 8; 00000050000: P5 = 5, Q5 = 6 → 30 mod 11 = 8 → 3.
    expect(isPersonalNumber('000000000108')).toBe(true);
    expect(isPersonalNumber('000000500003')).toBe(true);
    // 00000200000: P6 = 2, Q6 = 7 → 14 mod 11 = 3 → 8; 02000000000: P10 = 2, Q10 = 5 → 10 → 1.
    expect(isPersonalNumber('000002000008')).toBe(true);
    expect(isPersonalNumber('020000000001')).toBe(true);
    // 00000000006: P1 = 6, Q1 = 2 → 12 mod 11 = 1 → 0.
    expect(isPersonalNumber('000000000060')).toBe(true);
    expect(isPersonalNumber('000000000061')).toBe(false);
  });
  it('is found written in a row, in groups of four with spaces or hyphens, in full-width digits; not inside longer numbers', () => {
    const text = `a ${VALID} b 1234 5678 9018 c 1234-5678-9018 d １２３４５６７８９０１８ e ${WRONG_CHECK} f 9${VALID} g 1234-5678 9018`;
    expect(findPersonalNumbers(text).map((n) => n.text)).toEqual([VALID, '1234 5678 9018', '1234-5678-9018', '１２３４５６７８９０１８']);
    expect(maskPersonalNumbers(text)).toBe(`a 1234 **** **** b 1234 **** **** c 1234 **** **** d 1234 **** **** e ${WRONG_CHECK} f 9${VALID} g 1234-5678 9018`);
  });
});

describe('個人番号 in evidence', () => {
  const tree = () => {
    const dir = makeTree({}, BASE_FIXTURE);
    const staff = readFileSync(path.join(BASE_FIXTURE, 'staff.yaml'), 'utf8').replace('    department: 適用課\n', `    department: 適用課 ${VALID}\n# 旧番号 1234-5678-9018, 電話 ${WRONG_CHECK}\n`);
    writeFileSync(path.join(dir, 'staff.yaml'), staff);
    return dir;
  };
  it('is a high failure at its exact line and column, in a value or a comment', async () => {
    const r = await validateEvidence({ evidenceDir: tree() });
    const found = r.findings.filter((f) => f.ruleId === 'kitei/personal-number-in-evidence');
    expect(found.map((f) => `${f.outcome} ${f.severity} ${f.location?.line}:${f.location?.column}`)).toEqual(['fail high 38:21', 'fail high 39:7']);
    expect(found[0]!.message.ja).toBe('個人番号（1234 **** ****）が証跡に書かれています。証跡には個人番号を書かず、削除してください（git の履歴からも消す必要があります）。');
  });
  it('never appears in any output, in either language or format', () => {
    const dir = tree();
    for (const args of [['check', dir, '--as-of', '2026-11-24'], ['check', dir, '--as-of', '2026-11-24', '--format', 'json', '--lang', 'en'], ['validate', dir], ['due', dir, '--as-of', '2026-11-24']]) {
      const run = kitei(args);
      expect(run.stdout + run.stderr).not.toMatch(/5678.?9018|５６７８/);
      if (args[0] !== 'due') expect(run.stdout).toContain('1234 **** ****');
    }
    const check = kitei(['check', dir, '--as-of', '2026-11-24']);
    expect(check.code).toBe(1); // a failure, not an input error: the register is still judged
  });
});
