import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../src/core/encoding.js';
import type { Finding } from '../../src/core/findings.js';
import { IndexedSourceFile } from '../../src/core/indexed-source.js';
import { resolvePlain } from '../../src/core/indexed-yaml.js';
import { DEFAULT_LIMITS } from '../../src/core/limits.js';
import { SourceFile } from '../../src/core/source.js';
import { parseDocumentText, parseYamlText, readYamlFile } from '../../src/core/yaml-file.js';
import { loadCorpus } from '../fuzz/fuzzer.js';
import { generateCase } from '../fuzz/mutate.js';
import { DEFAULT_SEED } from '../fuzz/settings.js';
import { compareReaders, evidenceFiles, type Comparison } from './fast-yaml-compare.js';

/**
 * The fast reader of evidence (core/indexed-yaml.ts, core/indexed-source.ts) against the full one
 * (the `yaml` Document, which policies and rule tests still use, and which every evidence file went
 * through before): the same value, and the same line and column for every pointer into it, with
 * `locate` (the key of a mapping entry, an item itself, the nearest existing ancestor of what is
 * absent) and `locateValue` (the value itself).
 *
 * Files with a problem: the fast reader gives up on every file that js-yaml cannot parse, and on
 * everything it does not reproduce exactly (anchors, aliases, tags, directives, complex keys,
 * nesting past the limit, no document or more than one, keys that collide as property names, and
 * the few inputs where js-yaml is more lenient than `yaml`: tabs in indentation, `...` before any
 * content, `\U` escapes past U+10FFFF, implicit keys longer than 1024 characters); such a file is
 * read the full way. So every problem (code, position and the `yaml-syntax` detail, word for word)
 * is the full way's: there are no differences of messages to document. The comparison below checks
 * that, too, and that a file read the fast way has no problem when read the full way.
 */

const REPO = path.resolve(import.meta.dirname, '../..');
const where = (f: Finding) => `${f.code} ${f.location?.line}:${f.location?.column}`;

function expectSame(c: Comparison, label: string): void {
  expect(c.differences, label).toEqual([]);
}

describe('the fast evidence reader gives what the yaml Document gives', () => {
  const files = evidenceFiles();

  it('for every evidence file in the repository: the same value, and every key and item at the same line and column', () => {
    expect(files.length).toBeGreaterThan(300);
    let fast = 0;
    let pointers = 0;
    for (const rel of files) {
      const decoded = decodeUtf8(readFileSync(path.join(REPO, rel)));
      if (!decoded.ok) continue;
      const c = compareReaders(decoded.text, rel);
      expectSame(c, rel);
      if (c.outcome === 'fast') fast++;
      pointers += c.pointers;
    }
    // All but the deliberately broken files of examples/broken-evidence are read the fast way.
    expect(fast).toBeGreaterThan(files.length - 5);
    expect(pointers).toBeGreaterThan(10_000);
  }, 120_000);

  it('the committed example evidence is read the fast way, file by file', () => {
    for (const rel of files.filter((f) => f.startsWith('evidence/'))) {
      const parsed = parseYamlText(readFileSync(path.join(REPO, rel), 'utf8'), rel, 'evidence');
      expect(parsed.problems, rel).toEqual([]);
      expect(parsed.source, rel).toBeInstanceOf(IndexedSourceFile);
    }
  });

  it('offsets become the same line and column as with yaml’s LineCounter, everywhere in a file', () => {
    for (const rel of ['evidence/terminals.yaml', 'evidence/staff.yaml', 'evidence/organization.yaml']) {
      const text = readFileSync(path.join(REPO, rel), 'utf8');
      const fast = parseYamlText(text, rel, 'evidence').source;
      const full = new SourceFile(rel, text);
      for (let offset = 0; offset <= text.length; offset++) {
        const a = fast.position(offset);
        const b = full.position(offset);
        if (a.line !== b.line || a.column !== b.column) expect(a, `${rel} offset ${offset}`).toEqual(b);
      }
    }
  });

  // Fixed seeds, the fuzzer's own mutators (test/fuzz/mutate.ts): a case is one mutated evidence
  // file. KITEI_FUZZ_SEED and KITEI_FUZZ_CASES (README) run others and more.
  const seeds = process.env.KITEI_FUZZ_SEED ? [process.env.KITEI_FUZZ_SEED] : [DEFAULT_SEED, 'fast-yaml'];
  const cases = Number(process.env.KITEI_FUZZ_CASES || 150);
  for (const seed of seeds) {
    it(`for ${cases} fuzzed mutations of the example evidence (seed ${seed}): the same value and positions, or the same problem`, () => {
      const corpus = loadCorpus();
      const seen = { fast: 0, fallback: 0, skipped: 0 };
      for (let index = 0; index < cases; index++) {
        const c = generateCase(seed, index, corpus);
        // What the loader never parses: files past the size limit and bytes that are not UTF-8
        // (refused before either reader, by readYamlFile).
        const decoded = c.data.length > DEFAULT_LIMITS.fileBytes ? undefined : decodeUtf8(c.data);
        if (!decoded?.ok) {
          seen.skipped++;
          continue;
        }
        const r = compareReaders(decoded.text, c.target);
        expectSame(r, `case ${index} (seed ${seed}, ${c.file}: ${c.mutators.join(', ')})`);
        seen[r.outcome]++;
      }
      // Most mutations break a file, but many leave it valid: both ways are exercised.
      expect(seen.fast).toBeGreaterThan(cases / 5);
      expect(seen.fallback).toBeGreaterThan(cases / 5);
    }, Math.max(300_000, cases * 500));
  }
});

