import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compilerKey, newAjv, standaloneFormatsSource } from './ajv.js';
import { MANIFEST_FILE, sha256, type Manifest } from './precompiled.js';

// Build time only (scripts/build-validators.mjs and the tests): never imported by a run.
const require = createRequire(import.meta.url);

const MODULE_FILE = 'validators.js';

/**
 * ajv's standalone code with `code.esm` still refers to its runtime helpers and to the ajv-formats
 * formats as `require("ajv/dist/runtime/…")` and `require("ajv-formats/dist/formats")`
 * (ajv-validator/ajv#1976, #2209). A module-scoped `require` resolves them as ajv intends, from
 * where the module is installed (beside kitei's own node_modules).
 */
const PRELUDE = 'import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n';

/**
 * Compiles every `*.schema.json` in `schemasDir` with kitei's ajv options into one ES module in
 * `outDir` (one export per schema: importing one module is about twice as fast as importing one
 * per schema), then writes the manifest: each schema file's SHA-256, the export validating it,
 * and the compiler key. The manifest is written last, so a half-written build is never used. The
 * module is imported once before the manifest is written, to prove it loads.
 */
export async function generateValidators(schemasDir: string, outDir: string): Promise<Manifest> {
  const names = (await readdir(schemasDir)).filter((n) => n.endsWith('.schema.json')).sort();
  const ajv = newAjv({ code: { source: true, esm: true } });
  const refs: Record<string, string> = {};
  const schemas: Manifest['schemas'] = {};
  for (const [i, name] of names.entries()) {
    const bytes = await readFile(path.join(schemasDir, name));
    const schema = JSON.parse(bytes.toString('utf8')) as object;
    ajv.addSchema(schema, name);
    const exported = `v${i}`;
    refs[exported] = name;
    schemas[name] = { sha256: sha256(bytes), export: exported };
  }
  const standaloneCode = (require('ajv/dist/standalone') as { default: (ajv: unknown, refs: Record<string, string>) => string }).default;
  const code = PRELUDE + standaloneFormatsSource() + standaloneCode(ajv, refs) + '\n';
  const manifest: Manifest = { ...compilerKey(), module: MODULE_FILE, schemas };

  await mkdir(outDir, { recursive: true });
  await rm(path.join(outDir, MANIFEST_FILE), { force: true });
  await writeAtomically(path.join(outDir, MODULE_FILE), code);
  const module = (await import(`${pathToFileURL(path.join(outDir, MODULE_FILE)).href}?${sha256(Buffer.from(code))}`)) as Record<string, unknown>;
  for (const [name, { export: exported }] of Object.entries(schemas)) {
    if (typeof module[exported] !== 'function') throw new Error(`${outDir}/${MODULE_FILE}: no validator for ${name}`);
  }
  await writeAtomically(path.join(outDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
