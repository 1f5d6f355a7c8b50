import { appendAll } from '../core/arrays.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ASTNode } from '@marcbachmann/cel-js';
import { checkWith, judgedDocuments, unavailableRegisters, type Loaded } from '../check.js';
import { sortFindings, type Finding, type Location } from '../core/findings.js';
import type { CompiledRule } from '../engine/cel/compile.js';
import { evaluateCel } from '../engine/cel/evaluate.js';
import { compileExpr, siteLocation, type CompiledExpr } from '../engine/cel/expression.js';
import { loadEvidence } from '../evidence/load.js';
import type { Parameter } from '../policy/model.js';
import type { RuleCase, RuleTestSet } from './load.js';
import { BaseOrganisation, materializeCase, type MaterializedCase } from './materialize.js';
import { caseRules, judge, type RunOptions } from './run.js';

/**
 * Mutation testing of the rules (`kitei test --mutate`): each assertion's CEL (and each rule's
 * `when`) is changed mechanically, one change at a time, and the rule's own cases are run against
 * the changed rule. A mutant no case notices (every case keeps its verdict) shows a behaviour of
 * the rule that no case pins down. Mutations are made on the parsed expression's node ranges, so
 * they never touch a string literal or a comment.
 */
export type MutationKind = 'flip-comparison' | 'boundary' | 'flip-logic' | 'negate-has' | 'remove-not' | 'param-plus-one' | 'param-minus-one' | 'drop-when';

export interface Mutation {
  kind: MutationKind;
  /** Offsets in the expression text replaced by `replacement` (start = end inserts). */
  start: number;
  end: number;
  replacement: string;
  /** What was there (`<=`, `params.maxIdleMinutes`, the whole `when`…). */
  original: string;
}

export type MutantStatus = 'killed' | 'survived' | 'not-compiled';

export interface MutantResult {
  ruleId: string;
  version: number;
  /** `when`, or the assertion id. */
  target: string;
  /** JSON pointer of the expression in its policy file. */
  pointer: string;
  expression: string;
  mutant: string;
  mutation: Mutation;
  /** Where the mutated text is in the policy file. */
  location: Location;
  status: MutantStatus;
  /** The first case that killed it. */
  killedBy?: { name: string; kind: RuleCase['kind']; file: string; line: number };
}

export interface RuleMutationSummary {
  ruleId: string;
  cases: number;
  /** Cases left out because they fail on the unchanged rule (`kitei test` reports them). */
  failingCases: number;
  mutants: number;
  killed: number;
  survived: number;
  notCompiled: number;
  /** killed / (killed + survived), 1 when there is no mutant. */
  score: number;
}

export interface MutationReport {
  rules: RuleMutationSummary[];
  survivors: MutantResult[];
  total: { mutants: number; killed: number; survived: number; notCompiled: number; score: number };
  /** Problems loading the policies or the cases. */
  problems: Finding[];
  elapsedMs: number;
}

const FLIP: Record<string, string> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };
const BOUNDARY: Record<string, string> = { '<=': '<', '<': '<=', '>=': '>', '>': '>=' };
const LOGIC: Record<string, string> = { '&&': '||', '||': '&&' };

