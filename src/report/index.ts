import { jsonReporter, ndjsonReporter } from './json.js';
import type { Reporter } from './reporter.js';
import { textReporter } from './text.js';

/** Every output format; the CLI's --format choices come from this record. */
export const REPORTERS = {
  text: textReporter,
  json: jsonReporter,
  ndjson: ndjsonReporter,
} satisfies Record<string, Reporter>;

export type Format = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as Format[];
export { reportText, type Reporter, type ReportContext } from './reporter.js';
