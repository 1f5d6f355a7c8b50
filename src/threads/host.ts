import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { Loaded } from '../check.js';
import { appendAll } from '../core/arrays.js';
import type { Finding } from '../core/findings.js';
import { DEFAULT_LIMITS } from '../core/limits.js';
import type { EvaluateOptions, RuleRun } from '../engine/engine.js';
import { celEvaluation, type RuleResult } from '../engine/cel/evaluate.js';
import type { EvidenceDocument } from '../evidence/document.js';
import { evidenceSet, readEvidenceFile, readEvidenceTexts, type EvidenceSet, type FileReading, type LoadOptions } from '../evidence/load.js';
import { invalidMarks, receiveDocument, rulesKey, schemasKey, shareDocument } from './shared.js';
import type { FromWorker, ToWorker, WorkerSetup, WorkerText } from './worker.js';

/**
 * `kitei check --jobs N`: this thread and N-1 worker threads (threads/worker.ts) share both halves
 * of a check.
 *
 * - **Reading.** The files are read here in order (the total size limit counts them in that
 *   order) and then taken from a shared queue, largest first, by whichever thread is free; each
 *   file is read whole where it is taken (parse, characters, 個人番号, envelope, 和暦, schema,
 *   dates: evidence/load.ts's `readEvidenceFile`) and sent to every other thread in a compact form
 *   (threads/shared.ts). What needs all files (templates, ids, references) is done here, in file
 *   order, exactly as on one thread.
 * - **Evaluation.** Every thread then holds every document; the rules are taken from a second
 *   queue, costliest first, and their results put back in rule order, which is the order one
 *   thread gives them in: the findings, sorted, are the same byte for byte
 *   (test/cli/jobs.test.ts).
 *
 * Every thread holds a copy of the evidence, so memory grows with the number of threads. A file
 * read the full way (anchors, tags…), rules another engine evaluates (Rego) or a worker that
 * loaded other rules or schemas than this thread's make the evaluation run here alone.
 */
export class CheckThreads {
  /** The file each document was read from (its place in the listing). */
  private readonly fileOf = new Map<EvidenceDocument, number>();

  private constructor(
    private readonly helpers: Helper[],
    /** Whether the workers can evaluate: the rules are CEL's alone, the workers hold every document and the same rules. */
    private shareable: boolean,
  ) {}

  /**
   * Starts `workers` threads that load the rules as `rules` says (while this thread reads the
   * files). `evaluate`: whether they are to evaluate too (the rules are all the CEL engine's).
   */
  static start(rules: WorkerSetup['rules'], workers: number, evaluate: boolean): CheckThreads {
    // Run from the TypeScript sources (vitest, tsx), the built worker is used.
    const here = import.meta.url;
    const file = here.endsWith('.ts') ? new URL('../../dist/threads/worker.js', here) : new URL('./worker.js', here);
    return new CheckThreads(Array.from({ length: workers }, () => new Helper(new Worker(file, { workerData: { rules } satisfies WorkerSetup }))), evaluate);
  }

  /** evidence/load.ts's `loadEvidence`, with the files shared between the threads. */
  async loadEvidence(dir: string, loaded: Loaded, asOf: string, options: LoadOptions = {}): Promise<EvidenceSet> {
    const { schemas } = loaded;
    const limits = options.limits ?? DEFAULT_LIMITS;
    const { files, problems, texts } = await readEvidenceTexts(dir, options);
    const readings: (FileReading | undefined)[] = texts.map(() => undefined);
    const sent: WorkerText[] = texts.map((t) => ('text' in t.read ? { abs: t.abs, shown: t.shown, text: t.read.text } : null));
    const size = (i: number): number => sent[i]?.text.length ?? 0;
    const queue = texts.map((_, i) => i).filter((i) => sent[i] !== null).sort((a, b) => size(b) - size(a) || a - b);
    const counter = new Int32Array(new SharedArrayBuffer(4));
    for (const h of this.helpers) h.post({ op: 'files', texts: sent, queue, counter: counter.buffer as SharedArrayBuffer, limits, asOf });

    let done = 0;
    let records = 0;
    const progress = (reading: FileReading): void => {
      done++;
      records += reading.doc?.records.length ?? 0;
      if (done < texts.length) options.onProgress?.({ phase: 'read', files: done, of: texts.length, records });
    };
    /** Reads a file here, and sends its document to the workers. */
    const readHere = async (file: number): Promise<void> => {
      const reading = (readings[file] = await readEvidenceFile(texts[file]!, schemas, limits));
      progress(reading);
      if (!reading.doc) return;
      const shared = shareDocument(file, reading.doc);
      if (!shared) this.shareable = false;
      else for (const h of this.helpers) h.post({ op: 'document', doc: shared });
    };
    // What the workers send: whether they loaded the same rules and schemas (a worker that did
    // not, for a caller's own `Loaded`, cannot be trusted with the evidence either: what it read
    // is read again here), the files they read, and when they are done.
    const state = this.helpers.map(() => ({ agrees: false, done: false }));
    const again: number[] = [];
    const take = (w: number, m: FromWorker): void => {
      const s = state[w]!;
      if (m.op === 'ready') {
        s.agrees = m.rules === rulesKey(loaded.engine) && m.schemas === schemasKey(schemas);
        if (!s.agrees) this.shareable = false;
      } else if (m.op === 'files-done') s.done = true;
      else if (m.op === 'redo' || (m.op === 'file' && !s.agrees)) again.push(m.file);
      else if (m.op === 'file') {
        const t = sent[m.file]!;
        const reading: FileReading = { problems: m.problems, ...(m.unreadable ? { unreadable: m.unreadable } : {}), ...(m.doc ? { doc: receiveDocument(m.doc, t.shown, t.text) } : {}) };
        readings[m.file] = reading;
        progress(reading);
        // The other workers need it too.
        if (m.doc) this.helpers.forEach((other, o) => o !== w && other.post({ op: 'document', doc: m.doc! }));
      } else throw new Error(`unexpected message from a worker thread: ${m.op}`);
    };
    for (let i = Atomics.add(counter, 0, 1); i < queue.length; i = Atomics.add(counter, 0, 1)) {
      await readHere(queue[i]!);
      // Takes in what the workers have read meanwhile (the queue leaves them more files).
      await nextTurn();
      this.helpers.forEach((h, w) => {
        for (let m = h.poll(); m; m = h.poll()) take(w, m);
      });
    }
    for (let file = 0; file < texts.length; file++) if (sent[file] === null) await readHere(file);
    for (const [w, h] of this.helpers.entries()) while (!state[w]!.done) take(w, await h.next());
    for (const file of again) await readHere(file);
    if (this.shareable) for (const h of this.helpers) h.post({ op: 'documents-done' });

    const evidence = evidenceSet(dir, files, problems, readings as FileReading[], schemas);
    readings.forEach((r, file) => r?.doc && this.fileOf.set(r.doc, file));
    return evidence;
  }

