/** The fuzzer's defaults, shared by the test and `npm run fuzz`. */

/** The seed `npm test` runs (any string works: KITEI_FUZZ_SEED). */
export const DEFAULT_SEED = '20261124';

/**
 * The hang bound for one case: two checks of the whole example evidence and their reports take
 * well under a second; ten seconds leaves room for a busy machine and a large mutated file.
 */
export const HANG_BOUND_MS = 10_000;

/** The cases `npm test` runs: about 20–30 s on one worker while the other test files run beside it. */
export const NPM_TEST_CASES = 50;
