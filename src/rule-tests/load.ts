import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../core/findings.js';
import { appendAll } from '../core/arrays.js';
import { listYamlFiles } from '../core/files.js';
import { displayPath } from '../core/paths.js';
import { readYamlFile } from '../core/yaml-file.js';
import { TESTS_DIR } from '../policy/load.js';
import { schemaProblems, shippedValidator } from '../schema/registry.js';


/**
 * Rule test cases, kept beside the policies in `policies/tests/<policy file>.yaml` as maintainers
 * write them: per rule, valid and invalid evidence (and cases where it must not apply), each
 * starting from the small base organisation in `policies/tests/base/` and stating only what it
 * changes: patched records, or whole register files where the case is about the file itself.
 */
export type CaseKind = 'valid' | 'invalid' | 'notApplicable';
export const CASE_KINDS: readonly CaseKind[] = ['valid', 'invalid', 'notApplicable'];

/**
 * A failure a case expects. Its place is either written as a line and column of the case's own
 * register text, or named: `record` (a record id) and `at` (a JSON pointer inside that record,
 * `/screenLock/idleMinutes`), or `at` alone (a pointer inside the register file, `/capturedAt`);
 * the runner resolves a named place to a line and column (see materialize.ts).
 */
export interface ExpectedFailure {
  assertion?: string;
  file?: string;
  line?: number;
  column?: number;
  /** A JSON pointer: inside record `record` when it is given, else inside the file. */
  at?: string;
  /** Set by the runner on an expectation whose line and column it resolved: the place as the case named it. */
  named?: string;
  record?: string;
  outcome?: 'fail' | 'error';
  message?: string;
}

export interface RuleCase {
  ruleId: string;
  kind: CaseKind;
  name: string;
  asOf: string;
  params?: Record<string, unknown>;
  /** Register kind → the text of its file; an empty text removes the register. */
  evidence: Record<string, string>;
  /** Changes to records of the base organisation (or new records), applied after `evidence`. */
  patch?: RecordPatch[];
  /** Records (`ID`) or their fields (`ID/field`, or `/field` of the one patched record) removed. */
  remove?: string[];
  expect: ExpectedFailure[];
  /** Where the case is written (for reports). */
  file: string;
  line: number;
}

/**
 * A change to one record: `id` names a record of the base organisation, whose fields are merged
 * with these (mappings key by key; lists and scalars replaced). With `register`, a record that
 * register does not have is added; with `register` and no `id`, the register's own fields
 * (`capturedAt`) are changed.
 */
export interface RecordPatch {
  register?: string;
  id?: string;
  [field: string]: unknown;
}

export interface RuleTestSet {
  /** The base organisation every case starts from. */
  baseDir: string;
  files: string[];
  cases: RuleCase[];
  problems: Finding[];
}

export const BASE_DIR = 'base';
/** The as-of date of cases that name none (the base organisation is captured on 2026-11-20). */
export const DEFAULT_CASE_AS_OF = '2026-11-24';

const SCHEMA_PATH = fileURLToPath(new URL('../../schemas/rule-tests.schema.json', import.meta.url));

type RawCase = Omit<RuleCase, 'ruleId' | 'kind' | 'file' | 'line' | 'asOf' | 'expect' | 'evidence' | 'patch'> & { asOf?: string; evidence?: Record<string, string>; patch?: RecordPatch | RecordPatch[]; expect?: ExpectedFailure[] };
interface RawFile {
  asOf?: string;
  rules: Record<string, Partial<Record<CaseKind, RawCase[]>>>;
}

export async function loadRuleTests(policiesDir: string, options: { ruleId?: string } = {}): Promise<RuleTestSet> {
  const dir = path.join(policiesDir, TESTS_DIR);
  const listing = existsSync(dir) ? await listYamlFiles(dir, 'tests', { recursive: false }) : { files: [], problems: [] };
  // One rule's cases (kitei explain) are in the files that name it as a key: the others are not parsed.
  const files = options.ruleId === undefined ? listing.files : listing.files.filter((name) => mentions(path.join(dir, name), `${options.ruleId}:`));
  const validate = await shippedValidator(SCHEMA_PATH);
  const cases: RuleCase[] = [];
  const problems: Finding[] = [...listing.problems];
  for (const name of files) {
    const abs = path.join(dir, name);
    const shown = displayPath(abs);
    const parsed = await readYamlFile(abs, shown, 'tests');
    if (parsed.problems.length > 0) {
      appendAll(problems, parsed.problems);
      continue;
    }
    if (!validate(parsed.value)) {
      appendAll(problems, schemaProblems(validate, parsed.source, 'tests/schema'));
      continue;
    }
    const raw = parsed.value as RawFile;
    for (const [ruleId, kinds] of Object.entries(raw.rules)) {
      for (const kind of CASE_KINDS) {
        (kinds[kind] ?? []).forEach((c, i) => {
          const at = parsed.source.locate(`/rules/${ruleId}/${kind}/${i}/name`);
          cases.push({
            ruleId,
            kind,
            name: c.name,
            asOf: c.asOf ?? raw.asOf ?? DEFAULT_CASE_AS_OF,
            ...(c.params ? { params: c.params } : {}),
            evidence: c.evidence ?? {},
            ...(c.patch ? { patch: Array.isArray(c.patch) ? c.patch : [c.patch] } : {}),
            ...(c.remove ? { remove: c.remove } : {}),
            expect: c.expect ?? [],
            file: shown,
            line: at.line,
          });
        });
      }
    }
  }
  return { baseDir: path.join(dir, BASE_DIR), files: files.map((f) => `${TESTS_DIR}/${f}`), cases, problems };
}

/** Whether a file's text contains `needle` (a file that cannot be read is kept, so its problem is reported). */
function mentions(file: string, needle: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes(needle);
  } catch {
    return true;
  }
}
