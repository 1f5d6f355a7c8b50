import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/problems.js';

/**
 * Lists the YAML files below `dir` (recursively), as paths relative to `dir` with '/' separators,
 * sorted so that every run sees them in the same order. Hidden entries and node_modules are skipped.
 */
export async function listYamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    let entries;
    try {
      entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch (e) {
      if (rel === '') throw new UsageError(`directory not found or unreadable: ${dir}`);
      throw e;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(child);
      else if (/\.ya?ml$/i.test(e.name)) out.push(child);
    }
  };
  await walk('');
  return out.sort();
}
