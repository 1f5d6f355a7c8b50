#!/usr/bin/env node
// Precompiles kitei's shipped JSON Schemas (schemas/*.schema.json) into ajv standalone validators
// in dist/schema/validators/ (one ES module and a manifest of the schemas' SHA-256 digests and
// the ajv version and options), so that a run does not compile them. Run after `tsc` by
// `npm run build` and `prepare`; see src/schema/standalone.ts and src/schema/precompiled.ts.
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
const { generateValidators } = await import(new URL('dist/schema/standalone.js', root).href);
const out = fileURLToPath(new URL('dist/schema/validators', root));
const manifest = await generateValidators(fileURLToPath(new URL('schemas', root)), out);
console.log(`kitei: ${Object.keys(manifest.schemas).length} schemas precompiled into ${out} (ajv ${manifest.ajv})`);
