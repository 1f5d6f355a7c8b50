// Types for bench/generate.mjs, for the TypeScript test that runs it (test/bench/generate.test.ts).

export const EXAMPLE_DIR: string;
export const SINGLE_REGISTERS: Set<string>;
export const UNIQUE_FIELDS: string[];
export const OWNER_FIELDS: Record<string, string>;

export interface ExampleFile {
  rel: string;
  register: string;
  header: string;
  records: Record<string, unknown>[];
  chunks: string[];
}

export interface Plan {
  files: (ExampleFile & { templates: unknown[][] })[];
  /** Records in the example. */
  base: number;
  /** Records each copy after the first adds. */
  perCopy: number;
  renumbered: number;
}

export interface Generated {
  dir: string;
  files: { file: string; register: string; records: number }[];
  bytes: number;
  records: number;
  copies: number;
  perCopy: number;
  base: number;
}

export function readExample(from?: string): ExampleFile[];
export function plan(files: ExampleFile[]): Plan;
export function copiesFor(records: number, base: number, perCopy: number): number;
export function generate(options?: { records?: number; out?: string; from?: string }): Generated;
export function countOutcomes(
  dir: string,
  bytes?: number,
  options?: { asOf?: string; policiesDir?: string; schemasDir?: string },
): Promise<{ outcomes: Record<string, number>; failsByRule: Record<string, number>; records: number }>;
