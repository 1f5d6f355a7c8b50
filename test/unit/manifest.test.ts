import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { jsonReporter } from '../../src/report/json.js';
import { manifestText } from '../../src/report/manifest.js';
import { buildReportModel } from '../../src/report/model.js';
import { reportText } from '../../src/report/reporter.js';
import { textReporter } from '../../src/report/text.js';
import { BASE_FIXTURE, makeTree, REPO } from '../harness/tree.js';

/**
 * The manifest says exactly which bytes a run judged: a sha256 per evidence, policy, catalog and
 * schema file, and one digest over them and the settings that decide the result.
 */
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const run = { version: '0.1.0', failOn: 'low' as const, exitCode: 0 };

describe('the reproducibility manifest', () => {
  it('hashes every evidence, policy, catalog and schema file, and digests them with the settings', async () => {
    const evidence = makeTree({}, BASE_FIXTURE);
    const result = await check({ evidenceDir: evidence, asOf: '2026-11-24', params: { 'terminal-screen-lock': { maxIdleMinutes: 3 } } });
    const m = buildReportModel(result, { ...run, lang: 'ja' }).manifest!;
    expect(m.kitei).toBe('0.1.0');
    expect(m.asOf).toBe('2026-11-24');
    expect(m.language).toBe('ja');
    expect(m.failOn).toBe('low');
    expect(m.params).toEqual({ 'terminal-screen-lock': { maxIdleMinutes: 3 } });
    const evidenceFiles = readdirSync(evidence).filter((n) => n.endsWith('.yaml')).sort();
    expect(m.evidence.files).toEqual(evidenceFiles.map((f) => ({ path: f, sha256: sha256(path.join(evidence, f)) })));
    const policyFiles = readdirSync(path.join(REPO, 'policies')).filter((n) => n.endsWith('.yaml') && n !== 'catalog.yaml').sort();
    expect(m.policies).toEqual({ dir: 'policies', files: policyFiles.map((f) => ({ path: f, sha256: sha256(path.join(REPO, 'policies', f)) })) });
    expect(m.catalog).toEqual({ path: 'catalog.yaml', sha256: sha256(path.join(REPO, 'policies/catalog.yaml')) });
    // The configuration's schema judges no input (src/report/manifest.ts): it is not hashed.
    const schemaFiles = readdirSync(path.join(REPO, 'schemas')).filter((n) => n.endsWith('.schema.json') && n !== 'config.schema.json').sort();
    expect(m.schemas.files.map((f) => f.path)).toEqual(schemaFiles);
    expect(m.schemas.files.every((f) => f.sha256 === sha256(path.join(REPO, 'schemas', f.path)))).toBe(true);
    expect(m.digest).toBe(`sha256:${createHash('sha256').update(manifestText(m)).digest('hex')}`);
    expect(manifestText(m)).toContain('params {"terminal-screen-lock":{"maxIdleMinutes":3}}\n');
  });

  it('a one-byte change to one evidence file changes that file\'s hash and the digest, nothing else', async () => {
    const evidence = makeTree({}, BASE_FIXTURE);
    const before = buildReportModel(await check({ evidenceDir: evidence, asOf: '2026-11-24' }), { ...run, lang: 'ja' }).manifest!;
    const again = buildReportModel(await check({ evidenceDir: evidence, asOf: '2026-11-24' }), { ...run, lang: 'ja' }).manifest!;
    expect(again).toEqual(before);
    appendFileSync(path.join(evidence, 'terminals.yaml'), '\n');
    const after = buildReportModel(await check({ evidenceDir: evidence, asOf: '2026-11-24' }), { ...run, lang: 'ja' }).manifest!;
    const changed = after.evidence.files.filter((f, i) => f.sha256 !== before.evidence.files[i]!.sha256).map((f) => f.path);
    expect(changed).toEqual(['terminals.yaml']);
    expect(after.digest).not.toBe(before.digest);
    expect({ ...after, evidence: before.evidence, digest: before.digest }).toEqual(before);
  });

  it('the digest leaves out the language and the directories, and covers fail-on, the as-of date and the version', async () => {
    const result = await check({ evidenceDir: makeTree({}, BASE_FIXTURE), asOf: '2026-11-24' });
    const ja = buildReportModel(result, { ...run, lang: 'ja' }).manifest!;
    expect(buildReportModel(result, { ...run, lang: 'en' }).manifest!.digest).toBe(ja.digest);
    const elsewhere = await check({ evidenceDir: makeTree({}, BASE_FIXTURE), asOf: '2026-11-24' });
    expect(buildReportModel(elsewhere, { ...run, lang: 'ja' }).manifest!.digest).toBe(ja.digest);
    expect(buildReportModel(result, { ...run, failOn: 'high', lang: 'ja' }).manifest!.digest).not.toBe(ja.digest);
    expect(buildReportModel(result, { ...run, version: '0.2.0', lang: 'ja' }).manifest!.digest).not.toBe(ja.digest);
    const later = await check({ evidenceDir: makeTree({}, BASE_FIXTURE), asOf: '2026-11-25' });
    expect(buildReportModel(later, { ...run, lang: 'ja' }).manifest!.digest).not.toBe(ja.digest);
  });

  it('records the real directory of the policies and schemas used', async () => {
    const link = path.join(makeTree({}), 'my-policies');
    symlinkSync(path.join(REPO, 'policies'), link);
    const result = await check({ evidenceDir: makeTree({}, BASE_FIXTURE), policiesDir: link, asOf: '2026-11-24' });
    expect(result.policies.dir).toBe('policies');
    expect(result.manifest!.policies.dir).toBe('policies');
    expect(result.manifest!.schemas.dir).toBe('schemas');
  });

  it('is in the JSON report, and its digest in the text report just before the result', async () => {
    const result = await check({ evidenceDir: makeTree({}, BASE_FIXTURE), asOf: '2026-11-24' });
    const model = buildReportModel(result, { ...run, lang: 'en' });
    const json = JSON.parse(reportText(jsonReporter(model, { lang: 'en' })));
    expect(json.manifest).toEqual(model.manifest);
    const lines = reportText(textReporter(model, { lang: 'en' })).trimEnd().split('\n');
    expect(lines.at(-2)).toBe(`Manifest digest: ${model.manifest!.digest}`);
  });
});
