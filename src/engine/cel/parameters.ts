import type { ParameterType } from '../../policy/model.js';

/** Why `v` does not fit the declared parameter type, or undefined when it does. */
export function checkParameter(type: ParameterType, v: unknown): string | undefined {
  const isStrMap = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every((s) => typeof s === 'string');
  const ok = ((): boolean => {
    switch (type) {
      case 'int':
        return Number.isInteger(v);
      case 'double':
        return typeof v === 'number';
      case 'string':
        return typeof v === 'string';
      case 'bool':
        return typeof v === 'boolean';
      case 'list<string>':
        return Array.isArray(v) && v.every((x) => typeof x === 'string');
      case 'list<int>':
        return Array.isArray(v) && v.every((x) => Number.isInteger(x));
      case 'map<string, string>':
        return isStrMap(v);
      case 'map<string, int>':
        return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((n) => Number.isInteger(n));
      case 'list<map<string, string>>':
        return Array.isArray(v) && v.every(isStrMap);
    }
  })();
  return ok ? undefined : `not a ${type}`;
}

/** A checked parameter value as CEL sees it: ints as BigInt, maps as Map. */
export function toCelParameter(type: ParameterType, v: unknown): unknown {
  switch (type) {
    case 'int':
      return BigInt(v as number);
    case 'list<int>':
      return (v as number[]).map((x) => BigInt(x));
    case 'map<string, string>':
      return new Map(Object.entries(v as Record<string, string>));
    case 'map<string, int>':
      return new Map(Object.entries(v as Record<string, number>).map(([k, n]) => [k, BigInt(n)]));
    case 'list<map<string, string>>':
      return (v as Record<string, string>[]).map((m) => new Map(Object.entries(m)));
    default:
      return v;
  }
}
