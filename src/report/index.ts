import { csvReporter } from './csv.js';
import { githubReporter } from './github.js';
import { htmlReporter } from './html/index.js';
import { jsonReporter, ndjsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import type { Reporter } from './model.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';

import type { Format } from './formats.js';

/** One reporter per output format (formats.ts names them, so the CLI knows them without loading these). */
export const REPORTERS: Record<Format, Reporter> = {
  text: textReporter,
  json: jsonReporter,
  ndjson: ndjsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
  markdown: markdownReporter,
  junit: junitReporter,
  csv: csvReporter,
  html: htmlReporter,
};

export { FORMATS, type Format } from './formats.js';
export { reportText } from './reporter.js';
export { buildReportModel, inLanguage, parseReportModel, restrictTo, type RenderContext, type Reporter, type ReportModel } from './model.js';
