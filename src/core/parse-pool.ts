import type Tinypool from 'tinypool';
import type { IndexedYaml } from './indexed-yaml.js';
import type { ParseTask } from './parse-worker.js';
import { mergePieces, recordCuts } from './record-chunks.js';

/**
 * Reading evidence on several cores: worker threads (tinypool) parse files, and pieces of large
 * files (core/record-chunks.ts), the fast way, while the main thread validates what is already
 * read. What they return is exactly what core/indexed-yaml.ts gives on the main thread, so the
 * findings do not depend on how many threads read the files (test/cli/jobs.test.ts compares the
 * reports byte for byte).
 */

/**
 * About how much of a large file each piece holds (a piece is a run of whole records). Small
 * enough that what parsing a piece leaves behind dies young (at 100k records, peak memory fell
 * from 560 MiB with whole files to about 400 MiB), large enough that the pieces cost nothing.
 */
export const DEFAULT_PIECE_CHARS = 128 * 1024;

export class ParsePool {
  private constructor(
    private readonly pool: Tinypool,
    private readonly pieceChars: number,
  ) {}

  /** A pool of `threads` workers, started on first use. */
  static async create(threads: number, pieceSize = pieceChars()): Promise<ParsePool> {
    const { default: Tinypool } = await import('tinypool');
    // A worker thread runs plain Node: run from the TypeScript sources (vitest, tsx), the pool
    // uses the built worker (npm test builds first).
    const here = import.meta.url;
    const filename = (here.endsWith('.ts') ? new URL('../../dist/core/parse-worker.js', here) : new URL('./parse-worker.js', here)).href;
    return new ParsePool(new Tinypool({ filename, minThreads: 0, maxThreads: threads, idleTimeout: 1000 }), pieceSize);
  }

  /**
   * The file's value and index, or undefined when it must be read the full way. A large file is
   * read in pieces; if one piece cannot be read fast, the whole file is tried at once, as it would
   * be on one thread.
   */
  parse(text: string, maxDepth: number): Promise<IndexedYaml | undefined> {
    return parseInPieces(text, maxDepth, this.pieceChars, (task) => this.pool.run(task) as Promise<IndexedYaml | null>);
  }

  /** Pieces and files parsed so far by the workers. */
  get completed(): number {
    return this.pool.completed;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }

}

/**
 * A file's value and index, read by `run` (a worker) in pieces of about `pieceChars` when it is
 * large, or undefined when it must be read the full way. If one piece cannot be read fast, the
 * whole file is tried at once, as it would be on one thread.
 */
export async function parseInPieces(text: string, maxDepth: number, pieceChars: number, run: (task: ParseTask) => Promise<IndexedYaml | null>): Promise<IndexedYaml | undefined> {
  const cuts = recordCuts(text, pieceChars);
  if (cuts) {
    const starts = [0, ...cuts];
    // Records after the first piece sit one level less deep in their piece than in the file.
    const pieces = await Promise.all(starts.map((offset, i) => run({ text: text.slice(offset, starts[i + 1] ?? text.length), maxDepth: i === 0 ? maxDepth : maxDepth - 1 })));
    if (pieces.every((p) => p !== null)) {
      const merged = mergePieces(pieces.map((parsed, i) => ({ offset: starts[i]!, parsed: parsed! })));
      if (merged) return merged;
    }
  }
  return (await run({ text, maxDepth })) ?? undefined;
}

/** `KITEI_PIECE_CHARS`: the size of the pieces large files are cut into (a tuning and testing aid). */
export function pieceChars(): number {
  const v = Number(process.env.KITEI_PIECE_CHARS);
  return Number.isSafeInteger(v) && v > 0 ? v : DEFAULT_PIECE_CHARS;
}
