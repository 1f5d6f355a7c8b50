import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWith, loadRules } from '../../src/check.js';
import { makeTree, REPO } from '../harness/tree.js';

/**
 * The clause catalog is held to the rules both ways when policies load, and fixes the period a
 * rule is in force (附則). A small catalog and policy set in a temporary directory exercise each
 * way it can go wrong, with the position of the problem.
 */
const CATALOG = `regulation:
  title: テスト規程
  titleEn: Test regulation
  enforcedOn: "2016-07-26"
clauses:
  - clause: { article: 1 }
    text: 目的
    summary: Purpose.
    status: informational
    reason: { ja: 目的, en: Purpose }
  - clause: { article: 12, paragraph: 3 }
    text: 契約に次の事項を規定する
    summary: Contracts contain the items.
    status: automated
  - clause: { article: 12, paragraph: 3, item: 1 }
    text: 安全管理に関する事項
    summary: Safety.
    status: automated
  - clause: { article: 22, paragraph: 1, item: 1 }
    text: レセプトデータは6年保存後、廃棄する。
    summary: Six years.
    status: automated
    amended: [{ on: "2022-04-01", by: 3, note: { ja: 文言を訂正, en: wording corrected } }]
  - clause: { article: 22, paragraph: 1, item: 4 }
    text: 2年間保存後廃棄する。
    summary: Two years.
    status: automated
    effective: { from: "2020-11-01", by: 2 }
  - clause: { article: 13 }
    text: 教育を行う
    summary: Training.
    status: automated
supplementary:
  - { number: 1, text: 施行する, summary: In force., effective: "2016-07-26", affects: all }
`;

