import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkWith, loadRules, validateEvidence, type Loaded } from '../../src/check.js';
import { appendAll, maxOf, minOf } from '../../src/core/arrays.js';
import type { Finding } from '../../src/core/findings.js';
import { DEFAULT_LIMITS, formatSize, parseSize } from '../../src/core/limits.js';
import { loadPolicies } from '../../src/policy/load.js';
import { BASE_FIXTURE, makeTree, REPO } from '../harness/tree.js';

/**
 * Bad input never stops the run: each class of broken file below gives one coded problem at its
 * file, line and column, the file is not judged, and every other register is still checked.
 */
const where = (f: Finding) => `${f.code} ${f.location?.file.split('/').pop()}:${f.location?.line}:${f.location?.column}`;
const problems = (fs: Finding[]) => fs.filter((f) => f.ruleId.startsWith('kitei/')).map(where);

const MEDIA_HEAD = 'register: media\ncapturedAt: "2026-11-20"\nrecords:\n';

let loaded: Loaded;
let baseRecords: number;
beforeAll(async () => {
  loaded = await loadRules({});
  baseRecords = (await validateEvidence({ evidenceDir: BASE_FIXTURE })).records;
});

/** Checks a copy of the base organisation with `files` replaced or added. */
async function checkTree(files: Record<string | number, string | Buffer>, input?: Parameters<typeof checkWith>[1]['input']) {
  const dir = makeTree({}, BASE_FIXTURE);
  for (const [rel, content] of Object.entries(files)) writeFileSync(path.join(dir, rel), content);
  const result = await checkWith(loaded, { evidenceDir: dir, asOf: '2026-11-24', ...(input ? { input } : {}) });
  return { dir, result, problems: problems(result.findings) };
}

/** The media register is not judged (its rules say so once each), and nothing else is affected. */
function onlyMediaUnjudged(result: Awaited<ReturnType<typeof checkTree>>['result']) {
  const notEvaluated = result.findings.filter((f) => f.code === 'rule/not-evaluated');
  expect(notEvaluated.length).toBeGreaterThan(0);
  for (const f of notEvaluated) expect(f.message.en).toContain('register media');
  expect(result.findings.filter((f) => f.outcome === 'fail')).toEqual([]);
  expect(result.evidence.records).toBe(baseRecords - 1);
}

describe('YAML aliases', () => {
  it('a value starting with * that names no anchor is a problem at the alias, with how to quote it', async () => {
    const { result, problems: p } = await checkTree({ 'media.yaml': MEDIA_HEAD + '  - id: M-001\n    type: *TODO\n' });
    expect(p).toEqual(['evidence/unresolved-alias media.yaml:5:11']);
    expect(result.findings.find((f) => f.code === 'evidence/unresolved-alias')!.message.en).toBe('*TODO is read as an alias, but no anchor &TODO comes before it. To write it as text, quote it ("*TODO").');
    onlyMediaUnjudged(result);
  });
  it('evidence refuses anchors and aliases, recursive ones included, at the anchor', async () => {
    const { result, problems: p } = await checkTree({ 'media.yaml': MEDIA_HEAD + '  - &r\n    id: *r\n' });
    expect(p).toEqual(['evidence/alias-not-allowed media.yaml:4:5']);
    expect(result.findings.find((f) => f.code === 'evidence/alias-not-allowed')!.message.ja).toContain('差分を読む人に展開後の値が見えない');
    onlyMediaUnjudged(result);
  });
  it('an alias bomb in evidence is refused at its first anchor, without expanding it', async () => {
    let text = MEDIA_HEAD.replace('records:\n', '') + 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i <= 9; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
    const { problems: p } = await checkTree({ 'media.yaml': text });
    expect(p).toEqual(['evidence/alias-not-allowed media.yaml:3:5']);
  });
  it('a large register without aliases is not an alias bomb', async () => {
    const records = Array.from({ length: 20_000 }, (_, i) => `  - { id: M-${String(i).padStart(5, '0')}, type: lto, containsPersonalInfo: false, purpose: blank, registeredOn: "2024-04-01", status: stored }\n`).join('');
    const r = await validateEvidence({ evidenceDir: makeTree({ 'media.yaml': MEDIA_HEAD + records }) });
    expect(r.findings.map(where)).toEqual([]);
    expect(r.records).toBe(20_000);
  });
  it('policy files may use anchors, but not unresolved, recursive or exploding aliases', async () => {
    const rule = (extra: string) => `rules: []\n${extra}`;
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i <= 9; i++) bomb += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
    const dir = makeTree({
      'ok.yaml': rule('x-shared: &s { a: 1 }\nx-use: *s\nx-text: &t |\n  block\nx-again: [*t, *t]\n'),
      'unresolved.yaml': rule('x-use: *nothing\n'),
      'recursive.yaml': rule('x-loop: &l\n  - *l\n'),
      'bomb.yaml': rule(bomb),
    });
    const { problems: p } = await loadPolicies(dir);
    // ok.yaml parses (only its unknown keys then break the policy schema).
    expect(p.filter((f) => f.code !== 'policy/schema').map(where)).toEqual([
      'policy/alias-expansion bomb.yaml:7:10',
      'policy/recursive-alias recursive.yaml:3:5',
      'policy/unresolved-alias unresolved.yaml:2:8',
    ]);
    expect(p[0]!.message.en).toBe(`The aliases expand to more than ${DEFAULT_LIMITS.aliasExpansion} nodes.`);
  });
});

