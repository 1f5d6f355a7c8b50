import { noOutcomes, type Finding, type Location, type Outcome } from '../../core/findings.js';
import { problemMessage } from '../../core/problems.js';
import { joinPointer } from '../../core/source.js';
import { wrongFieldsOf, type EvidenceDocument, type EvidenceRecord } from '../../evidence/document.js';
import type { EvaluateOptions, RuleRun } from '../engine.js';
import { isDate } from '../../core/dates.js';
import type { DueItem } from '../due.js';
import { ANY_REGISTER, EVIDENCE_FILE_TYPE, type CompiledAssertion, type CompiledPolicies, type CompiledRule } from './compile.js';
import type { CompiledExpr } from './expression.js';
import { appendAll } from '../../core/arrays.js';
import { noteInvalidReads, taintedMap, taintedRecord, type InvalidRead } from './taint.js';


interface Target {
  doc: EvidenceDocument;
  /** The record, or undefined when the rule is register-scoped (the whole file). */
  record?: EvidenceRecord;
  value: unknown;
  /**
   * Register scope only: `record.records` holds the valid records, so index i there is record
   * validIndex[i] of the file. Pointers into /records/i are mapped back before locating.
   */
  validIndex?: number[];
}

/**
 * The one finding for a target whose evaluation read a wrong field of an invalid record: not
 * evaluated (never pass or fail), naming the records it depends on.
 */
function dependsOnInvalid(rule: CompiledRule, t: Target, invalid: InvalidRead[]): Finding {
  const meta = rule.loaded.rule;
  const named = invalid.slice(0, 3).map(({ doc, record }) => {
    const at = doc.source.locate(record.pointer);
    return `${doc.register} ${record.id} (${at.file}:${at.line})`;
  });
  const records = named.join(', ') + (invalid.length > 3 ? ` … (+${invalid.length - 3})` : '');
  return {
    ruleId: meta.id,
    clauses: meta.clauses,
    outcome: 'error',
    severity: meta.severity,
    code: 'rule/invalid-dependency',
    message: problemMessage('rule/invalid-dependency', { records }),
    ...(t.record ? { recordId: t.record.id } : {}),
    location: t.doc.source.locate(t.record?.pointer ?? ''),
  };
}

const NO_READS: InvalidRead[] = [];
const ALL_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(['pass', 'fail', 'not_applicable', 'error']);
const NO_OUTCOMES: Record<Outcome, number> = noOutcomes();

/** The evaluation context built once per run: CEL values, indexes, lookups and targets. */
interface Prepared {
  base: Record<string, unknown>;
  targetsOf: (kind: string, scope: 'record' | 'register') => Target[];
  /** Runs an evaluation, noting the invalid records it read (none to note when the evidence has none). */
  watch: <T>(fn: () => T) => { value: T; invalid: InvalidRead[] };
  /** Whether the evidence has invalid records, whose reads `watch` notes. */
  watching: boolean;
}

