import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Finding } from '../core/findings.js';
import type { Localized } from '../core/lang.js';
import { problemFinding, UsageError, type ProblemCode } from '../core/problems.js';
import type { SourceFile } from '../core/source.js';
import { recordShape, shapeOfSchema, pascal, type Shape } from './shape.js';

// ajv-formats and ajv-i18n are CommonJS; `createRequire` keeps their default exports typed simply.
const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as (ajv: Ajv2020) => Ajv2020;
const localizeJa = (require('ajv-i18n') as { ja: (errors: ErrorObject[] | null | undefined) => void }).ja;

/** One register kind, as described by its schema in `schemas/`. */
export interface RegisterKind {
  kind: string;
  schemaFile: string;
  title: string;
  validate: ValidateFunction;
  /** Shape of the whole file and of one record. */
  documentShape: Shape;
  recordShape: Shape;
}

export interface SchemaSet {
  dir: string;
  registers: Map<string, RegisterKind>;
  ajv: Ajv2020;
}

/** Annotations our schemas carry for kitei; ajv's strict mode must be told they are intended. */
export const KITEI_KEYWORDS = ['x-kitei-ref', 'x-kitei-personal', 'x-kitei-planned', 'x-kitei-not-before'];

export function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  for (const k of KITEI_KEYWORDS) ajv.addKeyword(k);
  return ajv;
}

/**
 * Loads every `*.schema.json` in `dir` whose `register` property is a constant: each such
 * schema defines one register kind. Other schemas (the policy schema) are skipped.
 */
export async function loadSchemaSet(dir: string): Promise<SchemaSet> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.schema.json')).sort();
  } catch {
    throw new UsageError(`schemas directory not found: ${dir}`);
  }
  const ajv = newAjv();
  const registers = new Map<string, RegisterKind>();
  for (const name of names) {
    const file = path.join(dir, name);
    let schema: Record<string, unknown>;
    try {
      schema = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
    }
    const kind = ((schema.properties as Record<string, { const?: unknown }> | undefined)?.register?.const);
    if (typeof kind !== 'string') continue;
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(schema);
    } catch (e) {
      throw new UsageError(`${file}: invalid JSON Schema (${(e as Error).message})`);
    }
    const documentShape = shapeOfSchema(schema, pascal(kind));
    registers.set(kind, { kind, schemaFile: name, title: String(schema.title ?? kind), validate, documentShape, recordShape: recordShape(documentShape) });
  }
  if (registers.size === 0) throw new UsageError(`no register schemas (*.schema.json with a constant "register") in ${dir}`);
  return { dir, registers, ajv };
}

/** ajv's errors in both languages, one entry per error, in ajv's order. */
export function describeErrors(errors: ErrorObject[]): { error: ErrorObject; message: Localized }[] {
  const en = errors.map((e) => ({ ...e }));
  const ja = errors.map((e) => ({ ...e }));
  localizeJa(ja);
  return errors.map((error, i) => ({
    error,
    message: { ja: withDetail(ja[i]!, 'ja'), en: withDetail(en[i]!, 'en') },
  }));
}

function withDetail(e: ErrorObject, lang: 'ja' | 'en'): string {
  const p = e.params as Record<string, unknown>;
  const msg = e.message ?? e.keyword;
  if (e.keyword === 'additionalProperty' || e.keyword === 'additionalProperties') {
    return lang === 'ja' ? `未知の項目 "${String(p.additionalProperty)}" があります` : `unknown field "${String(p.additionalProperty)}"`;
  }
  if (e.keyword === 'enum') {
    const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    return `${msg} (${allowed})`;
  }
  if (e.keyword === 'const') return `${msg} (${JSON.stringify(p.allowedValue)})`;
  return msg;
}

/** Pointer of the node an ajv error is about: the extra key itself for unknown fields. */
const shipped = new Map<string, Promise<ValidateFunction>>();

/** A schema that ships with kitei (policy, catalog, rule tests), compiled once per process. */
export function shippedValidator(schemaPath: string): Promise<ValidateFunction> {
  let v = shipped.get(schemaPath);
  if (!v) {
    v = readFile(schemaPath, 'utf8').then((text) => newAjv().compile(JSON.parse(text) as object));
    shipped.set(schemaPath, v);
  }
  return v;
}

/** Each schema violation of a parsed file as a problem finding at its node, in both languages. */
export function schemaProblems(validate: ValidateFunction, source: SourceFile, code: ProblemCode): Finding[] {
  return describeErrors(validate.errors ?? []).map(({ error, message }) => {
    const pointer = errorPointer(error);
    const where = `${pointer || '/'}: `;
    return problemFinding(code, source.locate(pointer), { detail: { ja: where + message.ja, en: where + message.en } });
  });
}

export function errorPointer(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${String((e.params as { additionalProperty: string }).additionalProperty)}`;
  return e.instancePath;
}
