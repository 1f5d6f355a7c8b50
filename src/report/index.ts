import { jsonReporter, ndjsonReporter } from './json.js';
import type { Reporter } from './reporter.js';
import { textReporter } from './text.js';

import type { Format } from './formats.js';

/** One reporter per output format (formats.ts names them, so the CLI knows them without loading these). */
export const REPORTERS: Record<Format, Reporter> = {
  text: textReporter,
  json: jsonReporter,
  ndjson: ndjsonReporter,
};

export { FORMATS, type Format } from './formats.js';
export { reportText, type Reporter, type ReportContext } from './reporter.js';
