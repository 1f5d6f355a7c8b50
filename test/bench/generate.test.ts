import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLE_DIR, generate, plan, readExample, type Generated } from '../../bench/generate.mjs';
import { checkWith, loadRules, type Loaded } from '../../src/check.js';
import type { Finding } from '../../src/core/findings.js';
import { normName } from '../../src/engine/cel/text.js';

/**
 * The benchmark's generator (bench/generate.mjs) makes evidence that mostly passes: unique ids and
 * login ids per copy, references inside each copy, so that fail findings grow at most linearly
 * with the number of records. No timing is measured here (that is `npm run bench`).
 */
const AS_OF = '2026-11-24';
const { base, perCopy } = plan(readExample());
const trees: Generated[] = [];
let loaded: Loaded;

/** The generated tree with `copies` copies of the example (1 = the example itself). */
function withCopies(copies: number): Generated {
  const g = generate({ records: base + (copies - 1) * perCopy });
  trees.push(g);
  expect(g.copies).toBe(copies);
  return g;
}

async function findings(dir: string): Promise<Finding[]> {
  return (await checkWith(loaded, { evidenceDir: dir, asOf: AS_OF })).findings;
}
const count = (fs: Finding[], pick: (f: Finding) => boolean) => fs.filter(pick).length;
const isFail = (f: Finding) => f.outcome === 'fail';
/** Problems with the evidence itself: schema, duplicate ids, dangling references, YAML. */
const isInputError = (f: Finding) => f.outcome === 'error' && (f.code ?? '').startsWith('evidence/');

function registers(dir: string, files: Generated['files']): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const f of files) {
    const doc = parse(readFileSync(path.join(dir, f.file), 'utf8')) as { register: string; records: Record<string, unknown>[] };
    out.set(doc.register, [...(out.get(doc.register) ?? []), ...doc.records]);
  }
  return out;
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

const loginKeys = (accounts: Record<string, unknown>[]) => accounts.map((a) => `${normName(String(a.system))} / ${normName(String(a.loginId))}`);

beforeAll(async () => {
  loaded = await loadRules({});
}, 60_000);

afterAll(() => {
  for (const t of trees) rmSync(t.dir, { recursive: true, force: true });
});

describe('bench/generate.mjs', () => {
  it('at its own size, writes the example byte for byte', () => {
    const g = withCopies(1);
    expect(g.records).toBe(base);
    for (const f of g.files) expect(readFileSync(path.join(g.dir, f.file), 'utf8')).toBe(readFileSync(path.join(EXAMPLE_DIR, f.file), 'utf8'));
  });

  it('at 2,000 records: N ± one copy, unique ids per register, unique login ids per system, no input errors', async () => {
    const g = generate({ records: 2000 });
    trees.push(g);
    expect(Math.abs(g.records - 2000)).toBeLessThanOrEqual(perCopy);
    const regs = registers(g.dir, g.files);
    expect([...regs.values()].reduce((n, rs) => n + rs.length, 0)).toBe(g.records);
    for (const [register, records] of regs) expect(duplicates(records.map((r) => String(r.id))), register).toEqual([]);
    const example = registers(EXAMPLE_DIR, g.files);
    // As unique as in the example (where they are unique), in every copy.
    expect(duplicates(loginKeys(regs.get('accounts') ?? [])).length).toBe(g.copies * duplicates(loginKeys(example.get('accounts') ?? [])).length);
    const fs = await findings(g.dir);
    const inExample = await findings(EXAMPLE_DIR);
    // No new input problems (schema, duplicate ids, dangling references): as many as the example's, per copy.
    expect(fs.filter(isInputError).length).toBeLessThanOrEqual(g.copies * inExample.filter(isInputError).length);
  }, 120_000);

  it('is deterministic', () => {
    const a = generate({ records: 1500 });
    const b = generate({ records: 1500 });
    trees.push(a, b);
    for (const f of a.files) expect(readFileSync(path.join(a.dir, f.file), 'utf8') === readFileSync(path.join(b.dir, f.file), 'utf8'), f.file).toBe(true);
  });

  it('fail findings grow at most linearly with the copies, at a small multiple of the example\'s rate', async () => {
    const fails = new Map<number, number>();
    const records = new Map<number, number>();
    for (const k of [1, 2, 4]) {
      const g = withCopies(k);
      fails.set(k, count(await findings(g.dir), isFail));
      records.set(k, g.records);
    }
    const [f1, f2, f4] = [fails.get(1)!, fails.get(2)!, fails.get(4)!];
    // Linear in the copies: f(k) = a + b·k gives f(4) − f(2) = 2·(f(2) − f(1)); a quadratic rule
    // (every copy against every other) would give 4×. One finding of slack for register-level
    // rules, which fail once for the whole register whatever its size.
    expect(f4 - f2, `fails at 1, 2, 4 copies: ${f1}, ${f2}, ${f4}`).toBeLessThanOrEqual(2 * Math.max(0, f2 - f1) + 1);
    // Per example-sized slice of records, at most twice the example's own fails (one if it has none).
    const per706 = (f4 * base) / records.get(4)!;
    expect(per706, `fails at 1, 2, 4 copies: ${f1}, ${f2}, ${f4}`).toBeLessThanOrEqual(2 * Math.max(1, f1));
  }, 120_000);
});
