import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Finding } from '../core/findings.js';
import type { Localized } from '../core/lang.js';
import { problemFinding, UsageError, type ProblemCode } from '../core/problems.js';
import type { SourceFile } from '../core/source.js';
import { newAjv } from './ajv.js';
import { precompiledValidators, SHIPPED_VALIDATORS, type PrecompiledSource } from './precompiled.js';
import { recordShape, shapeOfSchema, pascal, type Shape } from './shape.js';

export { KITEI_KEYWORDS, newAjv } from './ajv.js';

// ajv-i18n is CommonJS; `createRequire` keeps its export typed simply. Loaded on first use.
const require = createRequire(import.meta.url);
type Localize = (errors: ErrorObject[] | null | undefined) => void;
let ja: Localize | undefined;
const localizeJa: Localize = (errors) => (ja ??= require('ajv-i18n/localize/ja') as Localize)(errors);

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
  /** Validators built with kitei (src/schema/precompiled.ts) rather than compiled for this run. */
  precompiled: boolean;
  /**
   * A sha256 of the register schemas (names and bytes): what the register types compiled CEL is
   * checked against are made from (the policy cache's record of a clean compilation names it).
   */
  digest?: string;
  /** An ajv holding the register schemas; created (and the schemas added) on first use only. */
  readonly ajv: Ajv2020;
}

/**
 * Loads every `*.schema.json` in `dir` whose `register` property is a constant: each such
 * schema defines one register kind. Other schemas (the policy schema) are skipped. kitei's own
 * schemas, unchanged since the build, come precompiled (`precompiled`, by default the build
 * output in dist/); any others are compiled with ajv.
 */
export async function loadSchemaSet(dir: string, precompiled: PrecompiledSource | false = SHIPPED_VALIDATORS): Promise<SchemaSet> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.schema.json')).sort();
  } catch {
    throw new UsageError(`schemas directory not found: ${dir}`);
  }
  const files: { name: string; bytes: Buffer }[] = [];
  // Read synchronously: dozens of small files, where a promise per read costs more than the read.
  for (const name of names) files.push({ name, bytes: readFileSync(path.join(dir, name)) });
  const built = await precompiledValidators(dir, files, precompiled);
  let ajv: Ajv2020 | undefined;
  const registers = new Map<string, RegisterKind>();
  const schemas: object[] = [];
  const digest = createHash('sha256');
  for (const { name, bytes } of files) {
    const file = path.join(dir, name);
    let schema: Record<string, unknown>;
    try {
      schema = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
    }
    const kind = ((schema.properties as Record<string, { const?: unknown }> | undefined)?.register?.const);
    if (typeof kind !== 'string') continue;
    schemas.push(schema);
    digest.update(name).update('\0').update(bytes).update('\0');
    let validate = built?.get(name);
    if (!validate) {
      try {
        validate = (ajv ??= newAjv()).compile(schema);
      } catch (e) {
        throw new UsageError(`${file}: invalid JSON Schema (${(e as Error).message})`);
      }
    }
    const documentShape = shapeOfSchema(schema, pascal(kind));
    registers.set(kind, { kind, schemaFile: name, title: String(schema.title ?? kind), validate, documentShape, recordShape: recordShape(documentShape) });
  }
  if (registers.size === 0) throw new UsageError(`no register schemas (*.schema.json with a constant "register") in ${dir}`);
  return {
    dir,
    registers,
    precompiled: built !== undefined,
    digest: digest.digest('hex'),
    get ajv(): Ajv2020 {
      if (!ajv) {
        ajv = newAjv();
        for (const schema of schemas) ajv.addSchema(schema);
      }
      return ajv;
    },
  };
}

/** ajv's errors in both languages, one entry per error, in ajv's order. */
export function describeErrors(all: ErrorObject[]): { error: ErrorObject; message: Localized }[] {
  // An `if` error only says that its `then` or `else` failed, which is reported on its own.
  const errors = all.filter((e) => e.keyword !== 'if');
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
  // A property the schema forbids in this combination (`{ at: false }`).
  if (e.keyword === 'false schema') return lang === 'ja' ? 'ここには書けない項目です' : 'not allowed here';
  return msg;
}

const shipped = new Map<string, Promise<ValidateFunction>>();

/**
 * A schema that ships with kitei (policy, catalog, rule tests), compiled once per process, or
 * precompiled at build time when it is unchanged since.
 */
export function shippedValidator(schemaPath: string): Promise<ValidateFunction> {
  let v = shipped.get(schemaPath);
  if (!v) {
    v = readFile(schemaPath).then(async (bytes) => {
      const name = path.basename(schemaPath);
      const built = await precompiledValidators(path.dirname(schemaPath), [{ name, bytes }]);
      return built?.get(name) ?? newAjv().compile(JSON.parse(bytes.toString('utf8')) as object);
    });
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

/** Pointer of the node an ajv error is about: the extra key itself for unknown fields. */
export function errorPointer(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${String((e.params as { additionalProperty: string }).additionalProperty)}`;
  return e.instancePath;
}
