import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/check.js';
import { makeTree } from '../harness/tree.js';

/** A one-rule policy file; `patch` replaces parts of it to make it wrong in one way. */
const policy = (patch: Record<string, string> = {}) => {
  const p = {
    severity: 'severity: high',
    when: 'when: record.status != "disposed"',
    expr: 'expr: record.screenLock.idleMinutes <= params.maxIdleMinutes',
    message: 'ja: 端末 {{record.id}} の設定が不適切です',
    def: 'default: 5',
    register: 'register: terminals',
    ...patch,
  };
  return `rules:
  - id: lock
    clauses: [{ article: 16, paragraph: 2 }]
    quote: 特定の時間（5分以内）
    title: { ja: 画面ロック, en: Screen lock }
    message:
      ${p.message}
      en: bad setting on {{record.id}}
    remediation: { ja: 設定する, en: Configure it }
    ${p.severity}
    ${p.register}
    ${p.when}
    parameters:
      maxIdleMinutes:
        type: int
        ${p.def}
        description: { ja: 上限, en: Limit }
        source: { quote: 5分以内 }
    assertions:
      - id: idle
        ${p.expr}
`;
};

async function problems(files: Record<string, string>) {
  const loaded = await loadRules({ policiesDir: makeTree(files) });
  return { loaded, list: loaded.problems.map((f) => `${f.code} ${f.location?.file.split('/').pop()}:${f.location?.line}:${f.location?.column}`), findings: loaded.problems };
}

describe('policies are checked before use: each problem has a code, file, line and column', () => {
  it('a well-formed policy loads with no problems', async () => {
    const { loaded, list } = await problems({ 'p.yaml': policy() });
    expect(list).toEqual([]);
    expect(loaded.engine.rules.map((r) => r.rule.id)).toEqual(['lock']);
  });
  it('a misspelt policy field is refused at its key', async () => {
    const { loaded, list, findings } = await problems({ 'p.yaml': policy({ severity: 'severty: high' }) });
    expect(list).toEqual(['policy/schema p.yaml:2:5', 'policy/schema p.yaml:10:5']);
    expect(findings.map((f) => f.message.en)).toEqual([
      "Invalid policy: /rules/0: must have required property 'severity'",
      'Invalid policy: /rules/0/severty: unknown field "severty"',
    ]);
    expect(loaded.engine.rules).toEqual([]);
  });
  it('a CEL syntax error points into the expression', async () => {
    const { list, findings } = await problems({ 'p.yaml': policy({ expr: 'expr: record.screenLock.idleMinutes <=' }) });
    expect(list).toEqual(['policy/cel-syntax p.yaml:21:47']);
    expect(findings[0]!.ruleId).toBe('kitei/policy-cel-syntax');
  });
  it('an unknown evidence field in CEL is a type error at the field', async () => {
    const { list, findings } = await problems({ 'p.yaml': policy({ expr: 'expr: record.screenLock.idleMinuts <= params.maxIdleMinutes' }) });
    expect(list).toEqual(['policy/cel-type p.yaml:21:33']);
    expect(findings[0]!.message.en).toBe('CEL type error: No such key: idleMinuts');
  });
  it('an unknown parameter is a type error too', async () => {
    const { list } = await problems({ 'p.yaml': policy({ expr: 'expr: record.screenLock.idleMinutes <= params.maxIdle' }) });
    expect(list).toEqual(['policy/cel-type p.yaml:21:55']);
  });
  it('comparing an int field with a double is refused (numbers are ints in evidence)', async () => {
    const { list, findings } = await problems({ 'p.yaml': policy({ expr: 'expr: record.screenLock.idleMinutes + 1.0 <= 5.0' }) });
    expect(list).toEqual(['policy/cel-type p.yaml:21:15']);
    expect(findings[0]!.message.en).toContain('int + double');
  });
  it('.matches() is refused; regexMatch with a broken pattern is refused', async () => {
    const a = await problems({ 'p.yaml': policy({ expr: 'expr: record.hostname.matches("^PC")' }) });
    expect(a.list).toEqual(['policy/unsafe-regex p.yaml:21:15']);
    const b = await problems({ 'p.yaml': policy({ expr: 'expr: regexMatch(record.hostname, "(unclosed")' }) });
    expect(b.list).toEqual(['policy/bad-regex p.yaml:21:43']);
  });
  it('a condition that is not bool is refused', async () => {
    const { list } = await problems({ 'p.yaml': policy({ when: 'when: record.hostname' }) });
    expect(list).toEqual(['policy/cel-not-bool p.yaml:12:11']);
  });
  it('messages may not interpolate personal data', async () => {
    const { list } = await problems({ 'p.yaml': policy({ message: 'ja: "{{byId.staff[record.assignedTo].name}} の端末"', register: 'register: terminals' }) });
    expect(list).toEqual(['policy/personal-data p.yaml:7:44']);
  });
  it('an expression error inside a message template points at the hole', async () => {
    const { list } = await problems({ 'p.yaml': policy({ message: 'ja: 端末 {{record.nope}} の設定' }) });
    expect(list).toEqual(['policy/cel-type p.yaml:7:23']);
  });
  it('a parameter default of the wrong type, an unknown register, a duplicate rule id', async () => {
    const a = await problems({ 'p.yaml': policy({ def: 'default: "5"' }) });
    expect(a.list).toEqual(['policy/bad-parameter p.yaml:16:9']);
    const b = await problems({ 'p.yaml': policy({ register: 'register: printers' }) });
    expect(b.list).toEqual(['policy/unknown-register p.yaml:11:5']);
    const c = await problems({ 'a.yaml': policy(), 'b.yaml': policy() });
    expect(c.list).toEqual(['policy/duplicate-rule-id b.yaml:2:5']);
    expect(c.loaded.engine.rules).toHaveLength(1);
  });
  it('a block-scalar expression maps errors to the right line', async () => {
    const { list } = await problems({ 'p.yaml': policy({ expr: 'expr: |\n          has(record.screenLock) &&\n          record.screenLock.idleMinuts <= 5' }) });
    expect(list).toEqual(['policy/cel-type p.yaml:23:29']);
  });
  it('parameter overrides are type-checked and must name a declared parameter', async () => {
    const dir = makeTree({ 'p.yaml': policy() });
    const bad = await loadRules({ policiesDir: dir, params: { lock: { maxIdleMinutes: 'five', other: 1 } } });
    expect(bad.problems.map((f) => f.code)).toEqual(['policy/bad-parameter', 'policy/unknown-parameter']);
    const unknownRule = await loadRules({ policiesDir: dir, params: { nolock: { x: 1 } } });
    expect(unknownRule.problems.map((f) => f.message.en)).toEqual(['Rule nolock has no parameter x.']);
  });
});

