import { describe, expect, it } from 'vitest';
import { snapshot } from '../harness/tree.js';
import { EVIDENCE_DIR, formatReport, loadCorpus, optionsFromEnv, runFuzz } from './fuzzer.js';
import { generateCase, hashSeed, MUTATORS, Rng, type MutationContext } from './mutate.js';
import { DEFAULT_SEED, HANG_BOUND_MS, NPM_TEST_CASES } from './settings.js';
import { visible } from './signature.js';

// A bounded run inside `npm test`; more cases or another seed with KITEI_FUZZ_CASES / KITEI_FUZZ_SEED
// (or `npm run fuzz` for a long run on every core). Every expression is also evaluated by cel-js
// (KITEI_CEL_VERIFY, inherited by the worker threads): compiled CEL answering otherwise fails a case.
process.env.KITEI_CEL_VERIFY = '1';
const options = optionsFromEnv({
  seed: DEFAULT_SEED,
  cases: NPM_TEST_CASES,
  first: 0,
  workers: 1,
  timeoutMs: HANG_BOUND_MS,
  minimise: { tries: 300, ms: 20_000, failures: 8 },
});

describe('the fuzzer itself', () => {
  const corpus = loadCorpus();

  it('a case is fully determined by the seed and its index', () => {
    for (const index of [0, 1, 17, 4096]) {
      const a = generateCase('s', index, corpus);
      const b = generateCase('s', index, corpus);
      expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true);
      expect(b.mutators).toEqual(a.mutators);
      expect(b.extra).toEqual(a.extra);
    }
    expect(hashSeed('s', 1)).not.toBe(hashSeed('s', 2));
  });

  it('every mutator applies to every evidence file', () => {
    for (const m of MUTATORS) {
      for (const file of corpus) {
        const ctx: MutationContext = { rng: new Rng(hashSeed(m.name, file.rel)), corpus, file, target: file.rel, extra: [] };
        expect(() => m.apply(Buffer.from(file.data), ctx), `${m.name} on ${file.rel}`).not.toThrow();
      }
    }
  });

  it('a reproducer is printed with its invisible characters escaped', () => {
    expect(visible('a\u202eb\u0000\r\ufeff\u0301 c')).toBe('"a\\u202Eb\\u0000\\r\\uFEFF\\u0301 c"');
  });
});

describe(`fuzzing the example evidence (seed ${options.seed})`, () => {
  it(
    `${options.only !== undefined ? `case ${options.only}` : `${options.cases} mutated evidence trees`}: no exception, hang, nondeterminism, finding without a code or outside its file`,
    async () => {
      const before = snapshot(EVIDENCE_DIR);
      const report = await runFuzz(options);
      expect(snapshot(EVIDENCE_DIR), 'the example evidence was written to').toEqual(before);
      if (report.failures.length > 0) throw new Error(formatReport(report));
      console.log(formatReport(report));
    },
    Math.max(600_000, (options.only !== undefined ? 1 : options.cases) * 5_000),
  );
});
