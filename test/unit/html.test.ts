import { describe, expect, it } from 'vitest';
import { htmlReporter } from '../../src/report/html/index.js';
import { reportText } from '../../src/report/reporter.js';
import type { ReportModel } from '../../src/report/model.js';
import { kitei } from '../harness/cli.js';
import { attr, byTag, findAll, hasClass, parseHtml, textOf, type HtmlNode } from '../harness/html.js';
import { fail, model, syntax } from '../harness/results.js';

/**
 * The HTML report's pictures and tables count the same things, and the JSON report's numbers:
 * the clause map has a cell per clause of the catalog, marked as the clause table's row is; each
 * row's counts are the JSON rules' outcomes added up over the rules that cite the clause (or its
 * paragraph or article); the bars are the JSON's failures per article.
 */
const AS_OF = '2026-11-24';
type Counts = Record<string, number>;
interface JsonClause {
  article: number;
  paragraph?: number;
  item?: number;
  ja: string;
}
interface Json {
  summary: { total: Counts };
  rules: { id: string; clauses: JsonClause[]; outcomes: Counts }[];
  catalog: { clauses: { clause: JsonClause; status: string }[] };
  findings: { outcome: string; severity: string; clauses: JsonClause[] }[];
}

function render(evidence: string) {
  const html = kitei(['check', evidence, '--as-of', AS_OF, '--format', 'html']).stdout;
  const json = JSON.parse(kitei(['check', evidence, '--as-of', AS_OF, '--format', 'json']).stdout) as Json;
  const doc = parseHtml(html);
  const map = findAll(doc, (n) => n.tagName === 'svg' && hasClass(n, 'clause-map'))[0]!;
  const cells = byTag(map, 'a');
  const table = findAll(doc, (n) => n.tagName === 'table' && hasClass(n, 'clauses'))[0]!;
  const rows = byTag(byTag(table, 'tbody')[0]!, 'tr');
  return { html, json, doc, cells, rows };
}

/** The rules counted toward a clause, worked out here from the JSON alone: citing it, or (automated) its paragraph or article. */
function expectedCounts(json: Json, entry: Json['catalog']['clauses'][number]): Counts {
  const c = entry.clause;
  const same = (x: JsonClause, y: { article: number; paragraph?: number; item?: number }) => x.article === y.article && x.paragraph === y.paragraph && x.item === y.item;
  const parents = entry.status !== 'automated' ? [] : [...(c.item !== undefined ? [{ article: c.article, paragraph: c.paragraph }] : []), ...(c.paragraph !== undefined || c.item !== undefined ? [{ article: c.article }] : [])];
  const counts: Counts = Object.fromEntries(Object.keys(json.summary.total).map((o) => [o, 0]));
  for (const rule of json.rules) {
    if (!rule.clauses.some((x) => same(x, c) || parents.some((p) => same(x, p)))) continue;
    for (const o of Object.keys(counts)) counts[o]! += rule.outcomes[o] ?? 0;
  }
  return counts;
}

const tally = (marks: (string | undefined)[]) => marks.reduce<Record<string, number>>((t, m) => ({ ...t, [m!]: (t[m!] ?? 0) + 1 }), {});