describe('personal data is tracked by type, not by field name', () => {
  it("a contractor company's name may appear in a message; a staff member's name may not", async () => {
    const rule = (message: string) => `rules:
  - id: sub
    clauses: [{ article: 12, paragraph: 4 }]
    quote: 再委託
    title: { ja: 再委託, en: Subcontracting }
    message: { ja: "${message}", en: x }
    remediation: { ja: x, en: x }
    severity: high
    register: contracts
    assertions:
      - id: a
        forEach: record.subcontracting.?subcontractors.orValue([])
        expr: item.equivalentMeasures
`;
    const ok = await loadRules({ policiesDir: makeTree({ 'p.yaml': rule('再委託先 {{item.name}}') }) });
    expect(ok.problems).toEqual([]);
    const bad = await loadRules({ policiesDir: makeTree({ 'p.yaml': rule('署名者 {{byId.staff[record.unionSignatory].name}}') }) });
    expect(bad.problems.map((f) => f.code)).toEqual(['policy/personal-data']);
  });
});

describe('Japanese text folded over several YAML lines', () => {
  it('is joined without the space folding inserts, while English keeps its spaces', async () => {
    const { unfoldJa } = await import('../../src/policy/load.js');
    expect(unfoldJa('施錠できるキャビネットに保管し、 その所在を台帳に記録し、 管理する。')).toBe('施錠できるキャビネットに保管し、その所在を台帳に記録し、管理する。');
    expect(unfoldJa('端末 T-001 の画面ロック')).toBe('端末 T-001 の画面ロック');
    expect(unfoldJa('Configure a lock')).toBe('Configure a lock');
  });
});

describe('a personal field used only as a lookup key', () => {
  it('may index a lookup inside a message, but may not be printed', async () => {
    const rule = (message: string) => `lookups:
  byLogin:
    register: accounts
    key: record.system + "/" + record.loginId
    description: { ja: x, en: x }
rules:
  - id: login
    clauses: [{ article: 5, item: 1 }]
    quote: 他者に利用させない
    title: { ja: x, en: x }
    message: { ja: "${message}", en: x }
    remediation: { ja: x, en: x }
    severity: high
    register: accounts
    assertions:
      - id: a
        expr: size(lookups.byLogin[?record.system + "/" + record.loginId].orValue([])) <= 1
`;
    const ok = await loadRules({ policiesDir: makeTree({ 'p.yaml': rule('{{lookups.byLogin[?record.system + \\"/\\" + record.loginId].orValue([]).map(a, a.id)}}') }) });
    expect(ok.problems).toEqual([]);
    const bad = await loadRules({ policiesDir: makeTree({ 'p.yaml': rule('{{record.loginId}}') }) });
    expect(bad.problems.map((f) => f.code)).toEqual(['policy/personal-data']);
  });
});
