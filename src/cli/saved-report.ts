import { readFile } from 'node:fs/promises';
import { UsageError } from '../core/problems.js';
import type { ReportModel } from '../report/model.js';

/**
 * A saved JSON (or NDJSON) report read for a comparison (`check --baseline`, `kitei diff`). A
 * file that cannot be read or is not a kitei report is a usage error naming the file.
 */
export async function readSavedReport(file: string, role: string): Promise<ReportModel> {
  const { parseSavedReport } = await import('../report/saved.js');
  const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`${role} ${file}: cannot read the saved report (${e.code ?? e.message})`);
  });
  return parseSavedReport(bytes, file);
}
