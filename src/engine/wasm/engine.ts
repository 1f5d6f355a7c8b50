import { noOutcomes, type Finding, type Outcome } from '../../core/findings.js';
import type { Localized } from '../../core/lang.js';
import { maskPersonalNumbers } from '../../core/personal-number.js';
import { problemMessage } from '../../core/problems.js';
import { joinPointer } from '../../core/source.js';
import type { EvidenceDocument, EvidenceRecord } from '../../evidence/document.js';
import type { SchemaSet } from '../../schema/registry.js';
import type { Shape } from '../../schema/shape.js';
import { inForce, versionsApplied } from '../cel/evaluate.js';
import type { EvaluateOptions, PolicyEngine, RuleRun } from '../engine.js';
import type { WasmHost } from './host.js';
import type { WasmRule } from './load.js';

const ALL: ReadonlySet<Outcome> = new Set<Outcome>(['pass', 'fail', 'not_applicable', 'error']);

/** One violation an entrypoint returns: `path` is a JSON pointer inside the record (or the file, for register scope). */
export interface Violation {
  assertion?: string;
  path?: string;
  message?: Localized;
  params?: Record<string, unknown>;
}

/** The Wasm engine: rules are entrypoints of OPA modules loaded once in a worker (host.ts). */
export function createWasmEngine(rules: WasmRule[], schemas: SchemaSet, host: WasmHost): PolicyEngine {
  const byLoaded = new Map(rules.map((r) => [r.loaded, r]));
  return {
    name: 'wasm',
    rules: rules.map((r) => r.loaded),
    registers: new Set(rules.flatMap((r) => [...r.reads])),
    paramsOf: (rule) => byLoaded.get(rule)?.params ?? {},
    evaluate: (documents, asOf, unavailable, options) => evaluateWasm(rules, schemas, host, documents, asOf, unavailable, options),
    due: () => [],
  };
}

/** A value without the fields its shape marks personal (`x-kitei-personal`). */
export function withoutPersonal(shape: Shape, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (shape.kind === 'list') return Array.isArray(value) ? value.map((v) => withoutPersonal(shape.items, v)) : value;
  if (shape.kind === 'map') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutPersonal(shape.values, v)]));
  if (shape.kind !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const f = shape.fields[k];
    if (f?.kind === 'string' && f.personal) continue;
    out[k] = f ? withoutPersonal(f, v) : v;
  }
  return out;
}

/** The personal strings of a value (to mask them in messages of a rule that reads them). */
function personalStrings(shape: Shape, value: unknown, out: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return out;
  if (shape.kind === 'list' && Array.isArray(value)) for (const v of value) personalStrings(shape.items, v, out);
  else if (shape.kind === 'map') for (const v of Object.values(value)) personalStrings(shape.values, v, out);
  else if (shape.kind === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const f = shape.fields[k];
      if (f?.kind === 'string' && f.personal && typeof v === 'string' && v.length > 0) out.push(v);
      else if (f) personalStrings(f, v, out);
    }
  }
  return out;
}

/**
 * Evaluates the Wasm rules: for each rule in force, one evaluation per record (or per register
 * file) with a fresh input, on the module instance loaded once. A module that fails on one
 * target gives an `error` finding for it naming the bundle; one that exceeds the time or memory
 * limit gives one and is not run again on this rule's other targets (the worker is restarted).
 */
