#!/usr/bin/env node
// Measures what the precompiled schema validators save (issue 9, item 3). Not a test: timings
// are printed, never asserted. Uses each tree's built modules in dist/ (`npm run build` first).
//
//   node scripts/measure-validators.mjs [--runs 5] [--schemas DIR] [TREE...]
//
// TREE is a kitei checkout (default: this one); give two, e.g. a build of the previous version
// and this one, to compare them. Runs alternate between the trees, so that load from other
// processes falls on both alike. Each figure is the median of --runs cold Node processes:
//   - loadSchemaSet: importing dist/schema/registry.js, then loadSchemaSet(schemas) — the tree's
//     own schemas/, or --schemas DIR (a copy of them measures the compiling fallback);
//   - check: wall time of `node bin/kitei.js check evidence --as-of 2026-11-24 > /dev/null`
//     (with `--schemas DIR` when given), and its CPU time (user + system, from /usr/bin/time when
//     there is one), which other processes on the machine disturb less than the wall time.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opts = {};
const trees = [];
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) opts[args[i].slice(2)] = args[++i];
  else trees.push(path.resolve(args[i]));
}
if (trees.length === 0) trees.push(fileURLToPath(new URL('..', import.meta.url)));
const runs = Number(opts.runs ?? 5);
const schemasOpt = opts.schemas ? path.resolve(opts.schemas) : undefined;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const child = (tree) => `
const t0 = performance.now();
const r = await import(${JSON.stringify(pathToFileURL(path.join(tree, 'dist/schema/registry.js')).href)});
const t1 = performance.now();
const set = await r.loadSchemaSet(${JSON.stringify(schemasOpt ?? path.join(tree, 'schemas'))});
const t2 = performance.now();
console.log(JSON.stringify({ import: t1 - t0, load: t2 - t1, registers: set.registers.size, precompiled: set.precompiled ?? false }));
`;

const results = trees.map(() => ({ loads: [], walls: [], cpus: [] }));
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kitei-measure-'));
const timeFile = path.join(tmp, 'time');
const devNull = openSync('/dev/null', 'w');
for (let i = 0; i < runs; i++) {
  for (const [t, tree] of trees.entries()) {
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', child(tree)], { cwd: tree, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    results[t].loads.push(JSON.parse(out.stdout));

    const checkArgs = ['bin/kitei.js', 'check', 'evidence', '--as-of', '2026-11-24', ...(schemasOpt ? ['--schemas', schemasOpt] : [])];
    const [cmd, cmdArgs] = timeBin ? [timeBin, ['-f', '%U %S', '-o', timeFile, process.execPath, ...checkArgs]] : [process.execPath, checkArgs];
    const start = process.hrtime.bigint();
    const run = spawnSync(cmd, cmdArgs, { cwd: tree, stdio: ['ignore', devNull, 'inherit'] });
    results[t].walls.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run.status !== 0) throw new Error(`${tree}: kitei check exited ${run.status}`);
    if (timeBin) results[t].cpus.push(readFileSync(timeFile, 'utf8').trim().split(/\s+/).reduce((a, b) => a + Number(b) * 1000, 0));
  }
}
closeSync(devNull);
rmSync(tmp, { recursive: true, force: true });

const ms = (x) => `${x.toFixed(0).padStart(5)} ms`;
for (const [t, tree] of trees.entries()) {
  const { loads, walls, cpus } = results[t];
  console.log(`${tree} — schemas ${schemasOpt ?? 'schemas/'} (${loads[0].registers} registers, precompiled: ${loads[0].precompiled}); median of ${runs} cold processes`);
  console.log(`  import registry.js      ${ms(median(loads.map((l) => l.import)))}`);
  console.log(`  loadSchemaSet           ${ms(median(loads.map((l) => l.load)))}`);
  console.log(`  import + loadSchemaSet  ${ms(median(loads.map((l) => l.import + l.load)))}`);
  console.log(`  kitei check (wall)      ${ms(median(walls))}   (runs: ${walls.map((w) => w.toFixed(0)).join(', ')})`);
  if (cpus.length) console.log(`  kitei check (CPU)       ${ms(median(cpus))}   (runs: ${cpus.map((w) => w.toFixed(0)).join(', ')})`);
}
