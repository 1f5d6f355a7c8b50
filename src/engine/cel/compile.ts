import { Environment, type ASTNode } from '@marcbachmann/cel-js';
import type { Finding } from '../../core/findings.js';
import { problemFinding } from '../../core/problems.js';
import type { LoadedLookup, LoadedRule, Parameter, PolicySet } from '../../policy/model.js';
import { pascal } from '../../schema/shape.js';
import { compileExpr, findNodes, recordFieldPointer, type CompiledExpr, type ExprSite } from './expression.js';
import { registerLibrary } from './functions.js';
import { checkParameter, toCelParameter } from './parameters.js';
import { compileTemplate, type Template } from './template.js';
import type { CelModel } from './values.js';
import { appendAll } from '../../core/arrays.js';

export interface CompiledAssertion {
  id: string;
  expr: CompiledExpr;
  forEach?: CompiledExpr;
  /** Pointer (relative to the record) of the list forEach iterates, when it is a record field. */
  forEachPointer?: string;
  at?: Template;
  message: { ja: Template; en: Template };
}

export interface CompiledDue {
  id: string;
  date: CompiledExpr;
  label: { ja: Template; en: Template };
  when?: CompiledExpr;
  forEach?: CompiledExpr;
  at?: Template;
}

export interface CompiledRule {
  loaded: LoadedRule;
  /** Parameter values as CEL sees them, and as reports show them. */
  params: object;
  shownParams: Record<string, unknown>;
  when?: CompiledExpr;
  assertions: CompiledAssertion[];
  due: CompiledDue[];
  /** Every register the rule's verdict depends on: its own, and those it reads through byId, registers or lookups. */
  reads: Set<string>;
}

export interface CompiledLookup {
  loaded: LoadedLookup;
  key: CompiledExpr;
  when?: CompiledExpr;
}

export interface CompiledPolicies {
  rules: CompiledRule[];
  lookups: CompiledLookup[];
  model: CelModel;
  /** The day the regulation came into force (the catalog's), or '' when the policies have no catalog. */
  enforcedOn: string;
}

/**
 * A rule whose `register` is `*` runs once per evidence file of every register, with `record`
 * bound to the file's envelope (register kind and capture date): evidence freshness.
 */
export const ANY_REGISTER = '*';

/** Parameter overrides from the command line or a configuration: rule id → name → value. */
export type ParamOverrides = Record<string, Record<string, unknown>>;

/**
 * Compiles every rule once: each expression is parsed and type-checked against the register
 * types derived from the schemas, so an unknown field, a wrong type or a syntax error is a load
 * error with the policy file's line and column. A rule with any problem is left out entirely.
 */
