import { cpSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A temporary directory with the given files (relative path → text), optionally on top of a copy of `from`. */
export function makeTree(files: Record<string, string>, from?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kitei-'));
  if (from) cpSync(from, dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Every file below `dir` with its size and modification time, to prove nothing was written. */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const p = path.join(dir, rel, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(path.join(rel, name));
      else out.push(`${path.join(rel, name)} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk('');
  return out;
}

export const BASE_FIXTURE = path.resolve(import.meta.dirname, '../../policies/tests/base');
export const REPO = path.resolve(import.meta.dirname, '../..');