function prepare(compiled: CompiledPolicies, documents: EvidenceDocument[], asOf: string): Prepared {
  const { model } = compiled;
  const byKind = new Map<string, EvidenceDocument[]>();
  for (const d of documents) {
    if (!d.valid) continue;
    const list = byKind.get(d.register);
    if (list) list.push(d);
    else byKind.set(d.register, [d]);
  }

  // One CEL value per valid record, reused by every rule, list, index and lookup. An invalid
  // record is there too, as a proxy that stops any verdict reading its wrong fields (taint.ts);
  // it is never a target itself. Kept per document by record index (not in a map keyed by
  // record: a hundred thousand entries of hashing, which showed in profiles).
  const celValues = new Map<EvidenceDocument, unknown[]>();
  let invalidRecords = 0;
  const lists: Record<string, unknown[]> = {};
  const indexes: Record<string, Map<string, unknown>> = {};
  for (const kind of model.registerKinds) {
    const shape = model.recordShape(kind);
    const list: unknown[] = [];
    const index = new Map<string, unknown>();
    for (const doc of byKind.get(kind) ?? []) {
      const values = new Array<unknown>(doc.records.length);
      celValues.set(doc, values);
      for (let i = 0; i < doc.records.length; i++) {
        const rec = doc.records[i]!;
        if (rec.valid) {
          const v = model.convert(shape, rec.value);
          values[i] = v;
          list.push(v);
          index.set(rec.id, v);
          continue;
        }
        const wrong = wrongFieldsOf(rec);
        const readable = Object.fromEntries(Object.entries(rec.value).filter(([k]) => !wrong.has(k) && !wrong.has('')));
        const read = { doc, record: rec };
        const v = taintedRecord(model.convert(shape, readable) as object, wrong, read);
        values[i] = v;
        invalidRecords++;
        list.push(v);
        // A repeated id keeps its first record; an id that is itself wrong indexes nothing.
        if (!wrong.has('id') && !wrong.has('') && typeof rec.value.id === 'string' && !index.has(rec.id)) index.set(rec.id, v);
      }
    }
    lists[kind] = list;
    indexes[kind] = index;
  }
  const registers = model.make('Registers', lists);
  const byId = model.make('RegistersById', indexes);

  // Reads of invalid records are noted only when the evidence has some (nothing to allocate otherwise).
  const watch = invalidRecords > 0 ? noteInvalidReads : <T>(fn: () => T) => ({ value: fn(), invalid: NO_READS });
  const lookupValues: Record<string, Map<string, unknown[]>> = {};
  for (const l of compiled.lookups) {
    const groups = new Map<string, unknown[]>();
    const unplaced: InvalidRead[] = [];
    const ctx: Record<string, unknown> = { registers, byId, asOf, enforcedOn: compiled.enforcedOn, lookups: model.make('Lookups', {}), capturedAt: undefined, record: undefined };
    const keyOf = (): string | undefined => {
      try {
        if (l.when && l.when.run(ctx) !== true) return undefined;
        return l.key.run(ctx) as string;
      } catch {
        // A record whose key cannot be computed is simply not in the lookup.
        return undefined;
      }
    };
    for (const doc of byKind.get(l.loaded.lookup.register) ?? []) {
      ctx.capturedAt = doc.capturedAt;
      const values = celValues.get(doc) ?? [];
      for (let i = 0; i < doc.records.length; i++) {
        const v = values[i];
        if (v === undefined) continue;
        ctx.record = v;
        const { value: key, invalid } = watch(keyOf);
        // An invalid record whose key (or condition) cannot be read may belong to any group.
        if (invalid.length > 0) {
          appendAll(unplaced, invalid);
          continue;
        }
        if (key === undefined) continue;
        const group = groups.get(key);
        if (group) group.push(v);
        else groups.set(key, [v]);
      }
    }
    lookupValues[l.loaded.name] = unplaced.length > 0 ? taintedMap(groups, unplaced) : groups;
  }
  const lookups = model.make('Lookups', lookupValues);

  // What rules run on, built once per register and scope and shared by all rules on it. A
  // register-scoped target is the file with its valid records, reusing their CEL values.
  const targetCache = new Map<string, Target[]>();
  const targetsOf = (kind: string, scope: 'record' | 'register'): Target[] => {
    const key = `${scope}:${kind}`;
    let targets = targetCache.get(key);
    if (targets) return targets;
    const docs = byKind.get(kind) ?? [];
    if (kind === ANY_REGISTER) {
      // Every readable register file, by its envelope only.
      targets = documents
        .filter((doc) => doc.valid)
        .map((doc) => ({ doc, value: model.make(EVIDENCE_FILE_TYPE, { register: doc.register, capturedAt: doc.capturedAt }) }));
    } else if (scope === 'register') {
      // The file's records, invalid ones included as proxies: a verdict on the whole register
      // that reads a wrong field is not given.
      targets = docs.map((doc) => {
        const values = celValues.get(doc) ?? [];
        const validIndex = doc.records.map((_, i) => i).filter((i) => values[i] !== undefined);
        const value = model.convert(model.documentShape(kind), { ...doc.value, records: [] }) as { records: unknown[] };
        value.records = validIndex.map((i) => values[i]);
        return { doc, value, validIndex };
      });
    } else {
      targets = [];
      for (const doc of docs) {
        const values = celValues.get(doc) ?? [];
        doc.records.forEach((record, i) => {
          if (record.valid) targets!.push({ doc, record, value: values[i] });
        });
      }
    }
    targetCache.set(key, targets);
    return targets;
  };
  return { base: { registers, byId, lookups, asOf, enforcedOn: compiled.enforcedOn }, targetsOf, watch, watching: invalidRecords > 0 };
}

