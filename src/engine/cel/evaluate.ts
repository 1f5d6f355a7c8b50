import type { Finding, Location, Outcome } from '../../core/findings.js';
import { problemMessage } from '../../core/problems.js';
import { joinPointer } from '../../core/source.js';
import type { EvidenceDocument, EvidenceRecord } from '../../evidence/document.js';
import type { RuleRun } from '../engine.js';
import type { CompiledAssertion, CompiledPolicies, CompiledRule } from './compile.js';


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
 * Evaluates compiled rules over the evidence as of `asOf`. Evidence is converted to CEL values
 * and indexed once; each rule then runs once per record. A rule that throws on a record gives
 * an `error` finding for that record and the run goes on.
 */
export function evaluateCel(compiled: CompiledPolicies, documents: EvidenceDocument[], asOf: string, unavailable: ReadonlySet<string> = new Set()): { findings: Finding[]; runs: RuleRun[] } {
  const { model } = compiled;
  const byKind = new Map<string, EvidenceDocument[]>();
  for (const d of documents) {
    if (!d.valid) continue;
    const list = byKind.get(d.register);
    if (list) list.push(d);
    else byKind.set(d.register, [d]);
  }

  // One CEL value per valid record, reused by every rule, list, index and lookup.
  const celRecord = new Map<EvidenceRecord, unknown>();
  const lists: Record<string, unknown[]> = {};
  const indexes: Record<string, Map<string, unknown>> = {};
  for (const kind of model.registerKinds) {
    const shape = model.recordShape(kind);
    const list: unknown[] = [];
    const index = new Map<string, unknown>();
    for (const doc of byKind.get(kind) ?? []) {
      for (const rec of doc.records) {
        if (!rec.valid) continue;
        const v = model.convert(shape, rec.value);
        celRecord.set(rec, v);
        list.push(v);
        index.set(rec.id, v);
      }
    }
    lists[kind] = list;
    indexes[kind] = index;
  }
  const registers = model.make('Registers', lists);
  const byId = model.make('RegistersById', indexes);

  const lookupValues: Record<string, Map<string, unknown[]>> = {};
  for (const l of compiled.lookups) {
    const groups = new Map<string, unknown[]>();
    const ctx: Record<string, unknown> = { registers, byId, asOf, lookups: model.make('Lookups', {}) };
    for (const doc of byKind.get(l.loaded.lookup.register) ?? []) {
      ctx.capturedAt = doc.capturedAt;
      for (const rec of doc.records) {
        const v = celRecord.get(rec);
        if (v === undefined) continue;
        ctx.record = v;
        try {
          if (l.when && l.when.run(ctx) !== true) continue;
          const key = l.key.run(ctx) as string;
          const group = groups.get(key);
          if (group) group.push(v);
          else groups.set(key, [v]);
        } catch {
          // A record whose key cannot be computed is simply not in the lookup.
        }
      }
    }
    lookupValues[l.loaded.name] = groups;
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
    targets =
      scope === 'register'
        ? docs.map((doc) => {
            const valid = doc.records.map((r, i) => [r, i] as const).filter(([r]) => celRecord.has(r));
            const value = model.convert(model.documentShape(kind), { ...doc.value, records: [] }) as { records: unknown[] };
            value.records = valid.map(([r]) => celRecord.get(r));
            return { doc, value, validIndex: valid.map(([, i]) => i) };
          })
        : docs.flatMap((doc) => doc.records.filter((r) => celRecord.has(r)).map((record) => ({ doc, record, value: celRecord.get(record) })));
    targetCache.set(key, targets);
    return targets;
  };

  const findings: Finding[] = [];
  const runs: RuleRun[] = [];
  for (const rule of compiled.rules) {
    const { rule: meta } = rule.loaded;
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
      runs.push({ ruleId: meta.id, evaluated: 0 });
      continue;
    }
    const targets = targetsOf(meta.register, meta.scope ?? 'record');
    const ctx: Record<string, unknown> = { registers, byId, lookups, asOf, params: rule.params };
    for (const t of targets) {
      ctx.record = t.value;
      ctx.capturedAt = t.doc.capturedAt;
      findings.push(...evaluateTarget(rule, t, ctx, asOf));
    }
    runs.push({ ruleId: meta.id, evaluated: targets.length });
  }
  return { findings, runs };
}

function evaluateTarget(rule: CompiledRule, t: Target, ctx: Record<string, unknown>, asOf: string): Finding[] {
  const meta = rule.loaded.rule;
  const basePointer = t.record?.pointer ?? '';
  const params = Object.keys(rule.shownParams).length > 0 ? { params: rule.shownParams } : {};
  const finding = (outcome: Outcome, message: Finding['message'], relative = '', assertion?: string): Finding => ({
    ruleId: meta.id,
    ...(assertion ? { assertion } : {}),
    clauses: meta.clauses,
    outcome,
    severity: meta.severity,
    message,
    ...(t.record ? { recordId: t.record.id } : {}),
    location: locate(t.doc, fileIndexes(joinPointer(basePointer, relative), t.validIndex)),
    ...params,
  });

  const { from, until } = meta.effective ?? {};
  if ((from && asOf < from) || (until && asOf > until)) {
    return [finding('not_applicable', { ja: `適用外: 基準日 ${asOf} は有効期間（${from ?? ''}〜${until ?? ''}）外です`, en: `Not applicable: as-of ${asOf} is outside the effective period (${from ?? ''} to ${until ?? ''})` })];
  }
  if (rule.when) {
    let applies: unknown;
    try {
      applies = rule.when.run(ctx);
    } catch (e) {
      return [finding('error', problemMessage('rule/evaluation-error', { detail: `when: ${celErrorText(e)}` }), '', 'when')];
    }
    if (applies !== true) return [finding('not_applicable', { ja: `適用外: ${meta.title.ja} の適用条件に該当しません`, en: `Not applicable: the conditions of "${meta.title.en}" do not hold` })];
  }

  const out: Finding[] = [];
  for (const a of rule.assertions) {
    try {
      if (!a.forEach) {
        if (a.expr.run(ctx) !== true) out.push(finding('fail', message(a, ctx), pointerOf(a, ctx), a.id));
        continue;
      }
      const items = a.forEach.run(ctx) as unknown[];
      for (let i = 0; i < items.length; i++) {
        ctx.item = items[i];
        ctx.position = BigInt(i);
        let ok: unknown;
        try {
          ok = a.expr.run(ctx);
        } catch (e) {
          out.push(finding('error', problemMessage('rule/evaluation-error', { detail: `${a.id}: ${celErrorText(e)}` }), pointerOf(a, ctx, i), a.id));
          continue;
        }
        if (ok !== true) out.push(finding('fail', message(a, ctx), pointerOf(a, ctx, i), a.id));
      }
    } catch (e) {
      out.push(finding('error', problemMessage('rule/evaluation-error', { detail: `${a.id}: ${celErrorText(e)}` }), '', a.id));
    } finally {
      delete ctx.item;
      delete ctx.position;
    }
  }
  if (out.length === 0) out.push(finding('pass', { ...meta.title }));
  return out;
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
