import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Localized } from '../core/lang.js';
import { parsePointer, SourceFile, yamlPackage } from '../core/source.js';
import type { ExpectedFailure, RuleCase } from './load.js';

/**
 * A rule case turned into an evidence directory: the base organisation (policies/tests/base/),
 * then the registers the case writes in full (`evidence`), then its record patches (`patch`,
 * `remove`). A patched register is written out again from its changed value, so where a field
 * ends up is known only after writing: expectations that name a field (`at`, `record`) are
 * resolved here to a line and column with the checker's own position module (core/source.ts), on
 * the very text the checker reads.
 */
export interface MaterializedCase {
  /** Register kinds the case writes or changes (its own evidence, as opposed to the base's). */
  touched: Set<string>;
  /** The expectations with every `at`/`record` resolved to a file, line and column. */
  expect: ExpectedFailure[];
  /** What is wrong with the case itself (an unknown record, a pointer that names nothing); it then fails. */
  problems: Localized[];
}

interface Register {
  /** The file's text as the checker will read it. */
  text: string;
  /** Its parsed value (a register: `register`, `capturedAt`, `records`). */
  value: { records?: unknown[]; [key: string]: unknown };
}

type Json = unknown;
type JsonObject = Record<string, Json>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const parseValue = (text: string): Register['value'] => {
  try {
    const v = yamlPackage().parse(text, { version: '1.2', schema: 'core' }) as unknown;
    return isObject(v) ? v : {};
  } catch {
    // A case about a broken file: it has no records to patch or to resolve against.
    return {};
  }
};

/** The base organisation, read once per runner: each register's text and value. */
export class BaseOrganisation {
  private registers?: Map<string, Register>;

  constructor(readonly dir: string) {}

  get(): Map<string, Register> {
    if (!this.registers) {
      this.registers = new Map();
      for (const name of readdirSync(this.dir).filter((n) => n.endsWith('.yaml')).sort()) {
        const text = readFileSync(path.join(this.dir, name), 'utf8');
        this.registers.set(name.slice(0, -'.yaml'.length), { text, value: parseValue(text) });
      }
    }
    return this.registers;
  }
}