/**
 * The variables of a rule's evaluations, every one present from the start (undefined until set,
 * which CEL reads as not declared): one object shape for the whole run, never a property deleted,
 * so that reading a variable stays a fast property access.
 */
function variables(base: Record<string, unknown>, params: object): Record<string, unknown> {
  return { ...base, params, record: undefined, capturedAt: undefined, item: undefined, position: undefined };
}

/** Whether a rule is in force on `asOf`: its period, narrowed by when its clauses took effect. */
export function inForce(rule: CompiledRule | LoadedRuleLike, asOf: string): boolean {
  const { from, until } = periodOf(rule);
  return !((from && asOf < from) || (until && asOf > until));
}

type LoadedRuleLike = { loaded: CompiledRule['loaded'] };

function periodOf(rule: LoadedRuleLike): { from?: string; until?: string } {
  return rule.loaded.inForce ?? rule.loaded.rule.effective ?? {};
}

/**
 * The version of each rule id to apply on `asOf`: the one in force, or, when none is (a date
 * before the first version or after the last), the nearest, which then reports not applicable.
 */
export function versionsApplied<R extends LoadedRuleLike>(rules: readonly R[], asOf: string): R[] {
  const byId = new Map<string, R[]>();
  for (const r of rules) {
    const list = byId.get(r.loaded.rule.id);
    if (list) list.push(r);
    else byId.set(r.loaded.rule.id, [r]);
  }
  const out: R[] = [];
  for (const versions of byId.values()) {
    if (versions.length === 1) {
      out.push(versions[0]!);
      continue;
    }
    const sorted = [...versions].sort((a, b) => (a.loaded.rule.version ?? 1) - (b.loaded.rule.version ?? 1));
    const current = sorted.find((r) => inForce(r, asOf));
    const first = sorted[0]!;
    out.push(current ?? (asOf < (periodOf(first).from ?? '') ? first : sorted[sorted.length - 1]!));
  }
  return out;
}

/**
 * Evaluates compiled rules over the evidence as of `asOf`. Evidence is converted to CEL values
 * and indexed once; each rule then runs once per record. A rule that throws on a record gives
 * an `error` finding for that record and the run goes on.
 */
export function evaluateCel(compiled: CompiledPolicies, documents: EvidenceDocument[], asOf: string, unavailable: ReadonlySet<string> = new Set(), options: EvaluateOptions = {}): { findings: Finding[]; runs: RuleRun[] } {
  const evaluation = celEvaluation(compiled, documents, asOf)(unavailable, options);
  const findings: Finding[] = [];
  const runs: RuleRun[] = [];
  for (let i = 0; i < evaluation.rules; i++) {
    const { findings: found, run } = evaluation.evaluate(i);
    appendAll(findings, found);
    runs.push(run);
  }
  return { findings, runs };
}

/** One rule's findings (those kept) and run. */
export interface RuleResult {
  findings: Finding[];
  run: RuleRun;
}

/**
 * The rules applied on `asOf`, evaluated one at a time, for threads that share them
 * (src/threads/): `evaluate(i)` gives rule i's result, and the results concatenated in rule
 * order are `evaluateCel`'s. `costly` lists the rules from the most work to the least (records
 * it runs on × its assertions), so that threads taking them in that order end close together.
 */
export interface CelEvaluation {
  rules: number;
  costly: () => number[];
  evaluate: (i: number) => RuleResult;
}

/**
 * The evidence converted to CEL values and indexed (the work every rule shares, which depends
 * only on the documents), then, given what is unavailable and kept, the rules' evaluation.
 */
