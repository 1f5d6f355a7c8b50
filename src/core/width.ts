import { eastAsianWidth } from 'get-east-asian-width';

/** Display width in a terminal: 不適合 is six columns wide, not three. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += eastAsianWidth(ch.codePointAt(0)!);
  return w;
}

/** Padding by display width. */
export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(s))) + s;
}

/**
 * Rows of cells as aligned lines: each column as wide as its widest cell (display width), two
 * spaces apart, the last unpadded. `max` caps a column: a longer cell (a rule over many clauses)
 * runs on, rather than widening every row.
 */
export function alignColumns(rows: readonly (readonly string[])[], max: readonly (number | undefined)[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.min(max[i] ?? Infinity, Math.max(widths[i] ?? 0, displayWidth(cell)))));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : padEnd(cell, Math.max(widths[i]!, displayWidth(cell)) + 2))).join(''));
}
