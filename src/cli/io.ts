import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { maskPersonalNumbers } from '../core/personal-number.js';
import { UsageError } from '../core/problems.js';

/**
 * Where a command's result goes: standard output, or a file written atomically. A report may come
 * in pieces; they are written one by one (to standard output, waiting when the pipe is full), and
 * a file is assembled as bytes, never as one string, then written atomically.
 */
export type Output = (text: string | Iterable<string>) => Promise<void>;

async function writeStdout(pieces: string | Iterable<string>): Promise<void> {
  for (const piece of typeof pieces === 'string' ? [pieces] : pieces) {
    // Each piece is a whole finding (or more): a personal number never straddles two pieces.
    if (!process.stdout.write(maskPersonalNumbers(piece))) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}

function bytesOf(pieces: string | Iterable<string>): Buffer {
  if (typeof pieces === 'string') return Buffer.from(maskPersonalNumbers(pieces), 'utf8');
  const parts: Buffer[] = [];
  for (const piece of pieces) parts.push(Buffer.from(maskPersonalNumbers(piece), 'utf8'));
  return Buffer.concat(parts);
}

/**
 * The directories kitei reads, which nothing it writes may land in: a report among the evidence
 * would replace a register or be read as one on the next run.
 */
export interface ReadDirectories {
  evidence?: string;
  policies?: string;
  schemas?: string;
  waivers?: string;
}

const NAMES: Record<keyof ReadDirectories, string> = { evidence: 'evidence', policies: 'policies', schemas: 'schemas', waivers: 'waivers' };

/** Writes to standard error, personal numbers masked like every other output. */
export function writeError(text: string): void {
  process.stderr.write(maskPersonalNumbers(text));
}

/**
 * Checks `--output` before anything is read or evaluated, and returns the writer. The path is
 * refused (a usage error) when it is a directory, when a parent is not a directory, or when it
 * lies inside a directory the command reads, symbolic links resolved on both sides. The file is
 * then written atomically (temporary file, fsync, rename; the temporary file removed on failure):
 * a reader never sees half a report, and a hard link to it elsewhere keeps its old bytes.
 * Every output, whatever its format, has its personal numbers (個人番号) masked on the way out.
 */
export async function openOutput(file: string | undefined, reads: ReadDirectories): Promise<Output> {
  if (file === undefined) return writeStdout;
  if (file.trim() === '') throw new UsageError('--output: the file name is empty');
  const target = await resolveTarget(file);
  for (const [key, dir] of Object.entries(reads) as [keyof ReadDirectories, string | undefined][]) {
    if (dir === undefined) continue;
    const roots = new Set([path.resolve(dir), await realpath(dir).catch(() => path.resolve(dir))]);
    for (const root of roots) {
      if (target.candidates.some((c) => isInside(c, root))) {
        throw new UsageError(`--output ${file}: inside the ${NAMES[key]} directory ${dir}; kitei never writes there. Write the report elsewhere (e.g. reports/).`);
      }
    }
  }
  return async (text) => {
    await mkdir(path.dirname(target.real), { recursive: true });
    // Imported here: most runs write to standard output.
    const { default: writeFileAtomic } = await import('write-file-atomic');
    await writeFileAtomic(target.real, bytesOf(text));
  };
}

/** The output path as given and as it really resolves (links followed, missing parts appended). */
async function resolveTarget(file: string): Promise<{ real: string; candidates: string[] }> {
  const abs = path.resolve(file);
  const st = await stat(abs).catch(() => undefined);
  if (st?.isDirectory()) throw new UsageError(`--output ${file}: is a directory; name a file`);
  if (st && !st.isFile()) throw new UsageError(`--output ${file}: is not a regular file`);
  // Walk up to the nearest part that exists, and check it is a directory.
  let existing = path.dirname(abs);
  const rest: string[] = [path.basename(abs)];
  for (;;) {
    const s = await stat(existing).catch(() => undefined);
    if (s) {
      if (!s.isDirectory()) throw new UsageError(`--output ${file}: ${existing} is not a directory`);
      break;
    }
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  const realParent = await realpath(existing).catch(() => existing);
  const real = st ? await realpath(abs).catch(() => abs) : path.join(realParent, ...rest);
  return { real, candidates: [abs, real] };
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
