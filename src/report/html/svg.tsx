import { SEVERITIES, type Severity } from '../../core/findings.js';
import type { Lang } from '../../core/lang.js';
import { articleTitle } from '../view.js';
import { L, MARKS } from './labels.js';
import { CLAUSE_MARKS, type ArticleRows, type ClauseMark, type ClauseRow, type FailureBar } from './view-model.js';

/**
 * The report's pictures, as inline SVG drawn from the same view as the tables: no script, and
 * every mark has a symbol and a pattern besides its colour (grayscale print, colour-blind readers).
 * Element ids are prefixed per picture, since both live in one document.
 */

const CELL = 20;
const GAP = 3;
const LABEL = 66;
const PER_LINE = 22;
const LINE = CELL + 5;

interface Paint {
  fill: string;
  stroke: string;
  dash?: string;
  ink: string;
}

const MARK_PAINT: Record<ClauseMark, Paint> = {
  pass: { fill: '#dafbe1', stroke: '#1a7f37', ink: '#0f5323' },
  fail: { fill: '#b35900', stroke: '#b35900', ink: '#ffffff' },
  waived: { fill: 'url(#map-waived)', stroke: '#7d4e00', ink: '#4d3000' },
  error: { fill: 'url(#map-error)', stroke: '#8250df', ink: '#3d1a78' },
  not_applicable: { fill: '#ffffff', stroke: '#57606a', dash: '3 2', ink: '#57606a' },
  organizational: { fill: 'url(#map-organizational)', stroke: '#0b5394', ink: '#0b3060' },
  informational: { fill: '#eaeef2', stroke: '#8c959f', ink: '#424a53' },
};

function MapPatterns() {
  return (
    <defs>
      <pattern id="map-error" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="5" height="5" fill="#ffffff" />
        <rect width="2" height="5" fill="#d8c4f7" />
      </pattern>
      <pattern id="map-waived" width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" fill="#ffffff" />
        <path d="M0 0L6 6M6 0L0 6" stroke="#e3b341" stroke-width="1" />
      </pattern>
      <pattern id="map-organizational" width="4" height="4" patternUnits="userSpaceOnUse">
        <rect width="4" height="4" fill="#ffffff" />
        <circle cx="2" cy="2" r="0.9" fill="#6ea8dc" />
      </pattern>
    </defs>
  );
}

function Swatch({ mark, x, y, size }: { mark: ClauseMark; x: number; y: number; size: number }) {
  const p = MARK_PAINT[mark];
  return (
    <g>
      <rect x={x} y={y} width={size} height={size} fill={p.fill} stroke={p.stroke} stroke-width="1.2" {...(p.dash ? { 'stroke-dasharray': p.dash } : {})} />
      <text x={x + size / 2} y={y + size / 2 + 4} text-anchor="middle" font-size="12" font-weight="bold" fill={p.ink}>
        {MARKS[mark].symbol}
      </text>
    </g>
  );
}

/** What a cell's tooltip says: the clause, its mark and its counts. */
export function cellTitle(row: ClauseRow, lang: Lang): string {
  const t = L[lang];
  const c = row.counts;
  const counts = row.status === 'automated' ? (lang === 'ja' ? `（適合 ${c.pass}・不適合 ${c.fail}・エラー ${c.error}・適用外 ${c.not_applicable}）` : ` (pass ${c.pass}, fail ${c.fail}, error ${c.error}, n/a ${c.not_applicable})`) : '';
  return `${row.clause[lang]} — ${MARKS[row.mark].label[lang]}${counts}${row.status === 'automated' ? '' : ` · ${t.statuses[row.status]}`}`;
}