export function compilePolicies(policies: PolicySet, model: CelModel, overrides: ParamOverrides = {}, enforcedOn = '', options: CompileOptions = {}): { compiled: CompiledPolicies; problems: Finding[] } {
  const template: TemplateCompiler = options.lazyTemplates ? lazyTemplate : compileTemplate;
  const problems: Finding[] = [];
  const base = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
  registerLibrary(base, { enforcedOn });

  // Lookups: each groups one register's records by a key; rules see them as lookups.<name>.
  const lookupFields: Record<string, string> = {};
  const validLookups: LoadedLookup[] = [];
  for (const l of policies.lookups) {
    if (!model.registerKinds.includes(l.lookup.register)) {
      problems.push(problemFinding('policy/bad-lookup', l.source.locate(`${l.pointer}/register`), { name: l.name, detail: `unknown register "${l.lookup.register}"` }));
      continue;
    }
    lookupFields[l.name] = `map<string, list<${model.recordType(l.lookup.register)}>>`;
    validLookups.push(l);
  }
  model.defineType('Lookups', lookupFields);
  model.registerTypes(base);
  base
    .registerVariable('registers', 'Registers', { description: 'every register, as lists of records' })
    .registerVariable('byId', 'RegistersById', { description: 'every register, indexed by record id' })
    .registerVariable('lookups', 'Lookups', { description: 'the lookups declared in policy files' })
    .registerVariable('asOf', 'string', { description: 'the as-of date of the run (YYYY-MM-DD)' })
    .registerVariable('capturedAt', 'string', { description: 'the capture date of the evidence file being checked' })
    // Acts before the regulation came into force were not done under it: no role it creates
    // (データ保護管理者 …) existed to do them. Rules judging who acted skip them with this.
    .registerVariable('enforcedOn', 'string', { description: 'the day the regulation came into force (YYYY-MM-DD; empty without a catalog)' });

  const lookups: CompiledLookup[] = [];
  for (const l of validLookups) {
    const env = base.clone().registerVariable('record', model.recordType(l.lookup.register));
    const site = (f: string): ExprSite => ({ source: l.source, pointer: `${l.pointer}/${f}` });
    const key = compileExpr(env, l.lookup.key, site('key'));
    const when = l.lookup.when !== undefined ? compileExpr(env, l.lookup.when, site('when'), 'bool') : undefined;
    if (!key.ok) problems.push(key.problem);
    else if (key.expr.type !== 'string') problems.push(problemFinding('policy/bad-lookup', l.source.locate(`${l.pointer}/key`), { name: l.name, detail: `key must be a string (it is ${key.expr.type})` }));
    if (when && !when.ok) problems.push(when.problem);
    if (key.ok && key.expr.type === 'string' && (!when || when.ok)) lookups.push({ loaded: l, key: key.expr, ...(when?.ok ? { when: when.expr } : {}) });
  }

  const rules: CompiledRule[] = [];
  for (const loaded of policies.rules) {
    const ruleProblems: Finding[] = [];
    const compiled = compileRule(loaded, base, model, overrides[loaded.rule.id] ?? {}, ruleProblems, template);
    appendAll(problems, ruleProblems);
    if (compiled && ruleProblems.length === 0) {
      const lookupRegister = new Map(lookups.map((l) => [l.loaded.name, l.loaded.lookup.register]));
      const exprs = [compiled.when, ...compiled.assertions.flatMap((a) => [a.expr, a.forEach]), ...compiled.due.flatMap((d) => [d.date, d.when, d.forEach])].filter((e): e is CompiledExpr => e !== undefined);
      for (const e of exprs) for (const r of registersRead(e.run.ast, lookupRegister)) compiled.reads.add(r);
      rules.push(compiled);
    }
  }
  for (const id of Object.keys(overrides)) {
    if (!policies.rules.some((r) => r.rule.id === id)) problems.push(problemFinding('policy/unknown-parameter', undefined, { rule: id, name: Object.keys(overrides[id]!).join(', ') }));
  }
  return { compiled: { rules, lookups, model, enforcedOn }, problems };
}

export interface CompileOptions {
  /**
   * Compile each message, label and `at` template on its first use rather than now. Only for
   * policies known to compile clean (src/engine/cel/engine.ts): a template's problems are then
   * never reported, and a template that has one after all throws when used.
   */
  lazyTemplates?: boolean;
}

type TemplateCompiler = typeof compileTemplate;

/**
 * A template compiled when first filled in: most runs fill in few messages (a check reports its
 * failures, not its passes), so most templates are never compiled.
 */
const lazyTemplate: TemplateCompiler = (env, text, site, personal) => {
  let compiled: Template | undefined;
  const template: Template = (ctx) => {
    if (!compiled) {
      const c = compileTemplate(env, text, site, personal);
      if (!c.template) throw new Error(`a template of a clean policy cache entry did not compile: ${text}`);
      compiled = c.template;
    }
    return compiled(ctx);
  };
  return { template, problems: [] };
};

