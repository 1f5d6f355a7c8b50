import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Lang } from '../core/lang.js';
import type { FindingJson, Reporter, ReportModel, RuleJson } from './model.js';
import { articleTitle, clausesText, groupByArticle, remediationOf, rulesById, whereText } from './view.js';

/**
 * JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure DevOps, GitHub test
 * reporters): one <testsuite> per article of the regulation (input problems in a suite of their
 * own), one <testcase> per rule × record: a pass, a <failure>, an <error>, or not applicable as
 * <skipped>. A record failing two assertions of a rule is two testcases (one per finding, the
 * assertion in the name), so every count in the attributes equals the findings of the JSON report.
 * classname is the rule id, name the record id and the clause; file and line where it is.
 *
 * Built with xmlbuilder2, which escapes every text and attribute; characters XML 1.0 cannot
 * hold are replaced with U+FFFD. Needs every outcome listed: `check --format junit` keeps them
 * all, and `report` refuses a saved JSON without passes and n/a.
 */
const L = {
  ja: { title: 'kitei 規程適合チェック', inputs: '証跡・ポリシーの読み込みの問題', record: 'レコード', fix: '是正', params: 'パラメータ', clause: '条項', waived: (id: string, until: string) => `例外承認 ${id}（${until} まで）` },
  en: { title: 'kitei compliance check', inputs: 'Problems reading evidence and policies', record: 'record', fix: 'Fix', params: 'Parameters', clause: 'Clause', waived: (id: string, until: string) => `waived by ${id} (until ${until})` },
} as const;
const t = (lang: Lang) => L[lang];

export const junitReporter: Reporter = (model, ctx) => junitXml(model, ctx.lang);

export function junitXml(model: ReportModel, lang: Lang): string {
  const t = L[lang];
  const rules = rulesById(model);
  const { inputs, articles } = groupByArticle(model.findings);
  const suites = [...(inputs.length ? [{ name: t.inputs, findings: inputs }] : []), ...articles.map((g) => ({ name: articleTitle(g, lang), findings: g.findings }))];
  const count = (fs: readonly FindingJson[]) => ({
    tests: fs.length,
    failures: fs.filter((f) => f.outcome === 'fail').length,
    errors: fs.filter((f) => f.outcome === 'error').length,
    skipped: fs.filter((f) => f.outcome === 'not_applicable' || f.outcome === 'waived').length,
  });
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const root = doc.ele('testsuites', attrs({ name: `${t.title} ${model.asOf}`, ...count(model.findings) }));
  for (const suite of suites) {
    const el = root.ele('testsuite', attrs({ name: suite.name, ...count(suite.findings) }));
    const props = el.ele('properties');
    props.ele('property', attrs({ name: 'asOf', value: model.asOf }));
    if (model.manifest) props.ele('property', attrs({ name: 'manifest', value: model.manifest.digest }));
    const names = new Map<string, number>();
    for (const f of suite.findings) testcase(el, f, uniqueName(f, lang, names), rules.get(f.ruleId), lang);
  }
  return doc.end({ prettyPrint: true }) + '\n';
}

function testcase(suite: XMLBuilder, f: FindingJson, name: string, rule: RuleJson | undefined, lang: Lang): void {
  const el = suite.ele('testcase', attrs({ classname: f.ruleId, name, ...(f.location ? { file: f.location.file, line: f.location.line } : {}) }));
  if (f.outcome === 'pass') return;
  if (f.outcome === 'not_applicable') {
    el.ele('skipped', attrs({ message: f.message[lang] }));
    return;
  }
  // A waived failure is skipped, not passed: the message says by which waiver, until when.
  if (f.outcome === 'waived') {
    const w = f.waiver;
    el.ele('skipped', attrs({ message: w ? `${t(lang).waived(w.id, w.expiresOn)}: ${f.message[lang]}` : f.message[lang] }));
    return;
  }
  el.ele(f.outcome === 'fail' ? 'failure' : 'error', attrs({ message: f.message[lang], type: f.code ?? f.severity })).txt(literal(details(f, rule, lang)));
}

/** The body of a failure or error: where, which clause and record, the message, parameters and remediation. */
function details(f: FindingJson, rule: RuleJson | undefined, lang: Lang): string {
  const t = L[lang];
  const lines = [`${whereText(f)}  ${f.severity}  ${f.ruleId}${f.assertion ? ` (${f.assertion})` : ''}`];
  if (f.clauses.length) lines.push(`${t.clause}: ${clausesText(f.clauses, lang)}`);
  if (f.recordId) lines.push(`${t.record}: ${f.recordId}`);
  lines.push(f.message[lang]);
  if (f.params && Object.keys(f.params).length) lines.push(`${t.params}: ${Object.entries(f.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);
  const fix = remediationOf(f, rule, lang);
  if (fix) lines.push(`${t.fix}: ${fix}`);
  return lines.join('\n');
}

/**
 * "T-001 第16条第2項": the record (or the file, for findings about a whole register or file) and
 * the primary clause, and the assertion that failed; the element within the record is added where
 * one assertion fails on several (a list's entries), so that no two testcases of a rule share a name.
 */
function uniqueName(f: FindingJson, lang: Lang, seen: Map<string, number>): string {
  const subject = f.recordId ?? f.location?.file ?? f.code ?? '-';
  const clause = f.clauses[0] ? ` ${f.clauses[0][lang]}` : '';
  const element = f.location?.pointer.replace(/^\/records\/\d+/, '') ?? '';
  const named = `${subject}${clause}${f.assertion ? ` ${f.assertion}` : ''}`;
  const candidates = [named, `${named} ${element}`.trimEnd()];
  for (const c of candidates) {
    const key = `${f.ruleId}\u0000${c}`;
    if (!seen.has(key)) {
      seen.set(key, 1);
      return c;
    }
  }
  const base = candidates.at(-1)!;
  const key = `${f.ruleId}\u0000${base}`;
  const n = (seen.get(key) ?? 1) + 1;
  seen.set(key, n);
  return `${base} #${n}`;
}

/**
 * Text for xmlbuilder2 that comes out as itself. xmlbuilder2 escapes `<`, `>` and `"`, but leaves
 * an `&` that already starts an entity reference (`&amp;`, `&#60;`) alone, so evidence reading
 * `&lt;` would come out as `<`. Every `&` is made `&amp;` first, which xmlbuilder2 then keeps.
 */
function literal(s: string): string {
  return s.replace(/&/g, '&amp;');
}

function attrs(o: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, literal(String(v))]));
}
