import { readFileSync } from 'node:fs';

/** kitei's version from package.json, printed in every report. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
