/**
 * Appends every item of `items` to `target`. A spread into push() passes each item as an
 * argument and overflows the call stack past about 100,000 items, which a large register's
 * findings easily reach; a loop has no such limit.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest number of a list (or `fallback` when it is empty), without spreading it into Math.max. */
export function maxOf(values: Iterable<number>, fallback = 0): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max === -Infinity ? fallback : max;
}

/** The smallest number of a list (or `fallback` when it is empty), without spreading it into Math.min. */
export function minOf(values: Iterable<number>, fallback = 0): number {
  let min = Infinity;
  for (const v of values) if (v < min) min = v;
  return min === Infinity ? fallback : min;
}
