import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../src/core/encoding.js';
import type { Finding } from '../../src/core/findings.js';
import { IndexedSourceFile } from '../../src/core/indexed-source.js';
import { resolvePlain } from '../../src/core/yaml-index.js';
import { DEFAULT_LIMITS } from '../../src/core/limits.js';
import { SourceFile } from '../../src/core/source.js';
import { parseDocumentText, parseYamlText, readYamlFile } from '../../src/core/yaml-file.js';
import { loadCorpus } from '../fuzz/fuzzer.js';
import { generateCase } from '../fuzz/mutate.js';
import { DEFAULT_SEED } from '../fuzz/settings.js';
import { Rng } from '../fuzz/mutate.js';
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
    let scanned = 0;
    let pointers = 0;
    for (const rel of files) {
      const decoded = decodeUtf8(readFileSync(path.join(REPO, rel)));
      if (!decoded.ok) continue;
      const c = compareReaders(decoded.text, rel);
      expectSame(c, rel);
      if (c.outcome === 'fast') fast++;
      if (c.scanned) scanned++;
      pointers += c.pointers;
    }
    // All but the deliberately broken files of examples/broken-evidence are read the fast way,
    // and all of those but the few with block scalars by kitei's own scanner.
    expect(fast).toBeGreaterThan(files.length - 5);
    expect(scanned).toBeGreaterThan(fast - 10);
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
      const seen = { fast: 0, fallback: 0, skipped: 0, scanned: 0 };
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
        if (r.scanned) seen.scanned++;
      }
      // Most mutations break a file, but many leave it valid: both ways are exercised, and the
      // scanner reads most of what the fast way reads.
      expect(seen.fast).toBeGreaterThan(cases / 5);
      expect(seen.fallback).toBeGreaterThan(cases / 5);
      expect(seen.scanned).toBeGreaterThan(seen.fast / 2);
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

