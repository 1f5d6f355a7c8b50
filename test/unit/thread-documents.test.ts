import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/core/limits.js';
import { loadSchemaSet } from '../../src/schema/registry.js';
import { DEFAULT_SCHEMAS_DIR } from '../../src/defaults.js';
import { readEvidenceFile } from '../../src/evidence/load.js';
import type { EvidenceDocument } from '../../src/evidence/document.js';
import { receiveDocument, shareDocument } from '../../src/threads/shared.js';

/**
 * A document sent from one thread to another (src/threads/shared.ts) must come back as the
 * reading thread holds it: value, records and their validity, positions.
 */
const schemas = await loadSchemaSet(DEFAULT_SCHEMAS_DIR);

async function read(text: string, limits = DEFAULT_LIMITS): Promise<EvidenceDocument> {
  const reading = await readEvidenceFile({ abs: '/nonexistent/terminals.yaml', shown: 'terminals.yaml', read: { text } }, schemas, limits);
  expect(reading.doc).toBeDefined();
  return reading.doc!;
}

function roundTrip(doc: EvidenceDocument, text: string): EvidenceDocument {
  const shared = shareDocument(7, doc)!;
  expect(shared).toBeDefined();
  // What postMessage does to it.
  return receiveDocument(structuredClone(shared), 'terminals.yaml', text);
}

function expectSame(back: EvidenceDocument, doc: EvidenceDocument) {
  expect(back.value).toStrictEqual(doc.value);
  expect(back.records).toStrictEqual(doc.records);
  expect([back.register, back.capturedAt, back.valid]).toEqual([doc.register, doc.capturedAt, doc.valid]);
  for (const p of ['', '/records/0', '/records/1/hostname', '/records/1/nope']) expect(back.source.locate(p)).toEqual(doc.source.locate(p));
}

const TERMINALS = `\uFEFFregister: terminals
capturedAt: "2026-11-20"
records:
  - id: T-001
    hostname: KENPO-PC001
    kind: desktop
  - id: T-002
    hostname: 42
    kind: laptop
    installedOn: 令和5年4月1日
  - just a string
`;

describe('documents shared between threads', () => {
  it('come back with their values, invalid records (and which fields) and positions', async () => {
    const doc = await read(TERMINALS);
    expect(doc.records.some((r) => r.invalidFields)).toBe(true);
    expect(doc.records[2]!.valid).toBe(false);
    expect(shareDocument(0, doc)!.json).toBeDefined();
    expectSame(roundTrip(doc, TERMINALS), doc);
  });

  it('carry numbers JSON would change (-0, .nan, .inf) and a __proto__ key as themselves', async () => {
    const text = `register: terminals\ncapturedAt: "2026-11-20"\nrecords:\n  - id: T-001\n    a: -0\n    b: .nan\n    c: -.inf\n    __proto__: {x: 1}\n`;
    const doc = await read(text);
    const shared = shareDocument(0, doc)!;
    expect(shared.json).toBeUndefined();
    const back = roundTrip(doc, text);
    expect(Object.is(back.records[0]!.value.a, -0)).toBe(true);
    expect(back.records[0]!.value.b).toBeNaN();
    expect(back.records[0]!.value.c).toBe(-Infinity);
    expect(Object.getPrototypeOf(back.records[0]!.value)).toBe(Object.prototype);
    expect(Object.keys(back.records[0]!.value)).toEqual(Object.keys(doc.records[0]!.value));
  });

  it('keep a file with too many records without records', async () => {
    const doc = await read(TERMINALS, { ...DEFAULT_LIMITS, recordsPerFile: 2 });
    expect(doc.records).toEqual([]);
    const back = roundTrip(doc, TERMINALS);
    expect(back.records).toEqual([]);
    expect(back.valid).toBe(false);
  });
});