export function celEvaluation(compiled: CompiledPolicies, documents: EvidenceDocument[], asOf: string): (unavailable?: ReadonlySet<string>, options?: EvaluateOptions) => CelEvaluation {
  const prepared = prepare(compiled, documents, asOf);
  return (unavailable = new Set(), options = {}) => rulesOver(compiled, prepared, asOf, unavailable, options);
}

function rulesOver(compiled: CompiledPolicies, { base, targetsOf, watch, watching }: Prepared, asOf: string, unavailable: ReadonlySet<string>, options: EvaluateOptions): CelEvaluation {
  const keep = options.keep ?? ALL_OUTCOMES;
  const applied = versionsApplied(compiled.rules, asOf);
  const skipped = (rule: CompiledRule): boolean => [...rule.reads].some((r) => unavailable.has(r) || options.templates?.has(r));
  const evaluate = (i: number): RuleResult => {
    const rule = applied[i]!;
    const { rule: meta } = rule.loaded;
    const version = meta.version ?? 1;
    const findings: Finding[] = [];
    const missing = [...rule.reads].filter((r) => unavailable.has(r)).sort();
    if (missing.length > 0) {
      findings.push({
        ruleId: meta.id,
        clauses: meta.clauses,
        outcome: 'error',
        severity: meta.severity,
        code: 'rule/not-evaluated',
        message: problemMessage('rule/not-evaluated', { registers: missing.join(', ') }),
      });
      return { findings, run: { ruleId: meta.id, version, evaluated: 0, outcomes: { ...NO_OUTCOMES, error: 1 } } };
    }
    const templates = [...rule.reads].filter((r) => options.templates?.has(r)).sort();
    if (templates.length > 0) {
      if (keep.has('not_applicable')) findings.push({ ruleId: meta.id, clauses: meta.clauses, outcome: 'not_applicable', severity: meta.severity, code: 'rule/register-template', message: problemMessage('rule/register-template', { registers: templates.join(', ') }) });
      return { findings, run: { ruleId: meta.id, version, evaluated: 0, outcomes: { ...NO_OUTCOMES, not_applicable: 1 } } };
    }
    const targets = targetsOf(meta.register, meta.scope ?? 'record');
    const ctx = variables(base, rule.params);
    const outcomes = { ...NO_OUTCOMES };
    const evaluateTarget = targetEvaluator(rule, asOf, keep);
    // Indexed loops, here and below: this runs for every record, and an iterator per loop was a
    // tenth of what evaluation allocated.
    for (let ti = 0; ti < targets.length; ti++) {
      const t = targets[ti]!;
      ctx.record = t.value;
      ctx.capturedAt = t.doc.capturedAt;
      // Without invalid records in the evidence there are no reads to note (and nothing to allocate).
      if (!watching) {
        const found = evaluateTarget(t, ctx);
        for (let i = 0; i < found.length; i++) {
          const f = found[i]!;
          outcomes[f.outcome]++;
          if (keep.has(f.outcome)) findings.push(f);
        }
        continue;
      }
      const { value, invalid } = watch(() => evaluateTarget(t, ctx));
      if (invalid.length === 0) {
        for (const f of value) {
          outcomes[f.outcome]++;
          if (keep.has(f.outcome)) findings.push(f);
        }
      } else {
        outcomes.error++;
        findings.push(dependsOnInvalid(rule, t, invalid));
      }
    }
    return { findings, run: { ruleId: meta.id, version, evaluated: targets.length, outcomes } };
  };
  const costly = (): number[] => {
    const cost = applied.map((rule) => (skipped(rule) ? 0 : targetsOf(rule.loaded.rule.register, rule.loaded.rule.scope ?? 'record').length * (1 + rule.assertions.length)));
    return applied.map((_, i) => i).sort((a, b) => cost[b]! - cost[a]! || a - b);
  };
  return { rules: applied.length, costly, evaluate };
}

/**
 * The deadlines the rules in force derive from the evidence (`kitei due`): each rule's `due`
 * entries, evaluated on the records it applies to. Rules reading unavailable registers are skipped.
 */
