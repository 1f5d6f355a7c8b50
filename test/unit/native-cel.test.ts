import { Environment, Optional } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { registerLibrary } from '../../src/engine/cel/functions.js';
import { compileNative, FIELD_TYPES, nativeGap, withCelFallback } from '../../src/engine/cel/native.js';
import { noteInvalidReads, taintedMap, taintedRecord } from '../../src/engine/cel/taint.js';
import type { EvidenceDocument, EvidenceRecord } from '../../src/evidence/document.js';

/**
 * CEL compiled to JavaScript (src/engine/cel/native.ts) against cel-js, the reference: on the
 * same expression and variables, the compiled closure gives cel-js's value, or gives up and the
 * fallback gives cel-js's value or its very error. The cases are CEL's edge cases: missing fields,
 * errors absorbed by `||`, `&&`, `exists` and `all`, integer overflow, indexes out of range,
 * optionals, `has()` through paths, comprehensions, `cel.bind`, invalid records' reads.
 * (policy-cases.test.ts runs every shipped rule case with KITEI_CEL_VERIFY=1, both ways.)
 */

class Item {}
class Rec {}
class Inner {}
const fields = {
  Item: { a: 'int', s: 'string' },
  Inner: { b: 'string', deep: 'Item' },
  Rec: { x: 'string', n: 'int', d: 'double', ok: 'bool', items: 'list<Item>', tags: 'list<string>', m: 'map<string, int>', inner: 'Inner', extra: 'map<string, dyn>' },
};
const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
registerLibrary(env, { enforcedOn: '2018-04-01' });
for (const [name, ctor] of [['Item', Item], ['Inner', Inner], ['Rec', Rec]] as const) {
  Object.defineProperty(ctor, FIELD_TYPES, { value: fields[name] });
  env.registerType(name, { ctor, fields: fields[name] });
}
env.registerVariable('record', 'Rec').registerVariable('asOf', 'string');

const item = (a: bigint, s?: string) => Object.assign(new Item(), { a, ...(s !== undefined ? { s } : {}) });
function rec(values: Record<string, unknown>): Rec {
  return Object.assign(new Rec(), values);
}
const full = rec({
  x: 'a',
  n: 5n,
  d: 1.5,
  ok: true,
  items: [item(1n, 'p'), item(2n)],
  tags: ['t1', 't2'],
  m: new Map([['k', 1n]]),
  inner: Object.assign(new Inner(), { b: 'B', deep: item(7n) }),
  extra: new Map<string, unknown>([['k', 1n]]),
});
const sparse = rec({ x: 'z', items: [], tags: [] });
const huge = rec({ x: 'a', n: 9223372036854775807n, items: [item(1n)], tags: [], m: new Map() });

type Outcome = { value: unknown } | { error: string };
function outcome(fn: () => unknown): Outcome {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: String((e as Error).message).split('\n')[0]! };
  }
}
function comparable(o: Outcome): unknown {
  if (!('value' in o)) return o;
  const v = o.value;
  return v instanceof Optional ? { optional: v.hasValue() ? v.value() : 'none' } : o;
}

/** The expression both ways on each record: the compiled one (with its fallback) must equal cel-js, and says whether it answered itself. */
function both(text: string, records: Rec[]): { answered: boolean[]; outcomes: Outcome[] } {
  const cel = env.parse(text);
  const checked = cel.check();
  if (!checked.valid) throw new Error(`${text}: ${checked.error?.message}`);
  const native = compileNative(cel.ast);
  if (!native) throw new Error(`${text} is not compiled: ${nativeGap(cel.ast)}`);
  const run = withCelFallback(cel, native, text);
  const answered: boolean[] = [];
  const outcomes: Outcome[] = [];
  for (const record of records) {
    const vars = { record, asOf: '2026-11-24' };
    const reference = outcome(() => cel(vars));
    const mine = outcome(() => run(vars));
    expect(comparable(mine), `${text} on ${JSON.stringify(Object.keys(record))}`).toEqual(comparable(reference));
    answered.push('value' in outcome(() => native(vars)));
    outcomes.push(reference);
  }
  return { answered, outcomes };
}

