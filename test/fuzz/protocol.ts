/** Messages between the fuzzer (parent) and the worker thread that runs the checks. */

/** One change to the evidence tree of a case, relative to the evidence directory. */
export type TreeOp =
  | { op: 'write'; rel: string; data: Uint8Array }
  | { op: 'delete'; rel: string }
  | { op: 'symlink'; rel: string; target: string }
  | { op: 'mkdir'; rel: string }
  /** A named pipe: reading it blocks until someone writes (the worker's parent unblocks it after a hang). */
  | { op: 'fifo'; rel: string };

export interface WorkerInit {
  /** The unmutated evidence, copied once into the worker's own temporary directory. */
  corpus: { rel: string; data: Uint8Array }[];
  asOf: string;
}

export interface Job {
  id: number;
  ops: TreeOp[];
  /** Apply the ops to an empty directory instead of to a copy of the example evidence. */
  alone: boolean;
  /** Run the check a second time and compare the reports byte for byte. */
  twice: boolean;
}

/** What went wrong; `harness` is the fuzzer's own fault (it could not build the case's tree). */
export type FailureKind = 'exception' | 'hang' | 'crash' | 'nondeterminism' | 'invariant' | 'wrote-evidence' | 'harness';

export type Verdict =
  | { ok: true; findings: number }
  | {
      ok: false;
      kind: FailureKind;
      /** One line: the error's name and message, or what was violated. */
      message: string;
      /** The stack, or the differing excerpt, for the report. */
      detail?: string;
      /** A short, stable description used to tell distinct failures apart. */
      signature: string;
    };

export type ToWorker = { type: 'job'; job: Job };

export type FromWorker = { type: 'ready'; dirs: { base: string; tree: string; alone: string } } | { type: 'done'; id: number; verdict: Verdict } | { type: 'fatal'; message: string };