export function dueCel(compiled: CompiledPolicies, documents: EvidenceDocument[], asOf: string, unavailable: ReadonlySet<string> = new Set()): DueItem[] {
  const { base, targetsOf, watch } = prepare(compiled, documents, asOf);
  const out: DueItem[] = [];
  for (const rule of versionsApplied(compiled.rules, asOf)) {
    if (rule.due.length === 0 || !inForce(rule, asOf) || [...rule.reads].some((r) => unavailable.has(r))) continue;
    const { rule: meta } = rule.loaded;
    const ctx = variables(base, rule.params);
    for (const t of targetsOf(meta.register, meta.scope ?? 'record')) {
      ctx.record = t.value;
      ctx.capturedAt = t.doc.capturedAt;
      // A deadline computed from an invalid record's wrong fields is no deadline: left out.
      const { value: items, invalid } = watch(() => dueOf(rule, t, ctx));
      if (invalid.length === 0) appendAll(out, items);
    }
  }
  return out;
}

/** The deadlines one rule derives from one target. */
function dueOf(rule: CompiledRule, t: Target, ctx: Record<string, unknown>): DueItem[] {
  const { rule: meta } = rule.loaded;
  const out: DueItem[] = [];
  try {
    if (rule.when && rule.when.run(ctx) !== true) return out;
  } catch {
    return out;
  }
  for (const d of rule.due) {
    const items = d.forEach ? safeList(d.forEach, ctx) : [undefined];
    items.forEach((item, i) => {
      if (d.forEach) {
        ctx.item = item;
        ctx.position = positionOf(i);
      }
      try {
        if (d.when && d.when.run(ctx) !== true) return;
        const date = d.date.run(ctx);
        if (typeof date !== 'string' || !isDate(date)) return;
        const relative = d.at ? d.at(ctx) : '';
        out.push({
          ruleId: meta.id,
          dueId: d.id,
          date,
          clauses: meta.clauses,
          label: { ja: d.label.ja(ctx), en: d.label.en(ctx) },
          ...(t.record ? { recordId: t.record.id } : {}),
          location: locate(t.doc, fileIndexes(joinPointer(t.record?.pointer ?? '', relative), t.validIndex)),
        });
      } catch {
        // A deadline that cannot be computed for this record is left out; `kitei check` reports the record.
      } finally {
        ctx.item = undefined;
        ctx.position = undefined;
      }
    });
  }
  return out;
}

