import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/findings.js';
import { withLineEnds } from '../../src/core/line-ends.js';
import { makeTree } from '../harness/tree.js';

/** The end of a finding's region: the end of its start line, trailing blanks left out, never before the start. */
const at = (file: string, line: number, column: number): Finding => ({
  ruleId: 'r',
  outcome: 'fail',
  severity: 'high',
  message: { ja: 'x', en: 'x' },
  location: { file, pointer: '', line, column },
});

describe('withLineEnds', () => {
  it('ends each region at the end of its line, in UTF-16 code units, whatever the line breaks', async () => {
    const dir = makeTree({ 'a.yaml': '\uFEFFid: T-001   \r\nname: 端末😀\rlast: x\n\n' });
    const file = path.join(dir, 'a.yaml');
    const ends = (await withLineEnds([at(file, 1, 5), at(file, 2, 7), at(file, 3, 1), at(file, 4, 1), at(file, 1, 30)])).map((f) => [f.location!.endLine, f.location!.endColumn]);
    expect(ends).toEqual([[1, 10], [2, 11], [3, 8], [4, 1], [1, 30]]);
  });
  it('leaves a finding without an end where its file cannot be read, or its line does not exist', async () => {
    const dir = makeTree({ 'a.yaml': 'x: 1\n' });
    const out = await withLineEnds([at(path.join(dir, 'missing.yaml'), 1, 1), at(dir, 1, 1), at(path.join(dir, 'a.yaml'), 9, 1)]);
    expect(out.map((f) => f.location!.endColumn)).toEqual([undefined, undefined, undefined]);
  });
});