describe('HTML report: clause map, clause table and JSON agree', () => {
  for (const evidence of ['evidence', 'examples/terminal-lock-and-screen/evidence']) {
    it(`${evidence}: every clause once in the map and the table, with the same mark and the JSON's counts`, () => {
      const { json, doc, cells, rows } = render(evidence);
      const clauses = json.catalog.clauses;
      expect(clauses).toHaveLength(152);
      expect(cells.map((c) => attr(c, 'data-clause'))).toEqual(clauses.map((c) => c.clause.ja));
      expect(rows.map((r) => attr(r, 'data-clause'))).toEqual(clauses.map((c) => c.clause.ja));
      expect(cells.map((c) => attr(c, 'data-mark'))).toEqual(rows.map((r) => attr(r, 'data-mark')));
      // Each cell links to its row, and says in its tooltip which clause it is.
      expect(cells.map((c) => attr(c, 'href'))).toEqual(rows.map((r) => `#${attr(r, 'id')}`));
      for (const [i, cell] of cells.entries()) expect(textOf(byTag(cell, 'title')[0]!)).toMatch(new RegExp(`^${clauses[i]!.clause.ja} — `));

      const marks = tally(cells.map((c) => attr(c, 'data-mark')));
      expect(marks.organizational).toBe(clauses.filter((c) => c.status === 'organizational').length);
      expect(marks.informational).toBe(clauses.filter((c) => c.status === 'informational').length);
      expect((marks.pass ?? 0) + (marks.fail ?? 0) + (marks.error ?? 0) + (marks.not_applicable ?? 0)).toBe(clauses.filter((c) => c.status === 'automated').length);

      for (const [i, row] of rows.entries()) {
        const entry = clauses[i]!;
        // One column per outcome, in the JSON summary's order.
        const outcomes = Object.keys(json.summary.total);
        const nums = byTag(row, 'td').slice(4).map((td) => textOf(td));
        if (entry.status !== 'automated') {
          expect(nums).toEqual(outcomes.map(() => '–'));
          continue;
        }
        const want = expectedCounts(json, entry);
        expect(nums, entry.clause.ja).toEqual(outcomes.map((o) => String(want[o])));
        const mark = want.fail! > 0 ? 'fail' : want.error! > 0 ? 'error' : (want.waived ?? 0) > 0 ? 'waived' : want.pass! > 0 ? 'pass' : 'not_applicable';
        expect(attr(row, 'data-mark'), entry.clause.ja).toBe(mark);
      }

      // The legend's numbers are the cells'.
      const legend = findAll(doc, (n) => attr(n, 'data-legend') !== undefined);
      expect(legend).toHaveLength(7);
      for (const item of legend) expect(textOf(item)).toMatch(new RegExp(` ${marks[attr(item, 'data-legend')!] ?? 0}$`));
    });
  }

  it('is self-contained: no script, no link, no image, no source, every link within the page', () => {
    const { doc } = render('evidence');
    for (const tag of ['script', 'link', 'img', 'iframe', 'object', 'embed', 'image', 'use']) expect(byTag(doc, tag), tag).toEqual([]);
    expect(findAll(doc, (n) => attr(n, 'src') !== undefined)).toEqual([]);
    const targets = findAll(doc, (n) => attr(n, 'href') !== undefined).map((n) => attr(n, 'href')!);
    expect(targets.length).toBeGreaterThan(152);
    const ids = new Set(findAll(doc, (n) => attr(n, 'id') !== undefined).map((n) => attr(n, 'id')));
    for (const href of targets) expect(ids.has(href.slice(1)), href).toBe(href.startsWith('#'));
  });

  it('the bars are the JSON failures per article, by severity', () => {
    const { json, doc, cells } = render('examples/terminal-lock-and-screen/evidence');
    const svg = findAll(doc, (n) => n.tagName === 'svg' && hasClass(n, 'failure-bars'))[0]!;
    const bars = findAll(svg, (n) => n.tagName === 'g' && attr(n, 'data-total') !== undefined);
    const fails = json.findings.filter((f) => f.outcome === 'fail');
    expect(fails.length).toBe(json.summary.total.fail);
    expect(fails.length).toBeGreaterThan(0);
    const want: Record<string, Record<string, number>> = {};
    for (const f of fails) {
      const a = String(f.clauses[0]?.article ?? 'none');
      want[a] = { ...want[a], [f.severity]: (want[a]?.[f.severity] ?? 0) + 1 };
    }
    const got: Record<string, Record<string, number>> = {};
    for (const bar of bars) {
      const segments = findAll(bar, (n) => attr(n, 'data-severity') !== undefined);
      if (segments.length) got[attr(bar, 'data-article')!] = Object.fromEntries(segments.map((s) => [attr(s, 'data-severity')!, Number(attr(s, 'data-count'))]));
      expect(Number(attr(bar, 'data-total'))).toBe(segments.reduce((n, s) => n + Number(attr(s, 'data-count')), 0));
    }
    expect(got).toEqual(want);
    expect(bars.reduce((n, b) => n + Number(attr(b, 'data-total')), 0)).toBe(json.summary.total.fail);
    // Written out too: "2（high 2）" beside the bar of 第16条.
    expect(textOf(bars.find((b) => attr(b, 'data-article') === '16')!)).toContain('2（high 2）');
    expect(cells.filter((c) => attr(c, 'data-mark') === 'fail').map((c) => attr(c, 'data-clause'))).toEqual(['第5条第10号', '第16条第2項']);
  });
});

