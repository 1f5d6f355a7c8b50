import { fileURLToPath } from 'node:url';

/** The policies and schemas shipped with kitei: what runs when no --policies / --schemas is given. */
export const DEFAULT_POLICIES_DIR = fileURLToPath(new URL('../policies', import.meta.url));
export const DEFAULT_SCHEMAS_DIR = fileURLToPath(new URL('../schemas', import.meta.url));