export function evaluateWasm(rules: WasmRule[], schemas: SchemaSet, host: WasmHost, documents: EvidenceDocument[], asOf: string, unavailable: ReadonlySet<string> = new Set(), options: EvaluateOptions = {}): { findings: Finding[]; runs: RuleRun[] } {
  const keep = options.keep ?? ALL;
  const findings: Finding[] = [];
  const runs: RuleRun[] = [];
  const docsOf = (kind: string) => documents.filter((d) => d.valid && d.register === kind);
  const shapeOf = (kind: string) => schemas.registers.get(kind)?.recordShape ?? ({ kind: 'dyn' } as Shape);
  // input.registers / input.byId, as JSON text, per set of registers read and personal or not.
  const registerJson = new Map<string, { registers: string; byId: string }>();
  const registersFor = (reads: Set<string>, personal: boolean) => {
    const key = `${personal}|${[...reads].sort().join(',')}`;
    let v = registerJson.get(key);
    if (!v) {
      const lists: Record<string, unknown[]> = {};
      const index: Record<string, Record<string, unknown>> = {};
      for (const kind of [...reads].sort()) {
        const values = docsOf(kind).flatMap((d) => d.records.filter((r) => r.valid).map((r) => ({ id: r.id, value: personal ? r.value : withoutPersonal(shapeOf(kind), r.value) })));
        lists[kind] = values.map((x) => x.value);
        index[kind] = Object.fromEntries(values.map((x) => [x.id, x.value]));
      }
      v = { registers: JSON.stringify(lists), byId: JSON.stringify(index) };
      registerJson.set(key, v);
    }
    return v;
  };

  for (const rule of versionsApplied(rules, asOf)) {
    const meta = rule.loaded.rule;
    const version = meta.version ?? 1;
    const outcomes = noOutcomes();
    const base = { ruleId: meta.id, clauses: meta.clauses, severity: meta.severity };
    const shownParams = Object.keys(rule.params).length > 0 ? { params: rule.params } : {};
    const add = (f: Finding) => {
      outcomes[f.outcome]++;
      if (keep.has(f.outcome)) findings.push(f);
    };
    const missing = [...rule.reads].filter((r) => unavailable.has(r)).sort();
    if (missing.length > 0) {
      add({ ...base, outcome: 'error', code: 'rule/not-evaluated', message: problemMessage('rule/not-evaluated', { registers: missing.join(', ') }) });
      runs.push({ ruleId: meta.id, version, evaluated: 0, outcomes });
      continue;
    }
    const templates = [...rule.reads].filter((r) => options.templates?.has(r)).sort();
    if (templates.length > 0) {
      add({ ...base, outcome: 'not_applicable', code: 'rule/register-template', message: problemMessage('rule/register-template', { registers: templates.join(', ') }) });
      runs.push({ ruleId: meta.id, version, evaluated: 0, outcomes });
      continue;
    }
    // A verdict may read any record of the registers the rule reads: with an invalid one among
    // them, no verdict is given (as CEL does when a verdict reads a wrong field).
    const invalid = [...rule.reads].flatMap((k) => docsOf(k).flatMap((doc) => doc.records.filter((r) => !r.valid).map((record) => ({ doc, record }))));
    const scope = meta.scope ?? 'record';
    const targets: { doc: EvidenceDocument; record?: EvidenceRecord; validIndex?: number[] }[] =
      scope === 'register'
        ? docsOf(meta.register).map((doc) => ({ doc, validIndex: doc.records.flatMap((r, i) => (r.valid ? [i] : [])) }))
        : docsOf(meta.register).flatMap((doc) => doc.records.filter((r) => r.valid).map((record) => ({ doc, record })));
    if (invalid.length > 0 && targets.length > 0) {
      const named = invalid.slice(0, 3).map(({ doc, record }) => `${doc.register} ${record.id} (${doc.source.locate(record.pointer).file}:${doc.source.locate(record.pointer).line})`);
      add({ ...base, outcome: 'error', code: 'rule/invalid-dependency', message: problemMessage('rule/invalid-dependency', { records: named.join(', ') + (invalid.length > 3 ? ` … (+${invalid.length - 3})` : '') }), location: targets[0]!.doc.source.locate('') });
      runs.push({ ruleId: meta.id, version, evaluated: 0, outcomes });
      continue;
    }
    const shape = shapeOf(meta.register);
    const regs = registersFor(rule.carries, rule.personal);
    const paramsJson = JSON.stringify(rule.params);
    let stopped = false;
    for (const t of targets) {
      const basePointer = t.record?.pointer ?? '';
      const at = (relative: string) => t.doc.source.locate(fileIndexes(joinPointer(basePointer, relative), t.validIndex));
      const recordId = t.record ? { recordId: t.record.id } : {};
      if (!inForce(rule, asOf)) {
        const { from, until } = rule.loaded.inForce ?? meta.effective ?? {};
        add({ ...base, outcome: 'not_applicable', message: { ja: `適用外: 基準日 ${asOf} は有効期間（${from ?? ''}〜${until ?? ''}）外です`, en: `Not applicable: as-of ${asOf} is outside the effective period (${from ?? ''} to ${until ?? ''})` }, ...recordId, location: at('') });
        continue;
      }
      if (stopped) continue;
      const values = t.record ? [t.record.value] : t.validIndex!.map((i) => t.doc.records[i]!.value);
      const shown = values.map((v) => (rule.personal ? v : withoutPersonal(shape, v)));
      const own = t.record ? `"record":${JSON.stringify(shown[0])}` : `"records":${JSON.stringify(shown)},"file":${JSON.stringify({ register: t.doc.register, capturedAt: t.doc.capturedAt, path: t.doc.source.path })}`;
      // The target first: the registers (large) last.
      const input = `{${own},"params":${paramsJson},"asOf":${JSON.stringify(asOf)},"capturedAt":${JSON.stringify(t.doc.capturedAt)},"registers":${regs.registers},"byId":${regs.byId}}`;
      const error = (detail: string) => ({ ...base, outcome: 'error' as const, code: 'rule/evaluation-error', message: problemMessage('rule/evaluation-error', { detail: `${rule.bundle} (${String(rule.entrypoint)}): ${detail}` }), ...recordId, location: at('') });
      const r = host.evaluate(rule.key, rule.entrypoint, input);
      if (!r.ok) {
        add(error('stopped' in r ? `${r.error}; not evaluated on this rule's other records` : r.error));
        if ('stopped' in r) stopped = true;
        continue;
      }
      const verdict = interpret('result' in r ? r.result : undefined);
      if ('error' in verdict) {
        add(error(verdict.error));
        continue;
      }
      if (verdict.violations.length === 0) {
        add({ ...base, outcome: 'pass', message: { ...meta.title }, ...recordId, location: at(''), ...shownParams });
        continue;
      }
      const secrets = rule.personal ? personalStrings(shape, values) : [];
      const mask = (s: string) => maskPersonalNumbers(secrets.reduce((acc, p) => acc.split(p).join('＊＊＊'), s));
      for (const v of verdict.violations) {
        const message = v.message ?? meta.message;
        add({
          ...base,
          ...(v.assertion ? { assertion: v.assertion } : {}),
          outcome: 'fail',
          message: { ja: mask(message.ja), en: mask(message.en) },
          ...recordId,
          location: at(v.path ?? ''),
          ...(v.params ? { params: { ...rule.params, ...v.params } } : shownParams),
        });
      }
    }
    runs.push({ ruleId: meta.id, version, evaluated: targets.length, outcomes });
  }
  return { findings, runs };
}

