#!/usr/bin/env node
// The measured processes of the benchmark (bench/run.mjs starts each in a fresh Node, so every
// timing is cold and every peak RSS is the measured work's own). Each prints one JSON object.
//
//   node bench/child.mjs stages <evidence-dir> [--as-of D] [--policies DIR] [--schemas DIR] [--keep fail,error]
//       the check as `kitei check` runs it, through the built modules in dist/: import,
//       loadRules (schemas, policies, CEL), then checkWith — timed on the way through, by a
//       wrapper around the engine's evaluate, into evidence (load + validate: everything before
//       evaluation) and evaluate (evaluation, then sorting and assembling the result) — then the
//       JSON and text reports, and the peak RSS. Nothing of check() is re-implemented here, so the
//       timings stay those of the code the CLI runs, whatever it becomes.
//   node bench/child.mjs rules [--policies DIR] [--schemas DIR]
//       loadRules split into its parts — schemas (ajv), policies (YAML, catalog), CEL (compile and
//       type-check) — by calling those parts the way src/check.ts's loadRules does. This split is
//       a copy of loadRules's body: the stages mode times loadRules itself, and run.mjs shows both.
//   node bench/child.mjs js-yaml <evidence-dir> [--build cjs|esm]
//       js-yaml `load` over the same files, parse only (the files are read first, untimed); one
//       cold pass, like kitei's. js-yaml 5 ships two builds: `require` gets dist/js-yaml.cjs.js,
//       `import` gets dist/js-yaml.mjs, and on this machine the CommonJS one parses ~2× faster.
//   node bench/child.mjs yaml <evidence-dir>
//       the `yaml` package as kitei's loader called it at 32efc9f (src/core/source.ts:
//       parseDocument with a LineCounter, YAML 1.2 core schema, unique keys; then toJS), one cold
//       pass: the parsing part of the evidence stage, without validation, ids or references.
//
// Only Node's own modules are imported before the clock starts: the import stage is the time to
// load kitei's built modules (dist/) and their dependencies.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const booted = performance.now();

const [mode, ...rest] = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : fallback;
};
const dirs = () => ({
  ...(opt('--policies') ? { policiesDir: path.resolve(opt('--policies')) } : {}),
  ...(opt('--schemas') ? { schemasDir: path.resolve(opt('--schemas')) } : {}),
});

const out = {
  stages: () => stages(rest[0], { asOf: opt('--as-of', '2026-11-24'), keep: opt('--keep') }),
  rules: () => rulesSplit(),
  'js-yaml': () => jsYaml(rest[0], opt('--build', 'cjs')),
  yaml: () => yamlPackage(rest[0]),
}[mode];
if (!out) throw new Error(`unknown mode ${mode}`);
console.log(JSON.stringify(await out()));

function stopwatch() {
  const ms = {};
  let t = performance.now();
  return {
    ms,
    lap(name) {
      const now = performance.now();
      ms[name] = now - t;
      t = now;
    },
    restart() {
      t = performance.now();
    },
  };
}

