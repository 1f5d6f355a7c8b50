import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCoverage } from '../../src/catalog/coverage.js';
import { clauseKey } from '../../src/catalog/model.js';
import { loadRules } from '../../src/check.js';
import type { Clause } from '../../src/core/clause.js';
import { kitei } from '../harness/cli.js';
import { makeTree, REPO } from '../harness/tree.js';

const AS_OF = '2026-11-24';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of kitei's own policies directory to break in one place. */
function policiesCopy(): string {
  const dir = makeTree({}, path.join(REPO, 'policies'));
  dirs.push(dir);
  return dir;
}

describe('kitei coverage', () => {
  it('accounts for every clause of the repository and exits 0', () => {
    const r = kitei(['coverage', 'evidence', '--as-of', AS_OF]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/集計: 152 条項 — 自動検査 \d+・組織的 \d+・説明的 \d+、未対応 0、ルール \d+/);
    expect(r.stdout).toContain('■ 附則');
    // Each automated clause line names its rules with the records each evaluated: 第16条第2項 (terminals).
    expect(r.stdout).toMatch(/第16条第2項\s+自動検査\s+terminal-screen-lock \[40\], terminal-screen-orientation \[40\]/);
  });

  it('in English, and as JSON with every clause', () => {
    const en = kitei(['coverage', 'evidence', '--as-of', AS_OF, '--lang', 'en']);
    expect(en.stdout).toMatch(/Art\. 16\(2\)\s+automated\s+terminal-screen-lock/);
    const j = JSON.parse(kitei(['coverage', '--no-evidence', '--format', 'json']).stdout) as { totals: { clauses: number; unaccounted: number }; clauses: { ja: string; status: string; rules: unknown[]; reason?: unknown }[] };
    expect(j.totals).toMatchObject({ clauses: 152, unaccounted: 0 });
    for (const c of j.clauses) expect(c.status === 'automated' ? c.rules.length > 0 : c.reason !== undefined, c.ja).toBe(true);
  });

  it('exits 1 and marks the clause unaccounted when an automated clause loses its rules', () => {
    const dir = policiesCopy();
    rmSync(path.join(dir, 'staff.yaml'));
    rmSync(path.join(dir, 'tests'), { recursive: true });
    const r = kitei(['coverage', '--no-evidence', '--policies', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/第11条第2項\s+未対応/);
    expect(r.stdout).toMatch(/未対応 [1-9]/);
  });
});

/**
 * Every row of the design's clause analysis (../shared/design/clauses.md) has a rule or a stated
 * reason in the catalog: the rows name clauses as 4-1(3), 12-5(2)(3), 5(8)(9)(11), 26-1 or 11.
 */
const CLAUSES_MD = path.resolve(REPO, '../shared/design/clauses.md');
describe.skipIf(!existsSync(CLAUSES_MD))('every row of clauses.md is accounted for', async () => {
  const loaded = await loadRules({});
  const coverage = buildCoverage(loaded.catalog!, loaded.engine.rules);
  const rows = new Map(coverage.rows.map((r) => [clauseKey(r.entry.clause), r]));
  // The callback is collected even when skipped: read the file only where it exists.
  const refs = existsSync(CLAUSES_MD) ? parseClauseRefs(readFileSync(CLAUSES_MD, 'utf8')) : [];
  it('names over 60 clauses', () => expect(refs.length).toBeGreaterThan(60));
  for (const { text, clause } of refs) {
    it(text, () => {
      // A reference to a whole article or paragraph is accounted for through its entries.
      const own = rows.get(clauseKey(clause));
      const entries = own ? [own] : [...rows.values()].filter((r) => r.entry.clause.article === clause.article && (clause.paragraph === undefined || r.entry.clause.paragraph === clause.paragraph));
      expect(entries.length, 'in the catalog').toBeGreaterThan(0);
      for (const e of entries) expect(e.accounted, `${text}: ${e.entry.status}`).toBe(true);
      expect(entries.some((e) => e.rules.length > 0 || e.entry.reason !== undefined)).toBe(true);
    });
  }
});

function parseClauseRefs(md: string): { text: string; clause: Clause }[] {
  const out: { text: string; clause: Clause }[] = [];
  const cells = [...md.matchAll(/^\| ([0-9][^|]*) \|/gm)].map((m) => m[1]!);
  const informational = /^第1条, 第2条[\s\S]*?26-1\(2\)\./m.exec(md)?.[0] ?? '';
  for (const cell of [...cells, ...informational.replace(/第(\d+)条/g, '$1').split(/,\s*/)]) {
    for (const ref of cell.split(/,\s*/).map((r) => r.replace(/\s+\(.*$/s, '').trim())) {
      const m = /^(\d+)(?:-(\d+))?((?:\(\d+\))*)/.exec(ref.trim().replace(/\s.*$/, ''));
      if (!m) continue;
      const article = Number(m[1]);
      const paragraph = m[2] ? Number(m[2]) : undefined;
      const items = [...m[3]!.matchAll(/\((\d+)\)/g)].map((x) => Number(x[1]));
      const base = { article, ...(paragraph !== undefined ? { paragraph } : {}) };
      if (items.length === 0) out.push({ text: ref.trim(), clause: base });
      for (const item of items) out.push({ text: `${ref.trim()} → (${item})`, clause: { ...base, item } });
    }
  }
  return out;
}

describe('kitei due', () => {
  it('lists obligations within the window in date order, each with its clause, rule and evidence line', () => {
    const r = kitei(['due', 'evidence', '--as-of', AS_OF, '--within', '90d', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { until: string; items: { date: string; ruleId: string; label: { ja: string }; location: { file: string; line: number } }[] };
    expect(j.until).toBe('2027-02-22');
    expect(j.items.length).toBeGreaterThan(3);
    const dates = j.items.map((i) => i.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.every((d) => d >= AS_OF && d <= '2027-02-22')).toBe(true);
    // The monthly registers fall due for recapture 31 days after 2026-11-20.
    expect(j.items).toContainEqual(expect.objectContaining({ date: '2026-12-21', ruleId: 'evidence-freshness', label: expect.objectContaining({ ja: '台帳 accounts の取り直し（取得日 2026-11-20）' }), location: expect.objectContaining({ file: 'evidence/accounts.yaml' }) }));
  });

  it('a shorter window lists fewer; a bad window is a usage error', () => {
    const short = kitei(['due', 'evidence', '--as-of', AS_OF, '--within', '20d']);
    expect(short.code).toBe(0);
    expect(short.stdout.split('\n')[0]).toBe('kitei due — 基準日 2026-11-24 から 20d（2026-12-14 まで）の期限');
    expect(short.stdout).not.toContain('2026-12-21');
    const bad = kitei(['due', '--within', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('数と単位で指定: 90d（日）、12w（週）、3m（月）、1y（年）');
  });
});

describe('kitei explain', () => {
  it('shows the clause text, the logic, the parameters with their sources, and the remediation', () => {
    const r = kitei(['explain', 'terminal-screen-lock']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^terminal-screen-lock — /);
    expect(r.stdout).toContain('第16条第2項  PC 等端末の使用に際しては');
    expect(r.stdout).toMatch(/idle-time: .*record\.screenLock\.idleMinutes <= params\.maxIdleMinutes/);
    expect(r.stdout).toMatch(/maxIdleMinutes = 5 minutes \(int\)/);
    expect(r.stdout).toContain('出典: 第16条第2項');
    expect(r.stdout).toContain('是正:');
    expect(r.stdout).toMatch(/テストケース: 適合例 \d+・不適合例 \d+/);
  });

  it('an unknown rule is a usage error that suggests near names', () => {
    const r = kitei(['explain', 'terminal-lock']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no rule "terminal-lock" \(did you mean: .*terminal-screen-lock/);
  });
});

describe('kitei test', () => {
  it('runs one rule’s cases and says so', () => {
    const r = kitei(['test', '--rule', 'evidence-freshness']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ evidence-freshness\s+適合例 \d+・不適合例 \d+・適用外 0/);
  });

  it('a case whose expectation is wrong fails with the difference, and a rule without cases is listed; exit 1', () => {
    const dir = policiesCopy();
    const file = path.join(dir, 'tests/evidence.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('message: 32 日前です（上限 31 日）', 'message: 33 日前です'));
    rmSync(path.join(dir, 'tests/terminals.yaml'));
    const r = kitei(['test', '--policies', dir, '--rule', 'evidence-freshness']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ 不適合例「a monthly register captured 32 days before」 .*tests\/evidence\.yaml:\d+/);
    expect(r.stdout).toContain('所見が期待と違います（期待: メッセージ「33 日前です」）: terminals.yaml:2:1 fail max-age 台帳 terminals の取得日 2026-10-23 は基準日 2026-11-24 の 32 日前です（上限 31 日）');
    const all = kitei(['test', '--policies', dir, '--rule', 'terminal-screen-lock']);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('terminal-screen-lock: 適合例がありません、不適合例がありません');
  });
});

describe('effective dates on the example evidence (附則)', () => {
  const outcomes = (asOf: string, ruleId: string) => {
    const r = kitei(['check', 'evidence', '--as-of', asOf, '--format', 'json', '--include', 'pass,not_applicable']);
    const j = JSON.parse(r.stdout) as { findings: { ruleId: string; outcome: string; message: { ja: string } }[]; rules: { id: string; version: number; effective: { from?: string; until?: string } }[] };
    return { findings: j.findings.filter((f) => f.ruleId === ruleId), rules: j.rules.filter((x) => x.id === ruleId) };
  };

  it('第22条第1項第4号 is not applicable as of 2020-10-31 and applies as of 2020-11-01', () => {
    const before = outcomes('2020-10-31', 'retention-e-application');
    expect(before.findings.length).toBeGreaterThan(0);
    expect(new Set(before.findings.map((f) => f.outcome))).toEqual(new Set(['not_applicable']));
    expect(before.findings[0]!.message.ja).toContain('有効期間（2020-11-01〜）外です');
    const after = outcomes('2020-11-01', 'retention-e-application');
    expect(after.findings.some((f) => f.outcome === 'pass')).toBe(true);
    expect(after.findings.some((f) => f.message.ja.includes('有効期間'))).toBe(false);
  });

  it('the 2022-04-01 correction of 第22条第1項第1号 is a new rule version, and the report says which was applied', () => {
    expect(outcomes('2022-03-31', 'retention-receipt-data').rules).toEqual([expect.objectContaining({ version: 1, effective: { from: '2016-07-26', until: '2022-03-31' } })]);
    expect(outcomes('2022-04-01', 'retention-receipt-data').rules).toEqual([expect.objectContaining({ version: 2, effective: { from: '2022-04-01' } })]);
    const text = kitei(['check', 'evidence', '--as-of', '2022-04-01']).stdout;
    expect(text).toMatch(/retention-receipt-data\s+第2版（2022-04-01〜）/);
  });
});