/**
 * An entrypoint's result set, read as a verdict: `true` is compliant; `false` or an undefined
 * result (an empty result set: `default allow := false` is the Rego idiom) is one violation
 * with the rule's message; a set or array of violations is each a failure (empty: compliant).
 */
export function interpret(resultSet: unknown): { violations: Violation[] } | { error: string } {
  if (!Array.isArray(resultSet)) return { error: `unexpected result set ${preview(resultSet)}` };
  if (resultSet.length === 0) return { violations: [{}] };
  if (resultSet.length > 1) return { error: `the entrypoint gave ${resultSet.length} results; it must give one` };
  const value = (resultSet[0] as { result?: unknown } | null)?.result;
  if (value === true) return { violations: [] };
  if (value === false) return { violations: [{}] };
  if (!Array.isArray(value)) return { error: `the result must be a boolean or a set of violations, not ${preview(value)}` };
  const out: Violation[] = [];
  for (const v of value) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: `a violation must be an object {assertion, path, message}, not ${preview(v)}` };
    const o = v as Record<string, unknown>;
    const msg = o.message as Record<string, unknown> | undefined;
    if (o.path !== undefined && (typeof o.path !== 'string' || (o.path !== '' && !o.path.startsWith('/')))) return { error: `a violation's path must be a JSON pointer, not ${preview(o.path)}` };
    if (msg !== undefined && (typeof msg !== 'object' || typeof msg?.ja !== 'string' || typeof msg.en !== 'string')) return { error: `a violation's message must be {ja, en}, not ${preview(msg)}` };
    out.push({
      ...(typeof o.assertion === 'string' && o.assertion !== '' ? { assertion: o.assertion } : {}),
      ...(typeof o.path === 'string' ? { path: o.path } : {}),
      ...(msg ? { message: { ja: msg.ja as string, en: msg.en as string } } : {}),
      ...(o.params && typeof o.params === 'object' && !Array.isArray(o.params) ? { params: o.params as Record<string, unknown> } : {}),
    });
  }
  return { violations: out };
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function fileIndexes(pointer: string, validIndex: number[] | undefined): string {
  if (!validIndex) return pointer;
  return pointer.replace(/^\/records\/(\d+)/, (whole, i: string) => {
    const original = validIndex[Number(i)];
    return original === undefined ? whole : `/records/${original}`;
  });
}

/** Several engines as one: their rules side by side, their findings and runs concatenated. */
export function compositeEngine(engines: PolicyEngine[]): PolicyEngine {
  if (engines.length === 1) return engines[0]!;
  const owner = new Map(engines.flatMap((e) => e.rules.map((r) => [r, e] as const)));
  return {
    name: engines.map((e) => e.name).join('+'),
    rules: engines.flatMap((e) => e.rules),
    registers: new Set(engines.flatMap((e) => [...e.registers])),
    paramsOf: (rule) => owner.get(rule)?.paramsOf(rule) ?? {},
    evaluate: (documents, asOf, unavailable, options) => {
      const findings: Finding[] = [];
      const runs: RuleRun[] = [];
      for (const e of engines) {
        const r = e.evaluate(documents, asOf, unavailable, options);
        for (const f of r.findings) findings.push(f);
        for (const x of r.runs) runs.push(x);
      }
      return { findings, runs };
    },
    due: (documents, asOf, unavailable) => engines.flatMap((e) => e.due(documents, asOf, unavailable)),
  };
}
