/**
 * The HTML report's stylesheet: constant text (nothing from the evidence or the policies), inlined
 * in a <style> element so the report is one self-contained file. Fonts are the reader's own (no
 * web font is fetched). Print: A4, page numbers at the bottom, each article's failures and each
 * major section on a new page, rows never cut, table headers repeated on every page. Every status
 * has a symbol and a word besides its colour, so it reads in grayscale.
 */
export const STYLE = `
:root {
  --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --band: #f6f8fa;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #b35900; --fail-bg: #ffe8d6; --error: #8250df; --error-bg: #f3eaff;
}
* { box-sizing: border-box; }
html { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", "Meiryo", sans-serif; color: var(--ink); font-size: 14px; line-height: 1.55; }
body { margin: 0 auto; padding: 24px 32px 48px; max-width: 1200px; background: #fff; }
h1 { font-size: 24px; margin: 4px 0 16px; line-height: 1.3; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 22px 0 8px; }
p { margin: 6px 0; }
a { color: inherit; }
code, .mono { font-family: "Noto Sans Mono CJK JP", "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.small { font-size: 12px; }

.cover { border: 2px solid var(--ink); padding: 18px 24px; margin-bottom: 20px; }
.cover .kicker { font-size: 13px; letter-spacing: 0.08em; color: var(--muted); margin: 0; }
.cover dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; }
.cover dt { font-weight: bold; }
.cover dd { margin: 0; overflow-wrap: anywhere; }
.verdict { display: inline-block; font-weight: bold; padding: 2px 10px; border: 2px solid currentColor; }
.verdict-ok { color: var(--pass); }
.verdict-fail { color: var(--fail); }
.verdict-error { color: var(--error); }

nav ol { margin: 4px 0; padding-left: 22px; columns: 2; }

table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; }
th, td { border: 1px solid var(--rule); padding: 4px 7px; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.zero { color: var(--muted); }
tfoot td, tr.total td { font-weight: bold; }

.summary { width: auto; min-width: 50%; }
.figures { display: flex; flex-wrap: wrap; gap: 20px 36px; align-items: flex-start; }
figure { margin: 8px 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 12px; color: var(--muted); width: 0; min-width: 100%; margin-bottom: 6px; }
figure svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: inherit; }

.clauses, .rules, .manifest { table-layout: fixed; }
.clauses th:nth-child(1) { width: 11%; } .clauses th:nth-child(2) { width: 37%; } .clauses th:nth-child(3) { width: 14%; } .clauses th:nth-child(4) { width: 22%; } .clauses th:nth-child(n+5) { width: 4%; }
.clauses td:nth-child(2), .clauses td:nth-child(4) { font-size: 12.5px; }
.clauses th:nth-child(n+5), .rules th:nth-child(n+7) { font-size: 11px; padding: 4px 3px; }
.rules th:nth-child(1) { width: 20%; } .rules th:nth-child(2) { width: 10%; } .rules th:nth-child(3) { width: 6%; } .rules th:nth-child(4) { width: 5%; } .rules th:nth-child(5) { width: 9%; } .rules th:nth-child(6) { width: 26%; } .rules th:nth-child(n+7) { width: 4.8%; }
.rules td { font-size: 12.5px; overflow-wrap: anywhere; }
.manifest th:nth-child(1) { width: 14%; } .manifest th:nth-child(2) { width: 36%; } .manifest th:nth-child(3) { width: 50%; }
.clauses tr.article-start td { border-top: 2px solid var(--muted); }
.clauses tr:target td { background: #fff8c5; }
.heading { display: block; font-size: 12px; color: var(--muted); white-space: normal; }
.rules-list { margin: 0; padding: 0; list-style: none; }
.rules-list li { overflow-wrap: anywhere; }
.reason { font-size: 12px; color: var(--muted); }

.mark { display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; font-weight: bold; }
.mark .sym { display: inline-block; width: 1.45em; height: 1.45em; line-height: 1.35em; text-align: center; border: 1.5px solid currentColor; font-size: 12px; }
.mark-pass { color: var(--pass); } .mark-pass .sym { background: var(--pass-bg); }
.mark-fail { color: var(--fail); } .mark-fail .sym { background: var(--fail); color: #fff; border-color: var(--fail); }
.mark-error { color: var(--error); } .mark-error .sym { background: repeating-linear-gradient(45deg, var(--error-bg) 0 3px, #fff 3px 6px); }
.mark-waived { color: #7d4e00; } .mark-waived .sym { background: repeating-linear-gradient(45deg, #fff0c2 0 3px, #fff 3px 6px); }
.mark-not_applicable { color: var(--muted); font-weight: normal; } .mark-not_applicable .sym { border-style: dashed; }
.mark-organizational { color: #0b5394; } .mark-organizational .sym { background: radial-gradient(#9ec5e8 1px, #fff 1.2px) 0 0 / 4px 4px; }
.mark-informational { color: var(--muted); font-weight: normal; } .mark-informational .sym { background: #eaeef2; }

.finding { border: 1px solid var(--rule); border-left: 6px solid var(--fail); padding: 8px 12px; margin: 10px 0; break-inside: avoid; page-break-inside: avoid; }
.finding.error { border-left-color: var(--error); border-left-style: double; }
.finding .head { font-weight: bold; margin-bottom: 4px; overflow-wrap: anywhere; }
.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
.finding dt { color: var(--muted); }
.finding dd { margin: 0; overflow-wrap: anywhere; }
.finding .message { font-weight: bold; }
.quote { border-left: 3px solid var(--rule); padding-left: 8px; color: var(--muted); }
.severity { display: inline-block; border: 1px solid currentColor; padding: 0 5px; font-size: 12px; font-weight: bold; }

.article { break-before: page; page-break-before: always; }
.article:first-of-type { break-before: auto; page-break-before: auto; }
.manifest td { font-size: 11.5px; overflow-wrap: anywhere; }

@page {
  size: A4;
  margin: 14mm 12mm 16mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; }
}
@media print {
  html { font-size: 10pt; }
  body { padding: 0; max-width: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  section.page { break-before: page; page-break-before: always; }
  nav { display: none; }
  a { text-decoration: none; }
  .clauses tr:target td { background: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