  /**
   * The CEL engine's evaluation, as of the `asOf` given to `loadEvidence`, with the rules shared
   * between the threads; the engine's own `evaluate` when they cannot be.
   */
  async evaluate(loaded: Loaded, documents: EvidenceDocument[], asOf: string, unavailable: ReadonlySet<string>, options: EvaluateOptions = {}): Promise<{ findings: Finding[]; runs: RuleRun[] }> {
    if (!this.shareable) return loaded.engine.evaluate(documents, asOf, unavailable, options);
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const message: ToWorker = {
      op: 'evaluate',
      judged: documents.map((d) => ({ file: this.fileOf.get(d)!, invalid: invalidMarks(d) })),
      unavailable: [...unavailable],
      ...(options.keep ? { keep: [...options.keep] } : {}),
      templates: [...(options.templates ?? [])],
      counter: counter.buffer as SharedArrayBuffer,
    };
    // The workers start while this thread compiles (on first use) and prepares.
    for (const h of this.helpers) h.post(message);
    const compiled = loaded.cel;
    if (!compiled) throw new Error('the CEL engine has no compiled rules');
    const evaluation = celEvaluation(compiled, documents, asOf)(unavailable, options);
    const order = evaluation.costly();
    const results: (RuleResult | undefined)[] = new Array<RuleResult | undefined>(evaluation.rules);
    for (let i = Atomics.add(counter, 0, 1); i < order.length; i = Atomics.add(counter, 0, 1)) results[order[i]!] = evaluation.evaluate(order[i]!);
    for (const h of this.helpers) for (const [i, r] of (await h.next('rules')).results) results[i] = r;
    // In rule order, as one thread gives them (a rule no thread took is evaluated here).
    const findings: Finding[] = [];
    const runs: RuleRun[] = [];
    for (let i = 0; i < results.length; i++) {
      const r = results[i] ?? evaluation.evaluate(i);
      appendAll(findings, r.findings);
      runs.push(r.run);
    }
    return { findings, runs };
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.helpers.map((h) => h.close()));
  }
}

/** A worker thread stopped before its work was done (src/check.ts then runs the check on one thread). */
export class WorkerFailure extends Error {
  override readonly name = 'WorkerFailure';
}

/** One worker thread, and the messages it sent that were not taken yet. */
class Helper {
  private readonly inbox: FromWorker[] = [];
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: FromWorker) => {
      this.inbox.push(m);
      this.wake?.();
    });
    worker.on('error', (e: Error) => {
      this.failure ??= e;
      this.wake?.();
    });
    worker.on('exit', (code: number) => {
      this.failure ??= new Error(`the worker thread stopped (exit code ${code})`);
      this.wake?.();
    });
  }

  post(m: ToWorker): void {
    void this.worker.postMessage(m);
  }

  /** The worker's next message if one has come; fails when the worker has stopped. */
  poll(): FromWorker | undefined {
    if (this.inbox.length === 0 && this.failure) throw new WorkerFailure(`a worker thread of --jobs failed (${this.failure.message})`, { cause: this.failure });
    return this.inbox.shift();
  }

  /** The worker's next message (of kind `op`, when given), waiting for it; fails when the worker has stopped. */
  async next(): Promise<FromWorker>;
  async next<K extends FromWorker['op']>(op: K): Promise<Extract<FromWorker, { op: K }>>;
  async next(op?: FromWorker['op']): Promise<FromWorker> {
    for (;;) {
      const m = this.inbox.shift();
      if (m) {
        if (op && m.op !== op) throw new Error(`expected "${op}" from a worker thread, got "${m.op}"`);
        return m;
      }
      if (this.failure) throw new WorkerFailure(`a worker thread of --jobs failed (${this.failure.message})`, { cause: this.failure });
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
