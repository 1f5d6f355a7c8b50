import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isFullDate, newAjv } from '../../src/schema/ajv.js';
import { DEFAULT_SCHEMAS_DIR } from '../../src/defaults.js';
import { loadSchemaSet } from '../../src/schema/registry.js';
import { Rng } from '../fuzz/mutate.js';

/**
 * kitei checks `format: date` with its own `isFullDate` instead of ajv-formats' regular
 * expression (which allocates a match per date). The verdict must be ajv-formats' on every string.
 */
const ajvFormatsDate = (createRequire(import.meta.url)('ajv-formats/dist/formats') as { fullFormats: { date: { validate: (s: string) => boolean } } }).fullFormats.date.validate;

describe('format: date', () => {
  it('gives ajv-formats’ verdict on every day, month and year boundary from 0000 to 2400', () => {
    let checked = 0;
    for (const year of [0, 1, 4, 100, 400, 1582, 1900, 1999, 2000, 2023, 2024, 2025, 2100, 2400, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const s = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect(isFullDate(s), s).toBe(ajvFormatsDate(s));
          checked++;
        }
      }
    }
    expect(checked).toBe(15 * 14 * 33);
  });

  it('gives ajv-formats’ verdict on 100,000 mutated strings (other separators, digits of other scripts, lengths, lines)', () => {
    const rng = new Rng(20261205);
    const pieces = ['-', '/', '.', ' ', '\n', '０', '１', '٣', 'a', 'T', 'Z', '+', '', '0', '9', '2', '3', '1'];
    let valid = 0;
    for (let i = 0; i < 100_000; i++) {
      const chars = [...'2024-02-29'];
      for (let k = rng.int(3); k >= 0; k--) {
        const at = rng.int(chars.length + 1);
        const r = rng.next();
        if (r < 0.4) chars[Math.min(at, chars.length - 1)] = rng.pick(pieces);
        else if (r < 0.7) chars.splice(at, 0, rng.pick(pieces));
        else chars.splice(at, 1);
      }
      const s = chars.join('');
      const expected = ajvFormatsDate(s);
      if (isFullDate(s) !== expected) expect(isFullDate(s), JSON.stringify(s)).toBe(expected);
      if (expected) valid++;
    }
    expect(valid).toBeGreaterThan(1000);
  });

  it('is what the precompiled validators and a run-time ajv check dates with', async () => {
    const schemas = await loadSchemaSet(DEFAULT_SCHEMAS_DIR);
    expect(schemas.precompiled).toBe(true);
    const media = schemas.registers.get('media')!.validate;
    const dateErrors = (capturedAt: string) => {
      media({ register: 'media', capturedAt, records: [] });
      return (media.errors ?? []).filter((e) => e.instancePath === '/capturedAt').map((e) => e.keyword);
    };
    const runtime = newAjv().compile({ type: 'string', format: 'date' });
    for (const [s, ok] of [
      ['2024-02-29', true],
      ['2025-02-29', false],
      ['2026-04-31', false],
      ['2026-13-01', false],
      ['２０２６-01-01', false],
    ] as const) {
      expect(runtime(s), s).toBe(ok);
      expect(dateErrors(s), s).toEqual(ok ? [] : ['format']);
    }
  });
});
