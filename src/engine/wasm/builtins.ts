import { createRequire } from 'node:module';
import path from 'node:path';

/** Builtins the SDK implements on the host (OPA compiles most builtins into the module itself). */
export function sdkBuiltinNames(): Set<string> {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@open-policy-agent/opa-wasm');
  const builtins = require(path.join(path.dirname(main), 'builtins', 'index.js')) as Record<string, unknown>;
  return new Set(Object.keys(builtins));
}

/** Builtins kitei adds to the SDK's (none yet: a bundle needing others is refused when loaded). */
export const KITEI_BUILTINS: Record<string, (...args: unknown[]) => unknown> = {};

