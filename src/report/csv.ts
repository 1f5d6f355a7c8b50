import { stringify } from 'csv-stringify/sync';
import type { Lang } from '../core/lang.js';
import type { FindingJson, Reporter, ReportModel } from './model.js';
import { clausesText, OUTCOME_LABELS, remediationOf, rulesById } from './view.js';

/**
 * CSV for Excel: one row per finding listed (failures and errors; passes and n/a with
 * --include), UTF-8 with a byte order mark (Excel on Japanese Windows reads UTF-8 without one
 * as Shift_JIS), CRLF line ends, quoting by csv-stringify.
 *
 * Evidence is text people write, so any cell that a spreadsheet would take for a formula is
 * neutralised with a leading `'` (csv-stringify's escape_formulas: a cell starting with `=`,
 * `+`, `-`, `@`, tab or carriage return, or their full-width forms), as OWASP's guidance on CSV
 * injection says.
 */
const HEADER: Record<Lang, string[]> = {
  ja: ['結果', '重要度', '条項', 'clause (en)', 'ルール ID', 'アサーション', 'レコード ID', 'ファイル', '行', '桁', 'メッセージ', '是正', '基準日'],
  en: ['outcome', 'severity', '条項', 'clause (en)', 'rule id', 'assertion', 'record id', 'file', 'line', 'column', 'message', 'remediation', 'as-of'],
};

// Quoted: cells with a line break (csv-stringify quotes only the record delimiter, CRLF, by itself) or edge blanks.
const OPTIONS = { record_delimiter: 'windows', escape_formulas: true, quoted_match: /[\r\n]|^\s|\s$/ } as const;
/** Rows per piece: a piece is whole rows, so a personal number never straddles two. */
const CHUNK = 1000;

export const csvReporter: Reporter = (model, ctx) => csvPieces(model, ctx.lang);

function* csvPieces(model: ReportModel, lang: Lang): Iterable<string> {
  yield stringify([HEADER[lang]], { ...OPTIONS, bom: true });
  const rules = rulesById(model);
  const row = (f: FindingJson) => [
    OUTCOME_LABELS[lang][f.outcome],
    f.severity,
    clausesText(f.clauses, 'ja'),
    clausesText(f.clauses, 'en'),
    f.ruleId,
    f.assertion ?? '',
    f.recordId ?? '',
    f.location?.file ?? '',
    f.location?.line ?? '',
    f.location?.column ?? '',
    f.message[lang],
    remediationOf(f, rules.get(f.ruleId), lang) ?? '',
    model.asOf,
  ];
  for (let i = 0; i < model.findings.length; i += CHUNK) yield stringify(model.findings.slice(i, i + CHUNK).map(row), OPTIONS);
}
