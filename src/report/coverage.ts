import { ARTICLE_HEADINGS } from '../core/articles.js';
import { clauseEn, clauseJa } from '../core/clause.js';
import type { Finding } from '../core/findings.js';
import type { Lang } from '../core/lang.js';
import type { Catalog } from '../catalog/model.js';
import type { Coverage } from '../catalog/coverage.js';
import { findingLines, padEnd, displayWidth } from './text.js';
import { findingToJson } from './json.js';
import { maxOf } from '../core/arrays.js';

export interface CoverageContext {
  lang: Lang;
  catalog: Catalog;
  asOf?: string;
  evidenceDir?: string;
  problems: Finding[];
  exitCode: number;
}

const L = {
  ja: {
    title: 'kitei coverage — 規程の条項と検査ルール',
    basis: (asOf: string, dir: string) => `評価件数: 証跡 ${dir}、基準日 ${asOf} の検査で各ルールが評価したレコード数`,
    noCounts: '評価件数: 証跡を指定していないため表示しません',
    status: { automated: '自動検査', organizational: '組織的', informational: '説明的' },
    unaccounted: '未対応',
    inherited: '（項・条として）',
    supplementary: '■ 附則',
    effective: '施行・適用',
    unknown: 'カタログにない条項を引用するルール:',
    problems: 'ポリシー・カタログの読み込みの問題:',
    totals: (c: Coverage['totals']) =>
      `集計: ${c.clauses} 条項 — 自動検査 ${c.automated}・組織的 ${c.organizational}・説明的 ${c.informational}、未対応 ${c.unaccounted}、ルール ${c.rules}`,
    exit: (code: number) => `→ 終了コード ${code}`,
  },
  en: {
    title: 'kitei coverage — clauses of the regulation and the rules that check them',
    basis: (asOf: string, dir: string) => `Evaluated: records each rule evaluated when checking ${dir} as of ${asOf}`,
    noCounts: 'Evaluated: not shown (no evidence given)',
    status: { automated: 'automated', organizational: 'organizational', informational: 'informational' },
    unaccounted: 'UNACCOUNTED',
    inherited: ' (via its paragraph)',
    supplementary: '■ Supplementary provisions',
    effective: 'in force from',
    unknown: 'Rules citing clauses the catalog lacks:',
    problems: 'Problems reading policies or the catalog:',
    totals: (c: Coverage['totals']) =>
      `Totals: ${c.clauses} clauses — automated ${c.automated}, organizational ${c.organizational}, informational ${c.informational}; unaccounted ${c.unaccounted}; ${c.rules} rules`,
    exit: (code: number) => `→ exit code ${code}`,
  },
} as const;

/** The clause table as text: by article, each clause with its status and its rules (or the reason none can exist). */
export function coverageText(coverage: Coverage, ctx: CoverageContext): string {
  const t = L[ctx.lang];
  const lines: string[] = [t.title, ctx.lang === 'ja' ? `${ctx.catalog.regulation.title}（施行 ${ctx.catalog.regulation.enforcedOn}）` : `${ctx.catalog.regulation.titleEn} (in force ${ctx.catalog.regulation.enforcedOn})`];
  lines.push(ctx.asOf && ctx.evidenceDir ? t.basis(ctx.asOf, ctx.evidenceDir) : t.noCounts, '');
  const label = ctx.lang === 'ja' ? clauseJa : clauseEn;
  const width = maxOf(coverage.rows.map((r) => displayWidth(label(r.entry.clause)))) + 2;
  const statusWidth = maxOf([...Object.values(t.status).map(displayWidth), displayWidth(t.unaccounted)]) + 2;
  let article = 0;
  for (const row of coverage.rows) {
    const a = row.entry.clause.article;
    if (a !== article) {
      if (article !== 0) lines.push('');
      article = a;
      const h = ARTICLE_HEADINGS[a];
      lines.push(ctx.lang === 'ja' ? `■ 第${a}条（${h?.ja ?? ''}）` : `■ Art. ${a} (${h?.en ?? ''})`);
    }
    const status = row.accounted ? t.status[row.entry.status] : t.unaccounted;
    const what =
      row.entry.status === 'automated'
        ? row.rules.map((r) => `${r.id}${r.inherited ? t.inherited : ''}${r.evaluated !== undefined ? ` [${r.evaluated}]` : ''}`).join(', ')
        : (row.entry.reason?.[ctx.lang] ?? '');
    lines.push(`  ${padEnd(label(row.entry.clause), width)}${padEnd(status, statusWidth)}${what}`);
    lines.push(`  ${' '.repeat(width)}${' '.repeat(statusWidth)}${ctx.lang === 'ja' ? excerpt(row.entry.text, 60) : row.entry.summary}`);
  }
  lines.push('', t.supplementary);
  for (const s of ctx.catalog.supplementary) {
    const affects = s.affects === 'all' ? (ctx.lang === 'ja' ? '全条項' : 'all clauses') : s.affects.map(label).join(ctx.lang === 'ja' ? '・' : ', ');
    lines.push(`  ${ctx.lang === 'ja' ? `附則${s.number}` : `Suppl. ${s.number}`}  ${t.effective} ${s.effective}  ${affects}`);
    lines.push(`      ${ctx.lang === 'ja' ? s.text : s.summary}`);
  }
  if (coverage.unknownCitations.length > 0) lines.push('', t.unknown, ...coverage.unknownCitations.map((u) => `  ${u.ruleId}: ${u.clause}`));
  if (ctx.problems.length > 0) lines.push('', t.problems, ...ctx.problems.flatMap((f) => findingLines(f, ctx.lang)));
  lines.push('', t.totals(coverage.totals), t.exit(ctx.exitCode));
  return lines.join('\n') + '\n';
}

export function coverageJson(coverage: Coverage, ctx: CoverageContext): string {
  return (
    JSON.stringify(
      {
        formatVersion: 1,
        regulation: ctx.catalog.regulation,
        ...(ctx.asOf && ctx.evidenceDir ? { asOf: ctx.asOf, evidence: ctx.evidenceDir } : {}),
        exitCode: ctx.exitCode,
        totals: coverage.totals,
        clauses: coverage.rows.map((r) => ({
          clause: r.entry.clause,
          ja: clauseJa(r.entry.clause),
          en: clauseEn(r.entry.clause),
          status: r.entry.status,
          accounted: r.accounted,
          text: r.entry.text,
          summary: r.entry.summary,
          ...(r.entry.reason ? { reason: r.entry.reason } : {}),
          ...(r.entry.effective ? { effective: r.entry.effective } : {}),
          ...(r.entry.amended ? { amended: r.entry.amended } : {}),
          rules: r.rules,
        })),
        supplementary: ctx.catalog.supplementary,
        unknownCitations: coverage.unknownCitations,
        problems: ctx.problems.map(findingToJson),
      },
      null,
      2,
    ) + '\n'
  );
}

/** The start of a clause's text, cut at a display width. */
function excerpt(text: string, width: number): string {
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > width - 1) return `${out}…`;
    out += ch;
  }
  return out;
}
