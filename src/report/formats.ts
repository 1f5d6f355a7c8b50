/**
 * The output formats of `kitei check`, known without loading the reporters (the CLI's option
 * parsing needs the names; only the chosen reporter is loaded). index.ts holds one reporter each.
 */
export const FORMATS = ['text', 'json', 'ndjson'] as const;
export type Format = (typeof FORMATS)[number];
