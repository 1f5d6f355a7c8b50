import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, precompiledValidators, sha256, SHIPPED_VALIDATORS, type Manifest, type PrecompiledSource } from '../../src/schema/precompiled.js';
import { describeErrors, loadSchemaSet, newAjv, type SchemaSet } from '../../src/schema/registry.js';
import { generateValidators } from '../../src/schema/standalone.js';

// The precompiled (ajv standalone) validators of the shipped schemas against the same schemas
// compiled by ajv at run time: same verdict, same errors, same messages in both languages, over
// every register file kitei ships and mutated copies of every record; and whatever is not
// exactly what was built is compiled.

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SCHEMAS = path.join(REPO, 'schemas');
// Generated here rather than in dist/ (which the build owns), inside node_modules so that the
// module's own imports (ajv's runtime, ajv-formats) resolve as they do from dist/.
const CACHE = path.join(REPO, 'node_modules', '.cache', 'kitei-test');
const OUT = path.join(CACHE, `validators-${randomUUID()}`);
const built: PrecompiledSource = { schemasDir: SCHEMAS, validatorsDir: OUT };
const temps: string[] = [OUT];

let pre: SchemaSet;
let fresh: SchemaSet;

beforeAll(async () => {
  await generateValidators(SCHEMAS, OUT);
  pre = await loadSchemaSet(SCHEMAS, built);
  fresh = await loadSchemaSet(SCHEMAS, false);
}, 60_000);

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  try {
    rmdirSync(CACHE); // when no other test run is using it
  } catch {
    // not empty
  }
});

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(dir, f));
}

function parsed(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined; // broken on purpose (examples/broken-evidence): the loader never validates it
  }
}

/** Every register file kitei ships: the example evidence, the examples' evidence, the rule tests' base. */
function registerFiles(): { file: string; value: Record<string, unknown> }[] {
  const dirs = [
    path.join(REPO, 'evidence'),
    ...readdirSync(path.join(REPO, 'examples')).sort().map((e) => path.join(REPO, 'examples', e, 'evidence')),
    path.join(REPO, 'policies', 'tests', 'base'),
  ];
  return dirs.flatMap(yamlFiles).flatMap((file) => {
    const value = parsed(file);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? [{ file: path.relative(REPO, file), value: value as Record<string, unknown> }] : [];
  });
}

type Json = unknown;

/** A value of another JSON type. */
function wrongType(v: Json): Json {
  if (typeof v === 'string') return 42;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return 'yes';
  if (v === null) return 0;
  if (Array.isArray(v)) return { 0: v[0] ?? null };
  return 'x';
}

/** Values of the same type that break the usual constraints (formats, enums, patterns, bounds, uniqueness). */
function badValues(v: Json): Json[] {
  if (typeof v === 'string') {
    const out: Json[] = ['', 'zzz-not-allowed', v + ' '];
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) out.push('2026-02-30', '2026/11/20', '20261120', '令和8年11月20日');
    return out;
  }
  if (typeof v === 'number') return [-1, 1.5, 1e9];
  if (Array.isArray(v)) return [[], v.length > 0 ? [...v, v[0]] : [null]];
  return [];
}

/** Mutated copies of `value`: each node deleted, of the wrong type, out of bounds; each mapping with an unknown field. */
function* mutations(value: Json, at = ''): Generator<{ where: string; value: Json }> {
  const set = (key: string | number, v: Json | typeof DELETE): Json => {
    if (Array.isArray(value)) {
      const copy = [...value];
      if (v === DELETE) copy.splice(Number(key), 1);
      else copy[Number(key)] = v;
      return copy;
    }
    const copy = { ...(value as Record<string, Json>) };
    if (v === DELETE) delete copy[key];
    else copy[key] = v;
    return copy;
  };
  if (value === null || typeof value !== 'object') return;
  if (!Array.isArray(value)) yield { where: `${at}/+unknown`, value: { ...(value as Record<string, Json>), 'x-unknown-field': 1 } };
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, child] of entries) {
    const where = `${at}/${key}`;
    yield { where: `${where}:delete`, value: set(key, DELETE) };
    yield { where: `${where}:type`, value: set(key, wrongType(child)) };
    for (const bad of badValues(child)) yield { where: `${where}:${JSON.stringify(bad)}`, value: set(key, bad) };
    for (const m of mutations(child, where)) yield { where: m.where, value: set(key, m.value) };
  }
}
const DELETE = Symbol('delete');

/** The document with each of its top-level collections cut down to one entry, for each entry. */
function* pieces(value: Json): Generator<[string, Json]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const doc = value as Record<string, Json>;
  for (const [key, v] of Object.entries(doc)) {
    if (v === null || typeof v !== 'object') continue;
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    for (const [k, x] of entries) yield [`/${key}/${k}`, { ...doc, [key]: Array.isArray(v) ? [x] : { [k]: x } }];
  }
}

