import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../core/findings.js';
import { displayPath } from '../core/paths.js';
import { problemFinding } from '../core/problems.js';
import type { DueItem } from '../engine/due.js';
import type { EvidenceDocument } from '../evidence/document.js';
import { loadEvidence, type LoadOptions } from '../evidence/load.js';
import type { SchemaSet } from '../schema/registry.js';
import type { WaiverRecord } from './apply.js';

export interface WaiverFiles {
  dir: string;
  files: string[];
  /** The waiver registers read (their invalid records are marked, as evidence's are). */
  documents: EvidenceDocument[];
  /** Problems reading them: syntax, schema, duplicate ids, a file that is not a waiver register. */
  problems: Finding[];
}

/** `waivers` beside the evidence folder, when it exists: where an evidence repository keeps its waivers. */
export function defaultWaiversDir(evidenceDir: string): string | undefined {
  const dir = path.join(path.dirname(path.resolve(evidenceDir)), 'waivers');
  return existsSync(dir) && statSync(dir).isDirectory() ? displayPath(dir) : undefined;
}

/**
 * Reads the waiver files of a folder as evidence is read (the same reader, limits and problems),
 * against the `waivers` register schema. A file of another register there is reported and ignored.
 */
export async function loadWaivers(dir: string, schemas: SchemaSet, input?: LoadOptions): Promise<WaiverFiles> {
  const read = await loadEvidence(dir, schemas, input);
  const problems = [...read.problems];
  for (const d of read.documents) if (d.register !== 'waivers') problems.push(problemFinding('waiver/not-a-waiver-file', d.source.locate('/register'), { register: d.register }));
  return { dir, files: read.files, documents: read.documents.filter((d) => d.register === 'waivers'), problems };
}

/** Each valid waiver's expiry, for `kitei due`: a waiver must be renewed or its failure remedied by then. */
export function waiverExpiries(files: WaiverFiles): DueItem[] {
  return files.documents.flatMap((doc) =>
    doc.records
      .filter((r) => r.valid)
      .map((r) => {
        const w = r.value as unknown as WaiverRecord;
        return {
          ruleId: 'kitei/waiver',
          dueId: 'expiry',
          date: w.expiresOn,
          clauses: [],
          label: { ja: `例外承認 ${w.id}（${w.rule}）の期限：是正するか、改めて承認を得る`, en: `Waiver ${w.id} (${w.rule}) expires: remedy the failure or have the waiver approved again` },
          recordId: w.id,
          location: doc.source.locate(`${r.pointer}/expiresOn`),
        };
      }),
  );
}