function safeList(e: CompiledExpr, ctx: Record<string, unknown>): unknown[] {
  try {
    const v = e.run(ctx);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** A finding only counted, never kept: one shared object per outcome. */
type Evaluated = Exclude<Outcome, 'waived'>;
const COUNTED: Record<Evaluated, Finding[]> = {
  pass: [{ outcome: 'pass' } as Finding],
  fail: [{ outcome: 'fail' } as Finding],
  not_applicable: [{ outcome: 'not_applicable' } as Finding],
  error: [{ outcome: 'error' } as Finding],
};

/**
 * One rule's evaluation of a target: what depends only on the rule and the as-of date is worked
 * out once, and an outcome that is only counted (a pass, by default) allocates nothing.
 */
function targetEvaluator(rule: CompiledRule, asOf: string, keep: ReadonlySet<Outcome>): (t: Target, ctx: Record<string, unknown>) => Finding[] {
  const meta = rule.loaded.rule;
  const params = Object.keys(rule.shownParams).length > 0 ? { params: rule.shownParams } : {};
  // A finding that will only be counted is not built (nor located in the evidence).
  const finding = (t: Target, outcome: Evaluated, message: Finding['message'], relative = '', assertion?: string): Finding => (!keep.has(outcome) ? COUNTED[outcome][0]! : {
    ruleId: meta.id,
    ...(assertion ? { assertion } : {}),
    clauses: meta.clauses,
    outcome,
    severity: meta.severity,
    // Every error has a stable code, whether found while reading or while evaluating.
    ...(outcome === 'error' ? { code: 'rule/evaluation-error' } : {}),
    message,
    ...(t.record ? { recordId: t.record.id } : {}),
    location: locate(t.doc, fileIndexes(joinPointer(t.record?.pointer ?? '', relative), t.validIndex)),
    ...params,
  });

  if (!inForce(rule, asOf)) {
    const { from, until } = periodOf(rule);
    const outside = { ja: `適用外: 基準日 ${asOf} は有効期間（${from ?? ''}〜${until ?? ''}）外です`, en: `Not applicable: as-of ${asOf} is outside the effective period (${from ?? ''} to ${until ?? ''})` };
    return (t) => (keep.has('not_applicable') ? [finding(t, 'not_applicable', outside)] : COUNTED.not_applicable);
  }
  const keepPass = keep.has('pass');
  const keepNotApplicable = keep.has('not_applicable');
  return (t, ctx) => {
    if (rule.when) {
      let applies: unknown;
      try {
        applies = rule.when.run(ctx);
      } catch (e) {
        return [finding(t, 'error', problemMessage('rule/evaluation-error', { detail: `when: ${celErrorText(e)}` }), '', 'when')];
      }
      if (applies !== true) return keepNotApplicable ? [finding(t, 'not_applicable', { ja: `適用外: ${meta.title.ja} の適用条件に該当しません`, en: `Not applicable: the conditions of "${meta.title.en}" do not hold` })] : COUNTED.not_applicable;
    }

    // Built only when something is kept (no closure per target: this runs for every record).
    let out: Finding[] | undefined;
    const assertions = rule.assertions;
    for (let ai = 0; ai < assertions.length; ai++) {
      const a = assertions[ai]!;
      try {
        if (!a.forEach) {
          if (a.expr.run(ctx) !== true) (out ??= []).push(finding(t, 'fail', message(a, ctx), pointerOf(a, ctx), a.id));
          continue;
        }
        const items = a.forEach.run(ctx) as unknown[];
        for (let i = 0; i < items.length; i++) {
          ctx.item = items[i];
          ctx.position = positionOf(i);
          let ok: unknown;
          try {
            ok = a.expr.run(ctx);
          } catch (e) {
            (out ??= []).push(finding(t, 'error', problemMessage('rule/evaluation-error', { detail: `${a.id}: ${celErrorText(e)}` }), pointerOf(a, ctx, i), a.id));
            continue;
          }
          if (ok !== true) (out ??= []).push(finding(t, 'fail', message(a, ctx), pointerOf(a, ctx, i), a.id));
        }
      } catch (e) {
        (out ??= []).push(finding(t, 'error', problemMessage('rule/evaluation-error', { detail: `${a.id}: ${celErrorText(e)}` }), '', a.id));
      } finally {
        ctx.item = undefined;
        ctx.position = undefined;
      }
    }
    if (out) return out;
    return keepPass ? [finding(t, 'pass', { ...meta.title })] : COUNTED.pass;
  };
}

/**
 * `position` (a CEL int) of item i of a forEach: the small ones made once, not a BigInt per item
 * per record.
 */
const POSITIONS = Array.from({ length: 64 }, (_, i) => BigInt(i));
function positionOf(i: number): bigint {
  return i < POSITIONS.length ? POSITIONS[i]! : BigInt(i);
}

function message(a: CompiledAssertion, ctx: Record<string, unknown>) {
  return { ja: a.message.ja(ctx), en: a.message.en(ctx) };
}

function pointerOf(a: CompiledAssertion, ctx: Record<string, unknown>, index?: number): string {
  if (a.at) return a.at(ctx);
  if (index !== undefined && a.forEachPointer) return `${a.forEachPointer}/${index}`;
  return '';
}

function fileIndexes(pointer: string, validIndex: number[] | undefined): string {
  if (!validIndex) return pointer;
  return pointer.replace(/^\/records\/(\d+)/, (whole, i: string) => {
    const original = validIndex[Number(i)];
    return original === undefined ? whole : `/records/${original}`;
  });
}

function locate(doc: EvidenceDocument, pointer: string): Location {
  return doc.source.locate(pointer);
}

/** The one-line summary of a CEL error (cel-js appends a source excerpt to its messages). */
export function celErrorText(e: unknown): string {
  const err = e as { summary?: string; message?: string };
  return err.summary ?? (err.message ?? String(e)).split('\n')[0]!;
}