describe('YAML forms the two readers could disagree on', () => {
  const same = (text: string) => {
    const c = compareReaders(text, 'evidence/x.yaml');
    expectSame(c, JSON.stringify(text));
    return c.outcome;
  };

  it('plain scalars resolve as in yaml’s 1.2 core schema (not YAML 1.1: no, yes, on, dates and 1_000 stay strings)', () => {
    const text = 'v: [0o17, 017, 0x1F, -0, +1, 1e3, .5, 1., .inf, -.Inf, .NaN, 9007199254740993, 1_000, 0b1, 1:20, 2026-11-20, no, yes, on, off, y, n, True, TRUE, tRUE, NULL, Null, nULL, ~, "", 12e, .e3]\n';
    expect(same(text)).toBe('fast');
    const v = (parseYamlText(text, 'x', 'evidence').value as { v: unknown[] }).v;
    expect(Object.is(v[3], -0)).toBe(true);
    expect(v.slice(0, 3)).toEqual([15, 17, 31]);
    expect(v.slice(12, 23)).toEqual(['1_000', '0b1', '1:20', '2026-11-20', 'no', 'yes', 'on', 'off', 'y', 'n', true]);
    expect(resolvePlain('')).toBe(null);
  });

  it('keys become property names as yaml’s toJS makes them, and are found as yaml finds them', () => {
    // Numbers, null, booleans as keys; __proto__ an own property; toString an ordinary key.
    expect(same('1: a\n0x2: b\n~: c\ntrue: d\n1.5: e\n-0: f\n"x y": g\n__proto__: h\ntoString: i\n')).toBe('fast');
    const v = parseYamlText('__proto__: {a: 1}\n', 'x', 'evidence').value as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
  });

  it('keys that collide as property names are left to the full way (yaml keeps the last or reports a duplicate)', () => {
    expect(same('1: a\n"1": b\n')).toBe('fallback');
    expect(same('~: a\n"": b\n')).toBe('fallback');
    expect(same('-0: a\n"0": b\n')).toBe('fallback');
    expect(same('a: 1\na: 2\n')).toBe('fallback');
  });

  it('quoted, block, multi-line, empty and flow nodes start where yaml says', () => {
    for (const text of [
      'records:\n  - "id": 1\n    \'n\': 2\n  - ? id\n    : 3\n',
      'a: |\n  x\nb: >-\n  y\n\n  z\nc: |+\n\nd:\n  - |\n    q\n  - >\n    r\ne: |2\n   x\nf: | # comment |\n  x\n',
      'a:\nb: ~\nc:\n  -\n  - \n  - x\nd: {e: , f}\ng: []\nh: {}\n',
      'a: "x\n  y"\nb: plain\n  continued\nc: \'it\'\'s\'\n',
      'a: [1,\n  2,\n 3]\nb: {x: 1,\n  y: 2}\nc: [a: 1, b]\n',
      '- - a\n  - b\n- - c\n- [a, b]\n- {c: d}\n- |\n  e\n',
      'a: 1\r\nb:\r\n  - x\r\n  - |\r\n    y\r\n',
      '# c\n---\na: 1 # x\n# y\nb: 2\n',
      'hello\n',
      '---\n',
    ]) {
      expect(same(text), JSON.stringify(text)).toBe('fast');
    }
  });

  it('what js-yaml takes and yaml refuses is read the full way, and so keeps yaml’s problem', () => {
    const cases: [string, string][] = [
      ['\tx: 1\n', 'evidence/yaml-syntax 1:1'],
      ['a:\n\t- x\n', 'evidence/yaml-syntax 2:1'],
      ['...\nregister: media\n', 'evidence/yaml-syntax 2:1'],
      ['a: "\\U00110000"\n', 'evidence/yaml-syntax 1:5'],
      [`${'k'.repeat(1030)}: v\n`, 'evidence/yaml-syntax 1:1'],
    ];
    for (const [text, problem] of cases) {
      expect(same(text), JSON.stringify(text)).toBe('fallback');
      expect(parseYamlText(text, 'x', 'evidence').problems.map(where)).toEqual([problem]);
    }
  });
});

