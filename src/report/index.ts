import { jsonReporter } from './json.js';
import type { Reporter } from './reporter.js';
import { textReporter } from './text.js';

/** Every output format; the CLI's --format choices come from this record. */
export const REPORTERS = {
  text: textReporter,
  json: jsonReporter,
} satisfies Record<string, Reporter>;

export type Format = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as Format[];
export type { Reporter, ReportContext } from './reporter.js';
