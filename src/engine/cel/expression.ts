import type { ASTNode, Environment, ParseResult } from '@marcbachmann/cel-js';
import type { Finding } from '../../core/findings.js';
import { problemFinding, type ProblemCode } from '../../core/problems.js';
import { scalarValueOffset, type SourceFile } from '../../core/source.js';
import type { PolicySource } from '../../policy/lazy-source.js';
import { compileRegex } from './functions.js';
import { compileNative, withCelFallback } from './native.js';

/** Where an expression was written: a scalar in a policy file, and an offset inside that scalar. */
export interface ExprSite {
  source: PolicySource;
  /** JSON pointer of the scalar that holds the expression. */
  pointer: string;
  /** Offset of the expression inside the scalar's value (non-zero inside message templates). */
  offset?: number;
}

export interface CompiledExpr {
  text: string;
  type: string;
  run: ParseResult;
  /** The environment it was checked in, so a variant of it (a mutant, src/rule-tests/mutate.ts) can be checked the same way. */
  env: Environment;
}

export type CompileOutcome = { ok: true; expr: CompiledExpr } | { ok: false; problem: Finding };

/** File, line and column of an offset inside an expression, through the one source-position module. */
export function siteLocation(site: ExprSite, exprOffset: number) {
  const file = site.source.resolve ? site.source.resolve() : (site.source as SourceFile);
  const node = file.valueNode(site.pointer);
  if (!node) return file.locate(site.pointer);
  const { line, column } = file.position(scalarValueOffset(file, node, (site.offset ?? 0) + exprOffset));
  return { file: file.path, pointer: site.pointer, line, column };
}

function problemAt(site: ExprSite, offset: number, code: ProblemCode, values: Record<string, string>): Finding {
  return problemFinding(code, siteLocation(site, offset), values);
}

interface CelError {
  name?: string;
  code?: string;
  summary?: string;
  message?: string;
  range?: { start: number; end: number };
}

/**
 * Parses and type-checks one expression in `env`. Every way it can be wrong (syntax, unknown
 * field, wrong types, a forbidden or broken regular expression, a non-bool condition) comes
 * back as a positioned finding with a stable code, never as an exception.
 */
export function compileExpr(env: Environment, text: string, site: ExprSite, expect?: 'bool'): CompileOutcome {
  let run: ParseResult;
  try {
    run = env.parse(text);
  } catch (e) {
    return { ok: false, problem: fromCelError(e as CelError, site, 'policy/cel-syntax') };
  }
  // Checking the parsed expression annotates its AST with types (used by the personal-data check).
  const checked = run.check();
  if (!checked.valid) {
    const err = checked.error as CelError;
    return { ok: false, problem: fromCelError(err, site, err.name === 'ParseError' ? 'policy/cel-syntax' : 'policy/cel-type') };
  }
  const unsafe = findNode(run.ast, (n) => (n.op === 'rcall' || n.op === 'call') && (n.args as unknown[])[0] === 'matches');
  if (unsafe) return { ok: false, problem: problemAt(site, unsafe.range.start, 'policy/unsafe-regex', {}) };
  // Literal patterns are compiled now, so a broken pattern is a load error rather than a run-time one.
  for (const call of findNodes(run.ast, (n) => n.op === 'call' && (n.args as unknown[])[0] === 'regexMatch')) {
    const pattern = ((call.args as unknown[])[1] as ASTNode[])[1];
    if (pattern?.op === 'value' && typeof pattern.args === 'string') {
      try {
        compileRegex(pattern.args);
      } catch (e) {
        return { ok: false, problem: problemAt(site, pattern.range.start, 'policy/bad-regex', { detail: (e as Error).message }) };
      }
    }
  }
  const type = checked.type ?? 'dyn';
  if (expect === 'bool' && type !== 'bool' && type !== 'dyn') {
    return { ok: false, problem: problemAt(site, 0, 'policy/cel-not-bool', { type }) };
  }
  // Compiled to JavaScript where it can be (native.ts); cel-js evaluates the rest, and decides
  // whenever the compiled closure gives up.
  const native = compileNative(run.ast);
  return { ok: true, expr: { text, type, run: native ? withCelFallback(run, native, text) : run, env } };
}

function fromCelError(err: CelError, site: ExprSite, code: ProblemCode): Finding {
  const detail = err.summary ?? (err.message ?? String(err)).split('\n')[0]!;
  return problemAt(site, err.range?.start ?? 0, code, { detail });
}

function isNode(v: unknown): v is ASTNode {
  return typeof v === 'object' && v !== null && 'op' in v && 'range' in v;
}

/** Depth-first walk over a cel-js AST (its node arguments nest inside arrays). */
export function findNodes(root: ASTNode, pred: (n: ASTNode) => boolean, out: ASTNode[] = []): ASTNode[] {
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isNode(v)) {
      if (pred(v)) out.push(v);
      visit(v.args);
    }
  };
  visit(root);
  return out;
}

export function findNode(root: ASTNode, pred: (n: ASTNode) => boolean): ASTNode | undefined {
  return findNodes(root, pred)[0];
}

/**
 * If `ast` is a plain field path on `record` (record.transfers, record.disposal.items), the
 * JSON pointer of that path relative to the record; otherwise undefined.
 */
export function recordFieldPointer(ast: ASTNode): string | undefined {
  const parts: string[] = [];
  let n: ASTNode = ast;
  while (n.op === '.' || n.op === '.?') {
    const [inner, field] = n.args as [ASTNode, string];
    parts.unshift(field);
    n = inner;
  }
  return n.op === 'id' && n.args === 'record' && parts.length > 0 ? '/' + parts.join('/') : undefined;
}
