import { UsageError } from '../core/problems.js';
import { asReportModel, parseReportModel, type ReportModel } from './model.js';

/**
 * A saved report read back into the model: the JSON report, or the NDJSON one (a `run` line,
 * then one `finding` line each), which is the same content for runs too large for one document.
 */
export function parseSavedReport(bytes: Buffer, file: string): ReportModel {
  const text = bytes.toString('utf8');
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const firstLine = text.slice(start, text.indexOf('\n', start) === -1 ? undefined : text.indexOf('\n', start));
  if (/^\{"type":"run"/.test(firstLine)) return asReportModel(fromNdjson(text.slice(start), file), file);
  return parseReportModel(text, file);
}

function fromNdjson(text: string, file: string): Record<string, unknown> {
  let head: Record<string, unknown> | undefined;
  const findings: unknown[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: { type?: unknown } & Record<string, unknown>;
    try {
      value = JSON.parse(line) as typeof value;
    } catch (e) {
      throw new UsageError(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
    }
    const { type, ...rest } = value;
    if (type === 'run' && head === undefined) head = rest;
    else if (type === 'finding' && head !== undefined) findings.push(rest);
    else throw new UsageError(`${file}:${i + 1}: expected ${head === undefined ? 'the "run" line first' : 'a "finding" line'}`);
  }
  return { ...head, findings };
}
