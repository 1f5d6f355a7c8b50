/**
 * The bounds on what kitei reads.
 * Evidence parsing keeps about 2 bytes per byte of evidence (src/core/indexed-yaml.ts), but the
 * records as CEL values, the findings and the report still bring a check to tens of bytes per
 * byte at its peak (see docs/performance.md), so the default total keeps a run inside Node's
 * default heap (about 4 GB here); raising it may need a larger heap (NODE_OPTIONS=--max-old-space-size=…). Past each of them a file is not judged and a coded problem says
 * which bound it crossed: input must never exhaust memory, overflow the stack or hang the run.
 * The defaults are documented in the README ("Limits"); `--max-file-size`, `--max-total-size`
 * and `--max-records` raise the first three.
 */
export interface InputLimits {
  /** Largest single file read, in bytes. */
  fileBytes: number;
  /** Largest total of all evidence files read in one run, in bytes; files past it are not read. */
  totalBytes: number;
  /** Most records in one evidence file. */
  recordsPerFile: number;
  /** Deepest nesting of mappings and sequences in any YAML file. A register needs fewer than 10. */
  depth: number;
  /** Most nodes aliases may add to a YAML file by expanding (policy and test files; evidence has none). */
  aliasExpansion: number;
  /** Longest wait for one file's bytes (a network mount, a file still being written). */
  readTimeoutMs: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  fileBytes: 32 * 2 ** 20,
  totalBytes: 32 * 2 ** 20,
  recordsPerFile: 100_000,
  depth: 64,
  aliasExpansion: 100_000,
  readTimeoutMs: 30_000,
};

/** Reads a size such as `64M`, `512MiB`, `1G`, `2000k` or a plain number of bytes. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(i?b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const bytes = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** A size as people read it: 64 MiB, 1.5 GiB, 800 KiB, 12 B. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} B`;
}
