import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Environment, type ASTNode } from '@marcbachmann/cel-js';
import type { Finding, Location } from '../core/findings.js';
import { appendAll } from '../core/arrays.js';
import { problemFinding, type ProblemCode, type ProblemValue } from '../core/problems.js';
import { compilePolicies, ANY_REGISTER, type CompiledPolicies, type CompiledRule } from '../engine/cel/compile.js';
import { findNodes, siteLocation, type CompiledExpr, type ExprSite } from '../engine/cel/expression.js';
import { CelModel } from '../engine/cel/values.js';
import { loadPolicyBundles } from '../policy/bundles.js';
import type { LoadedRule, Parameter, PolicySet } from '../policy/model.js';
import { loadSchemaSet } from '../schema/registry.js';
import { objectShapes, type Shape } from '../schema/shape.js';

/**
 * `kitei lint`: mistakes in policy files that load and type-check but make a rule silently wrong.
 * Each finding has a stable `lint/…` code and the policy file's line and column, through the same
 * position machinery as CEL problems (`siteLocation`). Lint findings are failures (exit 1); a
 * policy that cannot be loaded at all is a problem (exit 2), as with `kitei check`.
 */
export interface LintResult {
  policies: { dir: string; files: string[]; rules: number };
  /** The regulation text the quotes were held to, or undefined when it was not found (quotes not checked). */
  regulation?: string;
  findings: Finding[];
  /** Problems loading the policies or schemas. */
  problems: Finding[];
}