interface Node {
  op: string;
  args: unknown;
  start: number;
  end: number;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && 'op' in v && 'start' in v;

/** Every node with its parent, depth first. */
function walk(root: ASTNode, visit: (n: Node, parent: Node | undefined) => void): void {
  const go = (v: unknown, parent: Node | undefined): void => {
    if (Array.isArray(v)) v.forEach((x) => go(x, parent));
    else if (isNode(v)) {
      visit(v, parent);
      go(v.args, v);
    }
  };
  go(root, undefined);
}

/**
 * The operator token of a binary node: the text between its operands must be the operator with
 * only spaces and parentheses around it (anything else, a comment say, and no mutation is made).
 */
function operatorSpan(text: string, n: Node, op: string): { start: number; end: number } | undefined {
  const [left, right] = n.args as [Node, Node];
  if (!isNode(left) || !isNode(right)) return undefined;
  const gap = text.slice(left.end, right.start);
  const i = gap.indexOf(op);
  if (i < 0) return undefined;
  const rest = gap.slice(0, i) + gap.slice(i + op.length);
  if (!/^[\s()]*$/.test(rest)) return undefined;
  return { start: left.end + i, end: left.end + i + op.length };
}

function numericLiteral(type: string, value: number): string | undefined {
  if (type === 'int') return Number.isInteger(value) ? String(value) : undefined;
  if (type === 'uint') return Number.isInteger(value) && value >= 0 ? `${value}u` : undefined;
  if (type === 'double') return Number.isInteger(value) ? `${value}.0` : String(value);
  return undefined;
}

/** The mutations of one expression, in the order of their position. */
export function mutationsOf(text: string, ast: ASTNode, parameters: Record<string, Parameter> = {}): Mutation[] {
  const out: Mutation[] = [];
  walk(ast, (n, parent) => {
    const flip = FLIP[n.op];
    const boundary = BOUNDARY[n.op];
    const logic = LOGIC[n.op];
    if (flip || logic) {
      const span = operatorSpan(text, n, n.op);
      if (span) {
        if (flip) out.push({ kind: 'flip-comparison', ...span, replacement: flip, original: n.op });
        if (boundary) out.push({ kind: 'boundary', ...span, replacement: boundary, original: n.op });
        if (logic) out.push({ kind: 'flip-logic', ...span, replacement: logic, original: n.op });
      }
    }
    if (n.op === '!_' && text[n.start] === '!') out.push({ kind: 'remove-not', start: n.start, end: n.start + 1, replacement: '', original: '!' });
    if (n.op === 'call' && (n.args as unknown[])[0] === 'has' && parent?.op !== '!_' && text.startsWith('has', n.start)) {
      out.push({ kind: 'negate-has', start: n.start, end: n.start, replacement: '!', original: text.slice(n.start, n.end) });
    }
    if (n.op === '.') {
      const [operand, field] = n.args as [Node, string];
      const p = parameters[field];
      if (isNode(operand) && operand.op === 'id' && operand.args === 'params' && p && typeof p.default === 'number') {
        const original = text.slice(n.start, n.end);
        if (original.replace(/\s+/g, '') === `params.${field}`) {
          for (const [kind, d] of [['param-plus-one', 1], ['param-minus-one', -1]] as const) {
            const lit = numericLiteral(p.type, p.default + d);
            if (lit !== undefined) out.push({ kind, start: n.start, end: n.end, replacement: lit, original });
          }
        }
      }
    }
  });
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

export function applyMutation(text: string, m: Mutation): string {
  return text.slice(0, m.start) + m.replacement + text.slice(m.end);
}

/** Which expression of a rule a mutant replaces. */
type Slot = { kind: 'when' } | { kind: 'assertion'; index: number };

/** The expression a slot of a rule holds. */
function exprAt(rule: CompiledRule, slot: Slot): CompiledExpr | undefined {
  return slot.kind === 'when' ? rule.when : rule.assertions[slot.index]?.expr;
}

function withExpr(rule: CompiledRule, slot: Slot, expr: CompiledExpr): CompiledRule {
  if (slot.kind === 'when') return { ...rule, when: expr };
  return { ...rule, assertions: rule.assertions.map((a, i) => (i === slot.index ? { ...a, expr } : a)) };
}

/** One case, loaded once and judged against the unchanged rule and every mutant. */
interface PreparedCase {
  c: RuleCase;
  /** The case's evidence as written, with its expectations resolved. */
  made: MaterializedCase;
  loaded: Loaded;
  documents: Parameters<typeof evaluateCel>[1];
  unavailable: Set<string>;
  templates: ReadonlySet<string>;
  /** The run's findings that are not the rule's (input problems, which no mutant changes). */
  others: Finding[];
}

export interface MutateOptions extends RunOptions {
  /** Told after each rule (the CLI shows progress on stderr). */
  onRule?: (ruleId: string, done: number, total: number) => void;
}

/** Runs mutation testing over the rules of `set` (one rule with `options.ruleId`). */
export async function mutateRules(set: RuleTestSet, options: MutateOptions = {}): Promise<MutationReport> {
  const started = Date.now();
  const rulesFor = caseRules(options);
  const base = await rulesFor();
  const organisation = new BaseOrganisation(set.baseDir);
  const problems = [...set.problems, ...base.problems];
  const compiled = base.cel?.rules ?? [];
  const ids = [...new Set(compiled.map((r) => r.loaded.rule.id))].filter((id) => !options.ruleId || id === options.ruleId).sort();
  const work = mkdtempSync(path.join(tmpdir(), 'kitei-mutate-'));
  const summaries: RuleMutationSummary[] = [];
  const survivors: MutantResult[] = [];
  let n = 0;
  try {
    for (const [k, ruleId] of ids.entries()) {
      const cases: PreparedCase[] = [];
      let failingCases = 0;
      const own = set.cases.filter((c) => c.ruleId === ruleId);
      for (const c of own) {
        const p = await prepareCase(c, organisation, await rulesFor(c), path.join(work, String(++n)));
        // A case must pass on the unchanged rule, through the same evaluation the mutants get.
        if (p && verdict(p, versionsOf(p.loaded, ruleId)).ok) cases.push(p);
        else failingCases++;
      }
      const results: MutantResult[] = [];
      for (const rule of compiled.filter((r) => r.loaded.rule.id === ruleId)) {
        for (const m of mutantsOf(rule)) {
          const outcome = compileExpr(m.expr.env, m.mutant, { source: rule.loaded.source, pointer: m.pointer }, 'bool');
          const result: MutantResult = {
            ruleId,
            version: rule.loaded.rule.version ?? 1,
            target: m.target,
            pointer: m.pointer,
            expression: m.expr.text,
            mutant: m.mutant,
            mutation: m.mutation,
            location: siteLocation({ source: rule.loaded.source, pointer: m.pointer }, m.mutation.start),
            status: 'not-compiled',
          };
          if (outcome.ok) {
            result.status = 'survived';
            // A case with parameters of its own has rules (and evidence values) of its own
            // compilation: the mutant is compiled in that rule's environment, whose types are the
            // values' types. (Compiled in another, cel-js rejects the values as of an unknown type,
            // and the mutant would count as killed by an error.)
            const inEnv = new Map<CompiledExpr['env'], CompiledExpr>([[m.expr.env, outcome.expr]]);
            const mutantFor = (r: CompiledRule): CompiledExpr => {
              const env = exprAt(r, m.slot)?.env ?? m.expr.env;
              let expr = inEnv.get(env);
              if (!expr) {
                const again = compileExpr(env, m.mutant, { source: r.loaded.source, pointer: m.pointer }, 'bool');
                expr = again.ok ? again.expr : outcome.expr;
                inEnv.set(env, expr);
              }
              return expr;
            };
            for (const p of cases) {
              const rules = versionsOf(p.loaded, ruleId).map((r) => (sameVersion(r, rule) ? withExpr(r, m.slot, mutantFor(r)) : r));
              if (!verdict(p, rules).ok) {
                result.status = 'killed';
                result.killedBy = { name: p.c.name, kind: p.c.kind, file: p.c.file, line: p.c.line };
                break;
              }
            }
          }
          results.push(result);
        }
      }
      const killed = results.filter((r) => r.status === 'killed').length;
      const survived = results.filter((r) => r.status === 'survived').length;
      summaries.push({ ruleId, cases: cases.length, failingCases, mutants: results.length, killed, survived, notCompiled: results.length - killed - survived, score: score(killed, survived) });
      appendAll(survivors, results.filter((r) => r.status === 'survived'));
      options.onRule?.(ruleId, k + 1, ids.length);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const sum = (f: (s: RuleMutationSummary) => number) => summaries.reduce((t, s) => t + f(s), 0);
  const killed = sum((s) => s.killed);
  const survived = sum((s) => s.survived);
  return {
    rules: summaries,
    survivors,
    total: { mutants: sum((s) => s.mutants), killed, survived, notCompiled: sum((s) => s.notCompiled), score: score(killed, survived) },
    problems,
    elapsedMs: Date.now() - started,
  };
}

const score = (killed: number, survived: number) => (killed + survived === 0 ? 1 : killed / (killed + survived));

const sameVersion = (a: CompiledRule, b: CompiledRule) => (a.loaded.rule.version ?? 1) === (b.loaded.rule.version ?? 1);

function versionsOf(loaded: Loaded, ruleId: string): CompiledRule[] {
  return (loaded.cel?.rules ?? []).filter((r) => r.loaded.rule.id === ruleId);
}

interface PlannedMutant {
  target: string;
  pointer: string;
  slot: Slot;
  expr: CompiledExpr;
  mutation: Mutation;
  mutant: string;
}

/** The mutants of one rule version: its `when` (mutated, and dropped), then each assertion's expression. */
function mutantsOf(rule: CompiledRule): PlannedMutant[] {
  const { pointer } = rule.loaded;
  const params = rule.loaded.rule.parameters ?? {};
  const out: PlannedMutant[] = [];
  const add = (target: string, at: string, slot: Slot, expr: CompiledExpr) => {
    for (const mutation of mutationsOf(expr.text, expr.run.ast, params)) out.push({ target, pointer: at, slot, expr, mutation, mutant: applyMutation(expr.text, mutation) });
  };
  if (rule.when) {
    const at = `${pointer}/when`;
    out.push({ target: 'when', pointer: at, slot: { kind: 'when' }, expr: rule.when, mutation: { kind: 'drop-when', start: 0, end: rule.when.text.length, replacement: 'true', original: rule.when.text }, mutant: 'true' });
    add('when', at, { kind: 'when' }, rule.when);
  }
  // Compiled assertions keep the order of the policy file (a rule with a broken one is not compiled at all).
  rule.assertions.forEach((a, index) => add(a.id, `${pointer}/assertions/${index}/expr`, { kind: 'assertion', index }, a.expr));
  return out;
}

async function prepareCase(c: RuleCase, base: BaseOrganisation, loaded: Loaded, dir: string): Promise<PreparedCase | undefined> {
  try {
    const made = materializeCase(c, base, dir);
    if (!loaded.cel) return undefined;
    const result = await checkWith(loaded, { evidenceDir: dir, asOf: c.asOf, record: false });
    const evidence = await loadEvidence(dir, loaded.schemas);
    return {
      c,
      made,
      loaded,
      documents: judgedDocuments(evidence),
      unavailable: unavailableRegisters(loaded.engine, evidence),
      templates: evidence.templateRegisters,
      others: result.findings.filter((f) => f.ruleId !== c.ruleId),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A case's verdict with the rule's versions as given (the unchanged ones, or one with a mutant). */
function verdict(p: PreparedCase, rules: CompiledRule[]): { ok: boolean } {
  const cel = p.loaded.cel!;
  const { findings } = evaluateCel({ ...cel, rules }, p.documents, p.c.asOf, p.unavailable, { templates: p.templates });
  return judge(p.c, p.made, sortFindings([...p.others, ...findings]), rules.length > 0);
}
