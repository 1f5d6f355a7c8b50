import { createRequire } from 'node:module';
import type { Ajv2020, Options } from 'ajv/dist/2020.js';

// ajv and ajv-formats are CommonJS and cost ~0.1 s to load: they are required on first use, so
// a run served by the precompiled validators (./precompiled.ts) never loads them.
const require = createRequire(import.meta.url);

/** Annotations our schemas carry for kitei; ajv's strict mode must be told they are intended. */
export const KITEI_KEYWORDS = ['x-kitei-ref', 'x-kitei-personal', 'x-kitei-planned', 'x-kitei-not-before'];

/**
 * The one definition of how kitei's schemas are compiled: at run time (`newAjv()`) and at build
 * time into standalone validators (`newAjv({ code: { source: true, esm: true } })`). The
 * precompiled manifest records it, and validators built with other options are not used.
 */
export const AJV_OPTIONS: Readonly<Options> = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true };

/** ajv with kitei's options, the ajv-formats formats (`date`…) and the `x-kitei-*` keywords. */
export function newAjv(extra: Options = {}): Ajv2020 {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as (ajv: Ajv2020) => Ajv2020;
  const ajv = new Ajv2020({ ...AJV_OPTIONS, ...extra });
  addFormats(ajv);
  for (const k of KITEI_KEYWORDS) ajv.addKeyword(k);
  return ajv;
}

/**
 * What compiled code depends on besides the schema bytes: the versions of ajv and ajv-formats
 * (whose `formats` the generated code imports) and the options. Read from the packages'
 * package.json, without loading them.
 */
export function compilerKey(): { ajv: string; ajvFormats: string; options: string } {
  const version = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;
  return { ajv: version('ajv'), ajvFormats: version('ajv-formats'), options: JSON.stringify({ ...AJV_OPTIONS, keywords: KITEI_KEYWORDS, formats: 'ajv-formats' }) };
}
