import type { Format } from './formats.js';
import type { Reporter } from './model.js';

/**
 * The reporter of one format, loaded on demand: a check writing JSON does not load the XML
 * builder, the CSV writer or Preact (about 60 ms of start-up together). index.ts's REPORTERS
 * holds them all, for callers that render several formats anyway.
 */
const LOADERS: Record<Format, () => Promise<Reporter>> = {
  text: async () => (await import('./text.js')).textReporter,
  json: async () => (await import('./json.js')).jsonReporter,
  ndjson: async () => (await import('./json.js')).ndjsonReporter,
  sarif: async () => (await import('./sarif.js')).sarifReporter,
  github: async () => (await import('./github.js')).githubReporter,
  markdown: async () => (await import('./markdown.js')).markdownReporter,
  junit: async () => (await import('./junit.js')).junitReporter,
  csv: async () => (await import('./csv.js')).csvReporter,
  html: async () => (await import('./html/index.js')).htmlReporter,
};

export function loadReporter(format: Format): Promise<Reporter> {
  return LOADERS[format]();
}