describe('policy and test files share the reader', () => {
  it('Shift_JIS, deep nesting and a FIFO in the policies are policy problems; the other policy files load', async () => {
    const good = readFileSync(path.join(REPO, 'policies/terminals.yaml'));
    const dir = makeTree({ 'terminals.yaml': good.toString(), 'deep.yaml': `rules: ${'['.repeat(5000)}${']'.repeat(5000)}\n` });
    writeFileSync(path.join(dir, 'sjis.yaml'), Buffer.concat([Buffer.from('rules: []\n# '), Buffer.from([0x93, 0xfa, 0x96, 0x7b]), Buffer.from('\n')]));
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    const { policies, problems: p } = await loadPolicies(dir);
    // Problems of the listing (the FIFO) come before those of reading each file.
    expect(p.map(where)).toEqual(['policy/not-a-regular-file pipe.yaml:1:1', 'policy/too-deep deep.yaml:1:71', 'policy/encoding sjis.yaml:2:3']);
    expect(p[2]!.message.en).toContain('It looks like Shift_JIS');
    expect(policies.rules.length).toBeGreaterThan(0);
  });
});

describe('nesting', () => {
  it('deeper than the limit is "nested too deeply" at the level that crosses it, for flow and block nesting', async () => {
    const flow = MEDIA_HEAD.replace('records:\n', 'records: ') + '['.repeat(20_000) + ']'.repeat(20_000) + '\n';
    const block = MEDIA_HEAD + Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i)}- a:\n`).join('');
    const shallow = MEDIA_HEAD.replace('records:\n', 'records: ') + '['.repeat(70) + ']'.repeat(70) + '\n';
    const { result, problems: p } = await checkTree({ 'media.yaml': flow, 'media-block.yaml': block, 'media-shallow.yaml': shallow });
    // 'records: ' is 9 characters; the 64th bracket is the last allowed.
    expect(p).toEqual(['evidence/too-deep media-block.yaml:35:65', 'evidence/too-deep media-shallow.yaml:3:73', 'evidence/too-deep media.yaml:3:73']);
    expect(result.findings.find((f) => f.code === 'evidence/too-deep')!.message.en).toBe('Nested too deeply (the limit is 64 levels).');
  });
});

describe('nesting, determinism', () => {
  it('a deep and otherwise broken file gives the same problem every time it is read', async () => {
    const { parseYamlText } = await import('../../src/core/yaml-file.js');
    const text = MEDIA_HEAD + '  - id: M-001\n    note: ' + '[{a: '.repeat(3000) + '\n  - x\n';
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) seen.add(parseYamlText(text, 'm.yaml', 'evidence').problems.map(where).join());
    expect([...seen]).toEqual(['evidence/too-deep m.yaml:5:162']);
  });
});

describe('size', () => {
  it('no spread of an unbounded array into a call anywhere in the source', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) {
          readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
            if (/\.(push|unshift|splice)\(\s*\.\.\.|Math\.(max|min)\(\s*\.\.\.|fromCharCode\(\s*\.\.\.|fromCodePoint\(\s*\.\.\./.test(line)) offenders.push(`${path.relative(REPO, p)}:${i + 1}`);
          });
        }
      }
    };
    walk(path.join(REPO, 'src'));
    expect(offenders).toEqual([]);
  });
  it('appendAll, maxOf and minOf take lists far past the call-stack limit of a spread', () => {
    const big = Array.from({ length: 500_000 }, (_, i) => i);
    expect(() => [].push(...(big as never[]))).toThrow(RangeError);
    expect(appendAll([-1], big)).toHaveLength(500_001);
    expect(maxOf(big)).toBe(499_999);
    expect(minOf(big)).toBe(0);
    expect(maxOf([], 7)).toBe(7);
  });
  it('a file over the size limit, a file with too many records and evidence over the total are not judged', async () => {
    const records = Array.from({ length: 5 }, (_, i) => `  - id: M-00${i + 1}\n    type: lto\n    containsPersonalInfo: false\n    purpose: blank\n    registeredOn: "2024-04-01"\n    status: stored\n`).join('');
    const many = await checkTree({ 'media.yaml': MEDIA_HEAD + records }, { limits: { ...DEFAULT_LIMITS, recordsPerFile: 4 } });
    expect(many.problems).toContain('evidence/too-many-records media.yaml:3:1');
    expect(many.result.findings.find((f) => f.code === 'evidence/too-many-records')!.message.en).toBe('Too many records to be judged (5; the limit is 4, see --max-records).');
    const padded = MEDIA_HEAD + records + `# ${'x'.repeat(8000)}\n`;
    const large = await checkTree({ 'media.yaml': padded }, { limits: { ...DEFAULT_LIMITS, fileBytes: 8000 } });
    expect(large.problems).toEqual(['evidence/too-large media.yaml:1:1']);
    expect(large.result.findings.find((f) => f.code === 'evidence/too-large')!.message.ja).toBe(`ファイルが大きすぎるため判定しません（${formatSize(Buffer.byteLength(padded))}、上限 7.8 KiB。--max-file-size で変更できます）。`);
    onlyMediaUnjudged(large.result);
    // The base files are read in name order; with a total of 20 KiB the later ones are not read.
    const total = await checkTree({}, { limits: { ...DEFAULT_LIMITS, totalBytes: 20 * 1024 } });
    expect(total.problems.length).toBeGreaterThan(0);
    expect(new Set(total.problems.map((p) => p.split(' ')[0]))).toEqual(new Set(['evidence/total-too-large']));
  });
  it('sizes are read and shown as people write them', () => {
    expect(parseSize('64M')).toBe(64 * 2 ** 20);
    expect(parseSize('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseSize('2000k')).toBe(2000 * 1024);
    expect(parseSize('123')).toBe(123);
    expect(parseSize('lots')).toBeUndefined();
    expect(parseSize('0')).toBeUndefined();
    expect(formatSize(64 * 2 ** 20)).toBe('64 MiB');
    expect(formatSize(1536)).toBe('1.5 KiB');
  });
});