describe('every hardening behaviour of evidence, with the same codes and positions', () => {
  const problem = (text: string) => {
    expectSame(compareReaders(text, 'evidence/x.yaml'), JSON.stringify(text));
    return parseYamlText(text, 'x', 'evidence').problems.map(where);
  };
  const HEAD = 'register: media\ncapturedAt: "2026-11-20"\nrecords:\n';

  it('syntax errors, with their position', () => {
    expect(problem(HEAD + '  - id: [M-001\n')).toEqual(['evidence/yaml-syntax 5:1']);
    expect(problem(HEAD + '  - id: M-001\n   type: x\n')).toEqual(['evidence/yaml-syntax 5:1']);
  });
  it('duplicate keys', () => {
    expect(problem(HEAD + '  - id: M-001\n    id: M-002\n')).toEqual(['evidence/yaml-syntax 5:5']);
  });
  it('anchors and aliases: refused at the & or the *; an alias without anchor is unresolved', () => {
    expect(problem(HEAD + '  - &r\n    id: *r\n')).toEqual(['evidence/alias-not-allowed 4:5']);
    expect(problem(HEAD + '  - id: M-001\n    type: *TODO\n')).toEqual(['evidence/unresolved-alias 5:11']);
    expect(problem(HEAD + '  - id: &a M-001\n')).toEqual(['evidence/alias-not-allowed 4:9']);
  });
  it('nesting past the limit, deterministically, at the level that crosses it', () => {
    const shallow = HEAD.replace('records:\n', 'records: ') + '['.repeat(70) + ']'.repeat(70) + '\n';
    expect(problem(shallow)).toEqual(['evidence/too-deep 3:73']);
    const atTheLimit = HEAD.replace('records:\n', 'records: ') + '['.repeat(63) + ']'.repeat(63) + '\n';
    expect(problem(atTheLimit)).toEqual([]);
    expect(parseYamlText(atTheLimit, 'x', 'evidence').source).toBeInstanceOf(IndexedSourceFile);
    const deep = HEAD + '  - id: M-001\n    note: ' + '[{a: '.repeat(3000) + '\n  - x\n';
    expect(problem(deep)).toEqual(['evidence/too-deep 5:162']);
  });
  it('complex keys', () => {
    expect(problem('? [a]\n: 1\n')).toEqual(['evidence/complex-key 1:3']);
    expect(problem('{a: 1}: x\n')).toEqual(['evidence/complex-key 1:1']);
  });
  it('control characters, CR line endings', () => {
    expect(problem(HEAD + '  - id: M\u0000-001\n')).toEqual(['evidence/control-character 4:10']);
    expect(problem(HEAD + '  - id: M-001\r    type: x\n')).toEqual(['evidence/cr-line-endings 4:14']);
  });
  it('a BOM is not part of the text: positions count from the first real character', () => {
    const text = '\ufeff' + HEAD + '  - id: M-001\n';
    expect(problem(text)).toEqual([]);
    const parsed = parseYamlText(text, 'x', 'evidence');
    expect(parsed.source).toBeInstanceOf(IndexedSourceFile);
    expect(parsed.source.locate('/records/0/id')).toMatchObject({ line: 4, column: 5 });
  });
  it('empty files and files of comments have no value (the loader reports evidence/empty-file)', () => {
    for (const text of ['', '\n\n', '# only a comment\n', '---\n', '---\n...\n', '~\n']) {
      expect(problem(text), JSON.stringify(text)).toEqual([]);
      expect(parseYamlText(text, 'x', 'evidence').value, JSON.stringify(text)).toBe(null);
    }
  });
  it('several documents are a syntax error at the second one', () => {
    expect(problem('a: 1\n---\nb: 2\n')).toEqual(['evidence/yaml-syntax 2:1']);
    expect(problem('---\n...\n...\n')).toEqual(['evidence/yaml-syntax 3:1']);
  });
  it('bytes that are not UTF-8 are refused before either reader, at the first bad byte', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitei-fast-yaml-'));
    const file = path.join(dir, 'media.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from(HEAD + '  - id: M-001\n    note: '), Buffer.from([0x83, 0x65, 0x83, 0x58]), Buffer.from('\n')]));
    const parsed = await readYamlFile(file, 'media.yaml', 'evidence');
    expect(parsed.problems.map(where)).toEqual(['evidence/encoding 5:11']);
  });
  it('a file read the fast way and the full way are interchangeable to the loader', () => {
    const text = HEAD + '  - id: M-001\n    type: lto\n';
    const fast = parseYamlText(text, 'x', 'evidence');
    const full = parseDocumentText(text, 'x', 'evidence');
    expect(fast.value).toEqual(full.value);
    expect(fast.head).toBe(full.head);
    expect(fast.source.locate('/records/0/type')).toEqual(full.source.locate('/records/0/type'));
    expect(fast.source.locate('/records/0/missing')).toEqual({ file: 'x', pointer: '/records/0', line: 4, column: 5, endLine: 5, endColumn: 14 });
  });
});
