import type { Lang } from '../core/lang.js';
import { canonicalJson, type FileDigest, type Manifest } from './manifest.js';
import type { ReportModel } from './model.js';

/**
 * `kitei check --verify-manifest SAVED.json`: the check run again on the inputs in front of the
 * auditor with the saved run's settings, then compared with the saved report. Either the inputs
 * are the same (equal digests) and the findings byte for byte the same, or this says which input
 * changed: a file added, removed or changed, kitei's version, the as-of date, fail-on, overrides.
 */
export interface InputChange {
  kind: 'evidence' | 'policy' | 'catalog' | 'schema' | 'setting';
  /** The file (relative to its directory) or the setting's name. */
  name: string;
  change: 'added' | 'removed' | 'changed';
  saved?: string;
  now?: string;
}

export interface Verification {
  savedDigest: string;
  currentDigest: string;
  changes: InputChange[];
  /** The findings, the counts and the rules' outcomes are the same, file paths taken relative to their directories. */
  sameFindings: boolean;
  saved: { fail: number; error: number };
  current: { fail: number; error: number };
}

export function verifyManifest(saved: ReportModel & { manifest: Manifest }, current: ReportModel & { manifest: Manifest }): Verification {
  const a = saved.manifest;
  const b = current.manifest;
  const changes: InputChange[] = [];
  const setting = (name: string, x: string, y: string) => {
    if (x !== y) changes.push({ kind: 'setting', name, change: 'changed', saved: x, now: y });
  };
  setting('kitei', a.kitei, b.kitei);
  setting('asOf', a.asOf, b.asOf);
  setting('failOn', a.failOn, b.failOn);
  setting('params', canonicalJson(a.params), canonicalJson(b.params));
  compareFiles('evidence', a.evidence.files, b.evidence.files, changes);
  compareFiles('policy', a.policies.files, b.policies.files, changes);
  compareFiles('catalog', a.catalog ? [a.catalog] : [], b.catalog ? [b.catalog] : [], changes);
  compareFiles('schema', a.schemas.files, b.schemas.files, changes);
  return {
    savedDigest: a.digest,
    currentDigest: b.digest,
    changes,
    sameFindings: comparable(saved) === comparable(current),
    saved: { fail: saved.summary.total.fail, error: saved.summary.total.error },
    current: { fail: current.summary.total.fail, error: current.summary.total.error },
  };
}

export function compareFiles(kind: InputChange['kind'], saved: readonly FileDigest[], now: readonly FileDigest[], out: InputChange[]): void {
  const before = new Map(saved.map((f) => [f.path, f.sha256 ?? '-']));
  const after = new Map(now.map((f) => [f.path, f.sha256 ?? '-']));
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const x = before.get(name);
    const y = after.get(name);
    if (x === undefined) out.push({ kind, name, change: 'added', now: y! });
    else if (y === undefined) out.push({ kind, name, change: 'removed', saved: x });
    else if (x !== y) out.push({ kind, name, change: 'changed', saved: x, now: y });
  }
}

/** What must be byte-identical: findings, counts and rules, with paths taken relative to the evidence and policy directories. */
function comparable(m: ReportModel): string {
  const strip = (file: string) => {
    for (const [dir, tag] of [[m.evidence.dir, '<evidence>'], [m.policies.dir, '<policies>']] as const) if (file.startsWith(`${dir}/`)) return `${tag}${file.slice(dir.length)}`;
    return file;
  };
  return JSON.stringify({
    exitCode: m.exitCode,
    included: m.included,
    summary: m.summary,
    rules: m.rules.map((r) => ({ ...r, file: strip(r.file) })),
    findings: m.findings.map((f) => (f.location ? { ...f, location: { ...f.location, file: strip(f.location.file) } } : f)),
  });
}