function compileRule(loaded: LoadedRule, base: Environment, model: CelModel, overrides: Record<string, unknown>, problems: Finding[], compileTemplate: TemplateCompiler): CompiledRule | undefined {
  const { rule, source, pointer } = loaded;
  const site = (path: string): ExprSite => ({ source, pointer: `${pointer}/${path}` });
  const anyRegister = rule.register === ANY_REGISTER;
  if (anyRegister && rule.scope !== 'register') {
    problems.push(problemFinding('policy/schema', source.locate(`${pointer}/register`), { detail: { ja: `register: "*" は scope: register とともに使います`, en: `register: "*" requires scope: register` } }));
    return undefined;
  }
  if (!anyRegister && !model.registerKinds.includes(rule.register)) {
    problems.push(problemFinding('policy/unknown-register', source.locate(`${pointer}/register`), { kind: rule.register }));
    return undefined;
  }

  // Parameters: defaults from the policy, overridden per run; each value checked against its type.
  const declared: Record<string, Parameter> = rule.parameters ?? {};
  const values: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(declared)) {
    const v = name in overrides ? overrides[name] : p.default;
    const bad = checkParameter(p.type, v);
    if (bad) {
      const at = name in overrides ? undefined : source.locate(`${pointer}/parameters/${name}/default`);
      problems.push(problemFinding('policy/bad-parameter', at, { name: `${rule.id}.${name}`, type: p.type, value: JSON.stringify(v) }));
    } else values[name] = v;
  }
  for (const name of Object.keys(overrides)) {
    if (!(name in declared)) problems.push(problemFinding('policy/unknown-parameter', source.locate(`${pointer}/id`), { rule: rule.id, name }));
  }
  if (problems.length > 0) return undefined;

  const paramsType = `Params${pascal(rule.id)}`;
  model.defineType(paramsType, Object.fromEntries(Object.entries(declared).map(([n, p]) => [n, p.type])));
  const env = base.clone();
  model.registerTypes(env, [paramsType]);
  env
    .registerVariable('params', paramsType)
    .registerVariable('record', anyRegister ? EVIDENCE_FILE_TYPE : (rule.scope ?? 'record') === 'register' ? model.documentType(rule.register) : model.recordType(rule.register));

  const params = model.make(paramsType, Object.fromEntries(Object.entries(values).map(([n, v]) => [n, toCelParameter(declared[n]!.type, v)])));

  let when: CompiledExpr | undefined;
  if (rule.when !== undefined) {
    const c = compileExpr(env, rule.when, site('when'), 'bool');
    if (c.ok) when = c.expr;
    else problems.push(c.problem);
  }

  const assertions: CompiledAssertion[] = [];
  rule.assertions.forEach((a, i) => {
    const aSite = (f: string) => site(`assertions/${i}/${f}`);
    let aEnv = env;
    let forEach: CompiledExpr | undefined;
    if (a.forEach !== undefined) {
      const c = compileExpr(env, a.forEach, aSite('forEach'));
      if (!c.ok) return void problems.push(c.problem);
      const m = /^list<(.*)>$/.exec(c.expr.type);
      if (!m && c.expr.type !== 'dyn') return void problems.push(problemFinding('policy/cel-type', source.locate(`${pointer}/assertions/${i}/forEach`), { detail: `forEach must return a list (it returns ${c.expr.type})` }));
      forEach = c.expr;
      // Each element is bound to `item`, its index to `position`.
      aEnv = env.clone().registerVariable('item', m ? m[1]! : 'dyn').registerVariable('position', 'int');
    }
    const expr = compileExpr(aEnv, a.expr, aSite('expr'), 'bool');
    if (!expr.ok) return void problems.push(expr.problem);
    const message = a.message ?? rule.message;
    const messagePointer = a.message ? `assertions/${i}/message` : 'message';
    const ja = compileTemplate(aEnv, message.ja, site(`${messagePointer}/ja`), model.personal);
    const en = compileTemplate(aEnv, message.en, site(`${messagePointer}/en`), model.personal);
    const at = a.at !== undefined ? compileTemplate(aEnv, a.at, aSite('at'), model.personal) : undefined;
    appendAll(problems, [ja.problems, en.problems, at?.problems ?? []].flat());
    if (!ja.template || !en.template || (at && !at.template)) return;
    const forEachPointer = forEach ? recordFieldPointer(forEach.run.ast) : undefined;
    assertions.push({
      id: a.id,
      expr: expr.expr,
      ...(forEach ? { forEach } : {}),
      ...(forEachPointer ? { forEachPointer } : {}),
      ...(at?.template ? { at: at.template } : {}),
      message: { ja: ja.template, en: en.template },
    });
  });
  const due = compileDue(loaded, env, model, problems, compileTemplate);
  if (problems.length > 0) return undefined;
  return { loaded: withParameterText(loaded, values), params, shownParams: values, ...(when ? { when } : {}), assertions, due, reads: new Set(anyRegister ? [] : [rule.register]) };
}