async function stages(evidenceDir, { asOf, keep }) {
  const sw = stopwatch();
  const notes = [];
  const check = await import('../dist/check.js');
  const { REPORTERS } = await import('../dist/report/index.js');
  const { exitCode } = await import('../dist/exit-code.js');
  const { VERSION } = await import('../dist/cli/version.js');
  const { DEFAULT_LIMITS } = await import('../dist/core/limits.js');
  sw.lap('import');

  const loaded = await check.loadRules(dirs());
  sw.lap('rules');

  // The evidence is read before evaluation starts and the result assembled after it ends: a
  // wrapper around evaluate marks both moments inside checkWith.
  const engine = loaded.engine;
  const evaluate = engine.evaluate;
  let evalStart;
  let evalEnd;
  let hooked = true;
  try {
    engine.evaluate = function (...a) {
      evalStart = performance.now();
      try {
        return evaluate.apply(this, a);
      } finally {
        evalEnd = performance.now();
      }
    };
  } catch {
    hooked = false;
    notes.push('the engine could not be wrapped: evidence and evaluate are measured together, as "evidence"');
  }
  const bytes = treeBytes(evidenceDir);
  const big = Math.max(DEFAULT_LIMITS.totalBytes, bytes + 1);
  const input = { limits: { ...DEFAULT_LIMITS, fileBytes: big, totalBytes: big, recordsPerFile: Number.MAX_SAFE_INTEGER } };
  const options = { evidenceDir, asOf, input, ...dirs(), ...(keep ? { keep: new Set(keep.split(',')) } : {}) };
  const start = performance.now();
  const result = await check.checkWith(loaded, options);
  const end = performance.now();
  if (hooked && evalStart !== undefined) {
    sw.ms.evidence = evalStart - start;
    sw.ms.evaluate = end - evalStart;
    sw.ms.evaluateOnly = evalEnd - evalStart;
  } else {
    sw.ms.evidence = end - start;
  }
  sw.restart();

  const ctx = { lang: 'ja', failOn: 'low', exitCode: exitCode(result.findings, 'low'), version: VERSION };
  // Reporters render either the check's result (at 32efc9f, a2f5603) or a report model built from
  // it first (buildReportModel, when dist/report/model.js has it): the model, when there is one,
  // is built once, timed on its own, and rendered by both formats as the CLI renders it.
  let toRender = result;
  let renderCtx = ctx;
  const model = await import('../dist/report/model.js').catch(() => undefined);
  if (typeof model?.buildReportModel === 'function') {
    sw.restart();
    toRender = model.buildReportModel(result, { version: VERSION, failOn: ctx.failOn, exitCode: ctx.exitCode, lang: ctx.lang });
    sw.lap('reportModel');
    renderCtx = { lang: ctx.lang };
  }
  const reportBytes = {};
  for (const [format, stage] of [['json', 'reportJson'], ['text', 'reportText']]) {
    sw.restart();
    try {
      // A reporter gives one string or pieces to write one after another: all are produced and
      // measured, none kept (what writing to /dev/null would cost, minus the writes).
      const output = REPORTERS[format](toRender, renderCtx);
      let n = 0;
      if (typeof output === 'string') n = Buffer.byteLength(output);
      else for (const piece of output) n += Buffer.byteLength(piece);
      sw.lap(stage);
      reportBytes[format] = n;
    } catch (e) {
      sw.lap(stage);
      notes.push(`${format} report failed: ${e.message}`);
    }
  }
  const maxRssKiB = process.resourceUsage().maxRSS;

  // Fails and errors are always findings; passes and n/a may only be counted per rule.
  const outcomes = { pass: 0, fail: 0, not_applicable: 0, error: 0 };
  const failsByRule = {};
  for (const f of result.findings) {
    outcomes[f.outcome] = (outcomes[f.outcome] ?? 0) + 1;
    if (f.outcome === 'fail' || f.outcome === 'error') {
      const key = `${f.outcome} ${f.ruleId}${f.assertion ? `/${f.assertion}` : ''}${f.code ? ` (${f.code})` : ''}`;
      failsByRule[key] = (failsByRule[key] ?? 0) + 1;
    }
  }
  if (Array.isArray(result.kept)) {
    for (const o of ['pass', 'not_applicable']) {
      if (!result.kept.includes(o)) outcomes[o] = result.runs.reduce((n, r) => n + (r.outcomes?.[o] ?? 0), 0);
    }
  }
  return {
    bootMs: booted,
    ms: sw.ms,
    bytes,
    records: result.evidence.records,
    files: result.evidence.files.length,
    rules: result.policies.rules,
    outcomes,
    findingsListed: result.findings.length,
    failsByRule,
    reportBytes,
    maxRssBytes: maxRssKiB * 1024,
    exitCode: ctx.exitCode,
    ...(keep ? { keep } : {}),
    notes,
  };
}

