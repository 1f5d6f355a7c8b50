import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** What kitei takes from an OPA bundle: the module, its data, and the Rego sources when present (for `explain`). */
export interface OpaBundle {
  wasm: Uint8Array<ArrayBuffer>;
  data: unknown;
  /** The bundle's `.manifest` (revision, roots, wasm entrypoints), when it has one. */
  manifest?: unknown;
  /** Rego sources the bundle carries (`opa build` puts them beside the module), by path. */
  rego: { path: string; text: string }[];
}

/** Bundles larger than this (compressed or not) are refused: no policy needs it, and it bounds memory. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a bundle: a `.tar.gz` from `opa build -t wasm` (`/policy.wasm`, `/data.json`,
 * `/.manifest`), read in memory only, or a bare `.wasm` with an optional `data.json` beside it.
 * An entry with an absolute path or `..` is refused, as are links and device entries.
 */
export async function readBundle(file: string): Promise<OpaBundle> {
  const st = await stat(file);
  if (!st.isFile()) throw new Error('not a regular file');
  if (st.size > MAX_BUNDLE_BYTES) throw new Error(`larger than ${MAX_BUNDLE_BYTES} bytes`);
  const bytes = await readFile(file);
  if (!/\.(tar\.gz|tgz)$/i.test(file)) {
    const dataFile = path.join(path.dirname(file), 'data.json');
    let data: unknown;
    try {
      data = JSON.parse(await readFile(dataFile, 'utf8')) as unknown;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`data.json: ${(e as Error).message}`);
    }
    return { wasm: Uint8Array.from(bytes), data, rego: [] };
  }
  let tarBytes: Buffer;
  try {
    tarBytes = gunzipSync(bytes, { maxOutputLength: MAX_BUNDLE_BYTES });
  } catch (e) {
    throw new Error(`not a gzip archive (${(e as Error).message})`);
  }
  const entries = await untar(tarBytes);
  const wasmEntries = [...entries.keys()].filter((p) => p.endsWith('.wasm'));
  const wasm = entries.get('policy.wasm') ?? (wasmEntries.length === 1 ? entries.get(wasmEntries[0]!) : undefined);
  if (!wasm) throw new Error(wasmEntries.length === 0 ? 'the bundle holds no policy.wasm (build it with opa build -t wasm)' : `the bundle holds several modules (${wasmEntries.join(', ')}) and no /policy.wasm`);
  const json = (name: string): unknown => {
    const b = entries.get(name);
    if (!b) return undefined;
    try {
      return JSON.parse(b.toString('utf8')) as unknown;
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`);
    }
  };
  const data = json('data.json');
  const manifest = json('.manifest');
  const rego = [...entries].filter(([p]) => p.endsWith('.rego')).map(([p, b]) => ({ path: p, text: b.toString('utf8') }));
  return { wasm: Uint8Array.from(wasm), data, ...(manifest !== undefined ? { manifest } : {}), rego };
}

/** The regular files of a tar archive, by normalised path (no leading `/`). */
export async function untar(bytes: Buffer): Promise<Map<string, Buffer>> {
  // Imported here: most runs read no Wasm bundle.
  const { default: tar } = await import('tar-stream');
  const extract = tar.extract();
  const out = new Map<string, Buffer>();
  const done = (async () => {
    for await (const entry of extract) {
      const name = entry.header.name;
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      const type = entry.header.type ?? 'file';
      if (type === 'directory') continue;
      if (type !== 'file' && type !== 'contiguous-file') throw new Error(`entry ${name} is a ${type}, not a file`);
      out.set(safeEntryName(name), Buffer.concat(chunks));
    }
  })();
  extract.end(bytes);
  await done;
  return out;
}

/**
 * An entry's path inside the bundle. `opa build` writes `/policy.wasm` (a leading slash, which is
 * the bundle's root, not the file system's); anything that would climb out (`..`), a drive or
 * backslash path is refused.
 */
export function safeEntryName(name: string): string {
  const rel = name.replace(/^\/+/, '').replace(/^\.\//, '');
  if (rel === '' || /^[a-zA-Z]:/.test(name) || name.includes('\\') || name.startsWith('//') || rel.split('/').some((p) => p === '..')) throw new Error(`unsafe entry path ${JSON.stringify(name)}`);
  return path.posix.normalize(rel);
}
