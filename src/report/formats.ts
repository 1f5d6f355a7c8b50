import type { Outcome } from '../core/findings.js';

/**
 * The output formats of `kitei check` and `kitei report`, known without loading the reporters
 * (the CLI's option parsing needs the names; only the chosen reporters are loaded). index.ts
 * holds one reporter each.
 */
export const FORMATS = ['text', 'json', 'ndjson', 'sarif', 'github', 'markdown', 'junit', 'csv', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** The file each format is written to with --output-dir. */
export const FORMAT_FILES: Record<Format, string> = {
  text: 'report.txt',
  json: 'report.json',
  ndjson: 'report.ndjson',
  sarif: 'findings.sarif',
  github: 'github-annotations.txt',
  markdown: 'report.md',
  junit: 'junit.xml',
  csv: 'findings.csv',
  html: 'report.html',
};

/**
 * Outcomes a format lists one by one besides failures and errors. `check` keeps them when the
 * format is asked for; `report` refuses a saved JSON that does not list them.
 */
export const FORMAT_NEEDS: Partial<Record<Format, readonly Outcome[]>> = { junit: ['pass', 'not_applicable'] };

/** The outcomes a saved JSON report lacks for `format`, or none. */
export function missingOutcomes(format: Format, included: readonly Outcome[]): Outcome[] {
  return (FORMAT_NEEDS[format] ?? []).filter((o) => !included.includes(o));
}
