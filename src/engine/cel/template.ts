import type { ASTNode, Environment } from '@marcbachmann/cel-js';
import type { Finding } from '../../core/findings.js';
import { problemFinding } from '../../core/problems.js';
import { compileExpr, siteLocation, type ExprSite } from './expression.js';

/** A message or pointer with `{{ expression }}` holes, compiled once. */
export type Template = (ctx: Record<string, unknown>) => string;

const HOLE = /\{\{([\s\S]*?)\}\}/g;

/**
 * Compiles a template whose holes are CEL expressions in `env`. A hole that reads a field the
 * schemas mark as personal data is refused: reports carry ids, not names.
 */
export function compileTemplate(env: Environment, text: string, site: ExprSite, personal: PersonalFields): { template?: Template; problems: Finding[] } {
  const parts: (string | ((ctx: Record<string, unknown>) => unknown))[] = [];
  const problems: Finding[] = [];
  let last = 0;
  for (const m of text.matchAll(HOLE)) {
    const start = m.index!;
    parts.push(text.slice(last, start));
    last = start + m[0].length;
    const inner = m[1]!;
    const lead = inner.length - inner.trimStart().length;
    const exprSite = { ...site, offset: (site.offset ?? 0) + start + 2 + lead };
    const compiled = compileExpr(env, inner.trim(), exprSite);
    if (!compiled.ok) {
      problems.push(compiled.problem);
      continue;
    }
    const personalRead = findPersonalRead(compiled.expr.run.ast, personal);
    if (personalRead) {
      const field = (personalRead.args as [unknown, string])[1];
      // Point at the field name itself: the node's range covers the whole member chain.
      problems.push(problemFinding('policy/personal-data', siteLocation(exprSite, personalRead.range.end - field.length), { field }));
      continue;
    }
    parts.push(compiled.expr.run);
  }
  parts.push(text.slice(last));
  if (problems.length > 0) return { problems };
  return {
    problems,
    template: (ctx) => parts.map((p) => (typeof p === 'string' ? p : safeShow(p, ctx))).join(''),
  };
}

export interface PersonalFields {
  typed: ReadonlySet<string>;
  names: ReadonlySet<string>;
}

/**
 * The first field access in a hole that would put personal data into the text. A personal field
 * used only as the key of an index (`lookups.byLogin[record.loginId]`) is not printed, so keys
 * are not searched.
 */
function findPersonalRead(root: ASTNode, personal: PersonalFields): ASTNode | undefined {
  let found: ASTNode | undefined;
  const visit = (v: unknown): void => {
    if (found) return;
    if (Array.isArray(v)) return v.forEach(visit);
    if (typeof v !== 'object' || v === null || !('op' in v)) return;
    const n = v as ASTNode;
    if (n.op === '[]' || n.op === '[?]') return visit((n.args as [ASTNode, ASTNode])[0]);
    if ((n.op === '.' || n.op === '.?') && readsPersonal(n, personal)) found = n;
    else visit(n.args);
  };
  visit(root);
  return found;
}

/** Whether a field access reads personal data: by its static type, or by name when the type is dynamic. */
function readsPersonal(n: ASTNode, personal: PersonalFields): boolean {
  const [operand, field] = n.args as [ASTNode & { checkedType?: { name?: string; kind?: string } }, string];
  const type = operand.checkedType;
  if (type?.name && type.kind !== 'dyn' && type.name !== 'dyn' && !type.name.startsWith('map')) return personal.typed.has(`${type.name}.${field}`);
  return personal.names.has(field);
}

/** A hole that cannot be evaluated on this record (a missing optional field) reads as "?", never a crash. */
function safeShow(hole: (ctx: Record<string, unknown>) => unknown, ctx: Record<string, unknown>): string {
  try {
    return show(hole(ctx));
  } catch {
    return '?';
  }
}

/** How a CEL value reads inside a message. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (v instanceof Map) return [...v.entries()].map(([k, x]) => `${String(k)}: ${show(x)}`).join(', ');
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(', ');
  return String(v);
}