describe('special files and symbolic links', () => {
  it('a FIFO named like YAML is a problem at its path and does not block the run', async () => {
    const dir = makeTree({}, BASE_FIXTURE);
    execFileSync('mkfifo', [path.join(dir, 'x.yaml')]);
    const r = await validateEvidence({ evidenceDir: dir });
    expect(r.findings.map(where)).toEqual(['evidence/not-a-regular-file x.yaml:1:1']);
    expect(r.findings[0]!.message.en).toBe('Not a regular file (FIFO); it is not read.');
    expect(r.records).toBe(baseRecords);
  });
  it('a link to a file outside the evidence is refused unless allowed, and what it points at is never quoted', async () => {
    const outside = makeTree({ 'secret.yaml': 'register: TOPSECRET-VALUE\npassword: hunter2\n' });
    const dir = makeTree({}, BASE_FIXTURE);
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'linked.yaml'));
    symlinkSync(path.join(outside, 'nowhere.yaml'), path.join(dir, 'broken.yaml'));
    mkdirSync(path.join(dir, 'sub'));
    symlinkSync(path.join(dir, 'media.yaml'), path.join(dir, 'sub', 'inside.yml'));
    const refused = await validateEvidence({ evidenceDir: dir });
    expect(refused.findings.map(where)).toEqual([
      'evidence/broken-symlink broken.yaml:1:1',
      'evidence/symlink-outside linked.yaml:1:1',
      // A link inside the directory is followed: the media records are then there twice.
      'evidence/duplicate-id inside.yml:4:5',
    ]);
    expect(refused.findings[1]!.message.en).toContain('(allow with --follow-symlinks)');
    const followed = await validateEvidence({ evidenceDir: dir, input: { followSymlinks: true } });
    expect(followed.findings.map(where)).toContain('evidence/unknown-register linked.yaml:1:1');
    expect(JSON.stringify(followed.findings)).not.toMatch(/TOPSECRET|hunter2/);
  });
});

