/**
 * How far a long run has got, for a caller that wants to show it (the CLI, on a terminal). The
 * core reports it through this callback and never prints.
 */
export type Progress =
  | { phase: 'read'; files: number; of: number; records: number }
  | { phase: 'evaluate'; records: number; rules: number }
  | { phase: 'done'; records: number; rules: number };

export type OnProgress = (progress: Progress) => void;
