/**
 * `npm run fuzz`: a long fuzzing run outside `npm test` (10,000 cases by default, on all cores).
 *
 *   npm run fuzz                                   10,000 cases of the default seed
 *   KITEI_FUZZ_CASES=50000 KITEI_FUZZ_SEED=7 npm run fuzz
 *   KITEI_FUZZ_SEED=20261124 KITEI_FUZZ_CASE=17 npm run fuzz    replay one case
 *   KITEI_CEL_VERIFY=1 npm run fuzz                 also hold compiled CEL to cel-js on every case
 *
 * Also KITEI_FUZZ_FIRST (first case index), KITEI_FUZZ_WORKERS and KITEI_FUZZ_TIMEOUT_MS (the hang
 * bound). Exits 1 when any case failed, after printing each distinct failure with its seed, case
 * index and shrunk reproducer.
 */
import { defaultWorkers, formatReport, optionsFromEnv, runFuzz } from './fuzzer.js';
import { DEFAULT_SEED, HANG_BOUND_MS } from './settings.js';

const options = optionsFromEnv({
  seed: DEFAULT_SEED,
  cases: 10_000,
  first: 0,
  workers: defaultWorkers(),
  timeoutMs: HANG_BOUND_MS,
  minimise: { tries: 500, ms: 120_000, failures: 30 },
  log: (line) => process.stderr.write(`${line}\n`),
});

const report = await runFuzz(options);
process.stdout.write(formatReport(report) + '\n');
process.exitCode = report.failures.length > 0 ? 1 : 0;
