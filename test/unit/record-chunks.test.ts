import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIndexedYaml } from '../../src/core/indexed-yaml.js';
import type { IndexedYaml, NodeIndex } from '../../src/core/yaml-index.js';
import { DEFAULT_LIMITS } from '../../src/core/limits.js';
import { parseInPieces, recordCuts, type PieceTask } from '../../src/core/record-chunks.js';
import { decodeUtf8 } from '../../src/core/encoding.js';
import { fastReadable } from '../../src/core/yaml-file.js';
import { loadCorpus } from '../fuzz/fuzzer.js';
import { generateCase } from '../fuzz/mutate.js';
import { DEFAULT_SEED } from '../fuzz/settings.js';
import { evidenceFiles } from './fast-yaml-compare.js';

/**
 * Large evidence files are read in pieces (core/record-chunks.ts). Whatever the cuts, the merged value and index must be the whole file's,
 * node for node; and a file that cannot be cut safely is not cut.
 */

const REPO = path.resolve(import.meta.dirname, '../..');
const DEPTH = DEFAULT_LIMITS.depth;

/** The fast reader on this thread, counting the pieces it is given. */
function reader(log: PieceTask[] = []) {
  return (task: PieceTask) => {
    log.push(task);
    return parseIndexedYaml(task.text, task.maxDepth) ?? null;
  };
}

/** The index as a tree from the root, in source order: what positions are looked up from. */
function tree(ix: NodeIndex, node = 0): unknown {
  const first = ix.firstChild[node]!;
  const children = [];
  for (let c = first; c < first + ix.childCount[node]!; c++) children.push(tree(ix, ix.children[c]!));
  return { kind: ix.kind[node], start: ix.start[node], end: ix.end[node], keyStart: ix.keyStart[node], key: ix.keys[node], keyType: ix.keyType[node], ...(ix.kind[node] === 0 ? {} : { children }) };
}

function expectSameAsWhole(text: string, merged: IndexedYaml | undefined, label: string) {
  const whole = parseIndexedYaml(text, DEPTH)!;
  expect(merged, label).toBeDefined();
  expect(merged!.value, label).toEqual(whole.value);
  expect(merged!.index.count, label).toBe(whole.index.count);
  expect(tree(merged!.index), label).toEqual(tree(whole.index));
}

describe('reading a register file in pieces', () => {
  it('gives the whole file\'s value and index for every evidence file of the repository, cut every few records', async () => {
    let cutFiles = 0;
    for (const file of evidenceFiles()) {
      const text = readFileSync(path.join(REPO, file), 'utf8').replace(/^\uFEFF/, '');
      if (!parseIndexedYaml(text, DEPTH)) continue;
      for (const size of [1, 300, 2000]) {
        const log: PieceTask[] = [];
        const merged = parseInPieces(text, DEPTH, size, reader(log));
        if (recordCuts(text, size)) {
          cutFiles++;
          // Read in pieces, not whole: one task per piece.
          expect(log.length, file).toBeGreaterThan(1);
          expect(log.map((t) => t.text).join(''), file).toBe(text);
        }
        expectSameAsWhole(text, merged, `${file} in pieces of ${size}`);
      }
    }
    // Every register with two records or more is cut at size 1.
    expect(cutFiles).toBeGreaterThan(100);
  });

  it('cuts only at a record of the top-level `records` block sequence', () => {
    const text = 'register: media\ncapturedAt: "2026-11-20"\nrecords:\n  - id: M-1\n    note: |\n      - not a record\n  # a comment\n\n  - id: M-2\n  -\n    id: M-3\n';
    const cuts = recordCuts(text, 1)!;
    expect(cuts.map((c) => text.slice(c, text.indexOf('\n', c)))).toEqual(['  - id: M-2', '  -']);
  });

  it.each([
    ['a key after the records', 'register: media\nrecords:\n  - id: M-1\n  - id: M-2\nextra: 1\n'],
    ['records in flow style', 'register: media\nrecords: [{ id: M-1 }, { id: M-2 }]\n'],
    ['a document end marker', 'register: media\nrecords:\n- id: M-1\n...\n- id: M-2\n'],
    ['a line left of the records', 'register: media\nrecords:\n  - id: M-1\n note: x\n  - id: M-2\n'],
    ['a line at the records\' column without a dash', 'register: media\nrecords:\n  - id: M-1\n  note: x\n  - id: M-2\n'],
    ['no records key', 'register: media\nitems:\n  - id: M-1\n  - id: M-2\n'],
  ])('does not cut a file with %s', (_, text) => {
    expect(recordCuts(text, 1)).toBeUndefined();
  });

  it('reads the file whole when a piece cannot be read on its own (a quoted scalar going on over a cut)', async () => {
    const text = 'register: media\nrecords:\n  - id: M-1\n    note: "one\n  - two"\n  - id: M-2\n';
    expect(recordCuts(text, 1)).toBeDefined();
    const log: PieceTask[] = [];
    const merged = parseInPieces(text, DEPTH, 1, reader(log));
    // The pieces were tried, then the whole text.
    expect(log.at(-1)!.text).toBe(text);
    const whole = parseIndexedYaml(text, DEPTH);
    expect(merged?.value).toEqual(whole?.value);
  });

  it('keeps the nesting limit of the whole file in every piece', async () => {
    const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    const text = `register: media\nrecords:\n  - id: M-1\n  - id: M-2\n    x: ${deep(DEPTH - 3)}\n`;
    const whole = parseIndexedYaml(text, DEPTH);
    const merged = parseInPieces(text, DEPTH, 1, reader());
    expect(merged === undefined).toBe(whole === undefined);
    if (whole) expectSameAsWhole(text, merged, 'deep');
  });

  it('gives what reading the file whole gives, or leaves it to the full way as reading it whole does, for 300 fuzzed mutations of the example', async () => {
    const corpus = loadCorpus();
    let cut = 0;
    for (let index = 0; index < 300; index++) {
      const c = generateCase(DEFAULT_SEED, index, corpus);
      const decoded = c.data.length > DEFAULT_LIMITS.fileBytes ? undefined : decodeUtf8(c.data);
      if (!decoded?.ok) continue;
      const text = decoded.text.replace(/^\uFEFF/, '');
      // What the loader never gives the pieces: characters that are refused first.
      if (!fastReadable(text)) continue;
      const label = `case ${index} (${c.file}: ${c.mutators.join(', ')})`;
      if (recordCuts(text, 200)) cut++;
      const merged = parseInPieces(text, DEPTH, 200, reader());
      const whole = parseIndexedYaml(text, DEPTH);
      expect(merged === undefined, label).toBe(whole === undefined);
      if (whole) expectSameAsWhole(text, merged, label);
    }
    expect(cut).toBeGreaterThan(100);
  }, 120_000);
});
