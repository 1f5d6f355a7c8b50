import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from './findings.js';
import { displayPath } from './paths.js';
import { fileProblemCode, problemFinding, UsageError, type FileKind } from './problems.js';

export interface ListOptions {
  /** Follow symbolic links whose target lies outside the directory (refused by default). */
  followSymlinks?: boolean;
  /** Descend into subdirectories (default true). */
  recursive?: boolean;
}

export interface FileListing {
  /** YAML files below the directory, relative to it with '/' separators, sorted. */
  files: string[];
  /** Entries named like YAML that are not read: special files, links out of the directory, broken links. */
  problems: Finding[];
}

const YAML_NAME = /\.ya?ml$/i;

/**
 * Lists the YAML files below `dir`, sorted so that every run sees them in the same order.
 * Hidden entries and node_modules are skipped. Only regular files are listed: a FIFO would block
 * the reader forever and a device never ends, so an entry named like YAML that is neither a file
 * nor a directory is a problem at its path. A symbolic link is followed only while its target
 * stays inside `dir` (unless `followSymlinks`): a link to a file elsewhere would otherwise have
 * kitei read, and perhaps quote, something that is not evidence. Directory cycles through links
 * are walked once.
 */
export async function listYamlFiles(dir: string, kind: FileKind, options: ListOptions = {}): Promise<FileListing> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new UsageError(`directory not found or unreadable: ${dir}`);
  }
  const files: string[] = [];
  const problems: Finding[] = [];
  const visited = new Set<string>([root]);
  const at = (rel: string) => ({ file: displayPath(path.join(dir, rel)), pointer: '', line: 1, column: 1 });
  const inside = (real: string) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

  const walk = async (rel: string) => {
    let entries;
    try {
      entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch (e) {
      problems.push(problemFinding(fileProblemCode(kind, 'unreadable'), at(rel), { detail: (e as NodeJS.ErrnoException).code ?? 'error' }));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      const abs = path.join(dir, child);
      const yamlNamed = YAML_NAME.test(e.name);
      if (e.isSymbolicLink()) {
        let real: string;
        let target;
        try {
          real = await realpath(abs);
          target = await stat(real);
        } catch (err) {
          if (yamlNamed) problems.push(problemFinding(fileProblemCode(kind, 'broken-symlink'), at(child), { detail: (err as NodeJS.ErrnoException).code ?? 'error' }));
          continue;
        }
        if (!target.isDirectory() && !yamlNamed) continue;
        if (!inside(real) && !options.followSymlinks) {
          problems.push(problemFinding(fileProblemCode(kind, 'symlink-outside'), at(child), { target: real.split(path.sep).join('/'), root: displayPath(dir) }));
          continue;
        }
        if (target.isDirectory()) {
          if (options.recursive === false || visited.has(real)) continue;
          visited.add(real);
          await walk(child);
        } else if (target.isFile()) files.push(child);
        else problems.push(problemFinding(fileProblemCode(kind, 'not-a-regular-file'), at(child), { type: fileType(target) }));
        continue;
      }
      if (e.isDirectory()) {
        if (options.recursive === false) continue;
        const real = await realpath(abs).catch(() => abs);
        if (visited.has(real)) continue;
        visited.add(real);
        await walk(child);
      } else if (yamlNamed) {
        if (e.isFile()) files.push(child);
        else problems.push(problemFinding(fileProblemCode(kind, 'not-a-regular-file'), at(child), { type: fileType(e) }));
      }
    }
  };
  await walk('');
  return { files: files.sort(), problems };
}

/** What a special file is, in words. */
export function fileType(st: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isDirectory(): boolean }): string {
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isDirectory()) return 'directory';
  return 'special file';
}