/** Writes the evidence of case `c` into `dir` (which must not exist yet) and resolves its expectations. */
export function materializeCase(c: RuleCase, base: BaseOrganisation, dir: string): MaterializedCase {
  cpSync(base.dir, dir, { recursive: true, dereference: true });
  const problems: Localized[] = [];
  const say = (ja: string, en: string) => problems.push({ ja, en });
  const registers = new Map(base.get());
  const touched = new Set<string>();
  for (const [kind, text] of Object.entries(c.evidence)) {
    touched.add(kind);
    if (text === '') registers.delete(kind);
    else registers.set(kind, { text, value: parseValue(text) });
  }

  const changed = new Map<string, Register['value']>();
  /** The register's value to change (copied on first change: the base is shared by every case). */
  const editable = (kind: string): Register['value'] | undefined => {
    let v = changed.get(kind);
    if (!v) {
      const r = registers.get(kind);
      if (!r) return undefined;
      v = structuredClone(r.value);
      changed.set(kind, v);
    }
    return v;
  };
  const records = (v: Register['value']): JsonObject[] => (Array.isArray(v.records) ? v.records.filter(isObject) : []);
  const holders = (id: string): string[] => [...registers.keys()].filter((k) => records(changed.get(k) ?? registers.get(k)!.value).some((r) => r.id === id));

  const patched: string[] = [];
  for (const p of c.patch ?? []) {
    const { register, ...fields } = p;
    const id = fields.id === undefined ? undefined : String(fields.id);
    // The register changed: the one named, else the one holding the record.
    const found = register !== undefined ? [register] : holders(id!);
    if (found.length !== 1) {
      say(
        found.length === 0 ? `patch: レコード ${id} が基本の組織にありません（新しいレコードには register を書く）` : `patch: レコード ${id} は ${found.join('・')} にあります（register で選ぶ）`,
        found.length === 0 ? `patch: no record ${id} in the base organisation (a new record names its register)` : `patch: record ${id} is in ${found.join(', ')} (name the register)`,
      );
      continue;
    }
    const kind = found[0]!;
    if (c.evidence[kind] !== undefined) {
      say(`patch は基本の台帳に当てます（${kind} はこのケースが全文を書いています）`, `a patch changes a base register (the case writes ${kind} in full)`);
      continue;
    }
    const v = editable(kind);
    if (!v) {
      say(`patch: register ${kind} がありません`, `patch: there is no register ${kind}`);
      continue;
    }
    // Without an id, the register's own fields (capturedAt …), not a record's.
    if (id === undefined) {
      deepMerge(v, fields);
      continue;
    }
    if (!Array.isArray(v.records)) v.records = [];
    const target = records(v).find((r) => r.id === id);
    if (target) deepMerge(target, fields);
    else v.records.push(structuredClone(fields));
    patched.push(id);
  }

  for (const item of c.remove ?? []) {
    // `/field` names a field of the one record the case patches; `ID` a whole record; `ID/field` a field of record ID.
    const slash = item.indexOf('/');
    const id = slash === 0 ? (patched.length === 1 ? patched[0] : undefined) : slash < 0 ? item : item.slice(0, slash);
    const pointer = slash < 0 ? '' : item.slice(slash);
    if (id === undefined) {
      say(`remove: ${item} は patch するレコードが1件のときだけ書けます`, `remove: ${item} needs exactly one patched record (or write ID${item})`);
      continue;
    }
    const found = holders(id);
    if (found.length !== 1) {
      say(`remove: レコード ${id} が${found.length === 0 ? 'ありません' : `複数の台帳にあります（${found.join('・')}）`}`, `remove: record ${id} is ${found.length === 0 ? 'not in the evidence' : `in several registers (${found.join(', ')})`}`);
      continue;
    }
    const v = editable(found[0]!)!;
    const list = v.records as Json[];
    const index = list.findIndex((r) => isObject(r) && r.id === id);
    if (pointer === '') list.splice(index, 1);
    else if (!removeAt(list[index], parsePointer(pointer))) say(`remove: レコード ${id} に ${pointer} がありません`, `remove: record ${id} has no ${pointer}`);
  }

  const { stringify } = yamlPackage();
  for (const [kind, value] of changed) {
    touched.add(kind);
    registers.set(kind, { text: stringify(value, { version: '1.2', lineWidth: 0 }), value });
  }
  for (const kind of touched) {
    const file = path.join(dir, `${kind}.yaml`);
    const r = registers.get(kind);
    if (r) writeFileSync(file, r.text);
    else rmSync(file, { force: true });
  }

  const sources = new Map<string, SourceFile>();
  const source = (kind: string) => {
    let s = sources.get(kind);
    if (!s) sources.set(kind, (s = new SourceFile(`${kind}.yaml`, registers.get(kind)!.text)));
    return s;
  };
  const single = [...touched].filter((k) => registers.has(k));
  const expect = c.expect.map((e): ExpectedFailure => {
    // A line and column written in the case are the case's own text's (the old form, or a file-level case).
    if (e.line !== undefined) return e;
    const named = e.file?.replace(/\.yaml$/, '');
    let kind: string | undefined;
    let pointer: string;
    if (e.record !== undefined) {
      const found = named !== undefined ? [named].filter((k) => registers.has(k)) : holders(e.record);
      if (found.length !== 1) {
        say(`expect: レコード ${e.record} の台帳が決まりません（${found.length === 0 ? 'ない' : found.join('・')}）`, `expect: cannot tell which register holds record ${e.record} (${found.length === 0 ? 'none' : found.join(', ')})`);
        return e;
      }
      kind = found[0]!;
      const index = records(changed.get(kind) ?? registers.get(kind)!.value).findIndex((r) => r.id === e.record);
      if (index < 0) {
        say(`expect: ${kind} にレコード ${e.record} がありません`, `expect: ${kind} has no record ${e.record}`);
        return e;
      }
      pointer = `/records/${index}${e.at ?? ''}`;
    } else {
      kind = named ?? (single.length === 1 ? single[0] : undefined);
      if (kind === undefined || !registers.has(kind)) {
        say(`expect: at ${e.at ?? ''} の台帳が決まりません（file を書く）`, `expect: cannot tell which register at ${e.at ?? ''} is in (name the file)`);
        return e;
      }
      pointer = e.at ?? '';
    }
    const at = source(kind).locate(pointer);
    return { ...e, file: `${kind}.yaml`, line: at.line, column: at.column, named: e.record !== undefined ? `${e.record}${e.at ?? ''}` : `${kind}.yaml${e.at ?? ''}` };
  });
  return { touched, expect, problems };
}

/** Merges `patch` into `target`: mappings key by key, anything else (lists, scalars) replaced. */
function deepMerge(target: JsonObject, patch: JsonObject): void {
  for (const [k, v] of Object.entries(patch)) {
    const old = target[k];
    if (isObject(old) && isObject(v)) deepMerge(old, v);
    else target[k] = structuredClone(v);
  }
}

/** Removes what `segments` names inside `value`; false when it names nothing. */
function removeAt(value: Json, segments: string[]): boolean {
  let node = value;
  for (const seg of segments.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(seg)];
    else if (isObject(node)) node = node[seg];
    else return false;
  }
  const last = segments[segments.length - 1]!;
  if (Array.isArray(node) && /^\d+$/.test(last) && Number(last) < node.length) {
    node.splice(Number(last), 1);
    return true;
  }
  if (isObject(node) && last in node) {
    delete node[last];
    return true;
  }
  return false;
}
