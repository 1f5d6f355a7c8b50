import { setImmediate as nextTurn } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { loadRules, type Loaded } from '../check.js';
import type { Finding, Outcome } from '../core/findings.js';
import type { InputLimits } from '../core/limits.js';
import { celEvaluation, type CelEvaluation, type RuleResult } from '../engine/cel/evaluate.js';
import type { EvidenceDocument } from '../evidence/document.js';
import { readEvidenceFile } from '../evidence/load.js';
import { invalidMarks, markRecords, receiveDocument, rulesKey, schemasKey, shareDocument, type InvalidMark, type SharedDocument } from './shared.js';

/**
 * A worker thread of `kitei check --jobs` (threads/host.ts): it loads the same rules, reads the
 * evidence files it takes from the shared queue, receives the documents the other threads read,
 * and evaluates the rules it takes from the second queue. What it sends back is a pure function
 * of the file or of the rule, so the result does not depend on which thread took what.
 */

/** What the worker is started with: how to load the rules, as the main thread loaded them. */
export interface WorkerSetup {
  rules: Parameters<typeof loadRules>[0];
}

/** A file's text as a worker gets it (null: a file that could not be read, left to the main thread). */
export type WorkerText = { abs: string; shown: string; text: string } | null;

export type ToWorker =
  | { op: 'files'; texts: WorkerText[]; queue: number[]; counter: SharedArrayBuffer; limits: InputLimits; asOf: string }
  | { op: 'document'; doc: SharedDocument }
  /** Every document has been sent: the worker prepares the evaluation over all of them, in file order. */
  | { op: 'documents-done' }
  | { op: 'evaluate'; judged: { file: number; invalid: InvalidMark[] }[]; unavailable: string[]; keep?: Outcome[]; templates: string[]; counter: SharedArrayBuffer };

export type FromWorker =
  | { op: 'ready'; rules: string; schemas: string }
  | { op: 'file'; file: number; problems: Finding[]; unreadable?: string; doc?: SharedDocument }
  /** A file whose document has no index (read the full way): the main thread reads it again. */
  | { op: 'redo'; file: number }
  | { op: 'files-done' }
  | { op: 'rules'; results: [number, RuleResult][] };

const port = parentPort!;
const setup = workerData as WorkerSetup;
const post = (m: FromWorker): void => port.postMessage(m);

const loading: Promise<Loaded> = loadRules(setup.rules);
void loading.then((loaded) => post({ op: 'ready', rules: rulesKey(loaded.engine), schemas: schemasKey(loaded.schemas) }));

let texts: WorkerText[] = [];
let asOf = '';
const documents = new Map<number, EvidenceDocument>();
/**
 * The evaluation prepared before the main thread has checked ids and references, over every
 * document in file order: used if the documents judged and their invalid records turn out the
 * same (the usual case), prepared again otherwise.
 */
let prepared: { files: string; marks: string; evaluation: ReturnType<typeof celEvaluation> } | undefined;

async function handle(m: ToWorker): Promise<void> {
  const loaded = await loading;
  if (m.op === 'files') {
    const counter = new Int32Array(m.counter);
    for (let i = Atomics.add(counter, 0, 1); i < m.queue.length; i = Atomics.add(counter, 0, 1)) {
      const file = m.queue[i]!;
      const t = texts[file]!;
      const reading = await readEvidenceFile({ abs: t.abs, shown: t.shown, read: { text: t.text } }, loaded.schemas, m.limits);
      const doc = reading.doc && shareDocument(file, reading.doc);
      if (reading.doc && !doc) post({ op: 'redo', file });
      else {
        if (reading.doc) documents.set(file, reading.doc);
        post({ op: 'file', file, problems: reading.problems, ...(reading.unreadable ? { unreadable: reading.unreadable } : {}), ...(doc ? { doc } : {}) });
      }
      // Lets the documents the other threads send in meanwhile be taken.
      await nextTurn();
    }
    post({ op: 'files-done' });
    // Compiled now (a clean policy cache compiles on first use), while the others still read.
    void loaded.cel;
  } else if (m.op === 'documents-done') {
    const files = [...documents.keys()].sort((a, b) => a - b);
    const docs = files.map((f) => documents.get(f)!);
    prepared = { files: files.join(','), marks: JSON.stringify(docs.map(invalidMarks)), evaluation: celEvaluation(loaded.cel!, docs, asOf) };
  } else if (m.op === 'evaluate') {
    const judged = m.judged.map(({ file }) => documents.get(file)!);
    const marks = JSON.stringify(m.judged.map((j) => j.invalid));
    let evaluation = prepared?.evaluation;
    if (!prepared || prepared.files !== m.judged.map((j) => j.file).join(',') || prepared.marks !== marks) {
      m.judged.forEach((j, i) => markRecords(judged[i]!.records, j.invalid));
      evaluation = celEvaluation(loaded.cel!, judged, asOf);
    }
    prepared = undefined;
    const rules: CelEvaluation = evaluation!(new Set(m.unavailable), { ...(m.keep ? { keep: new Set(m.keep) } : {}), templates: new Set(m.templates) });
    const order = rules.costly();
    const counter = new Int32Array(m.counter);
    const results: [number, RuleResult][] = [];
    for (let i = Atomics.add(counter, 0, 1); i < order.length; i = Atomics.add(counter, 0, 1)) results.push([order[i]!, rules.evaluate(order[i]!)]);
    post({ op: 'rules', results });
  }
}

// Documents are taken as they come, also while files are being read; everything else in order,
// one message after another. A failure is left unhandled: it ends the thread, and the main thread
// stops the check with it.
let chain = Promise.resolve();
port.on('message', (m: ToWorker) => {
  if (m.op === 'files') [texts, asOf] = [m.texts, m.asOf];
  if (m.op === 'document') {
    const t = texts[m.doc.file]!;
    documents.set(m.doc.file, receiveDocument(m.doc, t.shown, t.text));
    return;
  }
  chain = chain.then(() => handle(m));
});
