import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Lang } from '../core/lang.js';
import { DEFAULT_POLICIES_DIR } from '../defaults.js';

/** kitei's version from package.json, printed in every report. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface CatalogHead {
  regulation?: { title?: string; titleEn?: string; enforcedOn?: string };
  supplementary?: { number?: number; effective?: string }[];
}

/**
 * `kitei --version`: kitei's version, and the version of the regulation its bundled policies
 * implement — the catalog's title, the date it came into force, and the last 附則 (supplementary
 * provision) with the date it applies from. The catalog and the YAML parser are read only when asked.
 */
export function versionText(lang: Lang): string {
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  let head: CatalogHead = {};
  try {
    head = parse(readFileSync(path.join(DEFAULT_POLICIES_DIR, 'catalog.yaml'), 'utf8')) as CatalogHead;
  } catch {
    // The version line is still worth printing without a readable catalog.
  }
  const r = head.regulation ?? {};
  const last = [...(head.supplementary ?? [])].filter((s) => s.effective !== undefined).sort((a, b) => (a.effective! < b.effective! ? -1 : 1)).at(-1);
  const lines = [`kitei ${VERSION}`];
  if (r.title !== undefined) {
    lines.push(
      lang === 'ja'
        ? `規程: ${r.title}（${r.enforcedOn ?? '?'} 施行${last && last.number !== 1 ? `、最終改正 附則${last.number} ${last.effective} 適用` : ''}）`
        : `regulation: ${r.titleEn ?? r.title} (in force ${r.enforcedOn ?? '?'}${last && last.number !== 1 ? `, last amended by supplementary provision ${last.number}, applying from ${last.effective}` : ''})`,
    );
  }
  return lines.join('\n') + '\n';
}