describe('HTML report from a hand-built model', () => {
  const render = (m: ReportModel, lang: 'ja' | 'en' = 'ja') => parseHtml(reportText(htmlReporter(m, { lang })));
  const injected = { ...fail, message: { ja: '端末 <img src=x onerror=alert(1)> の</style><script>x()</script>画面', en: 'Terminal <b>bold</b> & "q"' }, recordId: '<i>T-007</i>' };

  it('shows markup from the evidence as text, never as elements', () => {
    const html = reportText(htmlReporter(model([injected, syntax]), { lang: 'ja' }));
    expect(html).toContain('端末 &lt;img src=x onerror=alert(1)> の&lt;/style>&lt;script>x()&lt;/script>画面');
    const doc = parseHtml(html);
    expect(byTag(doc, 'img')).toEqual([]);
    expect(byTag(doc, 'script')).toEqual([]);
    expect(byTag(doc, 'i')).toEqual([]);
    expect(byTag(doc, 'style')).toHaveLength(1);
    expect(textOf(doc)).toContain('端末 <img src=x onerror=alert(1)> の</style><script>x()</script>画面');
    expect(textOf(parseHtml(reportText(htmlReporter(model([injected]), { lang: 'en' }))))).toContain('Terminal <b>bold</b> & "q"');
  });

  it('with --baseline, a bar each for new, unchanged and resolved, with the counts of the baseline block', () => {
    const counts = { new: 2, unchanged: 5, resolved: 3 };
    const m = { ...model([fail]), baseline: { file: 'reports/2026-10.json', asOf: '2026-10-31', digest: null, failOnNew: false, counts, resolved: [] } };
    const doc = render(m);
    const svg = findAll(doc, (n) => n.tagName === 'svg' && hasClass(n, 'baseline-bars'))[0]!;
    const bars = findAll(svg, (n) => attr(n, 'data-baseline') !== undefined);
    expect(bars.map((b) => [attr(b, 'data-baseline'), Number(attr(b, 'data-count'))])).toEqual([['new', 2], ['unchanged', 5], ['resolved', 3]]);
    expect(bars.map((b) => textOf(b))).toEqual(['+ 新規2', '= 変わらず5', '− 解消3']);
    // No baseline, no picture.
    expect(findAll(render(model([fail])), (n) => n.tagName === 'svg' && hasClass(n, 'baseline-bars'))).toEqual([]);
  });

  it('without a catalog (an older saved report) says the clause table cannot be drawn', () => {
    const doc = render(model([fail, syntax]));
    const clauses = findAll(doc, (n) => attr(n, 'id') === 'clauses')[0]!;
    expect(textOf(clauses)).toBe('条項表この報告書のもとになった JSON レポートには条項カタログがありません（古い版の kitei で保存されたか、カタログのないポリシーで検査したもの）。条項表と条項の地図は作れません。');
    expect(findAll(doc, (n) => n.tagName === 'svg' && hasClass(n, 'clause-map'))).toEqual([]);
  });

  it('lists the failure with its clause, quote, record, place, parameters and fix; the input problem under errors', () => {
    const doc = render(model([fail, syntax]));
    const section = (id: string) => findAll(doc, (n) => attr(n, 'id') === id)[0]!;
    const failure = findAll(section('failures-16'), (n: HtmlNode) => hasClass(n, 'finding'));
    expect(failure).toHaveLength(1);
    expect(textOf(failure[0]!)).toBe(
      '✗ 不適合 high 第16条第2項・第5条第10号 terminal-screen-lock / idle-time' +
        '内容端末 T-007 の画面ロックまでの時間が 10 分です' +
        'レコードT-007' +
        '場所evidence/terminals.yaml:123:7' +
        '規程離席時など、特定の時間（5分以内）操作がない場合にはスクリーンロックをかけること。' +
        'パラメータmaxIdleMinutes=5' +
        '是正5 分以内で作動する画面ロックを設定してください。',
    );
    const errors = findAll(section('errors'), (n: HtmlNode) => hasClass(n, 'finding'));
    expect(errors.map(textOf)).toEqual(['! エラー high kitei/evidence-yaml-syntax内容YAML の構文エラー: x場所evidence/media.yaml:6:1コードevidence/yaml-syntax']);
    expect(textOf(findAll(doc, (n) => hasClass(n, 'verdict'))[0]!)).toBe('! 判定できない入力があります（読めない証跡・ポリシー、評価できなかったルール）');
  });
});
