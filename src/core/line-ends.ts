import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Finding, Location } from './findings.js';

/** Files larger than this are not read again for line ends (the loader refuses far smaller ones). */
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * Gives every located finding that has none the end of its region: `endLine`/`endColumn`, the end
 * of the line it starts on (trailing blanks left out; never before the start). Most findings have
 * it already, from the YAML node they point at (core/source.ts regionEnd); these are the others:
 * an empty value, a problem of a file that could not be parsed. SARIF and GitHub annotations
 * want a region with an end, and a saved JSON report must carry it because `kitei report` never
 * reads the evidence again. Each file a finding points into is read once, and only a regular
 * file (a FIFO or device named like YAML is reported by the loader and never opened here); a file
 * that cannot be read leaves its findings without an end. Columns count UTF-16 code units, as
 * the start column does.
 */
export async function withLineEnds(findings: readonly Finding[]): Promise<Finding[]> {
  // Findings whose reader gave the region's end already (the node's text) keep it.
  const files = [...new Set(findings.flatMap((f) => (f.location && f.location.endLine === undefined ? [f.location.file] : [])))].sort();
  const tables = new Map<string, LineTable | undefined>();
  for (const file of files) tables.set(file, await readLineTable(file));
  return findings.map((f) => {
    if (f.location?.endLine !== undefined) return f;
    const table = f.location ? tables.get(f.location.file) : undefined;
    const end = table ? lineEnd(table, f.location!) : undefined;
    if (!end) return f;
    const { file, pointer, line, column } = f.location!;
    return { ...f, location: { file, pointer, line, column, ...end } };
  });
}

interface LineTable {
  text: string;
  /** Offset in `text` where each line starts, and where it ends (before its line break). */
  starts: number[];
  ends: number[];
}

async function readLineTable(file: string): Promise<LineTable | undefined> {
  try {
    const abs = path.resolve(file);
    const st = await stat(abs);
    if (!st.isFile() || st.size > MAX_BYTES) return undefined;
    let text = (await readFile(abs)).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const starts = [0];
    const ends: number[] = [];
    // Line breaks as YAML counts them: CRLF, LF, or a lone CR.
    for (const m of text.matchAll(/\r\n|\r|\n/g)) {
      ends.push(m.index);
      starts.push(m.index + m[0].length);
    }
    ends.push(text.length);
    return { text, starts, ends };
  } catch {
    return undefined;
  }
}

function lineEnd(table: LineTable, at: Location): { endLine: number; endColumn: number } | undefined {
  const i = at.line - 1;
  if (i < 0 || i >= table.starts.length) return undefined;
  const start = table.starts[i]!;
  let end = table.ends[i]!;
  while (end > start && (table.text[end - 1] === ' ' || table.text[end - 1] === '\t')) end--;
  return { endLine: at.line, endColumn: Math.max(end - start + 1, at.column) };
}