/** The clause map: a row per article, a cell per article, paragraph and item, each linking to its row in the clause table. */
export function ClauseMap({ articles, marks, lang }: { articles: readonly ArticleRows[]; marks: Record<ClauseMark, number>; lang: Lang }) {
  const t = L[lang];
  const widest = Math.min(PER_LINE, Math.max(1, ...articles.map((a) => a.rows.length)));
  const legendColumns = 3;
  const legendItem = 190;
  const width = Math.max(LABEL + widest * (CELL + GAP), legendColumns * legendItem);
  let y = 4;
  const rows = articles.map((a) => {
    const top = y;
    const lines = Math.ceil(a.rows.length / PER_LINE);
    y += lines * LINE + 2;
    return (
      <g data-article={a.article}>
        <text x={0} y={top + CELL / 2 + 4} font-size="12" fill="#1b1f24">
          {lang === 'ja' ? `第${a.article}条` : `Art. ${a.article}`}
        </text>
        {a.rows.map((row, i) => {
          const x = LABEL + (i % PER_LINE) * (CELL + GAP);
          const cy = top + Math.floor(i / PER_LINE) * LINE;
          return (
            <a href={`#${row.anchor}`} data-mark={row.mark} data-clause={row.clause.ja}>
              <title>{cellTitle(row, lang)}</title>
              <Swatch mark={row.mark} x={x} y={cy} size={CELL} />
            </a>
          );
        })}
      </g>
    );
  });
  const legendTop = y + 10;
  const legendLines = Math.ceil(CLAUSE_MARKS.length / legendColumns);
  const height = legendTop + legendLines * 22 + 4;
  return (
    <svg xmlns="http://www.w3.org/2000/svg" class="clause-map" role="img" aria-labelledby="map-title" viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
      <title id="map-title">{t.map}</title>
      <MapPatterns />
      {rows}
      <g class="legend">
        {CLAUSE_MARKS.map((m, i) => {
          const x = (i % legendColumns) * legendItem;
          const ly = legendTop + Math.floor(i / legendColumns) * 22;
          return (
            <g data-legend={m}>
              <Swatch mark={m} x={x} y={ly} size={16} />
              <text x={x + 22} y={ly + 12.5} font-size="12" fill="#1b1f24">
                {`${MARKS[m].label[lang]} ${marks[m]}`}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
  );
}

/** Each severity's fill (solid, hatched, dotted, light) and the ink of a number on it, with a halo that keeps it readable on a pattern. */
const SEVERITY_PAINT: Record<Severity, { fill: string; ink: string; halo: string }> = {
  critical: { fill: '#5c1a00', ink: '#ffffff', halo: '#5c1a00' },
  high: { fill: 'url(#bar-high)', ink: '#1b1f24', halo: '#ffffff' },
  medium: { fill: 'url(#bar-medium)', ink: '#1b1f24', halo: '#ffffff' },
  low: { fill: '#f6f8fa', ink: '#1b1f24', halo: '#f6f8fa' },
};

const BAR_LABEL = 170;
const BAR_AREA = 200;
const BAR_ROW = 20;

/** Per-severity counts written out: "3 (critical 1, high 2)". */
export function barText(bar: FailureBar, lang: Lang): string {
  const parts = SEVERITIES.filter((s) => bar.bySeverity[s] > 0).map((s) => `${s} ${bar.bySeverity[s]}`);
  if (parts.length === 0) return '0';
  return lang === 'ja' ? `${bar.total}（${parts.join('・')}）` : `${bar.total} (${parts.join(', ')})`;
}

/** A bar per article: its failures stacked by severity, the numbers written beside it. */
export function FailureBars({ bars, lang }: { bars: readonly FailureBar[]; lang: Lang }) {
  const t = L[lang];
  const max = Math.max(1, ...bars.map((b) => b.total));
  const legendTop = bars.length * BAR_ROW + 12;
  const width = BAR_LABEL + BAR_AREA + 150;
  const height = legendTop + 24;
  return (
    <svg xmlns="http://www.w3.org/2000/svg" class="failure-bars" role="img" aria-labelledby="bars-title" viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
      <title id="bars-title">{t.bars}</title>
      <defs>
        <pattern id="bar-high" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="5" height="5" fill="#f0b07a" />
          <rect width="2.2" height="5" fill="#b35900" />
        </pattern>
        <pattern id="bar-medium" width="4" height="4" patternUnits="userSpaceOnUse">
          <rect width="4" height="4" fill="#fff1c2" />
          <circle cx="2" cy="2" r="1" fill="#9a6700" />
        </pattern>
      </defs>
      {bars.map((bar, i) => {
        const y = i * BAR_ROW;
        const title = bar.article === null ? t.noArticle : articleTitle({ article: bar.article, heading: bar.heading }, lang);
        let x = BAR_LABEL;
        return (
          <g data-article={bar.article ?? 'none'} data-total={bar.total}>
            <title>{`${title}: ${barText(bar, lang)}`}</title>
            <text x={BAR_LABEL - 8} y={y + 13} font-size="11.5" text-anchor="end" fill="#1b1f24">
              {shorten(title, lang === 'ja' ? 14 : 26)}
            </text>
            <line x1={BAR_LABEL} x2={BAR_LABEL} y1={y + 1} y2={y + BAR_ROW - 1} stroke="#57606a" />
            {SEVERITIES.filter((s) => bar.bySeverity[s] > 0).map((s) => {
              const w = (bar.bySeverity[s] / max) * BAR_AREA;
              const seg = (
                <g data-severity={s} data-count={bar.bySeverity[s]}>
                  <rect x={x} y={y + 3} width={w} height={BAR_ROW - 6} fill={SEVERITY_PAINT[s].fill} stroke="#1b1f24" stroke-width="0.8" />
                  {w >= 16 ? (
                    <text x={x + w / 2} y={y + 13.5} font-size="10.5" text-anchor="middle" font-weight="bold" fill={SEVERITY_PAINT[s].ink} stroke={SEVERITY_PAINT[s].halo} stroke-width="3" paint-order="stroke">
                      {String(bar.bySeverity[s])}
                    </text>
                  ) : null}
                </g>
              );
              x += w;
              return seg;
            })}
            <text x={x + 6} y={y + 13.5} font-size="11.5" fill="#1b1f24">
              {barText(bar, lang)}
            </text>
          </g>
        );
      })}
      <g class="legend">
        {SEVERITIES.map((s, i) => (
          <g>
            <rect x={BAR_LABEL + i * 80} y={legendTop} width={14} height={14} fill={SEVERITY_PAINT[s].fill} stroke="#1b1f24" stroke-width="0.8" />
            <text x={BAR_LABEL + i * 80 + 19} y={legendTop + 11.5} font-size="11.5" fill="#1b1f24">
              {s}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
}

/** A label cut to fit beside the bars (the whole heading is in the bar's tooltip and in the tables). */
function shorten(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

const BASELINE_PAINT: Record<'new' | 'unchanged' | 'resolved', { fill: string; symbol: string }> = {
  new: { fill: 'url(#baseline-new)', symbol: '+' },
  unchanged: { fill: '#eaeef2', symbol: '=' },
  resolved: { fill: '#dafbe1', symbol: '−' },
};

/**
 * With --baseline: one bar each for the findings new since the baseline report, unchanged, and
 * resolved, with the numbers and a symbol written (+, =, −) so that neither colour nor pattern
 * alone carries the meaning. Counts from the model's baseline block, as the text report's.
 */
export function BaselineBars({ counts, lang }: { counts: { new: number; unchanged: number; resolved: number }; lang: Lang }) {
  const t = L[lang];
  const kinds = ['new', 'unchanged', 'resolved'] as const;
  const max = Math.max(1, counts.new, counts.unchanged, counts.resolved);
  const width = BAR_LABEL + BAR_AREA + 80;
  const height = kinds.length * BAR_ROW + 4;
  return (
    <svg xmlns="http://www.w3.org/2000/svg" class="baseline-bars" role="img" aria-labelledby="baseline-title" viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
      <title id="baseline-title">{`${t.baselineBars}: ${kinds.map((k) => `${t.baselineKinds[k]} ${counts[k]}`).join(', ')}`}</title>
      <defs>
        <pattern id="baseline-new" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="5" height="5" fill="#f0b07a" />
          <rect width="2.2" height="5" fill="#b35900" />
        </pattern>
      </defs>
      {kinds.map((k, i) => {
        const y = i * BAR_ROW;
        const w = (counts[k] / max) * BAR_AREA;
        return (
          <g data-baseline={k} data-count={counts[k]}>
            <text x={BAR_LABEL - 8} y={y + 13} font-size="11.5" text-anchor="end" fill="#1b1f24">
              {`${BASELINE_PAINT[k].symbol} ${t.baselineKinds[k]}`}
            </text>
            <line x1={BAR_LABEL} x2={BAR_LABEL} y1={y + 1} y2={y + BAR_ROW - 1} stroke="#57606a" />
            {counts[k] > 0 ? <rect x={BAR_LABEL} y={y + 3} width={w} height={BAR_ROW - 6} fill={BASELINE_PAINT[k].fill} stroke="#1b1f24" stroke-width="0.8" /> : null}
            <text x={BAR_LABEL + w + 6} y={y + 13.5} font-size="11.5" fill="#1b1f24">
              {String(counts[k])}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
