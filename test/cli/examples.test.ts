import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitei } from '../harness/cli.js';
import { REPO } from '../harness/tree.js';

/**
 * Golden outputs: each tree under examples/ is checked as of a pinned date and the report must
 * match expected.txt (and expected.json where present) byte for byte. After an intended change,
 * regenerate with `UPDATE_GOLDEN=1 npx vitest run test/cli/examples.test.ts` and review the diff.
 */
const EXAMPLES = path.join(REPO, 'examples');
const AS_OF = '2026-11-24';
const update = process.env.UPDATE_GOLDEN === '1';

/**
 * The manifest's hashes change whenever any policy or schema byte does (that is their point), so
 * golden files keep the real output but are compared with the hashes blanked; that the hashes are
 * right is tested in test/unit/manifest.test.ts.
 */
const blankHashes = (text: string) => text.replace(/\b[0-9a-f]{64}\b/g, '<sha256>');

describe('examples/ golden reports', () => {
  // Examples of evidence (each with its golden reports); examples/rego-screen-lock holds a Rego policy, tested in test/wasm/.
  for (const name of readdirSync(EXAMPLES).sort().filter((n) => existsSync(path.join(EXAMPLES, n, 'evidence')))) {
    const dir = path.join(EXAMPLES, name);
    for (const [format, file] of [['text', 'expected.txt'], ['json', 'expected.json']] as const) {
      const golden = path.join(dir, file);
      if (format === 'json' && !existsSync(golden) && !update) continue;
      if (format === 'json' && !existsSync(golden) && name !== 'terminal-lock-and-screen') continue;
      it(`${name} (${format})`, () => {
        const run = kitei(['check', `examples/${name}/evidence`, '--as-of', AS_OF, '--format', format]);
        const exit = /終了コード (\d)|"exitCode": (\d)/.exec(run.stdout);
        expect(Number(exit?.[1] ?? exit?.[2]), 'the report states the exit code the process returned').toBe(run.code);
        if (update) writeFileSync(golden, run.stdout);
        expect(blankHashes(run.stdout)).toBe(blankHashes(readFileSync(golden, 'utf8')));
        expect(run.code).toBeGreaterThan(0);
      });
    }
  }
});
