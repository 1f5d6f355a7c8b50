import type { EvidenceDocument, EvidenceRecord } from '../../evidence/document.js';

/**
 * No verdicts from partial data, across registers. A record that breaks its schema is reported
 * once, and is not judged itself; but rules on *other* records look it up (by id, in a register
 * list, through a lookup). Leaving it out would make them judge as if it did not exist (a person
 * "not hired", training "not attended"); keeping its wrong values would judge garbage.
 *
 * So an invalid record stays in the evidence the rules see, as a proxy: its valid fields read as
 * usual, and reading a wrong one (or any field, when the record as a whole is wrong) is noted
 * here. The evaluator runs each target with a fresh note; a target whose evaluation read a wrong
 * field gives one "not evaluated" finding naming the invalid record instead of pass or fail. One
 * mechanism in the engine: no rule checks for it.
 */
export interface InvalidRead {
  doc: EvidenceDocument;
  record: EvidenceRecord;
}

let reads: InvalidRead[] | undefined;

/** Runs `fn`, returning what it produced and the invalid records it read (deduplicated, in order). */
export function noteInvalidReads<T>(fn: () => T): { value: T; invalid: InvalidRead[] } {
  const outer = reads;
  const mine: InvalidRead[] = [];
  reads = mine;
  try {
    const value = fn();
    return { value, invalid: unique(mine) };
  } finally {
    reads = outer;
    // A read inside also taints whatever encloses it (a lookup built during an evaluation).
    if (outer) for (const r of mine) outer.push(r);
  }
}

function unique(list: InvalidRead[]): InvalidRead[] {
  const seen = new Set<EvidenceRecord>();
  return list.filter((r) => (seen.has(r.record) ? false : (seen.add(r.record), true)));
}

function note(read: InvalidRead): void {
  reads?.push(read);
}

/**
 * The CEL value of an invalid record: `value` (its valid fields, already converted) behind a
 * proxy that notes every read of a field in `wrong` ('' = every field). `has()` is a read too:
 * whether a wrong field is present cannot be relied on either.
 */
export function taintedRecord<T extends object>(value: T, wrong: ReadonlySet<string>, read: InvalidRead): T {
  const whole = wrong.has('');
  const isWrong = (key: string | symbol) => typeof key === 'string' && key !== 'constructor' && (whole || wrong.has(key));
  return new Proxy(value, {
    get(target, key, receiver) {
      if (isWrong(key)) {
        note(read);
        return undefined;
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      if (isWrong(key)) {
        note(read);
        return false;
      }
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (isWrong(key)) {
        note(read);
        return undefined;
      }
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

/**
 * A lookup group map one of whose records could not be placed (its key field is wrong): any
 * access may be missing that record, so every access is a read of it.
 *
 * A plain Map whose own `get` and `has` note the reads, not a subclass: cel-js takes a value for a
 * map by its constructor, and refused a subclass ("Unsupported type"), which turned every rule
 * reading such a lookup into an evaluation error instead of "not evaluated" (found by running
 * the fuzzer with KITEI_CEL_VERIFY=1).
 */
export function taintedMap<K, V>(entries: Iterable<readonly [K, V]>, unplaced: readonly InvalidRead[]): Map<K, V> {
  const map = new Map<K, V>(entries);
  const get = map.get.bind(map);
  const has = map.has.bind(map);
  Object.defineProperties(map, {
    get: {
      value: (key: K): V | undefined => {
        for (const r of unplaced) note(r);
        return get(key);
      },
    },
    has: {
      value: (key: K): boolean => {
        for (const r of unplaced) note(r);
        return has(key);
      },
    },
  });
  return map;
}

/** Where the current note stands: an attempt abandoned after this point is forgotten with `forgetReadsSince`. */
export function readsMark(): number {
  return reads?.length ?? 0;
}

/**
 * Forgets the reads noted since `mark`: a compiled expression that gave up (native.ts) is evaluated
 * again by cel-js, whose reads are the ones that count.
 */
export function forgetReadsSince(mark: number): void {
  if (reads && reads.length > mark) reads.length = mark;
}

/** The reads noted since `mark` (KITEI_CEL_VERIFY compares the two evaluators' reads). */
export function readsSince(mark: number): InvalidRead[] {
  return reads ? reads.slice(mark) : [];
}
