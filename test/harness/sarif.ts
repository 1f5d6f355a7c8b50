import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';

// ajv's draft-07 class and ajv-formats are CommonJS.
const require = createRequire(import.meta.url);
const Ajv = require('ajv').default as typeof import('ajv').default;
const addFormats = require('ajv-formats') as (ajv: InstanceType<typeof Ajv>) => unknown;

/**
 * The official OASIS SARIF 2.1.0 schema (test/vendor/sarif, see SOURCE.md there), compiled
 * once with ajv for draft-07 with formats checked. Returns the errors of a SARIF document, [] when valid.
 */
const schema = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../vendor/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

export function sarifErrors(doc: unknown): ErrorObject[] {
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}
