/**
 * One fuzzing worker thread, seen from the parent: runs a job with a time bound, and when the
 * bound passes (a hang) or the thread dies (out of memory, an error nobody caught) reports that
 * as the job's verdict, then starts a fresh thread for the next job.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, Job, Verdict, WorkerInit } from './protocol.js';
import { normaliseMessage } from './signature.js';

/** Loading and compiling the rules; generous, since the other test files share the two cores. */
const STARTUP_MS = 180_000;
/** Heap of one worker, about Node's default: what exhausts it would crash the CLI too, and dies here, not in the test process. */
const HEAP_MB = 4096;
/**
 * Stack of one worker: about the main thread's (V8's default, just under 1 MB), where `kitei`
 * runs. A worker's default is 4 MB, on which a deep recursion goes further (and, in the yaml
 * parser, can take minutes) than it ever would in the CLI.
 */
const STACK_MB = 1;

export class FuzzWorker {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private dirs: { base: string; tree: string; alone: string } | undefined;
  private pending: { id: number; settle: (v: Verdict) => void } | undefined;
  private nextId = 1;
  /** How many times a thread was started (the first start included). */
  starts = 0;

  constructor(private readonly init: WorkerInit) {}

  async run(job: Omit<Job, 'id'>, timeoutMs: number): Promise<Verdict> {
    if (!this.worker) this.start();
    await this.ready;
    const worker = this.worker!;
    const id = this.nextId++;
    return new Promise<Verdict>((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.unblockPipes(job);
        void this.stop();
        resolve({ ok: false, kind: 'hang', message: `no result within ${timeoutMs} ms`, signature: 'hang' });
      }, timeoutMs);
      this.pending = {
        id,
        settle: (v) => {
          clearTimeout(timer);
          this.pending = undefined;
          resolve(v);
        },
      };
      worker.postMessage({ type: 'job', job: { ...job, id } });
    });
  }

  /** Terminates the thread (if any) and removes its temporary directories. */
  async stop(): Promise<void> {
    const w = this.worker;
    const dirs = this.dirs;
    this.worker = undefined;
    this.ready = undefined;
    this.dirs = undefined;
    if (w) await w.terminate();
    if (dirs) await rm(dirs.base, { recursive: true, force: true });
  }

  /**
   * A read blocked on a named pipe holds one of the process's few libuv threads even after its
   * worker is gone; opening the pipe for writing and closing it gives the reader its end of file.
   */
  private unblockPipes(job: Omit<Job, 'id'>): void {
    if (!this.dirs) return;
    for (const op of job.ops) {
      if (op.op !== 'fifo') continue;
      try {
        closeSync(openSync(path.join(job.alone ? this.dirs.alone : this.dirs.tree, op.rel), constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // No reader (ENXIO) or no pipe: nothing is blocked on it.
      }
    }
  }

  private start(): void {
    this.starts++;
    const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: this.init, resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, stackSizeMb: STACK_MB } });
    this.worker = w;
    this.ready = new Promise<void>((resolve, reject) => {
      const startup = setTimeout(() => reject(new Error(`the fuzz worker did not start within ${STARTUP_MS} ms`)), STARTUP_MS);
      w.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          clearTimeout(startup);
          this.dirs = m.dirs;
          resolve();
        } else if (m.type === 'fatal') {
          clearTimeout(startup);
          reject(new Error(m.message));
        } else if (m.type === 'done' && this.pending?.id === m.id) this.pending.settle(m.verdict);
      });
      w.on('error', (e: Error & { code?: string }) => {
        clearTimeout(startup);
        if (this.pending) {
          this.pending.settle({ ok: false, kind: 'crash', message: `the worker died: ${e.name}${e.code ? ` ${e.code}` : ''}: ${e.message.split('\n')[0]}`, detail: e.stack, signature: `crash ${e.code ?? e.name}: ${normaliseMessage(e.message)}` });
        } else reject(e);
        if (this.worker === w) void this.stop();
      });
      w.on('exit', (code) => {
        clearTimeout(startup);
        if (this.worker !== w) return;
        if (this.pending) this.pending.settle({ ok: false, kind: 'crash', message: `the worker exited with code ${code}`, signature: `crash exit ${code}` });
        else reject(new Error(`the fuzz worker exited with code ${code} while starting`));
        void this.stop();
      });
    });
    // A failure to start is reported by run(); do not let it count as an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
  }
}