export interface LintOptions {
  policiesDir: string;
  schemasDir: string;
  /** The regulation's text (markdown); default: ../shared/regulation beside the package, when present; false: do not check quotes. */
  regulation?: string | false;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the regulation's only copy is kept: beside the repository, as on the developers' machines and in CI. */
export const DEFAULT_REGULATION = path.resolve(PACKAGE_ROOT, '../shared/regulation/system-operations-rules.ja.md');

export async function lintPolicies(options: LintOptions): Promise<LintResult> {
  const schemas = await loadSchemaSet(options.schemasDir);
  const { policies, problems: loadProblems } = await loadPolicyBundles(options.policiesDir);
  const model = new CelModel(schemas);
  const { compiled, problems: compileProblems } = compilePolicies(policies, model);
  const findings = lintCompiled(policies, compiled);
  const regulationPath = options.regulation === false ? undefined : (options.regulation ?? (existsSync(DEFAULT_REGULATION) ? DEFAULT_REGULATION : undefined));
  if (regulationPath) appendAll(findings, quoteFindings(policies.rules, readFileSync(regulationPath, 'utf8')));
  return {
    policies: { dir: options.policiesDir, files: policies.files, rules: policies.rules.length },
    ...(regulationPath ? { regulation: regulationPath } : {}),
    findings: sortFindings(findings),
    problems: [...loadProblems, ...compileProblems],
  };
}

/**
 * The lints run at every policy load (src/check.ts): those that make a compiled rule silently
 * judge wrongly (a literal no record can hold, a finding placed at a field that cannot exist).
 */
export function lintAtLoad(compiled: CompiledPolicies): Finding[] {
  const out: Finding[] = [];
  const fields = typeFields(compiled.model);
  for (const r of compiled.rules) {
    for (const { expr, site } of expressionsOf(r)) appendAll(out, enumFindings(expr, site, fields));
    appendAll(out, atFindings(r, compiled.model));
  }
  return out;
}

/** The lints that need only the loaded and compiled policies (no regulation, no case runs). */
export function lintCompiled(policies: PolicySet, compiled: CompiledPolicies): Finding[] {
  const out: Finding[] = [];
  const fields = typeFields(compiled.model);
  for (const r of compiled.rules) {
    for (const { expr, site } of expressionsOf(r)) appendAll(out, enumFindings(expr, site, fields));
    appendAll(out, atFindings(r, compiled.model));
  }
  for (const l of compiled.lookups) {
    appendAll(out, enumFindings(l.key, { source: l.loaded.source, pointer: `${l.loaded.pointer}/key` }, fields));
    if (l.when) appendAll(out, enumFindings(l.when, { source: l.loaded.source, pointer: `${l.loaded.pointer}/when` }, fields));
  }
  for (const r of policies.rules) {
    appendAll(out, parameterUseFindings(r));
    appendAll(out, parameterTextFindings(r));
  }
  return out;
}

export function lintFinding(code: ProblemCode, location: Location | undefined, values: Record<string, ProblemValue>): Finding {
  return { ...problemFinding(code, location, values, { severity: 'medium' }), outcome: 'fail' };
}

function sortFindings(findings: Finding[]): Finding[] {
  const key = (f: Finding) => [f.location?.file ?? '', String(f.location?.line ?? 0).padStart(6, '0'), String(f.location?.column ?? 0).padStart(6, '0'), f.code ?? ''].join('\0');
  return [...findings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Every compiled expression of a rule with the scalar it was written in. */
function expressionsOf(r: CompiledRule): { expr: CompiledExpr; site: ExprSite }[] {
  const { source, pointer } = r.loaded;
  const at = (p: string): ExprSite => ({ source, pointer: `${pointer}/${p}` });
  const out: { expr: CompiledExpr; site: ExprSite }[] = [];
  if (r.when) out.push({ expr: r.when, site: at('when') });
  // A rule with any problem is not compiled, so compiled assertions and due entries keep their indexes.
  r.assertions.forEach((a, i) => {
    out.push({ expr: a.expr, site: at(`assertions/${i}/expr`) });
    if (a.forEach) out.push({ expr: a.forEach, site: at(`assertions/${i}/forEach`) });
  });
  r.due.forEach((d, i) => {
    out.push({ expr: d.date, site: at(`due/${i}/date`) });
    if (d.when) out.push({ expr: d.when, site: at(`due/${i}/when`) });
    if (d.forEach) out.push({ expr: d.forEach, site: at(`due/${i}/forEach`) });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// lint/enum-value: a string literal compared with (==, !=) or `in` a list against an enum field.

type Fields = Map<string, Record<string, Shape>>;

/** CEL type name → its fields' shapes, for every object type of every register. */
function typeFields(model: CelModel): Fields {
  const out: Fields = new Map();
  for (const kind of model.registerKinds) for (const [name, shape] of objectShapes(model.documentShape(kind))) out.set(name, shape.fields);
  return out;
}

type Checked = ASTNode & { checkedType?: { name?: string } };

/** The field a node reads (`x.f`, `x.?f`, `x.?f.orValue(…)`), with its enum values when the schema gives them. */
function enumOf(node: ASTNode, fields: Fields): { field: string; values: readonly string[]; list: boolean } | undefined {
  let n = node;
  if (n.op === 'rcall' && (n.args as unknown[])[0] === 'orValue') n = (n.args as unknown[])[1] as ASTNode;
  if (n.op !== '.' && n.op !== '.?') return undefined;
  const [operand, field] = n.args as [Checked, string];
  let type = operand.checkedType?.name ?? '';
  const opt = /^optional<(.*)>$/.exec(type);
  if (opt) type = opt[1]!;
  const shape = fields.get(type)?.[field];
  if (shape?.kind === 'string' && shape.enum) return { field: `${type}.${field}`, values: shape.enum, list: false };
  if (shape?.kind === 'list' && shape.items.kind === 'string' && shape.items.enum) return { field: `${type}.${field}`, values: shape.items.enum, list: true };
  return undefined;
}

const isString = (n: ASTNode | undefined): boolean => n?.op === 'value' && typeof n.args === 'string';

function enumFindings(expr: CompiledExpr, site: ExprSite, fields: Fields): Finding[] {
  const out: Finding[] = [];
  const check = (literal: ASTNode, e: { field: string; values: readonly string[] }) => {
    const value = literal.args as string;
    if (!e.values.includes(value)) out.push(lintFinding('lint/enum-value', siteLocation(site, literal.range.start), { value, field: e.field, known: e.values.join(', ') }));
  };
  for (const n of findNodes(expr.run.ast, (x) => x.op === '==' || x.op === '!=' || x.op === 'in')) {
    const [l, r] = n.args as [ASTNode, ASTNode];
    if (n.op === 'in') {
      const left = enumOf(l, fields);
      if (left && !left.list && r.op === 'list') for (const item of r.args as ASTNode[]) if (isString(item)) check(item, left);
      const right = enumOf(r, fields);
      if (right?.list && isString(l)) check(l, right);
      continue;
    }
    const le = enumOf(l, fields);
    const re = enumOf(r, fields);
    if (le && !le.list && isString(r)) check(r, le);
    if (re && !re.list && isString(l)) check(l, re);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// lint/unknown-at-field: an assertion's `at` (relative to the record) naming a field the schema lacks.

const WILD = '\u0000';
const bare = new Environment({ enableOptionalTypes: true });

/** The pointers a template `at` can produce: literal text, with each hole's string literals (joined by + and ?:) or a wildcard. */
export function atCandidates(text: string): string[] {
  let out = [''];
  let last = 0;
  for (const m of text.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const lit = text.slice(last, m.index);
    last = m.index! + m[0].length;
    let alternatives = [WILD];
    try {
      alternatives = stringsOf(bare.parse(m[1]!.trim()).ast);
    } catch {
      // Left as a wildcard: the compiler reports a broken hole.
    }
    out = out.flatMap((o) => alternatives.map((a) => o + lit + a)).slice(0, 64);
  }
  return out.map((o) => o + text.slice(last));
}

function stringsOf(n: ASTNode): string[] {
  if (isString(n)) return [n.args as string];
  if (n.op === '?:') {
    const [, a, b] = n.args as ASTNode[];
    return [...stringsOf(a!), ...stringsOf(b!)];
  }
  if (n.op === '+') {
    const [a, b] = n.args as ASTNode[];
    return stringsOf(a!).flatMap((x) => stringsOf(b!).map((y) => x + y));
  }
  return [WILD];
}

/** The first segment of `pointer` the shape does not have, or undefined when the pointer may exist. */
export function missingSegment(shape: Shape, pointer: string): string | undefined {
  if (pointer === '' || pointer.startsWith(WILD)) return undefined;
  let s: Shape = shape;
  for (const raw of pointer.split('/').slice(1)) {
    if (raw.includes(WILD)) return undefined;
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (s.kind === 'list') {
      if (!/^\d+$/.test(seg)) return seg;
      s = s.items;
    } else if (s.kind === 'map') s = s.values;
    else if (s.kind === 'object') {
      const next = s.fields[seg];
      if (!next) return seg;
      s = next;
    } else if (s.kind === 'dyn') return undefined;
    else return seg;
  }
  return undefined;
}

const ENVELOPE: Shape = { kind: 'object', name: 'EvidenceFile', fields: { register: { kind: 'string' }, capturedAt: { kind: 'string' } } };

function atFindings(r: CompiledRule, model: CelModel): Finding[] {
  const { rule, source, pointer } = r.loaded;
  const base = rule.register === ANY_REGISTER ? ENVELOPE : (rule.scope ?? 'record') === 'register' ? model.documentShape(rule.register) : model.recordShape(rule.register);
  const out: Finding[] = [];
  const visit = (at: string | undefined, p: string, owner: string) => {
    if (at === undefined) return;
    for (const candidate of new Set(atCandidates(at))) {
      const seg = missingSegment(base, candidate);
      if (seg === undefined) continue;
      const i = at.indexOf(`/${seg}`);
      const shown = candidate.replace(new RegExp(WILD, 'g'), '{{…}}');
      out.push(lintFinding('lint/unknown-at-field', siteLocation({ source, pointer: p }, i >= 0 ? i + 1 : 0), { owner, pointer: shown, field: seg, register: rule.register }));
      return;
    }
  };
  rule.assertions.forEach((a, i) => visit(a.at, `${pointer}/assertions/${i}/at`, a.id));
  (rule.due ?? []).forEach((d, i) => visit(d.at, `${pointer}/due/${i}/at`, d.id));
  return out;
}

// ---------------------------------------------------------------------------------------------
// lint/unused-parameter, lint/undeclared-parameter: read textually, so a rule that failed to
// compile (an undeclared parameter is a type error) is still told which name is wrong.

const PARAM_USE = /\bparams\.([A-Za-z_]\w*)/g;

/** Every scalar of a rule that may hold CEL or a template, with its pointer. */
function textsOf(r: LoadedRule): { pointer: string; text: string }[] {
  const { rule, pointer } = r;
  const out: { pointer: string; text: string }[] = [];
  const add = (p: string, text: string | undefined) => {
    if (text !== undefined) out.push({ pointer: `${pointer}/${p}`, text });
  };
  for (const k of ['title', 'message', 'remediation'] as const) for (const l of ['ja', 'en'] as const) add(`${k}/${l}`, rule[k][l]);
  add('when', rule.when);
  rule.assertions.forEach((a, i) => {
    add(`assertions/${i}/expr`, a.expr);
    add(`assertions/${i}/forEach`, a.forEach);
    add(`assertions/${i}/at`, a.at);
    add(`assertions/${i}/message/ja`, a.message?.ja);
    add(`assertions/${i}/message/en`, a.message?.en);
  });
  (rule.due ?? []).forEach((d, i) => {
    for (const f of ['date', 'when', 'forEach', 'at'] as const) add(`due/${i}/${f}`, d[f]);
    add(`due/${i}/label/ja`, d.label.ja);
    add(`due/${i}/label/en`, d.label.en);
  });
  return out;
}

function parameterUseFindings(r: LoadedRule): Finding[] {
  const declared = r.rule.parameters ?? {};
  const used = new Set<string>();
  const out: Finding[] = [];
  for (const { pointer, text } of textsOf(r)) {
    for (const m of text.matchAll(PARAM_USE)) {
      const name = m[1]!;
      used.add(name);
      if (!(name in declared)) out.push(lintFinding('lint/undeclared-parameter', siteLocation({ source: r.source, pointer }, m.index! + 'params.'.length), { rule: r.rule.id, name }));
    }
  }
  for (const name of Object.keys(declared)) {
    if (!used.has(name)) out.push(lintFinding('lint/unused-parameter', r.source.locate(`${r.pointer}/parameters/${name}`), { rule: r.rule.id, name }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// lint/parameter-in-text: a number with a unit in a title, message or remediation that equals a
// parameter's default: the text would not follow the value. Only numbers next to a unit are
// read (clause numbers, dates and years are not), and the unit must be the parameter's.

const UNITS: Record<string, RegExp> = {
  minutes: /^(分|minutes?)$/,
  hours: /^(時間|hours?)$/,
  days: /^(日間?|営業日|days?|business days?)$/,
  months: /^(か月|ヶ月|カ月|ケ月|箇月|months?)$/,
  years: /^(年間?|years?)$/,
};
const NUMBER_WITH_UNIT = /(?<![\d.０-９月年第])(\d+(?:\.\d+)?)(\s*)(分|時間|営業日|日間|日|か月|ヶ月|カ月|ケ月|箇月|年間|年(?![\d０-９])|(?:[a-z-]+\s+)?(?:minutes?|hours?|days?|months?|years?)\b)/g;

function unitFamily(unit: string): string | undefined {
  const u = unit.replace(/^[a-z-]+\s+(?=(minutes?|hours?|days?|months?|years?)$)/, '');
  return Object.keys(UNITS).find((k) => UNITS[k]!.test(u));
}

function parameterFamily(p: Parameter): string | undefined {
  if (!p.unit) return undefined;
  return unitFamily(p.unit) ?? Object.keys(UNITS).find((k) => p.unit!.toLowerCase().startsWith(k.slice(0, -1)));
}

function parameterTextFindings(r: LoadedRule): Finding[] {
  const params = Object.entries(r.rule.parameters ?? {}).filter(([, p]) => (p.type === 'int' || p.type === 'double') && typeof p.default === 'number');
  if (params.length === 0) return [];
  const out: Finding[] = [];
  for (const { pointer, text } of textsOf(r)) {
    if (!/\/(title|message|remediation|label)\//.test(pointer)) continue;
    // Holes are templates already: blank them out, keeping offsets.
    const plain = text.replace(/\{\{[\s\S]*?\}\}/g, (h) => ' '.repeat(h.length));
    for (const m of plain.matchAll(NUMBER_WITH_UNIT)) {
      const value = Number(m[1]);
      const family = unitFamily(m[3]!.trim());
      const hit = params.find(([, p]) => p.default === value && (parameterFamily(p) === undefined || parameterFamily(p) === family));
      if (!hit || family === undefined) continue;
      out.push(lintFinding('lint/parameter-in-text', siteLocation({ source: r.source, pointer }, m.index!), { text: m[0], param: hit[0] }));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// lint/quote-not-in-regulation: auditors read a rule's `quote` (and each parameter's source
// quote) as the regulation's own words; every sentence fragment must appear in the regulation.

/**
 * Whitespace, list markers, bold markers and item numbers such as （1） differ between the
 * regulation's layout and a quote; the regulation also writes 粉碎 with a variant character.
 */
export const normalizeRegulation = (s: string) => s.replace(/\*\*/g, '').replace(/^\s*-\s*/gm, '').replace(/\s+/g, '').replace(/[（(]\d+[)）]/g, '').replace(/碎/g, '砕');

/** Quotes may join passages with …, cite their clause in （第N条…）, or quote a phrase in 「」; each sentence is a fragment. */
const QUOTE_SEPARATOR = /…|（第[^）]*）|\(第[^)]*\)|[「」\n]|(?<=。)/g;

/** The fragments of a quote at least 6 characters long (once normalised), with their offsets in the quote. */
export function quoteFragments(quote: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let last = 0;
  const push = (end: number) => {
    const raw = quote.slice(last, end);
    const lead = raw.length - raw.trimStart().length;
    if (normalizeRegulation(raw).length >= 6) out.push({ text: raw.trim(), offset: last + lead });
  };
  for (const m of quote.matchAll(QUOTE_SEPARATOR)) {
    push(m.index!);
    last = m.index! + m[0].length;
  }
  push(quote.length);
  return out;
}

export function quoteFindings(rules: readonly LoadedRule[], regulationText: string): Finding[] {
  const regulation = normalizeRegulation(regulationText);
  const out: Finding[] = [];
  for (const r of rules) {
    const quotes = [{ pointer: `${r.pointer}/quote`, text: r.rule.quote }, ...Object.entries(r.rule.parameters ?? {}).map(([n, p]) => ({ pointer: `${r.pointer}/parameters/${n}/source/quote`, text: p.source.quote }))];
    for (const q of quotes) {
      for (const f of quoteFragments(q.text)) {
        if (!regulation.includes(normalizeRegulation(f.text))) out.push(lintFinding('lint/quote-not-in-regulation', siteLocation({ source: r.source, pointer: q.pointer }, f.offset), { rule: r.rule.id, fragment: f.text }));
      }
    }
  }
  return out;
}
