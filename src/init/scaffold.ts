import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../catalog/model.js';
import { UsageError } from '../core/problems.js';
import type { LoadedRule } from '../policy/model.js';
import { INSTALLED_SCHEMAS, registerKindOf, registerTemplate } from './templates.js';
import { configFile, vscodeSettings, waiversReadme, workflowFile } from './files.js';

/** The example evidence shipped in the package (the fictional organisation's snapshot). */
export const EXAMPLE_EVIDENCE_DIR = fileURLToPath(new URL('../../evidence', import.meta.url));
/** The day the example snapshot is checked as of (it was captured on 2026-11-20). */
export const EXAMPLE_AS_OF = '2026-11-24';

export interface InitOptions {
  /** The repository to scaffold (created when missing). */
  dir: string;
  /** The fictional organisation's evidence instead of templates. */
  example: boolean;
  schemasDir: string;
  rules: readonly LoadedRule[];
  catalog?: Catalog;
  /** Today (YYYY-MM-DD, Japan): the templates' capture date. */
  today: string;
  /** A GitHub Action to use in the workflow (`owner/kitei@v1`), instead of inline steps. */
  action?: string;
}

export interface InitResult {
  /** Paths relative to `dir`, in the order planned. */
  written: string[];
  /** Files that existed already and were left alone. */
  skipped: string[];
}

/** The files `kitei init` writes: relative path → text. Pure apart from reading the shipped schemas and example. */
export async function planFiles(options: InitOptions): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const kinds: string[] = [];
  for (const name of (await readdir(options.schemasDir)).filter((n) => n.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(await readFile(path.join(options.schemasDir, name), 'utf8')) as unknown;
    const kind = registerKindOf(schema);
    if (!kind) continue;
    kinds.push(kind);
    const rel = `evidence/${kind}.yaml`;
    if (options.example) {
      const text = await readFile(path.join(EXAMPLE_EVIDENCE_DIR, `${kind}.yaml`), 'utf8').catch(() => undefined);
      // The modeline of the shipped example points into kitei's own tree; here it is the installed package.
      if (text !== undefined) files.set(rel, text.replace(/^# yaml-language-server: \$schema=\S+/m, `# yaml-language-server: $schema=${INSTALLED_SCHEMAS}/${kind}.schema.json`));
      continue;
    }
    files.set(rel, registerTemplate({ kind, schema, rules: options.rules, ...(options.catalog ? { catalog: options.catalog } : {}), capturedAt: options.today }));
  }
  files.set('waivers/README.md', waiversReadme());
  files.set('kitei.config.yaml', configFile(options.example ? EXAMPLE_AS_OF : undefined));
  files.set('.github/workflows/kitei.yml', workflowFile(options.action));
  files.set('.vscode/settings.json', vscodeSettings(kinds));
  return files;
}

/**
 * Writes the planned files under `dir`, never replacing one: a file that exists is listed as
 * skipped and left as it is (exclusive create, so a file appearing meanwhile is not replaced either).
 */
export async function scaffold(options: InitOptions): Promise<InitResult> {
  const st = await stat(options.dir).catch(() => undefined);
  if (st && !st.isDirectory()) throw new UsageError(`${options.dir}: is not a directory; kitei init writes into a directory`);
  const files = await planFiles(options);
  const result: InitResult = { written: [], skipped: [] };
  for (const [rel, text] of files) {
    const abs = path.join(options.dir, rel);
    const cannot = (e: unknown) => new UsageError(`${abs}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    await mkdir(path.dirname(abs), { recursive: true }).catch((e: unknown) => {
      throw cannot(e);
    });
    try {
      await writeFile(abs, text, { flag: 'wx' });
      result.written.push(rel);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw cannot(e);
      result.skipped.push(rel);
    }
  }
  return result;
}