describe('encodings', () => {
  it('Shift_JIS (CP932) is reported at the first bad byte, with how to convert it', async () => {
    const sjis = Buffer.concat([Buffer.from(MEDIA_HEAD + '  - id: M-001\n    type: lto\n    note: '), Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x93, 0xfa, 0x96, 0x7b]), Buffer.from('\n')]);
    const { result, problems: p } = await checkTree({ 'media.yaml': sjis });
    expect(p).toEqual(['evidence/encoding media.yaml:6:11']);
    const f = result.findings.find((x) => x.code === 'evidence/encoding')!;
    expect(f.message.ja).toBe('UTF-8 として読めないバイト 0x83 0x65 があります。Shift_JIS（CP932）で保存されているようです。UTF-8 で保存し直してください（例: iconv -f CP932 -t UTF-8 元のファイル > 新しいファイル）。');
    expect(f.message.en).toContain('It looks like Shift_JIS（CP932）; save it as UTF-8 (e.g. iconv -f CP932 -t UTF-8');
    onlyMediaUnjudged(result);
  });
  it('a stray 0xFF byte, UTF-16 and a NUL are problems with their positions', async () => {
    const { problems: p, result } = await checkTree({
      'media.yaml': Buffer.concat([Buffer.from(MEDIA_HEAD + '  - id: M-00'), Buffer.from([0xff]), Buffer.from('1\n')]),
      'utf16.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('register: media\n', 'utf16le')]),
      'nul.yaml': 'register: media\ncapturedAt: "2026\u0000-11-20"\n',
    });
    expect(p).toEqual(['evidence/encoding media.yaml:4:13', 'evidence/control-character nul.yaml:2:18', 'evidence/encoding utf16.yaml:1:1']);
    expect(result.findings.find((f) => f.location?.file.endsWith('utf16.yaml'))!.message.en).toContain('It looks like UTF-16');
    expect(result.findings.find((f) => f.code === 'evidence/control-character')!.message.en).toBe('The control character U+0000 is not allowed in YAML; remove it.');
  });
  it('CR-only line endings are reported as what they are; CRLF and a BOM are read as usual', async () => {
    const { problems: p } = await checkTree({
      'media.yaml': (MEDIA_HEAD + '  - id: M-001\n').replace(/\n/g, '\r'),
      'terminals.yaml': '\uFEFF' + readFileSync(path.join(BASE_FIXTURE, 'terminals.yaml'), 'utf8').replace(/\n/g, '\r\n'),
    });
    expect(p).toEqual(['evidence/cr-line-endings media.yaml:1:16']);
  });
});

describe('shapes where names belong', () => {
  it('a mapping or a list as the register kind, or as capturedAt, is a problem, never a crash', async () => {
    const { problems: p, result } = await checkTree({
      'media.yaml': 'register: {toString: x}\ncapturedAt: "2026-11-20"\nrecords: []\n',
      'odd.yaml': 'register: [media]\nrecords: []\n',
      'terminals.yaml': 'register: terminals\ncapturedAt: {toString: x}\nrecords: []\n',
    });
    // The media register is then missing, which the data sets that refer to it report.
    expect(p).toEqual(['evidence/register-missing dataSets.yaml:21:13', 'evidence/bad-register-kind media.yaml:1:1', 'evidence/bad-register-kind odd.yaml:1:1', 'evidence/schema terminals.yaml:2:1']);
    expect(result.findings.find((f) => f.code === 'evidence/bad-register-kind')!.message.en).toBe('register must name a register kind as text (it holds mapping).');
    expect(JSON.stringify(result.findings)).not.toContain('[object Object]');
  });
});

describe('errors while evaluating', () => {
  it('carry the code rule/evaluation-error like every other error', async () => {
    const policies = makeTree({
      'p.yaml': `rules:
  - id: hostname-number
    clauses: [{ article: 16, paragraph: 2 }]
    severity: low
    register: terminals
    title: { ja: 番号, en: number }
    message: { ja: 数でない, en: not a number }
    quote: 端末
    remediation: { ja: 直す, en: fix }
    assertions:
      - id: numeric
        expr: int(record.hostname) > 0
        message: { ja: 数でない, en: not a number }
`,
    });
    const own = await loadRules({ policiesDir: policies });
    expect(own.problems).toEqual([]);
    const r = await checkWith(own, { evidenceDir: BASE_FIXTURE, asOf: '2026-11-24' });
    const errors = r.findings.filter((f) => f.ruleId === 'hostname-number' && f.outcome === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.code).toBe('rule/evaluation-error');
  });
});