let compared = 0;
let invalid = 0;

/** Runs both validators; on any difference, fails with both results side by side. */
function same(a: ValidateFunction, b: ValidateFunction, value: Json, label: string): void {
  const run = (v: ValidateFunction) => {
    const ok = v(value);
    const errors = v.errors; // a new array on every call
    const messages = errors ? describeErrors(errors).map((d) => d.message) : [];
    return { ok, errors, messages };
  };
  const x = run(a);
  const y = run(b);
  compared++;
  if (!x.ok) invalid++;
  if (JSON.stringify(x) !== JSON.stringify(y)) expect(x, label).toEqual(y);
}

describe('precompiled validators of the shipped schemas', () => {
  it('are used for the shipped schemas, with the same register kinds and shapes as compiled ones', () => {
    expect(pre.precompiled).toBe(true);
    expect(fresh.precompiled).toBe(false);
    expect([...pre.registers.keys()]).toEqual([...fresh.registers.keys()]);
    expect(pre.registers.size).toBeGreaterThanOrEqual(31);
    for (const [kind, r] of pre.registers) {
      const f = fresh.registers.get(kind)!;
      expect(r.validate).not.toBe(f.validate);
      expect({ ...r, validate: undefined }).toEqual({ ...f, validate: undefined });
    }
  });

  it('give the same verdicts and errors on every register file and on mutated copies of each record', () => {
    compared = 0;
    invalid = 0;
    const files = registerFiles();
    expect(files.length).toBeGreaterThan(100);
    // A record the examples copy from evidence/ unchanged is mutated once.
    const seen = new Set<string>();
    for (const { file, value } of files) {
      const kind = typeof value.register === 'string' ? pre.registers.get(value.register) : undefined;
      const a = kind?.validate ?? pre.registers.get('staff')!.validate;
      const b = kind ? fresh.registers.get(kind.kind)!.validate : fresh.registers.get('staff')!.validate;
      same(a, b, value, file);
      if (!kind) continue;
      // The envelope, mutated with one record left; then each record, mutated, alone in its file.
      const records = Array.isArray(value.records) ? (value.records as Json[]) : [];
      const envelope = { ...value, records: records.slice(0, 1) };
      for (const m of mutations(envelope)) if (!m.where.startsWith('/records/0/')) same(a, b, m.value, `${file} ${m.where}`);
      records.forEach((record, i) => {
        const key = `${kind.kind} ${JSON.stringify(record)}`;
        if (seen.has(key)) return;
        seen.add(key);
        for (const m of mutations(record)) same(a, b, { ...value, records: [m.value] }, `${file} /records/${i}${m.where}`);
      });
    }
    // Not vacuous: many documents, most mutations rejected.
    expect(compared).toBeGreaterThan(50_000);
    expect(invalid).toBeGreaterThan(compared / 2);
  }, 120_000);

  it('give the same verdicts and errors for the policy, catalog and rule-test schemas', async () => {
    const schemaFor = (name: string) => {
      const bytes = readFileSync(path.join(SCHEMAS, name));
      return { name, bytes, fresh: newAjv().compile(JSON.parse(bytes.toString('utf8')) as object) };
    };
    const cases: [string, string[]][] = [
      ['policy.schema.json', yamlFiles(path.join(REPO, 'policies')).filter((f) => path.dirname(f) === path.join(REPO, 'policies') && path.basename(f) !== 'catalog.yaml')],
      ['catalog.schema.json', [path.join(REPO, 'policies', 'catalog.yaml')]],
      ['rule-tests.schema.json', yamlFiles(path.join(REPO, 'policies', 'tests')).filter((f) => path.dirname(f) === path.join(REPO, 'policies', 'tests'))],
    ];
    compared = 0;
    for (const [name, files] of cases) {
      const s = schemaFor(name);
      const validators = await precompiledValidators(SCHEMAS, [{ name, bytes: s.bytes }], built);
      const a = validators?.get(name);
      expect(a, name).toBeTypeOf('function');
      expect(files.length, name).toBeGreaterThan(0);
      for (const file of files) {
        const value = parsed(file);
        same(a!, s.fresh, value, path.relative(REPO, file));
        // These files are large: each rule, clause or rule's cases alone in its file, mutated.
        for (const [where, piece] of pieces(value)) {
          let n = 0;
          for (const m of mutations(piece)) {
            if (n++ >= 60) break;
            same(a!, s.fresh, m.value, `${path.relative(REPO, file)} ${where} ${m.where}`);
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(20_000);
  }, 120_000);

  it('give the same errors on values no file has: wrong envelopes and non-objects', () => {
    const a = pre.registers.get('terminals')!.validate;
    const b = fresh.registers.get('terminals')!.validate;
    for (const v of [null, 0, 'terminals', [], {}, { register: 'staff' }, { register: 'terminals', capturedAt: '2026-02-29', records: {} }, { register: 'terminals', capturedAt: '2026-11-20', records: [null, 1, 'x', [], {}] }]) {
      same(a, b, v, JSON.stringify(v));
    }
  });

  it('leave the ajv instance unbuilt until it is asked for, then hold the register schemas', () => {
    const v = pre.ajv.getSchema('urn:kitei:schema:terminals');
    expect(v).toBeTypeOf('function');
    const doc = { register: 'terminals', capturedAt: '2026-11-20', records: [{ id: 'T-1' }] };
    same(v!, fresh.registers.get('terminals')!.validate, doc, 'lazy ajv');
    expect(fresh.ajv.getSchema('urn:kitei:schema:terminals')).toBe(fresh.registers.get('terminals')!.validate);
  });
});

describe('anything but the schemas as built is compiled', () => {
  const copy = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kitei-schemas-'));
    temps.push(dir);
    cpSync(SCHEMAS, dir, { recursive: true });
    return dir;
  };
  const terminals = () => parse(readFileSync(path.join(REPO, 'evidence', 'terminals.yaml'), 'utf8')) as Record<string, unknown>;

  it('user schemas (any directory but the shipped one) are compiled, even when identical', async () => {
    const dir = copy();
    expect((await loadSchemaSet(dir)).precompiled).toBe(false);
    // The same bytes, declared as the built directory, are served precompiled.
    expect((await loadSchemaSet(dir, { schemasDir: dir, validatorsDir: OUT })).precompiled).toBe(true);
  });

  it('a changed schema is compiled, and validates as changed', async () => {
    const dir = copy();
    const file = path.join(dir, 'terminals.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8')) as { required: string[]; properties: Record<string, unknown> };
    schema.required.push('approvedBy');
    schema.properties.approvedBy = { type: 'string' };
    writeFileSync(file, JSON.stringify(schema, null, 2));
    const set = await loadSchemaSet(dir, { schemasDir: dir, validatorsDir: OUT });
    expect(set.precompiled).toBe(false);
    const validate = set.registers.get('terminals')!.validate;
    expect(validate(terminals())).toBe(false);
    expect(validate.errors).toMatchObject([{ keyword: 'required', params: { missingProperty: 'approvedBy' } }]);
    expect(validate({ ...terminals(), approvedBy: 'S-001' })).toBe(true);
    // The other registers are compiled too, and still validate.
    const staff = parse(readFileSync(path.join(REPO, 'evidence', 'staff.yaml'), 'utf8')) as unknown;
    expect(set.registers.get('staff')!.validate(staff)).toBe(true);
    // One changed byte is enough.
    const bytes = readFileSync(path.join(SCHEMAS, 'policy.schema.json'));
    expect(await precompiledValidators(SCHEMAS, [{ name: 'policy.schema.json', bytes: Buffer.concat([bytes, Buffer.from('\n')]) }], built)).toBeUndefined();
    expect(await precompiledValidators(SCHEMAS, [{ name: 'policy.schema.json', bytes }], built)).toBeDefined();
  });

  it('a schema the build did not see, no build output, or another ajv: compiled', async () => {
    const dir = copy();
    writeFileSync(path.join(dir, 'extra.schema.json'), JSON.stringify({ type: 'object' }));
    expect((await loadSchemaSet(dir, { schemasDir: dir, validatorsDir: OUT })).precompiled).toBe(false);

    const none = await loadSchemaSet(SCHEMAS, { schemasDir: SCHEMAS, validatorsDir: path.join(CACHE, `missing-${randomUUID()}`) });
    expect(none.precompiled).toBe(false);
    expect(none.registers.get('terminals')!.validate(terminals())).toBe(true);

    const other = path.join(CACHE, `other-ajv-${randomUUID()}`);
    temps.push(other);
    cpSync(OUT, other, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(other, MANIFEST_FILE), 'utf8')) as Manifest;
    writeFileSync(path.join(other, MANIFEST_FILE), JSON.stringify({ ...manifest, ajv: '8.0.0' }));
    expect((await loadSchemaSet(SCHEMAS, { schemasDir: SCHEMAS, validatorsDir: other })).precompiled).toBe(false);
  });

  // The build output itself (npm test builds before it runs the tests): used exactly when its
  // manifest matches the schemas on disk.
  const shippedManifest = path.join(SHIPPED_VALIDATORS.validatorsDir, MANIFEST_FILE);
  it.skipIf(!existsSync(shippedManifest))('the build in dist/ serves the shipped schemas when it is current', async () => {
    const manifest = JSON.parse(readFileSync(shippedManifest, 'utf8')) as Manifest;
    const names = readdirSync(SCHEMAS).filter((n) => n.endsWith('.schema.json'));
    const current = names.every((n) => manifest.schemas[n]?.sha256 === sha256(readFileSync(path.join(SCHEMAS, n))));
    expect((await loadSchemaSet(SCHEMAS)).precompiled).toBe(current);
  });
});
