#!/usr/bin/env node
// Part of `npm run build`: remembers the shipped policies (parsed, validated, with the clause
// catalog) in dist/policy-cache/, keyed by the digest of their bytes, so that no run parses them
// again (src/policy/cache.ts). A changed policy file changes the digest: the entry is then
// simply not found, and the policies are read from their files as before.
import { rm } from 'node:fs/promises';
import { buildPolicyCache, SHIPPED_CACHE_DIR } from '../dist/policy/cache.js';
import { cleanCompilation, DEFAULT_POLICIES_DIR } from '../dist/check.js';

await rm(SHIPPED_CACHE_DIR, { recursive: true, force: true });
// The entry also records whether the rules compile and lint clean against the shipped schemas:
// then `kitei rules` and `kitei explain` list them without compiling any CEL.
const file = await buildPolicyCache(DEFAULT_POLICIES_DIR, SHIPPED_CACHE_DIR, (bundle) => cleanCompilation(bundle));
console.log(`policy cache: ${file}`);
