import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../harness/tree.js';

/**
 * Auditors read a rule's `quote` as the regulation's own words. Every sentence fragment of every
 * quote (rules and parameter sources) must appear in the regulation. The regulation's only copy
 * is in ../shared/regulation beside the repository (as on the developers' machines and in CI);
 * where it is absent this check cannot run and says so.
 */
const REGULATION = path.resolve(REPO, '../shared/regulation/system-operations-rules.ja.md');
// Whitespace, list markers, bold markers and item numbers such as （1） differ between the
// regulation's layout and a quote; the regulation also writes 粉碎 with a variant character.
const normalize = (s: string) => s.replace(/\*\*/g, '').replace(/^\s*-\s*/gm, '').replace(/\s+/g, '').replace(/[（(]\d+[)）]/g, '').replace(/碎/g, '砕');

describe.skipIf(!existsSync(REGULATION))('policy quotes are the regulation’s words', () => {
  const regulation = existsSync(REGULATION) ? normalize(readFileSync(REGULATION, 'utf8')) : '';
  for (const file of readdirSync(path.join(REPO, 'policies')).filter((f) => f.endsWith('.yaml'))) {
    it(file, () => {
      const doc = parse(readFileSync(path.join(REPO, 'policies', file), 'utf8')) as { rules: { id: string; quote: string; parameters?: Record<string, { source: { quote: string } }> }[] };
      const missing: string[] = [];
      for (const rule of doc.rules) {
        for (const quote of [rule.quote, ...Object.values(rule.parameters ?? {}).map((p) => p.source.quote)]) {
          // Quotes may join passages with …, cite their clause in （第N条…）, or quote a phrase in 「」.
          const fragments = quote.split(/…|（第[^）]*）|\(第[^)]*\)|[「」\n]|(?<=。)/).map(normalize).filter((f) => f.length >= 6);
          for (const f of fragments) if (!regulation.includes(f)) missing.push(`${rule.id}: ${f}`);
        }
      }
      expect(missing).toEqual([]);
    });
  }
});
