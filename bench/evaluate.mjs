#!/usr/bin/env node
// Benchmark: the example evidence scaled up N times (ids renumbered, references kept inside
// each copy), then load + compile + evaluate timed separately. Run with `npm run bench`
// (optionally `npm run bench -- 50` for 50 copies). Timings are printed, never asserted.
// The copies share login ids and the one organisation register, so uniqueness and signatory rules
// fail on them: the failures are expected; this measures speed, not compliance.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { loadRules } from '../dist/check.js';
import { loadEvidence } from '../dist/evidence/load.js';

const copies = Number(process.argv[2] ?? 20);
const src = new URL('../evidence/', import.meta.url);
const dir = mkdtempSync(path.join(tmpdir(), 'kitei-bench-'));
let records = 0;
for (const name of readdirSync(src).filter((n) => n.endsWith('.yaml'))) {
  const doc = parse(readFileSync(new URL(name, src), 'utf8'));
  if (doc.register === 'organization' || doc.register === 'roles') {
    writeFileSync(path.join(dir, name), stringify(doc));
    records += doc.records.length;
    continue;
  }
  const text = JSON.stringify(doc.records);
  const all = [];
  for (let c = 0; c < copies; c++) {
    // Renumber every id of the form X-123 / INC-0012 (and the references to them) into its own
    // range per copy; roles (R-SOMU …) and the organisation's role ids are shared.
    const renumbered = c === 0 ? text : text.replace(/"([A-Z]{1,3})-(\d{3,})"/g, (_, p, n) => `"${p}-${String(Number(n) + c * 10000).padStart(n.length, '0')}"`);
    for (const r of JSON.parse(renumbered)) all.push(r);
  }
  records += all.length;
  writeFileSync(path.join(dir, name), stringify({ ...doc, records: all }));
}

const t0 = performance.now();
const loaded = await loadRules({});
const t1 = performance.now();
const evidence = await loadEvidence(dir, loaded.schemas);
const t2 = performance.now();
const result = loaded.engine.evaluate(evidence.documents, '2026-11-24');
const t3 = performance.now();
rmSync(dir, { recursive: true, force: true });

const counts = {};
for (const f of [...evidence.problems, ...result.findings]) counts[f.outcome] = (counts[f.outcome] ?? 0) + 1;
const evaluations = result.runs.reduce((n, r) => n + r.evaluated, 0);
console.log(`records: ${records} (${copies}× the example), rules: ${loaded.engine.rules.length}`);
console.log(`load + compile policies: ${(t1 - t0).toFixed(0)} ms`);
console.log(`load + validate evidence (YAML, schemas, ids, references): ${(t2 - t1).toFixed(0)} ms`);
console.log(`evaluate: ${(t3 - t2).toFixed(0)} ms for ${evaluations} record·rule evaluations (${((t3 - t2) * 1000 / Math.max(1, evaluations)).toFixed(1)} µs each, conversion and indexing included)`);
console.log(`findings: ${JSON.stringify(counts)}`);
