#!/usr/bin/env node
// The kitei command runs the compiled JavaScript in dist/ (built by `npm run build`), never tsx:
// start-up stays light.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('kitei: dist/ is missing; run `npm run build` first (npm ci runs it for you).\n');
  process.exit(2);
}
await import(main.href);
