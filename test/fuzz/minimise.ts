/**
 * Shrinks a failing case to a small reproducer: first tries the mutated file alone in an empty
 * evidence directory, then removes chunks of lines, then chunks of bytes, keeping every removal
 * after which the same failure (same signature) still happens. Bounded in tries and time.
 */
import type { FuzzCase } from './mutate.js';
import { caseOps } from './mutate.js';
import type { Job, Verdict } from './protocol.js';

export interface Minimal {
  /** Whether the file alone (no other evidence, no other tree changes) reproduces the failure. */
  alone: boolean;
  target: string;
  data: Uint8Array;
  /** Whether the other changes to the tree alone (the file left as it was) reproduce the failure. */
  treeOnly: boolean;
  /** Whether the failure reproduced at all when replayed (a flaky failure may not). */
  reproduced: boolean;
  tries: number;
}

export interface Budget {
  tries: number;
  ms: number;
}

export type RunJob = (job: Omit<Job, 'id'>) => Promise<Verdict>;

/**
 * `restart` gives the next run a fresh worker: some failures (a deep recursion that overflows the
 * stack or not depending on what the JIT has compiled) only show in a thread in a certain state.
 */
export async function minimise(run: RunJob, c: FuzzCase, signature: string, budget: Budget, restart?: () => Promise<void>): Promise<Minimal> {
  const twice = signature.startsWith('nondeterminism');
  const deadline = Date.now() + budget.ms;
  let tries = 0;
  const spent = () => tries >= budget.tries || Date.now() > deadline;
  const reproduces = async (data: Uint8Array, alone: boolean): Promise<boolean> => {
    tries++;
    const ops = alone ? [{ op: 'write' as const, rel: c.target, data }] : caseOps({ ...c, data });
    const v = await run({ ops, alone, twice });
    return !v.ok && v.signature === signature;
  };

  const alone = await reproduces(c.data, true);
  if (!alone && !(await reproduces(c.data, false))) {
    await restart?.();
    if (!restart || !(await reproduces(c.data, false))) return { alone: false, treeOnly: false, target: c.target, data: c.data, reproduced: false, tries };
  }
  if (!alone && c.extra.length > 0) {
    tries++;
    const v = await run({ ops: c.extra, alone: false, twice });
    if (!v.ok && v.signature === signature) return { alone: false, treeOnly: true, target: c.target, data: c.data, reproduced: true, tries };
  }
  const test = (data: Uint8Array) => reproduces(data, alone);

  let data: Buffer = Buffer.from(c.data);
  // Lines, then blocks of bytes (about 2048 of them), then single characters once it is small.
  data = await ddmin(data, splitLines(data), test, spent);
  if (!spent() && data.length > 64) data = await ddmin(data, splitBlocks(data, Math.ceil(data.length / 2048)), test, spent);
  if (!spent() && data.length <= 4096) data = await ddmin(data, splitBlocks(data, 1), test, spent);
  return { alone, treeOnly: false, target: c.target, data: new Uint8Array(data), reproduced: true, tries };
}

/**
 * Removes chunks of units (halves, then quarters… down to single units) while the test still
 * fails; `spent` stops it early. Returns the smallest failing concatenation found.
 */
async function ddmin(data: Buffer, initial: Buffer[], test: (d: Uint8Array) => Promise<boolean>, spent: () => boolean): Promise<Buffer> {
  let units = initial;
  if (units.length < 2) return data;
  let chunk = Math.ceil(units.length / 2);
  while (chunk >= 1 && !spent()) {
    let progress = false;
    for (let i = 0; i < units.length && !spent(); ) {
      const candidate = [...units.slice(0, i), ...units.slice(i + chunk)];
      if (candidate.length > 0 && (await test(Buffer.concat(candidate)))) {
        units = candidate;
        progress = true;
      } else i += chunk;
    }
    if (!progress) {
      if (chunk === 1) break;
      chunk = Math.ceil(chunk / 2);
    } else chunk = Math.min(chunk, Math.max(1, Math.ceil(units.length / 2)));
  }
  return Buffer.concat(units);
}

function splitLines(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0a) {
      out.push(data.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < data.length) out.push(data.subarray(start));
  return out;
}

/** Blocks of about `size` bytes, never ending inside a UTF-8 sequence. */
function splitBlocks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(data.length, start + size);
    while (end < data.length && (data[end]! & 0xc0) === 0x80 && end - start < size + 4) end++;
    out.push(data.subarray(start, end));
    start = end;
  }
  return out;
}