describe('kitei’s own scanner reads the usual layout exactly as js-yaml does, and leaves the rest to it', () => {
  const scan = (text: string): boolean => {
    const c = compareReaders(text, 'evidence/x.yaml');
    expectSame(c, JSON.stringify(text));
    return c.scanned;
  };

  it('reads block mappings and sequences, compact sequences, comments, CRLF, quotes, flow collections over lines and empty values', () => {
    for (const text of [
      'register: media\ncapturedAt: "2026-11-20"\nrecords:\n  - id: M-001\n    tags:\n    - a\n    - b\n    type: lto\n  - id: M-002\n',
      'a: 1\r\nb:\r\n  - x\r\n  - {c: d}\r\n',
      '# c\na: 1 # c\n  # c\nb:\n  # c\n  - x # c\n\n\nc: "q" # c\n',
      '"a b": \'it\'\'s\'\n\'c\': "d"\ne: \'\'\n',
      'a: {x: 1, y: [2, 3],\n  z: "q" # c\n\n  }\nb: [\n  c, \'d\' ]\n',
      'a: []\nb: {}\nc: [[], {}]\n',
      'a:\nb: ~\nc:\n  -\n  - x\n  - # c\nd:\n',
      'url: http://x/y#z\nt: 10:30\nf: {u: http://x, v: a:b}\nh: a#b\n',
      '1: a\ntrue: b\n~: c\n-0: d\n0x1F: e\n',
      '  - id: a\n    n: 1\n  - id: b\n',
      '- a\n- b: 1\n  c: 2\n- "d"\n- [e]\n-\n  - f\n',
      'a: -1\nb: ?x\nc: :y\nd: x, y]\n',
    ]) {
      expect(scan(text), JSON.stringify(text)).toBe(true);
    }
  });

  it('leaves to js-yaml what it does not read exactly: the result is the same either way', () => {
    for (const text of [
      'a: b\tc\n',
      'a: |\n  x\nb: >\n  y\n',
      'a: b\n  c\n',
      'a: "x\n  y"\n',
      "a: 'x\n  y'\n",
      'a: "x\\ty"\n',
      '&a x: 1\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      '? a\n: b\n',
      '- - a\n',
      '[a, b]\n',
      '{a: 1}\n',
      'a: [a, ]\n',
      'a: [a, , b]\n',
      'a: {"b":1}\n',
      'a: [b: c]\n',
      'a: {b: c: d}\n',
      '---\na: 1\n',
      'a: 1\n...\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: 1\n b: 2\n',
      'a:\n  b: 1\n c: 2\n',
      'a: "b" c\n',
      'a: "b"#c\n',
      'a: 1\na: 2\n',
      'a: b: c\n',
      'a: [1,\n2]\n',
      'a: {b: 1\n  c}\n',
      'a: [1 # c\n  2]\n',
      `${'k'.repeat(1030)}: v\n`,
      'hello\n',
      'a: 1\nhello\n',
      '- a\nb: 1\n',
      '',
      '# only a comment\n',
    ]) {
      expect(scan(text), JSON.stringify(text)).toBe(false);
    }
  });

  // Texts made of the pieces a register is written with and the pieces that end or break them,
  // at indentations that mostly nest and sometimes do not: most are YAML, many are not, and the
  // scanner must either give exactly js-yaml's reading or leave the text to it.
  const cases = Number(process.env.KITEI_FUZZ_CASES || 150) * 20;
  it(`for ${cases} generated texts: the scanner's reading is js-yaml's, node for node, or it leaves the text alone`, () => {
    const rng = new Rng(20261205);
    const seen = { scanned: 0, left: 0 };
    for (let i = 0; i < cases; i++) {
      const text = generatedYaml(rng);
      const c = compareReaders(text, 'evidence/x.yaml');
      expectSame(c, `generated text ${i}: ${JSON.stringify(text)}`);
      seen[c.scanned ? 'scanned' : 'left']++;
    }
    expect(seen.scanned).toBeGreaterThan(cases / 5);
    expect(seen.left).toBeGreaterThan(cases / 5);
  }, 300_000);

  it('keys are found by their characters without mixing up keys that share a slot', () => {
    // Many distinct keys, each twice in its own mapping: every one must come back as itself.
    const keys = Array.from({ length: 6000 }, (_, i) => `k${i.toString(36)}`);
    const text = `a:\n${keys.map((k) => `  ${k}: ${k}\n`).join('')}b:\n${keys.map((k) => `  ${k}: 1\n`).join('')}`;
    expect(scan(text)).toBe(true);
    const v = parseYamlText(text, 'x', 'evidence').value as { a: Record<string, string>; b: Record<string, number> };
    expect(Object.keys(v.a)).toEqual(keys);
    expect(Object.entries(v.a).every(([k, x]) => k === x)).toBe(true);
    expect(Object.keys(v.b)).toEqual(keys);
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

const KEYS = ['id', 'name', 'a b', '1', '~', 'true', '-0', '"q"', "'s'", "'it''s'", 'http://x', 'a#b', '日本語', 'x ', '?x', '-x', ':x', '[k]', '{k: 1}', '&a k', '*a', '!t k', '? k', '- k', '"k"x', 'k:v'];
const VALUES = [
  'a', 'b c', '1', '-1', '0o17', '0x1F', '1e3', '.5', '.nan', '~', 'null', 'True', 'no', '2026-11-20', '"2026-11-20"', 'http://x/y', 'a:b', 'a #b', 'a#b',
  '-', '?', ':', '- a', '? a', ': a', '"q"', "'s'", "'it''s'", "''", '""', '"a: b"', '"a # b"', '[x]', '{y: 1}', '[]', '{}', 'x, y', 'x]', '}',
  '&a x', '*a', '!t x', '|', '>-', '%x', '@x', '`x', 'ｶﾅ 日本語', 'trail  ', 'a: b', 'a:', '"\\t"', '"a\\"b"', "'a'b'", '"open', "'open",
  '[a, ]', '[a,,b]', '{a}', '{a: }', '[a: b]', '{"a":1}', '[ "a" , b ]', '{ a : 1 }', '[a, [b, {c: d}]]', '{a: [1, 2], b: {c: "d"}}', '"a" b', "'a' # c",
];

type Tree = string | Tree[] | [string, Tree][] & { mapping: true };

function tree(rng: Rng, depth: number): Tree {
  const r = rng.next();
  if (depth > 3 || (depth > 0 && r < 0.45)) return rng.pick(rng.chance(0.95) ? VALUES.slice(0, 20) : VALUES);
  const n = rng.range(1, 4);
  if (r < 0.75) {
    const entries = Array.from({ length: n }, () => [rng.pick(rng.chance(0.97) ? KEYS.slice(0, 8) : KEYS), tree(rng, depth + 1)] as [string, Tree]);
    return Object.assign(entries, { mapping: true as const });
  }
  return Array.from({ length: n }, () => tree(rng, depth + 1));
}

const isMapping = (t: Tree): t is [string, Tree][] & { mapping: true } => Array.isArray(t) && 'mapping' in t;

/**
 * One generated text for the scanner (see the test above): a random tree written as registers
 * are (block mappings and sequences, compact or indented, `- key:` items), with comments and
 * blank lines, and now and then a line pushed off its indentation or a piece that is not YAML.
 */
function generatedYaml(rng: Rng): string {
  const eol = rng.chance(0.1) ? '\r\n' : '\n';
  const lines: string[] = [];
  const step = rng.pick([2, 2, 2, 4, 1, 3]);
  const push = (line: string): void => {
    if (rng.chance(0.03)) lines.push(rng.chance(0.5) ? '' : `${' '.repeat(rng.int(6))}# c`);
    if (rng.chance(0.02)) line = rng.chance(0.5) ? ` ${line}` : line.replace(/^ /, '');
    if (rng.chance(0.01)) line = rng.pick(['---', '...', '- - a', '\ta: 1', 'a: "x', '  y"', '  continued', '? a', ': b', '%YAML 1.2']);
    if (rng.chance(0.06)) line += rng.pick([' # c', '# c', '  #']);
    lines.push(line);
  };
  const scalar = (s: string, indent: number): string => (rng.chance(0.05) && /^[[{]/.test(s) ? s.replace(', ', `,${eol}${' '.repeat(indent + rng.range(0, 3))}`) : s);
  const write = (t: Tree, indent: number, first: string | undefined): void => {
    // `first`: the text already on the line this collection starts on (`- ` of an item), if any.
    if (typeof t === 'string') throw new Error('a scalar is written by its parent');
    if (isMapping(t)) {
      t.forEach(([key, value], i) => {
        const lead = i === 0 && first !== undefined ? first : ' '.repeat(indent);
        if (typeof value === 'string') push(`${lead}${key}:${rng.pick([' ', ' ', '  '])}${scalar(value, indent)}`);
        else {
          push(`${lead}${key}:`);
          const compact = !isMapping(value) && rng.chance(0.3);
          write(value, compact ? indent : indent + step, undefined);
        }
      });
      return;
    }
    t.forEach((item, i) => {
      const lead = i === 0 && first !== undefined ? first : ' '.repeat(indent);
      if (typeof item === 'string') push(`${lead}- ${scalar(item, indent)}`);
      else if (isMapping(item) && rng.chance(0.7)) write(item, indent + 2, `${lead}- `);
      else {
        push(`${lead}-`);
        write(item, indent + step, undefined);
      }
    });
  };
  const root = tree(rng, 0);
  if (typeof root === 'string') push(root);
  else write(root, rng.chance(0.2) ? 2 : 0, undefined);
  return lines.join(eol) + (rng.chance(0.9) ? eol : '');
}
