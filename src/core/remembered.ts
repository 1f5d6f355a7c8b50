/**
 * A pure function of a string, remembered. Evaluation asks the same questions over and over (a
 * vendor's name in every contract, the same retention end in every backup, 「該当なし」 in every
 * report), and the answers (NFKC normalisation, Temporal's calendar) cost far more than a lookup.
 * The memory is bounded: past `limit` keys it starts again. `f` must not return undefined (that is
 * how a key not yet asked is told apart); one that throws remembers nothing.
 */
export function remembered<T>(f: (key: string) => T, limit: number): (key: string) => T {
  const memory = new Map<string, T>();
  return (key) => {
    let out = memory.get(key);
    if (out === undefined) {
      out = f(key);
      if (memory.size >= limit) memory.clear();
      memory.set(key, out);
    }
    return out;
  };
}