/** A rule on the base roles register that always passes; `extra` lines go into the rule. */
function rule(id: string, clause: string, extra = ''): string {
  return `  - id: ${id}
    clauses:
      - ${clause}
    quote: 引用
    title: { ja: 表題, en: Title }
    message: { ja: 違反, en: Violation }
    remediation: { ja: 是正, en: Fix }
    severity: low
    register: roles
${extra}    assertions:
      - { id: ok, expr: "true" }
`;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// Only the roles register: these tests are about the catalog, not the registers.
const schemas = makeTree({ 'roles.schema.json': readFileSync(path.join(REPO, 'schemas/roles.schema.json'), 'utf8') });
const evidence = makeTree({ 'roles.yaml': readFileSync(path.join(REPO, 'policies/tests/base/roles.yaml'), 'utf8') });
dirs.push(schemas, evidence);

async function load(rules: string) {
  const dir = makeTree({ 'catalog.yaml': CATALOG, 'rules.yaml': `rules:\n${rules}` });
  dirs.push(dir);
  return loadRules({ policiesDir: dir, schemasDir: schemas });
}

const codes = (l: Awaited<ReturnType<typeof load>>) => l.problems.map((p) => `${p.code} ${path.basename(p.location?.file ?? '')}:${p.location?.line}:${p.location?.column}`);

const COMPLETE = [
  rule('contract-items', '{ article: 12, paragraph: 3 }'),
  rule('receipt', '{ article: 22, paragraph: 1, item: 1 }', '    version: 1\n    effective: { until: "2022-03-31" }\n'),
  rule('receipt', '{ article: 22, paragraph: 1, item: 1 }', '    version: 2\n    effective: { from: "2022-04-01" }\n'),
  rule('e-application', '{ article: 22, paragraph: 1, item: 4 }'),
  rule('training', '{ article: 13 }'),
].join('');

describe('the clause catalog and the rules, both ways', () => {
  it('a complete set loads without problems; a paragraph citation covers its items', async () => {
    expect(codes(await load(COMPLETE))).toEqual([]);
  });

  it('a rule citing a clause the catalog lacks is reported at the citation', async () => {
    const l = await load(COMPLETE + rule('ghost', '{ article: 27, paragraph: 9 }'));
    expect(codes(l)).toEqual(['catalog/unknown-clause rules.yaml:63:9']);
    expect(l.problems[0]!.message.ja).toBe('ルール ghost が引用する 第27条第9項 は条項カタログにありません。');
  });

  it('a rule enforcing a clause the catalog marks informational is reported', async () => {
    const l = await load(COMPLETE + rule('purpose', '{ article: 1 }'));
    expect(codes(l)).toEqual(['catalog/not-automated rules.yaml:63:9']);
    expect(l.problems[0]!.message.en).toBe('Rule purpose enforces Art. 1, which the catalog marks "informational"; mark it automated.');
  });

  it('an automated clause without a rule is reported at its catalog entry', async () => {
    const l = await load(COMPLETE.replace(rule('training', '{ article: 13 }'), ''));
    expect(codes(l)).toEqual(['catalog/no-rule catalog.yaml:29:5']);
    expect(l.problems[0]!.message.ja).toBe('第13条 はカタログで automated ですが、検査するルールがありません。');
  });

  it('an amended clause needs a rule version in force from the amendment', async () => {
    const unversioned = [rule('contract-items', '{ article: 12, paragraph: 3 }'), rule('receipt', '{ article: 22, paragraph: 1, item: 1 }'), rule('e-application', '{ article: 22, paragraph: 1, item: 4 }'), rule('training', '{ article: 13 }')].join('');
    const l = await load(unversioned);
    expect(codes(l)).toEqual(['catalog/amendment-not-versioned rules.yaml:15:9']);
  });
});

describe('rule versions and effective dates', () => {
  it('two versions of one id may not overlap, nor share a version number (the later one is refused, so the amendment is unmatched too)', async () => {
    const overlap = COMPLETE.replace('effective: { until: "2022-03-31" }', 'effective: { until: "2022-04-01" }');
    expect(codes(await load(overlap))).toEqual(['policy/duplicate-rule-id rules.yaml:26:5', 'catalog/amendment-not-versioned rules.yaml:15:9']);
    const same = COMPLETE.replace('version: 2', 'version: 1');
    expect(codes(await load(same))).toEqual(['policy/duplicate-rule-id rules.yaml:26:5', 'catalog/amendment-not-versioned rules.yaml:15:9']);
  });

  it('the version in force on the as-of date is the one applied, and the report says which', async () => {
    const l = await load(COMPLETE);
    const base = evidence;
    const before = await checkWith(l, { evidenceDir: base, asOf: '2022-03-31' });
    const after = await checkWith(l, { evidenceDir: base, asOf: '2022-04-01' });
    const version = (r: typeof before) => r.rules.filter((x) => x.rule.id === 'receipt').map((x) => x.rule.version);
    expect(version(before)).toEqual([1]);
    expect(version(after)).toEqual([2]);
    expect(before.runs.filter((r) => r.ruleId === 'receipt')).toEqual([{ ruleId: 'receipt', version: 1, evaluated: 3, outcomes: { pass: 3, fail: 0, not_applicable: 0, error: 0, waived: 0 } }]);
  });

  it('a rule is not applicable before its clause took effect (附則2: 2020-11-01) and applies from that day', async () => {
    const l = await load(COMPLETE);
    const base = evidence;
    const outcomes = async (asOf: string) => [...new Set((await checkWith(l, { evidenceDir: base, asOf })).findings.filter((f) => f.ruleId === 'e-application').map((f) => f.outcome))];
    expect(await outcomes('2020-10-31')).toEqual(['not_applicable']);
    expect(await outcomes('2020-11-01')).toEqual(['pass']);
    const r = (await checkWith(l, { evidenceDir: base, asOf: '2020-10-31' })).findings.find((f) => f.ruleId === 'e-application')!;
    expect(r.message.ja).toBe('適用外: 基準日 2020-10-31 は有効期間（2020-11-01〜）外です');
  });

  it('nothing applies before the regulation itself took effect (2016-07-26)', async () => {
    const l = await load(COMPLETE);
    const r = await checkWith(l, { evidenceDir: evidence, asOf: '2016-07-25' });
    expect([...new Set(r.findings.filter((f) => !f.ruleId.startsWith('kitei/')).map((f) => f.outcome))]).toEqual(['not_applicable']);
  });
});
