import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { compilerKey } from './ajv.js';

/**
 * Validators for kitei's own schemas, compiled at build time (scripts/build-validators.mjs, see
 * ./standalone.ts) so that a run does not compile 34 schemas with ajv (~0.4 s). They are used only
 * for the shipped schemas directory, and only when the manifest written beside them records the
 * SHA-256 of every schema file's current bytes and the ajv / ajv-formats versions and options
 * this kitei compiles with; anything else (user schemas, an edited schema, no build output, a
 * different ajv) is compiled with ajv as before. Same validators, same verdicts, same errors:
 * test/unit/standalone-validators.test.ts holds the two to each other.
 */
export interface PrecompiledSource {
  /** The schemas directory the validators were built from. */
  schemasDir: string;
  /** Where the generated module and its manifest are. */
  validatorsDir: string;
}

/** kitei's schemas and the validators `npm run build` generates for them. */
export const SHIPPED_VALIDATORS: PrecompiledSource = {
  schemasDir: fileURLToPath(new URL('../../schemas', import.meta.url)),
  // From dist/schema/ and from src/schema/ (tests, tsx) alike: the build output in dist/.
  validatorsDir: fileURLToPath(new URL('../../dist/schema/validators', import.meta.url)),
};

export const MANIFEST_FILE = 'manifest.json';

export interface Manifest extends ReturnType<typeof compilerKey> {
  /** The generated ES module, relative to the manifest. */
  module: string;
  /** Per schema file name: the SHA-256 (hex) of its bytes, and the module's export validating it. */
  schemas: Record<string, { sha256: string; export: string }>;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface Loaded {
  manifest: Manifest;
  module: Promise<Record<string, unknown> | undefined>;
}

const loaded = new Map<string, Promise<Loaded | undefined>>();

/** The manifest in `validatorsDir`, if there is one built by this ajv with these options (once per process). */
function load(validatorsDir: string): Promise<Loaded | undefined> {
  let l = loaded.get(validatorsDir);
  if (!l) {
    l = readFile(path.join(validatorsDir, MANIFEST_FILE), 'utf8').then(
      (text) => {
        const manifest = JSON.parse(text) as Manifest;
        const key = compilerKey();
        if (manifest.ajv !== key.ajv || manifest.ajvFormats !== key.ajvFormats || manifest.options !== key.options) return undefined;
        let module: Loaded['module'] | undefined;
        return {
          manifest,
          // Imported only when some schema's digest matches.
          get module() {
            return (module ??= import(pathToFileURL(path.join(validatorsDir, manifest.module)).href).then(
              (m: Record<string, unknown>) => m,
              () => undefined,
            ));
          },
        };
      },
      () => undefined,
    );
    loaded.set(validatorsDir, l);
  }
  return l;
}

async function sameDir(a: string, b: string): Promise<boolean> {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return (await realpath(a)) === (await realpath(b));
  } catch {
    return false;
  }
}

/**
 * The precompiled validator of each of `files` (schema files of `dir`, by name, with the bytes
 * just read), or undefined — compile them — unless `dir` is the source's schemas directory and
 * every one of the files was precompiled from exactly these bytes.
 */
export async function precompiledValidators(
  dir: string,
  files: readonly { name: string; bytes: Uint8Array }[],
  source: PrecompiledSource | false = SHIPPED_VALIDATORS,
): Promise<Map<string, ValidateFunction> | undefined> {
  if (!source || files.length === 0 || !(await sameDir(dir, source.schemasDir))) return undefined;
  const l = await load(source.validatorsDir);
  if (!l) return undefined;
  const exports: [string, string][] = [];
  for (const { name, bytes } of files) {
    const entry = Object.hasOwn(l.manifest.schemas, name) ? l.manifest.schemas[name] : undefined;
    if (!entry || entry.sha256 !== sha256(bytes)) return undefined;
    exports.push([name, entry.export]);
  }
  const module = await l.module;
  if (!module) return undefined;
  const validators = new Map<string, ValidateFunction>();
  for (const [name, exported] of exports) {
    const v = module[exported];
    if (typeof v !== 'function') return undefined;
    validators.set(name, v as ValidateFunction);
  }
  return validators;
}
