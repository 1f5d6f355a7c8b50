import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_REGULATION, normalizeRegulation, quoteFindings } from '../../src/lint/lint.js';
import { loadPolicies } from '../../src/policy/load.js';
import { clauseJa, type Clause } from '../../src/core/clause.js';
import { newAjv } from '../../src/schema/registry.js';
import { REPO } from '../harness/tree.js';

/**
 * Auditors read a rule's `quote` as the regulation's own words. Every sentence fragment of every
 * quote (rules and parameter sources) must appear in the regulation: the `kitei lint` rule
 * lint/quote-not-in-regulation (src/lint/lint.ts), run here on the shipped policies. The
 * regulation's only copy is in ../shared/regulation beside the repository (as on the developers'
 * machines and in CI); where it is absent this check cannot run and says so.
 */
const REGULATION = DEFAULT_REGULATION;
const CATALOG = path.join(REPO, 'policies', 'catalog.yaml');
const normalize = normalizeRegulation;

describe.skipIf(!existsSync(REGULATION))('policy quotes are the regulation’s words', () => {
  it('every quote of every policy file (kitei lint: lint/quote-not-in-regulation)', async () => {
    const { policies, problems } = await loadPolicies(path.join(REPO, 'policies'));
    expect(problems).toEqual([]);
    const findings = quoteFindings(policies.rules, readFileSync(REGULATION, 'utf8'));
    expect(findings.map((f) => `${f.location?.file}:${f.location?.line}:${f.location?.column} ${f.message.en}`)).toEqual([]);
  });

  it('reports a quote that is not the regulation’s words at its position', async () => {
    const { policies } = await loadPolicies(path.join(REPO, 'policies'));
    const rule = policies.rules.find((r) => r.rule.id === 'terminal-screen-lock')!;
    const changed = { ...rule, rule: { ...rule.rule, quote: rule.rule.quote.replace('なりすまし', 'なりきり') } };
    const findings = quoteFindings([changed], readFileSync(REGULATION, 'utf8'));
    expect(findings.map((f) => f.code)).toEqual(['lint/quote-not-in-regulation']);
    expect(findings[0]!.location).toMatchObject({ file: 'policies/terminals.yaml', line: 12 });
  });
});

interface CatalogEntry { clause: Clause; heading?: string; text: string; status: string; effective?: { from: string; by: number }; amended?: { on: string; by: number }[] }
interface Catalog { clauses: CatalogEntry[]; supplementary: { number: number; text: string; effective: string; affects: 'all' | Clause[] }[] }

/**
 * The regulation's structure, checked by hand against the text: for each article, the number of
 * items (号) of each paragraph (項). A number means the article has one unnumbered paragraph with
 * that many items ({article} and {article, item}); a list means paragraphs 1, 2, … each with that
 * many items ({article, paragraph} and {article, paragraph, item}). A paragraph with items also has
 * its own entry, for its lead sentence.
 */
const STRUCTURE: Record<number, number | number[]> = {
  1: 0, 2: 0, 3: 3, 4: [6, 7, 2], 5: 12, 6: [0, 5, 7], 7: [0, 0, 0], 8: [0, 0, 0], 9: [0, 0, 0],
  10: [0, 0, 0, 0], 11: [0, 0], 12: [0, 0, 12, 0, 4, 0], 13: 0, 14: [1, 0, 0, 0, 0], 15: 0,
  16: [1, 0, 0], 17: [0, 0], 18: [0, 0], 19: [0, 0, 0, 0, 0], 20: [0, 0], 21: [3, 0], 22: [4, 0, 0, 0],
  23: [0, 0], 24: [0, 0], 25: [0, 0, 4], 26: [2, 7], 27: [3, 0],
};

function expectedClauses(): string[] {
  const keys: string[] = [];
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  for (const article of range(27)) {
    const shape = STRUCTURE[article]!;
    if (typeof shape === 'number') {
      keys.push(clauseJa({ article }), ...range(shape).map((item) => clauseJa({ article, item })));
    } else {
      shape.forEach((items, i) => keys.push(clauseJa({ article, paragraph: i + 1 }), ...range(items).map((item) => clauseJa({ article, paragraph: i + 1, item }))));
    }
  }
  return keys;
}

describe('clause catalog', () => {
  const catalog = parse(readFileSync(CATALOG, 'utf8')) as Catalog;

  it('is valid against schemas/catalog.schema.json', () => {
    const validate = newAjv().compile(JSON.parse(readFileSync(path.join(REPO, 'schemas', 'catalog.schema.json'), 'utf8')) as object);
    validate(catalog);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('lists every article, paragraph and item of the regulation once, in order', () => {
    expect(expectedClauses()).toHaveLength(152);
    expect(catalog.clauses.map((e) => clauseJa(e.clause))).toEqual(expectedClauses());
  });

  it('gives each article its heading on its first entry only', () => {
    const firsts = new Set(catalog.clauses.filter((e, i) => i === 0 || catalog.clauses[i - 1]!.clause.article !== e.clause.article));
    expect(catalog.clauses.filter((e) => (e.heading !== undefined) !== firsts.has(e)).map((e) => clauseJa(e.clause))).toEqual([]);
  });

  it('ties added and amended clauses to the supplementary provisions that changed them', () => {
    const byNumber = new Map(catalog.supplementary.map((s) => [s.number, s]));
    expect(catalog.supplementary.map((s) => s.number)).toEqual([1, 2, 3]);
    const problems: string[] = [];
    for (const e of catalog.clauses) {
      const changes = [...(e.effective ? [{ on: e.effective.from, by: e.effective.by }] : []), ...(e.amended ?? [])];
      for (const c of changes) {
        const s = byNumber.get(c.by);
        if (!s || s.effective !== c.on || s.affects === 'all' || !s.affects.some((a) => clauseJa(a) === clauseJa(e.clause))) problems.push(`${clauseJa(e.clause)} ← 附則${c.by}`);
      }
    }
    for (const s of catalog.supplementary) {
      if (s.affects === 'all') continue;
      for (const a of s.affects) {
        const e = catalog.clauses.find((x) => clauseJa(x.clause) === clauseJa(a));
        if (!e || ![e.effective?.by, ...(e.amended ?? []).map((m) => m.by)].includes(s.number)) problems.push(`附則${s.number} → ${clauseJa(a)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  describe.skipIf(!existsSync(REGULATION))('is the regulation’s words', () => {
    const raw = existsSync(REGULATION) ? readFileSync(REGULATION, 'utf8') : '';
    const regulation = normalize(raw);

    it('every clause and supplementary text appears in the regulation', () => {
      const texts = [...catalog.clauses.map((e) => [clauseJa(e.clause), e.text]), ...catalog.supplementary.map((s) => [`附則${s.number}`, s.text])];
      expect(texts.filter(([, t]) => !regulation.includes(normalize(t!))).map(([k]) => k)).toEqual([]);
    });

    it('every heading is an article heading of the regulation', () => {
      const headings = new Set([...raw.matchAll(/^[（(]([^）)]+)[）)]\s*$/gm)].map((m) => m[1]!.trim()));
      expect(catalog.clauses.filter((e) => e.heading !== undefined && !headings.has(e.heading)).map((e) => clauseJa(e.clause))).toEqual([]);
    });
  });
});