describe('compiled CEL gives cel-js values, and cel-js errors through the fallback', () => {
  const records = [full, sparse, huge];
  const cases: [string, boolean[]][] = [
    // [expression, whether the compiled closure answers on full, sparse, huge]
    ['has(record.x) && record.x == "a"', [true, true, true]],
    ['has(record.inner)', [true, true, true]],
    ['has(record.inner.b)', [true, false, false]], // no inner: an error before the last field
    ['has(record.inner.deep.a)', [true, false, false]],
    ['record.n + 1 > 5', [true, false, false]], // huge: integer overflow
    ['record.n - 1 == 4 && record.n * 2 == 10 && record.n / 2 == 2 && record.n % 2 == 1', [true, false, false]],
    ['-record.n < 0', [true, false, true]],
    ['record.d * 2.0 == 3.0 && record.d + 0.5 == 2.0', [true, false, false]],
    ['record.items[1].a == 2', [true, false, false]], // index out of range
    ['record.items[?1].hasValue()', [true, true, true]],
    ['record.items[?0].?s.orValue("none") == "p"', [true, true, true]],
    ['record.?inner.?b.orValue("-")', [true, true, true]],
    ['record.?inner.or(optional.none()).hasValue()', [true, true, true]],
    ['record.m["k"] == 1', [true, false, false]], // a missing key
    ['"k" in record.m', [true, false, true]],
    ['"t2" in record.tags', [true, true, true]],
    ['record.x == "a" || record.m["k"] == 1', [true, true, true]], // the error is absorbed where the left decides
    ['record.m["k"] == 1 || record.x == "a"', [true, false, true]],
    ['record.m["k"] == 1 && record.x == "a"', [true, false, false]],
    ['record.m["k"] == 2 && record.x == "q"', [true, true, false]], // an error and false: false
    ['record.items.exists(i, i.s == "p")', [true, true, false]], // huge: the item without s errors, nothing decides
    ['record.items.exists(i, i.a == 2 || i.s == "p")', [true, true, false]],
    ['record.items.all(i, i.s == "p")', [false, true, false]], // full: the second item has no s, and no item decides
    ['record.items.all(i, i.s == "q")', [true, true, false]], // full: false decides, the error is absorbed
    ['record.items.all(i, i.a > 5 && i.s == "x")', [true, true, true]],
    ['record.items.map(i, i.a * 10).size() == 2', [true, true, true]],
    ['record.items.filter(i, i.a > 1).map(i, i.a) == [2]', [true, true, true]],
    ['record.tags != ["t1"]', [true, true, true]],
    ['record.tags.map(t, t + "!") + ["x"]', [true, true, true]],
    ['record.m.exists(k, k == "k")', [true, false, true]],
    ['cel.bind(z, record.n + 1, z * z) == 36', [true, false, false]],
    ['record.ok ? record.x : "no"', [true, false, false]],
    ['!record.ok', [true, false, false]],
    ['size(record.x) + record.x.size() == 2', [true, true, true]],
    ['record.x.substring(0, 1) == "a"', [true, false, true]],
    ['addDays(asOf, record.n) == "2026-11-29"', [true, false, true]],
    ['record.x < "b" && record.x <= "a" && record.x >= "a" && !(record.x > "a")', [true, true, true]],
  ];
  for (const [text, expected] of cases) {
    it(text, () => {
      const { answered } = both(text, records);
      expect(answered.slice(0, 1), 'the compiled closure answers on a complete record').toEqual(expected.slice(0, 1));
    });
  }

  it('gives up (and cel-js answers) exactly where cel-js raises an error', () => {
    for (const [text] of cases) {
      const { answered, outcomes } = both(text, records);
      outcomes.forEach((o, i) => {
        if (!('value' in o)) expect(answered[i], `${text} on record ${i}: cel-js raised "${o.error}", the closure must not answer`).toBe(false);
      });
    }
  });

  it('leaves to cel-js what it does not compile (equality through dyn, timestamps)', () => {
    for (const text of ['record.extra.k == 1', 'timestamp("2026-01-01T00:00:00Z") < timestamp("2026-01-02T00:00:00Z")']) {
      const cel = env.parse(text);
      expect(cel.check().valid).toBe(true);
      expect(compileNative(cel.ast), text).toBeUndefined();
      expect(nativeGap(cel.ast)).toMatch(/dyn|Timestamp/);
    }
  });
});

describe('reads of invalid records', () => {
  const doc = {} as EvidenceDocument;
  const wrongRecord = { id: 'R-2' } as EvidenceRecord;
  const tainted = taintedRecord(rec({ x: 'a', n: 5n, items: [], tags: [] }), new Set(['n']), { doc, record: wrongRecord });

  it('through a lookup map with a record it could not place: cel-js takes the map, and both note the read', () => {
    const lookupEnv = new Environment({ enableOptionalTypes: true });
    lookupEnv.registerVariable('groups', 'map<string, list<string>>');
    const groups = taintedMap<string, string[]>([['S-001', ['TR-002']]], [{ doc, record: wrongRecord }]);
    for (const text of ['groups[?"S-001"].orValue([]).size() == 1', '"S-002" in groups', 'groups["S-001"][0] == "TR-002"']) {
      const cel = lookupEnv.parse(text);
      expect(cel.check().valid).toBe(true);
      const run = withCelFallback(cel, compileNative(cel.ast)!, text);
      const reference = noteInvalidReads(() => outcome(() => cel({ groups })));
      const mine = noteInvalidReads(() => outcome(() => run({ groups })));
      expect('value' in reference.value, `${text}: cel-js ${JSON.stringify(reference.value)}`).toBe(true);
      expect(mine.value, text).toEqual(reference.value);
      expect(mine.invalid.map((r) => r.record.id), text).toEqual(['R-2']);
      expect(reference.invalid.map((r) => r.record.id), text).toEqual(['R-2']);
    }
  });

  it('are noted the same way, and an abandoned attempt leaves none behind', () => {
    for (const text of ['record.x == "a" || record.n == 5', 'record.n == 5 || record.x == "a"', 'has(record.n)', 'record.x == "b" && record.n == 5', 'record.?n.orValue(0) == 0']) {
      const cel = env.parse(text);
      cel.check();
      const run = withCelFallback(cel, compileNative(cel.ast)!, text);
      const reference = noteInvalidReads(() => outcome(() => cel({ record: tainted })));
      const mine = noteInvalidReads(() => outcome(() => run({ record: tainted })));
      expect(mine.value, text).toEqual(reference.value);
      expect(mine.invalid.map((r) => r.record.id), text).toEqual(reference.invalid.map((r) => r.record.id));
    }
  });
});
