import { readFile } from 'node:fs/promises';
import type { Finding } from './findings.js';
import { problemFinding, type ProblemCode } from './problems.js';
import { SourceFile } from './source.js';

export interface ParsedYaml {
  source: SourceFile;
  /** The plain JavaScript value, or undefined when the file could not be parsed. */
  value: unknown;
  problems: Finding[];
}

/**
 * Reads and parses one YAML file, turning every syntax error (and duplicate key) into a finding
 * with its position instead of an exception. `kind` picks the evidence or policy error codes.
 */
/** Which family of error codes a file's problems get: evidence, policy (and the catalog beside it), or rule tests. */
export type YamlKind = 'evidence' | 'policy' | 'tests';
const CODES: Record<YamlKind, { unreadable: ProblemCode; syntax: ProblemCode }> = {
  evidence: { unreadable: 'evidence/unreadable', syntax: 'evidence/yaml-syntax' },
  policy: { unreadable: 'policy/unreadable', syntax: 'policy/yaml-syntax' },
  tests: { unreadable: 'policy/unreadable', syntax: 'tests/yaml-syntax' },
};

export async function readYamlFile(absPath: string, shownPath: string, kind: YamlKind): Promise<ParsedYaml> {
  let text: string;
  try {
    text = await readFile(absPath, 'utf8');
  } catch (e) {
    const source = new SourceFile(shownPath, '');
    const code = CODES[kind].unreadable;
    return { source, value: undefined, problems: [problemFinding(code, source.start(), { detail: (e as NodeJS.ErrnoException).code ?? String(e) })] };
  }
  return parseYamlText(text, shownPath, kind);
}

export function parseYamlText(text: string, shownPath: string, kind: YamlKind): ParsedYaml {
  const source = new SourceFile(shownPath, text.replace(/^\uFEFF/, ''));
  const code = CODES[kind].syntax;
  // Only the first syntax error is reported: the ones after it are usually its cascade.
  const errors = source.doc.errors;
  const problems = errors.slice(0, 1).map((err) => {
    const { line, column } = source.position(err.pos[0]);
    return problemFinding(code, { file: shownPath, pointer: '', line, column }, { detail: firstLine(err.message) });
  });
  if (problems.length > 0) return { source, value: undefined, problems };
  return { source, value: source.doc.toJS({ maxAliasCount: 1000 }), problems };
}

function firstLine(message: string): string {
  // The yaml package appends "at line N, column M" and a code excerpt; our location says that.
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}
