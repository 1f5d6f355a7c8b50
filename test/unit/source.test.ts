import { describe, expect, it } from 'vitest';
import { SourceFile, scalarValueOffset, formatPointer, parsePointer } from '../../src/core/source.js';

const text = `register: terminals
capturedAt: "2026-11-20"
records:
  - id: T-001
    screenLock:
      method: password-lock
      idleMinutes: 10
  - { id: T-002, kind: laptop }
`;

describe('SourceFile.locate (JSON pointer → 1-based line and column)', () => {
  const f = new SourceFile('evidence/terminals.yaml', text);
  it('points at the key of a mapping entry', () => {
    // The region runs from the key to the end of its value: `idleMinutes: 10`.
    expect(f.locate('/records/0/screenLock/idleMinutes')).toEqual({ file: 'evidence/terminals.yaml', pointer: '/records/0/screenLock/idleMinutes', line: 7, column: 7, endLine: 7, endColumn: 22 });
  });
  it('ends a region at the end of the node: a record, a flow mapping, the whole file', () => {
    expect(f.locate('/records/0')).toMatchObject({ line: 4, column: 5, endLine: 7, endColumn: 22 });
    expect(f.locate('/records/1')).toMatchObject({ line: 8, column: 5, endLine: 8, endColumn: 32 });
    expect(f.locate('')).toMatchObject({ line: 1, column: 1, endLine: 8, endColumn: 32 });
  });
  it('points at the first key of a sequence item for a record', () => {
    expect(f.locate('/records/0')).toMatchObject({ line: 4, column: 5 });
  });
  it('handles flow mappings', () => {
    expect(f.locate('/records/1/kind')).toMatchObject({ line: 8, column: 18 });
  });
  it('falls back to the nearest existing ancestor for an absent field, and says so', () => {
    expect(f.locate('/records/1/screenLock/idleMinutes')).toMatchObject({ pointer: '/records/1', line: 8, column: 5 });
  });
  it('the root is the first line', () => {
    expect(f.locate('')).toMatchObject({ line: 1, column: 1 });
  });
});

describe('pointers', () => {
  it('escape ~ and / as RFC 6901 says', () => {
    expect(formatPointer(['a/b', 'c~d', 0])).toBe('/a~1b/c~0d/0');
    expect(parsePointer('/a~1b/c~0d/0')).toEqual(['a/b', 'c~d', '0']);
  });
});

describe('scalarValueOffset (a position inside a CEL expression → the policy file)', () => {
  it('maps into a block scalar line by line', () => {
    const src = 'expr: |\n  a &&\n  record.x\n';
    const f = new SourceFile('p.yaml', src);
    const node = f.valueNode('/expr')!;
    const off = scalarValueOffset(f, node, 'a &&\n'.length + 'record.'.length);
    expect(f.position(off)).toEqual({ line: 3, column: 10 });
  });
  it('skips the quote of a quoted scalar', () => {
    const f = new SourceFile('p.yaml', "expr: 'record.x'\n");
    expect(f.position(scalarValueOffset(f, f.valueNode('/expr')!, 7))).toEqual({ line: 1, column: 15 });
  });
});
