import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from './worker.js';

/** Limits of one Wasm evaluation: wall time, the module's linear memory, and V8's heap in the worker. */
export interface WasmLimits {
  /** Milliseconds one evaluation may run before the worker is stopped (default 5000). */
  timeoutMs: number;
  /** Milliseconds loading (compiling and instantiating) one module may take (default 20000). */
  loadTimeoutMs: number;
  /** The most 64 KiB pages of linear memory a module may grow to (default 4096: 256 MiB). */
  maxPages: number;
  /** The worker's V8 old-generation heap, in MiB (default 512). */
  heapMb: number;
}

export const DEFAULT_WASM_LIMITS: WasmLimits = { timeoutMs: 5000, loadTimeoutMs: 20_000, maxPages: 4096, heapMb: 512 };

export type CallResult = WorkerResponse | { ok: false; error: string; stopped: true };

/**
 * One worker thread running Wasm policies, called synchronously: the PolicyEngine interface is
 * synchronous, and a call must be stoppable. The main thread posts the request and waits on a
 * shared flag with a time limit (Atomics.wait); on timeout it terminates the worker (which
 * interrupts even a Wasm loop) and starts a new one on the next call, loading again the
 * policies the old one held. A worker that dies (out of memory) is found the same way.
 */
export class WasmHost {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private flag: Int32Array | undefined;
  /** The load requests that succeeded, replayed in a new worker. */
  private readonly loads = new Map<string, Extract<WorkerRequest, { op: 'load' }>>();

  constructor(readonly limits: WasmLimits = DEFAULT_WASM_LIMITS) {}

  private start(): void {
    const signal = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    // Run from the TypeScript sources (vitest, tsx), the built worker is used (as for threads/host.ts).
    const here = import.meta.url;
    const file = here.endsWith('.ts') ? new URL('../../../dist/engine/wasm/worker.js', here) : new URL('./worker.js', here);
    const worker = new Worker(file, {
      workerData: { kiteiWasm: true, port: port2, signal },
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb, maxYoungGenerationSizeMb: 64 },
    });
    worker.on('error', () => undefined);
    // Neither the worker nor its port keeps the process alive: a command that loaded Wasm rules
    // (rules, explain, check) ends when its own work does.
    worker.unref();
    port1.unref();
    this.worker = worker;
    this.port = port1;
    this.flag = new Int32Array(signal);
    for (const load of this.loads.values()) {
      const r = this.send(load, this.limits.loadTimeoutMs);
      if (!r.ok) this.loads.delete(load.key);
      if (!this.worker) return;
    }
  }

  private send(req: WorkerRequest, timeoutMs: number): CallResult {
    const flag = this.flag!;
    Atomics.store(flag, 0, 0);
    this.port!.postMessage(req);
    const waited = Atomics.wait(flag, 0, 0, timeoutMs);
    const got = receiveMessageOnPort(this.port!);
    if (got) return got.message as WorkerResponse;
    this.stop();
    return { ok: false, stopped: true, error: waited === 'timed-out' ? `stopped after ${timeoutMs} ms (time limit)` : 'the worker stopped (memory limit)' };
  }

  /** Loads a module (bytes and data) under `key`; the answer names its entrypoints and declared builtins. */
  load(key: string, wasm: Uint8Array<ArrayBuffer>, data: unknown): CallResult {
    if (!this.worker) this.start();
    if (!this.worker) return { ok: false, stopped: true, error: 'the worker could not be started again' };
    const req = { op: 'load', key, wasm, data, maxPages: this.limits.maxPages } as const;
    const r = this.send(req, this.limits.loadTimeoutMs);
    if (r.ok) this.loads.set(key, req);
    return r;
  }

  /** Evaluates an entrypoint of a loaded module on one input (JSON text). */
  evaluate(key: string, entrypoint: string | number, input: string): CallResult {
    if (!this.worker) this.start();
    if (!this.worker) return { ok: false, stopped: true, error: 'the worker could not be started again' };
    return this.send({ op: 'eval', key, entrypoint, input }, this.limits.timeoutMs);
  }

  private stop(): void {
    void this.worker?.terminate();
    this.port?.close();
    this.worker = undefined;
    this.port = undefined;
  }

  close(): void {
    this.stop();
  }
}
