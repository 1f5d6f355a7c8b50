import { Optional } from '@marcbachmann/cel-js';

/**
 * What compiled expressions (native.ts) use at run time: giving up, the checks of values against
 * CEL types, map reads, `has()` reads, comprehension ranges. Each mirrors the cel-js code named
 * beside it, so that a compiled expression answers as cel-js would or gives up.
 */

/** What compiled code throws when cel-js would raise an error (or might): the caller asks cel-js. */
export class NativeMiss {}
export const MISS = new NativeMiss();
export function miss(): never {
  throw MISS;
}

export const NONE = Optional.none();

/**
 * The CEL types of a message class's fields, set on the class by values.ts: `has()` reads fields
 * the checker did not annotate, and checks them as cel-js does, by the field's declared type.
 */
export const FIELD_TYPES = Symbol('kitei.celFieldTypes');

const hasOwn = (o: object, k: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A map as cel-js takes one: a Map, or a plain object. */
export function isMap(x: unknown): boolean {
  return x instanceof Map || (typeof x === 'object' && x !== null && x.constructor === Object);
}

/** A value of a map (cel-js's `#getMapField`), undefined when absent; anything else than a map gives up. */
export function mapGet(m: unknown, key: unknown): unknown {
  if (m instanceof Map) return m.get(key);
  if (typeof m === 'object' && m !== null && m.constructor === Object) return hasOwn(m, key as PropertyKey) ? (m as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  return miss();
}

const checks = new Map<string, ((x: unknown) => boolean) | undefined>();

/**
 * Whether a value is of a CEL type (cel-js's `matchesValueType`), by the type's name: `string`,
 * `list<X>`, a message's name …; undefined for types evidence never has (timestamps, bytes …).
 */
export function checkOfType(name: string): ((x: unknown) => boolean) | undefined {
  if (checks.has(name)) return checks.get(name);
  let check: ((x: unknown) => boolean) | undefined;
  // One closure per type with `typeof` against a literal, which V8 compiles to a type test (this
  // runs on every field a compiled expression reads).
  switch (name) {
    case 'dyn':
      check = () => true;
      break;
    case 'string':
      check = (x) => typeof x === 'string';
      break;
    case 'int':
      check = (x) => typeof x === 'bigint';
      break;
    case 'double':
      check = (x) => typeof x === 'number';
      break;
    case 'bool':
      check = (x) => typeof x === 'boolean';
      break;
    case 'null':
      check = (x) => x === null;
      break;
    default:
      if (name.startsWith('list<')) check = Array.isArray;
      else if (name.startsWith('map<')) check = isMap;
      else if (name.startsWith('optional<')) check = (x) => x instanceof Optional;
      else if (/^[A-Z][A-Za-z0-9_]*$/.test(name)) check = messageCheck(name);
  }
  checks.set(name, check);
  return check;
}

/**
 * A message: kitei's record classes are named after their CEL types (values.ts), and a tainted
 * record's proxy (taint.ts) answers `constructor` from its target. The class last seen is
 * remembered, so that the usual check is one comparison.
 */
function messageCheck(name: string): (x: unknown) => boolean {
  let known: unknown;
  return (x) => {
    if (typeof x !== 'object' || x === null) return false;
    const ctor = x.constructor;
    if (ctor === known) return true;
    if ((ctor as { name?: string }).name !== name) return false;
    known = ctor;
    return true;
  };
}

/**
 * A field as `has()` reads it, by the value's own type (cel-js's `debugType(o).fieldLazy`): a
 * message's declared field, checked against its declared type; a map's value. Undefined when absent.
 */
export function presentField(o: unknown, key: string): unknown {
  if (typeof o !== 'object' || o === null) return miss();
  const types = (o.constructor as { [FIELD_TYPES]?: Record<string, string> })[FIELD_TYPES];
  if (!types) return mapGet(o, key);
  const type = types[key];
  if (type === undefined) return undefined;
  const x = (o as Record<string, unknown>)[key];
  if (x === undefined) return undefined;
  return checkOfType(type)?.(x) ? x : miss();
}

/** What a comprehension iterates (cel-js's `toIterable`): a list's items, a map's keys. */
export function iterationItems(coll: unknown): unknown[] {
  if (Array.isArray(coll)) return coll;
  if (coll instanceof Map) return Array.from(coll.keys());
  if (typeof coll === 'object' && coll !== null && coll.constructor === Object) return Object.keys(coll);
  return miss();
}

/** `==` on two lists of one primitive type: item by item, strictly (cel-js's isEqual on such items). */
export function listEquals(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return miss();
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A list index as cel-js takes one (an int or a double), or give up. */
export function listIndex(i: unknown): number {
  return typeof i === 'bigint' ? Number(i) : typeof i === 'number' ? i : miss();
}
