import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateEvidence } from '../../src/check.js';
import { findPersonalNumbers, isPersonalNumber, maskPersonalNumbers } from '../../src/core/personal-number.js';
import { FORMAT_FILES, FORMATS } from '../../src/report/formats.js';
import { kitei } from '../harness/cli.js';
import { BASE_FIXTURE, makeTree } from '../harness/tree.js';

/** 123456789018: check = 11 − (212 mod 11) = 8, worked out by hand from the ordinance's formula. */
const VALID = '123456789018';
const WRONG_CHECK = '123456789017';
/** The masked form, as text or with Markdown's escapes. */
const MASKED = /1234 \*{4} \*{4}|1234 (\\\*){4} (\\\*){4}/;

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
    // A record whose id holds one: it reaches rule messages, record ids, fingerprints and test names.
    const terminals = readFileSync(path.join(BASE_FIXTURE, 'terminals.yaml'), 'utf8');
    const first = terminals.slice(terminals.indexOf('  - id: T-001'), terminals.indexOf('  - id: ', terminals.indexOf('  - id: T-001') + 1));
    writeFileSync(path.join(dir, 'terminals.yaml'), terminals + first.replace('id: T-001', `id: T-${VALID}`).replace('hostname: TEST-PC001', 'hostname: TEST-PC999').replace('idleMinutes: 5', 'idleMinutes: 30'));
    return dir;
  };
  it('is a high failure at its exact line and column, in a value or a comment', async () => {
    const r = await validateEvidence({ evidenceDir: tree() });
    const found = r.findings.filter((f) => f.ruleId === 'kitei/personal-number-in-evidence' && f.location?.file.endsWith('staff.yaml'));
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
  it('never appears in any format, from check or from a saved report, nor in the job summary', () => {
    const dir = tree();
    const out = mkdtempSync(path.join(tmpdir(), 'kitei-pn-'));
    const summary = path.join(out, 'summary.md');
    const formats = FORMATS.flatMap((f) => ['--format', f]);
    for (const lang of ['ja', 'en']) {
      const checked = path.join(out, `check-${lang}`);
      const run = kitei(['check', dir, '--as-of', '2026-11-24', '--lang', lang, '--include', 'pass,not_applicable', ...formats, '--output-dir', checked], undefined, { GITHUB_STEP_SUMMARY: summary });
      expect(run.code, run.stderr).toBe(1);
      const rendered = path.join(out, `report-${lang}`);
      kitei(['report', path.join(checked, 'report.json'), '--lang', lang, ...formats, '--output-dir', rendered], undefined, { GITHUB_STEP_SUMMARY: summary });
      for (const d of [checked, rendered]) {
        expect(readdirSync(d).sort()).toEqual(FORMATS.map((f) => FORMAT_FILES[f]).sort());
        for (const f of readdirSync(d)) {
          const text = readFileSync(path.join(d, f), 'utf8');
          expect(text, f).not.toMatch(/5678.?9018|５６７８/);
          expect(text, f).toMatch(MASKED);
        }
      }
      for (const f of FORMATS) {
        const single = kitei(['check', dir, '--as-of', '2026-11-24', '--lang', lang, '--format', f]);
        expect(single.stdout + single.stderr, f).not.toMatch(/5678.?9018|５６７８/);
      }
    }
    expect(readFileSync(summary, 'utf8')).not.toMatch(/5678.?9018|５６７８/);
    expect(readFileSync(summary, 'utf8')).toMatch(MASKED);
  });
});