/** A rule's parameters at their defaults (what a run without overrides applies, once they type-check). */
export function defaultParameters(loaded: LoadedRule): Record<string, unknown> {
  return Object.fromEntries(Object.entries(loaded.rule.parameters ?? {}).map(([name, p]) => [name, p.default]));
}

/**
 * A rule's title and remediation may name a parameter (`{{params.maxIdleMinutes}}`) so that the
 * text follows the value (`kitei lint` asks for it): filled in here with the values of this run.
 * The rule is copied, so the loaded policies (cached, shared by runs with other values) are not changed.
 */
export function withParameterText(loaded: LoadedRule, values: Record<string, unknown>): LoadedRule {
  const { rule } = loaded;
  const fill = (t: string) => t.replace(/\{\{\s*params\.(\w+)\s*\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
  const texts = [rule.title.ja, rule.title.en, rule.remediation.ja, rule.remediation.en];
  if (!texts.some((t) => t.includes('{{'))) return loaded;
  return {
    ...loaded,
    rule: { ...rule, title: { ja: fill(rule.title.ja), en: fill(rule.title.en) }, remediation: { ja: fill(rule.remediation.ja), en: fill(rule.remediation.en) } },
  };
}

/** The CEL type of a register file's envelope, which `register: "*"` rules see as `record`. */
export const EVIDENCE_FILE_TYPE = 'EvidenceFile';

/** Compiles a rule's deadlines: a date expression (string), an optional condition and list, a label. */
function compileDue(loaded: LoadedRule, env: Environment, model: CelModel, problems: Finding[], compileTemplate: TemplateCompiler): CompiledDue[] {
  const { rule, source, pointer } = loaded;
  const out: CompiledDue[] = [];
  (rule.due ?? []).forEach((d, i) => {
    const site = (f: string): ExprSite => ({ source, pointer: `${pointer}/due/${i}/${f}` });
    const before = problems.length;
    let dEnv = env;
    let forEach: CompiledExpr | undefined;
    if (d.forEach !== undefined) {
      const c = compileExpr(env, d.forEach, site('forEach'));
      if (!c.ok) return void problems.push(c.problem);
      const m = /^list<(.*)>$/.exec(c.expr.type);
      forEach = c.expr;
      dEnv = env.clone().registerVariable('item', m ? m[1]! : 'dyn').registerVariable('position', 'int');
    }
    const when = d.when !== undefined ? compileExpr(dEnv, d.when, site('when'), 'bool') : undefined;
    const date = compileExpr(dEnv, d.date, site('date'));
    if (when && !when.ok) problems.push(when.problem);
    if (!date.ok) problems.push(date.problem);
    else if (date.expr.type !== 'string') problems.push(problemFinding('policy/cel-type', source.locate(`${pointer}/due/${i}/date`), { detail: `a due date must be a string YYYY-MM-DD (it is ${date.expr.type})` }));
    const ja = compileTemplate(dEnv, d.label.ja, site('label/ja'), model.personal);
    const en = compileTemplate(dEnv, d.label.en, site('label/en'), model.personal);
    const at = d.at !== undefined ? compileTemplate(dEnv, d.at, site('at'), model.personal) : undefined;
    appendAll(problems, [ja.problems, en.problems, at?.problems ?? []].flat());
    if (problems.length > before || !date.ok || !ja.template || !en.template) return;
    out.push({
      id: d.id,
      date: date.expr,
      label: { ja: ja.template, en: en.template },
      ...(when?.ok ? { when: when.expr } : {}),
      ...(forEach ? { forEach } : {}),
      ...(at?.template ? { at: at.template } : {}),
    });
  });
  return out;
}

/** Registers an expression reads: `byId.<kind>`, `registers.<kind>`, and `lookups.<name>` (its register). */
function registersRead(ast: ASTNode, lookupRegister: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const n of findNodes(ast, (x) => x.op === '.' || x.op === '.?')) {
    const [operand, field] = n.args as [ASTNode, string];
    if (operand.op !== 'id') continue;
    if (operand.args === 'byId' || operand.args === 'registers') out.push(field);
    else if (operand.args === 'lookups' && lookupRegister.has(field)) out.push(lookupRegister.get(field)!);
  }
  return out;
}