const L = {
  ja: {
    title: (file: string, digest: string) => `マニフェストの照合: ${file}（${digest}）`,
    sameInputs: (digest: string) => `入力: 同じです（ダイジェスト ${digest} が一致）`,
    changedInputs: (digest: string) => `入力: 異なります（現在のダイジェスト ${digest}）`,
    kind: { evidence: '証跡', policy: 'ポリシー', catalog: '条項カタログ', schema: 'スキーマ', setting: '設定' },
    change: { added: '追加されています', removed: 'ありません（削除されています）', changed: '変更されています' },
    setting: { kitei: 'kitei の版', asOf: '基準日', failOn: '失敗とする重要度', params: 'パラメータの上書き' } as Record<string, string>,
    hashes: (x: string, y: string) => `（保存時 ${short(x)} → 現在 ${short(y)}）`,
    values: (x: string, y: string) => `: 保存時 ${x} → 現在 ${y}`,
    sameFindings: (fail: number, err: number) => `所見: バイト単位で同じです（不適合 ${fail} 件、エラー ${err} 件）`,
    changedFindings: (a: { fail: number; error: number }, b: { fail: number; error: number }) => `所見: 異なります（保存時 不適合 ${a.fail} 件・エラー ${a.error} 件 → 現在 不適合 ${b.fail} 件・エラー ${b.error} 件）`,
    verdict: (ok: boolean) => (ok ? '→ 一致: 同じ入力から同じ所見が得られました（終了コード 0）' : '→ 不一致（終了コード 1）'),
  },
  en: {
    title: (file: string, digest: string) => `Verifying the manifest of ${file} (${digest})`,
    sameInputs: (digest: string) => `Inputs: the same (digest ${digest} matches)`,
    changedInputs: (digest: string) => `Inputs: different (digest now ${digest})`,
    kind: { evidence: 'evidence', policy: 'policy', catalog: 'clause catalog', schema: 'schema', setting: 'setting' },
    change: { added: 'added', removed: 'missing (removed)', changed: 'changed' },
    setting: { kitei: "kitei's version", asOf: 'as-of date', failOn: 'fail-on', params: 'parameter overrides' } as Record<string, string>,
    hashes: (x: string, y: string) => ` (saved ${short(x)}, now ${short(y)})`,
    values: (x: string, y: string) => `: saved ${x}, now ${y}`,
    sameFindings: (fail: number, err: number) => `Findings: byte-identical (${fail} failures, ${err} errors)`,
    changedFindings: (a: { fail: number; error: number }, b: { fail: number; error: number }) => `Findings: different (saved ${a.fail} failures and ${a.error} errors, now ${b.fail} and ${b.error})`,
    verdict: (ok: boolean) => (ok ? '→ Verified: the same inputs gave the same findings (exit code 0)' : '→ Not verified (exit code 1)'),
  },
} as const;

export function verified(v: Verification): boolean {
  return v.savedDigest === v.currentDigest && v.sameFindings;
}

export function verificationText(v: Verification, file: string, lang: Lang): string {
  const t = L[lang];
  const lines = [t.title(file, v.savedDigest)];
  lines.push(`  ${v.savedDigest === v.currentDigest ? t.sameInputs(v.savedDigest) : t.changedInputs(v.currentDigest)}`);
  for (const c of v.changes) {
    if (c.kind === 'setting') lines.push(`    ${t.setting[c.name] ?? c.name}${t.values(c.saved ?? '', c.now ?? '')}`);
    else lines.push(`    ${t.kind[c.kind]} ${c.name}: ${t.change[c.change]}${c.change === 'changed' ? t.hashes(c.saved!, c.now!) : ''}`);
  }
  lines.push(`  ${v.sameFindings ? t.sameFindings(v.current.fail, v.current.error) : t.changedFindings(v.saved, v.current)}`);
  lines.push(t.verdict(verified(v)));
  return lines.join('\n') + '\n';
}

function short(hash: string): string {
  return hash === '-' ? '-' : hash.slice(0, 12) + '…';
}