/** loadRules's parts, one by one (a copy of src/check.ts's loadRules body). */
async function rulesSplit() {
  const sw = stopwatch();
  const check = await import('../dist/check.js');
  let parts;
  try {
    const [registry, policy, catalog, cel, arrays] = await Promise.all([
      import('../dist/schema/registry.js'),
      import('../dist/policy/load.js'),
      import('../dist/catalog/load.js'),
      import('../dist/engine/cel/engine.js'),
      import('../dist/core/arrays.js'),
    ]);
    parts = { ...registry, ...policy, ...catalog, ...cel, ...arrays };
  } catch (e) {
    return { separable: false, reason: e.message };
  }
  const need = ['loadSchemaSet', 'loadPolicies', 'loadCatalog', 'bindCatalog', 'createCelEngine', 'appendAll'];
  const missing = need.filter((n) => typeof parts[n] !== 'function');
  if (missing.length) return { separable: false, reason: `not exported any more: ${missing.join(', ')}` };
  sw.lap('import');
  const { policiesDir = check.DEFAULT_POLICIES_DIR, schemasDir = check.DEFAULT_SCHEMAS_DIR } = dirs();
  const schemas = await parts.loadSchemaSet(schemasDir);
  // The shipped policy and catalog schemas are compiled once per process (memoised): compiled
  // here when they can be, they count as schemas rather than as policies.
  if (typeof parts.shippedValidator === 'function') {
    for (const p of [parts.POLICY_SCHEMA_PATH, parts.CATALOG_SCHEMA_PATH]) if (typeof p === 'string') await parts.shippedValidator(p);
  }
  sw.lap('schemas');
  const { policies, problems } = await parts.loadPolicies(policiesDir);
  const { catalog, problems: catalogProblems } = await parts.loadCatalog(policiesDir);
  if (catalog) parts.appendAll(catalogProblems, parts.bindCatalog(catalog, policies.rules));
  sw.lap('policies');
  // As loadRules calls it (engines that take no enforcement date ignore the fourth argument).
  const cel = parts.createCelEngine(policies, schemas, {}, catalog?.regulation?.enforcedOn);
  sw.lap('cel');
  return { separable: true, ms: sw.ms, rules: cel.engine.rules.length, problems: problems.length + catalogProblems.length + cel.problems.length };
}

function yamlFiles(root, rel = '') {
  const out = [];
  const entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const r = rel ? path.join(rel, e.name) : e.name;
    if (e.isDirectory()) out.push(...yamlFiles(root, r));
    else if (/\.ya?ml$/.test(e.name)) out.push(path.join(root, r));
  }
  return out;
}

function treeBytes(root) {
  return yamlFiles(root).reduce((n, f) => n + fs.statSync(f).size, 0);
}

async function jsYaml(root, build) {
  const { load } = build === 'esm' ? await import('js-yaml') : createRequire(import.meta.url)('js-yaml');
  const texts = yamlFiles(root).map((f) => fs.readFileSync(f, 'utf8'));
  const bytes = texts.reduce((n, s) => n + Buffer.byteLength(s), 0);
  let records = 0;
  const t0 = performance.now();
  for (const s of texts) records += load(s)?.records?.length ?? 0;
  const ms = performance.now() - t0;
  return { build, ms, bytes, records, files: texts.length, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
}

async function yamlPackage(root) {
  const { LineCounter, parseDocument } = await import('yaml');
  const texts = yamlFiles(root).map((f) => fs.readFileSync(f, 'utf8'));
  const bytes = texts.reduce((n, s) => n + Buffer.byteLength(s), 0);
  let records = 0;
  const t0 = performance.now();
  for (const s of texts) {
    const doc = parseDocument(s, { version: '1.2', schema: 'core', lineCounter: new LineCounter(), uniqueKeys: true, prettyErrors: false });
    records += doc.toJS({ maxAliasCount: -1 })?.records?.length ?? 0;
  }
  const ms = performance.now() - t0;
  return { ms, bytes, records, files: texts.length, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
}
